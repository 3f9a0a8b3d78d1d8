#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="status INFO is one line of key=value fields that count I/Os and errors; stats and reset_stats work"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 || return 1
	dev=/dev/mapper/sf
	_sf_msg sf reset_stats || return 1
	sfio read "$dev" 0 8 >/dev/null
	sfio read "$dev" 8 8 >/dev/null
	sfio read "$dev" 16 8 >/dev/null
	sfio write "$dev" 0 8 --pattern 1 >/dev/null
	sfio write "$dev" 8 8 --pattern 1 >/dev/null
	dmsetup status sf | cut -d' ' -f3-
	_sf_msg sf add 1 mode=rw || return 1
	_sf_msg sf add 2 || return 1
	_sf_msg sf enable || return 1
	_sf_msg sf quiet on || return 1
	_sf_msg sf every_nth_write 1000 || return 1
	sfio read "$dev" 8 8
	sfio write "$dev" 16 8 --pattern 1
	_sf_msg sf stats
	_sf_info sf
	_sf_msg sf quiet || return 1
	_sf_msg sf reset_stats || return 1
	_sf_msg sf stats
}
