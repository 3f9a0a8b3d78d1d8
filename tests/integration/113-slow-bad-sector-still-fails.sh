#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a slow disk's bad sector still fails: every_nth_read 1 delay=50ms and a bad block fail a read of it with EIO after the delay, and a swapped page there gives its process SIGBUS"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the trigger's delay replaces the table's answer, the read returns the
# bad block's data after 50 ms, and the victim gets its page back intact.

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 40 8 --pattern 6 >/dev/null || return 1
	_sf_msg sf add 5 || return 1
	_sf_msg sf every_nth_read 1 delay=50ms || return 1
	_sf_msg sf reset_stats || return 1
	timeit sfio read /dev/mapper/sf 40 8 2>"$SWAPFAIL_RESULT/time"
	ms=$(awk '/^timeit: / { printf "%d\n", $2 * 1000 }' "$SWAPFAIL_RESULT/time")
	[ "$ms" -ge 50 ] || _fail "failed after $ms ms, before the delay" || return 1
	_sf_expect_field sf delayed 1 || return 1
	_sf_expect_field sf read_errors 1 || return 1

	_sf_msg sf every_nth_read 0 || return 1
	_sf_msg sf clear || return 1
	_swap_on /dev/mapper/sf || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1
	slot=$(_slot 10)
	[ -n "$slot" ] || _fail "page 10 has no swap slot" || return 1
	_sf_msg sf add "$slot" || return 1
	_sf_msg sf every_nth_read 1 delay=50ms || return 1
	report=$(_victim_check) || return 1
	echo "$report" | grep -q "^sigbus page=10 addr=$(_page_addr 10) code=2$" ||
		_fail "no SIGBUS at page 10 ($(_page_addr 10)): $report" || return 1
	echo "$report" | tail -n 1
}
