// SPDX-License-Identifier: GPL-2.0-only
/* Test-side owner of a swapfail table; see table-util.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>
#include <linux/kernel.h>

#include "table-util.h"

static struct swapfail_node *tt_node_alloc(struct tt *x)
{
	struct swapfail_node *node = malloc(sizeof(*node));

	if (!node)
		abort();
	/* garbage, as a fresh slab object may hold */
	memset(node, 0xa5, sizeof(*node));
	x->nodes++;
	return node;
}

static void tt_free_node(struct swapfail_node *node, void *arg)
{
	struct tt *x = arg;

	memset(node, 0x5a, sizeof(*node));
	free(node);
	x->nodes--;
}

static void tt_free_rule(struct swapfail_rule *rule, void *arg)
{
	struct tt *x = arg;

	free(rule);
	x->rules--;
}

/* Releases everything @mem let go of, as the target does in rounds. */
static void tt_release(struct tt *x, struct swapfail_mem *mem)
{
	while (swapfail_release(mem, 7, tt_free_node, tt_free_rule, x))
		;
}

void tt_reserve_fill(struct tt *x)
{
	while (x->mem.nr_free < x->reserve_fill)
		x->mem.free[x->mem.nr_free++] = tt_node_alloc(x);
}

/*
 * Keeps the reserve at @fill nodes from now on, as the target's
 * reserve_nodes parameter does: below a step's worst case, a write that
 * heals waits (tt_io() returns -ENOMEM) and spent extents stay queued.
 */
void tt_reserve_set(struct tt *x, u32 fill)
{
	x->reserve_fill = min_t(u32, fill, TT_RESERVE);
	while (x->mem.nr_free > x->reserve_fill)
		tt_free_node(x->mem.free[--x->mem.nr_free], x);
	tt_reserve_fill(x);
}

/* A table with a reserve of @reserve nodes: the fuzzer keeps it small. */
void tt_init_reserve(struct tt *x, u64 nr_blocks, u32 reserve)
{
	memset(x, 0, sizeof(*x));
	swapfail_policy_init(&x->policy);
	x->nr_blocks = nr_blocks;
	x->max_extents = SWAPFAIL_MAX_EXTENTS;
	x->mem.free = x->reserve;
	x->mem.size = TT_RESERVE;
	x->reserve_fill = min_t(u32, reserve, TT_RESERVE);
	x->pool_size = SWAPFAIL_EDIT_NODES;
	x->fail_alloc_after = -1;
	tt_reserve_fill(x);
}

void tt_init(struct tt *x, u64 nr_blocks)
{
	tt_init_reserve(x, nr_blocks, TT_RESERVE);
}

void tt_free(struct tt *x)
{
	struct swapfail_mem *mem = &x->mem;
	struct swapfail_rule *rule;

	if (x->live.root)
		swapfail_node_put(mem, x->live.root);
	x->live.root = NULL;
	tt_release(x, mem);
	/* queued rules are the queue's to free, once no leaf holds them */
	while ((rule = x->spent)) {
		x->spent = rule->next;
		rule->queued = false;
		if (!rule->ref)
			tt_free_rule(rule, x);
	}
	while (mem->nr_free)
		tt_free_node(mem->free[--mem->nr_free], x);
}

u32 tt_height(const struct swapfail_tree *t)
{
	return t->root ? t->root->level + 1 : 0;
}

/* The words of @line, as tt_split() cuts it. */
static unsigned int tt_words(const char *line)
{
	unsigned int n = 0;
	const char *p;

	for (p = line; *p; p++)
		n += *p != ' ' && (p == line || p[-1] == ' ');
	return n;
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

/* Fills a message's pool; false when the test makes allocation fail. */
static bool tt_pool_fill(struct tt *x, struct swapfail_mem *pool)
{
	while (pool->nr_free < pool->size) {
		if (!x->fail_alloc_after) {
			x->alloc_failures++;
			return false;
		}
		if (x->fail_alloc_after > 0)
			x->fail_alloc_after--;
		pool->free[pool->nr_free++] = tt_node_alloc(x);
		x->taken++;
	}
	return true;
}

static struct swapfail_rule **tt_rules_alloc(struct tt *x, u32 n)
{
	struct swapfail_rule **rules = n ? calloc(n, sizeof(*rules)) : NULL;
	u32 i;

	for (i = 0; i < n; i++) {
		rules[i] = calloc(1, sizeof(**rules));
		x->rules++;
	}
	return rules;
}

/*
 * Opens, runs and publishes (or drops) an edit, as the target does.  The
 * target's pool holds SWAPFAIL_EDIT_NODES; a test may start it smaller
 * (pool_size), and it grows to that when a step asks for more than it
 * holds.  A full pool that a step finds short would keep the target
 * asking for ever: -ELOOP.
 */
static int tt_edit(struct tt *x, struct swapfail_msg *msg)
{
	u32 cap = max_t(u32, x->pool_size, SWAPFAIL_EDIT_NODES);
	struct swapfail_node **slots = calloc(cap, sizeof(*slots));
	struct swapfail_mem pool = { .free = slots, .size = x->pool_size };
	u32 i, nr_rules = swapfail_edit_rules(msg);
	struct swapfail_rule **rules = tt_rules_alloc(x, nr_rules);
	struct swapfail_edit ed;
	int r;

	r = swapfail_edit_prepare(&ed, msg, rules, x->max_extents);
	if (r)
		goto out;
	x->staged = x->live;
	x->staged.gen = ++x->gen;
	if (x->staged.root)
		swapfail_node_get(x->staged.root);
	x->staging = true;
	x->taken = 0;
	do {
		r = swapfail_edit_step(&ed, &x->staged, &pool);
		if (r == -EAGAIN && pool.nr_free == pool.size) {
			if (pool.size == cap)
				r = -ELOOP;
			pool.size = min(cap, 2 * pool.size + 1);
		}
		if (r == -EAGAIN)
			r = tt_pool_fill(x, &pool) ? 1 : -ENOMEM;
		if (r == 1 && x->between_steps)
			x->between_steps(x);
	} while (r == 1);
	x->staging = false;
	if (r) {
		if (x->staged.root)
			swapfail_node_put(&pool, x->staged.root);
	} else {
		if (x->live.root)
			swapfail_node_put(&pool, x->live.root);
		x->live = x->staged;
	}
	tt_release(x, &pool);
out:
	x->error = ed.error;
	x->taken -= pool.nr_free;
	for (i = swapfail_edit_rules_used(&ed); i < nr_rules; i++)
		tt_free_rule(rules[i], x);
	while (pool.nr_free)
		tt_free_node(pool.free[--pool.nr_free], x);
	free(rules);
	free(slots);
	return r;
}

/* An answer from a pinned copy of the live tree, as the target gives it. */
static int tt_answer(struct tt *x, struct swapfail_msg *msg,
		     struct swapfail_out *out)
{
	struct swapfail_tree t = x->live;
	struct swapfail_stats s = { 0 };
	int r = 0;

	if (t.root)
		swapfail_node_get(t.root);
	if (msg->verb == SWAPFAIL_MSG_STATS)
		swapfail_emit_stats(out, &t, &s);
	else
		r = swapfail_answer(out, &t, msg, &x->error);
	if (t.root)
		swapfail_node_put(&x->mem, t.root);
	tt_release(x, &x->mem);
	return r;
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

	argc = tt_words(line);
	argv = calloc(argc + 1, sizeof(*argv));
	/* as many ranges as the target allocates: ASan sees any overrun */
	ranges = calloc(max(argc, 1U), sizeof(*ranges));
	if (!copy || !argv || !ranges)
		abort();
	argc = tt_split(copy, argv, argc);
	msg.ranges = ranges;
	x->error = NULL;
	swapfail_out_init(&out, buf, size);
	r = swapfail_parse_msg(argc, argv, x->nr_blocks, &msg, &x->error);
	if (!r && msg.answers)
		r = tt_answer(x, &msg, &out);
	if (!r && msg.edits)
		r = tt_edit(x, &msg);
	else if (!r && !msg.answers)
		swapfail_policy_update(&x->policy, &msg);
	if (!r && msg.answers)
		r = 1;
	free(ranges);
	free(argv);
	free(copy);
	return r;
}

int tt_msg(struct tt *x, const char *line)
{
	return tt_msg_out(x, line, x->answer, sizeof(x->answer));
}

/* Steps an I/O's change takes under the lock before the target lets go. */
#define TT_IO_STEPS	8

static u64 tt_first, tt_last;
static const struct swapfail_rule *tt_rule;

static int tt_heal_one(struct tt *x, struct swapfail_tree *t)
{
	u64 healed;
	int r = swapfail_tree_heal(t, &x->mem, tt_first, tt_last, x->swap,
				   TT_IO_STEPS, &healed);

	if (t == &x->live)
		x->healed += healed;
	return r;
}

/* Where a drop or a sweep goes on, in each tree, as the target keeps it. */
static u64 tt_next[2];

static u64 *tt_cursor(struct tt *x, struct swapfail_tree *t)
{
	return &tt_next[t != &x->live];
}

static int tt_drop_one(struct tt *x, struct swapfail_tree *t)
{
	return swapfail_tree_drop_rule(t, &x->mem, tt_rule, tt_cursor(x, t),
				       tt_last, TT_IO_STEPS);
}

static int tt_sweep_one(struct tt *x, struct swapfail_tree *t)
{
	return swapfail_tree_sweep(t, &x->mem, tt_cursor(x, t), TT_IO_STEPS);
}

/* What a round of a change can move: blocks, and the cursors. */
static u64 tt_blocks(const struct tt *x)
{
	return x->live.blocks + (x->staging ? x->staged.blocks : 0) +
	       tt_next[0] + tt_next[1];
}

/*
 * A change made for I/O, to the live tree (published whole or in part)
 * and, while an edit is open, to the staged one; as the target's worker
 * does, it refills the reserve and goes again until the change is done.
 * -ENOMEM when the reserve is kept below a step's worst case: the write
 * would wait, as the target's does until reserve_nodes is raised.
 * -ELOOP when a round that had the nodes for a step took no block out:
 * the next one would do the same, and the target's worker would spin.
 */
static int tt_both(struct tt *x, int (*change)(struct tt *x,
					       struct swapfail_tree *t))
{
	const u32 step = SWAPFAIL_STEP_NODES(SWAPFAIL_MAX_HEIGHT);
	bool roomy;
	u64 before;
	int r;

	for (;;) {
		roomy = x->mem.nr_free >= step;
		before = tt_blocks(x);
		x->live.gen = ++x->gen;
		r = change(x, &x->live);
		if (x->staging && !r)
			r = change(x, &x->staged);
		tt_release(x, &x->mem);
		if (r != -EAGAIN)
			return r;
		if (x->reserve_fill < step)
			return -ENOMEM;
		if (roomy && tt_blocks(x) == before)
			return -ELOOP;
		x->deferrals++;
		tt_reserve_fill(x);
	}
}

static bool tt_splits_over_cap(struct tt *x, u64 first, u64 last)
{
	return (swapfail_tree_splits(&x->live, first, last, x->swap) &&
		x->live.extents >= x->max_extents) ||
	       (x->staging &&
		swapfail_tree_splits(&x->staged, first, last, x->swap) &&
		x->staged.extents >= x->max_extents);
}

/*
 * Drops the extents of the queued spent rules and then, if a verdict spent
 * more rules than it could name, every spent extent, as the target's
 * worker does.  -ENOMEM when the reserve is kept too small for a step:
 * what is left stays queued for a later call.
 */
int tt_collect(struct tt *x)
{
	struct swapfail_rule *rule;
	int r;

	while ((rule = x->spent)) {
		tt_rule = rule;
		tt_last = ~0ULL - 1;
		tt_next[0] = tt_next[1] = 0;
		r = tt_both(x, tt_drop_one);
		if (r)
			return r;
		x->spent = rule->next;
		rule->queued = false;
		/* queued, it was not released with its last leaf */
		if (!rule->ref)
			tt_free_rule(rule, x);
	}
	if (x->sweep) {
		tt_next[0] = tt_next[1] = 0;
		r = tt_both(x, tt_sweep_one);
		if (r)
			return r;
		x->sweep = false;
	}
	return 0;
}

/*
 * Queues the rules @v spent, as the target's map does (a rule no leaf
 * holds is on its way out already), and drops their extents at once
 * unless the test leaves that to tt_collect().  -ELOOP if the drop would
 * keep the target's worker spinning; a short reserve leaves them queued.
 */
static int tt_queue_spent(struct tt *x, const struct swapfail_verdict *v)
{
	struct swapfail_rule *rule;
	u32 i;

	for (i = 0; i < v->nr_spent; i++) {
		rule = v->spent[i];
		if (!rule->ref || rule->queued)
			continue;
		rule->queued = true;
		rule->next = x->spent;
		x->spent = rule;
	}
	x->sweep |= v->sweep;
	if (x->defer_spent || !(v->nr_spent || v->sweep))
		return 0;
	return tt_collect(x) == -ELOOP ? -ELOOP : 0;
}

/*
 * One I/O while enabled, as the target's map: decided on the live tree and,
 * if a trigger fired for it (@by), with the trigger's action @trigger; a
 * write that reaches the disk heals under the lock, with the reserve's
 * nodes (the target heals when the write goes on, after any wait).
 * Returns 0, -ENOMEM when the write would wait for nodes, or -ELOOP when
 * its change (or the drop of what it spent) would never finish.
 */
int tt_io_trigger(struct tt *x, u64 first, u64 last, enum swapfail_dir dir,
		  const struct swapfail_act *trigger, int by,
		  struct swapfail_verdict *v)
{
	int r;

	swapfail_tree_check(&x->live, first, last, dir, x->swap, v);
	if (by >= 0)
		swapfail_verdict_add(v, trigger, trigger->error, first, by);
	r = tt_queue_spent(x, v);
	if (r || !swapfail_verdict_heals(v))
		return r;
	if (tt_splits_over_cap(x, first, last)) {
		/* as the target does: it fails with the device's error */
		v->fault = true;
		v->outcome = SWAPFAIL_FAILS;
		v->error = SWAPFAIL_ERR_DEFAULT;
		v->block = first;
		return 0;
	}
	tt_first = first;
	tt_last = last;
	r = tt_both(x, tt_heal_one);
	tt_reserve_fill(x);
	return r;
}

int tt_io(struct tt *x, u64 first, u64 last, enum swapfail_dir dir,
	  struct swapfail_verdict *v)
{
	return tt_io_trigger(x, first, last, dir, NULL, -1, v);
}

static bool tt_extent_valid(const struct swapfail_extent *e)
{
	return e->start < e->end && e->mode >= SWAPFAIL_MODE_READ &&
	       e->mode <= SWAPFAIL_MODE_RW && e->error < SWAPFAIL_NR_ERRORS;
}

static bool tt_joinable(const struct swapfail_extent *a,
			const struct swapfail_extent *b)
{
	return a->end == b->start && a->mode == b->mode &&
	       a->error == b->error && !a->rule && !b->rule;
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

struct tt_check {
	const struct swapfail_extent *prev;
	u64 extents;
	u64 blocks;
	char *why;
	size_t len;
};

static u64 tt_node_min(const struct swapfail_node *node)
{
	return node->level ? node->key[0] : node->ext[0].start;
}

static bool tt_leaf_valid(const struct swapfail_node *leaf,
			  struct tt_check *c)
{
	const struct swapfail_extent *e;
	u32 i;

	for (i = 0; i < leaf->nr; i++) {
		e = &leaf->ext[i];
		if (!tt_extent_valid(e))
			return tt_invalid(c->why, c->len, "bad extent at %llu",
					  e->start);
		if (c->prev && c->prev->end > e->start)
			return tt_invalid(c->why, c->len, "overlap at %llu",
					  e->start);
		if (e->rule && (!e->rule->ref || e->rule->first > e->start ||
				e->rule->last + 1 < e->end))
			return tt_invalid(c->why, c->len, "rule of %llu",
					  e->start);
		c->prev = e;
		c->extents++;
		c->blocks += e->end - e->start;
	}
	return true;
}

/*
 * The tree's invariants: levels count down to leaves; keys are the first
 * start of each subtree; every node but the root is a third full and no
 * node is empty; extents sorted and disjoint; totals that add up.
 */
static bool tt_node_valid(const struct swapfail_node *node, bool root,
			  struct tt_check *c)
{
	u32 cap = node->level ? SWAPFAIL_FANOUT : SWAPFAIL_LEAF_CAP, i;

	if (!node->nr || node->nr > cap || !node->ref)
		return tt_invalid(c->why, c->len, "node of %u/%u, ref %u",
				  node->nr, cap, node->ref);
	if (!root && node->nr < cap / 3)
		return tt_invalid(c->why, c->len, "level %u node of %u",
				  node->level, node->nr);
	if (!node->level)
		return tt_leaf_valid(node, c);
	for (i = 0; i < node->nr; i++) {
		if (node->child[i]->level + 1 != node->level)
			return tt_invalid(c->why, c->len, "level skew");
		if (node->key[i] != tt_node_min(node->child[i]))
			return tt_invalid(c->why, c->len, "key %llu != %llu",
					  node->key[i],
					  tt_node_min(node->child[i]));
		if (!tt_node_valid(node->child[i], false, c))
			return false;
	}
	return true;
}

bool tt_valid(const struct swapfail_tree *t, char *why, size_t len)
{
	struct tt_check c = { .why = why, .len = len };

	if (t->root && !tt_node_valid(t->root, true, &c))
		return false;
	if (c.extents != t->extents || c.blocks != t->blocks)
		return tt_invalid(why, len, "totals %llu/%llu, counted %llu/%llu",
				  t->extents, t->blocks, c.extents, c.blocks);
	if (tt_height(t) > SWAPFAIL_MAX_HEIGHT)
		return tt_invalid(why, len, "height %u", tt_height(t));
	return true;
}

static bool tt_node_compact(const struct swapfail_node *node,
			    const struct swapfail_extent **prev, char *why,
			    size_t len)
{
	u32 i;

	for (i = 0; i < node->nr; i++) {
		if (node->level) {
			if (!tt_node_compact(node->child[i], prev, why, len))
				return false;
			continue;
		}
		if (*prev && tt_joinable(*prev, &node->ext[i]))
			return tt_invalid(why, len, "%llu not joined",
					  node->ext[i].start);
		*prev = &node->ext[i];
	}
	return true;
}

/* No two neighbours that could be one extent. */
bool tt_compact(const struct swapfail_tree *t, char *why, size_t len)
{
	const struct swapfail_extent *prev = NULL;

	return !t->root || tt_node_compact(t->root, &prev, why, len);
}
