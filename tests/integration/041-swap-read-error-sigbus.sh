#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a read error on one swapped page gives its process SIGBUS (BUS_ADRERR) at that page's address; its other pages come back intact"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled || return 1
	_swap_on /dev/mapper/sf || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1
	slot=$(_slot 10)
	[ -n "$slot" ] || _fail "page 10 has no swap slot" || return 1
	# one 4 KiB block per slot
	_sf_msg sf add "$slot" mode=read error=ENODATA || return 1
	report=$(_victim_check) || return 1
	echo "$report" | grep -v "^sigbus page=10 addr=$(_page_addr 10) code=2$"
	echo "$report" | grep -q "^sigbus page=10 addr=$(_page_addr 10) code=2$" ||
		_fail "no SIGBUS at page 10 ($(_page_addr 10))" || return 1
	_expect_dmesg "Read-error on swap-device \([0-9]+:[0-9]+:$((slot * 8))\)" ||
		return 1
	_sf_expect_field sf read_errors 1
}
