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
# it was; prints "exit STATUS: " and its first error line, the victim's pid and page
# addresses replaced by PID and ADDR.
_expect_refusal() {
	_er_want=$1
	shift
	_table_snapshot || return 1
	swapfail "$@" >/tmp/refusal.out 2>/tmp/refusal.err
	_er_rc=$?
	echo "exit $_er_rc: $(grep -v '^swapfail: note:' /tmp/refusal.err | head -n 1 |
		sed "s/\<$VICTIM_PID\>/PID/g; s/0x[0-9a-f]\{6,\}/ADDR/g")"
	[ "$_er_rc" -eq "$_er_want" ] ||
		_fail "swapfail $*: exit $_er_rc, expected $_er_want" || return 1
	_table_unchanged
}

# _fail_page P: target the victim's page P on sf, then check that reading its pages
# gives SIGBUS (BUS_ADRERR) at exactly page P and all the others intact, and that sf
# failed one read.  Prints what target printed, with the page's address, slot and
# sector as PAGE, SLOT and SECTOR, and the victim's report.
_fail_page() {
	_fp_addr=$(_page_addr "$1")
	_fp_slot=$(_slot "$1")
	[ -n "$_fp_slot" ] || _fail "page $1 is not in swap" || return 1
	swapfail target sf --pid "$VICTIM_PID" --addr "$_fp_addr" >/tmp/target.out ||
		_fail "swapfail target failed" || return 1
	_fp_sector=$(awk '$1 == "page" { print $6 }' /tmp/target.out)
	sed "s/$_fp_addr/PAGE/; s/\<$_fp_slot\>/SLOT/g; s/\<$_fp_sector\>/SECTOR/g; s/ block [0-9]*$/ block BLOCK/; s/^message add [0-9]*$/message add BLOCK/" \
		/tmp/target.out
	_fp_report=$(_victim_check) || return 1
	echo "$_fp_report" | grep -v '^sigbus '
	echo "$_fp_report" | grep -q "^sigbus page=$1 addr=$_fp_addr code=2$" ||
		_fail "no SIGBUS at page $1 ($_fp_addr): $_fp_report" || return 1
	_sf_expect_field sf read_errors 1
}
