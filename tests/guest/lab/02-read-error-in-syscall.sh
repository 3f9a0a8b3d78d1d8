#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="The kernel touches an unreadable swapped page for the process"
DESCRIPTION="the victim passes an unreadable swapped page to write(2) (the kernel reads it) and to read(2) (the kernel writes into it)"
READING="When the kernel itself touches the unreadable page on the process's behalf, in a system call, there is no signal at all: the call fails with EFAULT. A program that checks its write(2) and read(2) results sees the loss; one that ignores EFAULT carries on with a buffer it never got, so the failure surfaces later, if at all."

requires() {
	_have_program swapfail
}

test() {
	_lab_victim 64 || return $?
	for page in 10 20; do
		swapfail target lab --pid "$VICTIM_PID" --addr "$(_page_addr $page)" \
			>/dev/null || return 1
	done
	w=$(_victim_cmd "write 10" '^write page=10 ') || return 1
	r=$(_victim_cmd "read 20" '^read page=20 ') || return 1
	for line in "$w" "$r"; do
		call=${line%% *}
		ret=$(echo "$line" | sed -n 's/.* ret=\([-0-9]*\) .*/\1/p')
		err=$(echo "$line" | sed -n 's/.* errno=\([A-Z0-9]*\) .*/\1/p')
		sig=$(echo "$line" | sed -n 's/.* sigbus=\([01]\)$/\1/p')
		[ "$sig" = 1 ] && sig="a SIGBUS is delivered" || sig="no signal"
		_lab "$call(2) of the page" "returns $ret ($err); $sig"
	done
	_lab "device reads failed" "$(_sf_field lab read_errors)"
}
