#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a suspend sends held I/O on as it is, and holds nothing until the resume; the table keeps the extent"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 40 8 --pattern 6 >/dev/null || return 1
	_sf_msg sf add 5 hold || return 1
	sfio read /dev/mapper/sf 40 8 --expect-pattern 6 >"$SWAPFAIL_RESULT/a" &
	_sf_wait_field sf holding 1 || return 1
	dmsetup suspend sf || return 1
	wait
	cat "$SWAPFAIL_RESULT/a"
	dmsetup resume sf || return 1
	_sf_msg sf list
	sfio read /dev/mapper/sf 40 8 >"$SWAPFAIL_RESULT/b" &
	_sf_wait_field sf holding 1 || return 1
	_sf_msg sf release || return 1
	wait
}
