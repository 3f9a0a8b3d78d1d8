#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail run whose command dies at once (exit 7) or cannot be run (127): the timeline stops, the summary says how the command ended and which steps never ran, and the run leaves nothing behind"
# shellcheck source=tests/integration/lib-run.sh
. "$TESTS_DIR/lib-run.sh"

requires() {
	_have_program swapfail && _have_program jsoncheck && _have_program mkfs.ext4
}

test() {
	_run_scratch || return 1
	_run_plan "$PLANS/heap-read-error.plan" sh -c 'exit 7' || return 1
	[ "$RUN_RC" -eq 1 ] || _fail "run: exit $RUN_RC, expected 1 (expectations)" ||
		return 1
	[ "$(_run_json_field exit)" = 7 ] || _fail "exit $(_run_json_field exit)" || return 1
	grep -q '"verb": "target", "ran": null' "$SWAPFAIL_RESULT/summary" ||
		_fail "a step ran after the command's end" || return 1
	_run_nothing_left || return 1
	_run_plan "$PLANS/heap-read-error.plan" /nonexistent || return 1
	[ "$(_run_json_field exit)" = 127 ] || _fail "exit $(_run_json_field exit)" || return 1
	grep -q "cannot run /nonexistent" "$SWAPFAIL_RESULT/stderr" ||
		_fail "no word of why: $(cat "$SWAPFAIL_RESULT/stderr")" || return 1
	echo "exit 7; exit 127"
	_run_nothing_left
}
