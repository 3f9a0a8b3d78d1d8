#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="corrupted counts only I/Os whose data changed: a window past the end of the I/O changes nothing and is not counted"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# 2.0.0 counts every I/O it meant to corrupt.

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 0 256 --pattern 6 >/dev/null || return 1
	# 4 KiB reads and writes of one block: nothing from byte 4096 on
	_sf_msg sf add 5 corrupt=xor at=5000 bytes=4 || return 1
	_sf_msg sf add 6 mode=write corrupt=random at=4096 bytes=8 seed=1 || return 1
	sfio read /dev/mapper/sf 40 8 --expect-pattern 6
	sfio write /dev/mapper/sf 48 8 --pattern 6
	sfio read "$disk" 48 8 --expect-pattern 6
	_sf_expect_field sf corrupted 0 || return 1
	# 2 of its 4 bytes are in the I/O: it changes, and counts
	_sf_msg sf add 7 corrupt=xor at=4094 bytes=4 || return 1
	sfio read /dev/mapper/sf 56 8 --dump 4092 4
	_sf_expect_field sf corrupted 1
}
