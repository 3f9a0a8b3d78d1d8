#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="Swap-out writes failing every Nth time"
DESCRIPTION="a workload dirties and re-reads 64 MiB in a 32 MiB cgroup twice while every Nth write to the swap area fails; its wall time against N, the median of interleaved rounds"
READING="A swap disk that fails some writes does not break a swap-heavy workload: the failed pages are simply written again, and it completes even with every second write failing. What the failures cost is small next to the run-to-run noise of a VM: the rounds' medians stay within about a quarter of the run without failures at every rate, and do not grow steadily with it; the chart shows each kernel's points. 7.3 sends the same pages in far fewer, larger writes (a twentieth as many in scenario 14's workload), so a 1-in-N rate fails about a twelfth as many writes, each carrying more pages."

# point N ROUND: one run of the workload with every Nth swap-out write failing.
point() {
	_sf_msg lab every_nth_write "$1" || return 1
	errors=$(_sf_field lab write_errors)
	# shellcheck disable=SC2016 # $$ belongs to the inner shell
	out=$(timeout "${LAB_TIMEOUT:-180}" sh -c \
		'echo $$ >"$1/cgroup.procs" && exec timeit swapload 64 2' \
		load "$cg" 2>&1)
	status=$?
	secs=$(echo "$out" | sed -n 's/^timeit: //p')
	case $status in
	0) outcome=completed ;;
	137) outcome=killed ;;
	143) outcome=timeout ;;
	*) outcome="exit-$status" ;;
	esac
	errors=$(($(_sf_field lab write_errors) - errors))
	echo "LAB $SWAPFAIL_TEST_NAME point: every_nth=$1 round=$2 seconds=${secs:-0} outcome=$outcome write_errors=$errors"
}

test() {
	_lab_swap || return $?
	cg=$(_cgroup lab 32M) || return 1
	round=1
	while [ $round -le "${LAB_ROUNDS:-3}" ]; do
		for n in ${LAB_RATES:-0 1000 100 20 10 5 3 2}; do
			point "$n" $round || return 1
		done
		round=$((round + 1))
	done
}
