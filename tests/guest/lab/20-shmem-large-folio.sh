#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"
TITLE="Shared memory in huge pages, one failed swap-in"
DESCRIPTION="shmem huge pages on (shmem_enabled=always): a victim's 512-page memfd goes to swap; while every slot fails reads the victim touches its page 100 only; then the device reads again and the victim reads all 512 pages, twice"
READING="6.1 splits a shared-memory huge page before it goes to swap; from 6.12 it goes out whole. Either way it comes back from a swapfail device page by page, so one failed swap-in loses one 4 KiB page, permanently, as for all shared memory (scenario 12), and the other 511 come back. The kernels read a large shmem folio back whole, and would lose all of it, only from a synchronous device (zram, pmem), which a device-mapper device never is."

SHMEM=/sys/kernel/mm/transparent_hugepage/shmem_enabled

# lost REPORT: how many pages the victim's check REPORT lost, and which.
lost() {
	echo "$1" | awk '
		/^sigbus / { sub("page=", "", $2); p = $2 + 0
			if (n && p == last + 1) { last = p; n++; next }
			if (n) out = out (first == last ? first : first "-" last) ","
			first = last = p; n++ }
		END {
			if (n) out = out (first == last ? first : first "-" last)
			print n ? n " lost (page(s) " out ")" : "none lost"
		}'
}

# shmem_huge_kb: kB of shmem in huge pages (/proc/meminfo's ShmemHugePages).
shmem_huge_kb() {
	awk '$1 == "ShmemHugePages:" { print $2 }' /proc/meminfo
}

requires() {
	_have_program swapfail || return 1
	[ -e "$SHMEM" ] || { echo "no shmem huge pages"; return 1; }
}

# huge_shmem: shmem in 2 MiB folios for the victim's memfd.
huge_shmem() {
	_set "$SHMEM" always || return 1
	# from 6.11 each size has its own switch, "inherit" follows shmem_enabled
	_hs_size=/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/shmem_enabled
	[ ! -e "$_hs_size" ] || _set "$_hs_size" inherit
}

# check WHAT: the victim reads all its pages; what it lost.
check() {
	_c_reads=$(_sf_field lab reads)
	_c_report=$(_victim_check) || return 1
	_lab "$1" "$(lost "$_c_report"); $(($(_sf_field lab reads) - _c_reads)) device reads"
}

test() {
	disk=$(_disk) || return $?
	_nonrotational "$disk" || return 1
	huge_shmem || return 1
	_lab_swap || return 1
	last=$(($(_sectors /dev/mapper/lab) / 8 - 1))
	cg=$(_cgroup lab) || return 1
	huge=$(shmem_huge_kb) swpout=$(_vmstat thp_swpout) fallback=$(_vmstat thp_swpout_fallback)
	_mapvictim_start "$cg" memfd 512 || return 1
	_lab "huge pages" "ShmemHugePages +$(($(shmem_huge_kb) - huge)) kB for the victim's 2048 kB"
	_shmem_swap_out "$cg" 512 || return 1
	_lab "swap-out" "thp_swpout +$(($(_vmstat thp_swpout) - swpout)), thp_swpout_fallback +$(($(_vmstat thp_swpout_fallback) - fallback))"
	# the victim's files in /tmp went to swap too: read them back before the
	# device fails, and the victim's output buffer with them
	find /tmp -type f -exec cat {} + >/dev/null
	_victim_cmd "touch 999999" '^touch page=999999 ' >/dev/null || return 1
	_sf_msg lab add "1-$last" mode=read || return 1
	reads=$(_sf_field lab reads) failed=$(_sf_field lab read_errors)
	result=$(_victim_cmd "touch 100" '^touch page=100 ' | cut -d' ' -f3-) || return 1
	case $result in
	sigbus*) result="SIGBUS ($(_sicode "${result##*code=}"))" ;;
	esac
	_lab "touching page 100 while reads fail" "$result; $(($(_sf_field lab reads) - reads)) device reads, $(($(_sf_field lab read_errors) - failed)) failed"
	_sf_msg lab remove "1-$last" || return 1
	check "all 512 pages, the device readable again" || return 1
	check "all 512 pages, again" || return 1
}
