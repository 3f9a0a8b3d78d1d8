#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="The whole machine out of memory, every swap-out failing"
DESCRIPTION="no memory cgroup limit: a workload dirties one and a half times the machine's memory (vm.overcommit_memory 1, so that its mmap is granted) while every write to the swap area fails, the area over the whole 512 MB disk, then (outside make check) over half the machine's memory; a heartbeat process (mlocked) sleeps 10 ms at a time meanwhile, and the lab's shell has oom_score_adj -1000. When the OOM killer kills, whose allocation invoked it and whom it kills, the swap slots the failed pages hold, the failed writes, the heartbeat's longest gap and its beats around the kill, and the hung-task reports"
READING="Without a memory cgroup, a machine whose every swap-out fails still ends in an OOM kill of the workload, not a hang: every swap slot gets taken by pages that stay in the swap cache, and then the OOM killer picks the biggest process, within seconds to tens of seconds here. Other processes are not starved on the way (the heartbeat's longest gap stays well under a second) and no hung-task report appears. A failing swap disk thus costs the machine about what having no swap would, plus the time spent on writes that fail."

requires() {
	_have_program heartbeat
}

# area NAME: the size in kB of swap area /dev/mapper/NAME (/proc/swaps).
area() {
	awk -v a="/dev/mapper/$1" -v b="/dev/$(dmsetup info -c -o blkdevname --noheadings "$1")" \
		'$1 == a || $1 == b { print $3 }' /proc/swaps
}

# since START: whole seconds since START (/proc/uptime).
since() {
	awk -v a="$1" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%d", b - a }'
}

# point KEY NAME [NOTE]: every write to swapfail device NAME, the swap area,
# fails; the workload and the heartbeat; the LAB lines KEY...
point() {
	last=$(($(_sectors "/dev/mapper/$2") / 8 - 1))
	_sf_msg "$2" add "1-$last" mode=write || return 1
	_lab "$1, swap area" "$(area "$2") kB${3:+ ($3)}"
	errors=$(_sf_field "$2" write_errors)
	beats=/tmp/lab-heartbeat.$$
	sh -c 'echo 0 >/proc/self/oom_score_adj && exec heartbeat 10 50' \
		>"$beats" 2>&1 &
	hb=$!
	_register_pid $hb
	sleep 1
	# the kernel log's clock against /proc/uptime, the heartbeat's
	_kmsg "$1: start at $(cut -d' ' -f1 /proc/uptime)"
	start=$(cut -d' ' -f1 /proc/uptime)
	# shellcheck disable=SC2016 # $1 belongs to the inner shell
	sh -c 'echo 0 >/proc/self/oom_score_adj && exec swapload "$1" 1' load "$mib" \
		>/dev/null 2>"$beats.load" &
	pid=$!
	_register_pid $pid
	while kill -0 $pid 2>/dev/null && [ "$(since "$start")" -lt "$limit" ]; do
		sleep 1
	done
	if kill -0 $pid 2>/dev/null; then
		outcome="still running after $limit s; killed by the lab"
		kill -KILL $pid
		wait $pid
	else
		wait $pid
		status=$?
		case $status in
		137) outcome="killed (SIGKILL)" ;;
		0) outcome="completed" ;;
		*) outcome="exit status $status" ;;
		esac
	fi
	! grep -q mmap "$beats.load" || _fail "$(cat "$beats.load")" || return 1
	# the machine after the kill
	sleep 2
	kill -TERM $hb
	wait $hb
	log=$(_dmesg_since_start | awk -v m="swapfail-test: $SWAPFAIL_TEST_NAME: $1: start at " \
		'index($0, m) { n = 0; found = 1 } found { l[n++] = $0 }
		END { for (i = 0; i < n; i++) print l[i] }')
	kills=$(echo "$log" | grep 'Out of memory: Killed process ')
	# the first line, the start mark: [PRINTK_TIME] ... start at UPTIME
	t0=$(echo "$log" | head -n 1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	u0=$(echo "$log" | head -n 1 | sed 's/.* start at //')
	if [ -z "$kills" ]; then
		_lab "$1, first OOM kill" "no OOM kill within $limit s"
		for key in "OOM killer invoked by" "OOM kills" "swap slots taken at the kill"; do
			_lab "$1, $key" "-"
		done
		tk=
	else
		first=$(echo "$kills" | head -n 1)
		tk=$(echo "$first" | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
		kpid=$(echo "$first" | sed 's/.*Killed process \([0-9]*\) .*/\1/')
		who="$(echo "$first" | sed 's/.*Killed process [0-9]* (\(.*\)) .*/\1/') (pid $kpid), not the workload"
		[ "$kpid" != "$pid" ] || who="the workload"
		rss=$(echo "$first" | sed 's/.*anon-rss:\([0-9]*\)kB.*/\1/')
		_lab "$1, first OOM kill" "$(awk -v a="$t0" -v b="$tk" 'BEGIN { printf "%.1f s", b - a }') after the start: $who, anon-rss $((rss / 1024)) MiB"
		_lab "$1, OOM killer invoked by" "$(echo "$log" | grep -m 1 ' invoked oom-killer: ' |
			sed 's/^\[[^]]*\] *\(.*\) invoked oom-killer: gfp_mask=[^(]*(\([^)]*\)), order=\([0-9]*\), oom_score_adj=\(-*[0-9]*\).*/\1 (oom_score_adj \4): order \3, \2/' | tr '|' +)"
		_lab "$1, OOM kills" "$(echo "$kills" | wc -l): $(echo "$kills" |
			sed 's/.*Killed process [0-9]* (\(.*\)) .*/\1/' | tr '\n' ' ' | sed 's/ $//')"
		# show_mem in the first kill's report
		_lab "$1, swap slots taken at the kill" "$(echo "$log" | awk -v tk="$tk" '
			{ t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t) }
			t + 0 > tk + 0 { exit }
			/pages in swap cache$/ { cache = $(NF - 4) }
			/Free swap *=/ { free = $NF; sub(/kB/, "", free) }
			/Total swap *=/ { total = $NF; sub(/kB/, "", total) }
			END { if (total == "") print "? (no show_mem report)"
			      else printf "%d of %d kB; %d pages in the swap cache", total - free, total, cache }')"
	fi
	_lab "$1, workload" "$outcome"
	_lab "$1, failed swap writes" "$(($(_sf_field "$2" write_errors) - errors))"
	_lab "$1, heartbeat" "$(awk '
		/^beats=/ { split($0, f, /[ =]/); n = f[4]; max = f[6]; done = 1 }
		END {
			if (!done) print "killed (no report)"
			else printf "longest gap %.2f s (nominal 10 ms); over 50 ms: %d", max, n
		}' "$beats")"
	if [ -z "$tk" ]; then
		_lab "$1, heartbeat after the kill" "-"
	else
		# the kill in the heartbeat's clock
		tku=$(awk -v tk="$tk" -v t0="$t0" -v u0="$u0" 'BEGIN { printf "%.3f", tk - t0 + u0 }')
		_lab "$1, heartbeat after the kill" "$(awk -v k="$tku" '
			/^gap / { e = $2; l = $3; sub(/end=/, "", e); sub(/len=/, "", l)
				  if (e - l <= k && e >= k) resumed = e - k
				  else if (e - l > k && l > later) later = l }
			/^beats=/ { done = 1 }
			END {
				if (!done) { print "killed (no report)"; exit }
				if (resumed == "" && later == "")
					s = "on time at and after the kill (no gap over 50 ms)"
				else if (resumed == "")
					s = sprintf("on time at the kill; gaps of up to %.2f s after", later)
				else if (later == "")
					s = sprintf("beat again %.2f s after the kill, then on time", resumed)
				else
					s = sprintf("beat again %.2f s after the kill; gaps of up to %.2f s after", resumed, later)
				print s
			}' "$beats")"
	fi
	_lab "$1, hung-task reports" "$(echo "$log" | grep -c -E 'blocked (in I/O wait )?for more than')"
	rm -f "$beats" "$beats.load"
	_sf_msg "$2" clear
}

test() {
	disk=$(_disk) || return $?
	limit=${LAB_TIMEOUT:-180}
	# the harness must not be the one killed: this shell and what it runs
	# but the workload and the heartbeat
	echo -1000 >/proc/self/oom_score_adj || _fail "cannot set oom_score_adj" || return 1
	_register_param /proc/sys/vm/overcommit_memory
	echo 1 >/proc/sys/vm/overcommit_memory
	memtotal=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
	mib=$((memtotal * 3 / 2 / 1024))
	_lab "memory" "MemTotal $((memtotal / 1024)) MiB; the workload dirties $mib MiB"
	_lab_swap || return $?
	point "whole disk" lab || return 1
	# make check (tests/lab/run --quick): the first point only
	[ "$limit" -gt 60 ] || return 0

	swapoff /dev/mapper/lab || _fail "swapoff lab failed" || return 1
	_dm_remove lab || return 1
	# MemTotal/2 in 512-byte sectors is MemTotal in kB
	sectors=$(_sectors "$disk")
	half=$memtotal
	asked="MemTotal/2: $((memtotal / 2048)) MiB"
	if [ "$half" -gt "$sectors" ]; then
		asked="MemTotal/2 is more than the $((sectors / 2048)) MiB disk: the whole disk"
		half=$sectors
	fi
	half=$((half - half % 8))
	_dm_create labhalf "0 $half swapfail $disk 0 4096 2 start_enabled quiet" || return 1
	_swap_on /dev/mapper/labhalf || return 1
	point "half of memory" labhalf "$asked"
}
