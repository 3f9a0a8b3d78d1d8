#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail slots, resolve and target follow a swap file on ext4, XFS and btrfs (through its chunks) over swapfail to its blocks: the header at the file's first block, SIGBUS at exactly the chosen page, the others intact"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

FILESYSTEMS="ext4 xfs btrfs"

requires() {
	_have_program swapfail && _have_program filefrag && _have_program btrfs || return 1
	for fs in $FILESYSTEMS; do
		_have_program "mkfs.$fs" && _have_module "$fs" || return 1
	done
}

# first_block FS: the swap file's first block of 4 KiB on sf, as the filesystem
# says: FIEMAP for ext4 and XFS, btrfs's own mapping for btrfs (FIEMAP gives
# btrfs's logical addresses there, which swapfail maps through the chunk tree).
first_block() {
	if [ "$1" = btrfs ]; then
		btrfs inspect-internal map-swapfile /mnt/sf/swapfile |
			awk '/^Physical start:/ { print $3 / 4096 }'
	else
		filefrag -v -b4096 /mnt/sf/swapfile |
			awk '$1 == "0:" { sub(/\.\..*/, "", $4); print $4 }'
	fi
}

# swapfile FS PAGE: a swap file on FS over sf, a victim in it, its page PAGE failed.
swapfile() {
	_mkfs_mount "$1" /dev/mapper/sf /mnt/sf || return 1
	_swapfile /mnt/sf/swapfile 32 || return 1
	# the header, slot 0, at the file's first block: resolve finds it there
	start=$(first_block "$1")
	[ -n "$start" ] || _fail "no first block of the $1 swap file" || return 1
	swapfail resolve "$(dmsetup info -c --noheadings --separator : -o major,minor sf):$((start * 8))" |
		awk '$1 == "area" || $1 == "slot" || $1 == "swapfail" || $1 == "block"' |
		sed "s/ $start\$/ START/"
	cg=$(_cgroup "sfvictim-$1") || return 1
	_swapped_victim "$cg" 64 || return 1
	swapfail slots --pid "$VICTIM_PID" --addr "$(_page_addr 0)" --pages 64 \
		--noheadings >/tmp/slots || return 1
	# each page: in the file, on sf, its block the sector's (4 KiB blocks)
	awk '$2 == "/mnt/sf/swapfile" && $5 == "sf" && $6 * 8 == $4 { ok++ }
	     END { print ok + 0 " of 64 pages in the swap file on sf" }' /tmp/slots
	_fail_page "$2" || return 1
	echo exit >&9
	swapoff /mnt/sf/swapfile && umount /mnt/sf && swapfail remove sf
}

test() {
	disk=$(_disk) || return $?
	for fs in $FILESYSTEMS; do
		echo "-- $fs"
		_sf_over "$disk" || return 1
		swapfile "$fs" 17 || return 1
	done
}
