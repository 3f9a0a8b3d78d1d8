#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="clear racing with a stream of I/O into a hold extent: right after it returns nothing is held, and every I/O completes"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: map() finds the extent in the tree it read before the clear published
# the empty one; a bio queued after the clear's walk of the held list stays held.

_test() {
	_race_device || return $?
	_release_race "add 0-15 mode=rw hold" clear
}

test() {
	_release_after _test
}
