#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source=tests/integration/lib-actions.sh
. "$TESTS_DIR/lib-actions.sh"
TITLE="64 KiB large folios (mTHP) swapped out over a failing sector"
DESCRIPTION="anonymous memory in 64 KiB folios (multi-size THP, 2 MiB pages off) on a non-rotational swapfail device: a victim's 512 pages go to swap, the slot of its page 100 becomes unreadable and it reads them all back; then one swap-out write fails. A kernel without multi-size THP gives the victim 4 KiB pages"
READING="Anonymous 64 KiB folios (multi-size THP, from 6.8) go to swap whole, 16 adjacent slots each, but come back from a swapfail device page by page: one unreadable slot costs one 4 KiB page, as with small pages. These kernels read a large folio back whole only from a synchronous device (zram, pmem), which a device-mapper device never is. One failed swap-out write loses nothing: the folio stays in memory and goes out again."

MTHP=/sys/kernel/mm/transparent_hugepage/hugepages-64kB

# mstat NAME: the 64 KiB size's counter NAME, "-" where the kernel has none.
mstat() {
	cat "$MTHP/stats/$1" 2>/dev/null || echo -
}

# since BEFORE NAME: how much the counter NAME grew since BEFORE.
since() {
	_now=$(mstat "$2")
	if [ "$_now" = - ] || [ "$1" = - ]; then
		echo "no $2 counter"
	else
		echo "$2 +$((_now - $1))"
	fi
}

# folios_whole: how many aligned runs of 16 pages of the victim sit in 16
# adjacent, aligned slots, as a 64 KiB folio swapped out whole does.
folios_whole() {
	# shellcheck disable=SC2153 # VICTIM_ADDR: set by lib.sh's _victim_start
	pagemap "$VICTIM_PID" "$VICTIM_ADDR" 512 | awk '
		$2 == "swap" { slot[n++] = $4 }
		END {
			for (f = 0; f < n / 16; f++) {
				s = slot[f * 16]
				ok = s % 16 == 0
				for (i = 1; i < 16; i++)
					ok = ok && slot[f * 16 + i] == s + i
				whole += ok
			}
			print whole + 0
		}'
}

# lost REPORT: the pages the victim's check REPORT lost, as ranges.
lost() {
	echo "$1" | awk '
		/^sigbus / { sub("page=", "", $2); p = $2 + 0
			if (n && p == last + 1) { last = p; next }
			if (n) out = out (first == last ? first : first "-" last) ","
			first = last = p; n++ }
		END {
			if (n) out = out (first == last ? first : first "-" last)
			print n ? "page(s) " out : "none"
		}'
}

requires() {
	_have_program swapfail || return 1
	[ -e /sys/kernel/mm/transparent_hugepage/enabled ] ||
		{ echo "no transparent huge pages"; return 1; }
}

# mthp_on: 64 KiB folios for anonymous memory, no 2 MiB ones; says which.
mthp_on() {
	if [ ! -d "$MTHP" ]; then
		_lab "folio size" "no multi-size THP in this kernel: 4 KiB pages"
		_set /sys/kernel/mm/transparent_hugepage/enabled never
		return
	fi
	_set /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled never &&
		_set "$MTHP/enabled" always
}

test() {
	disk=$(_disk) || return $?
	_nonrotational "$disk" || return 1
	mthp_on || return 1
	_lab_swap || return 1
	cg=$(_cgroup lab) || return 1
	alloc=$(mstat anon_fault_alloc) out=$(mstat swpout) fallback=$(mstat swpout_fallback)
	_victim_start "$cg" 512 --thp || return 1
	[ ! -d "$MTHP" ] ||
		_lab "folio size" "64 KiB: $(since "$alloc" anon_fault_alloc) while the victim started (its 512 pages make 32 folios)"
	writes=$(_sf_field lab writes)
	_swap_out "$cg" 512 || return 1
	_lab "swap-out" "$(($(_sf_field lab writes) - writes)) device writes; $(folios_whole) of 32 runs of 16 pages in 16 adjacent, aligned slots; $(since "$out" swpout), $(since "$fallback" swpout_fallback)"
	swapfail target lab --pid "$VICTIM_PID" --addr "$(_page_addr 100)" >/dev/null ||
		return 1
	reads=$(_sf_field lab reads) failed=$(_sf_field lab read_errors) swpin=$(mstat swpin)
	report=$(_victim_check) || return 1
	_lab "reading it back with slot of page 100 unreadable" "lost $(lost "$report"); $(echo "$report" | sed -n 's/^checked pages=512 ok=\([0-9]*\) .* corrupt=\([0-9]*\)$/\1 intact, \2 corrupt/p')"
	_lab "swap-in" "$(($(_sf_field lab reads) - reads)) device reads, $(($(_sf_field lab read_errors) - failed)) failed; $(since "$swpin" swpin)"
	echo exit >&9
	wait "$VICTIM_PID"

	_victim_start "$cg" 512 --thp || return 1
	errors=$(_sf_field lab write_errors)
	_sf_msg lab clear || return 1
	_sf_msg lab add "$(_swap_blocks /dev/mapper/lab)" mode=write count=1 || return 1
	_swap_out "$cg" 512 || return 1
	_lab "one failed swap-out write" "$(($(_sf_field lab write_errors) - errors)) write bio(s) failed; $(_victim_check | grep '^checked' | sed 's/^checked //')"
}
