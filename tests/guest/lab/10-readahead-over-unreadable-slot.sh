#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
TITLE="Swap readahead next to an unreadable slot"
DESCRIPTION="page P of a victim is in slot S and page P+1 in slot S+1, which is made unreadable; the victim touches page P only, then the error is removed and it touches page P+1 twice, and once more after its cgroup is reclaimed; with vm.page-cluster 3 (Linux's default) and 0. Device reads count all the victim's swap-ins, of its stdio buffers too"
READING="With swap readahead on (vm.page-cluster 3, the default), a readahead error hits pages the process had not asked for. On 6.1 and 6.12 the page asked for is fine, but its neighbour, read ahead as failed, SIGBUSes on every touch without another device read, even once its slot reads again, until reclaim drops it. On 7.3 the readahead window is read in one bio, so one unreadable slot fails the whole window: the page asked for SIGBUSes too, although its own slot reads. With page-cluster 0 there is no window, and one bad slot costs one page on every kernel."

# touch_page PAGE: touch a page of the victim; print the result, the device
# reads it took and how many of them failed.
touch_page() {
	_tp_reads=$(_sf_field lab reads)
	_tp_errors=$(_sf_field lab read_errors)
	_tp_result=$(_victim_cmd "touch $1" "^touch page=$1 " | cut -d' ' -f3-) ||
		return 1
	# a readahead's reads may still be in flight
	sleep 0.5
	case $_tp_result in
	ok) _tp_result="read back intact" ;;
	corrupt) _tp_result="read back wrong" ;;
	sigbus*) _tp_result="SIGBUS ($(_sicode "${_tp_result##*code=}"))" ;;
	esac
	echo "$_tp_result; $(($(_sf_field lab reads) - _tp_reads)) device read(s), $(($(_sf_field lab read_errors) - _tp_errors)) failed"
}

# round CLUSTER: the experiment with vm.page-cluster CLUSTER.
round() {
	echo "$1" >/proc/sys/vm/page-cluster
	cg=$(_cgroup "lab$1") || return 1
	_swapped_victim "$cg" 64 || return 1
	p=20
	while [ $p -lt 60 ]; do
		s=$(_slot $p)
		[ "$(_slot $((p + 1)))" = $((s + 1)) ] && break
		p=$((p + 1))
	done
	if [ $p -eq 60 ]; then
		_lab "page-cluster $1" "no page P of 20-59 whose next page is in the next slot"
		return 0
	fi
	_kmsg "mark"
	_sf_msg lab add $((s + 1)) || return 1
	wanted=$(touch_page $p) || return 1
	_lab "page-cluster $1, touching page P" "$wanted"
	_sf_msg lab remove $((s + 1)) || return 1
	first=$(touch_page $((p + 1))) || return 1
	second=$(touch_page $((p + 1))) || return 1
	echo $((64 * 4096 * 4)) >"$cg/memory.reclaim" 2>/dev/null
	third=$(touch_page $((p + 1))) || return 1
	_lab "page-cluster $1, page P+1, its slot readable again" "$first; again: $second; after reclaiming the cgroup: $third"
	_lab "page-cluster $1, kernel log" "$(dmesg | awk '/swapfail-test: .*: mark$/ { n = 0; next } /Read-error on swap-device/ { n++ } END { print n + 0 }') 'Read-error on swap-device' line(s)"
	echo exit >&9
	wait "$VICTIM_PID"
}

test() {
	_register_param /proc/sys/vm/page-cluster
	_lab_swap || return $?
	_lab "swap readahead" "vma_ra_enabled=$(cat /sys/kernel/mm/swap/vma_ra_enabled 2>/dev/null || echo '(none)')"
	round 3 || return 1
	round 0
}
