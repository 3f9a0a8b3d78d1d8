#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a batch with one bad element is rejected with EINVAL and leaves the table, policy and counters as they were"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 || return 1
	last=$(($(_sectors "$disk") / 8 - 1))
	_sf_msg sf add 10-19 40 mode=rw || return 1
	before=$(_sf_msg sf list; _sf_info sf)
	_sf_reject sf add 1 2 3 $((last + 1)) || return 1
	_sf_reject sf add 1 2 3 $last+2 || return 1
	_sf_reject sf add 1 2 3 19 || return 1
	_sf_reject sf add 1 2 3 2-5 || return 1
	_sf_reject sf add 1 2 3 mode=sometimes || return 1
	_sf_reject sf add 1 2 3 count=0 || return 1
	_sf_reject sf remove 10 40 41 || return 1
	_sf_reject sf remove 10 x || return 1
	_sf_reject sf query 10 $((last + 1)) || return 1
	after=$(_sf_msg sf list; _sf_info sf)
	[ "$before" = "$after" ] || _fail "state changed: $before / $after"
	_sf_msg sf add $last 0 || return 1
	_sf_msg sf count
}
