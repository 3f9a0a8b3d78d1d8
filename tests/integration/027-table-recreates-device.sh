#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="dmsetup table prints a line that recreates a device with the same policy; without features it is a dm-dust line"

policy() {
	_sf_info "$1" | tr ' ' '\n' | grep -E '^(mode|quiet|every_nth_read|every_nth_write|error)='
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 || return 1
	dmsetup table sf | cut -d' ' -f3,5-
	_sf_msg sf enable || return 1
	_sf_msg sf quiet on || return 1
	_sf_msg sf every_nth_write 5 || return 1
	_sf_msg sf error ENOSPC || return 1
	line=$(dmsetup table sf)
	echo "$line" | cut -d' ' -f3,5-
	_dm_create sf2 "$line" || return 1
	[ "$(dmsetup table sf2)" = "$line" ] || _fail "tables differ" || return 1
	[ "$(policy sf2)" = "$(policy sf)" ] || _fail "policies differ"
}
