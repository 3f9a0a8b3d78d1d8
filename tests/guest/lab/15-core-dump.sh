#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="SIGBUS and the core dump"
DESCRIPTION="a victim without a SIGBUS handler, with core dumps on, touches its page 10 whose swap slot is unreadable: SIGBUS kills it and the kernel dumps its 64 swapped pages to a file in /tmp (tmpfs); then the same in a memory cgroup whose memory.max is the victim's charge with its pages in plus 64 KiB, where every swap-out write fails (the core file's pages are charged to the cgroup too), and in one with 2 MiB more. How the process ends (the wait status's signal and core flag) and how long after the touch, the device I/O meanwhile, the core file and what it holds at the bad page and at the 63 others, where an OOM kill came from (its call trace) and the cgroup's events"
READING="The core dump does not lose the SIGBUS by itself: a process killed by an unreadable swapped page dumps core, the bad page is a hole of zeros in the core and every other page is there, and the dump does not read the bad slot again. The notes' lost SIGBUS is the memory cgroup: the dump's writes to a core file on tmpfs are charged to the dying process's cgroup, and when that cgroup has no room (and its swap-outs fail) the OOM killer's SIGKILL replaces the SIGBUS, the exit status says killed, not SIGBUS, and the core is cut short. Give the core somewhere to go that is not charged to a full cgroup (a disk-backed core_pattern, or a pipe to a collector) if the SIGBUS matters."

PAGES=64
CORE=/tmp/lab-core

requires() {
	_have_program swapfail && _have_program coredump
}

# start_victim CGROUP: victim PAGES --no-handler in CGROUP with core dumps
# on, the child of "coredump run" (outside CGROUP), which tells how it
# ends; sets VICTIM_PID, VICTIM_OUT, VICTIM_ADDR, RUN_PID, RUN_ERR and fd 9
# to the victim's stdin.
start_victim() {
	n=$((${n:-0} + 1))
	VICTIM_OUT=$CORE.$n.out RUN_ERR=$CORE.$n.err
	rm -f "$VICTIM_OUT" "$RUN_ERR" "$CORE.$n.in"
	mkfifo "$CORE.$n.in" || _fail "mkfifo failed" || return 1
	# shellcheck disable=SC2016 # $$ and $1.. belong to the inner shell
	coredump run sh -c 'echo $$ >"$1/cgroup.procs" && ulimit -c unlimited &&
		exec victim "$2" --no-handler' victim "$1" $PAGES \
		<"$CORE.$n.in" >"$VICTIM_OUT" 2>"$RUN_ERR" &
	RUN_PID=$!
	_register_pid $RUN_PID
	exec 9>"$CORE.$n.in"
	tries=100
	until VICTIM_PID=$(sed -n 's/^coredump: pid //p' "$RUN_ERR") && [ -n "$VICTIM_PID" ]; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || _fail "coredump run did not start the victim" || return 1
		sleep 0.1
	done
	_register_pid "$VICTIM_PID"
	_victim_wait '^ready ' || return 1
	VICTIM_ADDR=$(awk '/^ready /{ print $2 }' "$VICTIM_OUT")
}

# since START: whole seconds since START (/proc/uptime).
since() {
	awk -v a="$1" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%d", b - a }'
}

# oom_path: where the last OOM report since the test's start came from:
# the frames of its call trace that tell, outermost first, and the gfp mask.
oom_path() {
	_dmesg_since_start | awk '
		/ invoked oom-killer: / {
			gfp = $0; sub(/.*gfp_mask=[^(]*\(/, "", gfp); sub(/\).*/, "", gfp)
			n = 0; on = 0; found = 1
		}
		/Call Trace:/ { on = 1; next }
		/<\/TASK>/ { on = 0 }
		on {
			f = $0; sub(/^\[[^]]*\] */, "", f)
			if (f ~ /^[?<]/) next
			sub(/\+.*/, "", f); sub(/\..*/, "", f)
			if (f ~ /^(do_coredump|elf_core_dump|dump_user_range|dump_emit)$/ ||
			    f ~ /^(get_dump_page|__kernel_write(_iter)?|shmem_write_begin)$/ ||
			    f ~ /^(do_swap_page|handle_mm_fault|__mem_cgroup_charge)$/ ||
			    f ~ /^(obj_cgroup_charge|try_charge_memcg)$/)
				frame[n++] = f
		}
		END {
			if (!found) { print "no OOM report"; exit }
			for (i = n - 1; i >= 0; i--)
				printf "%s%s", frame[i], (i ? " > " : "")
			gsub(/\|/, "+", gfp)
			printf " (%s)\n", gfp
		}'
}

# bad_page: make page 10's slot unreadable; sets BLOCK, its block.
bad_page() {
	BLOCK=$(swapfail target lab --pid "$VICTIM_PID" --addr "$(_page_addr 10)" |
		sed -n 's/.* block \([0-9]*\).*/\1/p')
	[ -n "$BLOCK" ] || _fail "swapfail target failed"
}

# fatal WHAT [CGROUP]: the victim touches page 10: SIGBUS and the dump; the
# LAB lines WHAT...
fatal() {
	core=$CORE.$VICTIM_PID
	rm -f "$core"
	reads=$(_sf_field lab reads) read_errors=$(_sf_field lab read_errors)
	writes=$(_sf_field lab writes) write_errors=$(_sf_field lab write_errors)
	limit=${LAB_TIMEOUT:-180}
	start=$(cut -d' ' -f1 /proc/uptime)
	echo "touch 10" >&9
	while kill -0 "$RUN_PID" 2>/dev/null && [ "$(since "$start")" -lt "$limit" ]; do
		sleep 0.1
	done
	if kill -0 "$RUN_PID" 2>/dev/null; then
		_lab "$1end" "still running after $limit s (state $(sed 's/.*) //; s/ .*//' "/proc/$VICTIM_PID/stat")); killed by the lab"
		kill -KILL "$VICTIM_PID"
		wait "$RUN_PID"
	else
		wait "$RUN_PID"
		status=$?
		end=$(sed -n -e 's/^coredump: signal=//p' -e 's/^coredump: exit=//p' "$RUN_ERR")
		case $end in
		SIG*core=yes*) how="killed by ${end%% *} (exit status $status), core flag set" ;;
		SIG*) how="killed by ${end%% *} (exit status $status), no core flag" ;;
		*) how="exit status ${end%% *}" ;;
		esac
		_lab "$1end" "$how; $(awk -v a="$start" -v b="${end##*at=}" \
			'BEGIN { printf "%.2f", b - a }') s after the touch"
	fi
	read_errors=$(($(_sf_field lab read_errors) - read_errors))
	case $read_errors in
	0) again="not even the fault" ;;
	1) again="the fault's own read" ;;
	*) again="the dump read the bad slot again" ;;
	esac
	reads=$(($(_sf_field lab reads) - reads))
	writes=$(($(_sf_field lab writes) - writes))
	write_errors=$(($(_sf_field lab write_errors) - write_errors))
	_lab "$1device reads and writes" "reads $reads ($read_errors failed: $again); writes $writes ($write_errors failed)"
	if [ ! -f "$core" ]; then
		_lab "$1core file" "none"
		_lab "$1page 10 in the core" "no core"
	else
		pages=$(coredump pages "$core" "$VICTIM_ADDR" $PAGES) ||
			_fail "cannot read the core" || return 1
		_lab "$1core file" "$(($(wc -c <"$core") / 1024)) KiB; $(echo "$pages" |
			awk '/^page=/ && $1 != "page=10" { n[$2]++ }
			END {
				name["zero"] = "zeros"; name["hole"] = "in holes"
				name["other"] = "other data"; name["absent"] = "not covered"
				name["unsaved"] = "not saved"; name["truncated"] = "past its end"
				s = n["intact"] + 0 " of the 63 other pages intact"
				for (k in n)
					if (k != "intact")
						s = s ", " n[k] " " name[k]
				print s
			}')"
		case $(echo "$pages" | sed -n 's/^page=10 //p') in
		intact) at10="the page's data" ;;
		zero) at10="zeros (written)" ;;
		hole) at10="a hole (reads as zeros): the dump skipped it" ;;
		other) at10="other data than the page's" ;;
		absent) at10="missing: no segment covers it" ;;
		unsaved) at10="missing: its segment's file size ends before it" ;;
		truncated) at10="missing: the file ends before it" ;;
		*) at10="?" ;;
		esac
		_lab "$1page 10 in the core" "$at10"
	fi
	if [ -n "${2:-}" ]; then
		path="no OOM"
		[ "$(awk '$1 == "oom" { print $2 }' "$2/memory.events")" -eq 0 ] ||
			path=$(oom_path)
		_lab "$1OOM invoked from" "$path"
		events=$(awk '$1 == "max" || $1 == "oom" || $1 == "oom_kill" {
			printf "%s%s %s", s, $1, $2; s = ", " }' "$2/memory.events")
		shmem=$(awk '$1 == "shmem" { print $2 }' "$2/memory.stat")
		_lab "$1memory.events" "$events; memory.stat shmem $((shmem / 1024)) KiB afterwards"
	fi
	rm -f "$core"
}

# in_cgroup KIB: the victim in a cgroup whose memory.max is the victim's
# charge with all its pages in (memory.stat: anon, file and kernel) plus
# KIB, every swap-out write failing but for the slot of page 10.
in_cgroup() {
	_sf_msg lab clear || return 1
	cg=$(_cgroup "lab-$1") || return 1
	start_victim "$cg" || return 1
	resident=$(awk '$1 == "anon" || $1 == "file" || $1 == "kernel" { n += $2 }
		END { print n }' "$cg/memory.stat")
	_swap_out "$cg" $PAGES || return 1
	bad_page || return 1
	ranges="1-$((BLOCK - 1)) $((BLOCK + 1))-$last"
	[ "$BLOCK" -gt 1 ] || ranges="2-$last"
	[ "$BLOCK" -lt "$last" ] || ranges="1-$((last - 1))"
	# shellcheck disable=SC2086 # two ranges
	_sf_msg lab add $ranges mode=write || return 1
	echo $((resident + $1 * 1024)) >"$cg/memory.max" ||
		_fail "cannot set memory.max" || return 1
	_lab "cgroup +$1 KiB, memory.max" "$(($(cat "$cg/memory.max") / 1024)) KiB (the victim's charge with its pages in: $((resident / 1024)) KiB)"
	fatal "cgroup +$1 KiB, " "$cg"
}

test() {
	_lab_swap || return $?
	last=$(($(_sectors /dev/mapper/lab) / 8 - 1))
	_register_param /proc/sys/kernel/core_pattern
	echo "$CORE.%p" >/proc/sys/kernel/core_pattern
	cg=$(_cgroup lab) || return 1
	start_victim "$cg" || return 1
	_swap_out "$cg" $PAGES || return 1
	bad_page || return 1
	fatal "no limit, " || return 1

	# The notes' case: a tight cgroup whose swap-outs all fail; then one
	# with room for the dump.
	in_cgroup 64 || return 1
	in_cgroup 2048 || return 1
	rm -f "$CORE".*
}
