#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="remove of a device with held I/O: a plain remove is refused (busy) and holds on; remove --force sends the held read on as it is, and the device goes"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 40 8 --pattern 6 >/dev/null || return 1
	_sf_msg sf add 5 hold || return 1
	sfio read /dev/mapper/sf 40 8 --expect-pattern 6 >"$SWAPFAIL_RESULT/read" &
	reader=$!
	_sf_wait_field sf holding 1 || return 1

	# the reader holds the device open: a plain remove is refused
	dmsetup remove sf 2>/dev/null && _fail "removed a device in use" && return 1
	_sf_expect_field sf holding 1 || return 1
	[ -s "$SWAPFAIL_RESULT/read" ] && _fail "the held read completed" && return 1

	# --force swaps in a table that fails I/O, suspending this one first:
	# presuspend sends the held read on, with its data
	dmsetup remove --force sf 2>/dev/null
	wait $reader
	echo "reader: $(cat "$SWAPFAIL_RESULT/read")"
	if dmsetup info sf >/dev/null 2>&1; then
		dmsetup remove sf || return 1
	fi
	dmsetup info sf >/dev/null 2>&1 && _fail "sf is still there" && return 1
	echo "removed"
}
