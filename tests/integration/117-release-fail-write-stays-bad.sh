#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="release fail on a held write over a mode=read bad block: the write fails, the block stays bad, and release fail counts in write_errors and read_errors"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the failed write and read are not counted.

_test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_sf_msg sf add 5 || return 1
	_sf_msg sf add 6 mode=write hold || return 1
	sfio write /dev/mapper/sf 40 16 --pattern 3 >"$SWAPFAIL_RESULT/w" &
	pid=$!
	_sf_wait_field sf holding 1 || return 1
	_sf_msg sf release fail || return 1
	wait $pid
	cat "$SWAPFAIL_RESULT/w"
	_sf_expect_field sf write_errors 1 || return 1
	_sf_expect_field sf read_errors 0 || return 1
	sfio read /dev/mapper/sf 40 8
	_sf_msg sf query 5
	_sf_expect_field sf healed 0 || return 1
	_sf_expect_field sf read_errors 1 || return 1

	_sf_msg sf add 7 hold || return 1
	sfio read /dev/mapper/sf 56 8 >"$SWAPFAIL_RESULT/r" &
	pid=$!
	_sf_wait_field sf holding 1 || return 1
	_sf_msg sf release fail error=ENODATA || return 1
	wait $pid
	cat "$SWAPFAIL_RESULT/r"
	_sf_expect_field sf read_errors 2 || return 1
	_sf_expect_field sf write_errors 1
}

test() {
	_release_after _test
}
