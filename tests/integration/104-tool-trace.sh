#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail trace prints each fault injected on its device, with the task it hit and a corruption's bytes, and nothing of another device; it leaves no trace instance behind"

requires() {
	_have_program swapfail || return 1
	[ -d /sys/kernel/tracing/events ] ||
		mount -t tracefs none /sys/kernel/tracing 2>/dev/null
	[ -d /sys/kernel/tracing/events/dm_swapfail ] ||
		{ echo "no dm_swapfail trace events"; return 1; }
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	_register_dm other
	swapfail create sf "$disk" --start-enabled --quiet >/dev/null || return 1
	swapfail create other "$disk" --start-enabled --quiet >/dev/null || return 1
	sfio write /dev/mapper/sf 0 64 --pattern 6 >/dev/null || return 1
	swapfail add sf 1 --error ENODATA || return 1
	swapfail add sf 2 --corrupt xor --at 1 --bytes 2 --xor ff || return 1
	swapfail add other 1 || return 1

	swapfail trace sf --count 3 >"$SWAPFAIL_RESULT/trace" &
	tracer=$!
	# ready once it has enabled the events of its instance, its last step
	tries=300
	while [ "$(cat /sys/kernel/tracing/instances/swapfail-*/events/dm_swapfail/enable \
		  2>/dev/null)" != 1 ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	# three faults on sf (the second with its corruption), one on other
	sfio read /dev/mapper/other 8 8
	sfio read /dev/mapper/sf 8 8
	sfio read /dev/mapper/sf 16 8 --expect-pattern 6
	sfio read /dev/mapper/sf 8 8
	(sleep 60 && kill $tracer && echo >"$SWAPFAIL_RESULT/timeout") >/dev/null 2>&1 &
	killer=$!
	wait $tracer || _fail "swapfail trace failed" || return 1
	kill $killer 2>/dev/null
	[ ! -e "$SWAPFAIL_RESULT/timeout" ] ||
		_fail "swapfail trace saw fewer than 3 faults in 60 s" || return 1
	# TIME EVENT pid=PID comm=NAME ...: the time and pid vary; the name is
	# sfio's, from /proc or from what the kernel kept of the task
	awk '$3 !~ /^pid=[0-9]+$/ { print "bad pid: " $0 }
	     { $1 = ""; $3 = "pid=PID"; print substr($0, 2) }' "$SWAPFAIL_RESULT/trace"
	grep -q '^[0-9.]* fault pid=[0-9]* comm=sfio ' "$SWAPFAIL_RESULT/trace" ||
		_fail "no fault names sfio" || return 1
	left=0
	for i in /sys/kernel/tracing/instances/swapfail-*; do
		[ -e "$i" ] && left=$((left + 1)) && echo "left: $i"
	done
	echo "instances left: $left"
}
