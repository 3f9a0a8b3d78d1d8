#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="A swap disk that stops answering"
DESCRIPTION="every read of the swap area is held (the target's hold, until release) while three victims touch a swapped page each: one gets SIGKILL, one is released, one released with an error; then swapoff runs into a held read; then every write is held while a workload needs twice its cgroup's 32 MiB. hung_task_timeout_secs is 2 (5 outside make check)"
READING="A swap disk that stops answering freezes exactly the processes that need a page from it, in uninterruptible sleep (state D), while everything else runs on. From 6.12 SIGKILL still ends such a process at once (it waits for a page lock, killably); on 6.1 it waits for the read itself and dies only when the disk answers. The hung-task detector stays silent about the victims on every kernel (6.1 waits in a loop that wakes up, later kernels in a killable wait); swapoff, which waits unkillably, is reported from 6.12 on, never on 6.1: do not count on hung-task reports to find a hung swap disk. Held writes do not hang the workload: reclaim cannot free memory and the memory cgroup's OOM killer ends it within seconds. When the disk answers again, everything resumes: pages come back intact, or SIGBUS if the held read fails."
# The hung-task reports of the tasks this scenario blocks on purpose (as
# measured, only swapoff's, from 6.12): of a report, only this first line is a
# kernel problem (tests/vm/kernel-problems.txt), its call trace none.
#
# Every hold is hold=LAB_TIMEOUT: should the scenario stop half-way, nothing
# stays held for longer (the cleanup's swapoff would wait for it).
EXPECTED_KERNEL_LINES='^\[ *[0-9.]+\] INFO: task (victim|swapoff|swapload):[0-9]+ blocked (in I/O wait )?for more than [0-9]+ seconds\.$'

PAGES=32

# now: seconds since boot.
now() {
	cut -d' ' -f1 /proc/uptime
}

# since T: seconds from T to now.
since() {
	awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'
}

# state PID: the process's state (R, S, D, Z...), or "gone".
state() {
	sed 's/.*) //; s/ .*//' "/proc/$1/stat" 2>/dev/null || echo gone
}

# frames PID: the first function names of the process's kernel stack.
frames() {
	if ! [ -r "/proc/$1/stack" ] || ! _fr=$(cat "/proc/$1/stack" 2>/dev/null); then
		echo "/proc/$1/stack is not readable"
		return
	fi
	echo "$_fr" | sed 's/^\[<[^>]*>\] //; s/+.*//' |
		awk 'NR <= 6 { printf "%s%s", (NR > 1 ? " < " : ""), $0 } END { print "" }'
}

# beats: how many times the heartbeat has beaten.
beats() {
	echo $(($(wc -l <"$heart")))
}

# deadline SECONDS: the uptime SECONDS from now.
deadline() {
	awk -v t="$(now)" -v d="$1" 'BEGIN { print t + d }'
}

# before T: true until the uptime T.
before() {
	awk -v t="$(now)" -v e="$1" 'BEGIN { exit !(t < e) }'
}

# gone PID: true once the process has exited (a zombie counts).
gone() {
	case $(state "$1") in
	Z | gone) return 0 ;;
	esac
	return 1
}

# wait_gone PID SECONDS: wait up to SECONDS for the process to exit.
wait_gone() {
	_wg_end=$(deadline "$2")
	until gone "$1"; do
		before "$_wg_end" || return 1
		sleep 0.05
	done
}

# wait_held N [PID]: wait (LAB_TIMEOUT at most) until N I/Os are held, or
# until the process PID has exited.
wait_held() {
	_wh_end=$(deadline "$limit")
	while [ "$(_sf_field lab holding)" -lt "$1" ]; do
		[ -n "${2:-}" ] && gone "$2" && return 0
		before "$_wh_end" ||
			_fail "$(_sf_field lab holding) I/Os held, not $1" || return 1
		sleep 0.1
	done
}

# states PID SECONDS: sample the process's state every 0.2 s for SECONDS, or
# until it exits; prints how often each state was seen.
states() {
	_st_start=$(now)
	_st_end=$(deadline "$2")
	_st_seen=''
	_st_how="over $2 s"
	while before "$_st_end"; do
		_st_now=$(state "$1")
		if [ "$_st_now" = Z ] || [ "$_st_now" = gone ]; then
			_st_how="until it exited, $(since "$_st_start") s in"
			break
		fi
		_st_seen="$_st_seen $_st_now"
		sleep 0.2
	done
	echo "$_st_seen" | tr ' ' '\n' | grep . | sort | uniq -c | sort -rn |
		awk -v how="$_st_how" '{ n += $1; s = s (NR > 1 ? ", " : "") $2 " in " $1 }
		     END { printf "%s of %d samples %s\n", (n ? s : "no state"), n, how }'
}

# hung COMM PID MARK WHEN: the first hung-task report for COMM:PID (PID a
# regex) since the _kmsg line MARK, and how long after MARK (WHEN) it came.
hung() {
	_dmesg_since_start | awk -v m="swapfail-test: $SWAPFAIL_TEST_NAME: $3" \
		-v r="INFO: task $1:$2 blocked (in I/O wait )?for more than " -v when="$4" '
		function ts(l) { sub(/^\[ */, "", l); sub(/\].*/, "", l); return l }
		index($0, m) { t0 = ts($0) }
		t0 != "" && $0 ~ r && !found {
			found = 1; line = $0; sub(/^\[[^]]*\] /, "", line)
			printf "\"%s\", logged %.1f s after %s\n", line, ts($0) - t0, when
		}
		END { if (!found) print "none" }'
}

# touched: how the victim saw its touch of page 10.
touched() {
	_to=$(grep '^touch page=10 ' "$VICTIM_OUT" | tail -n 1)
	case $_to in
	*" ok") echo "the page comes back intact" ;;
	*" corrupt") echo "the page comes back corrupt" ;;
	*" sigbus "*) _sigbus_summary "$(echo "$_to" | sed 's/^touch /sigbus /; s/ sigbus / /')" 10 ;;
	*) echo "$_to" ;;
	esac
}

# victim NAME: start a victim in its own cgroup lab-NAME and swap its PAGES
# pages out; then have it answer one command that touches none of them, so
# that what else memory.reclaim took (its stdio buffers, the page of its
# output file in /tmp) is back in memory before reads are held.
victim() {
	_vi_cg=$(_cgroup "lab-$1") || return 1
	_swapped_victim "$_vi_cg" $PAGES || return 1
	_victim_cmd "touch $PAGES" "^touch page=$PAGES none$" >/dev/null || return 1
	[ "$(_victim_swapped $PAGES)" -eq $PAGES ] ||
		_fail "$(_victim_swapped $PAGES) of $PAGES pages left in swap"
}

# Three victims touch a page whose read is held: a, then released; c, then
# released with an error; b, killed meanwhile.  Their stdins: fd 7, 6, 9.
reads() {
	victim a || return 1
	a_pid=$VICTIM_PID a_out=$VICTIM_OUT a_addr=$VICTIM_ADDR a_slot=$(_slot 10)
	exec 7>&9
	victim c || return 1
	c_pid=$VICTIM_PID c_out=$VICTIM_OUT c_addr=$VICTIM_ADDR c_slot=$(_slot 10)
	exec 6>&9
	victim b || return 1
	b_pid=$VICTIM_PID b_slot=$(_slot 10)
	_sf_msg lab add "1-$last" mode=read hold="${limit}s" || return 1
	rate=$(awk -v n="$(beats)" -v t="$(since "$heart_t")" 'BEGIN { printf "%.1f", n / t }')
	_kmsg "reads held"
	echo "touch 10" >&7
	echo "touch 10" >&6
	echo "touch 10" >&9
	wait_held 3 || return 1

	# a is watched while b gets SIGKILL, and a poller times b's exit
	kill -KILL "$b_pid"
	_kmsg "SIGKILL to victim $b_pid"
	t=$(now) b0=$(beats)
	(wait_gone "$b_pid" "$window" && since "$t" >"$SWAPFAIL_RESULT/killed") &
	poller=$!
	states=$(states "$a_pid" "$window")
	beat=$(($(beats) - b0)) took=$(since "$t")
	wait "$poller"
	_lab "victim's state while its swap-in is held" "$states"
	_lab "victim's kernel stack" "$(frames "$a_pid")"
	_lab "hung-task report for a victim" "$(hung victim '[0-9]+' "reads held" "the touches") (hung_task_timeout_secs $hung_secs, $(since "$t") s watched)"
	_lab "swap-ins held" "holding=$(_sf_field lab holding) (three victims, one page each); $(cat "$a_out" "$c_out" | grep -c '^touch page=10') of the 2 live victims' touches answered"
	_lab "a process outside the cgroups" "a shell loop beat $beat times in $took s ($rate per s before the hold)"
	if [ -s "$SWAPFAIL_RESULT/killed" ]; then
		wait "$b_pid"
		status=$?
		_lab "SIGKILL while held" "the victim exits (status $status) $(cat "$SWAPFAIL_RESULT/killed") s after the signal, its read still held"
		killed="it had exited before"
	else
		_lab "SIGKILL while held" "the victim is still there (state $(state "$b_pid")) $window s after the signal; stack $(frames "$b_pid")"
		killed=
	fi

	_kmsg "release"
	t=$(now)
	_sf_msg lab release "$a_slot" || return 1
	VICTIM_PID=$a_pid VICTIM_OUT=$a_out VICTIM_ADDR=$a_addr
	_victim_wait '^touch page=10' "$limit" || return 1
	_lab "release" "$(touched), $(since "$t") s after release"
	t=$(now)
	_sf_msg lab release fail "$c_slot" || return 1
	VICTIM_PID=$c_pid VICTIM_OUT=$c_out VICTIM_ADDR=$c_addr
	_victim_wait '^touch page=10' "$limit" || return 1
	_lab "release fail" "$(touched), $(since "$t") s after release fail"
	t=$(now)
	_sf_msg lab release "$b_slot" || return 1
	if [ -z "$killed" ] && wait_gone "$b_pid" "$limit"; then
		wait "$b_pid"
		status=$?
		killed="it exits (status $status) $(since "$t") s after"
	fi
	_lab "SIGKILL, then release" "${killed:-it is still there (state $(state "$b_pid")) $limit s after}"
	[ -n "$killed" ] || return 2
	echo exit >&6
	wait "$c_pid"
	_lab "held reads" "held=$(_sf_field lab held), holding=$(_sf_field lab holding) after the releases"
}

# swapoff while a read is held: the hold is still on, and victim a has
# PAGES - 1 pages in swap.
swapoff_held() {
	VICTIM_PID=$a_pid VICTIM_OUT=$a_out VICTIM_ADDR=$a_addr
	exec 9>&7
	swapped=$(_victim_swapped $PAGES)
	held=$(_sf_field lab held)
	_kmsg "swapoff started"
	/usr/sbin/swapoff /dev/mapper/lab &
	off=$!
	_register_pid $off
	t=$(now)
	wait_held 1 "$off" || return 1
	states=$(states "$off" "$window")
	_lab "swapoff while a read is held" "state $states; holding=$(_sf_field lab holding); stack $(frames "$off")"
	_lab "hung-task report for swapoff" "$(hung swapoff "$off" "swapoff started" "swapoff started")"
	t=$(now)
	_sf_msg lab clear || return 1
	if wait_gone "$off" "$limit"; then
		wait "$off"
		status=$?
		_lab "swapoff once the hold is lifted" "exit status $status $(since "$t") s after the hold was lifted (clear); $swapped pages were in swap, $(($(_sf_field lab held) - held)) of its reads held, $(_victim_swapped $PAGES) left in swap"
	else
		_lab "swapoff once the hold is lifted" "still running (state $(state "$off")) $limit s after the hold was lifted"
		return 2
	fi
	report=$(_victim_check) || return 1
	_lab "victim after swapoff" "$(echo "$report" | sed -n 's/^checked pages=\([0-9]*\) ok=\([0-9]*\) .*/\2 of \1 pages intact/p')"
	echo exit >&7
	wait "$a_pid"
}

# Every write is held while a workload needs twice its cgroup's memory.
writes() {
	_swap_on /dev/mapper/lab || return 1
	_sf_msg lab add "1-$last" mode=write hold="${limit}s" || return 1
	cgw=$(_cgroup lab-writes 32M) || return 1
	_kmsg "writes held"
	t=$(now)
	# shellcheck disable=SC2016 # $$ belongs to the inner shell
	sh -c 'echo $$ >"$1/cgroup.procs" && exec swapload 64 1' load "$cgw" \
		>/dev/null 2>&1 &
	load=$!
	_register_pid $load
	wait_held 1 "$load" || return 1
	t1=$(now) b0=$(beats)
	states=$(states "$load" "$window")
	beat=$(($(beats) - b0)) took=$(since "$t1")
	_lab "workload while its swap-outs are held" "$states, from the first held write"
	_lab "writes held" "holding=$(_sf_field lab holding), held=$(_sf_field lab held) $(since "$t") s after the workload started; memory.current $(($(cat "$cgw/memory.current") >> 20)) MiB"
	_lab "memory.events while held" "$(tr '\n' ' ' <"$cgw/memory.events")"
	_lab "hung-task report for the workload" "$(hung swapload "$load" "writes held" "the workload started")"
	_lab "a process outside the cgroup meanwhile" "a shell loop beat $beat times in $took s"
	before=$(state "$load")
	_kmsg "writes released"
	t=$(now)
	_sf_msg lab clear || return 1
	if wait_gone "$load" "$limit"; then
		took=$(since "$t")
		wait "$load"
		status=$?
		case $status in
		0) end="completed" ;;
		137) end="killed (SIGKILL)" ;;
		*) end="ended with exit status $status" ;;
		esac
		case $before in
		Z | gone) end="it had ended before: $end" ;;
		*) end="$end $took s after the hold was lifted (clear)" ;;
		esac
	else
		end="still running (state $(state "$load")) $limit s after the hold was lifted"
	fi
	_lab "workload once the hold is lifted" "$end; holding=$(_sf_field lab holding), memory.current $(($(cat "$cgw/memory.current") >> 20)) MiB $(since "$t") s after"
	_lab "memory.events at the end" "$(tr '\n' ' ' <"$cgw/memory.events")"
	_lab "oom killer" "$(_dmesg_since_start | grep -c 'Memory cgroup out of memory') 'Memory cgroup out of memory' line(s) in the kernel log"
}

test() {
	limit=${LAB_TIMEOUT:-180}
	hung_secs=5
	[ "$limit" -gt 60 ] || hung_secs=2
	# khungtaskd checks every hung_secs; the first check after a task blocks
	# notes the time, a later one reports it once hung_secs have passed
	# since: at the third check after it blocked at the latest
	window=$((3 * hung_secs + 1))
	_lab_swap || return $?
	last=$(($(_sectors /dev/mapper/lab) / 8 - 1))
	_register_param /proc/sys/kernel/hung_task_timeout_secs
	echo "$hung_secs" >/proc/sys/kernel/hung_task_timeout_secs || return 1
	if [ -e /proc/sys/kernel/hung_task_warnings ]; then
		_register_param /proc/sys/kernel/hung_task_warnings
		echo 10 >/proc/sys/kernel/hung_task_warnings || return 1
	fi
	heart=$SWAPFAIL_RESULT/heartbeat
	sh -c 'while :; do echo; sleep 0.1; done' >"$heart" &
	_register_pid $!
	heart_t=$(now)
	# each part returns 2 when a process is left blocked: the rest cannot run
	for part in reads swapoff_held writes; do
		$part
		case $? in
		0) ;;
		2) return 0 ;;
		*) return 1 ;;
		esac
	done
}
