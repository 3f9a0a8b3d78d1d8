// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-swapfail core, the tree: a copy-on-write B+tree of disjoint extents
 * keyed by their first block.  A reader walks a published root without a
 * lock.  A writer (a message, or an I/O that heals blocks) holds the
 * target's lock, copies the nodes on the path it changes, and hands the
 * new root back for the target to publish.  Each step touches one leaf
 * and its path: a change of k extents costs O(k log n), and a lock is
 * never held for longer than a few steps.
 *
 * Nothing here allocates, sleeps or takes a lock: the caller gives each
 * step its nodes (struct swapfail_mem) and frees what it lets go of.
 */
#include <linux/bits.h>
#include <linux/ctype.h>
#include <linux/device-mapper.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/types.h>

#include "swapfail-core.h"

/* A node below a third full is merged with a neighbour, or fed by it. */
#define SWAPFAIL_LEAF_MIN	(SWAPFAIL_LEAF_CAP / 3)
#define SWAPFAIL_FANOUT_MIN	(SWAPFAIL_FANOUT / 3)

/* Rules */

void swapfail_rule_init(struct swapfail_rule *rule,
			const struct swapfail_attr *attr,
			const struct swapfail_range *range)
{
	memset(rule, 0, sizeof(*rule));
	rule->has_count = attr->count;
	atomic64_set(&rule->count_left, attr->count);
	atomic_set(&rule->wr_fail_left, attr->wr_fail);
	rule->first = range->first;
	rule->last = range->last;
	rule->act = attr->act;
}

/* A spent rule's extents fail nothing and wait to be dropped. */
bool swapfail_rule_spent(const struct swapfail_rule *rule)
{
	return rule && rule->has_count && !atomic64_read(&rule->count_left);
}

bool swapfail_extent_spent(const struct swapfail_extent *e)
{
	return swapfail_rule_spent(e->rule);
}

/* Heals and wr_fail are dm-dust's: mode=read extents that fail reads. */
bool swapfail_extent_heals(const struct swapfail_extent *e)
{
	return e->mode == SWAPFAIL_MODE_READ &&
	       (!e->rule || e->rule->act.kind == SWAPFAIL_ACT_ERROR);
}

/*
 * Whether a write, a swap-out if @swap, is one that @e sees: a match=swap
 * extent sees swap-outs only, and neither fails nor is healed by others.
 */
bool swapfail_extent_sees_write(const struct swapfail_extent *e, bool swap)
{
	return swap || !e->rule || e->rule->act.match != SWAPFAIL_MATCH_SWAP;
}

static void swapfail_rule_get(struct swapfail_rule *rule)
{
	if (rule)
		rule->ref++;
}

static void swapfail_rule_put(struct swapfail_mem *mem,
			      struct swapfail_rule *rule)
{
	if (!rule || --rule->ref || rule->queued)
		return;
	rule->next = mem->dropped_rules;
	mem->dropped_rules = rule;
}

/* Nodes */

void swapfail_node_get(struct swapfail_node *node)
{
	node->ref++;
}

/* Drops a reference; the node is dropped (and freed later) with its last. */
void swapfail_node_put(struct swapfail_mem *mem, struct swapfail_node *node)
{
	if (--node->ref)
		return;
	node->next = mem->dropped;
	mem->dropped = node;
}

static void swapfail_node_drop(struct swapfail_mem *mem,
			       struct swapfail_node *node)
{
	u32 i;

	for (i = 0; i < node->nr; i++) {
		if (node->level)
			swapfail_node_put(mem, node->child[i]);
		else
			swapfail_rule_put(mem, node->ext[i].rule);
	}
}

/*
 * Frees up to @budget nodes whose last reference went: drops what they
 * hold (which may drop more) and passes each to @free_node, rules to
 * @free_rule.  Returns whether more are waiting, so that a caller holding
 * a lock can let go of it between rounds.
 */
bool swapfail_mem_reap(struct swapfail_mem *mem, u32 budget,
		       void (*free_node)(struct swapfail_node *node, void *arg),
		       void (*free_rule)(struct swapfail_rule *rule, void *arg),
		       void *arg)
{
	struct swapfail_node *node;
	struct swapfail_rule *rule;

	while (budget-- && (node = mem->dropped)) {
		mem->dropped = node->next;
		swapfail_node_drop(mem, node);
		free_node(node, arg);
	}
	while ((rule = mem->dropped_rules)) {
		mem->dropped_rules = rule->next;
		free_rule(rule, arg);
	}
	return mem->dropped;
}

static struct swapfail_node *swapfail_node_new(struct swapfail_tree *t,
					       struct swapfail_mem *mem,
					       u8 level)
{
	struct swapfail_node *node = mem->free[--mem->nr_free];

	node->gen = t->gen;
	node->ref = 1;
	node->nr = 0;
	node->level = level;
	return node;
}

/* The caller's copy of @old, which it may change: @old's holder drops it. */
static struct swapfail_node *swapfail_node_copy(struct swapfail_tree *t,
						struct swapfail_mem *mem,
						const struct swapfail_node *old)
{
	struct swapfail_node *node = swapfail_node_new(t, mem, old->level);
	u32 i;

	node->nr = old->nr;
	if (old->level) {
		memcpy(node->key, old->key, old->nr * sizeof(old->key[0]));
		memcpy(node->child, old->child, old->nr * sizeof(old->child[0]));
		for (i = 0; i < old->nr; i++)
			swapfail_node_get(old->child[i]);
	} else {
		memcpy(node->ext, old->ext, old->nr * sizeof(old->ext[0]));
		for (i = 0; i < old->nr; i++)
			swapfail_rule_get(old->ext[i].rule);
	}
	return node;
}

static bool swapfail_node_mine(const struct swapfail_tree *t,
			       const struct swapfail_node *node)
{
	return node->gen == t->gen;
}

/* *slot, made the writer's own: copied unless it already is. */
static struct swapfail_node *swapfail_own(struct swapfail_tree *t,
					  struct swapfail_mem *mem,
					  struct swapfail_node **slot)
{
	struct swapfail_node *old = *slot;

	if (swapfail_node_mine(t, old))
		return old;
	*slot = swapfail_node_copy(t, mem, old);
	swapfail_node_put(mem, old);
	return *slot;
}

static u64 swapfail_node_min(const struct swapfail_node *node)
{
	return node->level ? node->key[0] : node->ext[0].start;
}

static u32 swapfail_node_cap(const struct swapfail_node *node)
{
	return node->level ? SWAPFAIL_FANOUT : SWAPFAIL_LEAF_CAP;
}

static u32 swapfail_node_min_fill(const struct swapfail_node *node)
{
	return node->level ? SWAPFAIL_FANOUT_MIN : SWAPFAIL_LEAF_MIN;
}

/* Levels of @t: derived from its root, so a reader needs only the root. */
u32 swapfail_tree_height(const struct swapfail_tree *t)
{
	return t->root ? t->root->level + 1 : 0;
}

/* The child of @node whose subtree holds the last start at or before @b. */
static u32 swapfail_child_index(const struct swapfail_node *node, u64 b)
{
	u32 lo = 1, hi = node->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (node->key[mid] <= b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

/* The first extent of @leaf that ends after @b, or leaf->nr. */
static u32 swapfail_leaf_index(const struct swapfail_node *leaf, u64 b)
{
	u32 lo = 0, hi = leaf->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (leaf->ext[mid].end <= b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct swapfail_extent *
swapfail_iter_here(const struct swapfail_iter *it)
{
	return &it->node[0]->ext[it->idx[0]];
}

/* Moves to the first extent of the next leaf; NULL past the last one. */
static const struct swapfail_extent *
swapfail_iter_next_leaf(struct swapfail_iter *it)
{
	u32 l = 1;

	while (l < it->height && it->idx[l] + 1 >= it->node[l]->nr)
		l++;
	if (l >= it->height)
		return NULL;
	it->idx[l]++;
	for (; l > 0; l--) {
		it->node[l - 1] = it->node[l]->child[it->idx[l]];
		it->idx[l - 1] = 0;
	}
	return swapfail_iter_here(it);
}

/* Positions @it at the first extent that ends after @b; NULL if none. */
const struct swapfail_extent *
swapfail_iter_seek(struct swapfail_iter *it, const struct swapfail_tree *t,
		   u64 b)
{
	const struct swapfail_node *node = t->root;
	u32 l;

	it->height = swapfail_tree_height(t);
	if (!node)
		return NULL;
	for (l = it->height - 1; l > 0; l--) {
		it->node[l] = node;
		it->idx[l] = swapfail_child_index(node, b);
		node = node->child[it->idx[l]];
	}
	it->node[0] = node;
	it->idx[0] = swapfail_leaf_index(node, b);
	if (it->idx[0] < node->nr)
		return swapfail_iter_here(it);
	return swapfail_iter_next_leaf(it);
}

const struct swapfail_extent *
swapfail_iter_next(struct swapfail_iter *it)
{
	if (++it->idx[0] < it->node[0]->nr)
		return swapfail_iter_here(it);
	return swapfail_iter_next_leaf(it);
}

/* The extent holding block @b, or NULL. */
const struct swapfail_extent *
swapfail_tree_find(const struct swapfail_tree *t, u64 b)
{
	struct swapfail_iter it;
	const struct swapfail_extent *e = swapfail_iter_seek(&it, t, b);

	return e && e->start <= b ? e : NULL;
}

/*
 * Where a change must look: extents may begin before @first and reach
 * into it, so the bounds are the first block and the end of the last.
 */
void swapfail_tree_bounds(const struct swapfail_tree *t, u64 *lo, u64 *hi)
{
	const struct swapfail_node *node = t->root;

	if (!node) {
		*lo = SWAPFAIL_U64_MAX;
		*hi = 0;
		return;
	}
	*lo = swapfail_node_min(node);
	while (node->level)
		node = node->child[node->nr - 1];
	*hi = node->ext[node->nr - 1].end;
}

/* Changing a tree: one step changes one leaf and the path to it. */

/* The leaf for a block, the path to it, and the subtree after it. */
struct swapfail_path {
	struct swapfail_node *node[SWAPFAIL_MAX_HEIGHT];
	u32 idx[SWAPFAIL_MAX_HEIGHT];	/* child taken at each level */
	u64 next;	/* first start in the next subtree, or U64_MAX */
};

static void swapfail_path_find(const struct swapfail_tree *t, u64 b,
			       struct swapfail_path *p)
{
	struct swapfail_node *node = t->root;
	u32 l, i;

	p->next = SWAPFAIL_U64_MAX;
	for (l = swapfail_tree_height(t) - 1; l > 0; l--) {
		p->node[l] = node;
		i = swapfail_child_index(node, b);
		p->idx[l] = i;
		if (i + 1 < node->nr)
			p->next = node->key[i + 1];
		node = node->child[i];
	}
	p->node[0] = node;
}

/* Makes every node on @p the writer's own, from the root down. */
static void swapfail_path_own(struct swapfail_tree *t,
			      struct swapfail_mem *mem,
			      struct swapfail_path *p)
{
	struct swapfail_node **slot = &t->root;
	u32 l;

	for (l = swapfail_tree_height(t) - 1;; l--) {
		p->node[l] = swapfail_own(t, mem, slot);
		if (!l)
			return;
		slot = &p->node[l]->child[p->idx[l]];
	}
}

/*
 * Where a full node of @n entries splits: in half, or, when the newest
 * entry went to its end, as full as the right one allows, so that blocks
 * added in ascending order fill their nodes.
 */
static u32 swapfail_split_point(u32 n, u32 min_fill, bool at_end)
{
	return at_end ? n - min_fill : n / 2;
}

static void swapfail_child_put_at(struct swapfail_node *parent, u32 pos,
				  struct swapfail_node *child)
{
	memmove(&parent->key[pos + 1], &parent->key[pos],
		(parent->nr - pos) * sizeof(parent->key[0]));
	memmove(&parent->child[pos + 1], &parent->child[pos],
		(parent->nr - pos) * sizeof(parent->child[0]));
	parent->key[pos] = swapfail_node_min(child);
	parent->child[pos] = child;
	parent->nr++;
}

/* Moves @parent's children from @from on to the start of @to. */
static void swapfail_children_move(struct swapfail_node *parent, u32 from,
				   struct swapfail_node *to)
{
	u32 n = parent->nr - from;

	memmove(&to->key[n], &to->key[0], to->nr * sizeof(to->key[0]));
	memmove(&to->child[n], &to->child[0], to->nr * sizeof(to->child[0]));
	memcpy(&to->key[0], &parent->key[from], n * sizeof(to->key[0]));
	memcpy(&to->child[0], &parent->child[from], n * sizeof(to->child[0]));
	to->nr += n;
	parent->nr = from;
}

/*
 * Puts @child into @parent at @pos; a full parent splits first.  Returns
 * the parent's new right sibling, which its own parent must take, or NULL.
 */
static struct swapfail_node *swapfail_child_insert(struct swapfail_tree *t,
						   struct swapfail_mem *mem,
						   struct swapfail_node *parent,
						   u32 pos,
						   struct swapfail_node *child)
{
	struct swapfail_node *right = NULL, *into = parent;
	u32 split;

	if (parent->nr == SWAPFAIL_FANOUT) {
		split = swapfail_split_point(SWAPFAIL_FANOUT + 1,
					     SWAPFAIL_FANOUT_MIN,
					     pos == SWAPFAIL_FANOUT);
		right = swapfail_node_new(t, mem, parent->level);
		swapfail_children_move(parent, split, right);
		if (pos > split) {
			into = right;
			pos -= split;
		}
	}
	swapfail_child_put_at(into, pos, child);
	return right;
}

static void swapfail_child_remove(struct swapfail_mem *mem,
				  struct swapfail_node *parent, u32 pos)
{
	swapfail_node_put(mem, parent->child[pos]);
	parent->nr--;
	memmove(&parent->key[pos], &parent->key[pos + 1],
		(parent->nr - pos) * sizeof(parent->key[0]));
	memmove(&parent->child[pos], &parent->child[pos + 1],
		(parent->nr - pos) * sizeof(parent->child[0]));
}

/* Moves the first @n entries of @b to the end of @a (both one level). */
static void swapfail_entries_shift_left(struct swapfail_node *a,
					struct swapfail_node *b, u32 n)
{
	if (a->level) {
		memcpy(&a->key[a->nr], b->key, n * sizeof(b->key[0]));
		memcpy(&a->child[a->nr], b->child, n * sizeof(b->child[0]));
		memmove(b->key, &b->key[n], (b->nr - n) * sizeof(b->key[0]));
		memmove(b->child, &b->child[n],
			(b->nr - n) * sizeof(b->child[0]));
	} else {
		memcpy(&a->ext[a->nr], b->ext, n * sizeof(b->ext[0]));
		memmove(b->ext, &b->ext[n], (b->nr - n) * sizeof(b->ext[0]));
	}
	a->nr += n;
	b->nr -= n;
}

/* Moves the last @n entries of @a to the start of @b. */
static void swapfail_entries_shift_right(struct swapfail_node *a,
					 struct swapfail_node *b, u32 n)
{
	u32 from = a->nr - n;

	if (a->level) {
		swapfail_children_move(a, from, b);
		return;
	}
	memmove(&b->ext[n], b->ext, b->nr * sizeof(b->ext[0]));
	memcpy(b->ext, &a->ext[from], n * sizeof(a->ext[0]));
	a->nr = from;
	b->nr += n;
}

/*
 * Child @i of @parent fell below a third full: merge it with a neighbour,
 * or even the two out, so that every node but the root stays a third full
 * and the tree's height stays logarithmic.
 */
static void swapfail_rebalance(struct swapfail_tree *t,
			       struct swapfail_mem *mem,
			       struct swapfail_node *parent, u32 i)
{
	u32 left = i + 1 < parent->nr ? i : i - 1;
	struct swapfail_node *a, *b;
	u32 total, half;

	a = swapfail_own(t, mem, &parent->child[left]);
	b = swapfail_own(t, mem, &parent->child[left + 1]);
	total = a->nr + b->nr;
	if (total <= swapfail_node_cap(a)) {
		swapfail_entries_shift_left(a, b, b->nr);
		swapfail_child_remove(mem, parent, left + 1);
	} else {
		half = total / 2;
		if (a->nr < half)
			swapfail_entries_shift_left(a, b, half - a->nr);
		else
			swapfail_entries_shift_right(a, b, a->nr - half);
		parent->key[left + 1] = swapfail_node_min(b);
	}
	parent->key[left] = swapfail_node_min(a);
}

/* A root that split gets a parent; a root of one child gives way to it. */
static void swapfail_root_fix(struct swapfail_tree *t,
			      struct swapfail_mem *mem,
			      struct swapfail_node *sibling)
{
	struct swapfail_node *root = t->root, *top;

	if (sibling) {
		top = swapfail_node_new(t, mem, root->level + 1);
		swapfail_child_put_at(top, 0, root);
		swapfail_child_put_at(top, 1, sibling);
		t->root = top;
		return;
	}
	while (root->level && root->nr == 1) {
		t->root = root->child[0];
		swapfail_node_get(t->root);
		swapfail_node_put(mem, root);
		root = t->root;
	}
	if (!root->nr) {
		t->root = NULL;
		swapfail_node_put(mem, root);
	}
}

/*
 * After the leaf on @p changed (and perhaps split off @sibling), brings
 * its ancestors in line, bottom up: keys, emptied children, splits and
 * merges.
 */
static void swapfail_path_fix(struct swapfail_tree *t,
			      struct swapfail_mem *mem,
			      struct swapfail_path *p,
			      struct swapfail_node *sibling)
{
	u32 height = swapfail_tree_height(t);
	struct swapfail_node *parent, *child;
	u32 l, i;

	for (l = 1; l < height; l++) {
		parent = p->node[l];
		i = p->idx[l];
		child = parent->child[i];
		if (!child->nr) {
			swapfail_child_remove(mem, parent, i);
			continue;
		}
		parent->key[i] = swapfail_node_min(child);
		if (sibling)
			sibling = swapfail_child_insert(t, mem, parent, i + 1,
							sibling);
		else if (child->nr < swapfail_node_min_fill(child) &&
			 parent->nr > 1)
			swapfail_rebalance(t, mem, parent, i);
	}
	swapfail_root_fix(t, mem, sibling);
}

static u64 swapfail_extents_blocks(const struct swapfail_extent *e, u32 n)
{
	u64 blocks = 0;
	u32 i;

	for (i = 0; i < n; i++)
		blocks += e[i].end - e[i].start;
	return blocks;
}

/* Gives the owned leaf on @p its new extents @out, splitting if need be. */
static void swapfail_leaf_apply(struct swapfail_tree *t,
				struct swapfail_mem *mem,
				struct swapfail_path *p,
				const struct swapfail_extent *out, u32 n,
				bool at_end)
{
	struct swapfail_node *leaf = p->node[0], *sibling = NULL;
	u32 i, keep = n;

	for (i = 0; i < n; i++)
		swapfail_rule_get(out[i].rule);
	for (i = 0; i < leaf->nr; i++)
		swapfail_rule_put(mem, leaf->ext[i].rule);
	if (n > SWAPFAIL_LEAF_CAP) {
		keep = swapfail_split_point(n, SWAPFAIL_LEAF_MIN, at_end);
		sibling = swapfail_node_new(t, mem, 0);
		memcpy(sibling->ext, out + keep, (n - keep) * sizeof(*out));
		sibling->nr = n - keep;
	}
	memcpy(leaf->ext, out, keep * sizeof(*out));
	leaf->nr = keep;
	swapfail_path_fix(t, mem, p, sibling);
}

static bool swapfail_change_hits(const struct swapfail_change *c,
				 const struct swapfail_extent *e)
{
	if (e->end <= c->first || e->start > c->last)
		return false;
	switch (c->kind) {
	case SWAPFAIL_CUT:
		return true;
	case SWAPFAIL_HEAL:
		return swapfail_extent_heals(e) && !swapfail_extent_spent(e) &&
		       swapfail_extent_sees_write(e, c->swap);
	case SWAPFAIL_DROP_RULE:
		return e->rule == c->rule;
	case SWAPFAIL_DROP_SPENT:
		return swapfail_extent_spent(e);
	default:
		return false;
	}
}

/* What is left of @e once @c took its blocks: 0, 1 or 2 pieces. */
static u32 swapfail_change_cut(const struct swapfail_change *c,
			       const struct swapfail_extent *e,
			       struct swapfail_extent *out)
{
	u32 n = 0;

	if (c->kind == SWAPFAIL_DROP_RULE || c->kind == SWAPFAIL_DROP_SPENT)
		return 0;
	if (e->start < c->first) {
		out[n] = *e;
		out[n++].end = c->first;
	}
	if (e->end > c->last + 1) {
		out[n] = *e;
		out[n++].start = c->last + 1;
	}
	return n;
}

/*
 * The extents @leaf holds once @c is done.  Only an extent holding the
 * whole range on both sides splits, and then it is the only one the range
 * overlaps: a leaf grows by one extent at most.
 */
static u32 swapfail_leaf_rewrite(const struct swapfail_change *c,
				 const struct swapfail_node *leaf,
				 struct swapfail_extent *out, bool *changed)
{
	bool insert = c->kind == SWAPFAIL_INSERT;
	const struct swapfail_extent *e;
	u32 i, n = 0;

	*changed = insert;
	for (i = 0; i < leaf->nr; i++) {
		e = &leaf->ext[i];
		if (insert && c->ext.start < e->start) {
			out[n++] = c->ext;
			insert = false;
		}
		if (!swapfail_change_hits(c, e)) {
			out[n++] = *e;
			continue;
		}
		*changed = true;
		n += swapfail_change_cut(c, e, out + n);
	}
	if (insert)
		out[n++] = c->ext;
	return n;
}

/* The first extent of an empty tree. */
static int swapfail_tree_plant(struct swapfail_tree *t,
			       struct swapfail_mem *mem,
			       const struct swapfail_change *c)
{
	struct swapfail_node *leaf;

	if (c->kind != SWAPFAIL_INSERT)
		return 0;
	if (c->max_extents < 1)
		return -ENOSPC;
	if (!mem->nr_free)
		return -ENOMEM;
	leaf = swapfail_node_new(t, mem, 0);
	leaf->ext[0] = c->ext;
	leaf->nr = 1;
	swapfail_rule_get(c->ext.rule);
	t->root = leaf;
	t->extents = 1;
	t->blocks = c->ext.end - c->ext.start;
	return 0;
}

/* Puts a step's new leaf @out in, if the cap and the nodes allow. */
static int swapfail_step_commit(struct swapfail_tree *t,
				struct swapfail_mem *mem,
				struct swapfail_change *c, struct swapfail_path *p,
				const struct swapfail_extent *out, u32 n)
{
	u32 in = p->node[0]->nr;
	u64 before, after;

	if (n > in && t->extents + (n - in) > c->max_extents)
		return -ENOSPC;
	if (mem->nr_free < SWAPFAIL_STEP_NODES(swapfail_tree_height(t)))
		return -ENOMEM;
	before = swapfail_extents_blocks(p->node[0]->ext, in);
	after = swapfail_extents_blocks(out, n);
	t->extents = t->extents - in + n;
	t->blocks = t->blocks - before + after;
	if (before > after)
		c->removed += before - after;
	c->changed++;
	swapfail_path_own(t, mem, p);
	/* an insert at the very end: blocks added in ascending order */
	swapfail_leaf_apply(t, mem, p, out, n,
			    p->next == SWAPFAIL_U64_MAX &&
			    c->kind == SWAPFAIL_INSERT &&
			    out[n - 1].start == c->ext.start);
	return 0;
}

/*
 * One step of change @c: the leaf that holds block *@next (for an insert,
 * where the new extent goes), and the path to it.  On success *@next is
 * where the next step goes on, past c->last when the change is done.
 * -ENOMEM: fewer than SWAPFAIL_STEP_NODES() free nodes; -ENOSPC: the tree
 * would pass c->max_extents.  Either way the tree is left as it was.
 */
int swapfail_tree_step(struct swapfail_tree *t, struct swapfail_mem *mem,
		       struct swapfail_change *c, u64 *next)
{
	struct swapfail_extent out[SWAPFAIL_LEAF_CAP + 1];
	struct swapfail_path p;
	bool changed;
	u32 n;
	int r = 0;

	if (!t->root) {
		r = swapfail_tree_plant(t, mem, c);
		*next = SWAPFAIL_U64_MAX;
		return r;
	}
	swapfail_path_find(t, *next, &p);
	n = swapfail_leaf_rewrite(c, p.node[0], out, &changed);
	if (changed)
		r = swapfail_step_commit(t, mem, c, &p, out, n);
	if (!r)
		*next = c->kind == SWAPFAIL_INSERT ? SWAPFAIL_U64_MAX : p.next;
	return r;
}

/*
 * Runs @c from *@next to c->last, for no more than @steps steps that change
 * a leaf and @looks steps in all.  0 when done; -EAGAIN when it ran out of
 * steps or of nodes, with *@next where to go on.  What it did is a whole
 * tree either way.
 */
static int swapfail_tree_change(struct swapfail_tree *t,
				struct swapfail_mem *mem,
				struct swapfail_change *c, u64 *next,
				u32 steps, u32 looks)
{
	u32 changed;
	int r;

	while (*next <= c->last) {
		if (!steps || !looks--)
			return -EAGAIN;
		changed = c->changed;
		r = swapfail_tree_step(t, mem, c, next);
		if (r)
			return r == -ENOMEM ? -EAGAIN : r;
		steps -= c->changed != changed;
	}
	return 0;
}

/* Whether a heal of first..last would split an extent in two. */
bool swapfail_tree_splits(const struct swapfail_tree *t, u64 first, u64 last,
			  bool swap)
{
	const struct swapfail_extent *e = swapfail_tree_find(t, first);

	return e && swapfail_extent_heals(e) && e->start < first &&
	       e->end > last + 1 && !swapfail_extent_spent(e) &&
	       swapfail_extent_sees_write(e, swap);
}

/*
 * Heals blocks first..last of @t's mode=read extents that a write (a
 * swap-out if @swap) heals, changing no more
 * than @steps leaves, under the writer's lock; -EAGAIN when it must go
 * again, from @first: as it only takes blocks out, it picks up where it
 * stopped, and the leaves it looks at are those of one bio.  The caller
 * checked swapfail_tree_splits() against the cap: only a heal inside one
 * extent splits it, in one step that either is done or changes nothing.
 */
int swapfail_tree_heal(struct swapfail_tree *t, struct swapfail_mem *mem,
		       u64 first, u64 last, bool swap, u32 steps,
		       u64 *healed)
{
	struct swapfail_change c = {
		.kind = SWAPFAIL_HEAL,
		.first = first,
		.last = last,
		.swap = swap,
		.max_extents = ~0U,
	};
	u64 next = first;
	int r = swapfail_tree_change(t, mem, &c, &next, steps, ~0U);

	*healed = c.removed;
	return r;
}

/*
 * Takes the extents of a spent @rule from *@next to @last out of @t, in
 * no more than @steps steps; -EAGAIN with *@next where to go on.  The
 * rule's extents never leave the range it was added for.
 */
int swapfail_tree_drop_rule(struct swapfail_tree *t, struct swapfail_mem *mem,
			    const struct swapfail_rule *rule, u64 *next,
			    u64 last, u32 steps)
{
	struct swapfail_change c = {
		.kind = SWAPFAIL_DROP_RULE,
		.rule = rule,
		.first = max(*next, rule->first),
		.last = min(last, rule->last),
	};

	*next = c.first;
	return swapfail_tree_change(t, mem, &c, next, steps, steps);
}

/* Drops the spent extents of @t from *@next on, as drop_rule does. */
int swapfail_tree_sweep(struct swapfail_tree *t, struct swapfail_mem *mem,
			u64 *next, u32 steps)
{
	struct swapfail_change c = {
		.kind = SWAPFAIL_DROP_SPENT,
		.first = *next,
		.last = SWAPFAIL_U64_MAX - 1,
	};

	return swapfail_tree_change(t, mem, &c, next, steps, steps);
}

void swapfail_tree_clear(struct swapfail_tree *t, struct swapfail_mem *mem)
{
	if (t->root)
		swapfail_node_put(mem, t->root);
	t->root = NULL;
	t->extents = 0;
	t->blocks = 0;
}

/* Whether first..last holds an extent: spent ones count if @spent. */
bool swapfail_tree_holds(const struct swapfail_tree *t,
			 const struct swapfail_range *r, bool spent)
{
	const struct swapfail_extent *e;
	struct swapfail_iter it;

	for (e = swapfail_iter_seek(&it, t, r->first); e && e->start <= r->last;
	     e = swapfail_iter_next(&it))
		if (spent == swapfail_extent_spent(e))
			return true;
	return false;
}

/* Plain extents that touch end to start are kept as one. */
bool swapfail_extent_joinable(const struct swapfail_extent *a,
			      const struct swapfail_extent *b)
{
	return a->end == b->start && a->mode == b->mode &&
	       a->error == b->error && !a->rule && !b->rule;
}

