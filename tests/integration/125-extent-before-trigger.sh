#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="among equal verdicts the extent at the lowest block decides, and an extent before a trigger: its error, or its corruption"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: a trigger that fires decides alone, before the table.
# Sector S holds the 32-bit value P + S: sector 160 of pattern 6 is a6000000 repeated.

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 0 256 --pattern 6 >/dev/null || return 1
	echo "-- bad block 5 (ENODATA), every_nth_read 1 error=ETIMEDOUT"
	_sf_msg sf add 5 error=ENODATA || return 1
	_sf_msg sf every_nth_read 1 error=ETIMEDOUT || return 1
	sfio read /dev/mapper/sf 40 8
	_sf_msg sf every_nth_read 0 || return 1
	echo "-- bad blocks 10 (ENOLINK) and 11 (ENODATA): a read of both"
	_sf_msg sf add 10 error=ENOLINK || return 1
	_sf_msg sf add 11 error=ENODATA || return 1
	sfio read /dev/mapper/sf 80 16
	echo "-- block 20 corrupt=xor at=0 xor=0f, every_nth_read 1 corrupt=xor at=8 xor=f0"
	_sf_msg sf add 20 corrupt=xor at=0 xor=0f || return 1
	_sf_msg sf every_nth_read 1 corrupt=xor at=8 xor=f0 || return 1
	sfio read /dev/mapper/sf 160 8 --dump 0 12
	_sf_msg sf every_nth_read 0 || return 1
	_sf_expect_field sf corrupted 1
}
