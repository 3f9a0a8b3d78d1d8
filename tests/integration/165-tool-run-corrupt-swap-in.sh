#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail run corrupt-swap-in.plan: a heap page corrupted on its way back, the command reads wrong data (planload exits 3) and the record holds the traced corruption; the run leaves nothing behind"
# shellcheck source=tests/integration/lib-run.sh
. "$TESTS_DIR/lib-run.sh"

requires() {
	_have_program swapfail && _have_program planload && _have_program jsoncheck &&
		_have_program mkfs.ext4
}

test() {
	_run_scratch || return 1
	_run_plan "$PLANS/corrupt-swap-in.plan" planload 16 8000 1 || return 1
	_run_expect_passed || return 1
	[ "$(_run_json_field exit)" = 3 ] && grep -q '^corrupt page=' "$SWAPFAIL_RESULT/stderr" ||
		_fail "planload: exit $(_run_json_field exit), expected 3 (corrupt)" || return 1
	grep -q '"record": "corrupt", "event": {[^}]*"bytes": 8,' "$SWAPFAIL_RESULT/record" ||
		_fail "no 8-byte corruption in the record" || return 1
	echo "read back wrong, as traced"
	_run_nothing_left
}
