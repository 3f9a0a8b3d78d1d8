#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a short option means the same for every verb: each -X of every verb's help names one long option"

test() {
	local verb

	for verb in $(sf help | awk '$1 == "swapfail" { print $2 }'); do
		sf "$verb" --help | grep -o -E -- '-[a-zA-Z], --[a-z-]+' |
			sed "s/^/$verb /"
	done >pairs
	[ -s pairs ] || fail "no '-X, --long' in any verb's help" || return 1
	# one long name per letter
	awk '{ split($2, a, ","); long[a[1]] = long[a[1]] " " $3 }
	     END { for (s in long) { n = split(long[s], l, " "); m = 0
		   for (i = 1; i <= n; i++) if (!seen[s, l[i]]++) m++
		   if (m > 1) print s ":" long[s] } }' pairs >clashes
	[ ! -s clashes ] || fail "letters with several meanings: $(cat clashes)"
}
