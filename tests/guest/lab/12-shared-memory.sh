#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"
TITLE="A read error on swapped shared memory"
DESCRIPTION="a victim's 64 pages of a memfd go to swap, then every slot of the swap area fails reads; the victim touches its page 10 twice, another process read(2)s that page through /proc/PID/fd, the device becomes readable again and both try once more; then the same with System V shared memory"
READING="For shared memory (memfd, tmpfs, System V) a failed swap-in is permanent: the page is marked bad, every access SIGBUSes and other readers get EIO, even after the disk reads again, and the slot is freed. Unlike private memory, reclaim does not give the page another chance: the data is gone until the object is recreated."

# touch_page WHAT PAGE: the victim touches PAGE; the result and the device reads.
touch_page() {
	reads=$(_sf_field lab reads)
	result=$(_victim_cmd "touch $2" "^touch page=$2 " | cut -d' ' -f3-) || return 1
	reads=$(($(_sf_field lab reads) - reads))
	case $result in
	ok) result="the data reads back intact" ;;
	sigbus*)
		addr=$(echo "$result" | sed -n 's/.* addr=\([^ ]*\) .*/\1/p')
		where="at the page's own address"
		[ "$addr" = "$(_page_addr "$2")" ] || where="at $addr, not the page's address"
		result="SIGBUS ($(_sicode "${result##*code=}")) $where"
		;;
	esac
	_lab "$1" "$result; $reads read(s) reached the device"
}

# other_read WHAT FD PAGE: another process read(2)s PAGE of the victim's FD.
other_read() {
	reads=$(_sf_field lab reads)
	err=$(dd if="/proc/$VICTIM_PID/fd/$2" of=/tmp/lab-page bs=4096 skip="$3" count=1 \
		2>&1 >/dev/null)
	status=$?
	reads=$(($(_sf_field lab reads) - reads))
	if [ $status -eq 0 ]; then
		got=$(wc -c </tmp/lab-page)
		result="read(2) returns $got bytes"
	else
		result="dd exits $status: $(echo "$err" | grep -v 'records\|copied' | head -n 1 |
			sed 's/.*: //')"
	fi
	_lab "$1" "$result; $reads read(s) reached the device"
}

# fault_all: make every slot of the swap area fail reads, once only the
# victim's pages are in swap.
fault_all() {
	# the victim's output files in /tmp (tmpfs) are charged to its cgroup
	# and went to swap too: read them back in (shmem frees their slots),
	# and the victim's stdout buffer (touch of a page it does not have)
	find /tmp -type f -exec cat {} + >/dev/null
	_victim_cmd "touch 999999" '^touch page=999999 ' >/dev/null || return 1
	_lab "$1" "$(_smaps_swap "$VICTIM_ADDR") kB of the victim's shared memory (smaps Swap:)"
	_sf_msg lab add "1-$last" mode=read || return 1
	window=$(_sf_field lab reads) window_errors=$(_sf_field lab read_errors)
}

# readable_again WHAT: make the swap area readable again; the reads it saw
# meanwhile, all of them by the accesses above.
readable_again() {
	_sf_msg lab remove "1-$last" || return 1
	_lab "$1, reads of the swap area while it failed" "$(($(_sf_field lab reads) - window)) ($(($(_sf_field lab read_errors) - window_errors)) failed)"
}

requires() {
	_have_program swapfail
}

test() {
	_lab_swap || return $?
	last=$(($(_sectors /dev/mapper/lab) / 8 - 1))
	cg=$(_cgroup lab) || return 1
	_mapvictim_start "$cg" memfd 64 || return 1
	_shmem_swap_out "$cg" 64 || return 1
	fd=
	for f in /proc/"$VICTIM_PID"/fd/*; do
		case $(readlink "$f") in
		*memfd:*) fd=${f##*/} ;;
		esac
	done
	[ -n "$fd" ] || _fail "no memfd among the victim's descriptors" || return 1
	fault_all "memfd in swap" || return 1
	touch_page "memfd, first access" 10 || return 1
	touch_page "memfd, second access" 10 || return 1
	other_read "memfd, another process reads the page" "$fd" 10 || return 1
	_lab "memfd, in swap after the failure" "$(_smaps_swap "$VICTIM_ADDR") kB (smaps Swap:)"
	readable_again memfd || return 1
	touch_page "memfd, access once the device reads again" 10 || return 1
	other_read "memfd, another process once the device reads again" "$fd" 10 ||
		return 1
	touch_page "memfd, page 11 (not touched while failing)" 11 || return 1
	report=$(_victim_check) || return 1
	_lab "memfd, all 64 pages at the end" "$(echo "$report" | sed -n 's/^checked pages=64 //p')"
	echo exit >&9
	wait "$VICTIM_PID"

	_mapvictim_start "$cg" sysv 64 || return 1
	_shmem_swap_out "$cg" 64 || return 1
	fault_all "sysv in swap" || return 1
	touch_page "sysv, first access" 10 || return 1
	touch_page "sysv, second access" 10 || return 1
	readable_again sysv || return 1
	touch_page "sysv, access once the device reads again" 10 || return 1
	report=$(_victim_check) || return 1
	_lab "sysv, all 64 pages at the end" "$(echo "$report" | sed -n 's/^checked pages=64 //p')"
	_lab "kernel log" "$(dmesg | grep -c 'Read-error on swap-device') 'Read-error on swap-device' line(s)"
}
