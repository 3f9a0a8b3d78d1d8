/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for the kernel's <linux/string.h>. */
#ifndef SWAPFAIL_TOOLS_LINUX_STRING_H
#define SWAPFAIL_TOOLS_LINUX_STRING_H

#include <string.h>
#include <strings.h>

#endif /* SWAPFAIL_TOOLS_LINUX_STRING_H */
