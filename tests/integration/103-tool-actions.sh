#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail add --delay/--hold/--drop/--corrupt, held, release --error, probability with seed, and status's action counters"

requires() {
	_have_program swapfail
}

# reads N: the outcome of N one-block reads of block 100, on one line.
reads() {
	i=0
	while [ $i -lt "$1" ]; do
		sfio read /dev/mapper/sf 800 8
		i=$((i + 1))
	done | tr '\n' ' ' | sed 's/ $//'
	echo
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --start-enabled --quiet >/dev/null || return 1
	sfio write /dev/mapper/sf 0 64 --pattern 6 >/dev/null || return 1

	echo "-- delay, drop, corrupt"
	swapfail add sf 1 --delay 20ms~5ms || return 1
	sfio read /dev/mapper/sf 8 8 --expect-pattern 6 || return 1
	swapfail add sf 2 --mode write --drop --match swap || return 1
	swapfail add sf 3 --mode write --drop || return 1
	sfio write /dev/mapper/sf 24 8 --pattern 9 || return 1
	sfio read /dev/mapper/sf 24 8 --expect-pattern 6 || return 1
	swapfail add sf 4 --corrupt xor --at 3 --bytes 2 --xor 0f || return 1
	swapfail list sf
	sfio read /dev/mapper/sf 32 8 --expect-pattern 6

	echo "-- hold, held, release --error"
	swapfail add sf 5 --hold=60s || return 1
	sfio read /dev/mapper/sf 40 8 >"$SWAPFAIL_RESULT/held-read" &
	reader=$!
	tries=100
	while [ -z "$(swapfail held sf)" ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	swapfail held sf | awk '{ print $1, $2 }'
	swapfail release sf --error ENODATA || return 1
	wait $reader
	cat "$SWAPFAIL_RESULT/held-read"
	swapfail status sf | awk '$1 ~ /^(delayed|held|dropped|corrupted|delaying|holding)$/'

	echo "-- probability and seed replay"
	swapfail seed sf 7 || return 1
	swapfail probability sf read 0.5 --error ETIMEDOUT || return 1
	first=$(reads 20)
	swapfail seed sf 7 || return 1
	[ "$(reads 20)" = "$first" ] ||
		_fail "seed 7 did not replay '$first'" || return 1
	echo "$first" | grep -q ETIMEDOUT || _fail "no read failed: $first" || return 1
	echo "$first" | grep -q ok || _fail "every read failed: $first" || return 1
	swapfail status sf --json | grep -o '"probability_read": [0-9.]*, "probability_write": [0-9.]*, "seed": [0-9]*'
	swapfail probability sf read 2 2>&1
	echo "exit $?"
	swapfail probability sf sideways 0.1 2>&1
	echo "exit $?"
}
