#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="disable sends held and delayed I/O on as it is, and a removed extent sends on what it held"

# _wait_holding N: until status says N I/Os are held.
_wait_holding() {
	tries=50
	while [ "$(_sf_field sf holding)" -ne "$1" ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	_sf_expect_field sf holding "$1"
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_sf_msg sf add 5 hold || return 1
	_sf_msg sf add 7 delay=60s || return 1
	sfio read /dev/mapper/sf 40 8 >"$SWAPFAIL_RESULT/a" &
	sfio read /dev/mapper/sf 56 8 >"$SWAPFAIL_RESULT/b" &
	_wait_holding 1 || return 1
	_sf_msg sf disable || return 1
	wait
	cat "$SWAPFAIL_RESULT/a" "$SWAPFAIL_RESULT/b"
	_sf_msg sf enable || return 1
	sfio read /dev/mapper/sf 40 8 >"$SWAPFAIL_RESULT/c" &
	_wait_holding 1 || return 1
	_sf_msg sf remove 5 || return 1
	wait
	cat "$SWAPFAIL_RESULT/c"
}
