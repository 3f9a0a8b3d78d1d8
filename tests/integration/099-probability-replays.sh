#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="probability_read P with a seed fails about P of the reads, and the same seed fails the same ones again"

# _run: the outcome of 40 reads, in one line.
_run() {
	i=0
	while [ $i -lt 40 ]; do
		sfio read /dev/mapper/sf 800 8
		i=$((i + 1))
	done | tr '\n' ' '
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_sf_msg sf seed 1234 || return 1
	_sf_msg sf probability_read 0.25 error=ETIMEDOUT || return 1
	first=$(_run)
	_sf_msg sf seed 1234 || return 1
	again=$(_run)
	[ "$first" = "$again" ] || _fail "seed 1234 gave '$first', then '$again'" || return 1
	n=$(echo "$first" | tr ' ' '\n' | grep -c ETIMEDOUT)
	echo "$n of 40 failed" >&2
	[ "$n" -ge 3 ] && [ "$n" -le 20 ] || _fail "$n of 40 failed at 0.25" || return 1
	_sf_msg sf seed 99 || return 1
	[ "$(_run)" != "$first" ] || _fail "seed 99 failed the same reads" || return 1
	echo "$first" | tr ' ' '\n' | grep -v -E '^(ok|ETIMEDOUT|)$'
	dmsetup table sf | cut -d" " -f7-
}
