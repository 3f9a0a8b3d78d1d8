#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swap on a swapfail device: a process twice over its memory cgroup's limit swaps through it and reads its data back"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 || return 1
	_swap_on /dev/mapper/sf || return 1
	_sf_msg sf reset_stats || return 1
	cg=$(_cgroup sfpressure 8M) || return 1
	_victim_start "$cg" 4096 || return 1
	swapped=$(_victim_swapped 4096)
	[ "$swapped" -ge 1024 ] || _fail "only $swapped pages in swap" || return 1
	_victim_check || return 1
	[ "$(_sf_field sf writes)" -ge 1024 ] || _fail "too few swap writes" ||
		return 1
	[ "$(_sf_field sf reads)" -ge 1024 ] || _fail "too few swap reads" ||
		return 1
	grep -q '^max [1-9]' "$cg/memory.events" ||
		_fail "the cgroup never reached its limit"
}
