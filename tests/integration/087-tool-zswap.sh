#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="with zswap on, slots says so and target warns: the error on a page zswap holds does nothing; --writeback pushes the page to the device first and it fails (6.8+; refused before); memory.zswap.writeback 0 is refused, nothing injected"
# shellcheck source=tests/integration/lib-layouts.sh
. "$TESTS_DIR/lib-layouts.sh"

ZSWAP=/sys/module/zswap/parameters/enabled

requires() {
	_have_program swapfail || return 1
	[ -w "$ZSWAP" ] || { echo "no zswap in this kernel"; return 1; }
}

test() {
	disk=$(_disk) || return $?
	_sf_over "$disk" || return 1
	_swap_on /dev/mapper/sf || return 1
	_register_param "$ZSWAP"
	echo Y >"$ZSWAP" || _fail "cannot turn zswap on" || return 1
	cg=$(_cgroup sfvictim) || return 1
	_swapped_victim "$cg" 64 || return 1
	zswapped=$(awk '$1 == "zswapped" { print $2 }' "$cg/memory.stat")
	[ "$zswapped" -gt 0 ] || _fail "no page of the victim in zswap" || return 1

	# slots says that zswap may hold the pages; target warns, and injects
	swapfail slots --pid "$VICTIM_PID" --addr "$(_page_addr 10)" \
		>/dev/null 2>/tmp/err || return 1
	grep -q "^swapfail: zswap is on .*cgroup $cg: [0-9]* kB in zswap" /tmp/err ||
		_fail "slots said nothing of zswap: $(cat /tmp/err)" || return 1
	swapfail target sf --pid "$VICTIM_PID" --addr "$(_page_addr 10)" \
		>/dev/null 2>/tmp/err || return 1
	grep -q "^swapfail: warning: zswap holds [0-9]* kB of the pages of cgroup $cg: an injected read error takes effect only for pages zswap has written to the device" /tmp/err ||
		_fail "target did not warn: $(cat /tmp/err)" || return 1
	# ...and the page comes back from zswap: the error never happens
	touch=$(_victim_cmd "touch 10" '^touch page=10 ') || return 1
	[ "$touch" = "touch page=10 ok" ] || _fail "page 10: $touch" || return 1
	_sf_expect_field sf read_errors 0 || return 1

	if [ ! -e "$cg/memory.zswap.writeback" ]; then
		# before 6.8: --writeback is refused, and says which kernels have it
		_expect_refusal 2 target sf --pid "$VICTIM_PID" --addr "$(_page_addr 11)" \
			--writeback || return 1
		grep -q "Linux 6.8 and later" /tmp/refusal.err ||
			_fail "--writeback did not name the kernels that have it" || return 1
		return 0
	fi

	# --writeback: page 11 to the device, then its error happens
	swapfail target sf --pid "$VICTIM_PID" --addr "$(_page_addr 11)" \
		--writeback >/dev/null || return 1
	touch=$(_victim_cmd "touch 11" '^touch page=11 ') || return 1
	[ "$touch" = "touch page=11 sigbus addr=$(_page_addr 11) code=2" ] ||
		_fail "page 11 after --writeback: $touch" || return 1
	_sf_expect_field sf read_errors 1 || return 1
	[ "$(cat "$cg/memory.zswap.max")" = max ] ||
		_fail "memory.zswap.max left at $(cat "$cg/memory.zswap.max")" || return 1

	# memory.zswap.writeback 0: zswap keeps the pages; target refuses
	echo exit >&9
	cg2=$(_cgroup sfnowriteback) || return 1
	echo 0 >"$cg2/memory.zswap.writeback"
	_swapped_victim "$cg2" 16 || return 1
	_expect_refusal 7 target sf --pid "$VICTIM_PID" --addr "$(_page_addr 3)" ||
		return 1
	grep -q "memory.zswap.writeback is 0" /tmp/refusal.err ||
		_fail "the refusal does not say why: $(cat /tmp/refusal.err)"
}
