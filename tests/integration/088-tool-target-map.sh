#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail target --map picks pages of a named mapping ([heap]), --random N --seed S the same ones every time, with --json; shared memory (memfd, SysV) is refused, exit 7, as pagemap does not show its slots"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

requires() {
	_have_program swapfail && _have_program mapvictim
}

# picked FILE: the addresses of the pages in a target --json object, one per line.
picked() {
	grep -o '"addr": "0x[0-9a-f]*"' "$1" | cut -d'"' -f4
}

test() {
	disk=$(_disk) || return $?
	_sf_over "$disk" || return 1
	_swap_on /dev/mapper/sf || return 1
	cg=$(_cgroup sfheap) || return 1
	_mapvictim_start "$cg" heap 64 && _swap_out "$cg" 64 || return 1

	echo "-- slots --map '[heap]' --json"
	swapfail slots --pid "$VICTIM_PID" --map '[heap]' --json >/tmp/slots.json ||
		return 1
	echo "$(grep -o '"swapfail": "sf"' /tmp/slots.json | wc -l) pages on sf"
	grep -o '"exit": 0, "error": null}$' /tmp/slots.json

	echo "-- target --map '[heap]' --random 3 --seed 42, twice"
	swapfail target sf --pid "$VICTIM_PID" --map '[heap]' --random 3 --seed 42 \
		--json >/tmp/t1.json || return 1
	picked /tmp/t1.json >/tmp/p1
	swapfail clear sf || return 1
	swapfail target sf --pid "$VICTIM_PID" --map '[heap]' --random 3 --seed 42 \
		--json >/tmp/t2.json || return 1
	picked /tmp/t2.json >/tmp/p2
	cmp -s /tmp/p1 /tmp/p2 || _fail "seed 42 picked $(cat /tmp/p1), then $(cat /tmp/p2)" ||
		return 1
	wc -l </tmp/p1
	grep -o '"seed": 42' /tmp/t2.json
	grep -o '"injected": true' /tmp/t2.json
	# those three pages fail, at their addresses; the other 61 are intact
	report=$(_victim_check) || return 1
	echo "$report" | grep '^checked '
	while read -r a; do
		echo "$report" | grep -q "^sigbus page=[0-9]* addr=$a code=2$" ||
			_fail "no SIGBUS at $a" || return 1
	done </tmp/p1
	echo exit >&9

	for kind in memfd sysv; do
		echo "-- $kind"
		cg=$(_cgroup "sf$kind") || return 1
		_mapvictim_start "$cg" "$kind" 16 && _shmem_swap_out "$cg" 16 || return 1
		swapfail slots --pid "$VICTIM_PID" 2>&1 >/dev/null | grep -c "pagemap does not show the slots of shared memory"
		_expect_refusal 7 target sf --pid "$VICTIM_PID" --addr "$(_page_addr 5)" ||
			return 1
		map=$(awk -v a="${VICTIM_ADDR#0x}" '$1 ~ "^" a "-" { sub(/^([^ ]+ +){5}/, ""); print }' \
			"/proc/$VICTIM_PID/maps")
		_expect_refusal 7 target sf --pid "$VICTIM_PID" --map "$map" --all ||
			return 1
		echo exit >&9
	done
}
