#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="Every swap-out write fails for a process in a memory cgroup"
DESCRIPTION="every write to the swap area fails while a workload needs three times its cgroup's 32 MiB; how it ends, how long it takes, and what the cgroup counts"
READING="When swap-outs fail, the pages stay in memory and reclaim keeps trying to write them, hundreds of thousands of failed writes within seconds (tens of thousands on 7.3, which writes up to 32 pages a bio). Inside a memory cgroup the outcome is quick and clean: the cgroup's OOM killer ends the workload within seconds. The kernel log shows only a few rate-limited write-error lines, far fewer than the failures."

test() {
	disk=$(_disk) || return $?
	limit=${LAB_TIMEOUT:-180}
	_sf_create lab "$disk" 4096 start_enabled quiet || return 1
	_swap_on /dev/mapper/lab || return 1
	_sf_msg lab add 1-$(($(_sectors "$disk") / 8 - 1)) mode=write || return 1
	cg=$(_cgroup lab 32M) || return 1
	start=$(cut -d' ' -f1 /proc/uptime)
	# shellcheck disable=SC2016 # $$ belongs to the inner shell
	sh -c 'echo $$ >"$1/cgroup.procs" && exec swapload 96 1' load "$cg" \
		>/dev/null 2>&1 &
	pid=$!
	_register_pid $pid
	left=$limit
	while kill -0 $pid 2>/dev/null && [ "$left" -gt 0 ]; do
		sleep 1
		left=$((left - 1))
	done
	took=$(awk -v a="$start" -v b="$(cut -d' ' -f1 /proc/uptime)" \
		'BEGIN { printf "%.0f", b - a }')
	if kill -0 $pid 2>/dev/null; then
		_lab "outcome" "still running after $limit s (stalled); killed by the lab"
		kill -KILL $pid
		wait $pid
	else
		wait $pid
		status=$?
		case $status in
		137) _lab "outcome" "killed (SIGKILL) after $took s" ;;
		0) _lab "outcome" "completed in $took s" ;;
		*) _lab "outcome" "ended with exit status $status after $took s" ;;
		esac
	fi
	_lab "memory.events" "$(tr '\n' ' ' <"$cg/memory.events")"
	_lab "oom killer" "$(dmesg | grep -c 'Memory cgroup out of memory') 'Memory cgroup out of memory' line(s) in the kernel log"
	_lab "failed swap writes" "$(_sf_field lab write_errors)"
	_lab "kernel log" "$(dmesg | grep -c 'Write-error on swap-device') 'Write-error on swap-device' line(s) (rate-limited)"
}
