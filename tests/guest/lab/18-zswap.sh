#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="zswap in front of a failing swap disk"
DESCRIPTION="zswap is on; victim A's 64 pages go to swap (into zswap) and their slots fail reads: A reads them all; then zswap's pool limit is set to 0 and victim B's pages go to swap, which makes zswap write A's pages back to the device, and A reads them all again; then the same with every write failing: zswap's own writeback fails. What A gets, what the device saw and zswap's counters (debugfs)"
READING="zswap hides a failing disk while it holds the pages: a read error on their slots does nothing. Once zswap writes them back (its pool full), the same error SIGBUSes each page, as without zswap. When zswap's own writeback fails, the pages stay in memory and nothing is lost, but the failed writes repeat. On 6.1 (zbud) the pool limit writes back a little per store, over several rounds of swap-outs; from 6.12 the shrink worker empties the pool at once."

ZSWAP=/sys/module/zswap/parameters
STATS=/sys/kernel/debug/zswap

requires() {
	[ -w "$ZSWAP/enabled" ] || { echo "no zswap in this kernel"; return 1; }
}

# zstat NAME: a zswap counter from debugfs.
zstat() {
	cat "$STATS/$1" 2>/dev/null || echo "?"
}

# check_a KEY: A reads all its pages; one observation of what it got.
check_a() {
	_ca_reads=$(_sf_field lab reads)
	_ca_errors=$(_sf_field lab read_errors)
	_ca_report=$(_victim_check) || return 1
	_lab "$1" "$(echo "$_ca_report" | sed -n 's/^checked pages=\([0-9]*\) ok=\([0-9]*\) sigbus=\([0-9]*\) corrupt=\([0-9]*\)$/\2 of \1 intact, \3 SIGBUS, \4 corrupt/p'); $(($(_sf_field lab reads) - _ca_reads)) device reads, $(($(_sf_field lab read_errors) - _ca_errors)) failed"
}

# allocator: where zswap keeps compressed pages. Up to 6.17 the zpool
# parameter names it (zbud on 6.1, zsmalloc on 6.12); 6.18 removed the zpool
# layer and the parameter with it, and zswap calls zsmalloc directly.
allocator() {
	if [ -r "$ZSWAP/zpool" ]; then
		cat "$ZSWAP/zpool"
	else
		echo "zsmalloc (no zpool parameter)"
	fi
}

# pages CGROUP: how many pages of CGROUP zswap holds.
pages() {
	awk '$1 == "zswapped" { print $2 / 4096 }' "$1/memory.stat"
}

# push_a: fill zswap past its limit with victim B's pages, which makes zswap
# write back what it holds, A's pages; prints how many it wrote back and
# where A's pages are then.  Run in a subshell: victim A stays the current
# victim of the caller.
push_a() {
	_pa_before=$(zstat written_back_pages)
	echo 0 >"$ZSWAP/max_pool_percent"
	_victim_start "$cgb" 256 || return 1
	# Each of B's swap-outs finds the pool full and has zswap write back
	# from its oldest entries, A's; B's pages themselves go to the device
	# (or, the writes failing, stay).  B reads them back and goes again.
	_pa_round=0 _pa_left=$(pages "$cga") _pa_was=-1
	while [ $_pa_round -lt 20 ] && [ "$_pa_left" -gt 0 ] &&
	      [ "$_pa_left" != "$_pa_was" ]; do
		echo $((256 * 4096 * 4)) >"$cgb/memory.reclaim" 2>/dev/null
		_victim_cmd check '^checked ' >/dev/null || return 1
		_pa_round=$((_pa_round + 1))
		_pa_was=$_pa_left _pa_left=$(pages "$cga")
	done
	echo exit >&9
	wait "$VICTIM_PID"
	# what zswap wrote back sits in the swap cache: out with it, the pool
	# limit still 0 so that no page goes back into zswap
	for _pa_try in 1 2 3; do
		echo $((64 * 4096 * 4)) >"$cga/memory.reclaim" 2>/dev/null
		sleep 0.2
	done
	echo 20 >"$ZSWAP/max_pool_percent"
	echo "$(($(zstat written_back_pages) - _pa_before)) pages written back in $_pa_round rounds of B; A's cgroup: $(pages "$cga") pages in zswap, $(awk '$1 == "swapcached" { print $2 / 4096 }' "$cga/memory.stat") in the swap cache"
}

# victim_a KEY: start victim A (64 pages), swapped out into zswap.
victim_a() {
	_swapped_victim "$cga" 64 || return 1
	_lab "$1" "$(pages "$cga") pages of A's cgroup in zswap"
}

# fail_a_reads: the slots of A's pages fail reads (not the whole area: the
# harness's files on tmpfs may be in swap too).
fail_a_reads() {
	swapfail target lab --pid "$VICTIM_PID" --addr "$VICTIM_ADDR" --pages 64 \
		>/dev/null 2>&1 || _fail "cannot target A's pages"
}

test() {
	_lab_swap || return $?
	last=$(($(_sectors /dev/mapper/lab) / 8 - 1))
	if ! grep -q ' /sys/kernel/debug debugfs ' /proc/mounts; then
		mount -t debugfs none /sys/kernel/debug || _fail "cannot mount debugfs" ||
			return 1
		_register_mount /sys/kernel/debug
	fi
	for param in enabled max_pool_percent; do
		_register_param "$ZSWAP/$param"
	done
	echo Y >"$ZSWAP/enabled" || _fail "cannot turn zswap on" || return 1
	echo 20 >"$ZSWAP/max_pool_percent"
	# (6.12 makes its debugfs counters when zswap is first turned on)
	[ -d "$STATS" ] || _fail "no $STATS" || return 1
	_lab "zswap" "$(cat "$ZSWAP/compressor"), $(allocator), pool limit 20% of memory"
	cga=$(_cgroup laba) || return 1
	cgb=$(_cgroup labb) || return 1

	victim_a "A's pages after swap-out" || return 1
	fail_a_reads || return 1
	check_a "reads failing, pages in zswap" || return 1
	echo exit >&9
	wait "$VICTIM_PID"

	victim_a "A's pages, second run" || return 1
	_sf_msg lab clear || return 1
	writes=$(_sf_field lab writes)
	back=$(push_a) || return 1
	_lab "zswap writeback" "$back; $(($(_sf_field lab writes) - writes)) device writes"
	fail_a_reads || return 1
	check_a "reads failing, after zswap's writeback" || return 1
	echo exit >&9
	wait "$VICTIM_PID"

	_sf_msg lab clear || return 1
	victim_a "A's pages, third run" || return 1
	_sf_msg lab add "1-$last" mode=write || return 1
	wfail=$(_sf_field lab write_errors) rfail=$(zstat reject_reclaim_fail)
	back=$(push_a) || return 1
	_lab "zswap writeback, writes failing" "$back; $(($(_sf_field lab write_errors) - wfail)) device writes failed (A's and B's, retried); zswap's reject_reclaim_fail +$(($(zstat reject_reclaim_fail) - rfail))"
	_sf_msg lab clear || return 1
	fail_a_reads || return 1
	check_a "reads failing, after a failed writeback" || return 1
	_lab "kernel log" "$(_dmesg_since_start | grep -c 'Write-error on swap-device') 'Write-error on swap-device' line(s), $(_dmesg_since_start | grep -c 'Read-error on swap-device') 'Read-error'"
}
