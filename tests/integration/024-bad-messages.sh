#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="malformed messages are refused with EINVAL and a logged, rate-limited reason, and change nothing"

# reason MESSAGE TEXT: MESSAGE is refused and TEXT logged for it.
reason() {
	_r_before=$(_dmesg_since_start | grep -c -F "$2")
	# shellcheck disable=SC2086 # the words of the message
	_sf_reject sf $1 || return 1
	[ "$(_dmesg_since_start | grep -c -F "$2")" -gt "$_r_before" ] ||
		_fail "no '$2' logged for '$1'"
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 every_nth_write 9 || return 1
	last=$(($(_sectors "$disk") / 8 - 1))
	_sf_msg sf add 10-19 mode=write count=4 || return 1
	_sf_msg sf addbadblock 30 2 || return 1
	before=$(_sf_msg sf list; _sf_info sf; dmsetup table sf)
	# start with a fresh rate-limit window (5 s) for the log lines
	sleep 5
	reason "frobnicate" "message 'frobnicate' rejected: unrecognised message" ||
		return 1
	reason "addbadblock $((last + 1))" "selected block value out of range" ||
		return 1
	reason "add 15" "range overlaps an extent already in the table" ||
		return 1
	sleep 5
	logged=$(_dmesg_since_start | grep -c 'rejected: ')
	n=0
	while read -r message; do
		# shellcheck disable=SC2086 # the words of the message
		_sf_reject sf $message || return 1
		n=$((n + 1))
	done <<-MESSAGES
	frobnicate
	addbadblock
	addbadblock 10
	addbadblock $((last + 1))
	addbadblock 1 256
	addbadblock 1 -1
	addbadblock -1
	addbadblock 1 2 3
	removebadblock 31
	removebadblock x
	queryblock
	queryblock $((last + 1))
	countbadblocks now
	listbadblocks 1
	clearbadblocks all
	enable 1
	disable please
	quiet maybe
	add
	add mode=rw
	add 5-3
	add 5+0
	add 18446744073709551615+2
	add 1 1
	add 1-5 3
	add 15
	add $last+2
	add 1 mode=never
	add 1 count=0
	add 1 count=4294967296
	add 1 error=EPERM
	add 1 wr_fail=256
	add 1 mode=rw wr_fail=1
	add 1 mode=rw mode=read
	add 1 colour=red
	remove
	remove 40
	remove 10 40
	query
	query 0x10
	list 1-
	count a
	clear now
	every_nth_read
	every_nth_read -1
	every_nth_write 4294967296
	error
	error EAGAIN
	stats now
	reset_stats 0
	MESSAGES
	after=$(_sf_msg sf list; _sf_info sf; dmsetup table sf)
	[ "$before" = "$after" ] || _fail "state changed: $before / $after" ||
		return 1
	# a burst of refusals is logged, but not line for line
	logged=$(($(_dmesg_since_start | grep -c 'rejected: ') - logged))
	if [ "$logged" -lt 5 ] || [ "$logged" -ge $n ]; then
		_fail "$n messages refused in a burst, $logged logged"
	fi
}
