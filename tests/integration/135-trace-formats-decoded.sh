#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="the trace events' formats name no SWAPFAIL_ enum (TRACE_DEFINE_ENUM): perf and trace-cmd decode the action, error and trigger"
# In 2.0.0: the print formats say SWAPFAIL_ACT_ERROR, SWAPFAIL_ERR_EIO, ...

TRACE=/sys/kernel/tracing

requires() {
	[ -d $TRACE/events ] || mount -t tracefs none $TRACE 2>/dev/null
	[ -d $TRACE/events/dm_swapfail ] || { echo "no dm_swapfail trace events"; return 1; }
}

test() {
	for format in "$TRACE"/events/dm_swapfail/*/format; do
		echo "$(basename "$(dirname "$format")"): $(grep -o 'SWAPFAIL_[A-Z_]*' "$format" |
			sort -u | tr '\n' ' ')"
	done
}
