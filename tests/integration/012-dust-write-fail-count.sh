#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="addbadblock B K: the first K writes to B fail, the next succeeds and heals it"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 || return 1
	dev=/dev/mapper/sf
	_sf_msg sf addbadblock 3 2 || return 1
	_sf_msg sf enable || return 1
	# block 3 of 4096 bytes is sectors 24-31
	_sf_expect_io EIO write "$dev" 28 1 --pattern 7 || return 1
	_sf_expect_io EIO read "$dev" 31 1 || return 1
	_sf_expect_io EIO write "$dev" 16 16 --pattern 7 || return 1
	_sf_msg sf list
	_sf_expect_io ok write "$dev" 24 8 --pattern 9 || return 1
	_sf_msg sf countbadblocks
	_sf_expect_io ok read "$dev" 24 8 --expect-pattern 9 || return 1
	_sf_expect_field sf write_errors 2
}
