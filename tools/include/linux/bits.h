/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for what dm-swapfail takes from <linux/bits.h>. */
#ifndef SWAPFAIL_TOOLS_LINUX_BITS_H
#define SWAPFAIL_TOOLS_LINUX_BITS_H

#define BIT(nr)		(1UL << (nr))

#endif /* SWAPFAIL_TOOLS_LINUX_BITS_H */
