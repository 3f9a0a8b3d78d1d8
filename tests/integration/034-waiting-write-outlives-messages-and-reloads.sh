#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="writes waiting for nodes to heal outlive messages, a long list, a noflush suspend and a reload, then land"

PARAM=/sys/module/dm_swapfail/parameters/reserve_nodes

# Heal holes in a mode=read extent, each write in the background, until
# one waits (the emptied reserve cannot heal it).  Prints the holes made.
_holes_until_waiting() {
	_h=0
	while [ $_h -lt 40 ]; do
		sfio write /dev/mapper/sf $((100 + 100 * _h)) 1 --pattern 5 >/dev/null &
		_h=$((_h + 1))
		sleep 0.2
		[ "$(_sf_field sf deferred)" -gt 0 ] && break
	done
	echo $_h
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 512 start_enabled quiet || return 1
	_sf_msg sf add 0+10000 || return 1
	# 10,000 more extents, for a long list while writes wait
	# shellcheck disable=SC2046 # one word per block
	_sf_msg sf add $(awk 'BEGIN { for (i = 0; i < 10000; i++) print 20000 + 2 * i }') ||
		return 1
	_register_param "$PARAM"
	echo 0 >"$PARAM" || return 1
	holes=$(_holes_until_waiting)
	[ "$(_sf_field sf deferred)" -gt 0 ] ||
		_fail "no write waited: the test did not reach its case" || return 1

	_sf_msg sf add 50000-50099 mode=rw || return 1
	[ "$(_sf_msg sf list | wc -l)" -eq "$(_sf_field sf extents)" ] ||
		_fail "list while a write waits" || return 1
	_sf_msg sf remove 50000-50099 || return 1
	dmsetup suspend --noflush sf || return 1
	dmsetup resume sf || return 1
	dmsetup table sf | dmsetup reload sf || return 1
	dmsetup suspend --noflush sf || return 1
	dmsetup resume sf || return 1
	[ "$(_sf_field sf healed)" -lt "$holes" ] ||
		_fail "every write healed with no reserve" || return 1

	echo 128 >"$PARAM" || return 1
	wait
	_sf_expect_field sf healed "$holes" || return 1
	i=0
	while [ $i -lt "$holes" ]; do
		s=$((100 + 100 * i))
		_sf_expect_io ok read /dev/mapper/sf $s 1 --expect-pattern 5 || return 1
		_sf_expect_io EIO read /dev/mapper/sf $((s + 1)) 1 || return 1
		i=$((i + 1))
	done
	# each hole split the first extent
	_sf_expect_field sf extents $((10001 + holes)) || return 1
	_sf_expect_field sf blocks $((20000 - holes)) || return 1
}
