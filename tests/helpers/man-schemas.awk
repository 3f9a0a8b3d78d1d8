# SPDX-License-Identifier: GPL-2.0-only
# The JSON schemas of swapfail(8) (tools/swapfail.8, section JSON OUTPUT)
# as a C table for jsoncheck: each ".TP" entry's name (.B or .I), then the
# lines of its ".nf" ... ".fi" block joined, troff escapes undone.
#   awk -f man-schemas.awk swapfail.8 > json-schemas.h

function untroff(s) {
	gsub(/\\\(dq/, "\"", s)
	gsub(/\\f[BIRP]/, "", s)
	gsub(/\\&/, "", s)
	gsub(/\\-/, "-", s)
	gsub(/\\e/, "\\", s)
	return s
}

function cstring(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}

BEGIN {
	print "/* Generated from tools/swapfail.8 by man-schemas.awk: do not edit. */"
	print "static const struct { const char *name, *schema; } json_schemas[] = {"
}

/^\.SH / { in_json = ($0 == ".SH JSON OUTPUT") }
!in_json { next }

/^\.TP/ { want_name = 1; next }
want_name && /^\.[BI] / {
	name = substr($0, 4)
	gsub(/"/, "", name)
	want_name = 0
	next
}
{ want_name = 0 }

/^\.nf/ { if (name != "") { in_schema = 1; schema = "" } next }
/^\.fi/ {
	if (in_schema)
		printf "\t{ %s, %s },\n", cstring(name), cstring(schema)
	in_schema = 0
	name = ""
	next
}
in_schema {
	line = untroff($0)
	sub(/^ +/, "", line)
	schema = schema (schema == "" ? "" : " ") line
}

END { print "};" }
