#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="corrupt on a 2 MiB O_DIRECT write from a huge page: the device stores exactly the window changed (an extent's at= counts from its first block in the I/O, a trigger's from the I/O's first byte), the writer's buffer stays as it was"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# The I/O: 2 MiB (4096 sectors) at sector 8192, blocks 1024-1535 of 4 KiB: one bio of
# 512 pages, more than a bio_vec array of BIO_MAX_VECS (256) holds.
# In 2.0.0: kernel BUG at block/bio.c (bvec_alloc), from the corrupt-write clone.

# _stored PATTERN: what the disk stores of the I/O's range, read past swapfail.
_stored() {
	_huge read "$disk" 8192 4096 --expect-pattern "$1"
}

test() {
	disk=$(_disk) || return $?
	_huge_ready "$disk" || return 1
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1

	# xor: the window is bytes 4090-4101 of the extent's first block, 1324, 300
	# blocks into the I/O: bytes 300 * 4096 + 4090 .. + 4101 of the I/O
	_sf_msg sf add 1324-1325 mode=write corrupt=xor at=4090 bytes=12 || return 1
	_huge write /dev/mapper/sf 8192 4096 --pattern 7 || return 1
	_stored 7
	_sf_expect_field sf corrupted 1 || return 1

	# random: 16 bytes from byte 100 of block 1400 (376 blocks in); a random byte
	# may happen to be what was there: at least 14 of the 16 change, none outside
	_sf_msg sf clear || return 1
	_sf_msg sf add 1400 mode=write corrupt=random at=100 bytes=16 seed=5 || return 1
	_huge write /dev/mapper/sf 8192 4096 --pattern 8 || return 1
	got=$(_stored 8) || return 1
	_diff_within "$got" $((376 * 4096 + 100)) $((376 * 4096 + 115)) 14 || return 1
	_sf_expect_field sf corrupted 2 || return 1

	# a trigger's window counts from the I/O's first byte
	_sf_msg sf clear || return 1
	_sf_msg sf every_nth_write 1 corrupt=xor at=1048576 bytes=4 xor=0f || return 1
	_huge write /dev/mapper/sf 8192 4096 --pattern 9 || return 1
	_sf_msg sf every_nth_write 0 || return 1
	_stored 9
	_sf_expect_field sf corrupted 3
}
