#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a million contiguous blocks are one message and one extent, and a write into its middle splits it"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 512 start_enabled || return 1
	dev=/dev/mapper/sf
	_sf_msg sf add 1000+1000000 || return 1
	_sf_msg sf count
	_sf_expect_io ok read "$dev" 999 1 || return 1
	_sf_expect_io EIO read "$dev" 1000 1 || return 1
	_sf_expect_io EIO read "$dev" 500000 64 || return 1
	_sf_expect_io EIO read "$dev" 1000999 1 || return 1
	_sf_expect_io ok read "$dev" 1001000 1 || return 1
	_sf_expect_io ok write "$dev" 600000 8 --pattern 4 || return 1
	_sf_msg sf list
	_sf_expect_io ok read "$dev" 600000 8 --expect-pattern 4 || return 1
	_sf_expect_io EIO read "$dev" 599999 2
}
