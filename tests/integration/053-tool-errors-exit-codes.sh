#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail says what is wrong and exits 2 (usage), 3 (no such device, not swapfail), 4 (kernel refused), 1 (busy, exists) or 6 (permission), changing nothing"

requires() {
	_have_program swapfail
}

# expect STATUS ARG...: run swapfail ARG..., print its status and first error line.
expect() {
	_want=$1
	shift
	swapfail "$@" >/tmp/out.$$ 2>/tmp/err.$$
	_rc=$?
	echo "$_rc: swapfail $*: $(head -n 1 /tmp/err.$$)"
	[ "$_rc" -eq "$_want" ] || _fail "swapfail $*: exit $_rc, expected $_want"
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" >/dev/null || return 1
	swapfail add sf 5 || return 1
	_dm_create lin "0 2048 linear $disk 0" || return 1
	expect 2 || return 1
	expect 2 frobnicate sf || return 1
	expect 2 add sf || return 1
	expect 2 add sf 6 --bogus || return 1
	expect 2 add sf 6 --mode sideways || return 1
	expect 2 add sf 6-4 || return 1
	expect 2 add sf 131072 || return 1
	expect 2 add sf 6 --mode rw --wr-fail 3 || return 1
	expect 2 add sf 6 --count 0 || return 1
	expect 2 error sf EBOGUS || return 1
	expect 2 every-nth sf sideways 3 || return 1
	expect 2 every-nth sf read many || return 1
	expect 2 quiet sf maybe || return 1
	expect 2 status sf extra || return 1
	expect 2 create sf2 /dev/null || return 1
	expect 2 create sf2 "$disk" --block-size 1000 || return 1
	expect 2 create a/b "$disk" || return 1
	expect 2 slots || return 1
	expect 2 target sf --pid 1 || return 1
	expect 3 status nosuch || return 1
	expect 3 add nosuch 6 || return 1
	expect 3 list lin || return 1
	expect 3 remove lin || return 1
	expect 4 add sf 5 || return 1
	expect 4 add sf 4-6 || return 1
	expect 4 del sf 7 || return 1
	expect 1 create sf "$disk" || return 1
	exec 8</dev/mapper/sf
	expect 1 remove sf || return 1
	exec 8<&-
	# without CAP_SYS_ADMIN (in a user namespace of its own)
	unshare -U swapfail status sf >/dev/null 2>/tmp/err.$$
	rc=$?
	echo "$rc: unshare -U swapfail status sf: $(head -n 1 /tmp/err.$$)"
	[ $rc -eq 6 ] || _fail "without CAP_SYS_ADMIN: exit $rc, expected 6" ||
		return 1
	# the kernel refuses a table over a device in use; its words are quoted
	_swap_on /dev/mapper/lin || return 1
	_register_dm sf2
	swapfail create sf2 /dev/mapper/lin >/dev/null 2>/tmp/err.$$
	rc=$?
	echo "$rc: swapfail create sf2 /dev/mapper/lin: $(cat /tmp/err.$$)"
	[ $rc -eq 4 ] || _fail "create over a busy device: exit $rc, expected 4" ||
		return 1
	swapfail list sf
	dmsetup info lin >/dev/null || _fail "lin was removed" || return 1
	swapfail remove sf || return 1
}
