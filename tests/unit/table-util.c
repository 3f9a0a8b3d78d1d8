// SPDX-License-Identifier: GPL-2.0-only
/* Test-side owner of a swapfail table; see table-util.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>
#include <linux/kernel.h>

#include "table-util.h"

void tt_init(struct tt *x, u64 nr_blocks, u32 slack)
{
	memset(x, 0, sizeof(*x));
	swapfail_table_init(&x->t, NULL, 0);
	swapfail_policy_init(&x->policy);
	x->nr_blocks = nr_blocks;
	x->slack = slack;
}

void tt_free(struct tt *x)
{
	free(x->t.ext);
	x->t.ext = NULL;
}

/*
 * An array of @size slots, and one spare, with room for its index after
 * them, as the target allocates one: free(t->ext) frees both.
 */
void tt_table_alloc(struct swapfail_table *t, u32 size)
{
	struct swapfail_extent *ext;

	ext = calloc(1, (size + 1) * sizeof(*ext) +
		     swapfail_index_len(size) * sizeof(u64));
	if (!ext)
		abort();
	swapfail_table_init(t, ext, size);
}

/* Indexes @t, built by tt_table_alloc() and a builder, as the target does. */
void tt_table_index(struct swapfail_table *t)
{
	swapfail_table_index(t, (u64 *)(t->ext + t->size + 1));
}

static void tt_swap_in(struct tt *x, struct swapfail_table *new)
{
	tt_table_index(new);
	free(x->t.ext);
	x->t = *new;
}

static int tt_edit(struct tt *x, struct swapfail_msg *msg)
{
	struct swapfail_table new;
	int size;

	size = swapfail_edit_prepare(&x->t, msg, &x->error);
	if (size < 0)
		return size;
	tt_table_alloc(&new, size + x->slack);
	if (swapfail_edit_build(&x->t, msg, &new))
		abort();
	tt_swap_in(x, &new);
	return 0;
}

/* Splits @line at spaces into argv, in place. */
static unsigned int tt_split(char *line, char **argv, unsigned int max)
{
	unsigned int argc = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(line, " ", &save); tok && argc < max;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	return argc;
}

/*
 * Runs one message like the target's message handler: returns 1 with an
 * answer in @buf, 0 when done silently, -errno when rejected.
 */
int tt_msg_out(struct tt *x, const char *line, char *buf, u32 size)
{
	struct swapfail_range *ranges;
	struct swapfail_out out;
	struct swapfail_msg msg;
	char *copy = strdup(line), **argv;
	unsigned int argc;
	int r;

	argv = calloc(strlen(line) + 1, sizeof(*argv));
	ranges = calloc(strlen(line) + 1, sizeof(*ranges));
	if (!copy || !argv || !ranges)
		abort();
	argc = tt_split(copy, argv, strlen(line) + 1);
	msg.ranges = ranges;
	x->error = NULL;
	swapfail_out_init(&out, buf, size);
	r = swapfail_parse_msg(argc, argv, x->nr_blocks, &msg, &x->error);
	if (r)
		goto out;
	if (msg.answers && msg.verb != SWAPFAIL_MSG_STATS)
		swapfail_answer(&out, &x->t, &msg);
	if (msg.edits)
		r = tt_edit(x, &msg);
	else
		swapfail_policy_update(&x->policy, &msg);
	if (!r && msg.answers)
		r = 1;
out:
	free(ranges);
	free(argv);
	free(copy);
	return r;
}

int tt_msg(struct tt *x, const char *line)
{
	return tt_msg_out(x, line, x->answer, sizeof(x->answer));
}

/* Grows the array by one slack's worth, as the target's worker does. */
static void tt_grow(struct tt *x)
{
	struct swapfail_table new;

	tt_table_alloc(&new, x->t.extents + x->slack + 1);
	if (swapfail_table_copy(&x->t, &new))
		abort();
	tt_swap_in(x, &new);
	x->grows++;
}

/*
 * One I/O while enabled.  Returns whether the lockless check alone was
 * final; the verdict is the same either way.
 */
bool tt_io(struct tt *x, u64 first, u64 last, enum swapfail_dir dir,
	   struct swapfail_verdict *v)
{
	if (swapfail_table_check(&x->t, first, last, dir, v) ==
	    SWAPFAIL_CHECK_DONE)
		return true;
	while (swapfail_table_apply(&x->t, first, last, dir, v) == -ENOSPC)
		tt_grow(x);
	return false;
}

static bool tt_extent_valid(const struct swapfail_extent *e)
{
	return e->start <= e->end && e->mode >= SWAPFAIL_MODE_READ &&
	       e->mode <= SWAPFAIL_MODE_RW && e->error < SWAPFAIL_NR_ERRORS &&
	       (!e->wr_fail || e->mode == SWAPFAIL_MODE_READ) && !e->reserved;
}

static bool tt_joinable(const struct swapfail_extent *a,
			const struct swapfail_extent *b)
{
	return a->end == b->start && a->mode == b->mode &&
	       a->error == b->error && !a->count && !b->count &&
	       !a->wr_fail && !b->wr_fail;
}

static bool __attribute__((format(printf, 3, 4)))
tt_invalid(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return false;
}

/*
 * The table's invariants: slots within the array, extents sorted and
 * disjoint (empty ones included, which lockless readers rely on), and
 * totals that add up.
 */
/* Each index entry is where its group's last slot ends, or after. */
static bool tt_index_valid(const struct swapfail_table *t, char *why,
			   size_t len)
{
	u32 g, last;

	if (t->index_len && !t->index)
		return tt_invalid(why, len, "index_len %u, no index",
				  t->index_len);
	if ((u64)t->index_len * SWAPFAIL_INDEX_GROUP > t->nr)
		return tt_invalid(why, len, "index_len %u for %u slots",
				  t->index_len, t->nr);
	for (g = 0; g < t->index_len; g++) {
		last = (g + 1) * SWAPFAIL_INDEX_GROUP - 1;
		if (t->index[g] < t->ext[last].end)
			return tt_invalid(why, len, "index %u: %llu < end %llu",
					  g, (unsigned long long)t->index[g],
					  (unsigned long long)t->ext[last].end);
	}
	return true;
}

bool tt_valid(const struct swapfail_table *t, char *why, size_t len)
{
	const struct swapfail_extent *e;
	u64 blocks = 0;
	u32 i, extents = 0;

	if (t->nr > t->size)
		return tt_invalid(why, len, "nr %u > size %u", t->nr, t->size);
	for (i = 0; i < t->nr; i++) {
		e = &t->ext[i];
		if (!tt_extent_valid(e))
			return tt_invalid(why, len, "bad extent %u", i);
		if (i && t->ext[i - 1].end > e->start)
			return tt_invalid(why, len, "extent %u overlaps", i);
		if (e->start == e->end)
			continue;
		extents++;
		blocks += e->end - e->start;
	}
	if (extents != t->extents || blocks != t->blocks)
		return tt_invalid(why, len, "totals %u/%llu, counted %u/%llu",
				  t->extents, (unsigned long long)t->blocks,
				  extents, (unsigned long long)blocks);
	return tt_index_valid(t, why, len);
}

/*
 * A table just built holds no empty slot and no two neighbours that could
 * be one.  (An I/O may leave such neighbours, when a write-fail count runs
 * out; the next build joins them.)
 */
bool tt_compact(const struct swapfail_table *t, char *why, size_t len)
{
	u32 i;

	for (i = 0; i < t->nr; i++) {
		if (t->ext[i].start == t->ext[i].end)
			return tt_invalid(why, len, "extent %u empty", i);
		if (i && tt_joinable(&t->ext[i - 1], &t->ext[i]))
			return tt_invalid(why, len, "extent %u not joined", i);
	}
	return true;
}
