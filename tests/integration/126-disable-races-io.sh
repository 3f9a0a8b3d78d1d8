#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="disable racing with a stream of I/O into a held range: right after it returns nothing is held, and every I/O completes"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"

# In 2.0.0: map() decides (enabled, the extent) before it queues a bio; a bio
# decided before disable and queued after its walk of the held list stays held.

_test() {
	_race_device || return $?
	_sf_msg sf add 0-15 mode=rw hold || return 1
	_release_race enable disable
}

test() {
	_release_after _test
}
