#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a reloaded line's features replace the old ones at resume (start_enabled only enables); table --inactive shows the loaded line"

features() {
	dmsetup table "$@" sf | cut -d' ' -f3,5-
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet every_nth_read 5 error ENOLINK ||
		return 1
	features
	base="0 $(_sectors "$disk") swapfail $disk 0 4096"
	echo "$base" | dmsetup load sf || return 1
	features --inactive
	features
	dmsetup resume sf || return 1
	features
	_sf_info sf | tr ' ' '\n' | grep -E '^(mode|quiet|every_nth_read|error)='
	echo "$base 1 quiet" | dmsetup load sf || return 1
	dmsetup resume sf || return 1
	features
}
