#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a suspend cancelled after presuspend (its dmsetup killed while it waits for I/O) leaves the device working: holds hold again, and a healing write with the reserve low waits instead of failing"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# sf over a dm-linear "lower": lower is suspended (noflush), so a read of sf stays in
# flight below sf; "dmsetup suspend sf" then waits in the kernel for it, after sf's
# presuspend, and is killed: device-mapper cancels the suspend and undoes the presuspend
# (.presuspend_undo). 2.0.0 had none: it stays half-suspended (queue_closed,
# suspending), every hold passes at once and a write that must wait for the worker to
# heal fails with EIO, until the next full suspend and resume.

PARAM=/sys/module/dm_swapfail/parameters/reserve_nodes

_test() {
	disk=$(_disk) || return $?
	_dm_create lower "0 $(_sectors "$disk") linear $disk 0" || return 1
	_sf_create sf /dev/mapper/lower 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 0 256 --pattern 6 >/dev/null || return 1

	dmsetup suspend --noflush --nolockfs lower || return 1
	sfio read /dev/mapper/sf 80 8 --expect-pattern 6 >"$SWAPFAIL_RESULT/below" &
	below=$!
	sleep 1
	_still_waiting $below "$SWAPFAIL_RESULT/below" || return 1
	dmsetup suspend sf &
	suspender=$!
	sleep 2
	kill -0 $suspender 2>/dev/null ||
		_fail "dmsetup suspend sf did not wait for the I/O below it" || return 1
	kill -KILL $suspender
	wait $suspender
	dmsetup resume lower || return 1
	wait $below
	cat "$SWAPFAIL_RESULT/below"
	dmsetup info sf | awk '$1 == "State:" { print "state:", $2 }'

	echo "-- a hold holds"
	_sf_msg sf add 5 hold || return 1
	sfio read /dev/mapper/sf 40 8 --expect-pattern 6 >"$SWAPFAIL_RESULT/held" &
	held=$!
	_sf_wait_field sf holding 1 || return 1
	_still_waiting $held "$SWAPFAIL_RESULT/held" || return 1
	_sf_msg sf release || return 1
	wait $held
	cat "$SWAPFAIL_RESULT/held"

	echo "-- a delay delays"
	_sf_msg sf add 6 delay=1s || return 1
	ms=$(_ms sfio read /dev/mapper/sf 48 8)
	[ "$ms" -ge 990 ] || _fail "the delayed read took $ms ms" || return 1

	echo "-- a healing write with no reserve waits for it"
	_sf_msg sf add 100-199 || return 1
	_set $PARAM 0 || return 1
	# heal holes until the emptied reserve makes one wait for the worker (test 036)
	deferred=$(_sf_field sf deferred)
	i=0
	while [ "$(_sf_field sf deferred)" -eq "$deferred" ] && [ $i -lt 40 ]; do
		sfio write /dev/mapper/sf $((8 * (101 + 2 * i))) 8 --pattern 3 \
			>"$SWAPFAIL_RESULT/heal$i" &
		last=$!
		i=$((i + 1))
		sleep 0.3
	done
	[ "$(_sf_field sf deferred)" -gt "$deferred" ] ||
		_fail "no write waited: the test did not reach its case" || return 1
	_still_waiting "$last" "$SWAPFAIL_RESULT/heal$((i - 1))" || return 1
	echo 128 >$PARAM || return 1
	j=0
	while [ $j -lt $i ]; do
		_wait_file "$SWAPFAIL_RESULT/heal$j" 100 || return 1
		j=$((j + 1))
	done
	cat "$SWAPFAIL_RESULT"/heal* | sort | uniq -c | sed 's/^ *[0-9]* //'
	sfio read /dev/mapper/sf $((8 * (101 + 2 * (i - 1)))) 8 --expect-pattern 3
	_sf_expect_field sf healed "$i"
}

test() {
	_release_after _test
}
