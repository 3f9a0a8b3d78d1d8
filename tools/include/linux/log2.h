/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for <linux/log2.h>. */
#ifndef SWAPFAIL_TOOLS_LINUX_LOG2_H
#define SWAPFAIL_TOOLS_LINUX_LOG2_H

#include <stdbool.h>

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

#define ilog2(n)	(63 - __builtin_clzll((unsigned long long)(n)))

#endif /* SWAPFAIL_TOOLS_LINUX_LOG2_H */
