#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail create makes the device, its node and its table line; status and status --json show it; remove removes device and node"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --every-nth-write 100 --error ENODATA ||
		return 1
	[ -b /dev/mapper/sf ] || _fail "no /dev/mapper/sf" || return 1
	dmsetup table sf | cut -d' ' -f1-3,5-
	swapfail status sf || return 1
	swapfail status sf --json || return 1
	swapfail remove sf || return 1
	[ ! -e /dev/mapper/sf ] || _fail "/dev/mapper/sf was left" || return 1
	! dmsetup info sf >/dev/null 2>&1 || _fail "sf still exists" || return 1
	swapfail create sf "$disk" --offset 8 --block-size 512 --start-enabled \
		--quiet --every-nth-read 3 || return 1
	dmsetup table sf | cut -d' ' -f1-3,5-
	swapfail status sf --json || return 1
	swapfail remove sf || return 1
	[ ! -e /dev/mapper/sf ] || _fail "/dev/mapper/sf was left" || return 1
	echo "Test complete"
}
