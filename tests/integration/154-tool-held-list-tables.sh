#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="held, list and query print util-linux tables: held I/O by block with what held it, the table's extents with their action; -o, --noheadings and --raw"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --start-enabled --quiet >/dev/null || return 1
	swapfail add sf 5 --hold=1m || return 1
	swapfail add sf 10-12 --mode write --count 3 --delay 1.5ms~500us || return 1
	swapfail add sf 20 --corrupt xor --at 1k --bytes 4 || return 1
	swapfail add sf 30 --error ENODATA --wr-fail 2 || return 1
	sfio read /dev/mapper/sf 40 8 >/dev/null &
	_register_pid $!
	_sf_wait_field sf holding 1 || return 1
	swapfail held sf -o BLOCKS,DIR,BY
	ms=$(swapfail held sf -n -o MS)
	[ "$ms" -ge 0 ] 2>/dev/null || _fail "held for '$ms' ms" || return 1
	swapfail held sf -n -o FIRST,LAST,DIR,BY --raw
	swapfail list sf
	swapfail list sf 11 -n -o BLOCKS,ACTION --raw
	swapfail query sf 0-9 10+5 25
	swapfail query sf 0-9 -n -o BAD
	swapfail release sf
}
