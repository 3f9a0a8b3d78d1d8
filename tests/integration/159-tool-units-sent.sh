#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="durations (1.5s, 2m), sizes (4k, 1M) and percentages (10%) reach the target as the values meant: the table, the status and the table line say so"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --block-size 4k --offset 1M >/dev/null || return 1
	dmsetup table sf | cut -d' ' -f5-
	swapfail add sf 1 --delay 1.5s~250ms || return 1
	swapfail add sf 2 delay=2m || return 1
	swapfail add sf 3 --hold=1.5m || return 1
	swapfail add sf 4 --corrupt xor --at 2k --bytes 8 || return 1
	swapfail list sf -n -o BLOCKS,ACTION --raw
	swapfail probability sf read 10% || return 1
	swapfail probability sf write 0.05% --delay 2ms || return 1
	swapfail status sf | awk '$1 ~ /^(probability|trigger)_/'
}
