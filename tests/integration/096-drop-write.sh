#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="drop: a write over the extent succeeds and writes nothing; the old data reads back"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 40 16 --pattern 6 || return 1
	_sf_msg sf add 5 mode=write drop || return 1
	sfio write /dev/mapper/sf 40 16 --pattern 9 || return 1
	sfio read /dev/mapper/sf 40 8 --expect-pattern 6 || return 1
	sfio read /dev/mapper/sf 48 8 --expect-pattern 6 || return 1
	sfio write /dev/mapper/sf 48 8 --pattern 9 || return 1
	sfio read /dev/mapper/sf 48 8 --expect-pattern 9 || return 1
	_sf_expect_field sf dropped 1
}
