#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a swapped page whose swap-out was dropped, or whose swap-in is corrupted, comes back wrong, silently"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	# the disk is shared with the tests before: what dropped swap-outs
	# leave in a slot must not be an earlier victim's copy of the page
	dd if=/dev/zero of=/dev/mapper/sf bs=1M oflag=direct 2>/dev/null
	_swap_on /dev/mapper/sf || return 1
	# every swap-out is dropped: slots keep what the device held (zeros)
	_sf_msg sf add 1-$(($(_sectors /dev/mapper/sf) / 8 - 1)) mode=write drop ||
		return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 16 || return 1
	_sf_msg sf clear || return 1
	_victim_check | tail -n 1
	kill "$VICTIM_PID"
	# a swap-in of one page gets 8 bytes changed
	_swapped_victim "$cg" 16 || return 1
	slot=$(_slot 3)
	_sf_msg sf add "$slot" corrupt=xor at=64 bytes=8 || return 1
	_victim_check
	_sf_expect_field sf corrupted 1
}
