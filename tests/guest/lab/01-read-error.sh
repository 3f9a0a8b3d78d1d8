#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="A read error on one swapped page"
DESCRIPTION="a victim with 64 swapped pages reads them all after its page 10's slot is made unreadable; then a victim without a SIGBUS handler does the same"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_sf_create lab "$disk" 4096 start_enabled quiet || return 1
	_swap_on /dev/mapper/lab || return 1
	cg=$(_cgroup lab) || return 1
	_victim_start "$cg" 64 || return 1
	_swap_out "$cg" 64 || return 1
	swapfail target lab --pid "$VICTIM_PID" --addr "$(_page_addr 10)" >/dev/null ||
		return 1
	report=$(_victim_check) || return 1
	_lab "signal" "$(_sigbus_summary "$report" 10)"
	_lab "other pages" "$(echo "$report" | sed -n 's/^checked pages=64 ok=\([0-9]*\) .* corrupt=\([0-9]*\)$/\1 of 63 read back intact, \2 corrupt/p')"
	_lab "kernel log" "$(dmesg | grep -o 'Read-error on swap-device ([0-9:]*)' | tail -n 1)"
	_lab "device reads failed" "$(_sf_field lab read_errors)"
	echo exit >&9
	wait "$VICTIM_PID"

	_victim_start "$cg" 64 --no-handler || return 1
	_swap_out "$cg" 64 || return 1
	swapfail target lab --pid "$VICTIM_PID" --addr "$(_page_addr 10)" >/dev/null ||
		return 1
	echo "touch 10" >&9
	wait "$VICTIM_PID"
	status=$?
	case $status in
	135) _lab "without a handler" "the process is killed by SIGBUS (exit status 135)" ;;
	*) _lab "without a handler" "the process ends with exit status $status" ;;
	esac
}
