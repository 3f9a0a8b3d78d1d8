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
# newest first (umount, swapoff, dmsetup remove, losetup -d, rmmod, cgroup rmdir, a
# module parameter written back).
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
# _register_param FILE: have run write FILE's value now back into it. A
# choice file (transparent_hugepage's "always [madvise] never") gives back
# the bracketed choice.
_register_param() {
	_rp_value=$(cat "$1")
	case $_rp_value in
	*\[*\]*)
		_rp_value=${_rp_value#*\[}
		_rp_value=${_rp_value%%\]*}
		;;
	esac
	_ledger param "$1 $_rp_value"
}

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
	_dmesg_since_start | grep -E -q -e "$1" && return 0
	if ! dmesg | grep -q -F "swapfail-test: start $SWAPFAIL_TEST_NAME"; then
		_fail "no kernel log line matches '$1': this test's start marker is not in the log"
		return 1
	fi
	_fail "no kernel log line matches '$1'; the last lines since the start:"
	_dmesg_since_start | tail -n 15 >&2
	return 1
}

# dm-swapfail helpers

# _sf_create NAME DEV BLOCK_SIZE [FEATURE_ARG...]: create NAME as a swapfail
# device over the whole of DEV; feature words are counted for the table line.
_sf_create() {
	_sf_name=$1
	_sf_dev=$2
	_sf_table="0 $(_sectors "$2") swapfail $2 0 $3"
	shift 3
	[ $# -eq 0 ] || _sf_table="$_sf_table $# $*"
	_dm_create "$_sf_name" "$_sf_table"
}

# _sf_msg NAME WORD...: send a message to NAME's target; prints the answer.
_sf_msg() {
	_sf_name=$1
	shift
	dmsetup message "$_sf_name" 0 -- "$@"
}

# _sf_reject NAME WORD...: the message must be refused with EINVAL.
_sf_reject() {
	if _sf_out=$(_sf_msg "$@" 2>&1); then
		_fail "message '$*' was accepted"
		return 1
	fi
	case $_sf_out in
	*"Invalid argument"*) return 0 ;;
	esac
	_fail "message '$*' refused, but not with EINVAL: $_sf_out"
}

# _k4 CHAR: CHAR 4096 times, for arguments as long as a message's words get.
_k4() {
	_k4_s=$1
	while [ ${#_k4_s} -lt 4096 ]; do
		_k4_s=$_k4_s$_k4_s
	done
	echo "$_k4_s"
}

# _sf_info NAME: the status INFO of NAME's target (its key=value fields).
_sf_info() {
	dmsetup status "$1" | cut -d' ' -f4-
}

# _dm_sectors NAME read|write: sectors read or written through the
# device-mapper device NAME, from the block layer's own count: a bio of
# several pages counts its every sector (swapfail's reads= and writes= count
# bios, and 7.x swaps several pages out in one).
_dm_sectors() {
	awk -v f="$([ "$2" = read ] && echo 3 || echo 7)" '{ print $f }' \
		"/sys/dev/block/$(dmsetup info -c --noheadings -o major,minor "$1")/stat"
}

# _sf_field NAME KEY: one field of the status INFO.
_sf_field() {
	_sf_info "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# _sf_wait_field NAME KEY VALUE: wait up to 5 s for the status field to
# reach VALUE, then fail unless it has.
_sf_wait_field() {
	_sw_tries=50
	while [ "$(_sf_field "$1" "$2")" != "$3" ] && [ $_sw_tries -gt 0 ]; do
		sleep 0.1
		_sw_tries=$((_sw_tries - 1))
	done
	_sf_expect_field "$1" "$2" "$3"
}

# _sf_expect_field NAME KEY VALUE: fail unless the status field has VALUE.
_sf_expect_field() {
	_sf_value=$(_sf_field "$1" "$2")
	[ "$_sf_value" = "$3" ] ||
		_fail "$1: status $2=$_sf_value, expected $3"
}

# _sf_expect_io EXPECTED sfio-ARGS...: run sfio, fail unless it prints EXPECTED.
_sf_expect_io() {
	_sf_expected=$1
	shift
	_sf_got=$(sfio "$@")
	[ "$_sf_got" = "$_sf_expected" ] ||
		_fail "sfio $*: got '$_sf_got', expected '$_sf_expected'"
}

# _swap_on DEV: make DEV the only swap area; swap-in reads only the faulting
# page (vm.page-cluster=0), so an error lands on the page that was asked for.
_swap_on() {
	mkswap "$1" >/dev/null || _fail "mkswap $1 failed" || return 1
	swapon "$1" || _fail "swapon $1 failed" || return 1
	_register_swap "$1"
	echo 0 >/proc/sys/vm/page-cluster
}

# _cgroup NAME [MEMORY_MAX]: create a memory cgroup, print its path.
_cgroup() {
	_cg=/sys/fs/cgroup/$1
	mkdir "$_cg" || _fail "cannot create cgroup $1" || return 1
	_ledger cgroup "$_cg"
	[ -z "${2:-}" ] || echo "$2" >"$_cg/memory.max"
	echo "$_cg"
}

# _victim_start CGROUP PAGES [VICTIM_ARG...]: start tests/helpers/victim in
# CGROUP, with its stdin on fd 9 and its stdout in $VICTIM_OUT; sets
# VICTIM_PID and VICTIM_ADDR.  To keep several victims, dup fd 9 elsewhere
# before starting the next one: a victim exits when its stdin closes.
# VICTIM_DIR (default /tmp) holds VICTIM_OUT: a tmpfs page the victim
# writes is charged to CGROUP, and goes to swap with the victim's pages.
_victim_start() {
	_victims=$((${_victims:-0} + 1))
	VICTIM_OUT=${VICTIM_DIR:-/tmp}/victim.$$.$_victims.out
	_victim_in=${VICTIM_DIR:-/tmp}/victim.$$.$_victims.in
	rm -f "$VICTIM_OUT" "$_victim_in"
	mkfifo "$_victim_in"
	_vs_cgroup=$1
	shift
	# shellcheck disable=SC2016 # $$ and $1.. belong to the inner shell
	sh -c 'cg=$1 in=$2 out=$3; shift 3
	       echo $$ >"$cg/cgroup.procs" && exec victim "$@" <"$in" >"$out"' \
		victim "$_vs_cgroup" "$_victim_in" "$VICTIM_OUT" "$@" &
	VICTIM_PID=$!
	_register_pid "$VICTIM_PID"
	exec 9>"$_victim_in"
	_victim_wait '^ready ' || return 1
	VICTIM_ADDR=$(awk '/^ready /{ print $2 }' "$VICTIM_OUT")
}

# _victim_wait REGEX [SECONDS [COUNT]]: wait until more than COUNT (default
# 0) lines of the victim's output match REGEX.
_victim_wait() {
	_vw_left=$((${2:-60} * 10))
	until [ "$(grep -c -E "$1" "$VICTIM_OUT" 2>/dev/null)" -gt "${3:-0}" ]; do
		kill -0 "$VICTIM_PID" 2>/dev/null ||
			_fail "victim died before printing '$1'" || return 1
		_vw_left=$((_vw_left - 1))
		[ $_vw_left -gt 0 ] || _fail "victim never printed '$1'" ||
			return 1
		sleep 0.1
	done
}

# _victim_cmd COMMAND REGEX [SECONDS]: send COMMAND, wait for a new line
# matching REGEX and print it.
_victim_cmd() {
	_vc_before=$(grep -c -E "$2" "$VICTIM_OUT")
	echo "$1" >&9
	_victim_wait "$2" "${3:-60}" "$_vc_before" || return 1
	grep -E "$2" "$VICTIM_OUT" | tail -n 1
}

# _victim_check: have the victim read all its pages; prints its report.
_victim_check() {
	_vc_from=$(($(wc -l <"$VICTIM_OUT") + 1))
	_victim_cmd check '^checked ' 300 >/dev/null || return 1
	tail -n "+$_vc_from" "$VICTIM_OUT" | grep -E '^(sigbus|corrupt|checked) '
}

# _page_addr N: the address of the victim's page N, in hex.
_page_addr() {
	printf '0x%x' $((VICTIM_ADDR + $1 * 4096))
}

# _victim_swapped: how many of the victim's PAGES pages are in swap.
_victim_swapped() {
	pagemap "$VICTIM_PID" "$VICTIM_ADDR" "$1" | grep -c ' swap '
}

# _swapcached CGROUP: bytes of the cgroup's memory in the swap cache.
_swapcached() {
	awk '$1 == "swapcached" { print $2 }' "$1/memory.stat"
}

# _writeback CGROUP: bytes of the cgroup's memory under writeback (swap-outs
# among them: memory.stat's file_writeback counts every page under writeback).
_writeback() {
	awk '$1 == "file_writeback" { print $2 }' "$1/memory.stat"
}

# _swap_out CGROUP PAGES: push the victim's pages to swap (memory.reclaim);
# fail unless all PAGES end up there and none is left in the swap cache,
# where an access would find it without reading the device.
# The victim's output file is charged to CGROUP too (the victim writes it)
# and goes to swap with its pages; each round reads it back. From 7.x on
# (mm/vmscan.c's pageout() without ->writepage), a tmpfs page whose swap
# write failed stays dirty in the swap cache and reclaim only reactivates
# it: read, it returns to tmpfs and can be written again; else it alone
# would keep the cgroup's swapcached above 0 (042 on 7.3.4).
_swap_out() {
	_so_try=0
	while [ $_so_try -lt 40 ]; do
		[ -z "${VICTIM_OUT:-}" ] || cat "$VICTIM_OUT" >/dev/null 2>&1
		echo $(($2 * 4096 * 4)) >"$1/memory.reclaim" 2>/dev/null
		[ "$(_victim_swapped "$2")" -eq "$2" ] &&
			[ "$(_swapcached "$1")" -eq 0 ] && return 0
		# pages under writeback leave the swap cache only once it is done
		sleep 0.1
		_so_try=$((_so_try + 1))
	done
	_fail "$(_victim_swapped "$2") of $2 pages in swap, $(_swapcached "$1") bytes in the swap cache, $(_writeback "$1") under writeback"
}

# _swapped_victim CGROUP PAGES [VICTIM_ARG...]: _victim_start, then push all
# PAGES of the victim to swap (_swap_out).
_swapped_victim() {
	_victim_start "$@" && _swap_out "$1" "$2"
}

# _slot N: the swap slot of the victim's page N (which must be in swap).
_slot() {
	pagemap "$VICTIM_PID" "$(_page_addr "$1")" 1 |
		awk '$2 == "swap" { print $4 }'
}

# Lab helpers (tests/guest/lab)

# _lab_swap: swap on swapfail device "lab" over the test disk, enabled and
# quiet, with 4 KiB blocks so that a block is a swap slot.
_lab_swap() {
	_ls_disk=$(_disk) || return $?
	_sf_create lab "$_ls_disk" 4096 start_enabled quiet || return 1
	_swap_on /dev/mapper/lab
}

# _lab_victim PAGES [VICTIM_ARG...]: the lab's swap (_lab_swap), a memory
# cgroup "lab" (in LAB_CG), and a victim there with PAGES pages, all of them
# pushed to swap (_swapped_victim).
_lab_victim() {
	_lab_swap || return $?
	LAB_CG=$(_cgroup lab) || return 1
	_swapped_victim "$LAB_CG" "$@"
}

# _lab KEY VALUE...: one observation of this lab scenario, for the report.
_lab() {
	_lab_key=$1
	shift
	echo "LAB $SWAPFAIL_TEST_NAME $_lab_key: $*"
}

# _sicode CODE: the name of a SIGBUS si_code.
_sicode() {
	case $1 in
	1) echo BUS_ADRALN ;;
	2) echo BUS_ADRERR ;;
	3) echo BUS_OBJERR ;;
	4) echo BUS_MCEERR_AR ;;
	5) echo BUS_MCEERR_AO ;;
	*) echo "code $1" ;;
	esac
}

# _sigbus_summary REPORT PAGE: how the victim's check REPORT saw page PAGE fail.
_sigbus_summary() {
	_ss_line=$(echo "$1" | grep "^sigbus page=$2 ")
	[ -n "$_ss_line" ] || { echo "no SIGBUS for page $2"; return; }
	_ss_addr=$(echo "$_ss_line" | sed -n 's/.* addr=\([^ ]*\) .*/\1/p')
	_ss_code=$(echo "$_ss_line" | sed -n 's/.* code=\([0-9]*\)$/\1/p')
	_ss_where="the page's own address"
	[ "$_ss_addr" = "$(_page_addr "$2")" ] ||
		_ss_where="$_ss_addr, not the page's address $(_page_addr "$2")"
	echo "SIGBUS, si_code $_ss_code ($(_sicode "$_ss_code")), at $_ss_where"
}
