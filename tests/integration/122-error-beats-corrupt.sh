#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="an error wins over corrupt: a bad block fails a read that a trigger or a lower extent would corrupt, and a write that an extent would corrupt, which changes nothing"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the trigger's corruption replaces the table's error, and the extent at
# the lowest block decides alone: the I/O is corrupted and succeeds.

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 0 256 --pattern 6 >/dev/null || return 1
	echo "-- bad block 5, every_nth_read 1 corrupt=xor"
	_sf_msg sf add 5 || return 1
	_sf_msg sf every_nth_read 1 corrupt=xor || return 1
	sfio read /dev/mapper/sf 40 8
	_sf_msg sf every_nth_read 0 || return 1
	echo "-- block 10 corrupts, block 11 fails with ENODATA: a read of both"
	_sf_msg sf add 10 corrupt=xor || return 1
	_sf_msg sf add 11 error=ENODATA || return 1
	sfio read /dev/mapper/sf 80 16
	echo "-- block 20 corrupts writes, block 21 fails them with ENOSPC: a write of both"
	_sf_msg sf add 20 mode=write corrupt=xor || return 1
	_sf_msg sf add 21 mode=write error=ENOSPC || return 1
	sfio write /dev/mapper/sf 160 16 --pattern 7
	sfio read "$disk" 160 16 --expect-pattern 6
	_sf_expect_field sf corrupted 0
}
