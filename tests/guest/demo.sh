#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The guest side of "make demo": one swapped page of a process fails to read.
# Prints a report between DEMO-BEGIN and DEMO-END; exits 0 if the read error
# reached exactly the chosen page and nothing else was lost.

SWAPFAIL_BIN=/swapfail/bin
SWAPFAIL_TEST_NAME=demo
SWAPFAIL_LEDGER=/dev/null
# shellcheck source=tests/integration/lib.sh
. /swapfail/integration/lib.sh

name=swapfail-demo
dev=/dev/mapper/$name
pages=256
page=100

fail() {
	echo "DEMO-BEGIN"
	echo "demo failed: $*"
	echo "DEMO-END"
	exit 1
}

_sf_create $name /dev/vda 4096 start_enabled || fail "cannot create $dev"
_swap_on $dev || fail "cannot swap on $dev"
cg=$(_cgroup $name 64M) || fail "cannot create a memory cgroup"
_victim_start "$cg" $pages || fail "the victim did not start"
_swap_out "$cg" $pages || fail "the victim's pages did not all go to swap"

addr=$(_page_addr $page)
slot=$(_slot $page)
sector=$((slot * 8))
injected=$(swapfail target $name --pid "$VICTIM_PID" --addr "$addr" --mode read) ||
	fail "swapfail target refused: $injected"
report=$(_victim_check) || fail "the victim did not report"

sigbus=$(echo "$report" | grep '^sigbus ')
checked=$(echo "$report" | grep '^checked ')
sigaddr=$(echo "$sigbus" | sed -n 's/.* addr=\([^ ]*\) .*/\1/p')
code=$(echo "$sigbus" | sed -n 's/.* code=\([0-9]*\)$/\1/p')
ok=$(echo "$checked" | sed -n 's/.* ok=\([0-9]*\) .*/\1/p')
corrupt=$(echo "$checked" | sed -n 's/.* corrupt=\([0-9]*\)$/\1/p')
klog=$(dmesg | grep -o 'Read-error on swap-device ([0-9:]*)' | tail -n 1)
[ "$code" = 2 ] && code="$code (BUS_ADRERR)"

verdict="PASS: the read error reached exactly page $page"
if [ "$(echo "$sigbus" | grep -c .)" -ne 1 ] || [ "$sigaddr" != "$addr" ] ||
   [ "$ok" != $((pages - 1)) ] || [ "$corrupt" != 0 ] || [ -z "$klog" ]; then
	verdict="FAIL: see the lines above"
fi

echo "DEMO-BEGIN"
cat <<REPORT
dm-swapfail demo on Linux $(uname -r)

  swap device  $dev ($(dmsetup info -c --noheadings -o major,minor $name)), swapfail over /dev/vda, 4 KiB blocks
  victim       pid $VICTIM_PID in memory cgroup $name, $pages pages, all pushed to swap
  the page     page $page at $addr is in swap slot $slot: sector $sector of $dev
  injected     swapfail target $name --pid $VICTIM_PID --addr $addr
               $(echo "$injected" | tail -n 1)
  signal       SIGBUS, si_code $code, at $sigaddr
  kernel log   $klog
  other pages  $ok of $((pages - 1)) read back intact, $corrupt corrupt
  target       $(_sf_info $name | cut -d' ' -f5-9)

  $verdict
REPORT
echo "DEMO-END"
case $verdict in
PASS*) exit 0 ;;
esac
exit 1
