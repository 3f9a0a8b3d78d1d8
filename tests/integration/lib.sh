# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Helpers for the guest integration tests; run sources this before each test file.
#
# A test file defines DESCRIPTION, optionally requires() and always test(); see run.
# test() returns 0 for pass, 4 for skip (see _skip), anything else for fail.
# Never use the command "test" in tests or here: the test file defines a function of
# that name. Use [ ... ] instead.
#
# Cleanup: the _register_* helpers append to a ledger that run replays after each test,
# also after a timeout: it kills registered processes, then undoes the other entries
# newest first (umount, swapoff, dmsetup remove, losetup -d, rmmod).
#
# Set by run: SWAPFAIL_TEST_NAME, SWAPFAIL_LEDGER, SWAPFAIL_SKIP_FILE, SWAPFAIL_BIN.

PATH=${SWAPFAIL_BIN:+$SWAPFAIL_BIN:}$PATH

# busybox ash runs its own applets before searching $PATH: use util-linux's instead.
if [ -x /usr/sbin/losetup ]; then
	losetup() { /usr/sbin/losetup "$@"; }
	mkswap() { /usr/sbin/mkswap "$@"; }
	swapon() { /usr/sbin/swapon "$@"; }
	swapoff() { /usr/sbin/swapoff "$@"; }
fi

# _fail REASON: print REASON to stderr and return 1 (use: cmd || _fail "why" || return 1).
_fail() {
	echo "FAIL: $*" >&2
	return 1
}

# _skip REASON: end the test as skipped. Inside $(...) only that subshell exits,
# so write: disk=$(_disk) || return $?
_skip() {
	echo "$*" >"${SWAPFAIL_SKIP_FILE:-/dev/null}"
	exit 4
}

# _have_program NAME: true if NAME can be run, else print why (for requires()).
_have_program() {
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "program $1 not found"
	return 1
}

# _have_module NAME: true if module NAME is loaded, built in or loadable, else print why.
_have_module() {
	_mod_name=$(echo "$1" | tr - _)
	[ -d "/sys/module/$_mod_name" ] && return 0
	awk -F: -v n="$_mod_name" '
		{ f = $1; sub(/.*\//, "", f); sub(/\.ko.*/, "", f); gsub(/-/, "_", f) }
		f == n { found = 1 }
		END { exit !found }' \
		"/lib/modules/$(uname -r)/modules.dep" "/lib/modules/$(uname -r)/modules.builtin" \
		2>/dev/null && return 0
	echo "module $1 not available"
	return 1
}

# _kmsg TEXT: write "swapfail-test: NAME: TEXT" into the kernel log.
_kmsg() {
	echo "swapfail-test: $SWAPFAIL_TEST_NAME: $*" >/dev/kmsg
}

_ledger() {
	echo "$*" >>"${SWAPFAIL_LEDGER:-/dev/null}"
}

# _register_KIND THING: have run undo THING after the test.
_register_pid() { _ledger pid "$1"; }
_register_mount() { _ledger mount "$1"; }
_register_swap() { _ledger swap "$1"; }
_register_dm() { _ledger dm "$1"; }
_register_loop() { _ledger loop "$1"; }
_register_module() { _ledger module "$1"; }

# _modprobe NAME [PARAM=VALUE...]: load a module (unloaded after the test).
# null_blk is in the image but not loaded at boot: _modprobe null_blk memory_backed=1 gb=1
_modprobe() {
	_register_module "$(echo "$1" | tr - _)"
	modprobe "$@" || _fail "modprobe $* failed"
}

# _dm_create NAME TABLE: create /dev/mapper/NAME (TABLE may have several lines).
# There is no udev in the guest: dmsetup must not wait for it, and makes the node itself.
_dm_create() {
	_register_dm "$1"
	printf '%s\n' "$2" | dmsetup create --noudevsync "$1" ||
		_fail "dmsetup create $1 failed" || return 1
	dmsetup mknodes "$1"
	[ -b "/dev/mapper/$1" ] || _fail "no /dev/mapper/$1"
}

# _dm_remove NAME: remove a device-mapper device.
_dm_remove() {
	dmsetup remove --noudevsync "$1" || _fail "dmsetup remove $1 failed" || return 1
	dmsetup mknodes
}

# _disk: print the scratch disk's path (/dev/vda); skip the test if there is none.
_disk() {
	[ -b /dev/vda ] || _skip "no scratch disk /dev/vda (boot with --disk)"
	echo /dev/vda
}

# _sectors DEV: print DEV's size in 512-byte sectors.
_sectors() {
	blockdev --getsz "$1" 2>/dev/null ||
		cat "/sys/class/block/$(basename "$(readlink -f "$1")")/size"
}

# _dmesg_since_start: print the kernel log lines after this test's start marker.
_dmesg_since_start() {
	dmesg | awk -v m="swapfail-test: start $SWAPFAIL_TEST_NAME" '
		substr($0, length($0) - length(m) + 1) == m { n = 0; found = 1; next }
		found { lines[n++] = $0 }
		END { for (i = 0; i < n; i++) print lines[i] }'
}

# _expect_dmesg REGEX: fail unless a kernel log line since the test started matches REGEX.
_expect_dmesg() {
	_dmesg_since_start | grep -E -q -e "$1" || _fail "no kernel log line matches '$1'"
}

# The project's own helpers live beside this file, in swapfail.sh.
if [ -f "${TESTS_DIR:-.}/swapfail.sh" ]; then
	# shellcheck source=/dev/null # checked on its own
	. "${TESTS_DIR:-.}/swapfail.sh"
fi
