#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="count=N: an extent fails N I/Os, then is gone"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 512 start_enabled || return 1
	dev=/dev/mapper/sf
	_sf_msg sf add 100-109 mode=rw count=3 || return 1
	_sf_expect_io EIO read "$dev" 100 1 || return 1
	_sf_expect_io EIO write "$dev" 109 1 --pattern 1 || return 1
	_sf_msg sf list
	_sf_expect_io EIO read "$dev" 95 10 || return 1
	_sf_msg sf count
	_sf_expect_io ok read "$dev" 100 10 || return 1
	_sf_expect_io ok write "$dev" 100 10 --pattern 2 || return 1
}
