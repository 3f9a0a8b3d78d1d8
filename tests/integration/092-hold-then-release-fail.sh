#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="release fail error=E completes held I/O with E; release of a range leaves the others held"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_sf_msg sf add 5-6 mode=rw hold || return 1
	sfio read /dev/mapper/sf 40 8 >"$SWAPFAIL_RESULT/a" &
	sfio write /dev/mapper/sf 48 8 --pattern 2 >"$SWAPFAIL_RESULT/b" &
	tries=50
	while [ "$(_sf_field sf holding)" -ne 2 ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	_sf_expect_field sf holding 2 || return 1
	_sf_msg sf release fail error=ENOLINK 6 || return 1
	tries=50
	while [ ! -s "$SWAPFAIL_RESULT/b" ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	cat "$SWAPFAIL_RESULT/b"
	_sf_expect_field sf holding 1 || return 1
	_sf_msg sf release fail || return 1
	wait
	cat "$SWAPFAIL_RESULT/a"
}
