#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="add, remove, query, list, count and clear take several ranges (A, A-B, A+N) and attributes per message"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 || return 1
	_sf_msg sf add 100-199 300+10 7 mode=rw count=5 error=ENOLINK || return 1
	_sf_msg sf add 50 60 mode=write || return 1
	_sf_msg sf list
	_sf_msg sf count
	_sf_msg sf count 0-99
	_sf_msg sf query 100 0-1000 250-260
	_sf_msg sf list 305
	_sf_msg sf list 0-10 45-55 60
	_sf_msg sf remove 150-159 7 || return 1
	_sf_msg sf list
	_sf_msg sf countbadblocks
	_sf_msg sf clear || return 1
	_sf_msg sf count
}
