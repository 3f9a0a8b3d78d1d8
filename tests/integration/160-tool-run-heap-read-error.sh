#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail run heap-read-error.plan: the command dies of SIGBUS (BUS_ADRERR) at an address of its heap, the kernel logs the read error, and the run leaves nothing behind"
# shellcheck source=tests/integration/lib-run.sh
. "$TESTS_DIR/lib-run.sh"

requires() {
	_have_program swapfail && _have_program planload && _have_program jsoncheck &&
		_have_program mkfs.ext4
}

test() {
	_run_scratch || return 1
	_run_plan "$PLANS/heap-read-error.plan" planload 16 8000 1 || return 1
	_run_expect_passed || return 1
	[ "$(_run_json_field signal)" = SIGBUS ] ||
		_fail "killed by $(_run_json_field signal), not SIGBUS" || return 1
	[ "$(_run_json_field code_name)" = BUS_ADRERR ] ||
		_fail "si_code $(_run_json_field code_name)" || return 1
	# the address is one of planload's heap pages ("ready ADDR PAGES")
	base=$(awk '$1 == "ready" { print $2 }' "$SWAPFAIL_RESULT/stderr")
	pages=$(awk '$1 == "ready" { print $3 }' "$SWAPFAIL_RESULT/stderr")
	addr=$(_run_json_field addr)
	[ $((addr)) -ge $((base)) ] && [ $((addr)) -lt $((base + pages * 4096)) ] ||
		_fail "SIGBUS at $addr, outside the heap $base + $pages pages" || return 1
	grep -q '"message": "add [0-9]*' "$SWAPFAIL_RESULT/summary" ||
		_fail "no add message for the target step" || return 1
	echo "SIGBUS BUS_ADRERR in the heap; $(_run_json_field kernel_lines) kernel lines"
	_run_nothing_left
}
