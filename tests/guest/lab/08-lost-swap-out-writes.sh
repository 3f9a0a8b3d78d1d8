#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="Lost swap-out writes"
DESCRIPTION="on a zeroed disk victims A (16 pages) and B (32 pages) are swapped out and exit, and swap is turned off and on again; then every swap-out write of victim C (64 pages) is dropped (the write succeeds, nothing is written); what its slots hold and what it reads back"
READING="A swap disk that acknowledges writes without doing them is the worst case: nothing in the kernel notices, no log line, no error, and the process reads back whatever the slots held before, zeros or other pages' old data. Only checksums in the application (or a swap layer that has them) can catch this."

# slot_holds SLOT: what the slot's first 8 bytes are: "zeros", "page N" (the
# first word of a victim's page N) or "other".
slot_holds() {
	_w=$(sfio read /dev/mapper/lab $(($1 * 8)) 8 --dump 0 8 | sed -n 's/^dump //p')
	case $_w in
	0000000000000000) echo zeros; return ;;
	6d6c61??????????) ;;
	*) echo other; return ;;
	esac
	# little-endian: bytes 3-7 are the word's bits 24-63, the page number's xor
	_b=$(echo "$_w" | sed 's/^\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)$/\8\7\6\5\4/')
	echo "page $((0x$_b ^ 0x5377617046))"
}

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_sf_create lab "$disk" 4096 start_enabled quiet || return 1
	# the disk is shared with the scenarios before: zeroed, a slot nobody
	# wrote in this run reads back zeros
	dd if=/dev/zero of=/dev/mapper/lab bs=1M oflag=direct 2>/dev/null
	_swap_on /dev/mapper/lab || return 1
	cg=$(_cgroup lab) || return 1
	# slots from 1 on: victim A's 16 pages, then victim B's 32
	_swapped_victim "$cg" 16 || return 1
	exec 8>&9
	_swapped_victim "$cg" 32 || return 1
	echo exit >&8
	echo exit >&9
	wait
	# a new swapon allocates from the area's start again, over their data
	swapoff /dev/mapper/lab && swapon /dev/mapper/lab ||
		_fail "swapoff and swapon failed" || return 1
	_kmsg "mark"
	writes=$(_sf_field lab writes)
	_sf_msg lab add 1-$(($(_sectors "$disk") / 8 - 1)) mode=write drop || return 1
	_swapped_victim "$cg" 64 || return 1
	_sf_msg lab clear || return 1
	_lab "swap-out" "$(($(_sf_field lab writes) - writes)) write(s), $(_sf_field lab dropped) dropped, $(_sf_field lab write_errors) failed; $(_victim_swapped 64) of 64 pages in swap"
	zeros=0 same=0 other_page=0 other=0 p=0
	while [ $p -lt 64 ]; do
		slot=$(_slot $p)
		[ -n "$slot" ] || _fail "page $p is not in swap" || return 1
		case $(slot_holds "$slot") in
		zeros) zeros=$((zeros + 1)) ;;
		"page $p") same=$((same + 1)) ;;
		page*) other_page=$((other_page + 1)) ;;
		*) other=$((other + 1)) ;;
		esac
		p=$((p + 1))
	done
	_lab "what the 64 slots hold" "$zeros zeros, $same the same page's data left by victim A or B, $other_page another page's data left by A or B, $other something else (the victims' other anonymous pages, stdio buffers, are swapped too)"
	report=$(_victim_check) || return 1
	_lab "the victim reads back" "$(echo "$report" | sed -n 's/^checked pages=64 ok=\([0-9]*\) sigbus=\([0-9]*\) corrupt=\([0-9]*\)$/\1 pages as it wrote them, \3 wrong, \2 SIGBUS/p')"
	lines=$(dmesg | awk '/swapfail-test: .*: mark$/ { n = 0; next } { n++ } END { print n + 0 }')
	_lab "kernel log" "$lines line(s) from the dropped swap-outs to the end of the check"
}
