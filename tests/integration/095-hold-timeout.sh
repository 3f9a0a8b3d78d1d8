#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="hold=T: held I/O goes on by itself T later"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_sf_msg sf add 5 hold=700ms || return 1
	ms=$(timeit sfio read /dev/mapper/sf 40 8 2>&1 >/dev/null |
		awk '/^timeit: / { printf "%d\n", $2 * 1000 }')
	echo "held for $ms ms" >&2
	[ "$ms" -ge 690 ] || _fail "released after $ms ms" || return 1
	[ "$ms" -lt 3000 ] || _fail "released only after $ms ms" || return 1
	_sf_expect_field sf held 1
}
