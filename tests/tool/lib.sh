#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Helpers of the host-side tool tests (run sources this before each test).

# sf ARG...: the tool under test.
sf() {
	"$SWAPFAIL" "$@"
}

fail() {
	echo "FAIL: $*" >&2
	return 1
}

# expect STATUS PATTERN ARG...: swapfail ARG... exits STATUS and its
# stderr matches the extended regex PATTERN ("" for none wanted).
expect() {
	local want=$1 pattern=$2 rc
	shift 2
	sf "$@" >out 2>err
	rc=$?
	[ "$rc" -eq "$want" ] ||
		fail "swapfail $*: exit $rc, expected $want: $(head -n 2 err)" || return 1
	[ -z "$pattern" ] || grep -E -q -e "$pattern" err ||
		fail "swapfail $*: stderr does not match '$pattern': $(head -n 2 err)"
}
