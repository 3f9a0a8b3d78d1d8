#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="corrupt on a 2 MiB O_DIRECT read into a huge page: the reader gets exactly the window changed (an extent's at= counts from its first block in the I/O, bytes past the I/O's end are left out), the device keeps its data"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# The I/O: 2 MiB (4096 sectors) at sector 8192, blocks 1024-1535 of 4 KiB.
# 2.0.0 counts at= from the I/O's first byte: the extent at block 1324 changes
# bytes 4090-4101 of the I/O, in block 1024, outside the extent.

_read() {
	_huge read /dev/mapper/sf 8192 4096 --expect-pattern 4
}

test() {
	disk=$(_disk) || return $?
	_huge_ready "$disk" || return 1
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_huge write /dev/mapper/sf 8192 4096 --pattern 4 || return 1

	echo "-- xor, window across blocks 1324 and 1325 (300 blocks into the I/O)"
	_sf_msg sf add 1324-1325 corrupt=xor at=4090 bytes=12 || return 1
	_read || return 1
	echo "-- random, 16 bytes from byte 100 of block 1400 (376 blocks in)"
	_sf_msg sf clear || return 1
	_sf_msg sf add 1400 corrupt=random at=100 bytes=16 seed=5 || return 1
	got=$(_read) || return 1
	_diff_within "$got" $((376 * 4096 + 100)) $((376 * 4096 + 115)) 14 || return 1
	echo "-- an I/O that starts inside the extent: from the I/O's first byte"
	_sf_msg sf clear || return 1
	_sf_msg sf add 1000-1100 corrupt=xor at=8 bytes=4 || return 1
	_read || return 1
	echo "-- the extent at the I/O's last block: 2 of 8 bytes are inside the I/O"
	_sf_msg sf clear || return 1
	_sf_msg sf add 1535 corrupt=xor at=4094 bytes=8 || return 1
	_read || return 1
	echo "-- a trigger: from the I/O's first byte"
	_sf_msg sf clear || return 1
	_sf_msg sf every_nth_read 1 corrupt=xor at=2000000 bytes=3 || return 1
	_read || return 1
	_sf_msg sf every_nth_read 0 || return 1
	_sf_expect_field sf corrupted 5 || return 1

	echo "-- the device kept its data"
	_huge read "$disk" 8192 4096 --expect-pattern 4
}
