#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="injected failures are logged (rate-limited) unless quiet"

logged() {
	_dmesg_since_start | grep -c 'swapfail: .*: read of block 3 failed with ENODATA'
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	_sf_msg sf add 3 mode=rw error=ENODATA || return 1
	_sf_expect_io ENODATA read /dev/mapper/sf 24 8 || return 1
	[ "$(logged)" -eq 0 ] || _fail "logged while quiet" || return 1
	_sf_msg sf quiet off || return 1
	_sf_expect_io ENODATA read /dev/mapper/sf 24 8 || return 1
	[ "$(logged)" -eq 1 ] || _fail "not logged once: $(logged)" || return 1
	i=0
	while [ $i -lt 200 ]; do
		sfio read /dev/mapper/sf 24 8 >/dev/null
		i=$((i + 1))
	done
	[ "$(logged)" -lt 100 ] || _fail "not rate-limited: $(logged) lines"
}
