#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="flush, discard and write-zeroes pass through untouched by the table; the device keeps the disk's limits"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled || return 1
	dev=/dev/mapper/sf
	dm=$(dmsetup info -c --noheadings -o blkdevname sf)
	for limit in logical_block_size physical_block_size max_sectors_kb \
		     discard_granularity discard_max_bytes; do
		[ "$(cat /sys/block/"$dm"/queue/$limit)" = \
		  "$(cat /sys/block/vda/queue/$limit)" ] ||
			_fail "$limit differs from the disk's" || return 1
	done
	_sf_msg sf add 0-255 mode=rw || return 1
	# an empty flush carries sector 0, inside the bad extent: it must pass
	_sf_expect_io ok write "$dev" 4096 8 --pattern 6 --buffered || return 1
	blkdiscard -o 0 -l 2097152 "$dev" || _fail "discard failed" || return 1
	[ "$(cat /sys/block/"$dm"/queue/write_zeroes_max_bytes)" -gt 0 ] ||
		_fail "no write-zeroes on the device" || return 1
	_sf_expect_io ok zeroout "$dev" 0 4096 || return 1
	_sf_msg sf count
	_sf_info sf | cut -d' ' -f5-8
}
