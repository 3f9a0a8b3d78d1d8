/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for what the core takes from <linux/kernel.h>. */
#ifndef SWAPFAIL_TOOLS_LINUX_KERNEL_H
#define SWAPFAIL_TOOLS_LINUX_KERNEL_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* SWAPFAIL_TOOLS_LINUX_KERNEL_H */
