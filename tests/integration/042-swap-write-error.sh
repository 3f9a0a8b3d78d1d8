#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="failing swap-outs log Write-error on swap-device, the pages stay in memory and go out later, and no data is lost"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled || return 1
	_swap_on /dev/mapper/sf || return 1
	blocks=$(($(_sectors "$disk") / 8))
	# every slot (block 0 is the swap header) fails its next 8 writes in all
	_sf_msg sf add 1-$((blocks - 1)) mode=write count=8 error=ENOSPC ||
		return 1
	cg=$(_cgroup sfwriter) || return 1
	_swapped_victim "$cg" 64 || return 1
	_sf_expect_field sf write_errors 8 || return 1
	_sf_msg sf count
	_expect_dmesg 'Write-error on swap-device' || return 1
	_swap_out "$cg" 64 || return 1
	_victim_check
}
