#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="JSON output is valid UTF-8 whatever the bytes it quotes: an invalid byte becomes U+FFFD"

test() {
	sf resolve --json $'\xff\xfe:1:2' >out 2>/dev/null
	"$JSONCHECK" failure <out || fail "not a valid failure object: $(od -c out | head)" ||
		return 1
	grep -q '\\ufffd\\ufffd' out || fail "no U+FFFD for the bad bytes: $(cat out)" ||
		return 1
	# valid UTF-8 stays as it is
	sf watch --json sf --interval 'é' >out 2>/dev/null
	"$JSONCHECK" failure <out || fail "not a failure object: $(cat out)" ||
		return 1
	grep -q "'é'" out || fail "UTF-8 text mangled: $(cat out)"
}
