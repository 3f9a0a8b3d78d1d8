#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail target makes exactly the chosen swapped pages of a running process fail: SIGBUS at those addresses, its other pages intact"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --start-enabled >/dev/null || return 1
	_swap_on /dev/mapper/sf || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1

	slot=$(_slot 10)
	[ -n "$slot" ] || _fail "page 10 has no swap slot" || return 1
	swapfail target sf --pid "$VICTIM_PID" --addr "$(_page_addr 10)" \
		--error ENODATA >/tmp/target || return 1
	sed "s/$(_page_addr 10)/PAGE10/; s/\<$slot\>/SLOT/g; s/\<$((slot * 8))\>/SECTOR/" \
		/tmp/target
	swapfail list sf --noheadings --raw | sed "s/\<$slot\>/SLOT/g"

	# two pages, one message; the blocks are their slots
	s20=$(_slot 20) s21=$(_slot 21)
	swapfail target sf --pid "$VICTIM_PID" --addr "$(_page_addr 20)" \
		--pages 2 >/tmp/target || return 1
	grep -c '^page ' /tmp/target
	grep -c '^message add ' /tmp/target
	swapfail query sf "$s20" "$s21" --noheadings -o BAD
	swapfail count sf | sed 's/.* //'

	report=$(_victim_check) || return 1
	echo "$report" | grep -v '^sigbus '
	for p in 10 20 21; do
		echo "$report" | grep -q "^sigbus page=$p addr=$(_page_addr $p) code=2$" ||
			_fail "no SIGBUS at page $p ($(_page_addr $p))" || return 1
	done
	_sf_expect_field sf read_errors 3
}
