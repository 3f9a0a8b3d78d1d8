/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for <linux/ctype.h>. */
#ifndef SWAPFAIL_TOOLS_LINUX_CTYPE_H
#define SWAPFAIL_TOOLS_LINUX_CTYPE_H

#include <ctype.h>

#endif /* SWAPFAIL_TOOLS_LINUX_CTYPE_H */
