#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="100,000 held reads let go by disable, a process pinned to the same CPU reading another disk meanwhile: all complete with their data, and nothing stays held"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# The latency of another disk's I/O on the same CPU is measured and reported, as in
# 132's release, not bounded: 2.0.0's walk cost 130-260 ms of it on a loaded host, but
# that host stalls the guest for as long at any time, and letting 100,000 bios go (their
# completions on the same CPU) is work the probe has to share the CPU with.

_test() {
	_held_device || return 1
	_held_burst || return 1
	disable=$(_probed 0 dmsetup message sf 0 disable) || return 1
	_burst_done
	echo "the probe's worst round during disable, over idle (ms): $disable" >&2
	_sf_expect_field sf holding 0
}

test() {
	_release_after _test
}
