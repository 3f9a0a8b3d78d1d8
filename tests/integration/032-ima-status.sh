#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="device-mapper's IMA measurement of a table load records the target's IMA status line"

requires() {
	[ -d /sys/kernel/security ] || { echo "no securityfs"; return 1; }
	grep -q ima_policy=critical_data /proc/cmdline ||
		{ echo "not booted with ima_policy=critical_data"; return 1; }
}

test() {
	disk=$(_disk) || return $?
	grep -q ' /sys/kernel/security ' /proc/mounts ||
		mount -t securityfs securityfs /sys/kernel/security || return 1
	list=/sys/kernel/security/ima/ascii_runtime_measurements
	[ -r $list ] || list=/sys/kernel/security/integrity/ima/ascii_runtime_measurements
	[ -r $list ] || _skip "no IMA measurement list"
	_dm_create imatest "0 $(($(_sectors "$disk") - 8)) swapfail $disk 8 4096" ||
		return 1
	dev=$(cat /sys/class/block/"${disk#/dev/}"/dev)
	# ima-buf lines end with the measured buffer in hex
	awk '$3 == "ima-buf" && $5 == "dm_table_load" { print $6 }' $list |
		xxd -r -p | tr ';' '\n' | grep 'target_name=swapfail' |
		grep -q "target_version=2\.1\.0,device_name=$dev,offset=8,block_size=4096" ||
		_fail "no swapfail table load measured"
}
