#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail run swap-out-fails.plan: with every swap-out failing, the command is OOM-killed in its 32M cgroup and the run ends and leaves nothing behind"
# shellcheck source=tests/integration/lib-run.sh
. "$TESTS_DIR/lib-run.sh"

requires() {
	_have_program swapfail && _have_program planload && _have_program jsoncheck &&
		_have_program mkfs.ext4
}

test() {
	_run_scratch || return 1
	_run_plan "$PLANS/swap-out-fails.plan" planload 64 0 3 || return 1
	_run_expect_passed || return 1
	[ "$(_run_json_field signal)" = SIGKILL ] && [ "$(_run_json_field oom_kills)" -ge 1 ] ||
		_fail "signal $(_run_json_field signal), OOM kills $(_run_json_field oom_kills)" ||
		return 1
	[ "$(_run_json_field timed_out)" = false ] || _fail "it timed out" || return 1
	echo "OOM-killed"
	_run_nothing_left
}
