#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a delayed write over a mode=read bad block heals it once it lands, delayed by a trigger or by an extent it also covers"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the delay replaces the heal; the block still reads back as bad.

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	echo "-- every_nth_write 1 delay=50ms over bad block 5"
	_sf_msg sf add 5 || return 1
	_sf_msg sf every_nth_write 1 delay=50ms || return 1
	ms=$(_ms sfio write /dev/mapper/sf 40 8 --pattern 3)
	[ "$ms" -ge 50 ] || _fail "the write took $ms ms" || return 1
	_sf_msg sf every_nth_write 0 || return 1
	sfio read /dev/mapper/sf 40 8 --expect-pattern 3
	_sf_msg sf query 5
	echo "-- bad block 10, and block 11 delays writes: a write of both"
	_sf_msg sf add 10 || return 1
	_sf_msg sf add 11 mode=write delay=50ms || return 1
	ms=$(_ms sfio write /dev/mapper/sf 80 16 --pattern 4)
	[ "$ms" -ge 50 ] || _fail "the write took $ms ms" || return 1
	sfio read /dev/mapper/sf 80 16 --expect-pattern 4
	_sf_msg sf query 10
	_sf_expect_field sf delayed 2 || return 1
	_sf_expect_field sf healed 2
}
