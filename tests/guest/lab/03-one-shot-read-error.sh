#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="A read error that happens once"
DESCRIPTION="the slot of page 10 fails one read (count=1); the victim touches the page, touches it again, then again after its cgroup is reclaimed"
READING="Linux does not retry a failed swap-in: the error is remembered with the page, and every later touch SIGBUSes again without going to the disk, even when the disk would now answer. Only reclaim, which drops the failed page, lets a later access read the slot again. A transient read error is therefore as fatal to the process as a permanent one."

# touch_page WHAT: touch page 10 and report the result and the device reads.
touch_page() {
	reads=$(_sf_field lab reads)
	result=$(_victim_cmd "touch 10" '^touch page=10 ' | cut -d' ' -f3-)
	reads=$(($(_sf_field lab reads) - reads))
	case $result in
	ok) result="the data reads back intact" ;;
	sigbus*) result="SIGBUS ($(_sicode "${result##*code=}"))" ;;
	esac
	_lab "$1" "$result; $reads read(s) reached the device"
}

requires() {
	_have_program swapfail
}

test() {
	_lab_victim 64 || return $?
	swapfail target lab --pid "$VICTIM_PID" --addr "$(_page_addr 10)" --count 1 \
		>/dev/null || return 1
	touch_page "first access"
	touch_page "second access"
	echo $((64 * 4096 * 4)) >"$LAB_CG/memory.reclaim" 2>/dev/null
	touch_page "after reclaiming the cgroup"
	_lab "extents left" "$(_sf_field lab extents) (the count ran out)"
}
