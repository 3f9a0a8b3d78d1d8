#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail trace removes its trace instance whatever ends it: its reader gone (trace | head -n 1, exit 0), a signal (SIGTERM; SIGINT and SIGHUP are caught alike); and the instance of a trace killed with SIGKILL goes with the next trace"

requires() {
	_have_program swapfail || return 1
	[ -d /sys/kernel/tracing/events/dm_swapfail ] ||
		[ -d /sys/kernel/debug/tracing/events/dm_swapfail ] ||
		{ echo "no dm_swapfail trace events"; return 1; }
}

# instances: how many trace instances of swapfail there are (tracefs may be
# mounted twice, on /sys/kernel/tracing and under debugfs: one of them).
instances() {
	_in=/sys/kernel/tracing/instances
	[ -d $_in ] || _in=/sys/kernel/debug/tracing/instances
	find $_in -maxdepth 1 -name 'swapfail-*' 2>/dev/null | wc -l
}

# wait_instance [PID]: until the trace instance of swapfail PID (any, without
# PID) exists and its events are on: the trace is set up.
wait_instance() {
	_wi=100
	_wp=${1:-[0-9]*}
	# shellcheck disable=SC2086 # $_wp may be a pattern
	until [ "$(cat /sys/kernel/tracing/instances/swapfail-$_wp/events/dm_swapfail/enable \
		  /sys/kernel/debug/tracing/instances/swapfail-$_wp/events/dm_swapfail/enable \
		  2>/dev/null | head -n 1)" = 1 ] || [ $_wi -eq 0 ]; do
		sleep 0.1
		_wi=$((_wi - 1))
	done
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --start-enabled --quiet >/dev/null || return 1
	swapfail add sf 1 || return 1

	# head takes one line and goes; the next write fails (EPIPE): trace ends
	rm -f /tmp/trace.rc
	( (swapfail trace sf; echo $? >/tmp/trace.rc) | head -n 1 >/tmp/head) &
	pipeline=$!
	_register_pid $pipeline
	wait_instance
	tries=20
	while kill -0 $pipeline 2>/dev/null && [ $tries -gt 0 ]; do
		sfio read /dev/mapper/sf 8 8 >/dev/null
		sleep 0.3
		tries=$((tries - 1))
	done
	! kill -0 $pipeline 2>/dev/null || _fail "trace | head -n 1 never ended" ||
		return 1
	echo "| head -n 1: $(wc -l </tmp/head) line, exit $(cat /tmp/trace.rc), $(instances) instance(s) left"

	# each trace turns the kernel's tracepoints on and off, which patches
	# its code: one signal, not all three, under an emulator
	swapfail trace sf >/dev/null &
	tracer=$!
	_register_pid $tracer
	wait_instance $tracer
	kill -TERM $tracer
	wait $tracer
	echo "SIGTERM: exit $?, $(instances) instance(s) left"

	swapfail trace sf >/dev/null &
	tracer=$!
	wait_instance $tracer
	kill -KILL $tracer
	wait $tracer
	echo "SIGKILL: $(instances) instance(s) left"
	swapfail trace sf --count 1 >/dev/null &
	tracer=$!
	_register_pid $tracer
	wait_instance $tracer
	sfio read /dev/mapper/sf 8 8 >/dev/null
	wait $tracer
	echo "the next trace: $(instances) instance(s) left"
}
