#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="with its Nth allocation failed, every message and table line succeeds or fails with ENOMEM and changes nothing"

# For each message verb (actions and triggers included) and each table-line
# feature (on reload), failnth (tests/helpers) makes the call again and again
# from the same state, with its 1st, 2nd, ... allocation failed
# (/proc/thread-self/fail-nth), until the call has no Nth allocation: a call
# that fails must fail with ENOMEM and leave the tables, status, extents,
# counters and held I/O as they were, byte for byte; one that succeeds must do
# what it does without failures. Leaks are kmemleak's (scanned after the
# suite), warnings the log checks'. Not here: a new device's first table, whose
# allocations are device-mapper's and the block layer's (add_disk, sysfs).

FAILSLAB=/sys/kernel/debug/failslab
FAIL_PAGE_ALLOC=/sys/kernel/debug/fail_page_alloc

requires() {
	[ -e /proc/thread-self/fail-nth ] || {
		echo "no /proc/thread-self/fail-nth: the kernel is built without" \
			"CONFIG_FAULT_INJECTION (as Debian's are; make check-debug's has it)"
		return 1
	}
	if ! [ -d $FAILSLAB ] || ! [ -d $FAIL_PAGE_ALLOC ]; then
		echo "no $FAILSLAB or $FAIL_PAGE_ALLOC: CONFIG_FAILSLAB," \
			"CONFIG_FAIL_PAGE_ALLOC and CONFIG_FAULT_INJECTION_DEBUG_FS needed"
		return 1
	fi
}

# _set FILE VALUE: write VALUE into FILE, the old value written back after the test.
_set() {
	_register_param "$1"
	echo "$2" >"$1" || _fail "cannot write $2 into $1"
}

# Fail-nth counts only the allocations that the injectors would fail: by
# default neither fails one that may sleep, fail_page_alloc neither highmem
# nor order 0. Probability 0: no other task ever fails. One line per failure.
injectors() {
	for dir in $FAILSLAB $FAIL_PAGE_ALLOC; do
		_set "$dir"/probability 0 || return 1
		_set "$dir"/ignore-gfp-wait N || return 1
		_set "$dir"/verbose 1 || return 1
		# decremented by each failure
		_register_param "$dir"/times
	done
	_set $FAIL_PAGE_ALLOC/ignore-gfp-highmem N || return 1
	_set $FAIL_PAGE_ALLOC/min-order 0
}

# from_base OPTION... NAME message WORD...: failnth from the base state: the
# extents below, failures off, every setting at its default, counters at 0.
from_base() {
	failnth -s clear -s "add 10-19 mode=rw" \
		-s "add 30 mode=write count=3 error=ENODATA" -s "addbadblock 40 2" \
		-s "add 60 delay=1ms" -s disable -s "quiet off" -s "error EIO" \
		-s "every_nth_read 0" -s "every_nth_write 0" -s "probability_read 0" \
		-s "probability_write 0" -s "seed 0" -s reset_stats "$@"
}

# from_line OPTION... NAME load LINE: failnth after reloading the base line
# (with -a, again only after a load that succeeded): its features at their
# defaults, failures off, triggers off, two extents.
from_line() {
	failnth -t "$BASE_LINE" -s disable -s clear -s "add 10-19 mode=rw" \
		-s "add 30 mode=write count=3" -s "every_nth_read 0" \
		-s "every_nth_write 0" -s reset_stats "$@"
}

# from_held OPTION... NAME message WORD...: failnth with a read of block 50
# held (its extent holds it), started again after a release took it.
from_held() {
	failnth -s reset_stats -r 400 "$@"
}

# try_all LABEL FROM ARG...: "FROM -a ARG...": the call without failures, then
# with N = 1, 2, ... until it has no Nth point, in one process.
try_all() {
	_label=$1
	_from=$2
	shift 2
	_out=$("$_from" -a "$@") && _count "$_out" ||
		_fail "$_label: $_out" || return 1
}

# _count "points=P refused=R absorbed=A": print it, add it up.
_count() {
	# shellcheck disable=SC2086 # the three fields
	set -- $1
	echo "$_label: $1 $2 $3"
	TOTAL=$((TOTAL + ${1#points=})) REFUSED=$((REFUSED + ${2#refused=}))
}

messages() {
	while read -r message; do
		# shellcheck disable=SC2086 # the words of the message
		try_all "$message" from_base sf message $message || return 1
	done <<-EOF
	addbadblock 50
	addbadblock 51 3
	removebadblock 40
	queryblock 40
	countbadblocks
	clearbadblocks
	listbadblocks
	enable
	quiet
	add 1000+100 5 62-69 mode=rw count=7 error=ENOLINK
	add 100 102 104 106 108 110 112 114 116 118 120 122 124 126 128 130 count=2
	add 20-29 mode=rw
	add 70 mode=read wr_fail=4
	add 80-89 mode=write delay=5ms~1ms
	add 90 mode=rw hold
	add 91 hold=2s
	add 92 mode=write drop
	add 93 corrupt=xor at=100 bytes=4 xor=5a
	add 94 mode=write corrupt=random seed=9
	add 95 mode=write match=swap
	remove 15
	remove 10-19 30
	query 10 15-35
	list
	list 10-20
	count
	count 0-35
	clear
	every_nth_read 3
	every_nth_write 5 error=ENOSPC
	every_nth_read 2 delay=1ms~100us
	every_nth_write 2 hold=1s
	every_nth_write 4 drop
	every_nth_read 6 corrupt=xor bytes=2
	every_nth_write 7 corrupt=random seed=3 match=swap
	probability_read 0.5
	probability_write 0.001 hold
	seed 42
	error ENODATA
	quiet on
	stats
	reset_stats
	EOF
	try_all disable from_base -s enable sf message disable || return 1
	try_all "quiet off" from_base -s "quiet on" sf message quiet off
}

# release and held, with a read held; disable lets the last one go.
held() {
	_sf_msg sf clear && _sf_msg sf add 50 mode=rw hold && _sf_msg sf enable ||
		return 1
	held_rc=0
	for message in held release "release fail error=ETIMEDOUT" "release 50"; do
		# shellcheck disable=SC2086 # the words of the message
		try_all "$message" from_held sf message $message || { held_rc=1; break; }
	done
	_sf_msg sf disable && [ $held_rc -eq 0 ]
}

# words WORD...: how many.
words() {
	echo $#
}

lines() {
	while read -r features; do
		# shellcheck disable=SC2086 # the words of the features
		try_all "line: ${features:-no features}" from_line sf load \
			"$BASE_LINE${features:+ $(words $features) $features}" || return 1
	done <<-EOF

	start_enabled
	quiet
	every_nth_read 4
	every_nth_write 6
	error ENOLINK
	probability_read 0.25
	probability_write 0.75
	seed 11
	start_enabled quiet every_nth_read 3 every_nth_write 5 error ENODATA probability_read 0.5 probability_write 0.25 seed 7
	EOF
	# another block size: a new state (table, policy, counters), the old one freed
	try_all "line: block size 8192" from_line sf load \
		"0 $(_sectors "$disk") swapfail $disk 0 8192 2 every_nth_write 5"
}

test() {
	disk=$(_disk) || return $?
	injectors || return 1
	BASE_LINE="0 $(_sectors "$disk") swapfail $disk 0 4096"
	_sf_create sf "$disk" 4096 || return 1
	TOTAL=0 REFUSED=0
	messages && held || return 1
	# a message refused for want of memory says so
	bad=$(_dmesg_since_start | grep -E "message '[a-z_]+' rejected: " |
		grep -v -E "rejected: out of memory$" | head -n 3)
	[ -z "$bad" ] || _fail "refused for want of memory, logged otherwise: $bad" ||
		return 1
	lines || return 1
	echo "allocation failures: $TOTAL injected, $REFUSED refused (ENOMEM)"
	_kmsg "allocation failures: $TOTAL injected, $REFUSED refused (ENOMEM)"
}
