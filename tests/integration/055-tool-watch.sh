#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail watch --count prints a heading and one line of counters and rates per sample, and counts I/O as it happens"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --block-size 512 >/dev/null || return 1
	swapfail add sf 1 --mode rw || return 1
	swapfail enable sf || return 1
	sfio read /dev/mapper/sf 0 1 >/dev/null
	sfio read /dev/mapper/sf 1 1 >/dev/null
	sfio write /dev/mapper/sf 0 1 --pattern 1 >/dev/null
	swapfail watch sf --count 3 --interval 0.2 || return 1

	# I/O while watching: some sample sees reads at a non-zero rate
	(while :; do sfio read /dev/mapper/sf 8 8 >/dev/null; done) &
	reader=$!
	_register_pid $reader
	swapfail watch sf -c 4 -i 0.5 >/tmp/watch || return 1
	kill $reader
	awk 'NR > 2 && $2 > 0 { seen = 1 } END { exit !seen }' /tmp/watch ||
		_fail "no read rate seen: $(cat /tmp/watch)" || return 1
	wc -l </tmp/watch
}
