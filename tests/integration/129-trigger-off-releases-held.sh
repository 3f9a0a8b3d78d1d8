#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a hold trigger switched off (every_nth_write 0, probability_write 0, every_nth_read 0) releases the I/O it held, with its data"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: switching the trigger off leaves what it held held, with no limit.

# _held_then_off SECTOR ON OFF IO...: IO (an sfio command line) held by the trigger
# message ON, then the message OFF: right after it, nothing is held and IO completes.
_held_then_off() {
	_ho_out=$SWAPFAIL_RESULT/io$1
	_ho_on=$2
	_ho_off=$3
	shift 3
	# shellcheck disable=SC2086 # the words of the messages
	_sf_msg sf $_ho_on || return 1
	sfio "$@" >"$_ho_out" &
	_ho_pid=$!
	_sf_wait_field sf holding 1 || return 1
	_still_waiting $_ho_pid "$_ho_out" || return 1
	# shellcheck disable=SC2086
	_sf_msg sf $_ho_off || return 1
	_sf_expect_field sf holding 0 || return 1
	_wait_file "$_ho_out" 30 || return 1
	wait $_ho_pid
	cat "$_ho_out"
}

_test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 0 256 --pattern 6 >/dev/null || return 1
	_held_then_off 40 "every_nth_write 1 hold" "every_nth_write 0" \
		write /dev/mapper/sf 40 8 --pattern 6 || return 1
	_held_then_off 48 "probability_write 1 hold=60s" "probability_write 0" \
		write /dev/mapper/sf 48 8 --pattern 6 || return 1
	_held_then_off 56 "every_nth_read 1 hold" "every_nth_read 0" \
		read /dev/mapper/sf 56 8 --expect-pattern 6 || return 1
	_sf_expect_field sf held 3
}

test() {
	_release_after _test
}
