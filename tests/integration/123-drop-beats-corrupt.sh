#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="drop wins over corrupt: a write that one extent would corrupt and a higher one (or the extent of a corrupting trigger) drops writes nothing"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the extent at the lowest block, or the trigger, decides alone: the
# write lands, corrupted.

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write "$disk" 0 256 --pattern 2 >/dev/null || return 1
	echo "-- block 5 corrupts writes, block 6 drops them: a write of both"
	_sf_msg sf add 5 mode=write corrupt=xor || return 1
	_sf_msg sf add 6 mode=write drop || return 1
	sfio write /dev/mapper/sf 40 16 --pattern 3
	sfio read "$disk" 40 16 --expect-pattern 2
	echo "-- block 10 drops writes, every_nth_write 1 corrupt=xor"
	_sf_msg sf add 10 mode=write drop || return 1
	_sf_msg sf every_nth_write 1 corrupt=xor || return 1
	sfio write /dev/mapper/sf 80 8 --pattern 3
	_sf_msg sf every_nth_write 0 || return 1
	sfio read "$disk" 80 8 --expect-pattern 2
	_sf_expect_field sf dropped 2 || return 1
	_sf_expect_field sf corrupted 0
}
