#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swap on a swapfail device: a process twice over its memory cgroup's limit swaps through it and reads its data back"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 || return 1
	_swap_on /dev/mapper/sf || return 1
	_sf_msg sf reset_stats || return 1
	written=$(_dm_sectors sf write) read=$(_dm_sectors sf read)
	cg=$(_cgroup sfpressure 8M) || return 1
	_victim_start "$cg" 4096 || return 1
	swapped=$(_victim_swapped 4096)
	[ "$swapped" -ge 1024 ] || _fail "only $swapped pages in swap" || return 1
	_victim_check || return 1
	# at least the 1024 pages in swap went out and came back through sf:
	# counted in sectors, since 7.x writes several pages in one bio (on
	# 7.3.4, 1,024 pages in well under 1,024 writes)
	[ "$(_sf_field sf writes)" -gt 0 ] && [ "$(_sf_field sf reads)" -gt 0 ] ||
		_fail "swapfail saw no swap I/O" || return 1
	written=$(($(_dm_sectors sf write) - written)) read=$(($(_dm_sectors sf read) - read))
	[ "$written" -ge $((1024 * 8)) ] || _fail "only $written sectors written" || return 1
	[ "$read" -ge $((1024 * 8)) ] || _fail "only $read sectors read" || return 1
	grep -q '^max [1-9]' "$cg/memory.events" ||
		_fail "the cgroup never reached its limit"
}
