#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="swapfail enable, disable, error, every-nth, quiet and reset-stats change what fails and what status shows"

requires() {
	_have_program swapfail
}

# io DIR N: N one-sector reads or writes of sector 0; their answers on one line.
io() {
	i=0
	while [ $i -lt "$2" ]; do
		if [ "$1" = read ]; then
			sfio read /dev/mapper/sf 0 1
		else
			sfio write /dev/mapper/sf 0 1 --pattern 7
		fi
		i=$((i + 1))
	done | tr '\n' ' ' | sed 's/ $//'
	echo
}

# fields KEY...: those status fields, on one line.
fields() {
	swapfail status sf | awk -v keys=" $* " \
		'index(keys, " " $1 " ") { printf "%s%s=%s", sep, $1, $2; sep = " " }
		 END { print "" }'
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	swapfail create sf "$disk" --block-size 512 >/dev/null || return 1
	swapfail add sf 0 --mode rw || return 1
	io read 1
	swapfail enable sf || return 1
	io read 1
	swapfail error sf ENODATA || return 1
	io read 1
	swapfail disable sf || return 1
	io read 1
	fields mode error
	swapfail clear sf || return 1
	swapfail enable sf || return 1
	swapfail every-nth sf read 2 || return 1
	io read 4
	swapfail every-nth sf read 0 || return 1
	swapfail every-nth sf write 3 || return 1
	io write 3
	io read 2
	swapfail quiet sf on || return 1
	fields mode quiet every_nth_read every_nth_write error reads writes read_errors write_errors
	swapfail quiet sf off || return 1
	swapfail reset-stats sf || return 1
	fields quiet reads writes read_errors write_errors
}
