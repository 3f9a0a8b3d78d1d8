#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="status INFO ends with trigger_read= and trigger_write=, each trigger's action words joined by commas (error by default)"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# 2.0.0 shows no trigger's action in status.

_last_two() {
	_sf_info sf | awk '{ print $(NF - 1), $NF }'
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_last_two
	_sf_msg sf every_nth_write 3 hold=30s || return 1
	_last_two
	_sf_msg sf every_nth_read 2 delay=5ms~1ms || return 1
	_last_two
	_sf_msg sf probability_write 0.5 drop match=swap || return 1
	_sf_msg sf every_nth_read 4 corrupt=xor at=3 bytes=2 xor=0f || return 1
	_last_two
	_sf_msg sf every_nth_read 5 error=ENOSPC || return 1
	_last_two
}
