#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="each error name reaches the reader as that errno; extents override the device default"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled error ETIMEDOUT || return 1
	dev=/dev/mapper/sf
	block=1
	for name in EIO ENODATA ENOLINK ETIMEDOUT ENOSPC EILSEQ EREMOTEIO; do
		_sf_msg sf add $block mode=rw error=$name || return 1
		_sf_expect_io $name read "$dev" $((block * 8)) 8 || return 1
		_sf_expect_io $name write "$dev" $((block * 8)) 1 --pattern 3 ||
			return 1
		block=$((block + 1))
	done
	_sf_msg sf add 100 mode=rw || return 1
	_sf_expect_field sf error ETIMEDOUT || return 1
	_sf_expect_io ETIMEDOUT read "$dev" 800 8 || return 1
	_sf_msg sf error ENODATA || return 1
	_sf_expect_io ENODATA read "$dev" 800 8 || return 1
	_sf_expect_field sf error ENODATA || return 1
	# a read over two extents gets the first one's error
	_sf_expect_io ENOLINK read "$dev" 24 16
}
