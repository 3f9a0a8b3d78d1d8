# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Helpers for the tool's swap-layout tests (08x): a test file sources this after lib.sh,
#   # shellcheck source=tests/integration/lib-layouts.sh
#   . "$TESTS_DIR/lib-layouts.sh"
# It builds a swap layout over a swapfail device, makes one page of a victim fail through
# it and checks that exactly that page failed, or that a refusal changed nothing.

# _lvm ARG...: lvm without udev, seeing only device-mapper devices (not the disk under
# them, which would show the same physical volume twice).
_lvm() {
	lvm "$@" --config 'devices { global_filter = [ "a|^/dev/mapper/|", "r|.*|" ]
		obtain_device_list_from_udev = 0 } activation { udev_sync = 0 udev_rules = 0 }'
}

# _sf_over DEV: swapfail device "sf" over DEV, failing from the start, with 4 KiB blocks;
# what earlier tests left on DEV's first MiB (signatures mkfs or lvm would ask about) is
# wiped first.
_sf_over() {
	dd if=/dev/zero of="$1" bs=1M count=1 conv=fsync 2>/dev/null
	_register_dm sf
	swapfail create sf "$1" --start-enabled >/dev/null
}

# _mkfs_mount TYPE DEV DIR: a new TYPE filesystem on DEV, mounted on DIR.
_mkfs_mount() {
	case $1 in
	ext4) mkfs.ext4 -q -F -b 4096 "$2" ;;
	xfs) mkfs.xfs -q -f "$2" ;;
	btrfs) mkfs.btrfs -q -f "$2" >/dev/null ;;
	esac || _fail "mkfs.$1 $2 failed" || return 1
	mkdir -p "$3"
	_register_mount "$3"
	mount -t "$1" "$2" "$3" || _fail "mount $2 failed"
}

# _swapfile PATH MB: a swap file of MB MiB, written out (no unwritten extents), swapped on.
# On btrfs it must be NOCOW from the start (chattr +C while empty).
_swapfile() {
	: >"$1" && chmod 600 "$1" && chattr +C "$1" 2>/dev/null
	dd if=/dev/zero of="$1" bs=1M count="$2" conv=fsync 2>/dev/null ||
		_fail "cannot write $1" || return 1
	_swap_on "$1"
}

# _table_snapshot: the table of sf now, to compare after a refusal (_table_unchanged).
_table_snapshot() {
	swapfail list sf >/tmp/table.before || _fail "swapfail list sf failed"
}

_table_unchanged() {
	swapfail list sf >/tmp/table.after || _fail "swapfail list sf failed" || return 1
	cmp -s /tmp/table.before /tmp/table.after ||
		_fail "the table changed: $(cat /tmp/table.before) -> $(cat /tmp/table.after)"
}

# _expect_refusal STATUS ARG...: swapfail ARG... must exit STATUS and leave the table as
# it was; prints "exit STATUS: " and its first error line, with what changes from run
# to run replaced: the victim's pid (PID), addresses (ADDR), slots (slot N), loop
# devices (/dev/loopN), sizes in kB (N kB), SysV keys (SYSVKEY).
_expect_refusal() {
	_er_want=$1
	shift
	_table_snapshot || return 1
	swapfail "$@" >/tmp/refusal.out 2>/tmp/refusal.err
	_er_rc=$?
	echo "exit $_er_rc: $(grep -v '^swapfail: note:' /tmp/refusal.err | head -n 1 |
		sed "s/\<$VICTIM_PID\>/PID/g; s/0x[0-9a-f]\{6,\}/ADDR/g; s/slot [0-9]*/slot N/g
		     s|/dev/loop[0-9]*|/dev/loopN|g; s/(\([a-z ]*\)[0-9]* kB/(\1N kB/g
		     s/SYSV[0-9a-f]*/SYSVKEY/g")"
	[ "$_er_rc" -eq "$_er_want" ] ||
		_fail "swapfail $*: exit $_er_rc, expected $_er_want" || return 1
	_table_unchanged
}

# _fail_page P: target the victim's page P on sf, then check that reading its pages
# gives SIGBUS (BUS_ADRERR) at exactly page P and all the others intact, and that sf
# failed one read.  Prints what target printed, with the page's address, slot, sector
# and block as PAGE, SLOT, SECTOR and BLOCK, and the victim's report.
_fail_page() {
	_fp_addr=$(_page_addr "$1")
	_fp_slot=$(_slot "$1")
	[ -n "$_fp_slot" ] || _fail "page $1 is not in swap" || return 1
	swapfail target sf --pid "$VICTIM_PID" --addr "$_fp_addr" >/tmp/target.out ||
		_fail "swapfail target failed" || return 1
	awk -v a="$_fp_addr" -v s="$_fp_slot" '
		$1 == "page" && $2 == a && $4 == s { $2 = "PAGE"; $4 = "SLOT"; $6 = "SECTOR"; $8 = "BLOCK" }
		$1 == "message" { $3 = "BLOCK" }
		{ print }' /tmp/target.out
	_fp_report=$(_victim_check) || return 1
	echo "$_fp_report" | grep -v '^sigbus '
	echo "$_fp_report" | grep -q "^sigbus page=$1 addr=$_fp_addr code=2$" ||
		_fail "no SIGBUS at page $1 ($_fp_addr): $_fp_report" || return 1
	_sf_expect_field sf read_errors 1
}

# _mapvictim_start CGROUP KIND PAGES: as lib.sh's _victim_start, with
# tests/helpers/mapvictim: PAGES pages of KIND (heap, memfd, sysv, shared).
_mapvictim_start() {
	_victims=$((${_victims:-0} + 1))
	VICTIM_OUT=/tmp/victim.$$.$_victims.out
	_victim_in=/tmp/victim.$$.$_victims.in
	rm -f "$VICTIM_OUT" "$_victim_in"
	mkfifo "$_victim_in"
	# shellcheck disable=SC2016 # $$ and $1.. belong to the inner shell
	sh -c 'cg=$1 in=$2 out=$3; shift 3
	       echo $$ >"$cg/cgroup.procs" && exec mapvictim "$@" <"$in" >"$out"' \
		mapvictim "$1" "$_victim_in" "$VICTIM_OUT" "$2" "$3" &
	VICTIM_PID=$!
	_register_pid "$VICTIM_PID"
	exec 9>"$_victim_in"
	_victim_wait '^ready ' || return 1
	VICTIM_ADDR=$(awk '/^ready /{ print $2 }' "$VICTIM_OUT")
}

# _smaps_swap ADDR: kB in swap of the victim's mapping that holds ADDR (smaps's Swap:).
_smaps_swap() {
	awk -v a="$(printf '%x' "$1")" '
		/^[0-9a-f]+-[0-9a-f]+ / { split($1, r, "-"); cur = (r[1] == a) }
		cur && $1 == "Swap:" { print $2; exit }' "/proc/$VICTIM_PID/smaps"
}

# _shmem_swap_out CGROUP PAGES: push the victim's PAGES pages of shared memory to swap.
# pagemap does not show them there: smaps's Swap: of their mapping does.
_shmem_swap_out() {
	_sso_try=0
	while [ $_sso_try -lt 40 ]; do
		echo $(($2 * 4096 * 4)) >"$1/memory.reclaim" 2>/dev/null
		[ "$(_smaps_swap "$VICTIM_ADDR")" -ge $(($2 * 4)) ] &&
			[ "$(_swapcached "$1")" -eq 0 ] && return 0
		sleep 0.1
		_sso_try=$((_sso_try + 1))
	done
	_fail "$(_smaps_swap "$VICTIM_ADDR") kB of $2 pages of shared memory in swap"
}
