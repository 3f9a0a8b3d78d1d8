#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="listbadblocks over more blocks than an answer can hold is refused at once, with a reason naming list"

test() {
	# 200,000,000 blocks of 512 bytes on a 100 GiB null_blk that keeps no data
	_modprobe null_blk nr_devices=1 gb=100 || return 1
	_sf_create sf /dev/nullb0 512 || return 1
	_sf_msg sf add 0+200000000 || return 1
	_sf_reject sf listbadblocks || return 1
	_expect_dmesg "message 'listbadblocks' rejected: too many blocks for one answer: use list" ||
		return 1
	_sf_msg sf list
	_sf_msg sf countbadblocks
}
