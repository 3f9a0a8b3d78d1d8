#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail ls lists every swapfail device and no other: name, path, size, block size, enabled, extents, held; -o, --noheadings, --raw and --json as util-linux's"

requires() {
	_have_program swapfail && _have_program jsoncheck
}

test() {
	disk=$(_disk) || return $?
	half=$(($(_sectors "$disk") / 2))
	_dm_create lin "0 $half linear $disk 0" || return 1
	_register_dm sfa
	_register_dm sfb
	swapfail create sfa "$disk" --offset "$half" --block-size 512 >/dev/null || return 1
	swapfail create sfb /dev/mapper/lin --start-enabled >/dev/null || return 1
	swapfail add sfa 1-9 20 || return 1
	swapfail ls
	echo "-- -n -o NAME,EXTENTS,BLOCKS,DEVICE --raw"
	swapfail ls -n -o NAME,EXTENTS,BLOCKS,DEVICE --raw | sed "s|$disk|DISK|"
	swapfail ls --json >/tmp/ls.json || return 1
	jsoncheck ls </tmp/ls.json || _fail "ls --json: $(cat /tmp/ls.json)" || return 1
	grep -o '"name": "[a-z]*", "path": "[^"]*"' /tmp/ls.json
	swapfail remove sfa && swapfail remove sfb || return 1
	echo "-- none"
	swapfail ls
}
