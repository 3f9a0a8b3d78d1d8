#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="resolve refuses a sector that is no number or past 2^64-1 (exit 2, naming it), and input with no log line is a failure (1), not 'not in swap' (5)"

test() {
	expect 2 "'254:0:-1': the sector is not a number" resolve 254:0:-1 || return 1
	expect 2 "the sector is out of range" resolve 254:0:12345678901234567890123 ||
		return 1
	expect 2 "the major is out of range" resolve 4096:0:8 || return 1
	expect 1 "no 'Read-error on swap-device" resolve </dev/null || return 1
	printf 'nothing here\n' >log
	expect 1 "no 'Read-error on swap-device" resolve <log
}
