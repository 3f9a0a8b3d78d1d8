#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a dropped write over a mode=read bad block succeeds, writes nothing and heals nothing: the block stays bad, dropped by an extent it also covers or by a trigger"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# A guard for the composition rule (issue 16): 2.0.0 passed it too.

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write "$disk" 0 256 --pattern 2 >/dev/null || return 1
	echo "-- bad block 5, and block 6 drops writes: a write of both"
	_sf_msg sf add 5 || return 1
	_sf_msg sf add 6 mode=write drop || return 1
	sfio write /dev/mapper/sf 40 16 --pattern 3
	sfio read /dev/mapper/sf 40 8
	sfio read "$disk" 40 16 --expect-pattern 2
	_sf_msg sf query 5
	echo "-- every_nth_write 1 drop over bad block 20"
	_sf_msg sf add 20 || return 1
	_sf_msg sf every_nth_write 1 drop || return 1
	sfio write /dev/mapper/sf 160 8 --pattern 4
	_sf_msg sf every_nth_write 0 || return 1
	sfio read /dev/mapper/sf 160 8
	sfio read "$disk" 160 8 --expect-pattern 2
	_sf_msg sf query 20
	_sf_expect_field sf dropped 2 || return 1
	_sf_expect_field sf healed 0
}
