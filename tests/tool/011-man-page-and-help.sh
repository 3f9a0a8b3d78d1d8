#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="the man page has every verb and every long option of the verbs' help, and a JSON schema for every verb that takes --json"

test() {
	local man=$REPO/tools/swapfail.8 verb opt

	for verb in $(sf help | awk '$1 == "swapfail" { print $2 }'); do
		# troff writes a hyphen \-
		grep -q -E "^\.B[IR]? \"?(swapfail )?${verb//-/\\\\-}( |\"|$)" "$man" ||
			fail "$verb: not in the man page" || return 1
		for opt in $(sf "$verb" --help | grep -o -E -- '--[a-z][a-z-]+' | sort -u); do
			grep -q -e "${opt//-/\\\\-}" "$man" ||
				fail "$verb $opt: not in the man page" || return 1
		done
		if sf "$verb" --help | grep -q -- '--json'; then
			"$JSONCHECK" --list | grep -q "^$verb"$'\t' ||
				fail "$verb --json: no schema in the man page" || return 1
		fi
	done
}
