#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="every verb takes the device as NAME, /dev/mapper/NAME (the path create prints), /dev/dm-N or MAJ:MIN; a block device that is no device-mapper device, or no swapfail one, is refused (exit 3)"

requires() {
	_have_program swapfail
}

test() {
	disk=$(_disk) || return $?
	_register_dm sf
	path=$(swapfail create sf "$disk") || return 1
	majmin=$(dmsetup info -c --noheadings -o major,minor sf | tr -d ' ')
	dm=/dev/$(basename "$(readlink -f "/sys/dev/block/$majmin")")
	[ -b "$dm" ] || mknod "$dm" b "${majmin%:*}" "${majmin#*:}"
	block=10
	for arg in sf "$path" "$dm" "$majmin"; do
		block=$((block + 1))
		swapfail add "$arg" $block || _fail "add $arg failed" || return 1
		name=$(swapfail status "$arg" | awk '$1 == "name" { print $2 }')
		[ "$name" = sf ] || _fail "status $arg: name '$name'" || return 1
	done
	swapfail list /dev/mapper/sf -n -o BLOCKS | tr '\n' ' '
	echo
	_dm_create lin "0 2048 linear $disk 0" || return 1
	swapfail status /dev/mapper/lin >/dev/null 2>/tmp/err
	echo "exit $?: $(cat /tmp/err)"
	swapfail status "$disk" >/dev/null 2>/tmp/err
	echo "exit $?: $(sed "s|$disk|DISK|; s/([0-9]*:[0-9]*)/(MAJ:MIN)/" /tmp/err)"
	swapfail remove "$majmin" || return 1
	! dmsetup info sf >/dev/null 2>&1 || _fail "remove MAJ:MIN left sf"
}
