#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="run --check reads every example plan and prints it as the man page's plan schema; a bad plan is refused naming its file, line and word"

test() {
	local plan

	for plan in "$REPO"/tools/plans/*.plan; do
		sf run --check --json "$plan" >out 2>err ||
			fail "$plan: $(cat err)" || return 1
		"$JSONCHECK" plan <out || fail "$plan: not a plan object" || return 1
	done
	printf 'device sf over loop 64M\n\nat soon add 5\n' >bad.plan
	expect 2 "bad.plan:3: at 'soon': not a duration" run --check bad.plan || return 1
	printf 'device sf\nat 1s add 5 --delay 1.5x\n' >bad.plan
	expect 2 "bad.plan:2: add: --delay '1.5x': unknown unit" run --check bad.plan ||
		return 1
	printf 'device sf\nat 1s seed 7 for 2s\n' >bad.plan
	expect 2 "bad.plan:2: seed cannot be undone" run --check bad.plan || return 1
	printf 'device sf\nexpect count nonsense > 1\n' >bad.plan
	expect 2 "bad.plan:2: expect count 'nonsense'" run --check bad.plan || return 1
	printf 'swap partition\n' >bad.plan
	expect 2 "no 'device' line" run --check bad.plan
}
