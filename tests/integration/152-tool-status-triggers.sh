#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail status shows each trigger's action (trigger_read, trigger_write) and --json gives every key of the man page's schema, probabilities as numbers"

requires() {
	_have_program swapfail && _have_program jsoncheck
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" >/dev/null || return 1
	swapfail every-nth sf write 5 --delay 10ms~2ms --match swap || return 1
	swapfail probability sf read 2.5% --hold=30s || return 1
	swapfail status sf | awk '$1 ~ /^(every_nth|probability|trigger)_/'
	swapfail status sf --json >/tmp/status.json || return 1
	jsoncheck status </tmp/status.json ||
		_fail "status --json: $(cat /tmp/status.json)" || return 1
	grep -o '"probability_read": [^,]*\|"trigger_[a-z]*": "[^"]*"' /tmp/status.json
}
