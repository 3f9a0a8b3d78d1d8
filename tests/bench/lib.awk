# SPDX-License-Identifier: GPL-2.0-only
# What the reports of "make bench" share (awk -f lib.awk -f report-*.awk):
# reading a BENCH line's KEY=VALUE fields, and medians.

# The KEY=VALUE fields of the current line, into f[KEY].
function kv(    i, n) {
	delete f
	for (i = 2; i <= NF; i++) {
		n = index($i, "=")
		if (n)
			f[substr($i, 1, n - 1)] = substr($i, n + 1)
	}
}

# Sorts list[1..n] in place (insertion sort: a round's handful of values).
function sort_values(list, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && list[j - 1] > list[j]; j--) {
			t = list[j]; list[j] = list[j - 1]; list[j - 1] = t
		}
}

function median(list, n) {
	sort_values(list, n)
	return n % 2 ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
}

# Appends value to list[1..count] unless seen; returns the new count.
function add_unique(list, count, seen, value) {
	if (!(value in seen)) { seen[value] = 1; list[++count] = value }
	return count
}
