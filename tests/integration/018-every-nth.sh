#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="every_nth_read and every_nth_write fail every Nth I/O of their direction, counted from enable"

# reads N: print one sfio answer per read of sector 0.
reads() {
	i=0
	while [ $i -lt "$1" ]; do
		sfio read /dev/mapper/sf 0 1
		i=$((i + 1))
	done | tr '\n' ' '
	echo
}

writes() {
	i=0
	while [ $i -lt "$1" ]; do
		sfio write /dev/mapper/sf 8 1 --pattern 5
		i=$((i + 1))
	done | tr '\n' ' '
	echo
}

test() {
	disk=$(_disk) || return $?
	_sf_create sf "$disk" 512 every_nth_read 3 || return 1
	reads 3
	_sf_msg sf enable || return 1
	reads 7
	_sf_msg sf every_nth_write 2 || return 1
	writes 4
	reads 2
	_sf_msg sf error ENOSPC || return 1
	writes 2
	_sf_msg sf every_nth_read 0 || return 1
	reads 4
	_sf_msg sf every_nth_read 2 || return 1
	_sf_msg sf disable || return 1
	reads 2
	_sf_msg sf enable || return 1
	reads 4
	_sf_info sf | tr ' ' '\n' | grep -E '^(reads|writes|read_errors|write_errors|every_nth_read|every_nth_write)=' |
		tr '\n' ' ' | sed 's/ $//'
	echo
}
