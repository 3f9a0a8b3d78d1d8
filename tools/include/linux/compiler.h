/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for the attributes and accessors of <linux/compiler.h>. */
#ifndef SWAPFAIL_TOOLS_LINUX_COMPILER_H
#define SWAPFAIL_TOOLS_LINUX_COMPILER_H

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#endif /* SWAPFAIL_TOOLS_LINUX_COMPILER_H */
