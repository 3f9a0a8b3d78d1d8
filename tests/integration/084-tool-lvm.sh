#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail target follows swap on an LVM logical volume, not the first on its volume group, to the swapfail PV under it: SIGBUS at exactly the chosen page"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

requires() {
	_have_program swapfail && _have_program lvm
}

test() {
	disk=$(_disk) || return $?
	_sf_over "$disk" || return 1
	_register_dm sfvg-first
	_register_dm sfvg-swap
	{ _lvm pvcreate -y /dev/mapper/sf && _lvm vgcreate sfvg /dev/mapper/sf &&
	  _lvm lvcreate -y -L 12M -n first sfvg &&
	  _lvm lvcreate -y -L 64M -n swap sfvg; } >/dev/null ||
		_fail "cannot make volume group sfvg on /dev/mapper/sf" || return 1
	dmsetup mknodes
	dmsetup table sfvg-swap | awk '{ print $1, $2, $3 }'
	_swap_on /dev/mapper/sfvg-swap || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1
	# the volume's first sector on sf, from its linear line: block = slot + that / 8
	start=$(dmsetup table sfvg-swap | awk '{ print $5 }')
	slot=$(_slot 33)
	_fail_page 33 || return 1
	block=$(awk '$1 == "page" { print $8 }' /tmp/target.out)
	[ "$block" -eq $((slot + start / 8)) ] ||
		_fail "block $block for slot $slot, expected $((slot + start / 8))"
}
