#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="delay=T~J: reads and writes over the extent complete T later, give or take J, and others do not wait"

# _ms COMMAND...: milliseconds COMMAND took (its output dropped).
_ms() {
	timeit "$@" 2>&1 >/dev/null | awk '/^timeit: / { printf "%d\n", $2 * 1000 }'
}

# _spread DIR SECTOR: min, median and max of 9 timed I/Os, in ms.
_spread() {
	_sp_i=0
	while [ $_sp_i -lt 9 ]; do
		if [ "$1" = read ]; then
			_ms sfio read /dev/mapper/sf "$2" 8
		else
			_ms sfio write /dev/mapper/sf "$2" 8 --pattern 3
		fi
		_sp_i=$((_sp_i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print v[1], v[5], v[9] }'
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_sf_msg sf add 10 mode=rw delay=400ms~200ms || return 1
	for dir in read write; do
		# shellcheck disable=SC2046 # three numbers
		set -- $(_spread $dir 80)
		echo "$dir: min $1 median $2 max $3 ms" >&2
		[ "$1" -ge 190 ] || _fail "$dir: $1 ms, under 400 - 200" || return 1
		# the timer fires on time; what comes after it is the VM's
		[ "$3" -le 900 ] || _fail "$dir: $3 ms, far over 400 + 200" || return 1
		[ "$3" -gt "$1" ] || _fail "$dir: no jitter" || return 1
		# shellcheck disable=SC2046 # three numbers
		set -- $(_spread $dir 160)
		# the median: a debug kernel under a loaded host stalls a lone I/O
		# 200 ms and more now and then, a delay would hold back every one
		[ "$2" -lt 190 ] ||
			_fail "$dir: a block with no extent waited $2 ms (median)" || return 1
	done
	_sf_expect_field sf delayed 18 || return 1
	_sf_expect_field sf delaying 0
}
