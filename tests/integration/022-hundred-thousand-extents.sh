#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="100,000 scattered blocks added in batches come back whole from list and listbadblocks"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 512 || return 1
	batch=0
	while [ $batch -lt 10 ]; do
		# shellcheck disable=SC2046 # one word per block
		_sf_msg sf add $(awk -v b=$batch 'BEGIN {
			for (i = b * 10000; i < (b + 1) * 10000; i++)
				print i * 7 + 3 }') || return 1
		batch=$((batch + 1))
	done
	_sf_msg sf count
	_sf_msg sf list >/tmp/list || return 1
	wc -l </tmp/list
	head -n 2 /tmp/list
	tail -n 1 /tmp/list
	_sf_msg sf listbadblocks >/tmp/blocks || return 1
	wc -l </tmp/blocks
	awk 'NR != ($1 - 3) / 7 + 1 || $1 % 7 != 3 { print "bad line " NR ": " $0; exit 1 }' /tmp/blocks
}
