#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
DESCRIPTION="sizes take suffixes (4k, 1M, 64MiB), probabilities a percentage (10%), and every number is range-checked, the refusal naming it"

test() {
	expect 0 "" --check create sf /dev/null --block-size 4k --offset 1M || return 1
	expect 0 "" --check add sf 5 --corrupt xor --at 1k --bytes 64 || return 1
	expect 0 "" --check probability sf read 10% || return 1
	expect 0 "" --check probability sf write 0.001% || return 1
	expect 2 "'150%': more than 1" --check probability sf read 150% || return 1
	expect 2 "'1.5': more than 1" --check probability sf read 1.5 || return 1
	expect 2 "'4q': unknown suffix 'q'" --check create sf /dev/null -b 4q || return 1
	expect 2 "--bytes '65': out of range \(1 to 64\)" \
		--check add sf 5 --corrupt xor --bytes 65 || return 1
	expect 2 "--count '-1': not a number" --check add sf 5 --count -1 || return 1
	expect 2 "--pid '99999999999': out of range" --check slots --pid 99999999999 ||
		return 1
	expect 2 "every-nth '4294967296': out of range" \
		--check every-nth sf read 4294967296
}
