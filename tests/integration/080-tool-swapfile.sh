#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail target follows a swap file on ext4 over swapfail to its blocks: SIGBUS at exactly the chosen page, the others intact"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

requires() {
	_have_program swapfail && _have_program mkfs.ext4 && _have_module ext4
}

test() {
	disk=$(_disk) || return $?
	_sf_over "$disk" || return 1
	_mkfs_mount ext4 /dev/mapper/sf /mnt/sf || return 1
	_swapfile /mnt/sf/swapfile 32 || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1
	swapfail slots --pid "$VICTIM_PID" --addr "$(_page_addr 0)" --pages 64 \
		--no-headings >/tmp/slots || return 1
	# each page: in the file, on sf, its block the sector's: an ext4 block is a page
	awk '$2 == "/mnt/sf/swapfile" && $5 == "sf" && $6 * 8 == $4 { ok++ }
	     END { print ok + 0 " of 64 pages in the swap file on sf" }' /tmp/slots
	_fail_page 17
}
