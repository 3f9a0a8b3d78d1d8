#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="hold and drop: a write that a hold extent holds and every_nth_write drops waits until release, then succeeds and writes nothing"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the trigger's drop replaces the hold; the write completes at once.

_test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write "$disk" 40 8 --pattern 2 >/dev/null || return 1
	_sf_msg sf add 5 mode=write hold || return 1
	_sf_msg sf every_nth_write 1 drop || return 1
	sfio write /dev/mapper/sf 40 8 --pattern 3 >"$SWAPFAIL_RESULT/w" &
	pid=$!
	_sf_wait_field sf holding 1 || return 1
	sleep 0.5
	_still_waiting $pid "$SWAPFAIL_RESULT/w" || return 1
	_sf_msg sf release || return 1
	wait $pid
	cat "$SWAPFAIL_RESULT/w"
	_sf_msg sf every_nth_write 0 || return 1
	sfio read "$disk" 40 8 --expect-pattern 2
	_sf_expect_field sf held 1 || return 1
	_sf_expect_field sf dropped 1
}

test() {
	_release_after _test
}
