#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail target refuses, exit 5 and nothing injected, a page that is not in swap or is in swap on another device"

requires() {
	_have_program swapfail
}

# target ARG...: swapfail target sf ..., its status and its error lines.
target() {
	swapfail target sf --pid "$VICTIM_PID" "$@" >/tmp/out 2>/tmp/err
	_rc=$?
	echo "exit $_rc"
	sed "s/$VICTIM_PID/PID/; s/0x[0-9a-f]*/ADDR/" /tmp/err
	[ -s /tmp/out ] && echo "stdout: $(cat /tmp/out)"
	swapfail count sf
}

test() {
	disk=$(_disk) || return $?
	half=$(($(_sectors "$disk") / 2))
	_dm_create other "0 $half linear $disk 0" || return 1
	_register_dm sf
	swapfail create sf "$disk" --offset "$half" --start-enabled >/dev/null ||
		return 1
	cg=$(_cgroup sfvictim) || return 1
	_victim_start "$cg" 16 || return 1

	echo "-- in memory"
	target --addr "$(_page_addr 3)"

	echo "-- in swap on another device"
	_swap_on /dev/mapper/other || return 1
	_swap_out "$cg" 16 || return 1
	target --addr "$(_page_addr 3)"

	echo "-- on sf but one page of three in memory"
	swapoff /dev/mapper/other || return 1
	_swap_on /dev/mapper/sf || return 1
	_swap_out "$cg" 16 || return 1
	echo "write 5" >&9
	_victim_wait '^write page=5 ' || return 1
	pagemap "$VICTIM_PID" "$(_page_addr 5)" 1 | cut -d' ' -f2
	target --addr "$(_page_addr 4)" --pages 3

	echo "-- on sf"
	swapfail target sf --pid "$VICTIM_PID" --addr "$(_page_addr 6)" \
		--pages 2 >/dev/null || return 1
	swapfail count sf | sed 's/.* //'
}
