#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail add, list, query, count, del and clear edit and show the bad-block table as the target's messages do"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --block-size 512 >/dev/null || return 1
	swapfail add sf 1000+1000000 20 30-39 --mode rw --error ENODATA ||
		return 1
	swapfail add sf 50 -m write -c 3 || return 1
	swapfail add sf 60 --wr-fail 2 || return 1
	swapfail add sf 70-71 count=5 || return 1
	swapfail list sf
	echo "-- list 25-55"
	swapfail list sf 25-55
	echo "-- query"
	swapfail query sf 35 40-60 1000+10
	swapfail count sf
	swapfail count sf 0-999
	echo "-- del 500000 35 70-71"
	swapfail del sf 500000 35 70-71 || return 1
	swapfail list sf
	swapfail count sf
	echo "-- clear"
	swapfail clear sf || return 1
	swapfail count sf
	swapfail list sf
	_sf_msg sf listbadblocks
}
