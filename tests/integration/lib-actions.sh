# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Helpers for the tests of actions on large, composed and racing I/O (107 on): a test
# file sources this after lib.sh,
#   # shellcheck source=tests/integration/lib-actions.sh
#   . "$TESTS_DIR/lib-actions.sh"

# _ms COMMAND...: milliseconds COMMAND took (its output dropped).
_ms() {
	timeit "$@" 2>&1 >/dev/null | awk '/^timeit: / { printf "%d\n", $2 * 1000 }'
}

# _wait_ge NAME KEY N [TENTHS]: wait (up to TENTHS tenths of a second, default 50) until
# the status field KEY of NAME is at least N; fail if it never is.
_wait_ge() {
	_wg_tries=${4:-50}
	while [ "$(_sf_field "$1" "$2")" -lt "$3" ] && [ "$_wg_tries" -gt 0 ]; do
		sleep 0.1
		_wg_tries=$((_wg_tries - 1))
	done
	[ "$(_sf_field "$1" "$2")" -ge "$3" ] ||
		_fail "$1: status $2=$(_sf_field "$1" "$2"), expected at least $3"
}

# _wait_file FILE [TENTHS [PID]]: wait until FILE is not empty, TENTHS tenths of a
# second by the clock (a sleep can come back early); fail if it stays empty, saying
# whether PID, the process that should write it, is still there.
_wait_file() {
	_wf_start=$(date +%s)
	_wf_secs=$(((${2:-50} + 9) / 10))
	while [ ! -s "$1" ] && [ $(($(date +%s) - _wf_start)) -lt $_wf_secs ]; do
		sleep 0.1
	done
	[ -s "$1" ] && return 0
	_wf_proc=
	[ -z "${3:-}" ] || _wf_proc="; its writer $3 $(kill -0 "$3" 2>/dev/null &&
		echo "still runs" || echo "is gone")"
	_fail "nothing in $1 after $(($(date +%s) - _wf_start)) s$_wf_proc;" \
		"$(grep MemAvailable /proc/meminfo)"
}

# _still_waiting PID FILE: fail if the background I/O PID has ended or written FILE.
_still_waiting() {
	if [ -s "$2" ] || ! kill -0 "$1" 2>/dev/null; then
		_fail "the I/O completed while it should wait: $(cat "$2")"
		return 1
	fi
}

# _set FILE VALUE: write VALUE into FILE (a sysctl or module parameter), the old
# value written back after the test.
_set() {
	_register_param "$1"
	echo "$2" >"$1" || _fail "cannot write $2 into $1"
}

# _huge ARG...: tests/helpers/hugeio ARG..., its output without the line that says
# which buffer it got; skips the test if it got no huge page (a kernel without THP
# and without hugetlb pages to spare). Returns hugeio's status.
_huge() {
	_hg_out=$(hugeio "$@")
	_hg_rc=$?
	[ $_hg_rc -ne 3 ] || _skip "no huge page for the buffer: $(echo "$_hg_out" | head -n 1)"
	echo "$_hg_out" | grep -v '^buffer '
	return $_hg_rc
}

# _diff_within OUTPUT FIRST LAST MIN: OUTPUT (hugeio read --expect-pattern's) shows bytes
# that differ only within FIRST..LAST, and at least MIN of them; prints "window only"
# or fails saying what differs.
_diff_within() {
	echo "$1" | awk -v f="$2" -v l="$3" -v min="$4" '
		/^diff / { split($2, r, "-"); if (r[1] < f || r[2] > l) out = out " " $2 }
		/^diffbytes / { n = $2 }
		END {
			if (out != "") { print "bytes outside " f "-" l " differ:" out; exit 1 }
			if (n < min) { print "only " n " bytes differ, expected at least " min; exit 1 }
			print "window only"
		}' || _fail "$(echo "$1" | tr '\n' ' ')"
}

# _nonrotational DISK: THP swap-out keeps a huge page whole only on a non-rotational
# area (the device-mapper device takes it from DISK when its table is loaded).
_nonrotational() {
	_set "/sys/block/$(basename "$1")/queue/rotational" 0
}

# _thp_victim CGROUP: a victim of one 2 MiB THP (skips the test on a kernel without THP).
# Its output file is on a ramfs, which never goes to swap: the huge page's is the only
# swap-out of the cgroup.
_thp_victim() {
	[ -e /sys/kernel/mm/transparent_hugepage/enabled ] ||
		_skip "no transparent huge pages (PREEMPT_RT?)"
	VICTIM_DIR=/run/sfvictim
	if ! grep -q " $VICTIM_DIR ramfs " /proc/mounts; then
		mkdir -p $VICTIM_DIR && mount -t ramfs none $VICTIM_DIR ||
			_fail "cannot mount a ramfs on $VICTIM_DIR" || return 1
		_register_mount $VICTIM_DIR
	fi
	_victim_start "$1" 512 --thp || return 1
	# shellcheck disable=SC2153 # VICTIM_PID: set by lib.sh's _victim_start
	_tv_kb=$(awk '/^AnonHugePages:/ { print $2 }' "/proc/$VICTIM_PID/smaps_rollup")
	[ "${_tv_kb:-0}" -ge 2048 ] || _skip "the victim got no huge page (AnonHugePages ${_tv_kb:-?} kB)"
}

# _vmstat KEY: a /proc/vmstat counter.
_vmstat() {
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat
}

# _swap_blocks DEV: "1-N", every 4 KiB block of swap area DEV but its header.
_swap_blocks() {
	echo "1-$(($(_sectors "$1") / 8 - 1))"
}

# _thp_swap_out CGROUP [THP_SWPOUT]: push the THP victim to swap and check it went as
# one huge page (thp_swpout counts it, from THP_SWPOUT if given, else from now; a split
# huge page counts in thp_swpout_fallback).
_thp_swap_out() {
	_ts_before=${2:-$(_vmstat thp_swpout)}
	_swap_out "$1" 512 || return 1
	[ "$(_vmstat thp_swpout)" -gt "$_ts_before" ] ||
		_fail "the huge page was not swapped out whole (thp_swpout $(_vmstat thp_swpout), fallback $(_vmstat thp_swpout_fallback))"
}

# _huge_ready DISK: hugetlb pages for hugeio's buffers (vm.nr_hugepages, put back after
# the test; hugeio falls back to a THP without them); skips the test if a 2 MiB read of
# DISK gets no huge page.
_huge_ready() {
	_set /proc/sys/vm/nr_hugepages 4 || return 1
	_huge read "$1" 0 4096 >/dev/null || _fail "a 2 MiB read of $1 failed"
}

# _release_after BODY: run the function BODY (a test's steps), then release whatever
# device sf still holds, so that a test that fails half-way leaves no I/O held: a held
# reader keeps the device open, and it could not be removed after the test.
_release_after() {
	"$1"
	_ra_rc=$?
	dmsetup message sf 0 release >/dev/null 2>&1
	return $_ra_rc
}

# _release_race SETUP RELEASE: on device sf (blocks 0-15 holding pattern 5), a reader and
# a writer (tests/helpers/sfaio stream) keep I/O going into blocks 0-15 while, again and
# again, the message SETUP makes those blocks hold their I/O and the message RELEASE,
# which must let go of all of it, is sent: right after it returns nothing may be held.
# What stays held is released by hand, to go on. RACE_ROUNDS rounds (default 150), or
# as many as RACE_SECONDS allow (default 150: the streams keep both vCPUs busy, and a
# round takes a second or more under TCG). Prints the streams' reports (every I/O
# completed, none failed, none read wrong); fails if any round left I/O held.
# To make the race likely the streams never run out of room (16384 I/Os in flight
# each: they are submitting whenever RELEASE runs), and the swapfail_fault trace event
# is on (in an instance of its own), which lengthens the way from the decision to the
# queue in 2.0.0.
_release_race() {
	_set /proc/sys/fs/aio-max-nr 1048576 || return 1
	_rr_trace=/sys/kernel/tracing
	[ -d $_rr_trace/events ] || mount -t tracefs none $_rr_trace 2>/dev/null
	_rr_instance=$_rr_trace/instances/race$$
	if [ -d $_rr_trace/events/dm_swapfail ] && mkdir $_rr_instance; then
		echo 64 >$_rr_instance/buffer_size_kb
		echo 1 >$_rr_instance/events/dm_swapfail/swapfail_fault/enable
	fi
	sfaio stream /dev/mapper/sf 0 --span 16 --depth 16384 --expect-pattern 5 \
		>"$SWAPFAIL_RESULT/reader" 2>&1 &
	_rr_reader=$!
	sfaio stream /dev/mapper/sf 0 --span 16 --depth 16384 --write 5 \
		>"$SWAPFAIL_RESULT/writer" 2>&1 &
	_rr_writer=$!
	_wait_file "$SWAPFAIL_RESULT/reader" && _wait_file "$SWAPFAIL_RESULT/writer" ||
		return 1
	_rr_i=0 _rr_left=0 _rr_rc=0
	_rr_end=$(($(date +%s) + ${RACE_SECONDS:-150}))
	while [ $_rr_i -lt "${RACE_ROUNDS:-150}" ] && [ "$(date +%s)" -lt $_rr_end ]; do
		# shellcheck disable=SC2086 # the words of the messages
		_sf_msg sf $1 >/dev/null || { _rr_rc=1; break; }
		sleep 0.05
		# shellcheck disable=SC2086
		_sf_msg sf $2 >/dev/null || { _rr_rc=1; break; }
		_rr_held=$(_sf_field sf holding)
		if [ "$_rr_held" -ne 0 ]; then
			_rr_left=$((_rr_left + 1))
			sleep 1
			echo "round $_rr_i: holding=$_rr_held right after '$2'," \
				"$(_sf_field sf holding) a second later" >&2
			_sf_msg sf release >/dev/null 2>&1
		fi
		_rr_i=$((_rr_i + 1))
	done
	echo "$_rr_i rounds of '$1' and '$2': $_rr_left left I/O held;" \
		"$(_sf_field sf held) I/Os held in all" >&2
	kill -TERM $_rr_reader $_rr_writer
	wait $_rr_reader
	wait $_rr_writer
	if [ -d $_rr_instance ]; then
		echo 0 >$_rr_instance/events/dm_swapfail/swapfail_fault/enable
		rmdir $_rr_instance
	fi
	sed 's/^submitted=[0-9]* completed=[0-9]* ok=[0-9]* //' \
		"$SWAPFAIL_RESULT/reader" "$SWAPFAIL_RESULT/writer" | grep -v '^streaming$'
	[ $_rr_rc -eq 0 ] || return 1
	[ $_rr_i -ge 20 ] || _fail "only $_rr_i rounds in ${RACE_SECONDS:-150} s" || return 1
	[ $_rr_left -eq 0 ] || _fail "$_rr_left of $_rr_i rounds left I/O held after '$2'"
}

# _race_device: device sf over the test disk, enabled, blocks 0-31 holding pattern 5.
_race_device() {
	_rd_disk=$(_disk) || return $?
	_sf_create sf "$_rd_disk" 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 0 256 --pattern 5 >/dev/null
}

# _held_device: device sf over a null_blk disk (/dev/nullb0: in memory, completing in
# the submitter's context, irqmode=0, so that sending held I/O on never has to wait for
# the disk) with blocks 0-63 holding pattern 5 and holding every read (extent 0-63
# hold); a second null_blk disk, /dev/nullb1, for the probe's I/O (_probed);
# fs.aio-max-nr raised for HELD_N (default 100,000) reads in flight.
_held_device() {
	_modprobe null_blk nr_devices=2 memory_backed=1 gb=1 irqmode=0 || return 1
	_set /proc/sys/fs/aio-max-nr $((4 * ${HELD_N:-100000})) || return 1
	_sf_create sf /dev/nullb0 4096 start_enabled quiet || return 1
	sfio write /dev/mapper/sf 0 512 --pattern 5 >/dev/null || return 1
	sfio write /dev/nullb1 0 2048 --pattern 1 >/dev/null || return 1
	_sf_msg sf add 0-63 hold
}

# _held_burst: HELD_N 4 KiB O_DIRECT reads of blocks 0-63 of sf from one process
# (tests/helpers/sfaio burst, pid BURST, report in $SWAPFAIL_RESULT/burst), all held.
_held_burst() {
	rm -f "$SWAPFAIL_RESULT/burst"
	sfaio burst /dev/mapper/sf 0 --count "${HELD_N:-100000}" --span 64 --expect-pattern 5 \
		>"$SWAPFAIL_RESULT/burst" 2>&1 &
	BURST=$!
	_wait_file "$SWAPFAIL_RESULT/burst" 3000 || return 1
	echo "submitted in $(awk '/^submitted/ { print $3 }' "$SWAPFAIL_RESULT/burst") s" >&2
	_sf_expect_field sf holding "${HELD_N:-100000}"
}

# _burst_done: wait for the burst's reads; prints its report (how many completed, with
# which status, and whether the data was right).
_burst_done() {
	wait "$BURST"
	grep -v '^submitted' "$SWAPFAIL_RESULT/burst"
}

# _least LIST: the smallest of the numbers in LIST.
_least() {
	echo "$1" | tr ' ' '\n' | grep . | sort -n | head -n 1
}

# _probed CPU COMMAND...: run COMMAND pinned to CPU while tests/helpers/latprobe, pinned
# there too, reads /dev/nullb1 in rounds; then, for as long as COMMAND took, the probe
# alone beside a sleep: the idle baseline of the same length, since a TCG guest on a
# loaded host stalls for hundreds of milliseconds at any time.  Prints by how many
# milliseconds the probe's worst round during COMMAND exceeded its worst idle one.
_probed() {
	_pr_cpu=$1
	shift
	_pr_busy=$(_probe_round probed "$_pr_cpu" "$@") || return 1
	_pr_secs=$(sed -n 's/^timeit: //p' "$SWAPFAIL_RESULT/time")
	_pr_idle=$(_probe_round idle "$_pr_cpu" sleep "$_pr_secs") || return 1
	echo $((_pr_busy - _pr_idle))
}

# _probe_round OUT CPU COMMAND...: COMMAND pinned to CPU beside the probe, its output
# in $SWAPFAIL_RESULT/OUT; prints the probe's worst round in milliseconds.
_probe_round() {
	_pr_out=$1
	_pr_cpu=$2
	shift 2
	latprobe --cpu "$_pr_cpu" --dev /dev/nullb1 >"$SWAPFAIL_RESULT/probe" &
	_pr_probe=$!
	_wait_file "$SWAPFAIL_RESULT/probe" 1200 $_pr_probe || return 1
	sleep 0.5
	timeit taskset -c "$_pr_cpu" "$@" >"$SWAPFAIL_RESULT/$_pr_out" 2>"$SWAPFAIL_RESULT/time"
	_pr_rc=$?
	sleep 0.5
	kill -TERM $_pr_probe
	wait $_pr_probe
	echo "$* on CPU $_pr_cpu: $(sed -n 's/^timeit: //p' "$SWAPFAIL_RESULT/time") s;" \
		"probe: $(tail -n 1 "$SWAPFAIL_RESULT/probe")" >&2
	[ $_pr_rc -eq 0 ] || _fail "$* failed: $(cat "$SWAPFAIL_RESULT/time")" || return 1
	sed -n 's/.* max_round_ms=\([0-9]*\).*/\1/p' "$SWAPFAIL_RESULT/probe"
}
