// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-swapfail: a device-mapper target that fails chosen I/O, to show what
 * the kernel and its processes do when swap I/O fails.
 *
 * It keeps a table of bad block extents and an every_nth policy per
 * direction, changed at any time through messages; a device under swap
 * never has to be suspended to change what fails.  The decisions live in
 * swapfail-core.c; this file holds the kernel side.
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
#include <linux/bio.h>
#include <linux/device-mapper.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "dm-swapfail.h"

#define DM_MSG_PREFIX "swapfail"

/* Nodes each device keeps for the changes writes make. */
#define SWAPFAIL_RESERVE	128
/* Steps a change takes per hold of the lock. */
#define SWAPFAIL_STEPS		8
/* Nodes released per hold of the lock. */
#define SWAPFAIL_RELEASE_BATCH	64
/* Nodes a change made for I/O needs at hand: a step's worst case. */
#define SWAPFAIL_POOL		SWAPFAIL_STEP_NODES(SWAPFAIL_MAX_HEIGHT)
/* Delay before the worker tries again after an allocation failed. */
#define SWAPFAIL_RETRY_MS	10

static const blk_status_t swapfail_blk_status[SWAPFAIL_NR_ERRORS] = {
	[SWAPFAIL_ERR_DEFAULT] = BLK_STS_IOERR,
	[SWAPFAIL_ERR_EIO] = BLK_STS_IOERR,
	[SWAPFAIL_ERR_ENODATA] = BLK_STS_MEDIUM,
	[SWAPFAIL_ERR_ENOLINK] = BLK_STS_TRANSPORT,
	[SWAPFAIL_ERR_ETIMEDOUT] = BLK_STS_TIMEOUT,
	[SWAPFAIL_ERR_ENOSPC] = BLK_STS_NOSPC,
	[SWAPFAIL_ERR_EILSEQ] = BLK_STS_PROTECTION,
	[SWAPFAIL_ERR_EREMOTEIO] = BLK_STS_TARGET,
};

/* A tree node, and what frees it once no reader can hold it. */
struct swapfail_knode {
	struct rcu_head rcu;
	struct swapfail_node node;
};

struct swapfail_krule {
	struct rcu_head rcu;
	struct swapfail_rule rule;
};

/* Per CPU, so that counting takes no shared cache line. */
struct swapfail_pcpu {
	u64 count[SWAPFAIL_NR_COUNTERS];
	u64 base[SWAPFAIL_NR_COUNTERS];	/* count at the last reset_stats */
};

/*
 * What a target knows that must outlive its table: the bad extents, the
 * policy and the counters.  A reload that keeps the device, the offset and
 * the block size at the same place of the same mapped device passes the
 * state to the new table.
 */
struct swapfail_state {
	struct list_head node;		/* in swapfail_states */
	refcount_t ref;			/* targets using this state */
	struct mapped_device *md;	/* the key, with the four below */
	sector_t begin;
	dev_t dev;
	sector_t offset;
	u32 block_size;

	struct mutex edit_lock;		/* one message's edit at a time, and */
	struct swapfail_node *stash[SWAPFAIL_EDIT_NODES];
	struct swapfail_mem pool;	/* its nodes, kept from one to the next */
	/*
	 * Guards every change to the trees: live and staged, node and rule
	 * references, the reserve, the spent rules.  Held for one step.
	 */
	spinlock_t lock;
	struct swapfail_node __rcu *root;	/* live.root, for I/O */
	struct swapfail_tree live;	/* the table */
	struct swapfail_tree staged;	/* a message's edit, while staging */
	bool staging;
	u64 gen;			/* the last generation handed out */
	u64 lo, hi;			/* no extent outside: read locklessly */
	struct swapfail_node *reserve[SWAPFAIL_RESERVE];
	struct swapfail_mem mem;	/* the reserve; what I/O lets go of */
	struct swapfail_rule *spent;	/* rules whose extents must go */
	bool sweep;			/* look for spent extents everywhere */
	u64 gc_next[2];			/* where dropping goes on: live, staged */

	spinlock_t policy_lock;		/* serialises policy and reset_stats */
	struct swapfail_policy policy;	/* read locklessly by the I/O path */
	atomic64_t nth_ios[SWAPFAIL_NR_DIRS];	/* I/Os counted for every_nth */
	struct swapfail_pcpu __percpu *pcpu;
};

/* One swapfail target in a table. */
struct swapfail_c {
	struct dm_target *ti;
	struct dm_dev *dev;
	sector_t offset;		/* <offset> on the table line */
	u32 block_size;
	u32 block_shift;		/* log2(block_size / 512) */
	u64 nr_blocks;			/* blocks the target covers */
	struct swapfail_state *st;

	struct swapfail_ctr_args args;	/* the line's features */
	bool resumed;

	spinlock_t deferred_lock;	/* guards deferred and suspending */
	struct bio_list deferred;	/* writes waiting for nodes to heal */
	bool suspending;		/* from presuspend to resume */
	struct delayed_work work;	/* refills, collects, resubmits */
};

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
static struct workqueue_struct *swapfail_wq;
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

/* Releases a batch of what @mem let go of; true if more is waiting. */
static bool swapfail_release_batch(struct swapfail_state *st,
				   struct swapfail_mem *mem)
{
	lockdep_assert_held(&st->lock);
	return swapfail_release(mem, SWAPFAIL_RELEASE_BATCH,
				swapfail_free_node, swapfail_free_rule, NULL);
}

/* Releases all of it, a batch per hold of the lock. */
static void swapfail_release_all(struct swapfail_state *st,
				 struct swapfail_mem *mem)
{
	unsigned long flags;
	bool more;

	do {
		spin_lock_irqsave(&st->lock, flags);
		more = swapfail_release_batch(st, mem);
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
	struct swapfail_mem *mem = &st->mem;
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
 * Publishes st->live to the I/O path.  The bounds widen before the new
 * root and narrow after it, so that an I/O that sees them outside every
 * extent is right about one of the two trees.
 */
static void swapfail_publish(struct swapfail_state *st)
{
	u64 lo, hi;

	lockdep_assert_held(&st->lock);
	swapfail_tree_bounds(&st->live, &lo, &hi);
	WRITE_ONCE(st->lo, min(st->lo, lo));
	WRITE_ONCE(st->hi, max(st->hi, hi));
	rcu_assign_pointer(st->root, st->live.root);
	WRITE_ONCE(st->lo, lo);
	WRITE_ONCE(st->hi, hi);
}

/* A change made for I/O: the live tree gets a generation of its own. */
static void swapfail_live_begin(struct swapfail_state *st)
{
	lockdep_assert_held(&st->lock);
	st->live.gen = ++st->gen;
}

/* Changes made for I/O */

/*
 * Runs @change on the live tree and, while a message is open, on its
 * staged tree, a few steps under the lock; publishes what it did.
 * -EAGAIN when there is more to do (the reserve ran short, or the steps).
 */
static int swapfail_io_change(struct swapfail_state *st,
			      int (*change)(struct swapfail_tree *t,
					    struct swapfail_mem *mem,
					    void *arg),
			      void *arg)
{
	int r;

	lockdep_assert_held(&st->lock);
	swapfail_live_begin(st);
	r = change(&st->live, &st->mem, arg);
	swapfail_publish(st);
	if (!r && st->staging)
		r = change(&st->staged, &st->mem, arg);
	swapfail_release_batch(st, &st->mem);
	return r;
}

/* What a heal works on, and what it did. */
struct swapfail_heal_args {
	const struct swapfail_tree *live;
	u64 first;
	u64 last;
	u64 healed;		/* blocks taken from the live tree */
};

static int swapfail_heal_change(struct swapfail_tree *t,
				struct swapfail_mem *mem, void *arg)
{
	struct swapfail_heal_args *h = arg;
	u64 healed;
	int r;

	r = swapfail_tree_heal(t, mem, h->first, h->last, SWAPFAIL_STEPS,
			       &healed);
	if (t == h->live)
		h->healed += healed;
	return r;
}

/* The rule a drop works on, and where. */
struct swapfail_drop_args {
	const struct swapfail_rule *rule;
	u64 first;
	u64 last;
};

static int swapfail_drop_change(struct swapfail_tree *t,
				struct swapfail_mem *mem, void *arg)
{
	struct swapfail_drop_args *d = arg;
	u64 next = d->first;

	return swapfail_tree_drop_rule(t, mem, d->rule, &next, d->last,
				       SWAPFAIL_STEPS);
}

/*
 * Queues the rules an I/O spent, for the worker to drop their extents,
 * and drops those this I/O touched while the reserve allows, so that in
 * the common case status counts them out at once.  The caller holds the
 * lock and, since it found the rules in a tree, the RCU read lock: a rule
 * no leaf holds any more (ref 0) is on its way out and is left alone.
 */
static bool swapfail_queue_spent(struct swapfail_state *st,
				 const struct swapfail_verdict *v,
				 u64 first, u64 last)
{
	struct swapfail_drop_args d = { .first = first, .last = last };
	struct swapfail_rule *rule;
	u32 i;

	lockdep_assert_held(&st->lock);
	for (i = 0; i < v->nr_spent; i++) {
		rule = v->spent[i];
		if (!rule->ref || rule->queued)
			continue;
		rule->queued = true;
		rule->next = st->spent;
		st->spent = rule;
		d.rule = rule;
		swapfail_io_change(st, swapfail_drop_change, &d);
	}
	st->sweep |= v->sweep;
	return v->nr_spent || v->sweep;
}

/*
 * Whether healing first..last would split an extent of a tree already at
 * the cap: the write then fails instead, as a disk that cannot remap.
 */
static bool swapfail_heal_over_cap(struct swapfail_state *st, u64 first,
				   u64 last)
{
	return (st->live.extents >= SWAPFAIL_MAX_EXTENTS &&
		swapfail_tree_splits(&st->live, first, last)) ||
	       (st->staging && st->staged.extents >= SWAPFAIL_MAX_EXTENTS &&
		swapfail_tree_splits(&st->staged, first, last));
}

/*
 * A write that heals: decided again under the lock (a message may have
 * changed the table since the lockless look), then healed in both trees.
 * 0 when the verdict is final, -EAGAIN when nodes ran short.
 */
static int swapfail_heal(struct swapfail_c *sc, u64 first, u64 last,
			 struct swapfail_verdict *v, bool *kick)
{
	struct swapfail_state *st = sc->st;
	struct swapfail_heal_args h = {
		.live = &st->live, .first = first, .last = last
	};
	unsigned long flags;
	int r = 0;

	spin_lock_irqsave(&st->lock, flags);
	swapfail_tree_check(&st->live, first, last, SWAPFAIL_DIR_WRITE, v);
	*kick = swapfail_queue_spent(st, v, first, last);
	if (v->fail || !v->heal)
		goto out;
	if (swapfail_heal_over_cap(st, first, last)) {
		v->fail = true;
		v->block = first;
		DMERR_LIMIT("%s: table full: write of block %llu fails instead of healing",
			    dm_device_name(dm_table_get_md(sc->ti->table)),
			    first);
		goto out;
	}
	r = swapfail_io_change(st, swapfail_heal_change, &h);
	*kick |= st->mem.nr_free < SWAPFAIL_RESERVE / 2 || st->mem.released;
out:
	spin_unlock_irqrestore(&st->lock, flags);
	if (h.healed)
		this_cpu_add(st->pcpu->count[SWAPFAIL_HEALED], h.healed);
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

static void swapfail_remap(struct swapfail_c *sc, struct bio *bio)
{
	bio_set_dev(bio, sc->dev->bdev);
	if (bio_sectors(bio))
		bio->bi_iter.bi_sector = sc->offset +
			dm_target_offset(sc->ti, bio->bi_iter.bi_sector);
}

static const char *swapfail_name(struct swapfail_c *sc)
{
	return dm_device_name(dm_table_get_md(sc->ti->table));
}

static void swapfail_fail(struct swapfail_c *sc, struct bio *bio,
			  enum swapfail_dir dir,
			  const struct swapfail_verdict *v)
{
	struct swapfail_state *st = sc->st;
	u8 error = v->error;

	if (error == SWAPFAIL_ERR_DEFAULT)
		error = READ_ONCE(st->policy.error);
	this_cpu_inc(st->pcpu->count[SWAPFAIL_READ_ERRORS + dir]);
	if (!READ_ONCE(st->policy.quiet))
		DMERR_LIMIT("%s: %s of block %llu failed with %s",
			    swapfail_name(sc), dir ? "write" : "read",
			    v->block, swapfail_error_name(error));
	bio->bi_status = swapfail_blk_status[error];
	bio_endio(bio);
}

static void swapfail_healed(struct swapfail_c *sc, u64 first, u64 last)
{
	if (!READ_ONCE(sc->st->policy.quiet))
		DMINFO_LIMIT("%s: write of blocks %llu-%llu healed them",
			     swapfail_name(sc), first, last);
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
static void swapfail_defer(struct swapfail_c *sc, struct bio *bio)
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

/*
 * The table's decision for a bio that may touch an extent.  Returns
 * DM_MAPIO_REMAPPED when it goes on (remapped), else DM_MAPIO_SUBMITTED.
 */
static int swapfail_map_table(struct swapfail_c *sc, struct bio *bio,
			      enum swapfail_dir dir, u64 first, u64 last)
{
	struct swapfail_state *st = sc->st;
	struct swapfail_tree view;
	struct swapfail_verdict v;
	unsigned long flags;
	bool kick = false;

	rcu_read_lock();
	view = (struct swapfail_tree){ .root = rcu_dereference(st->root) };
	swapfail_tree_check(&view, first, last, dir, &v);
	if (v.nr_spent || v.sweep) {
		spin_lock_irqsave(&st->lock, flags);
		kick = swapfail_queue_spent(st, &v, first, last);
		spin_unlock_irqrestore(&st->lock, flags);
	}
	rcu_read_unlock();
	if (!v.fail && v.heal && swapfail_heal(sc, first, last, &v, &kick)) {
		swapfail_defer(sc, bio);
		return DM_MAPIO_SUBMITTED;
	}
	if (kick)
		mod_delayed_work(swapfail_wq, &sc->work, 0);
	if (v.fail) {
		swapfail_fail(sc, bio, dir, &v);
		return DM_MAPIO_SUBMITTED;
	}
	if (v.heal)
		swapfail_healed(sc, first, last);
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
}

/* every_nth counts each I/O of its direction and is checked first. */
static bool swapfail_nth_hit(struct swapfail_state *st, enum swapfail_dir dir)
{
	u32 every_nth = READ_ONCE(st->policy.every_nth[dir]);

	if (!every_nth)
		return false;
	return swapfail_nth_fails(atomic64_inc_return(&st->nth_ios[dir]),
				  every_nth);
}

/* An every_nth failure: the bio fails at its first block. */
static int swapfail_fail_nth(struct swapfail_c *sc, struct bio *bio,
			     enum swapfail_dir dir)
{
	struct swapfail_verdict v = { .fail = true };
	u64 last;

	swapfail_bio_blocks(sc, bio, &v.block, &last);
	swapfail_fail(sc, bio, dir, &v);
	return DM_MAPIO_SUBMITTED;
}

static int swapfail_map(struct dm_target *ti, struct bio *bio)
{
	struct swapfail_c *sc = ti->private;
	struct swapfail_state *st = sc->st;
	enum swapfail_dir dir;
	u64 first, last;

	if (likely(swapfail_bio_dir(bio, &dir))) {
		this_cpu_inc(st->pcpu->count[SWAPFAIL_READS + dir]);
		if (!READ_ONCE(st->policy.enabled))
			goto remap;
		if (swapfail_nth_hit(st, dir))
			return swapfail_fail_nth(sc, bio, dir);
		swapfail_bio_blocks(sc, bio, &first, &last);
		/* the table's bounds: most I/O needs no look at the tree */
		if (last >= READ_ONCE(st->lo) && first < READ_ONCE(st->hi))
			return swapfail_map_table(sc, bio, dir, first, last);
	}
remap:
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
}

/* The worker */

/*
 * Maps a waiting write again, after the worker refilled the reserve.
 * Returns -EAGAIN if it must wait more; else the write is on its way.
 */
static int swapfail_redo(struct swapfail_c *sc, struct bio *bio)
{
	struct swapfail_verdict v;
	u64 first, last;
	bool kick;

	swapfail_bio_blocks(sc, bio, &first, &last);
	if (READ_ONCE(sc->st->policy.enabled) &&
	    swapfail_heal(sc, first, last, &v, &kick))
		return -EAGAIN;
	if (READ_ONCE(sc->st->policy.enabled) && v.fail) {
		swapfail_fail(sc, bio, SWAPFAIL_DIR_WRITE, &v);
		return 0;
	}
	swapfail_remap(sc, bio);
	dm_submit_bio_remap(bio, NULL);
	return 0;
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
static bool swapfail_resubmit(struct swapfail_c *sc, gfp_t gfp)
{
	struct bio_list bios;
	struct bio *bio;
	bool full = true;

	spin_lock_irq(&sc->deferred_lock);
	bios = sc->deferred;
	bio_list_init(&sc->deferred);
	spin_unlock_irq(&sc->deferred_lock);

	while ((bio = bio_list_pop(&bios))) {
		while (full && swapfail_redo(sc, bio))
			full = swapfail_reserve_fill(sc->st, gfp);
		if (!full)
			swapfail_requeue(sc, bio);
	}
	return !full;
}

/* A round of dropping @rule's extents (or, NULL, every spent one). */
static int swapfail_collect_tree(struct swapfail_state *st,
				 struct swapfail_tree *t,
				 const struct swapfail_rule *rule, u64 *next)
{
	if (rule)
		return swapfail_tree_drop_rule(t, &st->mem, rule, next,
					       ~0ULL - 1, SWAPFAIL_STEPS);
	return swapfail_tree_sweep(t, &st->mem, next, SWAPFAIL_STEPS);
}

/*
 * One round of dropping the first spent rule's extents (or, for a sweep,
 * every spent extent), from where the last round stopped in each tree:
 * 1 while there is more, 0 when none is left, -EAGAIN when the reserve
 * ran short.
 */
static int swapfail_collect_one(struct swapfail_state *st)
{
	struct swapfail_mem *mem = &st->mem;
	struct swapfail_rule *rule = st->spent;
	int r;

	lockdep_assert_held(&st->lock);
	if (!rule && !st->sweep)
		return 0;
	swapfail_live_begin(st);
	r = swapfail_collect_tree(st, &st->live, rule, &st->gc_next[0]);
	swapfail_publish(st);
	if (!r && st->staging)
		r = swapfail_collect_tree(st, &st->staged, rule,
					  &st->gc_next[1]);
	swapfail_release_batch(st, mem);
	if (r)
		return mem->nr_free < SWAPFAIL_POOL ? -EAGAIN : 1;
	st->gc_next[0] = 0;
	st->gc_next[1] = 0;
	if (!rule) {
		st->sweep = false;
		return 1;
	}
	st->spent = rule->next;
	rule->queued = false;
	if (!rule->ref) {
		rule->next = mem->released_rules;
		mem->released_rules = rule;
	}
	return 1;
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
		r = swapfail_collect_one(st);
		release = swapfail_release_batch(st, &st->mem);
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
	const gfp_t gfp = GFP_NOIO | __GFP_NOWARN;
	bool again;

	swapfail_reserve_fill(sc->st, gfp);
	again = swapfail_collect(sc->st, gfp);
	again |= swapfail_resubmit(sc, gfp);
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
	struct swapfail_mem *mem = &st->mem;
	struct swapfail_rule *rule;

	if (!st)
		return;
	spin_lock_irq(&st->lock);
	if (st->live.root)
		swapfail_node_put(mem, st->live.root);
	st->live.root = NULL;
	spin_unlock_irq(&st->lock);
	swapfail_release_all(st, mem);
	while ((rule = st->spent)) {
		st->spent = rule->next;
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
	st->mem.free = st->reserve;
	st->mem.size = SWAPFAIL_RESERVE;
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

/* A copy of the policy that the I/O path reads without a lock. */
static void swapfail_policy_read(struct swapfail_state *st,
				 struct swapfail_policy *p)
{
	unsigned int d;

	p->enabled = READ_ONCE(st->policy.enabled);
	p->quiet = READ_ONCE(st->policy.quiet);
	p->error = READ_ONCE(st->policy.error);
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++)
		p->every_nth[d] = READ_ONCE(st->policy.every_nth[d]);
}

/* Applies a new policy; @restart: every_nth counters to start again. */
static void swapfail_policy_store(struct swapfail_state *st,
				  const struct swapfail_policy *p, u32 restart)
{
	unsigned int d;

	lockdep_assert_held(&st->policy_lock);
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++) {
		if (restart & BIT(d))
			atomic64_set(&st->nth_ios[d], 0);
		WRITE_ONCE(st->policy.every_nth[d], p->every_nth[d]);
	}
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
	*t = st->live;
	spin_unlock_irqrestore(&st->lock, flags);
	t->root = NULL;
}

/* Construction */

/* Every write still waiting, settled: at presuspend, and in dtr. */
static void swapfail_settle_all(struct swapfail_c *sc)
{
	struct bio_list bios;
	struct bio *bio;

	spin_lock_irq(&sc->deferred_lock);
	sc->suspending = true;
	bios = sc->deferred;
	bio_list_init(&sc->deferred);
	spin_unlock_irq(&sc->deferred_lock);
	while ((bio = bio_list_pop(&bios))) {
		/* a last try, with what a sleeping allocation can find */
		while (swapfail_redo(sc, bio)) {
			if (swapfail_reserve_fill(sc->st, GFP_NOIO |
						  __GFP_NORETRY | __GFP_NOWARN))
				continue;
			swapfail_settle(sc, bio);
			break;
		}
	}
}

static void swapfail_dtr(struct dm_target *ti)
{
	struct swapfail_c *sc = ti->private;

	cancel_delayed_work_sync(&sc->work);
	WARN_ON_ONCE(!bio_list_empty(&sc->deferred));
	swapfail_settle_all(sc);
	if (sc->st)
		swapfail_state_put(sc->st);
	if (sc->dev)
		dm_put_device(ti, sc->dev);
	kfree(sc);
}

/*
 * Construct a swapfail mapping:
 * <dev_path> <offset> <block_size> [<#feature_args> <feature_arg>...]
 *
 * Features: start_enabled, quiet, every_nth_read <N>, every_nth_write <N>,
 * error <NAME>.  Without features the line is a dm-dust line.
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
	sc->args = args;
	sc->offset = args.offset;
	sc->block_size = args.block_size;
	sc->block_shift = args.block_shift;
	sc->nr_blocks = (ti->len + (1ULL << args.block_shift) - 1) >>
			args.block_shift;
	spin_lock_init(&sc->deferred_lock);
	bio_list_init(&sc->deferred);
	INIT_DELAYED_WORK(&sc->work, swapfail_work);

	r = dm_get_device(ti, args.dev_path, dm_table_get_mode(ti->table),
			  &sc->dev);
	/* argv does not outlive the constructor */
	sc->args.dev_path = NULL;
	if (r) {
		ti->error = "Device lookup failed";
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
 * Writes waiting for nodes must not hold up the suspend: each gets a last
 * try, then goes back to device-mapper (noflush) or fails.
 */
static void swapfail_presuspend(struct dm_target *ti)
{
	struct swapfail_c *sc = ti->private;

	cancel_delayed_work_sync(&sc->work);
	swapfail_settle_all(sc);
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

	spin_lock_irq(&sc->deferred_lock);
	sc->suspending = false;
	spin_unlock_irq(&sc->deferred_lock);
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
	st->staged = st->live;
	st->staged.gen = ++st->gen;
	if (st->staged.root)
		swapfail_node_get(st->staged.root);
	st->staging = true;
	/* dropping spent extents starts over in the new tree */
	st->gc_next[1] = 0;
	spin_unlock_irq(&st->lock);
}

/* Publishes the staged tree, or drops it; then releases what went. */
static void swapfail_stage_end(struct swapfail_state *st,
			       struct swapfail_mem *mem, bool publish)
{
	struct swapfail_node *drop;

	spin_lock_irq(&st->lock);
	drop = publish ? st->live.root : st->staged.root;
	if (publish) {
		st->live = st->staged;
		swapfail_publish(st);
		st->gc_next[0] = 0;
	}
	if (drop)
		swapfail_node_put(mem, drop);
	st->staging = false;
	memset(&st->staged, 0, sizeof(st->staged));
	spin_unlock_irq(&st->lock);
	swapfail_release_all(st, mem);
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
		r = swapfail_edit_step(ed, &st->staged, pool);
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
static int swapfail_edit(struct swapfail_state *st, struct swapfail_msg *msg,
			 char **error)
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
	t = st->live;
	if (t.root)
		swapfail_node_get(t.root);
	spin_unlock_irq(&st->lock);
	r = swapfail_answer(&out, &t, msg, error);
	if (!t.root)
		return r;
	spin_lock_irq(&st->lock);
	swapfail_node_put(&mem, t.root);
	spin_unlock_irq(&st->lock);
	swapfail_release_all(st, &mem);
	return r;
}

static void swapfail_run_policy(struct swapfail_state *st,
				const struct swapfail_msg *msg)
{
	struct swapfail_policy p;

	spin_lock(&st->policy_lock);
	if (msg->verb == SWAPFAIL_MSG_RESET_STATS) {
		swapfail_reset_stats(st);
	} else {
		p = st->policy;
		swapfail_policy_store(st, &p, swapfail_policy_update(&p, msg));
	}
	spin_unlock(&st->policy_lock);
}

/*
 * Messages (blocks count from the start of the target):
 *   dm-dust's, with its answers: addbadblock <block> [<wr_fail_cnt>],
 *     removebadblock <block>, queryblock <block>, countbadblocks,
 *     clearbadblocks, listbadblocks, enable, disable, quiet
 *   add <range>... [mode=read|write|rw] [count=N] [error=NAME] [wr_fail=N]
 *   remove <range>...   query <range>...   list [<range>...]
 *   count [<range>...]  clear
 *   every_nth_read <N>  every_nth_write <N>  error <NAME>  quiet on|off
 *   stats  reset_stats
 * where <range> is A, A-B or A+N.  A rejected message changes nothing.
 */
static int swapfail_message(struct dm_target *ti, unsigned int argc,
			    char **argv, char *result, unsigned int maxlen)
{
	struct swapfail_c *sc = ti->private;
	struct swapfail_state *st = sc->st;
	char *error = "out of memory";
	struct swapfail_msg msg;
	int r;

	msg.ranges = kvmalloc_array(max(argc, 1U), sizeof(*msg.ranges),
				    GFP_KERNEL);
	if (!msg.ranges)
		return -ENOMEM;
	r = swapfail_parse_msg(argc, argv, sc->nr_blocks, &msg, &error);
	/* clearbadblocks answers from the table it is about to clear */
	if (!r && msg.answers)
		r = swapfail_answer_live(st, &msg, result, maxlen, &error);
	if (!r && msg.edits)
		r = swapfail_edit(st, &msg, &error);
	else if (!r && !msg.answers)
		swapfail_run_policy(st, &msg);
	if (r < 0)
		DMERR_LIMIT("%s: message '%s' rejected: %s", swapfail_name(sc),
			    argc ? argv[0] : "", error);
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
	swapfail_wq = alloc_workqueue("dm-" DM_MSG_PREFIX, WQ_MEM_RECLAIM, 0);
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
