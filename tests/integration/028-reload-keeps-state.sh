#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a reload that keeps device and block size keeps the table, policy and counters; its features apply at resume"

state() {
	_sf_msg sf list
	_sf_info sf
}

# reload LINE: load LINE into sf as its inactive table.
reload() {
	printf '%s\n' "$1" | dmsetup load sf || _fail "load failed: $1"
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 || return 1
	dev=/dev/mapper/sf
	_sf_msg sf add 5 10-20 mode=rw || return 1
	_sf_msg sf add 30 mode=rw count=2 || return 1
	_sf_msg sf enable || return 1
	_sf_msg sf every_nth_read 4 || return 1
	sfio read "$dev" 0 8
	sfio read "$dev" 0 8
	sfio read "$dev" 240 8
	before=$(state)
	line=$(dmsetup table sf)
	base="${line%% 4096 *} 4096"
	reload "$line" || return 1
	dmsetup resume sf || return 1
	[ "$(state)" = "$before" ] || _fail "state changed: $(state)" || return 1
	# the fourth read since enable still fails
	sfio read "$dev" 0 8

	# features apply when their table goes live, and only then

	reload "$base 3 start_enabled every_nth_read 2" || return 1
	_sf_expect_field sf every_nth_read 4 || return 1
	dmsetup resume sf || return 1
	_sf_expect_field sf every_nth_read 2 || return 1
	_sf_msg sf disable || return 1
	dmsetup suspend sf && dmsetup resume sf || return 1
	_sf_expect_field sf mode bypass || return 1
	_sf_msg sf count

	reload "${line%% 4096 *} 512" || return 1
	dmsetup resume sf || return 1
	_sf_msg sf count
	_sf_info sf | cut -d' ' -f1,5
}
