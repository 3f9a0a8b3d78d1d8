#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="A corrupted swap-in"
DESCRIPTION="8 bytes at offset 1000 of the read of page 10's slot come back XORed with 5a (corrupt=xor); the victim touches page 10, then reads all its pages; what it was given against what the tracepoints recorded"
READING="Corrupted swap-ins are silent too: the process receives the changed bytes with no signal and no log line, exactly the bytes the target's tracepoint recorded. The slot on disk is unchanged, so the corruption was in flight, which is what an unreliable transport (a network disk) would do."

TRACE=/sys/kernel/tracing

requires() {
	[ -d $TRACE/events ] || mount -t tracefs none $TRACE 2>/dev/null
	[ -d $TRACE/events/dm_swapfail ] || { echo "no dm_swapfail trace events"; return 1; }
}

# hex8 ADDR: the 8 bytes of the victim's memory at ADDR (a multiple of 8), in hex.
hex8() {
	dd if="/proc/$VICTIM_PID/mem" bs=8 skip=$(($1 / 8)) count=1 2>/dev/null |
		od -An -tx1 | tr -d ' \n'
}

# same A B: "the same" or "different".
same() {
	[ "$1" = "$2" ] && echo "the same" || echo "different"
}

test() {
	_lab_victim 64 || return $?
	slot=$(_slot 10)
	[ -n "$slot" ] || _fail "page 10 is not in swap" || return 1
	on_disk=$(sfio read /dev/mapper/lab $((slot * 8)) 8 --dump 1000 8 | sed -n 's/^dump //p')
	_sf_msg lab add "$slot" corrupt=xor at=1000 bytes=8 xor=5a || return 1

	_register_param $TRACE/events/dm_swapfail/enable
	echo >$TRACE/trace
	echo 1 >$TRACE/events/dm_swapfail/enable
	_kmsg "mark"
	touched=$(_victim_cmd "touch 10" '^touch page=10 ' | cut -d' ' -f3-) || return 1
	echo 0 >$TRACE/events/dm_swapfail/enable
	cat $TRACE/trace >"$SWAPFAIL_RESULT/trace"
	case $touched in
	ok) touched="no signal; the page reads back as written" ;;
	corrupt) touched="no signal; the page reads back different from what was written" ;;
	sigbus*) touched="SIGBUS ($(_sicode "${touched##*code=}"))" ;;
	esac
	_lab "touching page 10" "$touched"
	seen=$(hex8 $((VICTIM_ADDR + 10 * 4096 + 1000)))
	traced=$(sed -n 's/.* swapfail_corrupt: [0-9:]* sector=[0-9]* read offset=1000 bytes=8 before=\([0-9a-f]*\) after=\([0-9a-f]*\)\( .*\)\{0,1\}$/\1 \2/p' \
		"$SWAPFAIL_RESULT/trace")
	before=${traced% *} after=${traced#* }
	[ -n "$traced" ] || before="(none traced)" after="(none traced)"
	_lab "bytes 1000-1007 of page 10" "the victim holds $seen; traced before=$before ($(same "$before" "$on_disk") as the slot on disk), after=$after ($(same "$after" "$seen") as the victim holds)"
	# (a record's comm= is the task "by" names already)
	_lab "traced fault" "$(sed -n 's/^ *\(.*\)-[0-9]* *\[[0-9]*\] .* swapfail_fault: [0-9:]* \(.*\)$/by \1: \2/p' "$SWAPFAIL_RESULT/trace" | head -n 1 | sed 's/ comm=[^ ]*$//')"
	# the scenario is what was traced against what the victim got: no record, no answer
	[ -n "$traced" ] || _fail "no swapfail_corrupt record of the read at offset 1000" ||
		return 1
	report=$(_victim_check) || return 1
	ok=$(echo "$report" | sed -n 's/^checked .* ok=\([0-9]*\) .*/\1/p')
	bus=$(echo "$report" | sed -n 's/^checked .* sigbus=\([0-9]*\) .*/\1/p')
	bad=$(echo "$report" | sed -n 's/^corrupt page=//p' | tr '\n' ' ' | sed 's/ $//')
	_lab "reading all 64 pages" "$ok intact, wrong: ${bad:-none}; $bus SIGBUS"
	_lab "counters" "corrupted=$(_sf_field lab corrupted) read_errors=$(_sf_field lab read_errors)"
	_sf_msg lab remove "$slot" || return 1
	_lab "the slot on disk afterwards" "$(same "$(sfio read /dev/mapper/lab $((slot * 8)) 8 --dump 1000 8 | sed -n 's/^dump //p')" "$on_disk") as before the swap-in"
	lines=$(dmesg | awk '/swapfail-test: .*: mark$/ { n = 0; next } { n++ } END { print n + 0 }')
	_lab "kernel log" "$lines line(s) from the swap-in to the end of the check"
}
