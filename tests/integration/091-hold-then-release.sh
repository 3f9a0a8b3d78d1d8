#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="hold: a read waits, listed by held and counted in status, until release sends it on with its data"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 40 8 --pattern 6 >/dev/null || return 1
	_sf_msg sf add 5 hold || return 1
	sfio read /dev/mapper/sf 40 8 --expect-pattern 6 >"$SWAPFAIL_RESULT/read" &
	reader=$!
	_sf_wait_field sf holding 1 || return 1
	sleep 1
	pid_state=$(awk '{ print $3 }' "/proc/$reader/stat")
	[ -s "$SWAPFAIL_RESULT/read" ] && _fail "the held read completed" && return 1
	_sf_msg sf held | awk '{ print $1, $2, $4 }'
	_sf_msg sf release || return 1
	wait $reader
	cat "$SWAPFAIL_RESULT/read"
	echo "reader was in state $pid_state while held" >&2
	_sf_expect_field sf holding 0 || return 1
	_sf_reject sf release
}
