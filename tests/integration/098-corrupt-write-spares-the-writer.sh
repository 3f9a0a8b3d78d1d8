#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="corrupt on write: the device stores changed bytes, the writer's buffer stays as it was, the rest is intact"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_sf_msg sf add 5 mode=write corrupt=random at=4090 bytes=12 seed=11 || return 1
	# 4090..4101: across the first and second pages of a 16 KiB write
	sfio write /dev/mapper/sf 40 32 --pattern 4 || return 1
	_sf_msg sf remove 5 || return 1
	sfio read /dev/mapper/sf 40 7 --expect-pattern 4 || return 1
	sfio read /dev/mapper/sf 49 23 --expect-pattern 4 || return 1
	sfio read /dev/mapper/sf 47 2 --expect-pattern 4
	_sf_expect_field sf corrupted 1
}
