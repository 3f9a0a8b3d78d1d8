#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="concurrent writes healing holes in a read extent split it correctly, however fast they use up its spare room"

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 512 start_enabled quiet || return 1
	dev=/dev/mapper/sf
	_sf_msg sf add 0+100000 || return 1
	# 8 writers, 50 holes each, at sectors 1000 + 160 i + 20 w
	w=0
	while [ $w -lt 8 ]; do
		(
			i=0
			while [ $i -lt 50 ]; do
				sfio write "$dev" $((1000 + 160 * i + 20 * w)) 2 \
					--pattern 77 >/dev/null || echo "write failed"
				i=$((i + 1))
			done
		) &
		w=$((w + 1))
	done
	wait
	_sf_msg sf count
	_sf_expect_field sf healed 800 || return 1
	i=0
	while [ $i -lt 400 ]; do
		s=$((1000 + 20 * i))
		_sf_expect_io ok read "$dev" $s 2 --expect-pattern 77 || return 1
		_sf_expect_io EIO read "$dev" $((s + 2)) 1 || return 1
		i=$((i + 1))
	done
}
