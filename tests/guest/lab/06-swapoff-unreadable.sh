#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="swapoff while some slots are unreadable"
DESCRIPTION="the slots of pages 5, 6 and 7 of a swapped-out victim are made unreadable, swap is turned off, then the victim reads all its pages"
READING="swapoff does not fail when some slots cannot be read: it finishes, leaves those pages behind, and the process that owns them gets SIGBUS when it touches them, every other page intact. On 6.12 the signal says BUS_MCEERR_AR (as for a hardware memory error), on 6.1 BUS_ADRERR: a handler that tells the two apart reads this differently on the two kernels."

requires() {
	_have_program swapfail
}

test() {
	_lab_victim 64 || return $?
	swapfail target lab --pid "$VICTIM_PID" --addr "$(_page_addr 5)" --pages 3 \
		>/dev/null || return 1
	took=$(timeit swapoff /dev/mapper/lab 2>&1 >/dev/null)
	status=$?
	secs=$(echo "$took" | sed -n 's/^timeit: //p')
	_lab "swapoff" "exit status $status after ${secs%????} s; $(_victim_swapped 64) of 64 pages still in swap"
	_lab "device reads failed during swapoff" "$(_sf_field lab read_errors)"
	report=$(_victim_check) || return 1
	_lab "touching page 5 afterwards" "$(_sigbus_summary "$report" 5)"
	_lab "pages failing afterwards" "$(echo "$report" | grep -c '^sigbus') ($(echo "$report" | sed -n 's/^sigbus page=\([0-9]*\) .*/\1/p' | tr '\n' ' '))"
	_lab "other pages" "$(echo "$report" | sed -n 's/^checked pages=64 ok=\([0-9]*\) .* corrupt=\([0-9]*\)$/\1 intact, \2 corrupt/p')"
}
