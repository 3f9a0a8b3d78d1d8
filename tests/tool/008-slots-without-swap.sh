#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="slots with no swap area at all says so and exits 5 (with --json: a failure object), not a bare heading and 0"

test() {
	[ "$(wc -l </proc/swaps)" -le 1 ] || { echo "this machine has swap"; return 4; }
	[ -r "/proc/$$/pagemap" ] || { echo "no pagemap"; return 4; }
	expect 5 "no swap area is active" slots --pid $$ || return 1
	[ ! -s out ] || fail "something on stdout: $(cat out)" || return 1
	sf slots --pid $$ --json >out 2>/dev/null
	"$JSONCHECK" failure <out || fail "slots --json: $(cat out)" || return 1
	grep -q '"exit": 5' out || fail "slots --json: $(cat out)"
}
