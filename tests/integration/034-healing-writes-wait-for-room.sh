#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="writes that need more room to heal than the table has wait for it to grow, then heal and land"

# A resume releases every write queued during the suspend at once, from one
# worker, faster than the table can grow: 60 holes in one extent need more
# than its 16 spare slots.
test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 512 start_enabled quiet || return 1
	dev=/dev/mapper/sf
	_sf_msg sf add 0+10000 || return 1
	dmsetup suspend sf || return 1
	i=0
	while [ $i -lt 60 ]; do
		sfio write "$dev" $((100 + 100 * i)) 1 --pattern 5 >/dev/null &
		i=$((i + 1))
	done
	tries=100
	while [ "$(pgrep -c sfio)" -lt 60 ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	sleep 1
	dmsetup resume sf || return 1
	wait
	_sf_msg sf count
	_sf_expect_field sf healed 60 || return 1
	[ "$(_sf_field sf deferred)" -gt 0 ] ||
		_fail "no write had to wait: the test did not reach its case" ||
		return 1
	i=0
	while [ $i -lt 60 ]; do
		s=$((100 + 100 * i))
		_sf_expect_io ok read "$dev" $s 1 --expect-pattern 5 || return 1
		_sf_expect_io EIO read "$dev" $((s + 1)) 1 || return 1
		i=$((i + 1))
	done
}
