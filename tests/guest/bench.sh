#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The guest side of "make bench": fio and a swap workload through dm-linear,
# dm-flakey and dm-swapfail in several modes over one null_blk device, in
# interleaved rounds, then the cost of table operations.  Prints "BENCH"
# lines for tests/bench/run.
#
# All devices map the same 6 GiB of /dev/nullb0.  All I/O stays in the
# first GiB (fio's region, and a 1 GiB swap area), and every swapfail table
# keeps its extents beyond it, so no I/O is failed: what is measured is the
# cost of looking.

SWAPFAIL_BIN=/swapfail/bin
SWAPFAIL_TEST_NAME=bench
SWAPFAIL_LEDGER=/dev/null
# shellcheck source=tests/integration/lib.sh
. /swapfail/integration/lib.sh
BENCH_NAME=bench
# shellcheck source=tests/guest/bench-lib.sh
. /swapfail/guest/bench-lib.sh

ROUNDS=${BENCH_ROUNDS:-3}
RUNTIME=${BENCH_RUNTIME:-4}
SWAP_MIB=${BENCH_SWAP_MIB:-96}
CGROUP_MIB=${BENCH_CGROUP_MIB:-32}
TARGETS="linear flakey sf-bypass sf-empty sf-100k sf-1m sf-nth"
SECTORS=$((6 * 1024 * 1024 * 2))	# 6 GiB
BLOCKS=$((SECTORS / 8))			# of 4 KiB

# scattered FIRST N: N isolated blocks from FIRST, every other block.
scattered() {
	awk -v f="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) print f + 2 * i }'
}

# add_scattered NAME FIRST N: add them in batches of 10,000 (one message each).
add_scattered() {
	_as_i=0
	while [ $_as_i -lt "$3" ]; do
		# shellcheck disable=SC2046 # one word per block
		_sf_msg "$1" add $(scattered $(($2 + 2 * _as_i)) 10000) >/dev/null ||
			return 1
		_as_i=$((_as_i + 10000))
	done
}

make_targets() {
	dev=/dev/nullb0
	_dm_create linear "0 $SECTORS linear $dev 0" || return 1
	_dm_create flakey "0 $SECTORS flakey $dev 0 1000 0" || return 1
	_sf_create sf-bypass $dev 4096 || return 1
	_sf_create sf-empty $dev 4096 start_enabled || return 1
	_sf_create sf-100k $dev 4096 start_enabled || return 1
	add_scattered sf-100k $((BLOCKS - 262144)) 100000 || return 1
	_sf_create sf-1m $dev 4096 start_enabled || return 1
	_sf_msg sf-1m add 262144+1048576 || return 1
	_sf_create sf-nth $dev 4096 start_enabled every_nth_read 4000000000 \
		every_nth_write 4000000000 || return 1
}

# fio_run TARGET JOB: one fio run; prints IOPS (randread) or KiB/s (seqread).
fio_run() {
	case $2 in
	randread4k)	set -- "$1" randread 4k 8 ;;
	seqread64k)	set -- "$1" read 64k 8 ;;
	esac
	fio --name=bench --filename="/dev/mapper/$1" --direct=1 --rw="$2" \
		--bs="$3" --ioengine=libaio --iodepth="$4" --numjobs=2 --size=512m \
		--offset_increment=512m --time_based --runtime="$RUNTIME" \
		--group_reporting --minimal 2>/dev/null |
		awk -F';' -v rw="$2" '{ print (rw == "read") ? $7 : $8 }'
}

fio_rounds() {
	round=1
	while [ $round -le "$ROUNDS" ]; do
		for job in randread4k seqread64k; do
			for t in $(round_order $round); do
				bench fio job=$job round=$round target="$t" \
					value="$(fio_run "$t" $job)"
			done
		done
		round=$((round + 1))
	done
}

# swap_run TARGET: the swap workload with swap on TARGET; prints seconds.
# The swap area is the first GiB only: swapon starts allocating at a random
# slot on a non-rotational device, and must not reach the extents.
swap_run() {
	mkswap "/dev/mapper/$1" $((1024 * 1024)) >/dev/null || return 1
	swapon "/dev/mapper/$1" || return 1
	sh -c 'echo $$ >/sys/fs/cgroup/bench/cgroup.procs &&
	       exec swapload "$1" 2' swapload "$SWAP_MIB" |
		awk '{ print $2 }'
	swapoff "/dev/mapper/$1"
}

# The I/O must not have hit any extent: no swapfail target failed anything.
check_untouched() {
	for t in $TARGETS; do
		case $t in sf-*) ;; *) continue ;; esac
		bench untouched target="$t" read_errors="$(_sf_field "$t" read_errors)" \
			write_errors="$(_sf_field "$t" write_errors)" \
			healed="$(_sf_field "$t" healed)"
	done
}

# seconds COMMAND...: wall time of COMMAND (its output discarded).
seconds() {
	timeit "$@" 2>&1 >/dev/null | sed -n 's/^timeit: //p'
}

# meminfo_kib: slab and vmalloc memory of the whole kernel, in KiB.
meminfo_kib() {
	awk '$1 == "Slab:" || $1 == "VmallocUsed:" { kib += $2 } END { print kib }' \
		/proc/meminfo
}

# tables_kib: the pages of dm-swapfail's vmalloc'ed tables (every array over
# a page), in KiB: exact, where meminfo_kib also moves with every other cache.
tables_kib() {
	awk '/swapfail/ {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^pages=/) { sub("pages=", "", $i); pages += $i }
	} END { print pages * 4 }' /proc/vmallocinfo
}

# kernel_kib MEASURE: MEASURE's reading once it has settled (the same within
# 16 KiB for 5 s in a row, at most 30 s): each message frees the array it
# replaced only after an RCU grace period, and kvfree_rcu() frees in batches,
# seconds later.
kernel_kib() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	_kk_prev=-1000 _kk_stable=0 _kk_tries=0
	while [ $_kk_stable -lt 5 ] && [ $_kk_tries -lt 30 ]; do
		sleep 1
		_kk_now=$($1)
		if [ $((_kk_now - _kk_prev)) -gt 16 ] || [ $((_kk_prev - _kk_now)) -gt 16 ]; then
			_kk_stable=0
		else
			_kk_stable=$((_kk_stable + 1))
		fi
		_kk_prev=$_kk_now _kk_tries=$((_kk_tries + 1))
	done
	echo "$_kk_now"
}

table_ops() {
	_sf_create sf-ops /dev/nullb0 4096 || return 1
	bench table add_1m_range_s="$(seconds dmsetup message sf-ops 0 add 262144+1048576)"
	bench table extents_after_1m_range="$(_sf_field sf-ops extents)"
	_sf_msg sf-ops clear
	sync
	before=$(kernel_kib tables_kib) before_all=$(kernel_kib meminfo_kib)
	bench table add_100k_scattered_s="$(seconds sh "$0" add-scattered sf-ops 1310720 100000)"
	after=$(kernel_kib tables_kib) after_all=$(kernel_kib meminfo_kib)
	bench table extents_after_100k="$(_sf_field sf-ops extents)"
	bench table bytes_per_extent="$(awk -v a="$after" -v b="$before" \
		'BEGIN { printf "%.1f", (a - b) * 1024 / 100000 }')"
	bench table meminfo_bytes_per_extent="$(awk -v a="$after_all" -v b="$before_all" \
		'BEGIN { printf "%.1f", (a - b) * 1024 / 100000 }')"
	bench table list_100k_s="$(seconds dmsetup message sf-ops 0 list)"
	bench table list_100k_lines="$(_sf_msg sf-ops list | wc -l)"
	_dm_remove sf-ops
}

# "bench.sh add-scattered NAME FIRST N" runs add_scattered, for timeit.
if [ "${1:-}" = add-scattered ]; then
	add_scattered "$2" "$3" "$4"
	exit
fi

modprobe null_blk nr_devices=1 gb=8 memory_backed=1 || exit 1
make_targets || exit 1
bench start kernel="$(uname -r)" rounds="$ROUNDS" runtime="$RUNTIME"
fio_rounds
swap_rounds
check_untouched
table_ops
bench finished
