// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-swapfail: a device-mapper target that fails chosen I/O, to show what
 * the kernel and its processes do when swap I/O fails.
 *
 * It keeps a table of bad block extents and every_nth and probability
 * triggers per direction, changed at any time through messages; a device
 * under swap never has to be suspended to change what fails.  The
 * decisions live in the core (swapfail-*.c, swapfail-core.h); this file
 * holds the kernel side: locks, RCU publishing, memory, the I/O path, the
 * worker, construction, messages and status.  What a fault does besides
 * an error is carried out in dm-swapfail-act.c.
 *
 * The table is a copy-on-write B+tree.  An I/O reads the published root
 * under RCU and takes no lock.  Every change to a tree is made under one
 * spinlock a step at a time, each step one leaf and its path, so no hold
 * of the lock grows with the table:
 *  - a message changes a staged copy of the tree, between steps refilling
 *    its nodes with GFP_KERNEL, and publishes it whole, or drops it;
 *  - a write that heals changes the live tree (and the staged one, while a
 *    message is open) with nodes from a per-device reserve.  When the
 *    reserve runs short it publishes what it did and the write waits on the
 *    target's list for the worker, which refills the reserve and finishes.
 *    Presuspend settles every waiting write, so suspend, reload and remove
 *    never wait for memory.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "dm-swapfail-target.h"

#define CREATE_TRACE_POINTS
#include "dm-swapfail-trace.h"

/*
 * Nodes each device keeps for writes that heal.  Below a step's worst case
 * every such write waits for the worker, which polls until it is raised:
 * the tests lower it to hold writes waiting.
 */
static unsigned int reserve_nodes = SWAPFAIL_RESERVE;
module_param(reserve_nodes, uint, 0644);
MODULE_PARM_DESC(reserve_nodes,
		 "Nodes each device keeps for writes that heal (at most 128)");

static LIST_HEAD(swapfail_states);
static DEFINE_MUTEX(swapfail_states_lock);	/* guards swapfail_states */
struct workqueue_struct *swapfail_wq;
static struct kmem_cache *swapfail_node_cache;

/* Nodes and rules */

static struct swapfail_node *swapfail_node_alloc(gfp_t gfp)
{
	struct swapfail_knode *kn = kmem_cache_alloc(swapfail_node_cache, gfp);

	return kn ? &kn->node : NULL;
}

/* A node never published goes at once. */
static void swapfail_node_free_now(struct swapfail_node *node)
{
	kmem_cache_free(swapfail_node_cache,
			container_of(node, struct swapfail_knode, node));
}

static void swapfail_node_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(swapfail_node_cache,
			container_of(rcu, struct swapfail_knode, rcu));
}

static void swapfail_free_node(struct swapfail_node *node, void *arg)
{
	call_rcu(&container_of(node, struct swapfail_knode, node)->rcu,
		 swapfail_node_free_rcu);
}

static void swapfail_free_rule(struct swapfail_rule *rule, void *arg)
{
	kfree_rcu(container_of(rule, struct swapfail_krule, rule), rcu);
}

/* Frees a batch of what @mem let go of; true if more is waiting. */
static bool swapfail_reap_batch(struct swapfail_state *st,
				struct swapfail_mem *mem)
{
	lockdep_assert_held(&st->lock);
	return swapfail_mem_reap(mem, SWAPFAIL_REAP_BATCH, swapfail_free_node,
				 swapfail_free_rule, NULL);
}

/* Frees all of it, a batch per hold of the lock. */
static void swapfail_reap_all(struct swapfail_state *st,
			      struct swapfail_mem *mem)
{
	unsigned long flags;
	bool more;

	do {
		spin_lock_irqsave(&st->lock, flags);
		more = swapfail_reap_batch(st, mem);
		spin_unlock_irqrestore(&st->lock, flags);

		cond_resched();
	} while (more);
}

/*
 * Puts @node into the I/O reserve if it is below @want nodes, or takes
 * one out if it is above (returned through @node).  Returns how many
 * nodes the reserve lacks.
 */
static u32 swapfail_reserve_adjust(struct swapfail_state *st, u32 want,
				   struct swapfail_node **node)
{
	struct swapfail_mem *mem = &st->table.mem;
	unsigned long flags;
	u32 lack;

	spin_lock_irqsave(&st->lock, flags);
	if (*node && mem->nr_free < want) {
		mem->free[mem->nr_free++] = *node;
		*node = NULL;
	} else if (!*node && mem->nr_free > want) {
		*node = mem->free[--mem->nr_free];
	}
	lack = want > mem->nr_free ? want - mem->nr_free : 0;
	spin_unlock_irqrestore(&st->lock, flags);
	return lack;
}

/*
 * Brings the I/O reserve to reserve_nodes.  Returns false if an allocation
 * failed, or if the reserve, so set, cannot hold a step's worst case.
 */
static bool swapfail_reserve_fill(struct swapfail_state *st, gfp_t gfp)
{
	u32 want = min_t(u32, READ_ONCE(reserve_nodes), SWAPFAIL_RESERVE);
	struct swapfail_node *node = NULL;

	while (swapfail_reserve_adjust(st, want, &node) || node) {
		if (node) {
			swapfail_node_free_now(node);
			node = NULL;
			continue;
		}
		node = swapfail_node_alloc(gfp);
		if (!node)
			return false;
	}
	return want >= SWAPFAIL_POOL;
}

/* Publishing */

/*
 * Publishes the live tree to the I/O path.  The bounds widen before the new
 * root and narrow after it, so that an I/O that sees them outside every
 * extent is right about one of the two trees.
 */
static void swapfail_publish(struct swapfail_state *st)
{
	u64 lo, hi;

	lockdep_assert_held(&st->lock);
	swapfail_tree_bounds(&st->table.live, &lo, &hi);
	WRITE_ONCE(st->lo, min(st->lo, lo));
	WRITE_ONCE(st->hi, max(st->hi, hi));
	rcu_assign_pointer(st->root, st->table.live.root);
	WRITE_ONCE(st->lo, lo);
	WRITE_ONCE(st->hi, hi);
}

/* Changes made for I/O */

const char *swapfail_name(struct swapfail_c *sc)
{
	return dm_device_name(dm_table_get_md(sc->ti->table));
}

/*
 * Heals the mode=read blocks first..last of a write that reaches the disk,
 * in both trees, with the reserve's nodes: 0; -EAGAIN when they ran short
 * (the write waits for the worker and comes back: a heal only takes blocks
 * out, so going again finishes it); -ENOSPC when it would split an extent
 * of a full table: the write fails instead, as on a disk that cannot remap.
 */
int swapfail_heal(struct swapfail_c *sc, u64 first, u64 last, bool swap)
{
	struct swapfail_state *st = sc->st;
	struct swapfail_mem *mem = &st->table.mem;
	unsigned long flags;
	u64 healed;
	bool kick;
	int r;

	spin_lock_irqsave(&st->lock, flags);
	r = swapfail_table_heal(&st->table, first, last, swap, SWAPFAIL_STEPS,
				&healed);
	swapfail_publish(st);
	swapfail_reap_batch(st, mem);
	kick = mem->nr_free < SWAPFAIL_RESERVE / 2 || mem->dropped;
	spin_unlock_irqrestore(&st->lock, flags);

	if (kick)
		mod_delayed_work(swapfail_wq, &sc->work, 0);
	if (r == -ENOSPC)
		DMERR_LIMIT("%s: table full: write of block %llu fails instead of healing",
			    swapfail_name(sc), first);
	if (!healed)
		return r;
	this_cpu_add(st->pcpu->count[SWAPFAIL_HEALED], healed);
	if (!READ_ONCE(st->policy.quiet))
		DMINFO_LIMIT("%s: write of blocks %llu-%llu healed them",
			     swapfail_name(sc), first, last);
	return r;
}

/* The I/O path */

static bool swapfail_bio_dir(struct bio *bio, enum swapfail_dir *dir)
{
	if (!bio_sectors(bio))
		return false;
	switch (bio_op(bio)) {
	case REQ_OP_READ:
		*dir = SWAPFAIL_DIR_READ;
		return true;
	case REQ_OP_WRITE:
		*dir = SWAPFAIL_DIR_WRITE;
		return true;
	default:
		return false;
	}
}

static void swapfail_bio_blocks(struct swapfail_c *sc, struct bio *bio,
				u64 *first, u64 *last)
{
	sector_t sector = dm_target_offset(sc->ti, bio->bi_iter.bi_sector);

	*first = sector >> sc->block_shift;
	*last = (sector + bio_sectors(bio) - 1) >> sc->block_shift;
}

/*
 * A write that cannot wait for nodes once the device suspends: a noflush
 * suspend takes it back to resubmit after resume; otherwise it fails, as
 * it would fail on a disk that cannot remap its block.
 */
static void swapfail_settle(struct swapfail_c *sc, struct bio *bio)
{
	if (dm_noflush_suspending(sc->ti)) {
		bio->bi_status = BLK_STS_DM_REQUEUE;
	} else {
		this_cpu_inc(sc->st->pcpu->count[SWAPFAIL_WRITE_ERRORS]);
		DMERR_LIMIT("%s: no memory to heal a write while suspending: it fails",
			    swapfail_name(sc));
		bio->bi_status = BLK_STS_IOERR;
	}
	bio_endio(bio);
}

/*
 * A write the reserve could not heal waits for the worker; one that may
 * not wait (REQ_NOWAIT) is told so; after presuspend none waits.
 */
void swapfail_defer(struct swapfail_c *sc, struct bio *bio)
{
	unsigned long flags;
	bool suspending;

	if (bio->bi_opf & REQ_NOWAIT) {
		bio_wouldblock_error(bio);
		return;
	}
	this_cpu_inc(sc->st->pcpu->count[SWAPFAIL_DEFERRED]);

	spin_lock_irqsave(&sc->deferred_lock, flags);
	suspending = sc->suspending;
	if (!suspending)
		bio_list_add(&sc->deferred, bio);
	spin_unlock_irqrestore(&sc->deferred_lock, flags);

	if (suspending)
		swapfail_settle(sc, bio);
	else
		mod_delayed_work(swapfail_wq, &sc->work, 0);
}

/* The decision */

/*
 * Queues the rules a verdict spent, for the worker to drop their extents,
 * and drops the pieces this I/O touched while the reserve allows, so that
 * in the common case status counts them out at once.  The caller holds
 * the RCU read lock: the rules were found in a published tree.
 */
static void swapfail_spent(struct swapfail_c *sc,
			   const struct swapfail_verdict *v, u64 first, u64 last)
{
	struct swapfail_state *st = sc->st;
	unsigned long flags;
	bool kick;

	if (!v->nr_spent && !v->sweep)
		return;

	spin_lock_irqsave(&st->lock, flags);
	kick = swapfail_table_queue_spent(&st->table, v);
	swapfail_table_drop_spent(&st->table, v, first, last, SWAPFAIL_STEPS);
	swapfail_publish(st);
	swapfail_reap_batch(st, &st->table.mem);
	spin_unlock_irqrestore(&st->lock, flags);

	if (kick)
		mod_delayed_work(swapfail_wq, &sc->work, 0);
}

/*
 * The action of the trigger that fired for an I/O of @dir, or NULL (the
 * device's error): as published.  -1 in @by if it has been switched off
 * since it counted the I/O: the message that did it waits for this
 * section to end before it lets go of what it held.
 */
static const struct swapfail_act *
swapfail_trigger_action(struct swapfail_state *st, enum swapfail_dir dir,
			int *by)
{
	const struct swapfail_trigger_act *tr;

	/* pairs with the release that publishes the action first */
	if (!(smp_load_acquire(&st->triggers) & BIT(dir))) {
		*by = -1;
		return NULL;
	}
	tr = rcu_dereference(st->trigger[dir]);
	return tr ? &tr->act : NULL;
}

/*
 * The decision for an I/O that a trigger counted (@by, or -1), or that may
 * touch an extent (@table): the core's, on the published table.  The
 * caller holds rcu_read_lock() until what it decides to hold is queued:
 * see swapfail_unhold_wait().
 */
static void swapfail_map_verdict(struct swapfail_c *sc, struct bio *bio,
				 enum swapfail_dir dir, u64 first, u64 last,
				 bool table, int by, struct swapfail_verdict *v)
{
	struct swapfail_state *st = sc->st;
	const struct swapfail_act *trigger = NULL;
	struct swapfail_tree view = { };

	if (!READ_ONCE(st->policy.enabled)) {
		swapfail_verdict_init(v);
		return;
	}
	if (table)
		view.root = rcu_dereference(st->root);
	if (by >= 0)
		trigger = swapfail_trigger_action(st, dir, &by);
	swapfail_decide(table ? &view : NULL, first, last, dir,
			bio->bi_opf & REQ_SWAP, trigger, by, v);
	swapfail_spent(sc, v, first, last);
}

/*
 * An I/O that a trigger counted, or that may touch an extent: decided,
 * and what is decided carried out.
 */
static int swapfail_map_decide(struct swapfail_c *sc, struct bio *bio,
			       enum swapfail_dir dir, u64 first, u64 last,
			       bool table, int by)
{
	struct swapfail_verdict v;
	bool queued = false;
	int r;

	rcu_read_lock();
	swapfail_map_verdict(sc, bio, dir, first, last, table, by, &v);
	if (v.fault || v.heal)
		swapfail_plan(sc, bio, dir, first, last, &v);
	if (v.wait != SWAPFAIL_ACT_ERROR)
		queued = swapfail_wait(sc, bio, v.wait_act);
	rcu_read_unlock();

	if (queued)
		return DM_MAPIO_SUBMITTED;
	if (!v.fault && !v.heal) {
		swapfail_remap(sc, bio);
		return DM_MAPIO_REMAPPED;
	}
	r = swapfail_go(sc, bio, GFP_NOWAIT | __GFP_NOWARN);
	if (r != -EAGAIN)
		return r;
	swapfail_defer(sc, bio);
	return DM_MAPIO_SUBMITTED;
}

/*
 * Whether every_nth or probability fires for @bio, counting it if their
 * action matches it (@triggers: st's): the one that fired, or -1.
 * Lockless, and all that an I/O they spare pays.
 */
static int swapfail_trigger_count(struct swapfail_state *st,
				  struct bio *bio, enum swapfail_dir dir,
				  unsigned int triggers)
{
	return swapfail_trigger_fires(READ_ONCE(st->policy.every_nth[dir]),
				      READ_ONCE(st->policy.probability[dir]),
				      &st->policy.seed, dir,
				      triggers & SWAPFAIL_TRIGGER_SWAP << dir,
				      bio->bi_opf & REQ_SWAP,
				      &st->nth_ios[dir], &st->prob_ios[dir]);
}

static int swapfail_map(struct dm_target *ti, struct bio *bio)
{
	struct swapfail_c *sc = ti->private;
	struct swapfail_state *st = sc->st;
	unsigned int triggers;
	enum swapfail_dir dir;
	u64 first, last;
	bool table;
	int by = -1;

	if (likely(swapfail_bio_dir(bio, &dir))) {
		this_cpu_inc(st->pcpu->count[SWAPFAIL_READS + dir]);
		if (!READ_ONCE(st->policy.enabled))
			goto remap;
		triggers = READ_ONCE(st->triggers);
		if (unlikely(triggers & BIT(dir)))
			by = swapfail_trigger_count(st, bio, dir, triggers);
		swapfail_bio_blocks(sc, bio, &first, &last);
		/* the table's bounds: most I/O needs no look at the tree */
		table = last >= READ_ONCE(st->lo) && first < READ_ONCE(st->hi);
		if (table || by >= 0)
			return swapfail_map_decide(sc, bio, dir, first, last,
						   table, by);
	}
remap:
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
}

/* The worker */

/*
 * Sends on a write that waited for nodes, refilling the reserve as its
 * heal uses it while @full.  False if it must wait more.
 */
static bool swapfail_retry(struct swapfail_c *sc, struct bio *bio,
			   bool *full)
{
	int r;

	while ((r = swapfail_go(sc, bio, GFP_NOIO)) == -EAGAIN && *full)
		*full = swapfail_reserve_fill(sc->st, SWAPFAIL_WORKER_GFP);
	if (r == -EAGAIN)
		return false;
	if (r == DM_MAPIO_REMAPPED)
		dm_submit_bio_remap(bio, NULL);
	return true;
}

/* Puts back a write that must wait more; after presuspend, settles it. */
static void swapfail_requeue(struct swapfail_c *sc, struct bio *bio)
{
	bool suspending;

	spin_lock_irq(&sc->deferred_lock);
	suspending = sc->suspending;
	if (!suspending)
		bio_list_add(&sc->deferred, bio);
	spin_unlock_irq(&sc->deferred_lock);

	if (suspending)
		swapfail_settle(sc, bio);
}

/*
 * Sends on the waiting writes, refilling the reserve as each heal uses
 * it.  Returns true if some still wait (an allocation failed).
 */
static bool swapfail_resubmit(struct swapfail_c *sc)
{
	struct bio_list bios;
	struct bio *bio;
	bool full = true;

	spin_lock_irq(&sc->deferred_lock);
	bios = sc->deferred;
	bio_list_init(&sc->deferred);
	spin_unlock_irq(&sc->deferred_lock);

	while ((bio = bio_list_pop(&bios)))
		if (!swapfail_retry(sc, bio, &full))
			swapfail_requeue(sc, bio);
	return !full;
}

/*
 * Drops the extents of spent rules and releases what I/O let go of, a
 * round per hold of the lock.  Returns true if it ran short of memory.
 */
static bool swapfail_collect(struct swapfail_state *st, gfp_t gfp)
{
	unsigned long flags;
	bool release;
	int r;

	for (;;) {
		spin_lock_irqsave(&st->lock, flags);
		r = swapfail_table_collect(&st->table, SWAPFAIL_STEPS);
		swapfail_publish(st);
		release = swapfail_reap_batch(st, &st->table.mem);
		spin_unlock_irqrestore(&st->lock, flags);

		if (r == -EAGAIN && !swapfail_reserve_fill(st, gfp))
			return true;
		if (!r && !release)
			return false;
		cond_resched();
	}
}

/*
 * Refills the reserve, collects spent extents and sends on the writes
 * that waited for nodes; goes again later while any of it is short.  It
 * takes no mutex: a message holding edit_lock may be in reclaim, waiting
 * for one of these very writes.
 */
static void swapfail_work(struct work_struct *work)
{
	struct swapfail_c *sc = container_of(to_delayed_work(work),
					     struct swapfail_c, work);
	bool again;

	swapfail_reserve_fill(sc->st, SWAPFAIL_WORKER_GFP);
	again = swapfail_collect(sc->st, SWAPFAIL_WORKER_GFP);
	again |= swapfail_resubmit(sc);
	if (again)
		mod_delayed_work(swapfail_wq, &sc->work,
				 msecs_to_jiffies(SWAPFAIL_RETRY_MS));
}

/* State shared across reloads */

static bool swapfail_state_matches(const struct swapfail_state *st,
				   const struct swapfail_c *sc)
{
	return st->md == dm_table_get_md(sc->ti->table) &&
	       st->begin == sc->ti->begin && st->dev == sc->dev->bdev->bd_dev &&
	       st->offset == sc->offset && st->block_size == sc->block_size;
}

/* Frees a state nobody uses: its table, reserve and spent rules. */
static void swapfail_state_free(struct swapfail_state *st)
{
	struct swapfail_mem *mem;
	struct swapfail_rule *rule;
	unsigned int d;

	if (!st)
		return;
	mem = &st->table.mem;
	/* the last target is gone: no map() reads the triggers any more */
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++)
		kfree(rcu_dereference_protected(st->trigger[d], true));

	spin_lock_irq(&st->lock);
	swapfail_tree_clear(&st->table.live, mem);
	spin_unlock_irq(&st->lock);

	swapfail_reap_all(st, mem);
	while ((rule = st->table.spent)) {
		st->table.spent = rule->next;
		if (!rule->ref)
			swapfail_free_rule(rule, NULL);
	}
	while (mem->nr_free)
		swapfail_node_free_now(mem->free[--mem->nr_free]);
	while (st->pool.nr_free)
		swapfail_node_free_now(st->pool.free[--st->pool.nr_free]);
	free_percpu(st->pcpu);
	kfree(st);
}

static struct swapfail_state *swapfail_state_alloc(struct swapfail_c *sc)
{
	struct swapfail_state *st = kzalloc(sizeof(*st), GFP_KERNEL);

	if (!st)
		return NULL;
	mutex_init(&st->edit_lock);
	spin_lock_init(&st->lock);
	spin_lock_init(&st->policy_lock);
	swapfail_policy_init(&st->policy);
	st->lo = ~0ULL;
	swapfail_table_init(&st->table, st->reserve, SWAPFAIL_RESERVE,
			    SWAPFAIL_MAX_EXTENTS);
	st->pool.free = st->stash;
	st->pool.size = SWAPFAIL_EDIT_NODES;
	st->pcpu = alloc_percpu(struct swapfail_pcpu);
	if (!st->pcpu) {
		swapfail_state_free(st);
		return NULL;
	}
	swapfail_reserve_fill(st, GFP_KERNEL);
	refcount_set(&st->ref, 1);
	st->md = dm_table_get_md(sc->ti->table);
	st->begin = sc->ti->begin;
	st->dev = sc->dev->bdev->bd_dev;
	st->offset = sc->offset;
	st->block_size = sc->block_size;
	return st;
}

/* The state of the target this one replaces, or a new one. */
static struct swapfail_state *swapfail_state_get(struct swapfail_c *sc)
{
	struct swapfail_state *st;

	mutex_lock(&swapfail_states_lock);
	list_for_each_entry(st, &swapfail_states, node) {
		if (swapfail_state_matches(st, sc)) {
			refcount_inc(&st->ref);
			goto out;
		}
	}
	st = swapfail_state_alloc(sc);
	if (st)
		list_add(&st->node, &swapfail_states);
out:
	mutex_unlock(&swapfail_states_lock);
	return st;
}

static void swapfail_state_put(struct swapfail_state *st)
{
	mutex_lock(&swapfail_states_lock);
	if (refcount_dec_and_test(&st->ref))
		list_del(&st->node);
	else
		st = NULL;
	mutex_unlock(&swapfail_states_lock);

	swapfail_state_free(st);
}

/* Policy and counters */

/* A copy of the policy, for status. */
static void swapfail_policy_read(struct swapfail_state *st,
				 struct swapfail_policy *p)
{
	spin_lock(&st->policy_lock);
	*p = st->policy;
	spin_unlock(&st->policy_lock);
}

/*
 * Applies a new policy; @restart: the counters to start again (see
 * swapfail_policy_update()).  The triggers' actions are published first
 * (swapfail_triggers_store()): their bits go live last, with release.
 */
static void swapfail_policy_store(struct swapfail_state *st,
				  const struct swapfail_policy *p, u32 restart)
{
	unsigned int d, on;

	lockdep_assert_held(&st->policy_lock);
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++) {
		if (restart & BIT(d)) {
			atomic64_set(&st->nth_ios[d], 0);
			atomic64_set(&st->prob_ios[d], 0);
		}
		WRITE_ONCE(st->policy.every_nth[d], p->every_nth[d]);
		WRITE_ONCE(st->policy.probability[d], p->probability[d]);
		st->policy.trigger[d] = p->trigger[d];
	}
	if (restart & SWAPFAIL_RESTART_FAULTS)
		atomic64_set(&st->faults, 0);
	WRITE_ONCE(st->policy.seed, p->seed);
	for (d = 0, on = 0; d < SWAPFAIL_NR_DIRS; d++) {
		if (p->every_nth[d] || p->probability[d])
			on |= BIT(d);
		if (p->trigger[d].match == SWAPFAIL_MATCH_SWAP)
			on |= SWAPFAIL_TRIGGER_SWAP << d;
	}
	/* after the values and actions: see swapfail_trigger_add() */
	smp_store_release(&st->triggers, on);
	WRITE_ONCE(st->policy.error, p->error);
	WRITE_ONCE(st->policy.quiet, p->quiet);
	if (p->enabled != st->policy.enabled)
		DMINFO("%s failures", p->enabled ? "enabling" : "disabling");
	WRITE_ONCE(st->policy.enabled, p->enabled);
}

/*
 * Counters since the last reset_stats.  Each CPU's base is a value its
 * counter had, written after it was read (smp_mb() in the reset), and
 * read here before the counter (smp_rmb()): a counter never reads below
 * its base.  On 32-bit kernels a 64-bit read can tear; the clamp keeps a
 * torn read from wrapping.
 */
static void swapfail_stats_read(struct swapfail_state *st,
				struct swapfail_stats *s)
{
	const struct swapfail_pcpu *c;
	unsigned int cpu, i;
	u64 base, count;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(st->pcpu, cpu);
		for (i = 0; i < SWAPFAIL_NR_COUNTERS; i++) {
			base = READ_ONCE(c->base[i]);
			/* the base before the count: pairs with the reset's */
			smp_rmb();
			count = READ_ONCE(c->count[i]);
			s->count[i] += count > base ? count - base : 0;
		}
	}
	s->delaying = atomic_read(&st->delaying);
	s->holding = atomic_read(&st->holding);
}

static void swapfail_reset_stats(struct swapfail_state *st)
{
	struct swapfail_pcpu *c;
	unsigned int cpu, i;
	u64 count;

	lockdep_assert_held(&st->policy_lock);
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(st->pcpu, cpu);
		for (i = 0; i < SWAPFAIL_NR_COUNTERS; i++) {
			count = READ_ONCE(c->count[i]);
			/* the count read before the base is written: see above */
			smp_mb();
			WRITE_ONCE(c->base[i], count);
		}
	}
}

/* The live tree's totals. */
static void swapfail_totals(struct swapfail_state *st,
			    struct swapfail_tree *t)
{
	unsigned long flags;

	spin_lock_irqsave(&st->lock, flags);
	*t = st->table.live;
	spin_unlock_irqrestore(&st->lock, flags);

	t->root = NULL;
}

/* Construction */

/* Every write still waiting for nodes, settled: at presuspend, and in dtr. */
static void swapfail_settle_all(struct swapfail_c *sc)
{
	struct bio_list bios;
	struct bio *bio;
	bool full = true;

	spin_lock_irq(&sc->deferred_lock);
	sc->suspending = true;
	bios = sc->deferred;
	bio_list_init(&sc->deferred);
	spin_unlock_irq(&sc->deferred_lock);

	/* a last try, with what an allocation that does not retry finds */
	while ((bio = bio_list_pop(&bios)))
		if (!swapfail_retry(sc, bio, &full))
			swapfail_settle(sc, bio);
}

/* From presuspend to resume, or to a cancelled suspend: what waits again. */
static void swapfail_reopen(struct swapfail_c *sc)
{
	spin_lock_irq(&sc->deferred_lock);
	sc->suspending = false;
	spin_unlock_irq(&sc->deferred_lock);

	spin_lock_irq(&sc->queue_lock);
	sc->queue_closed = false;
	spin_unlock_irq(&sc->queue_lock);
}

static void swapfail_dtr(struct dm_target *ti)
{
	struct swapfail_c *sc = ti->private;

	cancel_delayed_work_sync(&sc->work);
	WARN_ON_ONCE(!bio_list_empty(&sc->deferred));
	swapfail_settle_all(sc);
	hrtimer_cancel(&sc->timer);
	cancel_work_sync(&sc->release);
	/* presuspend let every waiting bio go, and none waited since */
	WARN_ON_ONCE(sc->waiting);
	mempool_destroy(sc->pages);
	bioset_exit(&sc->bs);
	if (sc->st)
		swapfail_state_put(sc->st);
	if (sc->dev)
		dm_put_device(ti, sc->dev);
	kfree(sc);
}

static void swapfail_c_init(struct swapfail_c *sc,
			    const struct swapfail_ctr_args *args)
{
	struct dm_target *ti = sc->ti;
	unsigned int i;

	sc->args = *args;
	sc->devt = disk_devt(dm_disk(dm_table_get_md(ti->table)));
	sc->offset = args->offset;
	sc->block_size = args->block_size;
	sc->block_shift = args->block_shift;
	sc->nr_blocks = (ti->len + (1ULL << args->block_shift) - 1) >>
			args->block_shift;
	spin_lock_init(&sc->deferred_lock);
	bio_list_init(&sc->deferred);
	INIT_DELAYED_WORK(&sc->work, swapfail_work);
	spin_lock_init(&sc->queue_lock);
	sc->timed = RB_ROOT_CACHED;
	for (i = 0; i < SWAPFAIL_HELD_TREES; i++)
		sc->held[i] = RB_ROOT_CACHED;
	swapfail_timer_setup(&sc->timer);
	INIT_WORK(&sc->release, swapfail_release_work);
}

/*
 * What corrupting writes needs at hand: pages for the copy of the logical
 * blocks that hold the bytes (at most 64 bytes: two blocks), and the bios
 * of up to three parts, for SWAPFAIL_CORRUPT_POOL writes at once.
 */
static int swapfail_pools_init(struct swapfail_c *sc)
{
	u32 lbs = bdev_logical_block_size(sc->dev->bdev);

	sc->window_pages = DIV_ROUND_UP(2 * lbs, PAGE_SIZE);
	sc->pages = mempool_create_page_pool(SWAPFAIL_CORRUPT_POOL *
					     sc->window_pages, 0);
	if (!sc->pages)
		return -ENOMEM;
	return bioset_init(&sc->bs, SWAPFAIL_CORRUPT_POOL *
			   SWAPFAIL_CORRUPT_PARTS, 0, BIOSET_NEED_BVECS);
}

/*
 * Construct a swapfail mapping:
 * <dev_path> <offset> <block_size> [<#feature_args> <feature_arg>...]
 *
 * <block_size>: the table's unit, 512 to 1 GiB, a power of 2.  Features:
 * start_enabled, quiet, error <NAME>, every_nth_read <N>,
 * every_nth_write <N>, probability_read <P>, probability_write <P> and
 * seed <S>; they take effect at the table's first resume.  Without
 * features the line is a dm-dust line.
 */
static int swapfail_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	struct swapfail_ctr_args args;
	struct swapfail_c *sc;
	int r;

	r = swapfail_parse_ctr(argc, argv, ti->len, &args, &ti->error);
	if (r)
		return r;
	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc) {
		ti->error = "Cannot allocate context";
		return -ENOMEM;
	}
	ti->private = sc;
	sc->ti = ti;
	swapfail_c_init(sc, &args);
	ti->per_io_data_size = sizeof(struct swapfail_pbd);

	r = dm_get_device(ti, args.dev_path, dm_table_get_mode(ti->table),
			  &sc->dev);
	/* argv does not outlive the constructor */
	sc->args.dev_path = NULL;
	if (r) {
		ti->error = "Device lookup failed";
		goto bad;
	}
	r = swapfail_pools_init(sc);
	if (r) {
		ti->error = "Cannot allocate the pools for corruption";
		goto bad;
	}
	sc->st = swapfail_state_get(sc);
	if (!sc->st) {
		ti->error = "Cannot allocate state";
		r = -ENOMEM;
		goto bad;
	}
	ti->num_flush_bios = 1;
	ti->num_discard_bios = 1;
	ti->num_secure_erase_bios = 1;
	ti->num_write_zeroes_bios = 1;
	return 0;
bad:
	swapfail_dtr(ti);
	return r;
}

/*
 * Nothing may hold up the suspend: a write waiting for nodes gets a last
 * try, then goes back to device-mapper (noflush) or fails; held and
 * delayed bios go on, with what was decided for them, and none waits
 * again until the resume (or until the suspend is cancelled).
 */
static void swapfail_presuspend(struct dm_target *ti)
{
	struct swapfail_release_set all = {
		.trees = SWAPFAIL_ALL_HELD, .delayed = true, .close = true
	};
	struct swapfail_c *sc = ti->private;

	cancel_delayed_work_sync(&sc->work);
	swapfail_settle_all(sc);
	swapfail_release_held(sc, &all);
}

/* A suspend cancelled after presuspend (a signal, a failed freeze). */
static void swapfail_presuspend_undo(struct dm_target *ti)
{
	swapfail_reopen(ti->private);
}

/*
 * The features of a table line take effect when that table goes live, so
 * that loading a table that is never resumed changes nothing, and only
 * once, so that a suspend and resume keep what messages set since.  Only
 * policy_lock is taken: edit_lock may be held by a message that is in
 * reclaim, waiting for this device to resume.
 */
static void swapfail_resume(struct dm_target *ti)
{
	struct swapfail_c *sc = ti->private;
	struct swapfail_state *st = sc->st;
	struct swapfail_policy p;

	swapfail_reopen(sc);
	if (sc->resumed)
		return;
	sc->resumed = true;

	spin_lock(&st->policy_lock);
	p = st->policy;
	swapfail_policy_store(st, &p, swapfail_policy_merge(&p, &sc->args));
	spin_unlock(&st->policy_lock);
}

/* Messages */

/* Opens an edit: the staged tree starts as the live one. */
static void swapfail_stage_begin(struct swapfail_state *st)
{
	spin_lock_irq(&st->lock);
	swapfail_table_stage_begin(&st->table);
	spin_unlock_irq(&st->lock);
}

/* Publishes the staged tree, or drops it; then releases what went. */
static void swapfail_stage_end(struct swapfail_state *st,
			       struct swapfail_mem *mem, bool publish)
{
	spin_lock_irq(&st->lock);
	swapfail_table_stage_end(&st->table, mem, publish);
	swapfail_publish(st);
	spin_unlock_irq(&st->lock);

	swapfail_reap_all(st, mem);
}

/* Steps of an edit, for one hold of the lock. */
static int swapfail_edit_run(struct swapfail_state *st,
			     struct swapfail_edit *ed,
			     struct swapfail_mem *pool)
{
	unsigned int steps = SWAPFAIL_STEPS;
	int r;

	spin_lock_irq(&st->lock);
	do {
		r = swapfail_edit_step(ed, &st->table.staged, pool);
	} while (r == 1 && --steps);
	spin_unlock_irq(&st->lock);
	return r;
}

/*
 * Brings a message's pool to @need nodes.  The pool is kept from one
 * message to the next: a one-block message takes the few nodes its path
 * needs, where allocating a step's worst case each time would cost more
 * than the rest of the message (every allocation is zeroed on Debian's
 * kernels).
 */
static int swapfail_pool_fill(struct swapfail_mem *pool, u32 need)
{
	struct swapfail_node *node;

	while (pool->nr_free < min(need, pool->size)) {
		node = swapfail_node_alloc(GFP_KERNEL);
		if (!node)
			return -ENOMEM;
		pool->free[pool->nr_free++] = node;
	}
	return 0;
}

/* The rules an add needs, one per range; NULL and 0 if none. */
static int swapfail_rules_alloc(struct swapfail_rule ***rules, u32 n)
{
	struct swapfail_krule *kr;
	u32 i;

	*rules = NULL;
	if (!n)
		return 0;
	*rules = kvcalloc(n, sizeof(**rules), GFP_KERNEL);
	for (i = 0; *rules && i < n; i++) {
		kr = kmalloc(sizeof(*kr), GFP_KERNEL);
		if (!kr)
			break;
		(*rules)[i] = &kr->rule;
	}
	return *rules && i == n ? 0 : -ENOMEM;
}

static void swapfail_rules_free(struct swapfail_rule **rules, u32 from, u32 n)
{
	for (; rules && from < n && rules[from]; from++)
		kfree(container_of(rules[from], struct swapfail_krule, rule));
	kvfree(rules);
}

/*
 * Runs an editing message: the staged tree is changed a few steps per
 * hold of the lock, with nodes from a pool refilled in between, and is
 * published only when every step succeeded.  A refused message (bad
 * range, table full, no memory) changes nothing.
 */
static int swapfail_run_edit(struct swapfail_state *st,
			     struct swapfail_msg *msg, char **error)
{
	u32 nr_rules = swapfail_edit_rules(msg);
	struct swapfail_rule **rules;
	struct swapfail_edit ed = { };
	int r;

	r = swapfail_rules_alloc(&rules, nr_rules);
	if (!r)
		r = swapfail_edit_prepare(&ed, msg, rules, SWAPFAIL_MAX_EXTENTS);
	if (r)
		goto out;

	mutex_lock(&st->edit_lock);
	swapfail_stage_begin(st);
	do {
		r = swapfail_edit_run(st, &ed, &st->pool);
		if (r == -EAGAIN)
			r = swapfail_pool_fill(&st->pool, ed.need) ?: 1;
		cond_resched();
	} while (r == 1);
	swapfail_stage_end(st, &st->pool, !r);
	mutex_unlock(&st->edit_lock);
out:
	if (ed.error)
		*error = ed.error;
	swapfail_rules_free(rules, swapfail_edit_rules_used(&ed), nr_rules);
	return r;
}

static void swapfail_stats_answer(struct swapfail_state *st,
				  struct swapfail_out *out)
{
	struct swapfail_stats s;
	struct swapfail_tree t;

	swapfail_stats_read(st, &s);
	swapfail_totals(st, &t);
	swapfail_emit_stats(out, &t, &s);
}

/*
 * Answers a question from the live tree as it is now, pinned by a
 * reference: no lock is held while the answer is written, and nothing
 * is copied.
 */
static int swapfail_answer_live(struct swapfail_state *st,
				struct swapfail_msg *msg, char *result,
				unsigned int maxlen, char **error)
{
	struct swapfail_mem mem = { };
	struct swapfail_out out;
	struct swapfail_tree t;
	int r = 0;

	swapfail_out_init(&out, result, maxlen);
	if (msg->verb == SWAPFAIL_MSG_STATS) {
		swapfail_stats_answer(st, &out);
		return 0;
	}

	spin_lock_irq(&st->lock);
	t = st->table.live;
	if (t.root)
		swapfail_node_get(t.root);
	spin_unlock_irq(&st->lock);

	r = swapfail_answer(&out, &t, msg, error);
	if (!t.root)
		return r;

	spin_lock_irq(&st->lock);
	swapfail_node_put(&mem, t.root);
	spin_unlock_irq(&st->lock);

	swapfail_reap_all(st, &mem);
	return r;
}

static bool swapfail_act_same(const struct swapfail_act *a,
			      const struct swapfail_act *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/*
 * Publishes direction @d's trigger action @act for the I/O path to read
 * under RCU, in @spare, allocated beforehand (the caller holds
 * policy_lock).  Returns @spare if it was not needed.
 */
static struct swapfail_trigger_act *
swapfail_trigger_publish(struct swapfail_state *st, unsigned int d,
			 const struct swapfail_act *act,
			 struct swapfail_trigger_act *spare)
{
	struct swapfail_trigger_act *old;

	old = rcu_dereference_protected(st->trigger[d],
					lockdep_is_held(&st->policy_lock));
	if (old && swapfail_act_same(&old->act, act))
		return spare;
	spare->act = *act;
	rcu_assign_pointer(st->trigger[d], spare);
	if (old)
		kfree_rcu(old, rcu);
	return NULL;
}

/* Whether direction @d's trigger holds the I/O it fires on. */
static bool swapfail_trigger_holds(const struct swapfail_policy *p,
				   unsigned int d)
{
	return (p->every_nth[d] || p->probability[d]) &&
	       p->trigger[d].kind == SWAPFAIL_ACT_HOLD;
}

/*
 * Runs a policy message.  @stopped: the held trees of the triggers that
 * held and no longer do, for the caller to let go of.  Only a trigger's
 * new action allocates: release and disable must work when held
 * swap-outs are what pins the memory.
 */
static int swapfail_run_policy(struct swapfail_state *st,
			       const struct swapfail_msg *msg,
			       unsigned int *stopped)
{
	struct swapfail_trigger_act *spare = NULL;
	struct swapfail_policy p;
	unsigned int d;
	u32 restart;

	if (msg->verb == SWAPFAIL_MSG_EVERY_NTH ||
	    msg->verb == SWAPFAIL_MSG_PROBABILITY) {
		spare = kmalloc(sizeof(*spare), GFP_KERNEL);
		if (!spare)
			return -ENOMEM;
	}

	spin_lock(&st->policy_lock);
	if (msg->verb == SWAPFAIL_MSG_RESET_STATS) {
		swapfail_reset_stats(st);
		goto out;
	}
	p = st->policy;
	restart = swapfail_policy_update(&p, msg);
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++)
		if (swapfail_trigger_holds(&st->policy, d) &&
		    !swapfail_trigger_holds(&p, d))
			*stopped |= BIT(1 + d);
	if (spare)
		spare = swapfail_trigger_publish(st, msg->dir,
						 &p.trigger[msg->dir], spare);
	swapfail_policy_store(st, &p, restart);
out:
	spin_unlock(&st->policy_lock);

	kfree(spare);
	return 0;
}

/*
 * release [fail [error=E]] [<range>...]: held bios over the ranges (or
 * all), sent on or failed.  Refused if there was none to release.
 */
static int swapfail_release_msg(struct swapfail_c *sc,
				const struct swapfail_msg *msg, char **error)
{
	struct swapfail_release_set rs = {
		.trees = SWAPFAIL_ALL_HELD,
		.fail = msg->value,
		.error = msg->attr.error ?: READ_ONCE(sc->st->policy.error),
	};
	u32 i, n = 0;

	if (!msg->nr_ranges)
		n = swapfail_release_held(sc, &rs);
	for (i = 0; i < msg->nr_ranges; i++) {
		rs.range = &msg->ranges[i];
		n += swapfail_release_held(sc, &rs);
	}
	if (n)
		return 0;
	*error = "no held I/O to release";
	return -EINVAL;
}

/*
 * Before letting go of the bios that a change no longer holds: a map()
 * that decided to hold a bio against the state before the change queues
 * it in the RCU read-side section in which it decided.  After a grace
 * period every such bio is in its tree, and none is held from now on.
 */
static void swapfail_unhold_wait(struct swapfail_state *st)
{
	/* the change before the flag: see swapfail_msg_holds() */
	smp_mb();
	if (READ_ONCE(st->ever_held))
		synchronize_rcu();
}

/*
 * After a message took away what held some bios, lets them go: disable
 * (every delayed bio too), a removed or cleared extent, and a trigger
 * switched off or given another action (@stopped: its held tree).
 */
static void swapfail_message_done(struct swapfail_c *sc,
				  const struct swapfail_msg *msg,
				  unsigned int stopped)
{
	struct swapfail_release_set rs = { .trees = stopped };
	u32 i;

	switch (msg->verb) {
	case SWAPFAIL_MSG_DISABLE:
		rs.trees = SWAPFAIL_ALL_HELD;
		rs.delayed = true;
		break;
	case SWAPFAIL_MSG_CLEAR:
	case SWAPFAIL_MSG_DUST_CLEAR:
		rs.trees = BIT(SWAPFAIL_HELD_BY_EXTENT);
		break;
	case SWAPFAIL_MSG_REMOVE:
	case SWAPFAIL_MSG_DUST_REMOVE:
		swapfail_unhold_wait(sc->st);
		rs.trees = BIT(SWAPFAIL_HELD_BY_EXTENT);
		for (i = 0; i < msg->nr_ranges; i++) {
			rs.range = &msg->ranges[i];
			swapfail_release_held(sc, &rs);
		}
		return;
	default:
		break;
	}
	if (!rs.trees)
		return;
	swapfail_unhold_wait(sc->st);
	swapfail_release_held(sc, &rs);
}

/*
 * Whether a message sets a hold.  It says so before the hold is
 * published, so that what lets held bios go knows to wait for map().
 */
static bool swapfail_msg_holds(const struct swapfail_msg *msg)
{
	switch (msg->verb) {
	case SWAPFAIL_MSG_ADD:
	case SWAPFAIL_MSG_EVERY_NTH:
	case SWAPFAIL_MSG_PROBABILITY:
		return msg->attr.act.kind == SWAPFAIL_ACT_HOLD;
	default:
		return false;
	}
}

/* Carries out a parsed message; > 0: it answered in @result. */
static int swapfail_run_msg(struct swapfail_c *sc, struct swapfail_msg *msg,
			    char *result, unsigned int maxlen, char **error,
			    unsigned int *stopped)
{
	struct swapfail_state *st = sc->st;
	int r;

	if (msg->verb == SWAPFAIL_MSG_HELD) {
		swapfail_answer_held(sc, result, maxlen);
		return 0;
	}
	if (msg->verb == SWAPFAIL_MSG_RELEASE)
		return swapfail_release_msg(sc, msg, error);
	if (swapfail_msg_holds(msg))
		WRITE_ONCE(st->ever_held, true);
	/* clearbadblocks answers from the table it is about to clear */
	if (msg->answers) {
		r = swapfail_answer_live(st, msg, result, maxlen, error);
		if (r || !msg->edits)
			return r;
	}
	if (msg->edits)
		return swapfail_run_edit(st, msg, error);
	return swapfail_run_policy(st, msg, stopped);
}

/*
 * Messages (blocks count from the start of the target; <range> is A, A-B
 * or A+N; a rejected message changes nothing):
 *   dm-dust's, with its answers: addbadblock <block> [<wr_fail_cnt>],
 *     removebadblock <block>, queryblock <block>, countbadblocks,
 *     clearbadblocks, listbadblocks, enable, disable, quiet
 *   add <range>... [mode=read|write|rw] [count=N] [error=NAME]
 *     [wr_fail=K] [match=swap|all] [<action>], where <action> is
 *     delay=T[~J], hold[=T], drop, or corrupt=xor|random [at=B] [bytes=N]
 *     [xor=HH] [seed=S]
 *   remove <range>...   query <range>...   list [<range>...]
 *   count [<range>...]  clear
 *   every_nth_read|every_nth_write <N> [match=...] [<action>|error=NAME]
 *   probability_read|probability_write <P> [match=...] [<action>|error=NAME]
 *   seed <S>  error <NAME>  quiet on|off  stats  reset_stats
 *   held  release [fail [error=NAME]] [<range>...]
 */
static int swapfail_message(struct dm_target *ti, unsigned int argc,
			    char **argv, char *result, unsigned int maxlen)
{
	struct swapfail_range ranges[SWAPFAIL_MSG_RANGES];
	struct swapfail_c *sc = ti->private;
	char *error = "out of memory";
	unsigned int stopped = 0;
	struct swapfail_msg msg;
	int r;

	/* a short message allocates nothing: see swapfail_run_policy() */
	msg.ranges = argc <= ARRAY_SIZE(ranges) ? ranges :
		     kvmalloc_array(argc, sizeof(*msg.ranges), GFP_KERNEL);
	if (!msg.ranges)
		return -ENOMEM;
	r = swapfail_parse_msg(argc, argv, sc->nr_blocks, &msg, &error);
	if (r)
		goto out;
	/* the parser may have left the reason of a check that passed */
	error = "out of memory";
	r = swapfail_run_msg(sc, &msg, result, maxlen, &error, &stopped);
	if (!r)
		swapfail_message_done(sc, &msg, stopped);
out:
	if (r < 0)
		DMERR_LIMIT("%s: message '%s' rejected: %s", swapfail_name(sc),
			    argc ? argv[0] : "", error);
	if (msg.ranges != ranges)
		kvfree(msg.ranges);
	return r < 0 ? r : msg.answers;
}

/* Status */

static void swapfail_status(struct dm_target *ti, status_type_t type,
			    unsigned int status_flags, char *result,
			    unsigned int maxlen)
{
	struct swapfail_c *sc = ti->private;
	struct swapfail_state *st = sc->st;
	struct swapfail_policy p;
	struct swapfail_stats s;
	struct swapfail_tree t;
	struct swapfail_out out;
	unsigned int sz = 0;

	switch (type) {
	case STATUSTYPE_INFO:
		swapfail_policy_read(st, &p);
		swapfail_stats_read(st, &s);
		swapfail_totals(st, &t);
		swapfail_out_init(&out, result, maxlen);
		swapfail_emit_info(&out, &t, &p, &s);
		break;
	case STATUSTYPE_TABLE:
		/* a table not yet live shows its own line */
		if (sc->resumed)
			swapfail_policy_read(st, &p);
		else
			p = sc->args.policy;
		DMEMIT("%s %llu %u", sc->dev->name,
		       (unsigned long long)sc->offset, sc->block_size);
		swapfail_out_init(&out, result + sz, maxlen - sz);
		swapfail_emit_features(&out, &p);
		break;
	case STATUSTYPE_IMA:
		DMEMIT("target_name=%s,target_version=%u.%u.%u,",
		       ti->type->name, ti->type->version[0],
		       ti->type->version[1], ti->type->version[2]);
		DMEMIT("device_name=%s,offset=%llu,block_size=%u;",
		       sc->dev->name, (unsigned long long)sc->offset,
		       sc->block_size);
		break;
	}
}

static int swapfail_iterate_devices(struct dm_target *ti,
				    iterate_devices_callout_fn fn, void *data)
{
	struct swapfail_c *sc = ti->private;

	return fn(ti, sc->dev, sc->offset, ti->len, data);
}

static struct target_type swapfail_target = {
	.name = "swapfail",
	.version = { SWAPFAIL_VERSION_MAJOR, SWAPFAIL_VERSION_MINOR,
		     SWAPFAIL_VERSION_PATCH },
	.features = DM_TARGET_NOWAIT,
	.module = THIS_MODULE,
	.ctr = swapfail_ctr,
	.dtr = swapfail_dtr,
	.map = swapfail_map,
	.presuspend = swapfail_presuspend,
	.presuspend_undo = swapfail_presuspend_undo,
	.resume = swapfail_resume,
	.status = swapfail_status,
	.message = swapfail_message,
	.iterate_devices = swapfail_iterate_devices,
};

static int __init dm_swapfail_init(void)
{
	int r = -ENOMEM;

	swapfail_node_cache = kmem_cache_create("dm_swapfail_node",
						sizeof(struct swapfail_knode),
						0, 0, NULL);
	if (!swapfail_node_cache)
		return r;
	/*
	 * Per CPU: a delayed bio goes on from the CPU whose timer fired (an
	 * unbound worker ran elsewhere, and the hop cost milliseconds).
	 */
	swapfail_wq = alloc_workqueue("dm-" DM_MSG_PREFIX,
				      SWAPFAIL_WQ_PERCPU | WQ_MEM_RECLAIM, 0);
	if (!swapfail_wq)
		goto bad_wq;
	r = dm_register_target(&swapfail_target);
	if (r < 0) {
		DMERR("register failed %d", r);
		goto bad_register;
	}
	return 0;
bad_register:
	destroy_workqueue(swapfail_wq);
bad_wq:
	kmem_cache_destroy(swapfail_node_cache);
	return r;
}

static void __exit dm_swapfail_exit(void)
{
	dm_unregister_target(&swapfail_target);
	destroy_workqueue(swapfail_wq);
	/* nodes freed after a grace period go back to the cache first */
	rcu_barrier();
	kmem_cache_destroy(swapfail_node_cache);
}

module_init(dm_swapfail_init);
module_exit(dm_swapfail_exit);

MODULE_DESCRIPTION(DM_NAME " swapfail target: fails chosen swap I/O");
MODULE_AUTHOR("dm-swapfail developers <dm-swapfail@localhost>");
MODULE_LICENSE("GPL");
