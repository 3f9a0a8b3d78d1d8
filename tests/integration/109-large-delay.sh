#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="delay on large bios: a 2 MiB O_DIRECT read and write of a huge page, and a THP swapped out whole, take the delay and deliver their data"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# A guard for the rewrite of the large-I/O paths (issue 16): 2.0.0 passed it too.

test() {
	disk=$(_disk) || return $?
	_huge_ready "$disk" || return 1
	_nonrotational "$disk" || return 1
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	# one block in the middle of the 2 MiB I/O at block 1024
	_sf_msg sf add 1324 mode=rw delay=300ms || return 1
	ms=$(_ms hugeio write /dev/mapper/sf 8192 4096 --pattern 6) || return 1
	[ "$ms" -ge 295 ] || _fail "the 2 MiB write took $ms ms" || return 1
	ms=$(_ms hugeio read /dev/mapper/sf 8192 4096 --expect-pattern 6) || return 1
	[ "$ms" -ge 295 ] || _fail "the 2 MiB read took $ms ms" || return 1
	_huge read /dev/mapper/sf 8192 4096 --expect-pattern 6 || return 1
	_sf_expect_field sf delayed 3 || return 1

	_sf_msg sf clear || return 1
	_swap_on /dev/mapper/sf || return 1
	_sf_msg sf add "$(_swap_blocks /dev/mapper/sf)" mode=write delay=300ms || return 1
	cg=$(_cgroup sfvictim) || return 1
	_thp_victim "$cg" || return 1
	before=$(_sf_field sf delayed)
	_thp_swap_out "$cg" || return 1
	[ "$(_sf_field sf delayed)" -gt "$before" ] || _fail "no swap-out was delayed" ||
		return 1
	_sf_expect_field sf delaying 0 || return 1
	_victim_check | tail -n 1
}
