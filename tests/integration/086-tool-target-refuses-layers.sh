#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail target refuses, exit 7 and the table unchanged, a page under a layer it cannot see through (dm-striped, a loop device) or in an unwritten extent of a swap file, which --allow-unwritten then targets"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

requires() {
	_have_program swapfail && _have_program mkfs.ext4 && _have_program fallocate &&
		_have_module loop
}

# refuse AREA N: swap on AREA (only), a victim in cgroup sfvictimN, target its page N on sf.
refuse() {
	_swap_on "$1" || return 1
	cg=$(_cgroup "sfvictim$2") || return 1
	_swapped_victim "$cg" 16 || return 1
	_expect_refusal 7 target sf --pid "$VICTIM_PID" --addr "$(_page_addr "$2")"
	_rf_rc=$?
	echo exit >&9
	return $_rf_rc
}

test() {
	disk=$(_disk) || return $?
	_sf_over "$disk" || return 1
	swapfail add sf 1000 || return 1	# a table to compare, not empty

	echo "-- dm-striped over sf"
	_dm_create stripe "0 262144 striped 2 8 /dev/mapper/sf 0 /dev/mapper/sf 262144" ||
		return 1
	refuse /dev/mapper/stripe 1 || return 1
	swapoff /dev/mapper/stripe && _dm_remove stripe || return 1

	echo "-- a loop device over sf"
	loop=$(losetup -f --show /dev/mapper/sf) || _fail "losetup failed" || return 1
	_register_loop "$loop"
	refuse "$loop" 2 || return 1
	swapoff "$loop" && losetup -d "$loop" || return 1

	echo "-- a swap file on ext4 with unwritten extents (fallocate)"
	_mkfs_mount ext4 /dev/mapper/sf /mnt/sf || return 1
	fallocate -l 32M /mnt/sf/swapfile && chmod 600 /mnt/sf/swapfile ||
		_fail "fallocate failed" || return 1
	refuse /mnt/sf/swapfile 3 || return 1

	echo "-- the same with --allow-unwritten"
	cg=$(_cgroup sfvictim4) || return 1
	_swapped_victim "$cg" 16 || return 1
	swapfail target sf --pid "$VICTIM_PID" --addr "$(_page_addr 4)" \
		--allow-unwritten >/dev/null || return 1
	touch=$(_victim_cmd "touch 4" '^touch page=4 ') || return 1
	echo "$touch" | sed "s/$(_page_addr 4)/PAGE/"
}
