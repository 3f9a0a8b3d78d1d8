#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail run lost-writes.plan: swap-outs lost, the command reads back wrong data (planload exits 3, or dies of SIGSEGV on a lost page of its own) and nothing says so: no error, no kernel line of it; the run leaves nothing behind"
# shellcheck source=tests/integration/lib-run.sh
. "$TESTS_DIR/lib-run.sh"

requires() {
	_have_program swapfail && _have_program planload && _have_program jsoncheck &&
		_have_program mkfs.ext4
}

test() {
	_run_scratch || return 1
	_run_plan "$PLANS/lost-writes.plan" planload 16 8000 1 || return 1
	_run_expect_passed || return 1
	# wrong data found (3), or a lost page of the stack or libc: SIGSEGV
	ended="$(_run_json_field exit) $(_run_json_field signal)"
	case $ended in
	"3 null" | "null SIGSEGV") ;;
	*) _fail "planload ended '$ended', expected exit 3 or SIGSEGV"; return 1 ;;
	esac
	! grep -q 'error on swap-device' "$SWAPFAIL_RESULT/record" ||
		_fail "the kernel logged a swap error" || return 1
	echo "wrong data, silently"
	_run_nothing_left
}
