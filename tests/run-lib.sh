# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# The result lines of tests/run and tests/run-debug: one "ok - NAME" or
# "not ok - NAME" line per test, recorded in $results, then "N passed, N failed".

results=$(mktemp)
trap 'rm -f "$results"' EXIT

# report NAME STATUS [DETAIL-FILE]: one result line; details indented under it.
report() {
	if [ "$2" -eq 0 ]; then
		echo "ok - $1" | tee -a "$results"
	else
		echo "not ok - $1" | tee -a "$results"
		[ -z "${3:-}" ] || tail -n 40 "$3" | sed 's/^/#   /'
	fi
}

# step NAME COMMAND...: run a host-side check as one test.
step() {
	local name=$1 log
	shift
	log=$(mktemp)
	"$@" >"$log" 2>&1
	report "$name" $? "$log"
	rm -f "$log"
}

# tap PREFIX: pass TAP lines through, renamed PREFIX/NAME, and record them.
tap() {
	sed -u -E "s@^(ok|not ok) [0-9]+ - @\1 - $1/@" | tee -a "$results"
}

# summary WHAT: a comment line on WHAT was tested, then the closing line;
# fails if any test failed.
summary() {
	local passed failed skipped

	passed=$(grep -c '^ok ' "$results")
	failed=$(grep -c '^not ok ' "$results")
	skipped=$(grep -c '^ok .*# SKIP' "$results")
	echo "# $1; $skipped skipped"
	echo "$((passed - skipped)) passed, $failed failed"
	[ "$failed" -eq 0 ]
}
