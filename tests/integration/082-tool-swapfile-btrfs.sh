#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail target follows a swap file on btrfs over swapfail through btrfs's chunks to its blocks: SIGBUS at exactly the chosen page, the others intact"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

requires() {
	_have_program swapfail && _have_program mkfs.btrfs && _have_program btrfs &&
		_have_module btrfs
}

test() {
	disk=$(_disk) || return $?
	_sf_over "$disk" || return 1
	_mkfs_mount btrfs /dev/mapper/sf /mnt/sf || return 1
	_swapfile /mnt/sf/swapfile 32 || return 1
	# btrfs's own idea of where the file starts on the device (not its logical
	# address, which FIEMAP gives): resolve must find the swap header, slot 0, there
	start=$(btrfs inspect-internal map-swapfile /mnt/sf/swapfile |
		awk '/^Physical start:/ { print $3 }')
	[ -n "$start" ] || _fail "btrfs inspect-internal map-swapfile failed" || return 1
	swapfail resolve "$(dmsetup info -c --noheadings --separator : -o major,minor sf):$((start / 512))" |
		awk '$1 == "area" || $1 == "slot" || $1 == "swapfail" || $1 == "block"' |
		sed "s/ $((start / 4096))\$/ START/"
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1
	_fail_page 40
}
