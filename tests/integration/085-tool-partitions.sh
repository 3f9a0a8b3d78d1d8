#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail target follows swap on swapfail over a disk partition, and on a partition of a swapfail disk (kpartx): SIGBUS at exactly the chosen page"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

requires() {
	_have_program swapfail && _have_program sfdisk && _have_program kpartx
}

# TABLE: two partitions, the second from sector 67584 (the ones under test).
TABLE='label: dos
start=2048, size=65536, type=83
start=67584, size=262144, type=82'

# swap_page PAGE: swap on $1, a victim, its page PAGE failed on sf; block checked
# against slot + $2 / 8.
swap_page() {
	_swap_on "$1" || return 1
	cg=$(_cgroup "sfvictim$2") || return 1
	_swapped_victim "$cg" 64 || return 1
	slot=$(_slot "$2")
	_fail_page "$2" || return 1
	block=$(awk '$1 == "page" { print $8 }' /tmp/target.out)
	[ "$block" -eq $((slot + $3 / 8)) ] ||
		_fail "block $block for slot $slot, expected $((slot + $3 / 8))" || return 1
	echo "block = slot + $(($3 / 8))"
	echo exit >&9
	swapoff "$1"
}

test() {
	disk=$(_disk) || return $?
	echo "-- swapfail over ${disk}2"
	dd if=/dev/zero of="$disk" bs=1M count=1 conv=fsync 2>/dev/null
	echo "$TABLE" | sfdisk -q "$disk" || _fail "sfdisk $disk failed" || return 1
	blockdev --rereadpt "$disk"
	[ -b "${disk}2" ] || _fail "no ${disk}2" || return 1
	_register_dm sf
	swapfail create sf "${disk}2" --start-enabled >/dev/null || return 1
	swap_page /dev/mapper/sf 21 0 || return 1
	swapfail remove sf || return 1

	echo "-- ${disk}: partitions of swapfail (kpartx)"
	_sf_over "$disk" || return 1
	echo "$TABLE" | sfdisk -q /dev/mapper/sf || _fail "sfdisk sf failed" || return 1
	_register_dm sf1
	_register_dm sf2
	kpartx -a -s /dev/mapper/sf || _fail "kpartx -a failed" || return 1
	dmsetup mknodes
	dmsetup table sf2 | cut -d' ' -f1-3,5
	swap_page /dev/mapper/sf2 22 67584 || return 1
	# leave the disk without a partition table for the tests after this one
	kpartx -d /dev/mapper/sf && swapfail remove sf &&
		dd if=/dev/zero of="$disk" bs=1M count=1 conv=fsync 2>/dev/null &&
		blockdev --rereadpt "$disk"
}
