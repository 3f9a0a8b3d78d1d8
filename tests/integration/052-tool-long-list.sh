#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail list prints a table of 100,000 extents whole"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --block-size 512 >/dev/null || return 1
	batch=0
	while [ $batch -lt 10 ]; do
		# shellcheck disable=SC2046 # one word per block
		swapfail add sf $(awk -v b=$batch 'BEGIN {
			for (i = b * 10000; i < (b + 1) * 10000; i++)
				print i * 7 + 3 }') || return 1
		batch=$((batch + 1))
	done
	swapfail count sf
	swapfail list sf --noheadings -o FIRST >/tmp/list || return 1
	wc -l </tmp/list
	head -n 2 /tmp/list
	tail -n 1 /tmp/list
	awk 'NR != ($1 - 3) / 7 + 1 || $1 % 7 != 3 { print "bad line " NR ": " $0; exit 1 }' \
		/tmp/list
}
