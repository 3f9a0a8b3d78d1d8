#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="the --json of every verb that prints (create, ls, status, watch, held, list, query, count, slots, target, pageout, resolve, trace) matches the man page's schema for it, NDJSON one object a line"

requires() {
	_have_program swapfail && _have_program jsoncheck
}

# check TYPE ARG...: swapfail ARG... --json, its output of schema TYPE.
check() {
	_ck_type=$1
	shift
	swapfail "$@" --json >/tmp/json.out 2>/tmp/json.err ||
		_fail "swapfail $*: $(cat /tmp/json.err)" || return 1
	jsoncheck "$_ck_type" </tmp/json.out ||
		_fail "swapfail $* --json is no $_ck_type: $(head -c 600 /tmp/json.out)" ||
		return 1
	echo "$_ck_type: $(wc -l </tmp/json.out) line(s)"
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	check create create sf "$disk" --start-enabled --quiet || return 1
	_swap_on /dev/mapper/sf || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 32 || return 1
	swapfail add sf 100000 --hold=1m && swapfail add sf 100001-100002 --mode rw ||
		return 1
	sfio read /dev/mapper/sf 800000 8 >/dev/null &
	_register_pid $!
	_sf_wait_field sf holding 1 || return 1
	check ls ls || return 1
	check status status sf || return 1
	check watch watch sf --count 2 --interval 100ms || return 1
	check held held sf || return 1
	check list list sf || return 1
	check query query sf 100000-100009 5 || return 1
	check count count sf || return 1
	check slots slots --pid "$VICTIM_PID" || return 1
	check target target sf --pid "$VICTIM_PID" --addr "$(_page_addr 3)" || return 1
	check pageout pageout --pid "$VICTIM_PID" --addr "$(_page_addr 4)" --pages 2 ||
		return 1
	slot=$(_slot 3)
	check resolve resolve "$(dmsetup info -c --noheadings --separator : -o major,minor sf):$((slot * 8))" ||
		return 1
	# trace: a fault and a corruption, one object a line
	swapfail add sf 100010 --corrupt xor || return 1
	swapfail trace sf --count 2 --json >/tmp/trace.json &
	tracer=$!
	_register_pid $tracer
	tries=100
	until ls -d /sys/kernel/tracing/instances/swapfail-* \
		/sys/kernel/debug/tracing/instances/swapfail-* >/dev/null 2>&1 ||
		[ $tries -eq 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	sleep 1
	sfio read /dev/mapper/sf 800008 8 >/dev/null
	sfio read /dev/mapper/sf 800080 8 >/dev/null
	wait $tracer || _fail "trace failed" || return 1
	jsoncheck trace </tmp/trace.json || _fail "trace --json: $(cat /tmp/trace.json)" ||
		return 1
	echo "trace: $(wc -l </tmp/trace.json) line(s)"
	swapfail release sf
}
