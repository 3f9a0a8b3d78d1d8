#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="A slow swap disk"
DESCRIPTION="every read of the swap area is delayed by 1, 10 or 100 ms (1000 ms too outside make check); a victim touches its 32 swapped pages one after the other, timing each access, with vm.page-cluster 0 and 3: the time per page (median and max), the major faults and the reads that reached the device; then every write is delayed as much while a workload swaps 64 MiB through a 32 MiB cgroup: its run time"
READING="Each major fault waits for the disk: with vm.page-cluster 0, every page costs about the read delay. With readahead (page-cluster 3) only the faults that start a readahead window wait, so a slow disk hurts much less (7.3 reads each window in one bio: a quarter of the device reads, the same waits). Slow writes cost less than slow reads, since swap-out writes are many and in flight together: up to about twice the run time here. But a write delay of a second is more than a memory cgroup's reclaim will wait: the workload is OOM-killed."

PAGES=32

# majflt: the victim's major faults so far (/proc/PID/stat field 12).
majflt() {
	sed 's/.*) //' "/proc/$VICTIM_PID/stat" | cut -d' ' -f10
}

# point CLUSTER DELAY_MS: swap the victim out, delay every read by DELAY_MS
# (none for 0), time its touching every page.
point() {
	_sf_msg lab clear || return 1
	_swap_out "$cg" $PAGES || return 1
	echo "$1" >/proc/sys/vm/page-cluster
	[ "$2" -eq 0 ] || _sf_msg lab add "1-$last" mode=read delay="${2}ms" || return 1
	reads=$(_sf_field lab reads)
	faults=$(majflt)
	before=$(grep -c "^timed page=$((PAGES - 1)) " "$VICTIM_OUT")
	i=0
	while [ $i -lt $PAGES ]; do
		echo "timed $i"
		i=$((i + 1))
	done >&9
	_victim_wait "^timed page=$((PAGES - 1)) " "${LAB_TIMEOUT:-180}" "$before" ||
		return 1
	faults=$(($(majflt) - faults))
	reads=$(($(_sf_field lab reads) - reads))
	times=$(grep '^timed ' "$VICTIM_OUT" | tail -n $PAGES)
	intact=$(echo "$times" | grep -c ' ok ')
	delay="read delay $2 ms"
	[ "$2" -ne 0 ] || delay="no read delay"
	_lab "$delay, page-cluster $1" "$(echo "$times" | sed 's/.* ns=//' | sort -n |
		awk -v n=$PAGES '{ t[NR] = $1; sum += $1 }
		END { m = n % 2 ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
		      printf "median %.2f ms, max %.2f ms per page; %.2f s for all %d", m / 1e6, t[NR] / 1e6, sum / 1e9, n }'); $faults major faults, $reads device reads, $intact of $PAGES pages intact"
}

# write_point DELAY_MS: a workload that swaps 64 MiB through a 32 MiB
# cgroup once, every write of the area delayed by DELAY_MS (none for 0).
write_point() {
	_sf_msg lab clear || return 1
	[ "$1" -eq 0 ] || _sf_msg lab add "1-$last" mode=write delay="${1}ms" || return 1
	writes=$(_sf_field lab writes)
	start=$(cut -d' ' -f1 /proc/uptime)
	# shellcheck disable=SC2016 # $$ belongs to the inner shell
	timeout "${LAB_TIMEOUT:-180}" sh -c \
		'echo $$ >"$1/cgroup.procs" && exec swapload 64 1' load "$cgw" \
		>/tmp/swapload.out 2>&1
	status=$?
	took=$(sed -n 's/^swapload: \([0-9.]*\) s,.*/\1/p' /tmp/swapload.out)
	delay="write delay $1 ms"
	[ "$1" -ne 0 ] || delay="no write delay"
	if [ -z "$took" ]; then
		took=$(awk -v a="$start" -v b="$(cut -d' ' -f1 /proc/uptime)" \
			'BEGIN { printf "%.1f", b - a }')
		case $status in
		124) _lab "$delay" "the workload did not finish within ${LAB_TIMEOUT:-180} s" ;;
		137) _lab "$delay" "the workload was killed (SIGKILL; $(_dmesg_since_start | grep -c 'Memory cgroup out of memory') memcg OOM kill(s) so far) after $took s" ;;
		*) _lab "$delay" "the workload ended with exit status $status after $took s" ;;
		esac
		[ "$1" -ne 0 ] || _fail "the workload failed without a delay" || return 1
		return 0
	fi
	[ "$1" -ne 0 ] || wbase=$took
	_lab "$delay" "$(awk -v t="$took" -v b="$wbase" 'BEGIN { printf "workload %.2f s (%.2fx)", t, t / b }'); $(($(_sf_field lab writes) - writes)) device writes"
}

test() {
	_lab_swap || return $?
	last=$(($(_sectors /dev/mapper/lab) / 8 - 1))
	_register_param /proc/sys/vm/page-cluster
	cg=$(_cgroup lab) || return 1
	_swapped_victim "$cg" $PAGES || return 1
	delays=${LAB_DELAYS:-}
	if [ -z "$delays" ]; then
		delays="0 1 10 100 1000"
		# make check (tests/lab/run --quick): no second-long delays
		[ "${LAB_TIMEOUT:-180}" -gt 60 ] || delays="0 1 10 100"
	fi
	for cluster in 0 3; do
		for delay in $delays; do
			point $cluster "$delay" || return 1
		done
	done
	_lab "device reads delayed" "$(_sf_field lab delayed)"
	echo exit >&9
	wait "$VICTIM_PID"
	cgw=$(_cgroup labw 32M) || return 1
	for delay in $delays; do
		write_point "$delay" || return 1
	done
}
