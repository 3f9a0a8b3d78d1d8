#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="the table verbs take util-linux's --noheadings, -o/--output, --raw and --json, and refuse an unknown column by name"

test() {
	local verb

	for verb in ls held list query slots; do
		sf "$verb" --help >help || fail "$verb --help" || return 1
		for o in '-o,' --noheadings --raw --json 'Available output columns:'; do
			grep -q -e "$o" help || fail "$verb --help: no $o" || return 1
		done
	done
	expect 2 "unknown column 'BOGUS'" ls -o NAME,BOGUS || return 1
	expect 2 "unknown option '--no-headings'" slots --pid 1 --no-headings || return 1
	expect 0 "" --check slots --pid 1 --noheadings --raw -o ADDRESS,SLOT
}
