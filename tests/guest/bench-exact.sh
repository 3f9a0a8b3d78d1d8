#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The guest side of "make bench"'s exact mode (tests/bench/run --exact): the
# guest runs under QEMU's -icount shift=0,sleep=off on one vCPU, so that one
# nanosecond of guest time is one guest instruction, and every figure below
# is a count of instructions that repeats run after run.  Prints "BENCH"
# lines for tests/bench/run.
#
#  1. fio, psync, one job, direct I/O, a fixed budget of instructions
#     (--runtime 1 --time_based: 10^9) per run, through dm-linear, dm-flakey,
#     dm-swapfail in five modes and dm-dust with 4 KiB and 512-byte blocks:
#     IOPS become instructions per I/O.
#  2. The instructions of one one-block message sent through libdevmapper,
#     against the size of the table (swapfail's addbadblock and add,
#     dm-dust's addbadblock), and of 100,000 addbadblock messages to an empty
#     dm-dust and to an empty swapfail device.
#  3. The swap workload of the wall-clock bench, its time in instructions.
#
# All devices map the same 16 GiB null_blk device.  All I/O stays in its
# first GiB (fio's region and the swap area), and every table keeps its bad
# blocks beyond 2 GiB, so no I/O fails: what is measured is the cost of
# looking.  The null_blk device is memory-backed and allocates a page on
# its first write, so the first GiB is written once before anything is
# timed: otherwise whichever target ran first would pay for the allocation.

SWAPFAIL_BIN=/swapfail/bin
SWAPFAIL_TEST_NAME=bench-exact
SWAPFAIL_LEDGER=/dev/null
# shellcheck source=tests/integration/lib.sh
. /swapfail/integration/lib.sh
BENCH_NAME=bench-exact
# shellcheck source=tests/guest/bench-lib.sh
. /swapfail/guest/bench-lib.sh

ROUNDS=${BENCH_ROUNDS:-3}
RUNTIME=${BENCH_RUNTIME:-1}
SWAP_MIB=${BENCH_SWAP_MIB:-96}
CGROUP_MIB=${BENCH_CGROUP_MIB:-32}
# Table sizes for the message costs; the largest is reached after the I/O
# runs, which see IO_EXTENTS.
SIZES=${BENCH_SIZES:-"0 10000 100000 1000000"}
IO_EXTENTS=${BENCH_IO_EXTENTS:-100000}
# dm-dust takes one block per message (about 60 thousand instructions):
# this many at most (1,000,000 take about 3 minutes of the host's time).
DUST_MAX=${BENCH_DUST_MAX:-1000000}
# Each message-cost measurement runs for this many instructions (and at
# least 10 messages, at most 200).
MSG_BUDGET=${BENCH_MSG_BUDGET:-4000000000}
LOOP_MESSAGES=100000

TARGETS="linear flakey sf-bypass sf-empty sf-100k sf-1m sf-nth sf-act dust-4k dust-512"
JOBS="randread4k randwrite4k seqread64k"
DEV=/dev/nullb0
SECTORS=$((16 * 1024 * 1024 * 2))	# 16 GiB
IO_SIZE=1g				# fio's region and the swap area
TABLE_BASE=524288			# bad blocks from 2 GiB on, every other block
PROBE_BASE=3500000			# the blocks the timed messages add (4 KiB)

# sf_fill NAME FROM TO: extents FROM..TO-1 of the standard layout (block
# TABLE_BASE + 2i: never adjacent, so each stays one extent), in messages
# of 10,000 ranges.
sf_fill() {
	[ "$3" -gt "$2" ] || return 0
	dmmsg -b 10000 "$1" $(($3 - $2)) $((TABLE_BASE + 2 * $2)) 2 add >/dev/null
}

# dust_fill NAME FROM TO [BASE]: bad blocks FROM..TO-1, one message each;
# prints dmmsg's line (the loop's time).
dust_fill() {
	[ "$3" -gt "$2" ] || return 0
	dmmsg "$1" $(($3 - $2)) $((${4:-$TABLE_BASE} + 2 * $2)) 2 addbadblock
}

make_targets() {
	_dm_create linear "0 $SECTORS linear $DEV 0" || return 1
	_dm_create flakey "0 $SECTORS flakey $DEV 0 1000 0" || return 1
	_sf_create sf-bypass $DEV 4096 || return 1
	_sf_create sf-empty $DEV 4096 start_enabled || return 1
	_sf_create sf-100k $DEV 4096 start_enabled || return 1
	_sf_create sf-1m $DEV 4096 start_enabled || return 1
	_sf_msg sf-1m add $((TABLE_BASE))+1048576 || return 1
	_sf_create sf-nth $DEV 4096 start_enabled every_nth_read 4000000000 \
		every_nth_write 4000000000 || return 1
	# every action, on extents no I/O reaches
	_sf_create sf-act $DEV 4096 start_enabled || return 1
	_sf_msg sf-act add $((PROBE_BASE + 100)) delay=1ms~1ms &&
		_sf_msg sf-act add $((PROBE_BASE + 102)) hold=1s &&
		_sf_msg sf-act add $((PROBE_BASE + 104)) mode=write drop match=swap &&
		_sf_msg sf-act add $((PROBE_BASE + 106)) mode=rw corrupt=random seed=1 bytes=8 ||
		return 1
	# dm-dust starts bypassed and logs every block it adds: enabled and
	# quiet, as a swapfail device with start_enabled is.
	_dm_create dust-4k "0 $SECTORS dust $DEV 0 4096" || return 1
	_dm_create dust-512 "0 $SECTORS dust $DEV 0 512" || return 1
	for t in dust-4k dust-512; do
		dmsetup message $t 0 enable && dmsetup message $t 0 quiet || return 1
	done
}

# warm: one write pass over the I/O region, through dm-linear.
warm() {
	fio --name=warm --filename=/dev/mapper/linear --direct=1 --rw=write --bs=1m \
		--ioengine=psync --size=$IO_SIZE >/dev/null 2>&1
}

# fio_run TARGET JOB: one fio run; prints "ios=N runtime_ms=R lat_ns=L" of
# its direction: I/Os done, fio's runtime and the mean latency fio measured.
# No disk statistics: fio's thread that reads them every 250 ms would be
# counted in every figure.
fio_run() {
	case $2 in
	randread4k)	set -- "$1" randread 4k ;;
	randwrite4k)	set -- "$1" randwrite 4k ;;
	seqread64k)	set -- "$1" read 64k ;;
	esac
	fio --name=bench --filename="/dev/mapper/$1" --direct=1 --rw="$2" --bs="$3" \
		--ioengine=psync --numjobs=1 --size=$IO_SIZE --time_based --disk_util=0 \
		--runtime="$RUNTIME" --output-format=json 2>/dev/null |
		awk -v dir="$(case $2 in *write) echo write ;; *) echo read ;; esac)" '
		# the job'"'"'s "read" or "write" object, and its "lat_ns" object
		/^      "[a-z_]+" : \{/ { section = $1; gsub(/"/, "", section) }
		section == dir && /^        "total_ios" :/ { ios = $3 + 0 }
		section == dir && /^        "runtime" :/ { ms = $3 + 0 }
		section == dir && /^        "lat_ns" : \{/ { lat = 1 }
		lat && /^          "mean" :/ { mean = $3 + 0; lat = 0 }
		END { printf "ios=%d runtime_ms=%d lat_ns=%.1f\n", ios, ms, mean }'
}

fio_rounds() {
	round=1
	while [ $round -le "$ROUNDS" ]; do
		for job in $JOBS; do
			for t in $(round_order $round); do
				bench fio job="$job" round=$round target="$t" \
					"$(fio_run "$t" "$job")"
			done
		done
		round=$((round + 1))
	done
}

# settle: let the kernel finish what earlier steps left it (tables replaced
# by a message are freed after an RCU grace period, in batches), so that it
# is not charged to the next measurement.  Idle time costs no host time
# under -icount sleep=off: the clock jumps to the next timer.
settle() {
	sleep 2
}

# msg_cost TARGET KIND VERB UNDO SIZE: the instructions of one one-block
# message VERB, each followed by an untimed UNDO, so that every timed
# message sees a table of SIZE.
msg_cost() {
	settle
	_mc=$(dmmsg -t "$MSG_BUDGET" -u "$4" "$1" 200 $PROBE_BASE 2 "$3") ||
		die "$1: $3 messages failed"
	bench msg target="$1" kind="$2" verb="$3" size="$5" "$_mc"
}

# msg_costs SIZE: every message cost at a table of SIZE extents (blocks);
# dm-dust's only while SIZE <= DUST_MAX.
msg_costs() {
	msg_cost sf-100k swapfail addbadblock removebadblock "$1"
	msg_cost sf-100k swapfail add remove "$1"
	[ "$1" -gt "$DUST_MAX" ] ||
		msg_cost dust-4k dust addbadblock removebadblock "$1"
}

# grow SIZE: the tables of sf-100k and dust-4k to SIZE.
grow() {
	sf_fill sf-100k "$have" "$1" || die "sf-100k: filling to $1 failed"
	_n=$1
	[ "$_n" -le "$DUST_MAX" ] || _n=$DUST_MAX
	if [ "$_n" -gt "$have_dust" ]; then
		_df=$(dust_fill dust-4k "$have_dust" "$_n") ||
			die "dust-4k: filling to $_n failed"
		bench fill target=dust-4k from="$have_dust" to="$_n" "$_df"
		have_dust=$_n
	fi
	have=$1
}

# The message costs at every size up to IO_EXTENTS (the tables of sf-100k
# and dust-4k end at IO_EXTENTS for the I/O runs), then dm-dust's loop.
table_costs_before_io() {
	have=0 have_dust=0
	# dm-dust logs each block it adds unless quiet: once, as it comes.
	dmsetup message dust-4k 0 quiet
	msg_cost dust-4k dust-logging addbadblock removebadblock 0
	dmsetup message dust-4k 0 quiet
	for size in $SIZES; do
		[ "$size" -le "$IO_EXTENTS" ] || continue
		grow "$size"
		msg_costs "$size"
	done
	grow "$IO_EXTENTS"
	# 100,000 one-block messages from one process, into an empty dm-dust,
	# then the same into an empty swapfail device of the same block size.
	_dl=$(dust_fill dust-512 0 $LOOP_MESSAGES $((TABLE_BASE * 8))) ||
		die "dust-512: $LOOP_MESSAGES addbadblock messages failed"
	bench loop target=dust-512 verb=addbadblock "$_dl"
	_sf_create sf-loop $DEV 512 start_enabled quiet || die "sf-loop"
	_dl=$(dust_fill sf-loop 0 $LOOP_MESSAGES $((TABLE_BASE * 8))) ||
		die "sf-loop: $LOOP_MESSAGES addbadblock messages failed"
	bench loop target=sf-loop verb=addbadblock "$_dl"
	_dm_remove sf-loop
}

table_costs_after_io() {
	for size in $SIZES; do
		[ "$size" -gt "$IO_EXTENTS" ] || continue
		grow "$size"
		msg_costs "$size"
	done
	bench table target=sf-100k "$(_sf_msg sf-100k count)"
	bench table target=dust-4k "$(dmsetup message dust-4k 0 countbadblocks)"
}

# swap_run TARGET: the swap workload with a 1 GiB swap area on TARGET;
# prints its time in seconds (of instructions).
swap_run() {
	mkswap "/dev/mapper/$1" $((1024 * 1024)) >/dev/null || return 1
	swapon "/dev/mapper/$1" || return 1
	sh -c 'echo $$ >/sys/fs/cgroup/bench/cgroup.procs &&
	       exec timeit swapload "$1" 2' swapload "$SWAP_MIB" 2>&1 >/dev/null |
		sed -n 's/^timeit: //p'
	swapoff "/dev/mapper/$1"
}

# No I/O may have hit a bad block: no swapfail target failed or healed
# anything, and no dm-dust block was healed by a write (each still has the
# blocks it was given: dust-4k IO_EXTENTS, dust-512 the loop's).
check_untouched() {
	for t in $TARGETS; do
		case $t in
		sf-*)
			bench untouched target="$t" \
				read_errors="$(_sf_field "$t" read_errors)" \
				write_errors="$(_sf_field "$t" write_errors)" \
				healed="$(_sf_field "$t" healed)"
			;;
		dust-*)
			_expected=$IO_EXTENTS
			[ "$_expected" -le "$DUST_MAX" ] || _expected=$DUST_MAX
			[ "$t" = dust-4k ] || _expected=$LOOP_MESSAGES
			bench untouched target="$t" expected="$_expected" badblocks="$(dmsetup \
				message "$t" 0 countbadblocks | sed -n 's/.*: \([0-9]*\) .*/\1/p')"
			;;
		esac
	done
}

modprobe null_blk nr_devices=1 gb=16 memory_backed=1 || die "no null_blk"
make_targets || die "creating the targets failed"
bench start mode=exact kernel="$(uname -r)" rounds="$ROUNDS" runtime="$RUNTIME" \
	io_extents="$IO_EXTENTS" dust_max="$DUST_MAX" \
	swapfail="$(dmsetup targets | awk '$1 == "swapfail" { print $2 }')"
warm || die "warming the I/O region failed"
table_costs_before_io
settle
fio_rounds
swap_rounds
check_untouched
table_costs_after_io
bench finished
