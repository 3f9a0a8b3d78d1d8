#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="output lost to a full disk is an error (exit 1, 'write error'), as util-linux's close_stdout(); a reader that went away is not"

test() {
	local rc

	[ -w /dev/full ] || { echo "no /dev/full"; return 4; }
	sf help >/dev/full 2>err
	rc=$?
	[ $rc -eq 1 ] && grep -q "write error: No space left on device" err ||
		fail "help >/dev/full: exit $rc, $(cat err)" || return 1
	sf --version >/dev/full 2>err
	rc=$?
	[ $rc -eq 1 ] || fail "--version >/dev/full: exit $rc" || return 1
	# a JSON object that could not be written: exit 1, whatever it said
	sf run --check --json "$REPO/tools/plans/heap-read-error.plan" \
		>/dev/full 2>err
	rc=$?
	[ $rc -eq 1 ] || fail "run --check --json >/dev/full: exit $rc" || return 1
	# head took what it wanted: no message, exit 0
	sf help 2>err | head -n 1 >/dev/null
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] || fail "help | head -n 1: exit $rc" || return 1
	[ ! -s err ] || fail "help | head -n 1: $(cat err)"
}
