#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail create says 'swapfail target not loaded (modprobe dm-swapfail?)' when the target is not loaded and cannot be"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	! dmsetup table | grep -q ' swapfail ' ||
		_skip "swapfail devices exist: the module cannot be unloaded"
	rmmod dm_swapfail || _fail "rmmod dm_swapfail failed" || return 1
	# device-mapper's request_module("dm-swapfail") must fail
	modprobe_path=$(cat /proc/sys/kernel/modprobe)
	echo /bin/false >/proc/sys/kernel/modprobe
	_register_dm sf
	swapfail create sf "$disk" 2>/tmp/err
	rc=$?
	echo "$modprobe_path" >/proc/sys/kernel/modprobe
	echo "exit $rc: $(cat /tmp/err)"
	modprobe dm-swapfail || _fail "modprobe dm-swapfail failed" || return 1
	swapfail create sf "$disk" || return 1
	swapfail remove sf
}
