#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a bad block fails exactly the I/Os that touch its sectors, for block sizes 512 to 1 MiB, without splitting bios"

# check_size BLOCK_SIZE BLOCK: sectors of BLOCK fail, its neighbours read fine.
check_size() {
	spb=$(($1 / 512))
	first=$(($2 * spb))
	last=$((first + spb - 1))
	_sf_create sf "$disk" "$1" start_enabled || return 1
	_sf_msg sf add "$2" mode=rw || return 1
	_sf_expect_io ok read "$dev" $((first - 1)) 1 || return 1
	_sf_expect_io ok read "$dev" $((last + 1)) 1 || return 1
	_sf_expect_io EIO read "$dev" "$first" 1 || return 1
	_sf_expect_io EIO read "$dev" "$last" 1 || return 1
	_sf_expect_io EIO write "$dev" $((first - 8)) 16 --pattern 1 || return 1
	# one 1 MiB read over the block: one bio, one error
	_sf_expect_io EIO read "$dev" $((first - 1)) 2048 || return 1
	_sf_expect_field sf read_errors 3 || return 1
	_dm_remove sf
}

test() {
	disk=$(_disk) || return $?
	dev=/dev/mapper/sf
	for bs in 512 4096 65536 1048576; do
		check_size $bs 40 || return 1
	done
}
