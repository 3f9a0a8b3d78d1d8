#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="malformed table lines are refused with their reason in the kernel log, and leave no device"

# refuse REASON TABLE: creating a device from TABLE fails and logs REASON once more.
refuse() {
	before=$(_dmesg_since_start | grep -c -F "$1")
	if printf '%s\n' "$2" | dmsetup create --noudevsync bad 2>/dev/null; then
		_register_dm bad
		_fail "accepted: $2"
		return 1
	fi
	if dmsetup info bad >/dev/null 2>&1; then
		_register_dm bad
		_fail "device left behind by: $2"
		return 1
	fi
	after=$(_dmesg_since_start | grep -c -F "$1")
	[ "$after" -gt "$before" ] || _fail "no '$1' logged for: $2"
}

test() {
	disk=$(_disk) || return $?
	t="0 $(_sectors "$disk") swapfail"
	refuse "Invalid argument count" "$t $disk" || return 1
	refuse "Invalid argument count" "$t $disk 0" || return 1
	refuse "Invalid block size parameter" "$t $disk 0 0" || return 1
	refuse "Invalid block size parameter" "$t $disk 0 4k" || return 1
	refuse "Invalid block size parameter" "$t $disk 0 99999999999" || return 1
	refuse "Block size must be at least 512" "$t $disk 0 256" || return 1
	refuse "Block size must be a power of 2" "$t $disk 0 1536" || return 1
	refuse "Block size is too large" "$t $disk 0 2147483648" || return 1
	refuse "Block size is too large" "0 4 swapfail $disk 0 4096" || return 1
	refuse "Invalid device offset sector" "$t $disk -1 512" || return 1
	refuse "Invalid device offset sector" "$t $disk 0x10 512" || return 1
	refuse "Invalid number of feature arguments" "$t $disk 0 512 1" || return 1
	refuse "Invalid number of feature arguments" "$t $disk 0 512 2 quiet" ||
		return 1
	refuse "Unrecognised feature requested" "$t $disk 0 512 1 loud" || return 1
	refuse "Feature given twice" "$t $disk 0 512 2 quiet quiet" || return 1
	refuse "Invalid every_nth_read value" "$t $disk 0 512 1 every_nth_read" ||
		return 1
	refuse "Invalid every_nth_write value" \
		"$t $disk 0 512 2 every_nth_write -1" || return 1
	refuse "Invalid error name" "$t $disk 0 512 2 error EPERM" || return 1
	refuse "Device lookup failed" "$t /dev/nonexistent 0 512" || return 1
	refuse "too small for target" "$t $disk 8 512"
}
