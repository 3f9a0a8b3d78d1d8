#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="enabled, a bad block fails reads with EIO until a write heals it; bypassed, nothing fails or heals"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 512 || return 1
	dev=/dev/mapper/sf
	_sf_expect_io ok write "$dev" 60 4 --pattern 100 || return 1
	_sf_msg sf addbadblock 61 || return 1
	_sf_expect_field sf mode bypass || return 1
	_sf_expect_io ok read "$dev" 60 4 --expect-pattern 100 || return 1
	_sf_expect_io ok write "$dev" 61 1 --pattern 100 || return 1
	_sf_msg sf queryblock 61

	_sf_msg sf enable || return 1
	_sf_expect_field sf mode enabled || return 1
	_sf_expect_io EIO read "$dev" 61 1 || return 1
	_sf_expect_io EIO read "$dev" 60 4 || return 1
	_sf_expect_io ok read "$dev" 60 1 --expect-pattern 100 || return 1
	_sf_expect_io ok read "$dev" 62 2 --expect-pattern 100 || return 1

	_sf_expect_io ok write "$dev" 61 1 --pattern 555 || return 1
	_sf_msg sf queryblock 61
	_sf_expect_io ok read "$dev" 61 1 --expect-pattern 555 || return 1
	_sf_expect_field sf healed 1 || return 1
	_sf_expect_field sf read_errors 2 || return 1

	_sf_msg sf addbadblock 62 || return 1
	_sf_msg sf disable || return 1
	_sf_expect_io ok read "$dev" 62 1 --expect-pattern 100
}
