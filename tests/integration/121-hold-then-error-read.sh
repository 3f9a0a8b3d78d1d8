#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="hold and error on a read: it is held, and fails with the error once released, whether the extent holds and the trigger fails or the other way round"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the trigger's action replaces the extent's: the read fails at once, or
# it is held and then returns the bad block's data.

# _held_read SECTOR: a read of one block, held until release; prints its outcome.
_held_read() {
	sfio read /dev/mapper/sf "$1" 8 >"$SWAPFAIL_RESULT/r$1" &
	_hr_pid=$!
	_sf_wait_field sf holding 1 || return 1
	sleep 0.5
	_still_waiting $_hr_pid "$SWAPFAIL_RESULT/r$1" || return 1
	_sf_msg sf release || return 1
	wait $_hr_pid
	cat "$SWAPFAIL_RESULT/r$1"
}

_test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	echo "-- extent hold, every_nth_read 1 (error)"
	_sf_msg sf add 5 hold || return 1
	_sf_msg sf every_nth_read 1 || return 1
	_held_read 40 || return 1
	echo "-- bad block 7 (error=ENODATA), every_nth_read 1 hold"
	_sf_msg sf add 7 error=ENODATA || return 1
	_sf_msg sf every_nth_read 1 hold || return 1
	_held_read 56 || return 1
	_sf_msg sf every_nth_read 0 || return 1
	_sf_expect_field sf held 2 || return 1
	_sf_expect_field sf read_errors 2
}

test() {
	_release_after _test
}
