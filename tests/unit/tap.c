// SPDX-License-Identifier: GPL-2.0-only
/* Runs a list of unit tests and prints TAP: one line per test. */
#include <stdio.h>

#include "tap.h"

int tap_failures;

int tap_run(const char *suite, const struct tap_test *tests, int n)
{
	int i, failed = 0;

	printf("1..%d\n", n);
	for (i = 0; i < n; i++) {
		tap_failures = 0;
		tests[i].fn();
		if (tap_failures)
			failed++;
		printf("%sok %d - %s/%s\n", tap_failures ? "not " : "", i + 1,
		       suite, tests[i].name);
	}
	printf("# %s: %d passed, %d failed\n", suite, n - failed, failed);
	return failed ? 1 : 0;
}
