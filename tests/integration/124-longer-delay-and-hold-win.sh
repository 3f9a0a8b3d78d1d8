#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="timing actions compose: of two delays the longer applies (extent and trigger, or two extents), and a hold beats a delay"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the trigger's delay replaces the extent's, the extent at the lowest
# block decides alone, and a trigger's delay replaces an extent's hold. The short delays
# are 1 ms, the long ones 2 s: a loaded host can slow a read by a few hundred ms.

# _at_least MS SECTOR SECTORS: a read that must take MS ms or more.
_at_least() {
	_al_ms=$(_ms sfio read /dev/mapper/sf "$2" "$3")
	echo "read of sector $2: $_al_ms ms" >&2
	[ "$_al_ms" -ge "$1" ] || _fail "the read of sector $2 took $_al_ms ms, not $1"
}

_test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	echo "-- extent delay=2s, every_nth_read 1 delay=1ms"
	_sf_msg sf add 5 delay=2s || return 1
	_sf_msg sf every_nth_read 1 delay=1ms || return 1
	_at_least 1990 40 8 || return 1
	_sf_msg sf every_nth_read 0 || return 1
	echo "-- block 10 delay=1ms, block 11 delay=2s: a read of both"
	_sf_msg sf add 10 delay=1ms || return 1
	_sf_msg sf add 11 delay=2s || return 1
	_at_least 1990 80 16 || return 1
	_sf_expect_field sf delayed 2 || return 1
	echo "-- extent hold, every_nth_read 1 delay=1ms"
	_sf_msg sf add 20 hold || return 1
	_sf_msg sf every_nth_read 1 delay=1ms || return 1
	sfio read /dev/mapper/sf 160 8 >"$SWAPFAIL_RESULT/r" &
	pid=$!
	sleep 1
	_still_waiting $pid "$SWAPFAIL_RESULT/r" || return 1
	_sf_expect_field sf holding 1 || return 1
	_sf_msg sf release || return 1
	wait $pid
	cat "$SWAPFAIL_RESULT/r"
}

test() {
	_release_after _test
}
