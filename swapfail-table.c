// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-swapfail core, the table: the one decision for each I/O (the faults
 * of the extents it overlaps and of the trigger that fired, composed), and
 * a message's change of the table, made a step at a time on a staged tree
 * so that a refused batch changes nothing.
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

/* The I/O decision */

void swapfail_verdict_init(struct swapfail_verdict *v)
{
	/* the arrays are read only as far as their counts say */
	v->fault = false;
	v->wait = SWAPFAIL_ACT_ERROR;
	v->wait_by = SWAPFAIL_BY_EXTENT;
	v->outcome = SWAPFAIL_PASSES;
	v->outcome_by = SWAPFAIL_BY_EXTENT;
	v->error = SWAPFAIL_ERR_DEFAULT;
	v->wait_act = NULL;
	v->corrupt = NULL;
	v->block = 0;
	v->heal = false;
	v->sweep = false;
	v->nr_spent = 0;
	v->nr_charged = 0;
}

/* Whether wait @a, met after @b, replaces it: a hold beats a delay. */
static bool swapfail_wait_beats(const struct swapfail_act *a,
				const struct swapfail_act *b)
{
	if (!b)
		return true;
	if (a->kind != b->kind)
		return a->kind == SWAPFAIL_ACT_HOLD;
	if (a->kind == SWAPFAIL_ACT_DELAY)
		return a->delay_ns > b->delay_ns;
	/* of two holds, the longer; 0 is no limit */
	return b->hold_ns && (!a->hold_ns || a->hold_ns > b->hold_ns);
}

static u8 swapfail_act_outcome(const struct swapfail_act *act)
{
	switch (act ? act->kind : SWAPFAIL_ACT_ERROR) {
	case SWAPFAIL_ACT_ERROR:
		return SWAPFAIL_FAILS;
	case SWAPFAIL_ACT_DROP:
		return SWAPFAIL_DROPS;
	case SWAPFAIL_ACT_CORRUPT:
		return SWAPFAIL_CORRUPTS;
	default:
		return SWAPFAIL_PASSES;
	}
}

/*
 * Adds a fault to @v: @act (NULL: an error) of an extent or a trigger,
 * found at @block; @error is an error's.  The one place where faults
 * compose: see struct swapfail_verdict.
 */
void swapfail_verdict_add(struct swapfail_verdict *v,
			  const struct swapfail_act *act, u8 error, u64 block,
			  enum swapfail_trigger by)
{
	u8 outcome = swapfail_act_outcome(act);

	v->fault = true;
	if (act && (act->kind == SWAPFAIL_ACT_DELAY ||
		    act->kind == SWAPFAIL_ACT_HOLD)) {
		if (swapfail_wait_beats(act, v->wait_act)) {
			v->wait = act->kind;
			v->wait_act = act;
			v->wait_by = by;
		}
		return;
	}
	if (outcome <= v->outcome)
		return;
	v->outcome = outcome;
	v->outcome_by = by;
	v->block = block;
	v->error = outcome == SWAPFAIL_FAILS ? error : SWAPFAIL_ERR_DEFAULT;
	v->corrupt = outcome == SWAPFAIL_CORRUPTS ? act : NULL;
}

/*
 * Whether the I/O heals mode=read blocks when it reaches the disk: a write
 * that passes or is corrupted does, however late; one that fails or is
 * dropped reaches no disk.
 */
bool swapfail_verdict_heals(const struct swapfail_verdict *v)
{
	return v->heal && v->outcome <= SWAPFAIL_CORRUPTS;
}

/* Takes one failure from @rule's count; false if none was left. */
static bool swapfail_rule_take(struct swapfail_rule *rule,
			       struct swapfail_verdict *v)
{
	s64 left;

	if (!rule || !rule->has_count)
		return true;
	left = atomic64_dec_if_positive(&rule->count_left);
	if (left < 0)
		return false;
	if (!left) {
		if (v->nr_spent < SWAPFAIL_VERDICT_SPENT)
			v->spent[v->nr_spent++] = rule;
		else
			v->sweep = true;
	}
	return true;
}

/* A write over a mode=read extent fails while its wr_fail lasts. */
static bool swapfail_rule_wr_fails(struct swapfail_rule *rule)
{
	return rule && atomic_dec_if_positive(&rule->wr_fail_left) >= 0;
}

/* Whether extent @e fails the I/O, charging its rule's counts. */
static bool swapfail_extent_fails(const struct swapfail_extent *e,
				  enum swapfail_dir dir,
				  struct swapfail_verdict *v)
{
	struct swapfail_rule *rule = e->rule;

	if (e->mode & BIT(dir))
		return swapfail_rule_take(rule, v);
	if (dir != SWAPFAIL_DIR_WRITE || !swapfail_extent_heals(e))
		return false;
	if (swapfail_rule_wr_fails(rule))
		return swapfail_rule_take(rule, v);
	v->heal = true;
	return false;
}

/*
 * An I/O over several pieces of one rule is one failure, or one write:
 * the rule is charged once and its answer stands for every piece.
 * Returns the index of @rule's earlier answer, or -1.
 */
static int swapfail_verdict_charged(const struct swapfail_verdict *v,
				    const struct swapfail_rule *rule)
{
	u32 i;

	for (i = 0; rule && i < v->nr_charged; i++)
		if (v->charged[i] == rule)
			return i;
	return -1;
}

static void swapfail_extent_decide(const struct swapfail_extent *e,
				   u64 first, enum swapfail_dir dir, bool swap,
				   struct swapfail_verdict *v)
{
	int i = swapfail_verdict_charged(v, e->rule);
	bool fails;

	/* Linux marks swap-outs REQ_SWAP, and no swap-in: reads all match */
	if (swapfail_extent_spent(e) ||
	    (dir == SWAPFAIL_DIR_WRITE && !swapfail_extent_sees_write(e, swap)))
		return;
	if (i >= 0) {
		fails = v->charged_fail[i];
		v->heal |= !fails && dir == SWAPFAIL_DIR_WRITE &&
			   swapfail_extent_heals(e);
	} else {
		fails = swapfail_extent_fails(e, dir, v);
		if (e->rule && v->nr_charged < SWAPFAIL_VERDICT_RULES) {
			v->charged[v->nr_charged] = e->rule;
			v->charged_fail[v->nr_charged++] = fails;
		}
	}
	if (fails)
		swapfail_verdict_add(v, e->rule ? &e->rule->act : NULL,
				     e->error, max(e->start, first),
				     SWAPFAIL_BY_EXTENT);
}

/*
 * The table's part of the decision for an I/O over blocks first..last
 * (@swap: the kernel marks it REQ_SWAP): every extent it overlaps that
 * faults its direction adds its fault (an error, or its rule's action),
 * and every such extent with a count counts it.  A write over mode=read
 * blocks that none of them fails heals them when it reaches the disk: the
 * verdict says so, and the caller changes the tree.  Counts are atomic:
 * this runs without a lock, on any published tree.
 */
void swapfail_tree_check(const struct swapfail_tree *t, u64 first, u64 last,
			 enum swapfail_dir dir, bool swap,
			 struct swapfail_verdict *v)
{
	const struct swapfail_extent *e;
	struct swapfail_iter it;

	swapfail_verdict_init(v);
	for (e = swapfail_iter_seek(&it, t, first); e && e->start <= last;
	     e = swapfail_iter_next(&it))
		swapfail_extent_decide(e, first, dir, swap, v);
}

/* Message edits */

enum swapfail_edit_phase {
	SWAPFAIL_EDIT_CHECK,		/* may the range be added or removed */
	SWAPFAIL_EDIT_DROP_SPENT,	/* add over spent extents: drop them */
	SWAPFAIL_EDIT_PLACE,		/* add: the extent, joined */
	SWAPFAIL_EDIT_CUT,		/* remove: cut the range out */
};

/* Rules an add needs: one per range with a count, a wr_fail or an action. */
u32 swapfail_edit_rules(const struct swapfail_msg *msg)
{
	const struct swapfail_act *act = &msg->attr.act;

	if (msg->verb != SWAPFAIL_MSG_ADD && msg->verb != SWAPFAIL_MSG_DUST_ADD)
		return 0;
	if (msg->attr.count || msg->attr.wr_fail ||
	    act->kind != SWAPFAIL_ACT_ERROR || act->match != SWAPFAIL_MATCH_ALL)
		return msg->nr_ranges;
	return 0;
}

static bool swapfail_msg_adds(const struct swapfail_msg *msg)
{
	return msg->verb == SWAPFAIL_MSG_ADD || msg->verb == SWAPFAIL_MSG_DUST_ADD;
}

static bool swapfail_msg_removes(const struct swapfail_msg *msg)
{
	return msg->verb == SWAPFAIL_MSG_REMOVE ||
	       msg->verb == SWAPFAIL_MSG_DUST_REMOVE;
}

/*
 * Readies an edit of @msg: sorts its ranges and gives @rules,
 * swapfail_edit_rules() of them, to its ranges.  Rules
 * the edit did not put into the tree stay the caller's to free.
 */
int swapfail_edit_prepare(struct swapfail_edit *ed, struct swapfail_msg *msg,
			  struct swapfail_rule **rules, u32 max_extents)
{
	u32 i;

	memset(ed, 0, sizeof(*ed));
	ed->msg = msg;
	ed->rules = rules;
	ed->max_extents = max_extents;
	swapfail_ranges_sort(msg->ranges, msg->nr_ranges);
	if (!swapfail_msg_adds(msg))
		return 0;
	if (!swapfail_ranges_disjoint(msg->ranges, msg->nr_ranges)) {
		ed->error = "ranges in one message overlap";
		return -EINVAL;
	}
	for (i = 0; rules && i < msg->nr_ranges; i++)
		swapfail_rule_init(rules[i], &msg->attr, &msg->ranges[i]);
	return 0;
}

/* Rules from ed->rules that the edit has put into the tree. */
u32 swapfail_edit_rules_used(const struct swapfail_edit *ed)
{
	return ed->rules ? ed->range : 0;
}

static int swapfail_edit_change(struct swapfail_edit *ed,
				struct swapfail_tree *t,
				struct swapfail_mem *mem,
				struct swapfail_change *c)
{
	int r;

	c->max_extents = ed->max_extents;
	r = swapfail_tree_step(t, mem, c, &ed->next);
	if (r == -ENOMEM) {
		ed->need = SWAPFAIL_STEP_NODES(swapfail_tree_height(t));
		return -EAGAIN;
	}
	if (r == -ENOSPC) {
		ed->error = "table full";
		return -ENOSPC;
	}
	return r;
}

static int swapfail_edit_check(struct swapfail_edit *ed,
			       const struct swapfail_tree *t,
			       const struct swapfail_range *r)
{
	const struct swapfail_msg *msg = ed->msg;

	ed->next = r->first;
	if (!swapfail_msg_adds(msg)) {
		ed->phase = SWAPFAIL_EDIT_CUT;
		return 0;
	}
	if (swapfail_tree_holds(t, r, false)) {
		ed->error = "range overlaps an extent already in the table";
		return -EINVAL;
	}
	ed->pending = (struct swapfail_extent) {
		.start = r->first,
		.end = r->last + 1,
		.rule = ed->rules ? ed->rules[ed->range] : NULL,
		.mode = msg->attr.mode,
		.error = msg->attr.error,
	};
	ed->phase = swapfail_tree_holds(t, r, true) ? SWAPFAIL_EDIT_DROP_SPENT :
						      SWAPFAIL_EDIT_PLACE;
	return 0;
}

/* Steps over one range: 1 when the range is done. */
static int swapfail_edit_sweep(struct swapfail_edit *ed,
			       struct swapfail_tree *t,
			       struct swapfail_mem *mem,
			       enum swapfail_change_kind kind)
{
	const struct swapfail_range *r = &ed->msg->ranges[ed->range];
	struct swapfail_change c = {
		.kind = kind,
		.first = r->first,
		.last = r->last,
	};
	int err = swapfail_edit_change(ed, t, mem, &c);

	if (err)
		return err;
	return ed->next > r->last;
}

/*
 * Takes in the plain extent that touches the pending one on the left (or
 * right), so that adding blocks one by one builds one extent.
 */
static int swapfail_edit_join(struct swapfail_edit *ed,
			      struct swapfail_tree *t,
			      struct swapfail_mem *mem, bool prev)
{
	struct swapfail_extent *p = &ed->pending, join;
	const struct swapfail_extent *e = NULL;
	struct swapfail_change c = { .kind = SWAPFAIL_CUT };
	int r;

	if (prev && p->start)
		e = swapfail_tree_find(t, p->start - 1);
	else if (!prev && p->end)
		e = swapfail_tree_find(t, p->end);
	if (!e || !swapfail_extent_joinable(prev ? e : p, prev ? p : e))
		return 0;
	join = *e;
	c.first = join.start;
	c.last = join.end - 1;
	ed->next = join.start;
	r = swapfail_edit_change(ed, t, mem, &c);
	if (r)
		return r;
	if (prev)
		p->start = join.start;
	else
		p->end = join.end;
	return 0;
}

/*
 * Puts the pending extent in, joined with its plain neighbours.  The three
 * steps go under one hold of the lock, with their nodes at hand first: a
 * write healing a neighbour between them would find it cut out, and the
 * insert would bring its healed blocks back.
 */
static int swapfail_edit_place(struct swapfail_edit *ed,
			       struct swapfail_tree *t,
			       struct swapfail_mem *mem)
{
	u32 height = swapfail_tree_height(t);
	struct swapfail_change c = { .kind = SWAPFAIL_INSERT };
	int r;

	ed->need = 3 * SWAPFAIL_STEP_NODES(height + 1);
	if (mem->nr_free < ed->need)
		return -EAGAIN;
	r = swapfail_edit_join(ed, t, mem, true);
	if (!r)
		r = swapfail_edit_join(ed, t, mem, false);
	if (r)
		return r;
	c.ext = ed->pending;
	ed->next = c.ext.start;
	return swapfail_edit_change(ed, t, mem, &c);
}

/* One phase of the current range; returns 0 or -errno. */
static int swapfail_edit_range(struct swapfail_edit *ed,
			       struct swapfail_tree *t,
			       struct swapfail_mem *mem)
{
	const struct swapfail_range *r = &ed->msg->ranges[ed->range];
	int done;

	switch (ed->phase) {
	case SWAPFAIL_EDIT_CHECK:
		return swapfail_edit_check(ed, t, r);
	case SWAPFAIL_EDIT_DROP_SPENT:
		done = swapfail_edit_sweep(ed, t, mem, SWAPFAIL_DROP_SPENT);
		if (done > 0)
			ed->phase = SWAPFAIL_EDIT_PLACE;
		return min(done, 0);
	case SWAPFAIL_EDIT_PLACE:
		done = swapfail_edit_place(ed, t, mem);
		break;
	default:
		done = swapfail_edit_sweep(ed, t, mem, SWAPFAIL_CUT);
		if (done <= 0)
			return done;
		done = 0;
		break;
	}
	if (!done) {
		ed->range++;
		ed->phase = SWAPFAIL_EDIT_CHECK;
	}
	return done;
}

/*
 * Each range to remove must hold a bad block of the table as it was: all
 * are checked before any is cut, then they are merged.
 */
static int swapfail_edit_check_removes(struct swapfail_edit *ed,
				       const struct swapfail_tree *t)
{
	struct swapfail_msg *msg = ed->msg;

	if (!swapfail_tree_holds(t, &msg->ranges[ed->range], false)) {
		ed->error = "no bad block in range";
		return -EINVAL;
	}
	if (++ed->range < msg->nr_ranges)
		return 1;
	msg->nr_ranges = swapfail_ranges_union(msg->ranges, msg->nr_ranges);
	ed->range = 0;
	ed->checked = true;
	return 1;
}

/*
 * Takes one step of the edit on @t, the staged tree: 1 while there is
 * more to do, 0 when done, -EAGAIN when @mem needs ed->need free nodes
 * first, or -errno (and ed->error) when the edit is refused:
 * the caller then drops the staged tree.
 */
int swapfail_edit_step(struct swapfail_edit *ed, struct swapfail_tree *t,
		       struct swapfail_mem *mem)
{
	const struct swapfail_msg *msg = ed->msg;
	int r;

	if (msg->verb == SWAPFAIL_MSG_CLEAR ||
	    msg->verb == SWAPFAIL_MSG_DUST_CLEAR) {
		swapfail_tree_clear(t, mem);
		return 0;
	}
	if (!swapfail_msg_adds(msg) && !swapfail_msg_removes(msg))
		return 0;
	if (swapfail_msg_removes(msg) && !ed->checked)
		return swapfail_edit_check_removes(ed, t);
	if (ed->range == msg->nr_ranges)
		return 0;
	r = swapfail_edit_range(ed, t, mem);
	if (r)
		return r;
	return ed->range < msg->nr_ranges;
}

/*
 * The one decision of an I/O over blocks first..last (@swap: the kernel
 * marks it REQ_SWAP): the faults of the extents of @view it overlaps
 * (NULL: the table's bounds say none can) and, if a trigger fired for it
 * (@by, or -1), of @trigger's action (NULL: the device's error), composed.
 * Lockless, on any published tree.
 */
void swapfail_decide(const struct swapfail_tree *view, u64 first, u64 last,
		     enum swapfail_dir dir, bool swap,
		     const struct swapfail_act *trigger, int by,
		     struct swapfail_verdict *v)
{
	if (view)
		swapfail_tree_check(view, first, last, dir, swap, v);
	else
		swapfail_verdict_init(v);
	if (by >= 0)
		swapfail_verdict_add(v, trigger,
				     trigger ? trigger->error : SWAPFAIL_ERR_DEFAULT,
				     first, by);
}

/* The table: the live tree, a message's staged one, and their upkeep */

void swapfail_table_init(struct swapfail_table *t,
			 struct swapfail_node **reserve, u32 size,
			 u32 max_extents)
{
	memset(t, 0, sizeof(*t));
	t->mem.free = reserve;
	t->mem.size = size;
	t->max_extents = max_extents;
}

/* A change made for I/O: the live tree gets a generation of its own. */
static void swapfail_table_live_begin(struct swapfail_table *t)
{
	t->live.gen = ++t->gen;
}

/*
 * Opens a message's edit: the staged tree starts as the live one, with a
 * generation of its own, and a change made for I/O changes both from now
 * on.  Caller holds the table's lock.
 */
void swapfail_table_stage_begin(struct swapfail_table *t)
{
	t->staged = t->live;
	t->staged.gen = ++t->gen;
	if (t->staged.root)
		swapfail_node_get(t->staged.root);
	t->staging = true;
	/* dropping spent extents starts over in the new tree */
	t->gc_next[1] = 0;
}

/*
 * Closes the edit: with @publish the staged tree becomes the live one
 * (the caller publishes its root), else it is dropped.  The root that
 * goes is put into @mem, for the caller to release once the new root is
 * published.  Caller holds the table's lock.
 */
void swapfail_table_stage_end(struct swapfail_table *t,
			      struct swapfail_mem *mem, bool publish)
{
	struct swapfail_node *drop = publish ? t->live.root : t->staged.root;

	if (publish) {
		t->live = t->staged;
		t->gc_next[0] = 0;
	}
	if (drop)
		swapfail_node_put(mem, drop);
	t->staging = false;
	memset(&t->staged, 0, sizeof(t->staged));
}

/*
 * Whether healing first..last would split an extent of a tree already at
 * the cap: the write then fails instead, as on a disk that cannot remap.
 */
static bool swapfail_table_heal_over_cap(const struct swapfail_table *t,
					 u64 first, u64 last, bool swap)
{
	return (t->live.extents >= t->max_extents &&
		swapfail_tree_splits(&t->live, first, last, swap)) ||
	       (t->staging && t->staged.extents >= t->max_extents &&
		swapfail_tree_splits(&t->staged, first, last, swap));
}

/*
 * Heals blocks first..last for a write that reached the disk (a swap-out
 * if @swap): in the live tree and, while a message edits, in the staged
 * one, @steps steps each at most, with the table's nodes.  0 when done;
 * -EAGAIN when there is more (the nodes or the steps ran out: a heal only
 * takes blocks out, so going again from the start finishes it); -ENOSPC
 * when it would split an extent of a full tree, and nothing is healed.
 * @healed: the blocks taken from the live tree.  Caller holds the table's
 * lock, publishes the live root and releases what mem let go of.
 */
int swapfail_table_heal(struct swapfail_table *t, u64 first, u64 last,
			bool swap, u32 steps, u64 *healed)
{
	u64 staged;
	int r;

	*healed = 0;
	if (swapfail_table_heal_over_cap(t, first, last, swap))
		return -ENOSPC;
	swapfail_table_live_begin(t);
	r = swapfail_tree_heal(&t->live, &t->mem, first, last, swap, steps,
			       healed);
	if (!r && t->staging)
		r = swapfail_tree_heal(&t->staged, &t->mem, first, last, swap,
				       steps, &staged);
	return r;
}

/*
 * Queues the rules @v spent, for their extents to be dropped (a rule no
 * leaf holds any more, ref 0, is on its way out and is left alone).
 * Returns whether the collector has work.  Caller holds the table's lock
 * and, since @v found the rules in a published tree, the RCU read lock.
 */
bool swapfail_table_queue_spent(struct swapfail_table *t,
				const struct swapfail_verdict *v)
{
	struct swapfail_rule *rule;
	u32 i;

	for (i = 0; i < v->nr_spent; i++) {
		rule = v->spent[i];
		if (!rule->ref || rule->queued)
			continue;
		rule->queued = true;
		rule->next = t->spent;
		t->spent = rule;
	}
	t->sweep |= v->sweep;
	return v->nr_spent || v->sweep;
}

/*
 * Drops the pieces over first..last of the rules @v spent, @steps steps
 * each at most, so that the totals count them out at once in the common
 * case; the collector drops the rest.  Caller as for queue_spent, and it
 * publishes the live root.
 */
void swapfail_table_drop_spent(struct swapfail_table *t,
			       const struct swapfail_verdict *v, u64 first,
			       u64 last, u32 steps)
{
	u64 next;
	u32 i;

	for (i = 0; i < v->nr_spent; i++) {
		if (!v->spent[i]->queued)
			continue;
		swapfail_table_live_begin(t);
		next = first;
		if (swapfail_tree_drop_rule(&t->live, &t->mem, v->spent[i],
					    &next, last, steps) || !t->staging)
			continue;
		next = first;
		swapfail_tree_drop_rule(&t->staged, &t->mem, v->spent[i], &next,
					last, steps);
	}
}

/* A round of dropping @rule's extents (or, NULL, every spent one). */
static int swapfail_table_collect_tree(struct swapfail_table *t,
				       struct swapfail_tree *tree,
				       const struct swapfail_rule *rule,
				       u64 *next, u32 steps)
{
	if (rule)
		return swapfail_tree_drop_rule(tree, &t->mem, rule, next,
					       SWAPFAIL_U64_MAX - 1, steps);
	return swapfail_tree_sweep(tree, &t->mem, next, steps);
}

/* The first queued rule (or the sweep) is done with. */
static void swapfail_table_collected(struct swapfail_table *t)
{
	struct swapfail_rule *rule = t->spent;

	t->gc_next[0] = 0;
	t->gc_next[1] = 0;
	if (!rule) {
		t->sweep = false;
		return;
	}
	t->spent = rule->next;
	rule->queued = false;
	/* queued, it was not dropped with its last leaf */
	if (!rule->ref) {
		rule->next = t->mem.dropped_rules;
		t->mem.dropped_rules = rule;
	}
}

/*
 * One round of dropping the first queued spent rule's extents (or, for a
 * sweep, every spent extent) in both trees, from where the last round
 * stopped in each, @steps steps each at most: 1 while there is more, 0
 * when nothing is left to drop, -EAGAIN when the table's nodes fall short
 * of a step's worst case.  Caller holds the table's lock, publishes the
 * live root and releases what mem let go of.
 */
int swapfail_table_collect(struct swapfail_table *t, u32 steps)
{
	const struct swapfail_rule *rule = t->spent;
	int r;

	if (!rule && !t->sweep)
		return 0;
	swapfail_table_live_begin(t);
	r = swapfail_table_collect_tree(t, &t->live, rule, &t->gc_next[0],
					steps);
	if (!r && t->staging)
		r = swapfail_table_collect_tree(t, &t->staged, rule,
						&t->gc_next[1], steps);
	if (!r)
		swapfail_table_collected(t);
	else if (t->mem.nr_free < SWAPFAIL_STEP_NODES(SWAPFAIL_MAX_HEIGHT))
		return -EAGAIN;
	return 1;
}
