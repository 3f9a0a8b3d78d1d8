#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="remove of a hold extent racing with a stream of I/O into it: right after it returns nothing is held, and every I/O completes"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: map() finds the extent in the tree it read before the remove published
# the new one; a bio queued after the remove's walk of the held list stays held.

_test() {
	_race_device || return $?
	_release_race "add 0-15 mode=rw hold" "remove 0-15"
}

test() {
	_release_after _test
}
