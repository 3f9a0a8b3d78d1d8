#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="verified I/O stays intact while messages churn extents elsewhere and the device is suspended, resumed and reloaded"

requires() {
	_have_program fio
}

# churn SECONDS: messages of every kind on blocks 65536 and above (the
# verified area is blocks 0-65535), and every_nth too large to be reached.
churn() {
	end=$(($(cut -d. -f1 /proc/uptime) + $1))
	i=0
	while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
		b=$((65536 + (i * 7919) % 60000))
		case $((i % 9)) in
		0) _sf_msg sf add $b+16 mode=rw count=3 >/dev/null 2>&1 ;;
		1) _sf_msg sf add $((b + 20)) $((b + 40))-$((b + 50)) mode=write >/dev/null 2>&1 ;;
		2) _sf_msg sf remove $b-$((b + 100)) >/dev/null 2>&1 ;;
		3) _sf_msg sf list >/dev/null ;;
		4) _sf_msg sf every_nth_write $((4000000000 + i)) ;;
		5) _sf_msg sf every_nth_read 0 ;;
		6) _sf_msg sf disable && _sf_msg sf enable ;;
		7) _sf_msg sf addbadblock $((b + 60)) 2 >/dev/null 2>&1 ;;
		8) [ $((i % 45)) -eq 8 ] && _sf_msg sf clear ;;
		esac
		i=$((i + 1))
	done
	echo "$i" >/tmp/churned
}

# disturb SECONDS: reload the same table, or suspend and resume, every 2 s.
disturb() {
	end=$(($(cut -d. -f1 /proc/uptime) + $1))
	n=0
	while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
		sleep 2
		if [ $((n % 2)) -eq 0 ]; then
			dmsetup table sf | dmsetup load sf && dmsetup resume sf
		else
			dmsetup suspend sf && dmsetup resume sf
		fi || echo "disturb failed"
		n=$((n + 1))
	done
	echo "$n" >/tmp/disturbed
}

test() {
	disk=$(_disk) || return $?
	secs=${STRESS_SECONDS:-30}
	_sf_create sf "$disk" 4096 start_enabled quiet || return 1
	churn "$secs" &
	_register_pid $!
	disturb "$secs" &
	_register_pid $!
	fio --name=verified --filename=/dev/mapper/sf --direct=1 --rw=randwrite \
		--bs=4k --size=256m --ioengine=libaio --iodepth=16 \
		--verify=crc32c --verify_backlog=512 --verify_fatal=1 \
		--time_based --runtime="$secs" --minimal >/tmp/fio.out 2>&1
	status=$?
	wait
	[ $status -eq 0 ] || { cat /tmp/fio.out >&2; _fail "fio failed"; return 1; }
	awk -F';' '{ print "fio errors: " $5 }' /tmp/fio.out
	_kmsg "stress: ${secs} s, $(cat /tmp/churned) messages, $(cat /tmp/disturbed) reloads or suspends, writes $(_sf_field sf writes), reads $(_sf_field sf reads)"
	_sf_expect_field sf read_errors 0 || return 1
	_sf_expect_field sf write_errors 0 || return 1
	_dm_remove sf || return 1
	echo "removed cleanly"
}
