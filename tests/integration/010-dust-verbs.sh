#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="dm-dust's table line and verbs give dm-dust's answers with the target renamed swapfail"

test() {
	disk=$(_disk) || return $?
	_dm_create dust1 "0 $(_sectors "$disk") swapfail $disk 0 512" || return 1
	dmsetup message dust1 0 addbadblock 60
	dmsetup message dust1 0 addbadblock 67
	dmsetup message dust1 0 addbadblock 72
	dmsetup message dust1 0 countbadblocks
	dmsetup message dust1 0 listbadblocks
	dmsetup message dust1 0 queryblock 67
	dmsetup message dust1 0 queryblock 68
	dmsetup message dust1 0 removebadblock 67
	dmsetup message dust1 0 listbadblocks
	dmsetup message dust1 0 clearbadblocks
	dmsetup message dust1 0 clearbadblocks
	dmsetup message dust1 0 listbadblocks
	dmsetup message dust1 0 countbadblocks
	dmsetup table dust1 | cut -d' ' -f3,5-
	echo "Test complete"
}
