#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a swapped page over a delayed slot comes back slowed and intact; over a held slot it waits until release"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_swap_on /dev/mapper/sf || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1
	slot=$(_slot 10)
	[ -n "$slot" ] || _fail "page 10 has no swap slot" || return 1
	_sf_msg sf add "$slot" delay=800ms || return 1
	ms=$(timeit sh -c "echo touch 10 >&9; while ! grep -q '^touch page=10' $VICTIM_OUT; do sleep 0.05; done" \
		2>&1 >/dev/null | awk '/^timeit: / { printf "%d\n", $2 * 1000 }')
	echo "swap-in over a delayed slot: $ms ms" >&2
	[ "$ms" -ge 790 ] || _fail "page 10 came back after $ms ms" || return 1
	grep -q '^touch page=10 ok$' "$VICTIM_OUT" || _fail "page 10: $(grep '^touch page=10' "$VICTIM_OUT")" ||
		return 1
	_sf_msg sf remove "$slot" || return 1
	slot=$(_slot 20)
	_sf_msg sf add "$slot" hold || return 1
	echo "touch 20" >&9
	sleep 2
	grep -q '^touch page=20' "$VICTIM_OUT" && _fail "page 20 came back while held" && return 1
	state=$(awk '{ print $3 }' "/proc/$VICTIM_PID/stat")
	echo "victim in state $state while its swap-in is held" >&2
	_sf_expect_field sf holding 1 || return 1
	_sf_msg sf release || return 1
	_victim_wait '^touch page=20' || return 1
	grep '^touch page=20' "$VICTIM_OUT"
	_victim_check | tail -n 1
}
