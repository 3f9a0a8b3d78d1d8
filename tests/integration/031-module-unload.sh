#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="the module cannot go while a device uses it, unloads once none does, and loads again"

test() {
	disk=$(_disk) || return $?
	dmsetup targets | grep -q '^swapfail *v2\.1\.0$' ||
		_fail "swapfail v2.1.0 not among the targets" || return 1
	_sf_create sf "$disk" 4096 || return 1
	rmmod dm_swapfail 2>/dev/null && _fail "unloaded while in use" && return 1
	_dm_remove sf || return 1
	rmmod dm_swapfail || _fail "rmmod failed" || return 1
	dmsetup targets | grep -q '^swapfail' && _fail "target still there" &&
		return 1
	modprobe dm-swapfail || _fail "modprobe failed" || return 1
	_sf_create sf "$disk" 4096 || return 1
	_sf_msg sf countbadblocks
}
