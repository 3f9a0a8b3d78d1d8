#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="corrupt on read: the reader gets the changed bytes the tracepoint records, the device keeps its data"

TRACE=/sys/kernel/tracing

requires() {
	[ -d $TRACE/events/dm_swapfail ] || mount -t tracefs none $TRACE 2>/dev/null
	[ -d $TRACE/events/dm_swapfail ] || { echo "no dm_swapfail trace events"; return 1; }
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 40 8 --pattern 6 >/dev/null || return 1
	before=$(sfio read /dev/mapper/sf 40 8 --dump 1000 8 | sed -n 's/^dump //p')
	_sf_msg sf add 5 corrupt=xor at=1000 bytes=8 xor=5a || return 1
	echo >$TRACE/trace
	echo 1 >$TRACE/events/dm_swapfail/enable
	got=$(sfio read /dev/mapper/sf 40 8 --dump 1000 8 | sed -n 's/^dump //p')
	echo 0 >$TRACE/events/dm_swapfail/enable
	traced=$(sed -n 's/.*swapfail_corrupt: .* offset=1000 bytes=8 before=\([0-9a-f]*\) after=\([0-9a-f]*\) fault=[0-9]*$/\1 \2/p' $TRACE/trace)
	[ "$traced" = "$before $got" ] ||
		_fail "read $before -> $got, traced $traced" || return 1
	[ "$got" != "$before" ] || _fail "nothing changed" || return 1
	grep -q "swapfail_fault: .* sector=40 sectors=8 read action=corrupt error=- by=extent fault=1 delay_ns=0" \
		$TRACE/trace || _fail "no fault event" || return 1
	_sf_msg sf remove 5 || return 1
	sfio read /dev/mapper/sf 40 8 --expect-pattern 6
	_sf_expect_field sf corrupted 1
}
