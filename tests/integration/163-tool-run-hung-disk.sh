#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail run hung-disk.plan: swap-ins held for 5 s ('for 5s' undoes the trigger and sends them on), the command then reads back every page intact; the run leaves nothing behind"
# shellcheck source=tests/integration/lib-run.sh
. "$TESTS_DIR/lib-run.sh"

requires() {
	_have_program swapfail && _have_program planload && _have_program jsoncheck &&
		_have_program mkfs.ext4
}

test() {
	_run_scratch || return 1
	_run_plan "$PLANS/hung-disk.plan" planload 16 6000 1 || return 1
	_run_expect_passed || return 1
	[ "$(_run_json_field exit)" = 0 ] || _fail "planload: exit $(_run_json_field exit)" ||
		return 1
	grep -q '"verb": "every-nth", "ran": [0-9.]*, "exit": 0, "message": null, "undone": [0-9.]*}' \
		"$SWAPFAIL_RESULT/summary" || _fail "the hold was not undone" || return 1
	grep -q '"record": "undo"' "$SWAPFAIL_RESULT/record" ||
		_fail "no undo in the record" || return 1
	echo "held, released, intact"
	_run_nothing_left
}
