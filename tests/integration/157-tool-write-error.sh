#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="output lost to a full disk fails the verb (exit 1, 'write error') whatever it found: slots --json, list, status"

requires() {
	_have_program swapfail && [ -w /dev/full ]
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --start-enabled >/dev/null || return 1
	_swap_on /dev/mapper/sf || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1
	swapfail add sf 1-100 || return 1
	for args in "slots --pid $VICTIM_PID --json" "list sf" "status sf --json"; do
		# shellcheck disable=SC2086 # the words of the verb
		swapfail $args >/dev/full 2>/tmp/err
		echo "$args: exit $?: $(sed "s/$VICTIM_PID/PID/" /tmp/err)" |
			sed "s/$VICTIM_PID/PID/"
	done
}
