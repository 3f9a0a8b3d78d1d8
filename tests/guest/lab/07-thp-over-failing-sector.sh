#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="A transparent huge page swapped out over a failing sector"
DESCRIPTION="a victim's 2 MiB THP goes to swap on a non-rotational swapfail device; one 4 KiB slot of it becomes unreadable; then a THP's swap-out write fails once"
READING="A transparent huge page goes to swap as one piece but comes back page by page: one unreadable 4 KiB slot loses one 4 KiB page, not the whole 2 MiB. A failed write of the huge page loses nothing; the page stays in memory."

vmstat() {
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat
}

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	# THP swap-out keeps the huge page whole only on a non-rotational area
	echo 0 >/sys/block/vda/queue/rotational
	_sf_create lab "$disk" 4096 start_enabled quiet || return 1
	_swap_on /dev/mapper/lab || return 1
	cg=$(_cgroup lab) || return 1
	_victim_start "$cg" 512 --thp || return 1
	_lab "huge page" "$(awk '/^AnonHugePages/ { print $2, $3 }' /proc/"$VICTIM_PID"/smaps_rollup) of anonymous huge pages in the victim"
	swpout=$(vmstat thp_swpout)
	fallback=$(vmstat thp_swpout_fallback)
	_swap_out "$cg" 512 || return 1
	first=$(_slot 0)
	last=$(_slot 511)
	layout="scattered slots"
	[ $((last - first)) -eq 511 ] && [ $((first % 512)) -eq 0 ] &&
		layout="512 contiguous, aligned slots ($first-$last)"
	_lab "swap-out" "$layout; thp_swpout +$(($(vmstat thp_swpout) - swpout)), thp_swpout_fallback +$(($(vmstat thp_swpout_fallback) - fallback))"
	swapfail target lab --pid "$VICTIM_PID" --addr "$(_page_addr 100)" >/dev/null ||
		return 1
	report=$(_victim_check) || return 1
	_lab "reading it back with slot of page 100 unreadable" "$(echo "$report" | grep -c '^sigbus') page(s) fail ($(_sigbus_summary "$report" 100)); $(echo "$report" | sed -n 's/^checked pages=512 ok=\([0-9]*\) .* corrupt=\([0-9]*\)$/\1 intact, \2 corrupt/p')"
	echo exit >&9
	wait "$VICTIM_PID"

	_victim_start "$cg" 512 --thp || return 1
	errors=$(_sf_field lab write_errors)
	_sf_msg lab clear || return 1
	_sf_msg lab add 1-$(($(_sectors "$disk") / 8 - 1)) mode=write count=1 ||
		return 1
	_swap_out "$cg" 512 || return 1
	_lab "one failed swap-out write" "$(($(_sf_field lab write_errors) - errors)) write bio(s) failed; $(_victim_check | grep '^checked' | sed 's/^checked //')"
}
