#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a filesystem on a swapfail device keeps its files across a remount"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 || return 1
	mke2fs -q /dev/mapper/sf >/dev/null 2>&1 ||
		mke2fs /dev/mapper/sf >/dev/null || _fail "mke2fs failed" || return 1
	mkdir -p /mnt/sf
	mount -t ext4 /dev/mapper/sf /mnt/sf || _fail "mount failed" || return 1
	_register_mount /mnt/sf
	dd if=/dev/urandom of=/mnt/sf/data bs=65536 count=64 2>/dev/null
	sum=$(md5sum </mnt/sf/data)
	umount /mnt/sf || return 1
	mount -t ext4 /dev/mapper/sf /mnt/sf || _fail "remount failed" || return 1
	[ "$(md5sum </mnt/sf/data)" = "$sum" ] || _fail "file changed"
}
