#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail run slow-disk.plan: with every swap-in delayed, the command still reads back every page intact and exits 0; the run leaves nothing behind"
# shellcheck source=tests/integration/lib-run.sh
. "$TESTS_DIR/lib-run.sh"

requires() {
	_have_program swapfail && _have_program planload && _have_program jsoncheck &&
		_have_program mkfs.ext4
}

test() {
	_run_scratch || return 1
	_run_plan "$PLANS/slow-disk.plan" planload 40 0 1 || return 1
	_run_expect_passed || return 1
	[ "$(_run_json_field exit)" = 0 ] && grep -q '^intact ' "$SWAPFAIL_RESULT/stderr" ||
		_fail "planload: exit $(_run_json_field exit)" || return 1
	grep -q '"record": "fault", "event": {[^}]*"action": "delay"' "$SWAPFAIL_RESULT/record" ||
		_fail "no delay fault in the record" || return 1
	echo "intact, delayed"
	_run_nothing_left
}
