/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for the kernel's <linux/errno.h>: the UAPI values. */
#ifndef SWAPFAIL_TOOLS_LINUX_ERRNO_H
#define SWAPFAIL_TOOLS_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif /* SWAPFAIL_TOOLS_LINUX_ERRNO_H */
