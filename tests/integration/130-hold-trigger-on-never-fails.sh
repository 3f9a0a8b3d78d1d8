#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="every_nth_write 1 hold switched on and off under a stream of writes: no write ever fails; each is held, then passes"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: the trigger's bit goes live before its action is published, and a
# write that fires in between takes the action in force, an error: EIO.

_test() {
	_race_device || return $?
	for w in 1 2; do
		sfaio stream /dev/mapper/sf 0 --span 32 --depth 64 --write 5 \
			>"$SWAPFAIL_RESULT/writer$w" 2>&1 &
		eval "writer$w=\$!"
		_wait_file "$SWAPFAIL_RESULT/writer$w" || return 1
	done
	# as many rounds as fit in RACE_SECONDS (default 150), at most RACE_ROUNDS (default
	# 1000): the window is short, what widens it is the host preempting the message's
	# vCPU inside it; every round is a chance
	rounds=0 end=$(($(date +%s) + ${RACE_SECONDS:-150}))
	while [ $rounds -lt "${RACE_ROUNDS:-1000}" ] && [ "$(date +%s)" -lt $end ]; do
		_sf_msg sf every_nth_write 1 hold || return 1
		_sf_msg sf every_nth_write 0 || return 1
		# 2.0.0 kept them held (test 129): not this test's point
		_sf_msg sf release >/dev/null 2>&1
		rounds=$((rounds + 1))
	done
	held=$(_sf_field sf held)
	echo "$rounds rounds, $held writes held, $(_sf_field sf write_errors) failed" >&2
	# shellcheck disable=SC2154 # set by eval
	kill -TERM "$writer1" "$writer2"
	wait "$writer1"
	wait "$writer2"
	sed 's/^submitted=[0-9]* completed=[0-9]* ok=[0-9]* //' "$SWAPFAIL_RESULT/writer1" \
		"$SWAPFAIL_RESULT/writer2" | grep -v '^streaming$'
	[ "$held" -gt 0 ] || _fail "no write was ever held" || return 1
	_sf_expect_field sf write_errors 0
}

test() {
	_release_after _test
}
