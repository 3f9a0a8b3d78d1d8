#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The guest side of "make bench"'s delay-accuracy benchmark
# (tests/bench/run --delay): how long an I/O that is asked to wait T
# actually takes, through dm-swapfail and through dm-delay, against
# dm-linear.  Runs under either clock of tests/bench/run: exact (QEMU's
# -icount shift=0,sleep=off, one vCPU: a nanosecond is an instruction, and
# idle time is skipped up to the next timer) or wall-clock.  Prints "BENCH"
# lines for tests/bench/run.
#
# Every target maps the same memory-backed null_blk device; iolat sends
# single 4 KiB O_DIRECT reads or writes, one at a time, within its first
# 16 MiB, and prints the median and p99 of their completion latencies.
# For each requested delay, each direction and each target (in an order
# rotated every round):
#   linear            dm-linear: the floor every other figure is taken from
#   delay             dm-delay, reads and writes delayed by T (whole
#                     milliseconds only: nothing at 100 us; at 0 it sends
#                     bios straight on, without its queue)
#   swapfail          one dm-swapfail device whose table holds one extent
#                     over the I/O area, mode=rw delay=T (replaced by a
#                     message for each T; at 0 every bio still goes through
#                     the delay queue, its timer and its worker)

SWAPFAIL_BIN=/swapfail/bin
SWAPFAIL_TEST_NAME=bench-delay
SWAPFAIL_LEDGER=/dev/null
# shellcheck source=tests/integration/lib.sh
. /swapfail/integration/lib.sh

MODE=${BENCH_MODE:-unknown}
ROUNDS=${BENCH_ROUNDS:-3}
# Requested delays, with a unit iolat's targets all take (ns, us, ms).
DELAYS=${BENCH_DELAYS:-"0 100us 1ms 10ms 100ms"}
# I/Os per run: as many as fit in BUDGET_MS of requested delay, from
# MIN_IOS (a p99 needs 100) to MAX_IOS.
BUDGET_MS=${BENCH_DELAY_BUDGET_MS:-2000}
MIN_IOS=${BENCH_DELAY_MIN_IOS:-100}
MAX_IOS=${BENCH_DELAY_MAX_IOS:-2000}
SPAN_MIB=16
DEV=/dev/nullb0

bench() {
	echo "BENCH $*"
}

die() {
	bench error "$*"
	echo "bench-delay: $*" >&2
	exit 1
}

# ns T: T (0, Nns, Nus, Nms or Ns; checked below) in nanoseconds.
ns() {
	case $1 in
	0)	echo 0 ;;
	*ns)	echo "${1%ns}" ;;
	*us)	echo $((${1%us} * 1000)) ;;
	*ms)	echo $((${1%ms} * 1000000)) ;;
	*s)	echo $((${1%s} * 1000000000)) ;;
	esac
}

# ios T: how many I/Os a run at delay T does.
ios() {
	_ios_ns=$(ns "$1")
	_ios=$MAX_IOS
	[ "$_ios_ns" -eq 0 ] || _ios=$((BUDGET_MS * 1000000 / _ios_ns))
	[ "$_ios" -le "$MAX_IOS" ] || _ios=$MAX_IOS
	[ "$_ios" -ge "$MIN_IOS" ] || _ios=$MIN_IOS
	echo "$_ios"
}

# delay_ms T: T in whole milliseconds for dm-delay's table, or nothing
# when dm-delay cannot express T.
delay_ms() {
	_dm_ns=$(ns "$1")
	[ $((_dm_ns % 1000000)) -eq 0 ] && echo $((_dm_ns / 1000000))
}

# targets T: the targets that can delay by T.
targets() {
	if [ -n "$(delay_ms "$1")" ]; then
		echo linear delay swapfail
	else
		echo linear swapfail
	fi
}

# set_delay T: every target that can delays by T.
set_delay() {
	_sd_ms=$(delay_ms "$1")
	if [ -n "$_sd_ms" ]; then
		# read device, offset, delay; then the same for writes
		dmsetup reload --noudevsync delay --table \
			"0 $SECTORS delay $DEV 0 $_sd_ms $DEV 0 $_sd_ms" ||
			die "dm-delay: $1 refused"
		dmsetup resume --noudevsync delay || die "dm-delay: resume failed"
	fi
	_sf_msg swapfail clear || die "swapfail: clear refused"
	_sf_msg swapfail add "0+$SF_BLOCKS" mode=rw "delay=$(ns "$1")ns" ||
		die "swapfail: delay=$1 refused"
}

# rotated ROUND WORD...: the words, rotated by ROUND - 1 places, so that no
# target always runs first, or right after the same other one.
rotated() {
	_rot=$1
	shift
	echo "$@" | awk -v r="$_rot" '{ for (i = 0; i < NF; i++) print $((i + r - 1) % NF + 1) }'
}

one_round() {
	for t in $DELAYS; do
		set_delay "$t"
		_n=$(ios "$t")
		for dir in read write; do
			# shellcheck disable=SC2046 # one word per target
			for target in $(rotated "$1" $(targets "$t")); do
				_r=$(iolat $dir "/dev/mapper/$target" "$_n" -s $SPAN_MIB) ||
					die "$target: $dir at delay $t failed"
				bench lat round="$1" delay="$t" request_ns="$(ns "$t")" \
					dir=$dir target="$target" "$_r"
			done
		done
	done
}

# Every delayed I/O went through swapfail's queue, and none is left in it.
check_swapfail() {
	bench counters target=swapfail delayed="$(_sf_field swapfail delayed)" \
		delaying="$(_sf_field swapfail delaying)" \
		read_errors="$(_sf_field swapfail read_errors)" \
		write_errors="$(_sf_field swapfail write_errors)"
}

for t in $DELAYS; do
	case $t in
	0 | *[0-9]ns | *[0-9]us | *[0-9]ms | *[0-9]s) ;;
	*) die "bad delay $t: use 0, or a number with ns, us, ms or s" ;;
	esac
done
modprobe null_blk nr_devices=1 gb=1 memory_backed=1 || die "no null_blk"
modprobe dm-delay || die "no dm-delay"
SECTORS=$(_sectors $DEV)
SF_BLOCKS=$((SPAN_MIB * 256))
_dm_create linear "0 $SECTORS linear $DEV 0" || die "dm-linear"
_dm_create delay "0 $SECTORS delay $DEV 0 0 $DEV 0 0" || die "dm-delay"
_sf_create swapfail $DEV 4096 start_enabled || die "dm-swapfail"
# null_blk allocates a page at its first write: the area once, untimed.
dd if=/dev/zero of=$DEV bs=1M count=$SPAN_MIB conv=fsync 2>/dev/null ||
	die "warming the I/O area failed"
bench start mode="$MODE" kernel="$(uname -r)" rounds="$ROUNDS" delays="$(echo "$DELAYS" | tr ' ' ,)" \
	budget_ms="$BUDGET_MS" min_ios="$MIN_IOS" max_ios="$MAX_IOS" \
	cpus="$(grep -c '^processor' /proc/cpuinfo)" \
	clocksource="$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)" \
	swapfail="$(dmsetup targets | awk '$1 == "swapfail" { print $2 }')" \
	dm_delay="$(dmsetup targets | awk '$1 == "delay" { print $2 }')"
round=1
while [ $round -le "$ROUNDS" ]; do
	one_round $round
	round=$((round + 1))
done
check_swapfail
bench finished
