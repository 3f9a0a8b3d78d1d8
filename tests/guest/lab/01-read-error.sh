#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="A read error on one swapped page"
DESCRIPTION="a victim with 64 swapped pages reads them all after its page 10's slot is made unreadable; then a victim without a SIGBUS handler does the same"
READING="A page that cannot be read back kills the process that owns it, and nothing else: the signal names the exact address, so a program with a SIGBUS handler can tell which page it lost, and every other swapped page comes back intact. The kernel logs one rate-limited line with the device and sector, not the process; to know who was hit, look at the process's exit (killed by SIGBUS, status 135) rather than the log."

requires() {
	_have_program swapfail
}

test() {
	_lab_victim 64 || return $?
	swapfail target lab --pid "$VICTIM_PID" --addr "$(_page_addr 10)" >/dev/null ||
		return 1
	report=$(_victim_check) || return 1
	_lab "signal" "$(_sigbus_summary "$report" 10)"
	_lab "other pages" "$(echo "$report" | sed -n 's/^checked pages=64 ok=\([0-9]*\) .* corrupt=\([0-9]*\)$/\1 of 63 read back intact, \2 corrupt/p')"
	_lab "kernel log" "$(dmesg | grep -o 'Read-error on swap-device ([0-9:]*)' | tail -n 1)"
	_lab "device reads failed" "$(_sf_field lab read_errors)"
	echo exit >&9
	wait "$VICTIM_PID"

	_swapped_victim "$LAB_CG" 64 --no-handler || return 1
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
