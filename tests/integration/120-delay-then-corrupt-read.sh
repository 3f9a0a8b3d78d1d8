#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="delay and corrupt on a read: it is delayed, then corrupted, whether the extent delays and the trigger corrupts or the other way round"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the trigger's action replaces the extent's: corrupted but not delayed,
# or delayed but not corrupted.
# Sector S holds the 32-bit value P + S: sector 40 of pattern 6 is 2e000000 repeated,
# sector 56 is 3e000000.

# _timed_read SECTOR: a dump of 4 bytes at 8 of a read of one block; fails under 1.5 s
# (the delay: long, as a loaded host can slow a read by a few hundred ms).
_timed_read() {
	timeit sfio read /dev/mapper/sf "$1" 8 --dump 8 4 2>"$SWAPFAIL_RESULT/time"
	_tr_ms=$(awk '/^timeit: / { printf "%d\n", $2 * 1000 }' "$SWAPFAIL_RESULT/time")
	[ "$_tr_ms" -ge 1490 ] || _fail "the read took $_tr_ms ms"
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 0 256 --pattern 6 >/dev/null || return 1
	echo "-- extent delay=1500ms, every_nth_read 1 corrupt=xor at=8 bytes=4"
	_sf_msg sf add 5 delay=1500ms || return 1
	_sf_msg sf every_nth_read 1 corrupt=xor at=8 bytes=4 || return 1
	_timed_read 40 || return 1
	echo "-- extent corrupt=xor at=8 bytes=4, every_nth_read 1 delay=1500ms"
	_sf_msg sf add 7 corrupt=xor at=8 bytes=4 || return 1
	_sf_msg sf every_nth_read 1 delay=1500ms || return 1
	_timed_read 56 || return 1
	_sf_msg sf every_nth_read 0 || return 1
	_sf_expect_field sf delayed 2 || return 1
	_sf_expect_field sf corrupted 2
}
