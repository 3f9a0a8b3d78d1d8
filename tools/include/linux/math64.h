/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for <linux/math64.h>: 64-bit division helpers. */
#ifndef SWAPFAIL_TOOLS_LINUX_MATH64_H
#define SWAPFAIL_TOOLS_LINUX_MATH64_H

#include <linux/types.h>

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = dividend % divisor;
	return dividend / divisor;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

#endif /* SWAPFAIL_TOOLS_LINUX_MATH64_H */
