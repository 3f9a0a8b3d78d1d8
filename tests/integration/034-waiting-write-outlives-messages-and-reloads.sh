#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="writes waiting for nodes to heal outlive messages, a list of a million extents, noflush suspends and a reload, then land"

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

# _million_extents: 1,000,000 one-block extents from block 20000, every
# other block, in 100 messages.
_million_extents() {
	_me_i=0
	while [ $_me_i -lt 100 ]; do
		# shellcheck disable=SC2046 # one word per block
		_sf_msg sf add $(awk -v f=$((20000 + 20000 * _me_i)) \
			'BEGIN { for (i = 0; i < 10000; i++) print f + 2 * i }') ||
			return 1
		_me_i=$((_me_i + 1))
	done
}

test() {
	# 2,097,152 blocks of 512 bytes: a 1 GiB null_blk, in memory
	_modprobe null_blk nr_devices=1 gb=1 memory_backed=1 || return 1
	_sf_create sf /dev/nullb0 512 start_enabled quiet || return 1
	_sf_msg sf add 0+10000 || return 1
	# a million more extents, for a long list while writes wait
	_million_extents || return 1
	_register_param "$PARAM"
	echo 0 >"$PARAM" || return 1
	holes=$(_holes_until_waiting)
	[ "$(_sf_field sf deferred)" -gt 0 ] ||
		_fail "no write waited: the test did not reach its case" || return 1

	_sf_msg sf add 2050000-2050099 mode=rw || return 1
	[ "$(_sf_msg sf list | wc -l)" -eq "$(_sf_field sf extents)" ] ||
		_fail "list while a write waits" || return 1
	_sf_msg sf remove 2050000-2050099 || return 1
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
	_sf_expect_field sf extents $((1000001 + holes)) || return 1
	_sf_expect_field sf blocks $((1010000 - holes)) || return 1
}
