#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="target --json gives each page the devices its I/O goes through: a swap file on ext4 on dm-crypt on an LVM volume on swapfail, each with the page's sector there"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

requires() {
	_have_program swapfail && _have_program jsoncheck && _have_program cryptsetup &&
		_have_program lvm && _have_program mkfs.ext4 && _have_module dm-crypt
}

test() {
	disk=$(_disk) || return $?
	_sf_over "$disk" || return 1
	_register_dm sfchain-swap
	{ _lvm pvcreate -y /dev/mapper/sf && _lvm vgcreate sfchain /dev/mapper/sf &&
	  _lvm lvcreate -y -L 12M -n first sfchain && _lvm lvcreate -y -L 200M -n swap sfchain; } \
		>/dev/null || _fail "cannot make volume group sfchain" || return 1
	_register_dm sfchain-first
	dmsetup mknodes
	modprobe dm-crypt
	_register_dm cswap
	cryptsetup open -q --type plain --cipher aes-xts-plain64 --key-size 256 \
		--key-file /dev/urandom /dev/mapper/sfchain-swap cswap ||
		_fail "cryptsetup open failed" || return 1
	_mkfs_mount ext4 /dev/mapper/cswap /mnt/sf || return 1
	_swapfile /mnt/sf/swapfile 32 || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1
	swapfail target sf --pid "$VICTIM_PID" --addr "$(_page_addr 21)" --json \
		>/tmp/target.json || _fail "target: $(cat /tmp/target.json)" || return 1
	jsoncheck target </tmp/target.json || return 1
	# the layers, top down, and the sector each holds the page at
	grep -o '"layer": "[a-z]*"' /tmp/target.json | cut -d'"' -f4 | tr '\n' ' '
	echo
	sectors=$(grep -o '"layer": "[a-z]*", "sector": [0-9]*' /tmp/target.json |
		awk '{ print $4 }' | tr '\n' ' ')
	lv_start=$(dmsetup table sfchain-swap | awk '{ print $5 }')
	# shellcheck disable=SC2086 # one word per layer
	set -- $sectors
	[ "$2" -eq $(($1 + $(dmsetup table cswap | awk '{ print $8 }'))) ] ||
		_fail "linear at $2, crypt at $1" || return 1
	[ "$3" -eq $(($2 + lv_start)) ] || _fail "swapfail at $3, linear at $2 + $lv_start" ||
		return 1
	block=$(grep -o '"block_first": [0-9]*' /tmp/target.json | awk '{ print $2 }')
	[ "$block" -eq $(($3 / 8)) ] || _fail "block $block, sector $3" || return 1
	echo "each sector the one above it plus that layer's offset; block = sector / 8"
	report=$(_victim_check) || return 1
	echo "$report" | grep -c "^sigbus page=21 "
}
