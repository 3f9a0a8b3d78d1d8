#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail run lost-writes.plan: the heap's swap-outs lost, the command reads back wrong data (planload exits 3) and nothing says so: no error, no kernel line of it; the run leaves nothing behind"
# shellcheck source=tests/integration/lib-run.sh
. "$TESTS_DIR/lib-run.sh"

requires() {
	_have_program swapfail && _have_program planload && _have_program jsoncheck &&
		_have_program mkfs.ext4
}

test() {
	_run_scratch || return 1
	_run_plan "$PLANS/lost-writes.plan" planload 16 5000 1 || return 1
	_run_expect_passed || return 1
	[ "$(_run_json_field exit)" = 3 ] && grep -q '^corrupt page=' "$SWAPFAIL_RESULT/stderr" ||
		_fail "planload: exit $(_run_json_field exit), expected 3 (corrupt)" || return 1
	! grep -q 'error on swap-device' "$SWAPFAIL_RESULT/record" ||
		_fail "the kernel logged a swap error" || return 1
	echo "read back wrong, silently"
	_run_nothing_left
}
