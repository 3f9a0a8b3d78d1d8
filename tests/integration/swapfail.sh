# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# dm-swapfail helpers for the guest tests; lib.sh sources this file.

# _sf_create NAME DEV BLOCK_SIZE [FEATURE_ARG...]: create NAME as a swapfail
# device over the whole of DEV; feature words are counted for the table line.
_sf_create() {
	_sf_name=$1
	_sf_dev=$2
	_sf_table="0 $(_sectors "$2") swapfail $2 0 $3"
	shift 3
	[ $# -eq 0 ] || _sf_table="$_sf_table $# $*"
	_dm_create "$_sf_name" "$_sf_table"
}

# _sf_msg NAME WORD...: send a message to NAME's target; prints the answer.
_sf_msg() {
	_sf_name=$1
	shift
	dmsetup message "$_sf_name" 0 "$@"
}

# _sf_reject NAME WORD...: the message must be refused with EINVAL.
_sf_reject() {
	if _sf_out=$(_sf_msg "$@" 2>&1); then
		_fail "message '$*' was accepted"
		return 1
	fi
	case $_sf_out in
	*"Invalid argument"*) return 0 ;;
	esac
	_fail "message '$*' refused, but not with EINVAL: $_sf_out"
}

# _sf_info NAME: the status INFO of NAME's target (its key=value fields).
_sf_info() {
	dmsetup status "$1" | cut -d' ' -f4-
}

# _sf_field NAME KEY: one field of the status INFO.
_sf_field() {
	_sf_info "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# _sf_expect_field NAME KEY VALUE: fail unless the status field has VALUE.
_sf_expect_field() {
	_sf_value=$(_sf_field "$1" "$2")
	[ "$_sf_value" = "$3" ] ||
		_fail "$1: status $2=$_sf_value, expected $3"
}

# _sf_expect_io EXPECTED sfio-ARGS...: run sfio, fail unless it prints EXPECTED.
_sf_expect_io() {
	_sf_expected=$1
	shift
	_sf_got=$(sfio "$@")
	[ "$_sf_got" = "$_sf_expected" ] ||
		_fail "sfio $*: got '$_sf_got', expected '$_sf_expected'"
}
