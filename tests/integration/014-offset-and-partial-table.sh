#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="blocks count from the start of the target, whatever its offset on the disk and place in the table"

# msg WORD...: the message goes to the target that covers sector 1000.
msg() {
	dmsetup message sf 1000 "$@"
}

test() {
	disk=$(_disk) || return $?
	# sectors 0-999 linear, then swapfail over disk sectors 2048-4095
	_dm_create sf "0 1000 linear $disk 0
1000 2048 swapfail $disk 2048 512 1 start_enabled" || return 1
	dev=/dev/mapper/sf
	msg add 5 || return 1
	_sf_expect_io ok read "$dev" 5 1 || return 1
	_sf_expect_io EIO read "$dev" 1005 1 || return 1
	_sf_expect_io ok read "$dev" 1004 1 || return 1
	msg add 2048 2>/dev/null && _fail "block 2048 is past the target" && return 1
	msg add 2047 || return 1
	_sf_expect_io EIO read "$dev" 3047 1 || return 1
	# dm sector 1006 is disk sector 2054: pattern 2000 + 1006 == 952 + 2054
	_sf_expect_io ok write "$dev" 1006 1 --pattern 2000 || return 1
	_sf_expect_io ok read "$disk" 2054 1 --expect-pattern 952
}
