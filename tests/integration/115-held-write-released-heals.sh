#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a held write over a mode=read bad block heals it once release sends it on, held by an extent it also covers or by a trigger"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the hold replaces the heal; the block still reads back as bad.

# _held_write SECTOR SECTORS PATTERN: a write held until release.
_held_write() {
	sfio write /dev/mapper/sf "$1" "$2" --pattern "$3" >"$SWAPFAIL_RESULT/w$1" &
	_hw_pid=$!
	_sf_wait_field sf holding 1 || return 1
	_still_waiting $_hw_pid "$SWAPFAIL_RESULT/w$1" || return 1
	_sf_msg sf release || return 1
	wait $_hw_pid
	cat "$SWAPFAIL_RESULT/w$1"
}

_test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	echo "-- bad block 5, and block 6 holds writes: a write of both"
	_sf_msg sf add 5 || return 1
	_sf_msg sf add 6 mode=write hold || return 1
	_held_write 40 16 3 || return 1
	sfio read /dev/mapper/sf 40 8 --expect-pattern 3
	_sf_msg sf query 5
	echo "-- every_nth_write 1 hold over bad block 20"
	_sf_msg sf add 20 || return 1
	_sf_msg sf every_nth_write 1 hold || return 1
	_held_write 160 8 4 || return 1
	_sf_msg sf every_nth_write 0 || return 1
	sfio read /dev/mapper/sf 160 8 --expect-pattern 4
	_sf_msg sf query 20
	_sf_expect_field sf healed 2
}

test() {
	_release_after _test
}
