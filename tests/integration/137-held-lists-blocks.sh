#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="held answers one line per held I/O, <blocks> <read|write> <ms> <extent|every_nth|probability>, sorted by first block; each line's range, given back to release, releases that I/O"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# 2.0.0 answers "SECTOR+SECTORS read|write MS", oldest first, in sectors while
# release takes blocks, and without what held the I/O.

# _start NAME SFIO-ARG...: an I/O in the background, held: waits until one more is.
# (The triggers stay on until the end: one switched off lets go of what it held.)
_start() {
	_st_name=$1
	shift
	_st_held=$(_sf_field sf holding)
	sfio "$@" >"$SWAPFAIL_RESULT/$_st_name" &
	_wait_ge sf holding $((_st_held + 1)) && return 0
	echo "$_st_name: $(cat "$SWAPFAIL_RESULT/$_st_name"); held:" >&2
	_sf_msg sf held >&2
	return 1
}

_test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 0 1024 --pattern 6 >/dev/null || return 1
	_sf_msg sf add 5 hold || return 1
	_sf_msg sf add 44 mode=write hold || return 1
	# held in an order that is not the blocks' order
	_start w40 write /dev/mapper/sf 320 64 --pattern 6 || return 1
	_start r5 read /dev/mapper/sf 40 8 --expect-pattern 6 || return 1
	_sf_msg sf every_nth_read 1 hold || return 1
	_start r100 read /dev/mapper/sf 800 8 --expect-pattern 6 || return 1
	_sf_msg sf probability_write 1 hold || return 1
	_start w60 write /dev/mapper/sf 480 8 --pattern 6 || return 1
	_sf_expect_field sf holding 4 || return 1

	_sf_msg sf held >"$SWAPFAIL_RESULT/held"
	awk 'NF != 4 || $3 !~ /^[0-9]+$/ { print "bad line: " $0 } { print $1, $2, $4 }' \
		"$SWAPFAIL_RESULT/held"
	# each line's range releases its I/O, and only it
	for io in r100:100 w40:40-47 r5:5 w60:60; do
		range=${io#*:}
		range=$(awk -v r="$range" '$1 == r { print $1 }' "$SWAPFAIL_RESULT/held")
		[ -n "$range" ] || _fail "no line for ${io#*:}" || return 1
		left=$(($(_sf_field sf holding) - 1))
		_sf_msg sf release "$range" || return 1
		_wait_file "$SWAPFAIL_RESULT/${io%:*}" || return 1
		echo "release $range: $(cat "$SWAPFAIL_RESULT/${io%:*}")"
		_sf_expect_field sf holding $left || return 1
	done
	_sf_msg sf every_nth_read 0 || return 1
	_sf_msg sf probability_write 0
}

test() {
	_release_after _test
}
