#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a suspend with flush, and a remove, settle writes still waiting for nodes: they fail with EIO and change nothing"

PARAM=/sys/module/dm_swapfail/parameters/reserve_nodes

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 512 start_enabled quiet || return 1
	_sf_msg sf add 0+1000 || return 1
	_register_param "$PARAM"
	echo 0 >"$PARAM" || return 1
	# drain the reserve: each heal takes nodes, none come back
	i=0
	while [ "$(_sf_field sf deferred)" -eq 0 ] && [ $i -lt 40 ]; do
		sfio write /dev/mapper/sf $((10 + 10 * i)) 1 --pattern 3 \
			>"$SWAPFAIL_RESULT/write$i" &
		i=$((i + 1))
		sleep 0.2
	done
	[ "$(_sf_field sf deferred)" -gt 0 ] ||
		_fail "no write waited: the test did not reach its case" || return 1
	waiting=$((i - $(_sf_field sf healed)))
	dmsetup suspend sf || return 1
	wait
	failed=$(cat "$SWAPFAIL_RESULT"/write* | grep -c EIO)
	[ "$failed" -eq "$waiting" ] ||
		_fail "$failed writes failed, $waiting waited" || return 1
	_sf_expect_field sf write_errors "$waiting" || return 1
	dmsetup resume sf || return 1
	# a waiting write failed: its block is still bad
	last=$((10 + 10 * (i - 1)))
	_sf_expect_io EIO read /dev/mapper/sf $last 1 || return 1

	sfio write /dev/mapper/sf 995 1 --pattern 3 >"$SWAPFAIL_RESULT/last" &
	tries=50
	while [ "$(_sf_field sf deferred)" -le "$waiting" ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	# --force: the table that replaces ours fails what is queued; ours,
	# suspended first, settles the write that waits
	dmsetup remove --force sf 2>/dev/null
	wait
	grep -q EIO "$SWAPFAIL_RESULT/last" || _fail "the last write did not fail"
}
