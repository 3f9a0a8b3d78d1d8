/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for the kernel's <linux/types.h>: the UAPI types plus
 * the kernel's short names, so that the core (swapfail-*.c) builds
 * unchanged in the unit tests, the fuzzer and the tools.  u64 is unsigned long long,
 * as in the kernel, so that "%llu" prints it everywhere.
 */
#ifndef SWAPFAIL_TOOLS_LINUX_TYPES_H
#define SWAPFAIL_TOOLS_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int32_t s32;
typedef long long s64;

#endif /* SWAPFAIL_TOOLS_LINUX_TYPES_H */
