#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="disable bypasses everything: a write waiting for nodes to heal lands without healing"

PARAM=/sys/module/dm_swapfail/parameters/reserve_nodes

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 512 start_enabled quiet || return 1
	_sf_msg sf add 0+1000 || return 1
	_register_param "$PARAM"
	echo 0 >"$PARAM" || return 1
	i=0
	while [ "$(_sf_field sf deferred)" -eq 0 ] && [ $i -lt 40 ]; do
		sfio write /dev/mapper/sf $((10 + 10 * i)) 1 --pattern 4 >/dev/null &
		i=$((i + 1))
		sleep 0.2
	done
	[ "$(_sf_field sf deferred)" -gt 0 ] ||
		_fail "no write waited: the test did not reach its case" || return 1
	healed=$(_sf_field sf healed)
	_sf_msg sf disable || return 1
	wait
	# the waiting write went down as it was: data on disk, block still bad
	_sf_expect_field sf healed "$healed" || return 1
	last=$((10 + 10 * (i - 1)))
	_sf_expect_io ok read /dev/mapper/sf $last 1 --expect-pattern 4 || return 1
	[ "$(_sf_msg sf query $last)" = "$last-$last bad=1" ] ||
		_fail "block $last left the table" || return 1
	_sf_msg sf enable || return 1
	_sf_expect_io EIO read /dev/mapper/sf $last 1 || return 1
}
