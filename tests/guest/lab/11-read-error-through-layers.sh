#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="A read error through a swap file and through dm-crypt"
DESCRIPTION="as in scenario 1, page 10's slot of a victim with 64 swapped pages is made unreadable (swapfail target follows the layers), with swap on the swapfail device itself, on a swap file on ext4 over it, and on dm-crypt (plain, random key, offset 2048) over it"
READING="Swap on an ext4 file or on dm-crypt does not change what the process sees: the same SIGBUS at the same address. What changes is the kernel log's line, which names the top device (the file's block device, or the dm-crypt device) and its sector, not the failing disk under it; finding the failing disk takes the layers' mapping."
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

requires() {
	_have_program swapfail && _have_program mkfs.ext4 && _have_module ext4 &&
		_have_program cryptsetup && _have_module dm-crypt
}

# fail_page10 LAYOUT SWAP: with swap on SWAP, make a swapped victim's page
# 10 unreadable and report what the victim and the kernel log saw.
fail_page10() {
	cg=$(_cgroup "lab$((${_victims:-0} + 1))") || return 1
	_swapped_victim "$cg" 64 || return 1
	slot=$(_slot 10)
	_kmsg "mark"
	swapfail target lab --pid "$VICTIM_PID" --addr "$(_page_addr 10)" \
		>"$SWAPFAIL_RESULT/target" || return 1
	block=$(awk '$1 == "page" { print $8 }' "$SWAPFAIL_RESULT/target")
	report=$(_victim_check) || return 1
	_lab "$1, the victim" "$(_sigbus_summary "$report" 10); $(echo "$report" | sed -n 's/^checked pages=64 ok=\([0-9]*\) .* corrupt=\([0-9]*\)$/\1 of 63 other pages intact, \2 corrupt/p')"
	dmesg | awk '/swapfail-test: .*: mark$/ { n = 0; next } { l[n++] = $0 }
		END { for (i = 0; i < n; i++) print l[i] }' >"$SWAPFAIL_RESULT/log"
	line=$(grep -o 'Read-error on swap-device ([0-9:]*)' "$SWAPFAIL_RESULT/log" | tail -n 1)
	dev=$(echo "$line" | sed -n 's/.*(\([0-9]*:[0-9]*\):[0-9]*)$/\1/p')
	sector=$(echo "$line" | sed -n 's/.*:\([0-9]*\))$/\1/p')
	name=$(cat "/sys/dev/block/$dev/dm/name" 2>/dev/null ||
		basename "$(readlink "/sys/dev/block/$dev")" 2>/dev/null)
	where="sector $sector"
	[ "$sector" = $((block * 8)) ] && where="sector $sector, the swapfail block's"
	[ "$sector" = $((slot * 8)) ] && where="sector $sector, the slot's"
	[ "$sector" = $((slot * 8)) ] && [ "$slot" = "$block" ] &&
		where="sector $sector, the slot's and the swapfail block's"
	[ -n "$line" ] && line="'$line': ${name:-?}, $where; " || line="no 'Read-error on swap-device' line; "
	others=$(grep -v -e 'Read-error on swap-device' -e 'swapfail-test:' "$SWAPFAIL_RESULT/log" |
		sed 's/^\[[ 0-9.]*\] //')
	if [ -n "$others" ]; then
		others="$(echo "$others" | wc -l) other line(s): $(echo "$others" | head -n 2 | tr '\n' ' ')"
	else
		others="no other line"
	fi
	_lab "$1, kernel log" "$line$others"
	_lab "$1, slot and swapfail block" "slot $slot, block $block; $(_sf_field lab read_errors) device read(s) failed"
	echo exit >&9
	wait "$VICTIM_PID"
	swapoff "$2" && swapfail clear lab && swapfail reset-stats lab
}

test() {
	disk=$(_disk) || return $?
	dd if=/dev/zero of="$disk" bs=1M count=1 conv=fsync 2>/dev/null
	_register_dm lab
	swapfail create lab "$disk" --start-enabled --quiet >/dev/null || return 1

	_swap_on /dev/mapper/lab || return 1
	fail_page10 "swapfail device" /dev/mapper/lab || return 1

	_mkfs_mount ext4 /dev/mapper/lab /mnt/lab || return 1
	_swapfile /mnt/lab/swapfile 32 || return 1
	fail_page10 "swap file on ext4" /mnt/lab/swapfile || return 1
	umount /mnt/lab || return 1

	modprobe dm-crypt
	_register_dm labcrypt
	cryptsetup open -q --type plain --cipher aes-xts-plain64 --key-size 256 \
		--key-file /dev/urandom --offset 2048 /dev/mapper/lab labcrypt ||
		_fail "cryptsetup open --type plain failed" || return 1
	_swap_on /dev/mapper/labcrypt || return 1
	fail_page10 "dm-crypt plain" /dev/mapper/labcrypt
}
