# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Helpers for the tests of swapfail run (13x): a test file sources this after lib.sh,
#   # shellcheck source=tests/integration/lib-run.sh
#   . "$TESTS_DIR/lib-run.sh"
# The example plans are in /swapfail/plans (tools/plans); planload is their workload.

PLANS=/swapfail/plans

# _run_scratch: a filesystem on the scratch disk for the plans' loop files ($TMPDIR):
# a loop file on a disk, as a user's would be, not in the guest's RAM.
_run_scratch() {
	_rs_disk=$(_disk) || return $?
	mkfs.ext4 -q -F "$_rs_disk" || _fail "mkfs.ext4 $_rs_disk failed" || return 1
	mkdir -p /mnt/scratch
	_register_mount /mnt/scratch
	mount "$_rs_disk" /mnt/scratch || _fail "mount $_rs_disk failed" || return 1
	TMPDIR=/mnt/scratch
	export TMPDIR
}

# _run_json_field KEY: the value of the first "KEY": in the summary (numbers, null,
# true, false, or a string without its quotes).
_run_json_field() {
	grep -o "\"$1\": \(\"[^\"]*\"\|[^,}]*\)" "$SWAPFAIL_RESULT/summary" | head -n 1 |
		sed 's/^"[^"]*": //; s/^"\(.*\)"$/\1/'
}

# _run_plan PLAN ARG...: swapfail run PLAN --json --record ... -- ARG...; the summary
# in $SWAPFAIL_RESULT/summary (checked against the man page's schema), the record in
# $SWAPFAIL_RESULT/record; sets RUN_RC to run's exit status.
_run_plan() {
	_rp_plan=$1
	shift
	swapfail run "$_rp_plan" --json --record "$SWAPFAIL_RESULT/record" -- "$@" \
		>"$SWAPFAIL_RESULT/summary" 2>"$SWAPFAIL_RESULT/stderr"
	RUN_RC=$?
	jsoncheck run <"$SWAPFAIL_RESULT/summary" ||
		_fail "the summary is no run object: $(cat "$SWAPFAIL_RESULT/summary")" ||
		return 1
	jsoncheck record <"$SWAPFAIL_RESULT/record" ||
		_fail "a record line is no record object" || return 1
}

# _run_expect_passed: run exited 0 and every expectation of its plan held.
_run_expect_passed() {
	[ "$RUN_RC" -eq 0 ] && [ "$(_run_json_field passed)" = true ] && return 0
	_fail "run: exit $RUN_RC, passed $(_run_json_field passed): $(cat "$SWAPFAIL_RESULT/summary")"
	tail -n 5 "$SWAPFAIL_RESULT/stderr" >&2
	return 1
}

# _run_nothing_left: no swapfail device, swap area, cgroup, trace instance, loop device
# or mount of run's is left.
_run_nothing_left() {
	_rn_left=
	! dmsetup info swapfail-run >/dev/null 2>&1 || _rn_left="$_rn_left device"
	[ "$(grep -c -v '^Filename' /proc/swaps)" -eq 0 ] || _rn_left="$_rn_left swap"
	! ls -d /sys/fs/cgroup/swapfail-run-* >/dev/null 2>&1 || _rn_left="$_rn_left cgroup"
	! ls -d /sys/kernel/tracing/instances/swapfail-* \
		/sys/kernel/debug/tracing/instances/swapfail-* >/dev/null 2>&1 ||
		_rn_left="$_rn_left trace-instance"
	[ -z "$(losetup -a 2>/dev/null)" ] || _rn_left="$_rn_left loop"
	! grep -q ' /tmp/swapfail-run-' /proc/mounts || _rn_left="$_rn_left mount"
	! ls "$TMPDIR"/swapfail-run-* >/dev/null 2>&1 || _rn_left="$_rn_left file"
	[ -z "$_rn_left" ] || _fail "left behind:$_rn_left"
}
