#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail target follows swap on dm-crypt (plain, random key, as crypttab sets it up; and LUKS2) over swapfail, past the crypt offset: SIGBUS at exactly the chosen page"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

requires() {
	_have_program swapfail && _have_program cryptsetup && _have_module dm-crypt
}

# crypt_page PAGE OFFSET: swap on /dev/mapper/cswap, a victim, page PAGE failed through
# the crypt target, whose data starts OFFSET sectors into sf: the page's block must be
# its slot plus OFFSET / 8.
crypt_page() {
	_swap_on /dev/mapper/cswap || return 1
	cg=$(_cgroup "sfvictim$1") || return 1
	_swapped_victim "$cg" 64 || return 1
	slot=$(_slot "$1")
	_fail_page "$1" || return 1
	block=$(awk '$1 == "page" { print $8 }' /tmp/target.out)
	[ "$block" -eq $((slot + $2 / 8)) ] ||
		_fail "block $block for slot $slot, expected $((slot + $2 / 8))" || return 1
	echo "block = slot + $(($2 / 8))"
	echo exit >&9
	swapoff /dev/mapper/cswap && cryptsetup close cswap && swapfail clear sf &&
		swapfail reset-stats sf
}

test() {
	disk=$(_disk) || return $?
	_sf_over "$disk" || return 1
	modprobe dm-crypt
	_register_dm cswap
	cryptsetup open -q --type plain --cipher aes-xts-plain64 --key-size 256 \
		--key-file /dev/urandom --offset 2048 /dev/mapper/sf cswap ||
		_fail "cryptsetup open --type plain failed" || return 1
	echo "-- plain, offset 2048"
	crypt_page 9 2048 || return 1

	echo "-- LUKS2"
	head -c 32 /dev/urandom >/tmp/key
	cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
		--key-file /tmp/key /dev/mapper/sf ||
		_fail "cryptsetup luksFormat failed" || return 1
	cryptsetup open -q --key-file /tmp/key /dev/mapper/sf cswap ||
		_fail "cryptsetup open (LUKS2) failed" || return 1
	offset=$(dmsetup table cswap | awk '{ print $8 }')
	crypt_page 50 "$offset"
}
