#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="mode=write fails writes only, mode=rw fails both and is never healed, mode=read is healed by a write"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled || return 1
	dev=/dev/mapper/sf
	_sf_msg sf add 10 mode=write || return 1
	_sf_msg sf add 20 mode=rw || return 1
	_sf_msg sf add 30 mode=read || return 1
	# block B holds sectors 8B to 8B+7
	_sf_expect_io ok read "$dev" 80 8 || return 1
	_sf_expect_io EIO write "$dev" 80 8 --pattern 1 || return 1
	_sf_expect_io EIO write "$dev" 80 8 --pattern 1 || return 1
	_sf_expect_io EIO read "$dev" 160 8 || return 1
	_sf_expect_io EIO write "$dev" 160 8 --pattern 1 || return 1
	_sf_expect_io EIO read "$dev" 167 1 || return 1
	_sf_expect_io EIO read "$dev" 240 8 || return 1
	_sf_expect_io ok write "$dev" 240 8 --pattern 1 || return 1
	_sf_expect_io ok read "$dev" 240 8 --expect-pattern 1 || return 1
	_sf_msg sf list
	_sf_info sf | cut -d' ' -f3-9
}
