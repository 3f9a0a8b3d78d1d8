/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A swapfail table owned by a userspace test, driven through the core the
 * way dm-swapfail.c drives it: a message edits a staged copy of the tree a
 * step at a time, refilling its nodes when the core asks, then publishes
 * it or drops it; an I/O is decided on the live tree, and a write that
 * heals changes the live tree (and the staged one, while an edit is open)
 * with nodes from a reserve.  The rules an I/O spends are queued and their
 * extents dropped, at once or when the test says (the target's worker).
 * Every node and rule is counted, so that a test can tell none leaked.
 */
#ifndef SWAPFAIL_TABLE_UTIL_H
#define SWAPFAIL_TABLE_UTIL_H

#include <linux/types.h>

#include "dm-swapfail.h"

#define TT_RESERVE	512

struct tt {
	struct swapfail_tree live;
	struct swapfail_tree staged;
	bool staging;
	struct swapfail_policy policy;
	u64 nr_blocks;
	u32 max_extents;
	u64 gen;
	/* the reserve an I/O takes nodes from */
	struct swapfail_node *reserve[TT_RESERVE];
	struct swapfail_mem mem;
	u32 reserve_fill;	/* how full the test keeps it */
	u32 pool_size;		/* nodes a message's pool starts with */
	u32 taken;		/* nodes the last message took from its pool */
	long nodes;		/* allocated and not freed */
	long rules;
	int fail_alloc_after;	/* nodes a message may allocate; -1: any */
	u32 alloc_failures;	/* allocations fail_alloc_after refused */
	/* spent rules whose extents are still to drop, as the target's */
	struct swapfail_rule *spent;
	bool sweep;		/* a verdict spent more rules than it named */
	bool defer_spent;	/* leave the drops to tt_collect(), as a busy
				 * worker would */
	/* called between the steps of an edit, e.g. to run I/O meanwhile */
	void (*between_steps)(struct tt *x);
	char *error;		/* reason of the last rejected message */
	bool swap;		/* I/O is marked REQ_SWAP */
	u64 healed;
	u32 deferrals;		/* I/O changes the reserve could not finish */
	char answer[1 << 16];
};

void tt_init(struct tt *x, u64 nr_blocks);
void tt_init_reserve(struct tt *x, u64 nr_blocks, u32 reserve);
void tt_free(struct tt *x);
int tt_msg(struct tt *x, const char *line);
int tt_msg_out(struct tt *x, const char *line, char *buf, u32 size);
int tt_io_trigger(struct tt *x, u64 first, u64 last, enum swapfail_dir dir,
		  const struct swapfail_act *trigger, int by,
		  struct swapfail_verdict *v);
int tt_io(struct tt *x, u64 first, u64 last, enum swapfail_dir dir,
	  struct swapfail_verdict *v);
void tt_reserve_fill(struct tt *x);
void tt_reserve_set(struct tt *x, u32 fill);
int tt_collect(struct tt *x);
bool tt_valid(const struct swapfail_tree *t, char *why, size_t len);
bool tt_compact(const struct swapfail_tree *t, char *why, size_t len);
u32 tt_height(const struct swapfail_tree *t);

#endif /* SWAPFAIL_TABLE_UTIL_H */
