#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail resolve turns the kernel's 'Read-error on swap-device' line, for a swap file on ext4 over swapfail, into the area, slot, block, its table entry and the victim's pid and address; --json too; a sector in no swap area exits 5"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

requires() {
	_have_program swapfail && _have_program mkfs.ext4 && _have_module ext4
}

test() {
	disk=$(_disk) || return $?
	_sf_over "$disk" || return 1
	_mkfs_mount ext4 /dev/mapper/sf /mnt/sf || return 1
	_swapfile /mnt/sf/swapfile 32 || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1
	page=$(_page_addr 12)
	slot=$(_slot 12)
	swapfail target sf --pid "$VICTIM_PID" --addr "$page" --error ENODATA \
		>/tmp/target.out || return 1
	block=$(awk '$1 == "page" { print $8 }' /tmp/target.out)
	touch=$(_victim_cmd "touch 12" '^touch page=12 ') || return 1
	[ "$touch" = "touch page=12 sigbus addr=$page code=2" ] ||
		_fail "page 12: $touch" || return 1

	# the kernel's line, as dmesg prints it, on stdin
	_expect_dmesg 'Read-error on swap-device \([0-9]+:[0-9]+:[0-9]+\)' || return 1
	line=$(_dmesg_since_start | grep 'Read-error on swap-device' | tail -n 1)
	echo "$line" | swapfail resolve >/tmp/resolve || return 1
	sed "s/\<$VICTIM_PID\>/PID/; s/$page/PAGE/; s/\<$slot\>/SLOT/; s/\<$block\>/BLOCK/g
	     s/([0-9]*:[0-9]*:[0-9]*)/(SECTOR)/; s/ [0-9]*:[0-9]*:[0-9]*$/ MAJ:MIN:SECTOR/
	     /^path/s/ [0-9]*$/ N/" /tmp/resolve

	# the same as an argument, in JSON
	arg=$(echo "$line" | sed 's/.*swap-device (\([0-9:]*\)).*/\1/')
	swapfail resolve --json "$arg" >/tmp/resolve.json || return 1
	grep -q "\"processes\": \[{\"pid\": $VICTIM_PID, \"comm\": \"victim\", \"addr\": \"$page\"}\]" \
		/tmp/resolve.json || _fail "resolve --json: $(cat /tmp/resolve.json)" || return 1
	grep -o '"table": \[[^]]*\]' /tmp/resolve.json | sed "s/\<$block\>/BLOCK/g"

	# a sector that is no slot: the file's last block is past its slots
	echo "-- a sector in no swap area"
	swapfail resolve "${arg%:*}:8" >/dev/null 2>/tmp/err
	echo "exit $?: $(sed 's/([0-9]*:[0-9]*)/(MAJ:MIN)/' /tmp/err | head -n 1)"
}
