#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail pageout pushes a process's pages to swap and out of the swap cache, all its memory or the pages named, so that target finds them and the next access fails"

requires() {
	_have_program swapfail && _have_program jsoncheck
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --start-enabled >/dev/null || return 1
	_swap_on /dev/mapper/sf || return 1
	cg=$(_cgroup sfvictim) || return 1
	_victim_start "$cg" 64 || return 1
	[ "$(_victim_swapped 64)" -eq 0 ] || _fail "pages in swap before pageout" || return 1

	echo "-- pages 10-19"
	swapfail pageout --pid "$VICTIM_PID" --addr "$(_page_addr 10)" --pages 10 --json \
		>/tmp/pageout.json || _fail "pageout: $(cat /tmp/pageout.json)" || return 1
	jsoncheck pageout </tmp/pageout.json || return 1
	grep -o '"pages": [0-9]*, "swapped": [0-9]*, "resident": [0-9]*, "swap_cache": [0-9]*' \
		/tmp/pageout.json
	# those ten at least (reclaim in the cgroup may take other cold pages too)
	echo "$(pagemap "$VICTIM_PID" "$(_page_addr 10)" 10 | grep -c ' swap ') of pages 10-19 in swap"

	echo "-- all of it"
	swapfail pageout --pid "$VICTIM_PID" >/tmp/pageout.out || return 1
	echo "$(_victim_swapped 64) of 64 pages in swap, $(_swapcached "$cg") bytes in the swap cache"
	swapfail target sf --pid "$VICTIM_PID" --addr "$(_page_addr 40)" >/dev/null || return 1
	touch=$(_victim_cmd "touch 40" '^touch page=40 ') || return 1
	echo "$touch" | sed "s/$(_page_addr 40)/PAGE/"

	echo "-- no such process"
	swapfail pageout --pid 999999 2>&1
	echo "exit $?"
}
