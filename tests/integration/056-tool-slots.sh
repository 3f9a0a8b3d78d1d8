#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail slots lists each swapped page of a process with the slot and sector pagemap gives, and the swapfail device and block that hold it"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" >/dev/null || return 1
	_swap_on /dev/mapper/sf || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 32 || return 1
	swapfail slots --pid "$VICTIM_PID" --addr "$(_page_addr 0)" --pages 2 |
		sed -n 1p
	swapfail slots --pid "$VICTIM_PID" --addr "$(_page_addr 0)" --pages 32 \
		--noheadings >/tmp/slots || return 1
	pagemap "$VICTIM_PID" "$VICTIM_ADDR" 32 >/tmp/pagemap || return 1
	# address, area, slot, sector, device, block against pagemap's address and slot
	awk 'NR == FNR { slot[$1] = $4; next }
	     $1 in slot && $2 == "/dev/mapper/sf" && $3 == slot[$1] &&
	     $4 == 8 * $3 && $5 == "sf" && $6 == $3 { ok++ }
	     END { print ok + 0 " of 32 pages agree with pagemap" }' \
		/tmp/pagemap /tmp/slots
	wc -l </tmp/slots
	# the same page, written as a range [A, B)
	a=$(_page_addr 5)
	grep "^$a " /tmp/slots >/tmp/one
	swapfail slots --pid "$VICTIM_PID" --addr "$a-$(_page_addr 6)" \
		--noheadings | cmp -s - /tmp/one ||
		_fail "slots --addr A-B differs" || return 1
	# all mappings: the victim's 32 pages are among them
	swapfail slots --pid "$VICTIM_PID" >/tmp/all || return 1
	grep -c -F -f /tmp/slots /tmp/all
	# from a user namespace of its own: pagemap refused, exit 6
	unshare -U swapfail slots --pid "$VICTIM_PID" >/dev/null 2>/tmp/err
	echo "exit $?: $(sed "s/$VICTIM_PID/PID/" /tmp/err)"
	# a page in memory is not listed: exit 5 when none is in swap
	_victim_check >/dev/null || return 1
	swapfail slots --pid "$VICTIM_PID" --addr "$a" --noheadings 2>/tmp/err
	echo "exit $?: $(sed "s/$a/ADDR/" /tmp/err)"
}
