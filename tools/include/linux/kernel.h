/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for what the core takes from <linux/kernel.h>, which
 * in the kernel also brings in the headers included here.
 */
#ifndef SWAPFAIL_TOOLS_LINUX_KERNEL_H
#define SWAPFAIL_TOOLS_LINUX_KERNEL_H

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

#include <linux/compiler.h>
#include <linux/kstrtox.h>
#include <linux/log2.h>
#include <linux/minmax.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* SWAPFAIL_TOOLS_LINUX_KERNEL_H */
