#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="one duration syntax everywhere (500us, 1.5s, 2m), turned into the target's words; a refusal names the part that is wrong"

test() {
	expect 0 "" --check watch sf --interval 100ms || return 1
	expect 0 "" --check watch sf --interval 0.5 || return 1
	expect 0 "" --check add sf 5 --delay 1.5s || return 1
	expect 0 "" --check add sf 5 --delay 2m~500us || return 1
	expect 0 "" --check add sf 5 delay=1.5s || return 1
	expect 0 "" --check every-nth sf write 1 --hold=30s || return 1
	expect 2 "jitter \(200ms\) is longer than the delay \(100ms\)" \
		--check add sf 5 --delay 100ms~200ms || return 1
	expect 2 "'1.5x': unknown unit 'x'" --check add sf 5 --delay 1.5x || return 1
	expect 2 "--interval 'soon': not a duration" --check watch sf --interval soon ||
		return 1
	expect 2 "at least 10ms" --check watch sf --interval 1ms || return 1
	expect 2 "longer than 86400s" --check add sf 5 --delay 25h || return 1
	expect 2 "finer than a nanosecond" --check add sf 5 --delay 0.5ns || return 1
	expect 2 "a hold of no time" --check add sf 5 --hold=0
}
