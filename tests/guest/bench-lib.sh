# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# What the guest sides of "make bench" share (bench.sh, bench-exact.sh,
# bench-delay.sh source it after tests/integration/lib.sh): the BENCH lines
# tests/bench/run reads, the order of the targets in a round, and the
# rounds of the swap workload.  A script sets BENCH_NAME, TARGETS, ROUNDS,
# SWAP_MIB and CGROUP_MIB, and defines swap_run TARGET (the workload's
# time on TARGET) before it calls swap_rounds.

# bench KIND KEY=VALUE...: one line for tests/bench/run.
bench() {
	echo "BENCH $*"
}

# die MESSAGE: a BENCH error line, the message on stderr, and exit.
die() {
	bench error "$*"
	echo "$BENCH_NAME: $*" >&2
	exit 1
}

# round_order ROUND: the targets, rotated by the round, so that no target
# always runs first (or right after the same one).
round_order() {
	echo "$TARGETS" |
		awk -v r="$1" '{ for (i = 0; i < NF; i++) print $((i + r - 1) % NF + 1) }'
}

# swap_rounds: the swap workload on each target, in ROUNDS rotated rounds,
# in a memory cgroup of CGROUP_MIB and with page-cluster 0.
swap_rounds() {
	mkdir -p /sys/fs/cgroup/bench
	echo $((CGROUP_MIB * 1024 * 1024)) >/sys/fs/cgroup/bench/memory.max
	echo 0 >/proc/sys/vm/page-cluster
	round=1
	while [ $round -le "$ROUNDS" ]; do
		for t in $(round_order $round); do
			bench swap round=$round target="$t" value="$(swap_run "$t")"
		done
		round=$((round + 1))
	done
	rmdir /sys/fs/cgroup/bench
}
