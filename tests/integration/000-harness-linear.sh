#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2034 # DESCRIPTION is read by run
DESCRIPTION="harness: data written through dm-linear reads back through it and the raw disk"

requires() {
	_have_program sfio && _have_program dmsetup
}

# write_and_check SECTOR NR PATTERN: write NR sectors through the linear device, read
# them back through it and through the disk, where they lie $offset sectors further.
write_and_check() {
	sfio write "$dev" "$1" "$2" --pattern "$3" &&
		sfio read "$dev" "$1" "$2" --expect-pattern "$3" &&
		sfio read "$disk" $(($1 + offset)) "$2" --expect-pattern $(($3 - offset))
}

test() {
	disk=$(_disk) || return $?
	offset=2048
	size=$(($(_sectors "$disk") - offset))
	dev=/dev/mapper/harness-linear

	_dm_create harness-linear "0 $size linear $disk $offset" || return 1
	[ "$(_sectors "$dev")" -eq "$size" ] || _fail "$dev is not $size sectors" || return 1
	for sector in 0 1 7 8 4095 $((size - 1)); do
		write_and_check "$sector" 1 0x5f10a000 || _fail "sector $sector" || return 1
	done
	write_and_check 16 8 0x77000000 || _fail "8 sectors at 16" || return 1
	_dm_remove harness-linear
}
