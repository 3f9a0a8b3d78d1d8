#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Where a delayed I/O's lateness goes, from the kernel's own tracepoints:
# for dm-swapfail and dm-delay asked to delay single 4 KiB direct I/Os by T,
# per I/O, on which CPU the release timer fired, on which the worker that
# resubmits the bio ran, and on which the submitter returned, and the time
# from the timer to the worker and from the worker to the return.  Run by
# hand, in either clock (docs/performance.md, "Delay accuracy"):
#
#   tests/vm/run-guest --kernel REL --module dm_swapfail.ko [--icount] -- \
#       env DELAY_TRACE_T=1ms sh /swapfail/guest/delay-trace.sh
#
# Prints "TRACE io ..." per I/O and "TRACE summary ..." per target.  dm-delay
# with a delay under 50 ms from 6.7 on polls from a kernel thread instead
# of a timer and a worker: it has no stages to show (ios=0).

SWAPFAIL_BIN=/swapfail/bin
SWAPFAIL_TEST_NAME=delay-trace
SWAPFAIL_LEDGER=/dev/null
# shellcheck source=tests/integration/lib.sh
. /swapfail/integration/lib.sh

T=${DELAY_TRACE_T:-1ms}
N=${DELAY_TRACE_N:-200}
DIR=${DELAY_TRACE_DIR:-read}
DEV=/dev/nullb0
TR=/sys/kernel/tracing

case $T in
*[0-9]ms) MS=${T%ms} ;;
*) echo "delay-trace: DELAY_TRACE_T must be whole milliseconds (dm-delay's unit)" >&2; exit 64 ;;
esac

modprobe null_blk nr_devices=1 gb=1 memory_backed=1 || exit 1
modprobe dm-delay || exit 1
sectors=$(_sectors $DEV)
_dm_create delay "0 $sectors delay $DEV 0 $MS $DEV 0 $MS" || exit 1
_sf_create swapfail $DEV 4096 start_enabled || exit 1
_sf_msg swapfail add 0+4096 mode=rw "delay=$T" || exit 1
dd if=/dev/zero of=$DEV bs=1M count=16 conv=fsync 2>/dev/null || exit 1

[ -d $TR/events ] || mount -t tracefs tracefs $TR || exit 1
echo 16384 >$TR/buffer_size_kb
for e in timer/hrtimer_expire_entry timer/timer_expire_entry \
	workqueue/workqueue_execute_start raw_syscalls/sys_exit; do
	echo 1 >"$TR/events/$e/enable" || exit 1
done

# stages TIMER_FN WORK_FN TARGET: per I/O, from the trace: the timer that
# fired with TIMER_FN, then the first worker to run WORK_FN, then the
# submitter's return from its pread or pwrite (iolat's system calls).
stages() {
	awk -v timer="function=$1 " -v work="function $2 " -v target="$3" '
	function usec(s) { sub(":", "", s); return s * 1000000 }
	function cpu(s) { gsub(/[][]/, "", s); return s + 0 }
	index($0, timer) { t0 = usec($4); c0 = cpu($2); state = 1; next }
	state == 1 && index($0, work) { t1 = usec($4); c1 = cpu($2); state = 2; next }
	state == 2 && /sys_exit: NR (17|18) / && $1 ~ /^iolat-/ {
		n++; same += (c0 == c1)
		tw += t1 - t0; wr += usec($4) - t1
		printf "TRACE io target=%s timer_cpu=%d work_cpu=%d return_cpu=%d timer_to_work_us=%.0f work_to_return_us=%.0f\n", \
			target, c0, c1, cpu($2), t1 - t0, usec($4) - t1
		state = 0
	}
	END {
		printf "TRACE summary target=%s ios=%d work_on_timer_cpu=%d", target, n, same
		if (n) printf " timer_to_work_mean_us=%.0f work_to_return_mean_us=%.0f", tw / n, wr / n
		printf "\n"
	}' $TR/trace
}

for target in swapfail delay; do
	echo >$TR/trace
	echo 1 >$TR/tracing_on
	iolat "$DIR" "/dev/mapper/$target" "$N" || exit 1
	echo 0 >$TR/tracing_on
	case $target in
	swapfail) stages swapfail_timer_fn swapfail_release_work swapfail ;;
	delay) stages handle_delayed_timer flush_expired_bios delay ;;
	esac
done
