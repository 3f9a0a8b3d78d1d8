#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="hold=0 and hold=0s are refused with EINVAL, for an extent and for a trigger: a hold without a limit is plain hold"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_sf_reject sf add 5 hold=0 || return 1
	_sf_reject sf add 5 hold=0s || return 1
	_sf_reject sf add 5 mode=write hold=0ms || return 1
	_sf_reject sf every_nth_write 1 hold=0 || return 1
	_sf_reject sf probability_read 0.5 hold=0s || return 1
	_sf_msg sf count
	_sf_info sf | tr ' ' '\n' | grep -E '^(every_nth_write|probability_read)='
	_sf_msg sf add 5 hold=1ms || return 1
	_sf_msg sf list
}
