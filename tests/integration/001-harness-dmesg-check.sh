#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2034 # DESCRIPTION is read by run
DESCRIPTION="harness: _expect_dmesg sees the test's kernel log lines, which are no problem"

test() {
	_kmsg "hello from the harness"
	echo "swapfail-harness: plain line" >/dev/kmsg
	_expect_dmesg "swapfail-test: 001-harness-dmesg-check: hello from the harness" || return 1
	_expect_dmesg '^\[ *[0-9.]+\] swapfail-harness: plain line$' || return 1
	if _expect_dmesg "no such line here" 2>/dev/null; then
		_fail "_expect_dmesg matched a line that was never logged"
		return 1
	fi
	echo "dmesg checks done"
}
