#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail run interrupted by SIGINT while its command sleeps and its faults are in place: it ends the command, tears down and says so (exit 1, interrupted SIGINT), leaving no device, swap area, cgroup, trace instance, loop device or mount"
# shellcheck source=tests/integration/lib-run.sh
. "$TESTS_DIR/lib-run.sh"

requires() {
	_have_program swapfail && _have_program planload && _have_program jsoncheck &&
		_have_program mkfs.ext4
}

test() {
	_run_scratch || return 1
	swapfail run "$PLANS/heap-read-error.plan" --json --record "$SWAPFAIL_RESULT/record" \
		-- planload 16 600000 1 >"$SWAPFAIL_RESULT/summary" 2>"$SWAPFAIL_RESULT/stderr" &
	run=$!
	_register_pid $run
	# interrupted once the target step is done: a device, swap, cgroup, extents
	tries=600
	until grep -q '"record": "step", "line": [0-9]*, "argv": \["target"' \
		"$SWAPFAIL_RESULT/record" 2>/dev/null; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || _fail "the target step never ran" || return 1
		sleep 0.1
	done
	kill -INT $run
	wait $run
	RUN_RC=$?
	[ "$RUN_RC" -eq 1 ] || _fail "run: exit $RUN_RC, expected 1" || return 1
	jsoncheck run <"$SWAPFAIL_RESULT/summary" || _fail "no run summary" || return 1
	[ "$(_run_json_field interrupted)" = SIGINT ] ||
		_fail "interrupted: $(_run_json_field interrupted)" || return 1
	[ "$(_run_json_field passed)" = false ] || _fail "an interrupted run passed" ||
		return 1
	echo "interrupted by SIGINT, command $(_run_json_field signal)"
	_run_nothing_left
}
