#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="a long option must be given whole: getopt's prefixes ('slots --all' for --allow-unwritten) are refused, naming the option"

test() {
	expect 2 "unknown option '--all'" slots --pid 1 --all || return 1
	expect 2 "unknown option '--int'" watch sf --int 1 || return 1
	expect 2 "unknown option '--js'" status sf --js || return 1
	# the whole name, and --name=value, are taken
	expect 0 "" --check slots --pid 1 --allow-unwritten || return 1
	expect 0 "" --check watch sf --interval=2s
}
