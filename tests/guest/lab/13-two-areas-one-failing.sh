#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="Two swap areas of equal priority, one failing every write"
DESCRIPTION="two swapfail devices over the two halves of the disk (non-rotational) are swap areas of priority 5; a workload dirties and re-reads 64 MiB in a 32 MiB cgroup once, with neither failing, then with every write to area A failing (stopped after a third of the lab timeout): where the pages go (the peak use of each area), the writes each area sees, A's failed writes second by second, and the wall time"
READING="The kernel does not learn that one of two equal-priority swap areas fails every write: it keeps giving out slots there (both areas reach the same peak use) and rewrites the failing pages, 50,000 to 180,000 failed writes a second on 6.1 and 6.12 and 3,000 to 8,000 on 7.3 (its writes carry up to 32 pages each), while the healthy area sees only its first few thousand writes. The pages stuck in memory end in the cgroup's OOM kill or the workload goes on several times slower: the outcome is a race, and runs of the same kernel differ. A failing swap area has to be turned off; the kernel will not route around it."

# used NAME: kB used in swap area NAME (/proc/swaps).
used() {
	awk -v a="/dev/mapper/$1" -v b="/dev/$(dmsetup info -c -o blkdevname --noheadings "$1")" \
		'$1 == a || $1 == b { print $4 }' /proc/swaps
}

# run WHAT [quiet] SECONDS: the workload, watched every second, stopped
# after SECONDS; its LAB lines under WHAT.
run() {
	writes_a=$(_sf_field laba writes) writes_b=$(_sf_field labb writes)
	errors=$(_sf_field laba write_errors)
	start=$(cut -d' ' -f1 /proc/uptime)
	# shellcheck disable=SC2016 # $$ belongs to the inner shell
	timeout "$3" sh -c 'echo $$ >"$1/cgroup.procs" && exec swapload 64 1' \
		load "$cg" >/dev/null 2>&1 &
	pid=$!
	_register_pid $pid
	peak_a=0 peak_b=0 seconds=0 series=
	last_errors=$errors
	while kill -0 $pid 2>/dev/null; do
		sleep 1
		seconds=$((seconds + 1))
		a=$(used laba) b=$(used labb)
		[ "${a:-0}" -le "$peak_a" ] || peak_a=$a
		[ "${b:-0}" -le "$peak_b" ] || peak_b=$b
		now=$(_sf_field laba write_errors)
		series="$series $((now - last_errors))"
		last_errors=$now
	done
	wait $pid
	status=$?
	SECS=$(awk -v a="$start" -v b="$(cut -d' ' -f1 /proc/uptime)" \
		'BEGIN { printf "%.1f", b - a }')
	# what a timeout left behind
	while read -r left; do kill -KILL "$left"; done <"$cg/cgroup.procs"
	case $status in
	0) outcome="completed in $SECS s" ;;
	137) outcome="killed (SIGKILL) after $SECS s" ;;
	124 | 143) outcome="still running after $3 s; stopped by the lab" ;;
	*) outcome="exit status $status after $SECS s" ;;
	esac
	_lab "$1, workload" "$outcome"
	_lab "$1, peak use" "A $peak_a kB, B $peak_b kB"
	_lab "$1, writes" "A $(($(_sf_field laba writes) - writes_a)), B $(($(_sf_field labb writes) - writes_b)); A failed $(($(_sf_field laba write_errors) - errors))"
	[ "$2" = quiet ] ||
		_lab "$1, A's failed writes per second" "$(echo "$series" | sed 's/^ //')"
}

test() {
	disk=$(_disk) || return $?
	# the same allocator whichever scenario ran before (07 makes it 0)
	_register_param /sys/block/vda/queue/rotational
	echo 0 >/sys/block/vda/queue/rotational
	half=$(($(_sectors "$disk") / 2))
	half=$((half - half % 8))
	_dm_create laba "0 $half swapfail $disk 0 4096 2 start_enabled quiet" || return 1
	_dm_create labb "0 $half swapfail $disk $half 4096 2 start_enabled quiet" || return 1
	_register_param /proc/sys/vm/page-cluster
	echo 0 >/proc/sys/vm/page-cluster
	for area in laba labb; do
		mkswap "/dev/mapper/$area" >/dev/null || _fail "mkswap $area failed" || return 1
		swapon -p 5 "/dev/mapper/$area" || _fail "swapon $area failed" || return 1
		_register_swap "/dev/mapper/$area"
	done
	_lab "areas" "$(awk 'NR > 1 { printf "%s%s: %s kB, priority %s", s, $1, $3, $5; s = "; " }' /proc/swaps)"
	cg=$(_cgroup lab 32M) || return 1
	run "neither failing" quiet "${LAB_TIMEOUT:-180}" || return 1
	base=$SECS base_outcome=$outcome
	_sf_msg laba every_nth_write 1 || return 1
	run "A failing every write" loud $((${LAB_TIMEOUT:-180} / 3)) || return 1
	_lab "cost" "$(awk -v a="$SECS" -v b="$base" 'BEGIN { printf "%.1f s against %.1f s (%.2fx)", a, b, (b > 0 ? a / b : 0) }'): ${outcome%% after*} against ${base_outcome%% in*}"
	_lab "memory.events" "$(tr '\n' ' ' <"$cg/memory.events" | sed 's/ $//')"
	_sf_msg laba every_nth_write 0 || return 1
	_lab "swap left in use" "A $(used laba) kB, B $(used labb) kB"
}
