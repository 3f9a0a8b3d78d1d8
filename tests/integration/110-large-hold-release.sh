#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="hold on large bios: a 2 MiB O_DIRECT read and write of a huge page, and a THP swapped out whole, wait as one held I/O each until release, then deliver their data"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# A guard for the rewrite of the large-I/O paths (issue 16): 2.0.0 passed it too.

# _held_one DIR: one held I/O of direction DIR, in one line of held.
_held_one() {
	_wait_ge sf holding 1 || return 1
	sleep 0.5
	_sf_expect_field sf holding 1 || return 1
	_ho=$(_sf_msg sf held)
	if [ "$(echo "$_ho" | grep -c " $1 ")" -ne 1 ] || [ "$(echo "$_ho" | wc -l)" -ne 1 ]; then
		_fail "held: $_ho"
		return 1
	fi
}

_test() {
	disk=$(_disk) || return $?
	_huge_ready "$disk" || return 1
	_nonrotational "$disk" || return 1
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_huge write /dev/mapper/sf 8192 4096 --pattern 3 || return 1
	_sf_msg sf add 1324 mode=rw hold || return 1
	for dir in write read; do
		if [ $dir = write ]; then
			hugeio write /dev/mapper/sf 8192 4096 --pattern 5 \
				>"$SWAPFAIL_RESULT/$dir" &
		else
			hugeio read /dev/mapper/sf 8192 4096 --expect-pattern 5 \
				>"$SWAPFAIL_RESULT/$dir" &
		fi
		pid=$!
		_held_one $dir || return 1
		if ! kill -0 $pid 2>/dev/null || grep -q -v '^buffer ' "$SWAPFAIL_RESULT/$dir"; then
			_fail "the held $dir completed: $(cat "$SWAPFAIL_RESULT/$dir")"
			return 1
		fi
		_sf_msg sf release || return 1
		wait $pid
		grep -v '^buffer ' "$SWAPFAIL_RESULT/$dir"
	done
	_sf_expect_field sf held 2 || return 1

	_sf_msg sf clear || return 1
	_swap_on /dev/mapper/sf || return 1
	_sf_msg sf add "$(_swap_blocks /dev/mapper/sf)" mode=write hold || return 1
	cg=$(_cgroup sfvictim) || return 1
	_thp_victim "$cg" || return 1
	swpout=$(_vmstat thp_swpout)
	echo $((512 * 4096 * 4)) >"$cg/memory.reclaim" 2>/dev/null &
	reclaim=$!
	_held_one write || return 1
	# the huge page waits in the swap cache, under writeback
	[ "$(_swapcached "$cg")" -ge $((2 << 20)) ] ||
		_fail "swapcached $(_swapcached "$cg") while the swap-out is held" || return 1
	_sf_msg sf release || return 1
	wait $reclaim
	_thp_swap_out "$cg" "$swpout" || return 1
	_sf_expect_field sf holding 0 || return 1
	_victim_check | tail -n 1
}

test() {
	_release_after _test
}
