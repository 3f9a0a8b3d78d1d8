/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A swapfail table owned by a userspace test, driven through the core the
 * way dm-swapfail.c drives it: messages are parsed, checked, sized, built
 * into a new array and swapped in; I/Os are checked, then applied, and a
 * heal that needs room grows the array and retries.
 */
#ifndef SWAPFAIL_TABLE_UTIL_H
#define SWAPFAIL_TABLE_UTIL_H

#include <linux/types.h>

#include "dm-swapfail.h"

struct tt {
	struct swapfail_table t;
	struct swapfail_policy policy;
	u64 nr_blocks;
	u32 slack;		/* spare slots given to each new array */
	u32 grows;		/* arrays grown for a heal */
	const char *error;	/* reason of the last rejected message */
	char answer[1 << 16];
};

void tt_init(struct tt *x, u64 nr_blocks, u32 slack);
void tt_free(struct tt *x);
int tt_msg(struct tt *x, const char *line);
int tt_msg_out(struct tt *x, const char *line, char *buf, u32 size);
bool tt_io(struct tt *x, u64 first, u64 last, enum swapfail_dir dir,
	   struct swapfail_verdict *v);
void tt_table_alloc(struct swapfail_table *t, u32 size);
void tt_table_index(struct swapfail_table *t);
bool tt_valid(const struct swapfail_table *t, char *why, size_t len);
bool tt_compact(const struct swapfail_table *t, char *why, size_t len);

#endif /* SWAPFAIL_TABLE_UTIL_H */
