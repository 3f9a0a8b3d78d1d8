#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="hostile table lines are refused, as a new device and as a reload, leaving no device behind and a live swapfail device as it was"

# state: all a table line could change in sf: its extents, its status
# (policy and counters), its table line, and which tables it has.
state() {
	_sf_msg sf list
	_sf_info sf
	dmsetup table sf
	dmsetup info sf | grep -E '^(State|Tables present)'
}

# same_state CLASS: sf's state is what it was before the lines of CLASS,
# and they left no device "bad" behind.
same_state() {
	if dmsetup info bad >/dev/null 2>&1; then
		_register_dm bad
		_fail "device left behind by the lines of '$1'" || return 1
	fi
	[ "$(state)" = "$before" ] ||
		_fail "sf changed by the lines of '$1': $(state)"
}

# refuse ERRORS TABLE: TABLE (lines separated by ";") is refused with one of
# ERRORS (strerror's text, an extended regex) as a new device, and as a
# reload of sf, at load or at resume.  (A device left behind would fail the
# next create with EBUSY.)  Sets $_out to dmsetup's complaint.
refuse() {
	if _out=$(printf "%s\n" "$2" | tr ';' '\n' |
		dmsetup create --noudevsync bad 2>&1); then
		_register_dm bad
		_fail "created: $2" || return 1
	fi
	echo "$_out" | grep -q -E "$1" ||
		_fail "'$2' refused, but not with $1: $_out" || return 1
	if _out=$(printf "%s\n" "$2" | tr ';' '\n' | dmsetup reload sf 2>&1); then
		# device-mapper checks a table against its devices as the table
		# goes live: the resume must fail, and sf resume its own table
		if _out=$(dmsetup resume sf 2>&1); then
			_fail "went live in sf: $2" || return 1
		fi
		dmsetup resume sf ||
			_fail "sf does not resume after: $2" || return 1
		at_resume=$((at_resume + 1))
	fi
	echo "$_out" | grep -q -E "$1" ||
		_fail "reload '$2' refused, but not with $1: $_out"
}

# einval: the table lines that must be refused with EINVAL, one a line;
# "#" lines name each class.  $t is "0 <whole disk> swapfail", sf's own
# line is "0 $half swapfail $disk 0 4096 ...".
einval() {
	nines=$(_k4 9)
	xs=$(_k4 x)
	cat <<-EOF
	# too few arguments
	$t
	$t $disk
	$t $disk 0
	# offsets that are not plain decimal, overflow, or run past the device
	$t $disk -1 4096
	$t $disk -0 4096
	$t $disk +0 4096
	$t $disk 0x0 4096
	$t $disk 1.0 4096
	$t $disk 1e1 4096
	$t $disk 0s 4096
	$t $disk 18446744073709551615 4096
	$t $disk 18446744073709551616 4096
	$t $disk 99999999999999999999999 4096
	0 1 swapfail $disk 18446744073709551615 512
	$t $disk 8 4096
	$t $disk $n 4096
	0 8 swapfail $disk $n 4096
	# block sizes: zero, small, not a power of 2, too large, not decimal
	$t $disk 0 0
	$t $disk 0 1
	$t $disk 0 256
	$t $disk 0 511
	$t $disk 0 513
	$t $disk 0 768
	$t $disk 0 1000
	$t $disk 0 1536
	$t $disk 0 4095
	$t $disk 0 4097
	$t $disk 0 12288
	$t $disk 0 1073741823
	$t $disk 0 2147483648
	$t $disk 0 4294967296
	$t $disk 0 4294967808
	$t $disk 0 18446744073709551616
	$t $disk 0 -512
	$t $disk 0 +512
	$t $disk 0 0x1000
	$t $disk 0 4k
	$t $disk 0 4K
	$t $disk 0 1e3
	$t $disk 0 4096.0
	$t $disk 0 99999999999
	# block sizes larger than the target
	0 1 swapfail $disk 0 1024
	0 4 swapfail $disk 0 4096
	0 7 swapfail $disk 0 4096
	$t $disk 0 1073741824
	# feature counts that do not match the words that follow
	$t $disk 0 4096 1
	$t $disk 0 4096 2 quiet
	$t $disk 0 4096 0 quiet
	$t $disk 0 4096 1 quiet quiet
	$t $disk 0 4096 1 every_nth_read 2
	$t $disk 0 4096 3 every_nth_read 2
	$t $disk 0 4096 2 every_nth_read
	$t $disk 0 4096 255 quiet
	$t $disk 0 4096 4294967297 quiet
	$t $disk 0 4096 18446744073709551617 quiet
	$t $disk 0 4096 -1 quiet
	$t $disk 0 4096 0x1 quiet
	$t $disk 0 4096 one quiet
	$t $disk 0 4096 1 start_enabled quiet
	# unknown features
	$t $disk 0 4096 1 loud
	$t $disk 0 4096 1 start-enabled
	$t $disk 0 4096 1 quiet=1
	$t $disk 0 4096 1 every_nth
	$t $disk 0 4096 2 errors EIO
	$t $disk 0 4096 1 1
	$t $disk 0 4096 2 quiet 1
	$t $disk 0 4096 1 ádd
	# features given twice (names are case-insensitive)
	$t $disk 0 4096 2 quiet quiet
	$t $disk 0 4096 2 start_enabled START_ENABLED
	$t $disk 0 4096 4 every_nth_read 2 every_nth_read 3
	$t $disk 0 4096 4 every_nth_write 2 Every_Nth_Write 2
	$t $disk 0 4096 4 error EIO error ENODATA
	# missing or bad feature values
	$t $disk 0 4096 1 every_nth_read
	$t $disk 0 4096 1 every_nth_write
	$t $disk 0 4096 1 error
	$t $disk 0 4096 2 quiet every_nth_read
	$t $disk 0 4096 2 every_nth_read -1
	$t $disk 0 4096 2 every_nth_read 4294967296
	$t $disk 0 4096 2 every_nth_read 0x10
	$t $disk 0 4096 2 every_nth_read 1.5
	$t $disk 0 4096 2 every_nth_read quiet
	$t $disk 0 4096 2 every_nth_write 18446744073709551616
	$t $disk 0 4096 2 every_nth_write 1k
	$t $disk 0 4096 2 error EPERM
	$t $disk 0 4096 2 error default
	$t $disk 0 4096 2 error -EIO
	$t $disk 0 4096 2 error 5
	$t $disk 0 4096 2 error EIO,ENODATA
	$t $disk 0 4096 2 error quiet
	# escaped spaces (device-mapper makes "1\ 2" one word), a backslash at the end
	$t $disk 0\\ 1 4096
	$t $disk 0 4096\\ 512
	$t $disk 0 4096 1 quiet\\ on
	$t $disk 0 4096 2\\ 1 quiet
	$t $disk 0 4096\\
	# 4 KiB words
	$t $disk $nines 4096
	$t $disk 0 $nines
	$t $disk 0 4096 $nines quiet
	$t $disk 0 4096 1 $xs
	$t $disk 0 4096 2 error $xs
	$t $disk 0 4096 2 every_nth_read $nines
	# sf's own device, offset and block size (sharing sf's state), then a bad line
	0 $half swapfail $disk 0 4096 4 start_enabled every_nth_read 3 error EILSEQ;$half 8 swapfail $disk 0 1536
	0 $half swapfail $disk 0 4096;$half 8 swapfail $disk 0 4096 1 loud
	0 $half swapfail $disk 0 4096 1 quiet;$half 8 swapfail $disk 0 4096 2 quiet
	# device-mapper's own refusals: zero length, gap, overlap, past the device
	0 0 swapfail $disk 0 4096
	8 $n swapfail $disk 0 4096
	0 $half swapfail $disk 0 4096;$((half + 8)) 8 swapfail $disk 0 4096
	0 $half swapfail $disk 0 4096;$((half - 8)) 16 swapfail $disk 0 4096
	0 $((n + 8)) swapfail $disk 0 4096
	0 18446744073709551615 swapfail $disk 0 4096
	EOF
}

# nodev: table lines naming a device that does not exist, or no block
# device.  device-mapper refuses them with the error of its lookup, which
# depends on the kernel: ENODEV, ENXIO (6.1); ENOENT, ENOTBLK, ENAMETOOLONG,
# ENXIO (6.12).  Each line prints which.
nodev() {
	cat <<-EOF
	$t /dev/nonexistent 0 4096
	$t /dev/null 0 4096
	$t /proc/self 0 4096
	$t relative/path 0 4096
	$t 254:250 0 4096
	$t /dev/$(_k4 x) 0 4096
	EOF
}

test() {
	disk=$(_disk) || return $?
	# the words of a table line are no file names: no pathname expansion
	set -f
	n=$(_sectors "$disk")
	half=$((n / 2))
	t="0 $n swapfail"
	_dm_create sf "0 $half swapfail $disk 0 4096 3 quiet error ENODATA" ||
		return 1
	dev=/dev/mapper/sf
	_sf_msg sf add 10-19 mode=write count=4 || return 1
	_sf_msg sf addbadblock 30 2 || return 1
	_sf_msg sf add 100-199 mode=rw error=ETIMEDOUT || return 1
	_sf_msg sf every_nth_read 1000 || return 1
	_sf_msg sf enable || return 1
	_sf_expect_io ETIMEDOUT read "$dev" 800 8 || return 1
	_sf_expect_io ok read "$dev" 160 8 || return 1
	_sf_expect_io ENODATA write "$dev" 80 8 --pattern 7 || return 1
	before=$(state)
	nodev_errors='No such (device|file)|Block device required|File name too long'
	lines=0
	at_resume=0
	class=
	# each line is refused twice; at the end of each class, sf's state is
	# as before and no device is left (a dmsetup call costs 0.2 s in the VM)
	while IFS= read -r line; do
		case $line in
		'#'*)
			same_state "$class" || return 1
			class=${line#'# '}
			continue
			;;
		esac
		refuse 'Invalid argument' "$line" || return 1
		lines=$((lines + 1))
	done <<-EOF
	$(einval)
	EOF
	same_state "$class" || return 1
	while IFS= read -r line; do
		refuse "$nodev_errors" "$line" || return 1
		echo "$(echo "$line" | cut -c1-50):" \
			"$(echo "$_out" | sed -n 's/.* failed: //p' | head -n 1)"
		lines=$((lines + 1))
	done <<-EOF
	$(nodev)
	EOF
	same_state "devices that do not exist" || return 1
	# the failed loads took nothing from sf: it still fails as before
	_sf_expect_io ETIMEDOUT read "$dev" 800 8 || return 1
	_sf_expect_io ENODATA write "$dev" 80 8 --pattern 7 || return 1
	_sf_msg sf list
	echo "$lines hostile table lines refused, as a device and as a reload" \
		"($at_resume of the reloads at resume)"
	_kmsg "$lines hostile table lines refused, as a device and as a reload" \
		"($at_resume of the reloads at resume)"
}
