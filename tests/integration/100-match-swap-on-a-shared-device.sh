#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="match=swap over a device shared by swap and a filesystem fails swap-outs only; the filesystem writes on"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	half=$(($(_sectors /dev/mapper/sf) / 2))
	_dm_create sfswap "0 $half linear /dev/mapper/sf 0" || return 1
	_dm_create sffs "0 $half linear /dev/mapper/sf $half" || return 1
	mke2fs -q /dev/mapper/sffs >/dev/null 2>&1 || _fail "mke2fs failed" || return 1
	_swap_on /dev/mapper/sfswap || return 1
	# every block of the device, the filesystem's and the swap area's
	_sf_msg sf add 1-$((half / 4 - 1)) mode=write match=swap || return 1
	mkdir -p /mnt/sffs
	mount -t ext4 /dev/mapper/sffs /mnt/sffs || _fail "mount failed" || return 1
	_register_mount /mnt/sffs
	dd if=/dev/urandom of=/mnt/sffs/data bs=65536 count=64 2>/dev/null
	sum=$(md5sum </mnt/sffs/data)
	umount /mnt/sffs || return 1
	echo 3 >/proc/sys/vm/drop_caches
	mount -t ext4 /dev/mapper/sffs /mnt/sffs || _fail "remount failed" || return 1
	[ "$(md5sum </mnt/sffs/data)" = "$sum" ] || _fail "the file did not land" ||
		return 1
	[ "$(_sf_field sf write_errors)" -eq 0 ] || _fail "a filesystem write failed" ||
		return 1
	cg=$(_cgroup sfvictim) || return 1
	_victim_start "$cg" 64 || return 1
	# the kernel's "Write-error on swap-device" is rate-limited (5 s): after a
	# test that failed thousands of swap-outs (072, just before this on the
	# kernels that run the kernel-facing tests) the first ones here are not
	# logged at all
	sleep 6
	# reclaim may take the cgroup's file pages first: again until a swap-out
	# has failed
	tries=0
	while [ "$(_sf_field sf write_errors)" -eq 0 ] && [ $tries -lt 20 ]; do
		echo $((64 * 4096)) >"$cg/memory.reclaim" 2>/dev/null
		tries=$((tries + 1))
	done
	[ "$(_sf_field sf write_errors)" -gt 0 ] ||
		_fail "no swap-out failed in $tries rounds of reclaim" || return 1
	_expect_dmesg "Write-error on swap-device" || return 1
	_victim_check | tail -n 1
}
