#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="under memory pressure with failing writes, each targeted page gives SIGBUS, every other page reads back intact, and messages keep working"

VICTIMS=4

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_swap_on /dev/mapper/sf || return 1
	# one victim after the other, each in its own cgroup, all pages swapped
	n=1
	while [ $n -le $VICTIMS ]; do
		cg=$(_cgroup fire$n) || return 1
		_swapped_victim "$cg" 128 || return 1
		_sf_msg sf add "$(_slot $n)" "$(_slot $((n + 64)))" mode=read || return 1
		# keep victim n's stdin open on fd n + 3; the OOM killer spares it
		echo -1000 >/proc/"$VICTIM_PID"/oom_score_adj
		eval "pid$n=$VICTIM_PID out$n=$VICTIM_OUT addr$n=$VICTIM_ADDR"
		eval "exec $((n + 3))>&9"
		n=$((n + 1))
	done
	# failing writes; a hog swapping through sf in a cgroup of 96 MiB, and
	# this shell in that cgroup too, so that each message (dmsetup, and the
	# table it rebuilds) is made while the cgroup's memory is exhausted
	_sf_msg sf every_nth_write 7 || return 1
	hogcg=$(_cgroup firehog $((96 * 1024 * 1024))) || return 1
	# shellcheck disable=SC2016 # $$ belongs to the inner shell
	sh -c 'echo $$ >"$1/cgroup.procs" && echo 1000 >/proc/$$/oom_score_adj &&
	       exec swapload 256 2' sh "$hogcg" >/dev/null 2>&1 &
	hog=$!
	_register_pid $hog
	echo $$ >"$hogcg/cgroup.procs" || return 1
	refused=0 sent=0
	while kill -0 $hog 2>/dev/null && [ $sent -lt 200 ]; do
		if _sf_msg sf add $((100000 + sent)) mode=rw >/dev/null 2>&1 &&
		   _sf_msg sf count >/dev/null; then
			:
		else
			refused=$((refused + 1))
		fi
		sent=$((sent + 1))
	done
	wait $hog
	echo $$ >/sys/fs/cgroup/cgroup.procs || return 1
	failed=$(_sf_field sf write_errors)
	_kmsg "under fire: $sent messages sent, $refused refused, write_errors $failed, $(grep -E '^(max|oom_kill) ' "$hogcg/memory.events" | tr '\n' ' ')"
	[ "$failed" -gt 0 ] || _fail "no swap-out write failed: no pressure" || return 1
	_sf_msg sf every_nth_write 0 || return 1
	n=1
	while [ $n -le $VICTIMS ]; do
		eval "VICTIM_PID=\$pid$n VICTIM_OUT=\$out$n VICTIM_ADDR=\$addr$n"
		eval "exec 9>&$((n + 3))"
		report=$(_victim_check) || return 1
		echo "$report" | grep -q "^sigbus page=$n addr=$(_page_addr $n) code=2$" ||
			_fail "victim $n: no SIGBUS at page $n" || return 1
		echo "$report" | grep -q "^sigbus page=$((n + 64)) addr=$(_page_addr $((n + 64))) code=2$" ||
			_fail "victim $n: no SIGBUS at page $((n + 64))" || return 1
		echo "$report" | grep '^checked '
		n=$((n + 1))
	done
}
