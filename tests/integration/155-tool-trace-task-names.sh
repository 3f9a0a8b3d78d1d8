#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail trace names the task each fault hit by its exact pid and name, a name with a blank ('Web Content') too, in text and in JSON, and for the verdict a worker sends after a delay"

requires() {
	_have_program swapfail || return 1
	[ -d /sys/kernel/tracing/events/dm_swapfail ] ||
		[ -d /sys/kernel/debug/tracing/events/dm_swapfail ] ||
		{ echo "no dm_swapfail trace events"; return 1; }
}

# traced [--count N] ARG...: trace sf --count N (default 1) ARG... while "Web Content"
# reads block 1.
traced() {
	_tr_count=1
	[ "${1:-}" != --count ] || { _tr_count=$2; shift 2; }
	swapfail trace sf --count "$_tr_count" "$@" >/tmp/trace.out &
	_tr_pid=$!
	_register_pid $_tr_pid
	sleep 2
	"/tmp/Web Content" read /dev/mapper/sf 8 8 >/dev/null &
	reader=$!
	wait $reader
	wait $_tr_pid || _fail "trace failed" || return 1
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --start-enabled --quiet >/dev/null || return 1
	swapfail add sf 1 --error ENODATA || return 1
	cp "$(command -v sfio)" "/tmp/Web Content"
	traced || return 1
	grep -q " fault pid=$reader comm=Web\\\\x20Content sector=8 block=1 dir=read " \
		/tmp/trace.out || _fail "text: $(cat /tmp/trace.out)" || return 1
	sed "s/^[0-9.]* /TIME /; s/pid=$reader/pid=PID/; s/fault=[0-9]*/fault=N/" /tmp/trace.out
	traced --json || return 1
	grep -q "\"pid\": $reader, \"comm\": \"Web Content\"" /tmp/trace.out ||
		_fail "json: $(cat /tmp/trace.out)" || return 1
	echo "json: pid and comm exact"
	# a delay, then the trigger's error: the second record is made by the worker
	# that sends the read on, the fault is still the reader's
	swapfail del sf 1 && swapfail add sf 1 --delay 20ms || return 1
	swapfail every-nth sf read 1 || return 1
	traced --count 2 || return 1
	sed "s/^[0-9.]* /TIME /; s/pid=$reader/pid=PID/; s/fault=[0-9]*/fault=N/" /tmp/trace.out
}
