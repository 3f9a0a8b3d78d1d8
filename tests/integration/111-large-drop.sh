#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="drop on large bios: a 2 MiB O_DIRECT write of a huge page, and a THP swapped out whole, succeed and write nothing; the old data stays"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# A guard for the rewrite of the large-I/O paths (issue 16): 2.0.0 passed it too.

test() {
	disk=$(_disk) || return $?
	_huge_ready "$disk" || return 1
	_nonrotational "$disk" || return 1
	# zeroes everywhere: what a dropped swap-out leaves is no earlier test's copy
	sfio zeroout "$disk" 0 "$(_sectors "$disk")" >/dev/null || return 1
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_huge write /dev/mapper/sf 8192 4096 --pattern 2 || return 1
	_sf_msg sf add 1324 mode=write drop || return 1
	_huge write /dev/mapper/sf 8192 4096 --pattern 5 || return 1
	_huge read "$disk" 8192 4096 --expect-pattern 2 || return 1
	_sf_expect_field sf dropped 1 || return 1

	_sf_msg sf clear || return 1
	_swap_on /dev/mapper/sf || return 1
	_sf_msg sf add "$(_swap_blocks /dev/mapper/sf)" mode=write drop || return 1
	cg=$(_cgroup sfvictim) || return 1
	_thp_victim "$cg" || return 1
	_thp_swap_out "$cg" || return 1
	[ "$(_sf_field sf dropped)" -ge 2 ] || _fail "the swap-out was not dropped" ||
		return 1
	_sf_msg sf clear || return 1
	# the slots still hold zeroes
	_victim_check | tail -n 1
}
