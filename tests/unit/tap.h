/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal TAP reporter for the userspace unit tests: each test is a
 * function; EXPECT() records a failure with its line and carries on, so
 * one run shows every broken expectation.
 */
#ifndef SWAPFAIL_TAP_H
#define SWAPFAIL_TAP_H

#include <stdio.h>

extern int tap_failures;	/* failed expectations in the current test */

#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("#   %s:%d: expected %s\n", __FILE__,	\
			       __LINE__, #cond);			\
			tap_failures++;					\
		}							\
	} while (0)

#define EXPECT_EQ(a, b)							\
	do {								\
		unsigned long long __a = (a), __b = (b);		\
		if (__a != __b) {					\
			printf("#   %s:%d: %s == %llu, expected %llu\n",\
			       __FILE__, __LINE__, #a, __a, __b);	\
			tap_failures++;					\
		}							\
	} while (0)

#define EXPECT_STR(a, b)						\
	do {								\
		const char *__a = (a), *__b = (b);			\
		if (strcmp(__a, __b)) {					\
			printf("#   %s:%d: %s is \"%s\", expected \"%s\"\n",\
			       __FILE__, __LINE__, #a, __a, __b);	\
			tap_failures++;					\
		}							\
	} while (0)

struct tap_test {
	const char *name;
	void (*fn)(void);
};

#define TAP_TEST(fn)	{ #fn, fn }

int tap_run(const char *suite, const struct tap_test *tests, int n);

#endif /* SWAPFAIL_TAP_H */
