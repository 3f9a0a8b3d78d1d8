#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="seed S replays exactly: the same I/O sequence after seed 7 gives the same fault and corruption trace records (fault numbers, delays, bytes), whatever faulted before"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# 2.0.0 never resets the fault counter that draws delay jitter and random
# bytes: after other faults the same sequence gets other bytes.

TRACE=/sys/kernel/tracing
INSTANCE=$TRACE/instances/swapfail134

requires() {
	[ -d $TRACE/events ] || mount -t tracefs none $TRACE 2>/dev/null
	[ -d $TRACE/events/dm_swapfail ] || { echo "no dm_swapfail trace events"; return 1; }
}

# _sequence: reads and writes over every action, one at a time.
_sequence() {
	for b in 5 6 7 8 5 6 9 7 10 11 12 5; do
		sfio read /dev/mapper/sf $((8 * b)) 8 >/dev/null
	done
	for b in 20 21 22 23 24 25 26 27; do
		sfio write /dev/mapper/sf $((8 * b)) 8 --pattern 3 >/dev/null
	done
}

# _history: other faulting I/O.
_history() {
	for b in 6 5 9 9 7 5 6 21 22; do
		sfio read /dev/mapper/sf $((8 * b)) 8 >/dev/null
	done
	sfio write /dev/mapper/sf 200 8 --pattern 4 >/dev/null
}

# _run FILE: seed 7, the sequence, its trace records without time, task and CPU (the
# task's name too: what follows a delay is sent on by whichever CPU's worker ran it).
_run() {
	_sf_msg sf seed 7 || return 1
	echo >$INSTANCE/trace
	echo 1 >$INSTANCE/events/dm_swapfail/enable
	_sequence
	echo 0 >$INSTANCE/events/dm_swapfail/enable
	sed -n 's/.* \(swapfail_[a-z]*: \)/\1/p' $INSTANCE/trace | sed 's/ comm=.*//' >"$1"
}

_test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 0 512 --pattern 6 >/dev/null || return 1
	mkdir $INSTANCE || return 1
	_sf_msg sf add 5 corrupt=random bytes=8 at=10 seed=3 || return 1
	_sf_msg sf add 6 delay=20ms~15ms || return 1
	_sf_msg sf add 7 corrupt=xor at=1 bytes=2 || return 1
	_sf_msg sf every_nth_read 3 delay=10ms~9ms || return 1
	_sf_msg sf probability_write 0.5 corrupt=random bytes=4 seed=9 || return 1
	_run "$SWAPFAIL_RESULT/first" || return 1
	_history
	_run "$SWAPFAIL_RESULT/again" || return 1
	faults=$(grep -c 'swapfail_fault: ' "$SWAPFAIL_RESULT/first")
	corrupts=$(grep -c 'swapfail_corrupt: ' "$SWAPFAIL_RESULT/first")
	echo "$faults fault records, $corrupts corruption records" >&2
	[ "$faults" -gt 8 ] && [ "$corrupts" -gt 3 ] ||
		_fail "too few records: $faults faults, $corrupts corruptions" || return 1
	if ! cmp -s "$SWAPFAIL_RESULT/first" "$SWAPFAIL_RESULT/again"; then
		diff "$SWAPFAIL_RESULT/first" "$SWAPFAIL_RESULT/again" | head -n 20 >&2
		_fail "seed 7 did not replay the same records" || return 1
	fi
	# the records carry what a replay must repeat: the fault's number since the
	# seed, the delay applied
	grep 'swapfail_fault: ' "$SWAPFAIL_RESULT/first" | grep -v -E ' fault=[0-9]+' |
		grep -q . && _fail "a fault record without fault=" && return 1
	grep 'swapfail_corrupt: ' "$SWAPFAIL_RESULT/first" | grep -v -E ' fault=[0-9]+' |
		grep -q . && _fail "a corruption record without fault=" && return 1
	grep 'action=delay' "$SWAPFAIL_RESULT/first" | grep -v -E ' delay_ns=[1-9][0-9]*' |
		grep -q . && _fail "a delay record without its delay_ns=" && return 1
	return 0
}

test() {
	_test
	rc=$?
	[ ! -d $INSTANCE ] || rmdir $INSTANCE
	return $rc
}
