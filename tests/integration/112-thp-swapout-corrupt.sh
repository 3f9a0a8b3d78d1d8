#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="corrupt on a THP swapped out whole (one 2 MiB bio): exactly the window's page comes back changed, xor and random, the other 511 intact"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: kernel BUG at block/bio.c (bvec_alloc of 512 vecs for the clone of
# the swap-out's one 2 MiB bio).

# _corrupt_thp ACTION...: a THP victim swapped out over an extent of every slot with
# ACTION, then read back; prints its check's corrupt pages and summary.
_corrupt_thp() {
	_sf_msg sf clear || return 1
	_sf_msg sf add "$(_swap_blocks /dev/mapper/sf)" mode=write "$@" || return 1
	_thp_victim "$cg" || return 1
	_thp_swap_out "$cg" || return 1
	_victim_check
	echo exit >&9
	wait "$VICTIM_PID"
}

test() {
	disk=$(_disk) || return $?
	_nonrotational "$disk" || return 1
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_swap_on /dev/mapper/sf || return 1
	cg=$(_cgroup sfvictim) || return 1
	# the I/O starts inside the extent: at= counts from its first byte; a 4 KiB
	# swap-out of another page has no byte there
	_corrupt_thp corrupt=xor at=$((5 * 4096 + 100)) bytes=8 || return 1
	_corrupt_thp corrupt=random at=$((300 * 4096 + 4000)) bytes=16 seed=3 || return 1
	[ "$(_sf_field sf corrupted)" -ge 2 ] || _fail "corrupted=$(_sf_field sf corrupted)"
}
