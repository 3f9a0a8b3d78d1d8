#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="hundreds of hostile messages are each refused with EINVAL and leave table, policy and counters as they were"

# state: all a message could change: the extents, the status (policy and
# counters) and the table line (the policy as features).
state() {
	_sf_msg sf list
	_sf_info sf
	dmsetup table sf
}

# same_state CLASS: sf's state is what it was before the messages of CLASS.
same_state() {
	[ "$(state)" = "$before" ] ||
		_fail "state changed by the messages of '$1': $(state)"
}

# messages: the hostile messages, one a line; "#" lines name each class.
# Blocks: 10-19 mode=write count=4, 30 wr_fail=2, 100-199 mode=rw and $last
# are bad; $nb is one past the last block; 20-29 and 40-99 are good.
messages() {
	nines=$(_k4 9)
	xs=$(_k4 x)
	batch1=$(seq -s ' ' 1000 2 1998)
	batch2=$(seq -s ' ' 2000 2 2998)
	cat <<-EOF
	# unknown verbs
	frobnicate
	ad 1
	addd 1
	add- 1
	adds 1
	remove_all
	delete 10
	list2
	counts
	clear_badblocks
	addbadblocks 1
	removebadblocks 10
	query_block 10
	every_nth 2
	every_nth_reads 2
	errors EIO
	quiet_on
	reset-stats
	status
	help
	table
	enable!
	-add 1
	--help
	ádd 1
	add=1
	# arity: too few or too many words for the verb
	add
	add mode=rw
	add count=2 error=EIO
	remove
	query
	addbadblock
	addbadblock 1 2 3
	removebadblock
	removebadblock 10 11
	queryblock
	queryblock 10 11
	countbadblocks now
	listbadblocks 1
	clearbadblocks all
	enable 1
	disable please
	quiet on off
	every_nth_read
	every_nth_read 1 2
	every_nth_write
	error
	error EIO ENODATA
	stats now
	reset_stats 0
	clear now
	# numbers that are not plain decimal, or overflow
	add -1
	add +5
	add 0x10
	add 1.5
	add 1e3
	add 5x
	add 18446744073709551616
	add 99999999999999999999999
	addbadblock -1
	addbadblock 0x20
	addbadblock 18446744073709551616
	removebadblock -10
	queryblock 1e1
	every_nth_read -1
	every_nth_read 0x10
	every_nth_read 4294967296
	every_nth_write 18446744073709551616
	every_nth_write 1.0
	# ranges reversed, half-open, zero-length or malformed
	add 5-3
	add 5+0
	add 5-
	add -5
	add 5+
	add 1--2
	add 1-2-3
	add 1+2+3
	add 1+-1
	add 1-+2
	add 5:9
	add 5..9
	add 5,6
	query 9-5
	list 1-
	count 3+0
	remove 19-10
	# ranges past the end of the device
	add $nb
	add $last-$nb
	add $last+2
	add 0+$((nb + 1))
	add 18446744073709551615
	add 18446744073709551615+2
	add 1+18446744073709551615
	addbadblock $nb
	removebadblock $nb
	queryblock $nb
	query $nb
	list 0-$nb
	count $nb
	remove $nb-$((nb + 100))
	# zero and huge counts
	add 40 count=0
	add 40 count=-1
	add 40 count=4294967296
	add 40 count=18446744073709551616
	add 40 count=0x10
	add 40 wr_fail=256
	add 40 wr_fail=-1
	add 40 wr_fail=4294967296
	addbadblock 40 256
	addbadblock 40 -1
	addbadblock 40 4294967296
	# unknown modes, error names, attributes
	add 40 mode=never
	add 40 mode=r
	add 40 mode=readwrite
	add 40 mode=read,write
	add 40 mode=rw=1
	add 40 error=EPERM
	add 40 error=default
	add 40 error=-EIO
	add 40 error=5
	add 40 error=EIO,ENODATA
	add 40 colour=red
	add 40 MODE=rw
	add 40 Count=2
	add 40 wrfail=1
	add 40 mode_=rw
	add 40 averyveryverylongkey=1
	add 40 mode=write wr_fail=1
	add 40 mode=rw wr_fail=1
	error EPERM
	error default
	error 5
	quiet maybe
	quiet 1
	# empty values and keys
	add 40 mode=
	add 40 count=
	add 40 error=
	add 40 wr_fail=
	add 40 =
	add 40 =rw
	add 40 ==
	# escaped spaces (device-mapper makes "1\ 2" one word), a backslash at the end
	add 40\\ 41
	add \\ 40
	add 40 mode=read\\ write
	every_nth_read 1\\ 2
	add 40\\
	# duplicates, within the message and against the table
	add 40 40
	add 40-49 45
	add 40-49 49-60
	add 40+5 44
	add 40 mode=rw mode=read
	add 40 count=2 count=2
	add 40 error=EIO error=EIO
	add 40 wr_fail=1 wr_fail=1
	add 15
	add 9-10
	add 19-20
	add 150-250
	add 30
	add $last
	addbadblock 30
	addbadblock 10
	addbadblock $last
	# nothing to remove
	remove 20
	remove 20-29
	remove 40-99
	removebadblock 31
	removebadblock 0
	# batches with one bad element: first, middle, last
	add $nb 40 41
	add 40 $nb 41
	add 40 41 $nb
	add x 40 41
	add 40 x 41
	add 40 41 x
	add 15 40 41
	add 40 15 41
	add 40 41 15
	add 40 40 41
	add 40 41 40
	add mode=bad 40 41
	add 40 mode=bad 41
	add 40 41 mode=bad
	add count=0 40 41
	add 40 count=0 41
	add 40 41 count=0
	remove 20 10 30
	remove 10 20 30
	remove 10 30 20
	remove $nb 10 30
	remove 10 $nb 30
	remove 10 30 $nb
	query x 10 30
	query 10 x 30
	query 10 30 x
	list $nb 10 30
	list 10 $nb 30
	list 10 30 $nb
	count 5-3 10 30
	count 10 5-3 30
	count 10 30 5-3
	# long batches with one bad element
	add $nb $batch1 $batch2
	add $batch1 5-3 $batch2
	add $batch1 $batch2 15
	remove 10 $batch1
	query $batch1 $batch2 $nb
	# 4 KiB words
	$xs
	add $nines
	add 1-$nines
	add 1+$nines
	add $xs
	add 40 mode=$xs
	add 40 count=$nines
	add 40 error=$xs
	add 40 $xs=1
	addbadblock $nines
	addbadblock 40 $nines
	removebadblock $nines
	queryblock $nines
	query $nines
	list 1-$nines
	count $xs
	remove $nines
	every_nth_read $nines
	every_nth_write $xs
	error $xs
	quiet $xs
	EOF
}

test() {
	disk=$(_disk) || return $?
	# the words of a message are no file names: no pathname expansion
	set -f
	_sf_create sf "$disk" 4096 quiet every_nth_write 9 error ENODATA ||
		return 1
	dev=/dev/mapper/sf
	last=$(($(_sectors "$disk") / 8 - 1))
	nb=$((last + 1))
	_sf_msg sf add 10-19 mode=write count=4 || return 1
	_sf_msg sf addbadblock 30 2 || return 1
	_sf_msg sf add 100-199 mode=rw error=ETIMEDOUT || return 1
	_sf_msg sf add "$last" || return 1
	_sf_msg sf enable || return 1
	# counters that are not zero, and a count that ran down
	_sf_expect_io ETIMEDOUT read "$dev" 800 8 || return 1
	_sf_expect_io ok read "$dev" 160 8 || return 1
	_sf_expect_io ENODATA write "$dev" 80 8 --pattern 7 || return 1
	before=$(state)
	case $before in
	*"10-19 mode=write count=3"*"reads=2 writes=1 read_errors=1 write_errors=1"*) ;;
	*) _fail "unexpected starting state: $before" || return 1 ;;
	esac
	logged=$(_dmesg_since_start | grep -c 'rejected: ')
	n=0
	class=
	# each message is refused with EINVAL; at the end of each class, sf's
	# list, status and table are as before (a dmsetup call costs 0.2 s in
	# the VM: one per message, three per class)
	while IFS= read -r message; do
		case $message in
		'#'*)
			same_state "$class" || return 1
			class=${message#'# '}
			continue
			;;
		esac
		# shellcheck disable=SC2086 # the words of the message
		_sf_reject sf $message || return 1
		n=$((n + 1))
	done <<-EOF
	$(messages)
	EOF
	same_state "$class" || return 1
	[ $n -ge 200 ] || _fail "only $n messages tried" || return 1
	[ "$(_dmesg_since_start | grep -c 'rejected: ')" -gt "$logged" ] ||
		_fail "no refusal logged" || return 1
	echo "$n hostile messages refused, state unchanged"
	_kmsg "$n hostile messages refused, state unchanged"
}
