#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a corrupted write over a mode=read bad block heals it: the block reads back as written, then corrupted"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the corruption replaces the heal; the block still reads back as bad.
# Sector S holds the 32-bit value P + S: sector 40 of pattern 3 is 2b000000 repeated.

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	echo "-- every_nth_write 1 corrupt=xor at=100 bytes=4 over bad block 5"
	_sf_msg sf add 5 || return 1
	_sf_msg sf every_nth_write 1 corrupt=xor at=100 bytes=4 || return 1
	sfio write /dev/mapper/sf 40 8 --pattern 3 || return 1
	_sf_msg sf every_nth_write 0 || return 1
	sfio read /dev/mapper/sf 40 8 --expect-pattern 3 --dump 96 12
	sfio read /dev/mapper/sf 41 7 --expect-pattern 3
	_sf_msg sf query 5
	echo "-- bad block 10, and block 11 corrupts writes (at=0: its own first byte)"
	_sf_msg sf add 10 || return 1
	_sf_msg sf add 11 mode=write corrupt=xor at=0 bytes=2 || return 1
	sfio write /dev/mapper/sf 80 16 --pattern 4 || return 1
	sfio read /dev/mapper/sf 80 8 --expect-pattern 4
	sfio read /dev/mapper/sf 88 8 --expect-pattern 4 --dump 0 4
	_sf_msg sf query 10
	_sf_expect_field sf corrupted 2 || return 1
	_sf_expect_field sf healed 2
}
