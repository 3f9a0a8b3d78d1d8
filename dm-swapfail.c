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
#include <linux/blk-cgroup.h>
#include <linux/device-mapper.h>
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/interval_tree_generic.h>
#include <linux/ktime.h>
#include <linux/mempool.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "dm-swapfail.h"

#define CREATE_TRACE_POINTS
#include "dm-swapfail-trace.h"

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
/*
 * The worker's allocations: never the emergency reserves, never a reclaim
 * that retries, for presuspend and dtr wait for the worker.
 */
#define SWAPFAIL_WORKER_GFP	(GFP_NOIO | __GFP_NORETRY | __GFP_NOWARN)
/* Writes that can be corrupted on their way down at once, from the pools. */
#define SWAPFAIL_CORRUPT_POOL	4
/* Bios of one corrupted write: before the bytes, the bytes, after them. */
#define SWAPFAIL_CORRUPT_PARTS	3
/* In swapfail_state.triggers, shifted by the direction: swap-outs only. */
#define SWAPFAIL_TRIGGER_SWAP	BIT(2)
/* Waiting bios moved per hold of queue_lock: interrupts are off meanwhile. */
#define SWAPFAIL_QUEUE_BATCH	32
/* Ranges a message takes without allocating. */
#define SWAPFAIL_MSG_RANGES	8
/* Lines of the held answer gathered per hold of queue_lock. */
#define SWAPFAIL_HELD_LINES	16
/* Held bios are kept apart by what holds them: extents, each trigger. */
#define SWAPFAIL_HELD_BY_EXTENT	0
#define SWAPFAIL_HELD_TREES	(1 + SWAPFAIL_NR_DIRS)
#define SWAPFAIL_ALL_HELD	(BIT(SWAPFAIL_HELD_TREES) - 1)

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
	/*
	 * Read locklessly: BIT(dir), every_nth or probability is on for
	 * dir; SWAPFAIL_TRIGGER_SWAP << dir, its action matches swap-outs
	 * only.  Stored with release after the trigger's action.
	 */
	unsigned int triggers;
	struct swapfail_trigger_act __rcu *trigger[SWAPFAIL_NR_DIRS];
	/* a hold was ever set: what lets held bios go waits for map() */
	bool ever_held;
	atomic64_t nth_ios[SWAPFAIL_NR_DIRS];	/* I/Os counted for every_nth */
	atomic64_t prob_ios[SWAPFAIL_NR_DIRS];	/* ... for probability */
	atomic64_t faults;		/* numbers faults since the seed */
	atomic_t delaying;		/* I/Os delayed now */
	atomic_t holding;		/* I/Os held now */
	struct swapfail_pcpu __percpu *pcpu;
};

/* A trigger's action, as the I/O path reads it under RCU. */
struct swapfail_trigger_act {
	struct rcu_head rcu;
	struct swapfail_act act;
};

/*
 * What the target keeps of a bio it faults (device-mapper's per-bio data;
 * a bio no fault hits leaves it untouched): what was decided, copied out
 * of the table, and while the bio waits, where.
 */
struct swapfail_pbd {
	u64 first, last;		/* its blocks */
	u64 block;			/* FAILS: the first failing block */
	u64 fault;			/* its number among faults since the seed */
	sector_t sector;		/* its sector on the swapfail device */
	struct swapfail_c *sc;		/* the target that faulted it */
	u8 dir;
	u8 wait;			/* SWAPFAIL_ACT_DELAY, _HOLD, or _ERROR */
	u8 wait_by;			/* enum swapfail_trigger */
	u8 outcome;			/* enum swapfail_outcome: then */
	u8 outcome_by;
	u8 error;			/* FAILS */
	bool heal;			/* a write that heals when it goes on */
	u8 corrupt;			/* CORRUPTS: enum swapfail_corrupt */
	u8 xor;
	u8 bytes;			/* ... bytes to change, from ... */
	u32 at;				/* ... this one, into the I/O */
	u64 seed;
	union {
		struct {		/* while it waits */
			struct rb_node timed;	/* in timed, unless held for ever */
			struct rb_node held;	/* in a held tree, if held */
			u64 held_last;		/* the held tree's augment */
			u64 seq;		/* with first, its place in order */
			u64 due;		/* ns, monotonic; 0: until released */
			u64 since;		/* ns it began to wait */
		};
		struct {		/* a read to corrupt, on its way down */
			bio_end_io_t *end_io;
			void *private;
			struct bvec_iter iter;
		};
		struct {		/* a write to corrupt, in parts */
			atomic_t parts;		/* on their way */
			int status;		/* the first that failed */
		};
	};
};

/* One swapfail target in a table. */
struct swapfail_c {
	struct dm_target *ti;
	struct dm_dev *dev;
	dev_t devt;			/* the swapfail device, for the trace */
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

	/* guards timed, held, held_seq, waiting, timer_due, queue_closed */
	spinlock_t queue_lock;
	bool queue_closed;		/* from presuspend to resume */
	struct rb_root_cached timed;	/* waiting bios that are due, by due */
	/* held bios by block: held by extents, by each trigger */
	struct rb_root_cached held[SWAPFAIL_HELD_TREES];
	u64 held_seq;			/* the last seq handed out */
	u32 waiting;			/* bios in timed or a held tree */
	u64 timer_due;			/* when the timer fires; 0: idle */
	struct hrtimer timer;		/* the first in timed is due */
	struct work_struct release;	/* sends on what is due */
	u32 window_pages;		/* pages a corruption's copy can need */
	mempool_t *pages;		/* a corrupted write's copies */
	struct bio_set bs;		/* ... and its parts */
};

#define swapfail_held_first(pb)	((pb)->first)
#define swapfail_held_last(pb)	((pb)->last)
INTERVAL_TREE_DEFINE(struct swapfail_pbd, held, u64, held_last,
		     swapfail_held_first, swapfail_held_last, static,
		     swapfail_held)

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
	bool swap;		/* the write is a swap-out */
	u64 healed;		/* blocks taken from the live tree */
};

static int swapfail_heal_change(struct swapfail_tree *t,
				struct swapfail_mem *mem, void *arg)
{
	struct swapfail_heal_args *h = arg;
	u64 healed;
	int r;

	r = swapfail_tree_heal(t, mem, h->first, h->last, h->swap,
			       SWAPFAIL_STEPS, &healed);
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
				   u64 last, bool swap)
{
	return (st->live.extents >= SWAPFAIL_MAX_EXTENTS &&
		swapfail_tree_splits(&st->live, first, last, swap)) ||
	       (st->staging && st->staged.extents >= SWAPFAIL_MAX_EXTENTS &&
		swapfail_tree_splits(&st->staged, first, last, swap));
}

static const char *swapfail_name(struct swapfail_c *sc)
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
static int swapfail_heal(struct swapfail_c *sc, u64 first, u64 last,
			 bool swap)
{
	struct swapfail_state *st = sc->st;
	struct swapfail_heal_args h = {
		.live = &st->live, .first = first, .last = last, .swap = swap
	};
	unsigned long flags;
	bool kick = false;
	int r = -ENOSPC;

	spin_lock_irqsave(&st->lock, flags);
	if (!swapfail_heal_over_cap(st, first, last, swap)) {
		r = swapfail_io_change(st, swapfail_heal_change, &h);
		kick = st->mem.nr_free < SWAPFAIL_RESERVE / 2 ||
		       st->mem.released;
	}
	spin_unlock_irqrestore(&st->lock, flags);

	if (kick)
		mod_delayed_work(swapfail_wq, &sc->work, 0);
	if (r == -ENOSPC)
		DMERR_LIMIT("%s: table full: write of block %llu fails instead of healing",
			    swapfail_name(sc), first);
	if (!h.healed)
		return r;
	this_cpu_add(st->pcpu->count[SWAPFAIL_HEALED], h.healed);
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

static sector_t swapfail_lower_sector(struct swapfail_c *sc, sector_t sector)
{
	return sc->offset + dm_target_offset(sc->ti, sector);
}

static void swapfail_remap(struct swapfail_c *sc, struct bio *bio)
{
	bio_set_dev(bio, sc->dev->bdev);
	if (bio_sectors(bio))
		bio->bi_iter.bi_sector =
			swapfail_lower_sector(sc, bio->bi_iter.bi_sector);
}

static struct swapfail_pbd *swapfail_pbd(struct bio *bio)
{
	return dm_per_bio_data(bio, sizeof(struct swapfail_pbd));
}

static struct bio *swapfail_pbd_bio(struct swapfail_pbd *pb)
{
	return dm_bio_from_per_bio_data(pb, sizeof(*pb));
}

static u64 swapfail_now(void)
{
	return ktime_get_ns();
}

/* One part of what a fault does to @bio, for the trace. */
static void swapfail_trace(struct swapfail_c *sc, struct bio *bio,
			   unsigned int action, unsigned int error,
			   unsigned int by, u64 delay_ns)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);

	trace_swapfail_fault(sc->devt, pb->sector, bio_sectors(bio), pb->dir,
			     action, error, by, pb->fault, delay_ns);
}

/* Completes @bio with @error (_DEFAULT: the device's), found at @block. */
static void swapfail_fail(struct swapfail_c *sc, struct bio *bio, u8 error,
			  unsigned int by, u64 block)
{
	struct swapfail_state *st = sc->st;
	u8 dir = swapfail_pbd(bio)->dir;

	if (error == SWAPFAIL_ERR_DEFAULT)
		error = READ_ONCE(st->policy.error);
	swapfail_trace(sc, bio, SWAPFAIL_ACT_ERROR, error, by, 0);
	this_cpu_inc(st->pcpu->count[SWAPFAIL_READ_ERRORS + dir]);
	if (!READ_ONCE(st->policy.quiet))
		DMERR_LIMIT("%s: %s of block %llu failed with %s",
			    swapfail_name(sc), dir ? "write" : "read", block,
			    swapfail_error_name(error));
	bio->bi_status = swapfail_blk_status[error];
	bio_endio(bio);
}

/* A lost write: it completes, and nothing reaches the disk. */
static void swapfail_drop(struct swapfail_c *sc, struct bio *bio)
{
	swapfail_trace(sc, bio, SWAPFAIL_ACT_DROP, 0,
		       swapfail_pbd(bio)->outcome_by, 0);
	this_cpu_inc(sc->st->pcpu->count[SWAPFAIL_DROPPED]);
	bio_endio(bio);
}

/* Corruption */

struct swapfail_corruption {
	const struct swapfail_pbd *pb;
	u32 bytes;
	u8 before[SWAPFAIL_MAX_CORRUPT];
	u8 after[SWAPFAIL_MAX_CORRUPT];
};

static void swapfail_corrupt_byte(u8 *p, u32 i,
				  struct swapfail_corruption *c)
{
	const struct swapfail_pbd *pb = c->pb;

	c->before[i] = *p;
	if (pb->corrupt == SWAPFAIL_CORRUPT_XOR)
		*p ^= pb->xor;
	else
		*p = swapfail_random(pb->seed,
				     pb->fault * SWAPFAIL_MAX_CORRUPT + i);
	c->after[i] = *p;
	c->bytes = i + 1;
}

/*
 * Changes the bytes the corruption of @pb names in @bio's data, walked from
 * @iter, which starts at byte @from of the I/O; records and counts what
 * changed.
 */
static void swapfail_corrupt_data(struct swapfail_c *sc, struct bio *bio,
				  struct bvec_iter iter, u32 from,
				  const struct swapfail_pbd *pb)
{
	struct swapfail_corruption c = { .pb = pb };
	u32 end = pb->at + pb->bytes, off = from, i, lo, hi;
	struct bio_vec bv;
	u8 *p;

	__bio_for_each_segment(bv, bio, iter, iter) {
		lo = max(off, pb->at);
		hi = min(off + bv.bv_len, end);
		if (lo < hi) {
			p = bvec_kmap_local(&bv);
			for (i = lo; i < hi; i++)
				swapfail_corrupt_byte(p + i - off, i - pb->at,
						      &c);
			kunmap_local(p);
		}
		off += bv.bv_len;
		if (off >= end)
			break;
	}
	if (!c.bytes)
		return;
	this_cpu_inc(sc->st->pcpu->count[SWAPFAIL_CORRUPTED]);
	trace_swapfail_corrupt(sc->devt, pb->sector, pb->dir, pb->at, c.bytes,
			       c.before, c.after, pb->fault);
}

/*
 * A corrupted read completes: its data changes before anyone sees it.  Only
 * the reads to corrupt have their completion hooked (as dm-verity hooks
 * those it verifies): no other bio pays for an .end_io call.
 */
static void swapfail_corrupt_endio(struct bio *bio)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);

	bio->bi_end_io = pb->end_io;
	bio->bi_private = pb->private;
	if (!bio->bi_status)
		swapfail_corrupt_data(pb->sc, bio, pb->iter, 0, pb);
	bio_endio(bio);
}

/* A read to corrupt goes on, with its completion hooked. */
static void swapfail_corrupt_read(struct swapfail_c *sc, struct bio *bio)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);

	swapfail_remap(sc, bio);
	pb->end_io = bio->bi_end_io;
	pb->private = bio->bi_private;
	pb->iter = bio->bi_iter;
	bio->bi_end_io = swapfail_corrupt_endio;
}

/* One part of a corrupted write is done, or its sender: the last ends it. */
static void swapfail_parts_done(struct bio *bio)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);

	if (!atomic_dec_and_test(&pb->parts))
		return;
	bio->bi_status = (__force blk_status_t)pb->status;
	bio_endio(bio);
}

static void swapfail_part_endio(struct bio *part)
{
	struct bio *bio = part->bi_private;
	struct swapfail_pbd *pb = swapfail_pbd(bio);

	if (part->bi_status)
		cmpxchg(&pb->status, 0, (__force int)part->bi_status);
	bio_put(part);
	swapfail_parts_done(bio);
}

/* The copy that carries the changed bytes: its pages go back to the pool. */
static void swapfail_window_free(struct swapfail_c *sc, struct bio *part)
{
	struct bvec_iter_all iter;
	struct bio_vec *bv;

	bio_for_each_segment_all(bv, part, iter)
		mempool_free(bv->bv_page, sc->pages);
}

static void swapfail_window_endio(struct bio *part)
{
	swapfail_window_free(swapfail_pbd(part->bi_private)->sc, part);
	swapfail_part_endio(part);
}

/* Copies bytes @from..@to of @bio into @part's pages. */
static void swapfail_window_copy(struct bio *bio, u32 from, u32 to,
				 struct bio *part)
{
	struct bvec_iter iter = bio->bi_iter;
	u32 done = 0, off, len;
	struct bio_vec bv;
	u8 *src;

	bio_advance_iter(bio, &iter, from);
	iter.bi_size = to - from;
	__bio_for_each_segment(bv, bio, iter, iter) {
		src = bvec_kmap_local(&bv);
		for (off = 0; off < bv.bv_len; off += len, done += len) {
			len = min_t(u32, bv.bv_len - off,
				    PAGE_SIZE - done % PAGE_SIZE);
			memcpy_to_page(part->bi_io_vec[done / PAGE_SIZE].bv_page,
				       done % PAGE_SIZE, src + off, len);
		}
		kunmap_local(src);
	}
}

/*
 * Bytes @from..@to of @bio, copied into pages of the pool: the part of a
 * corrupted write that carries the bytes to change, so that the writer's
 * own pages (a page being swapped out is still mapped) are never changed.
 */
static struct bio *swapfail_window(struct swapfail_c *sc, struct bio *bio,
				   u32 from, u32 to, gfp_t gfp)
{
	u32 nr = DIV_ROUND_UP(to - from, PAGE_SIZE), done, len;
	struct page *page;
	struct bio *part;
	sector_t sector;

	part = bio_alloc_bioset(sc->dev->bdev, nr, bio->bi_opf, gfp, &sc->bs);
	if (!part)
		return NULL;
	for (done = 0; done < to - from; done += len) {
		page = mempool_alloc(sc->pages, gfp);
		if (!page) {
			swapfail_window_free(sc, part);
			bio_put(part);
			return NULL;
		}
		len = min_t(u32, PAGE_SIZE, to - from - done);
		__bio_add_page(part, page, len, 0);
	}
	swapfail_window_copy(bio, from, to, part);
	bio_clone_blkg_association(part, bio);
	part->bi_ioprio = bio->bi_ioprio;
	sector = bio->bi_iter.bi_sector + (from >> SECTOR_SHIFT);
	part->bi_iter.bi_sector = swapfail_lower_sector(sc, sector);
	part->bi_end_io = swapfail_window_endio;
	return part;
}

/* Bytes @from..@to of @bio, as a part that shares its pages. */
static struct bio *swapfail_part(struct swapfail_c *sc, struct bio *bio,
				 u32 from, u32 to, gfp_t gfp)
{
	struct bio *part = bio_alloc_clone(sc->dev->bdev, bio, gfp, &sc->bs);

	if (!part)
		return NULL;
	bio_trim(part, from >> SECTOR_SHIFT, (to - from) >> SECTOR_SHIFT);
	part->bi_iter.bi_sector =
		swapfail_lower_sector(sc, part->bi_iter.bi_sector);
	part->bi_end_io = swapfail_part_endio;
	return part;
}

static void swapfail_parts_put(struct swapfail_c *sc, struct bio **part)
{
	unsigned int i;

	if (part[0])
		swapfail_window_free(sc, part[0]);
	for (i = 0; i < SWAPFAIL_CORRUPT_PARTS; i++)
		if (part[i])
			bio_put(part[i]);
}

/*
 * A write that must reach the device corrupted, whatever its size, in up to
 * three parts: the logical blocks that hold the bytes to change, as a
 * changed copy, and the bytes before and after them as they are.  Nothing
 * is sent unless every part could be had (-ENOMEM).
 */
static int swapfail_corrupt_write(struct swapfail_c *sc, struct bio *bio,
				  gfp_t gfp)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);
	u32 lbs = bdev_logical_block_size(sc->dev->bdev);
	u32 size = bio->bi_iter.bi_size, from = round_down(pb->at, lbs);
	u32 to = min(round_up(pb->at + pb->bytes, lbs), size);
	struct bio *part[SWAPFAIL_CORRUPT_PARTS] = { };
	unsigned int i;

	part[0] = swapfail_window(sc, bio, from, to, gfp);
	if (part[0] && from)
		part[1] = swapfail_part(sc, bio, 0, from, gfp);
	if (part[0] && (!from || part[1]) && to < size)
		part[2] = swapfail_part(sc, bio, to, size, gfp);
	if (!part[0] || (from && !part[1]) || (to < size && !part[2])) {
		swapfail_parts_put(sc, part);
		return -ENOMEM;
	}
	swapfail_trace(sc, bio, SWAPFAIL_ACT_CORRUPT, 0, pb->outcome_by, 0);
	swapfail_corrupt_data(sc, part[0], part[0]->bi_iter, from, pb);
	pb->status = 0;
	/* the parts, and the sender until all are sent */
	atomic_set(&pb->parts, 2 + !!part[1] + !!part[2]);
	for (i = 0; i < SWAPFAIL_CORRUPT_PARTS; i++) {
		if (!part[i])
			continue;
		part[i]->bi_private = bio;
		dm_submit_bio_remap(bio, part[i]);
	}
	swapfail_parts_done(bio);
	return 0;
}

/* Waiting: delay and hold */

/* The timer fires at the first due bio; the caller holds queue_lock. */
static void swapfail_timer_arm(struct swapfail_c *sc, u64 due)
{
	lockdep_assert_held(&sc->queue_lock);
	if (!due || (sc->timer_due && sc->timer_due <= due))
		return;
	sc->timer_due = due;
	hrtimer_start(&sc->timer, ns_to_ktime(due), HRTIMER_MODE_ABS);
}

static enum hrtimer_restart swapfail_timer_fn(struct hrtimer *timer)
{
	struct swapfail_c *sc = container_of(timer, struct swapfail_c, timer);

	queue_work(swapfail_wq, &sc->release);
	return HRTIMER_NORESTART;
}

static void swapfail_timer_setup(struct hrtimer *timer)
{
#ifdef SWAPFAIL_HAVE_HRTIMER_SETUP
	hrtimer_setup(timer, swapfail_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS);
#else
	hrtimer_init(timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	timer->function = swapfail_timer_fn;
#endif
}

static bool swapfail_due_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct swapfail_pbd, timed)->due <
	       rb_entry(b, struct swapfail_pbd, timed)->due;
}

/* The held tree of a held bio: its extent's, or its trigger's direction's. */
static struct rb_root_cached *swapfail_held_root(struct swapfail_c *sc,
						 const struct swapfail_pbd *pb)
{
	if (pb->wait_by == SWAPFAIL_BY_EXTENT)
		return &sc->held[SWAPFAIL_HELD_BY_EXTENT];
	return &sc->held[1 + pb->dir];
}

/*
 * Puts @bio to wait as its per-bio data says: in timed if it is due at
 * some time, and in its held tree if it is held.  False once the target
 * suspends, when nothing may wait: the bio then goes on at once.
 */
static bool swapfail_queue(struct swapfail_c *sc, struct bio *bio)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);
	bool held = pb->wait == SWAPFAIL_ACT_HOLD;
	unsigned long flags;
	bool queued;

	RB_CLEAR_NODE(&pb->timed);
	spin_lock_irqsave(&sc->queue_lock, flags);
	queued = !sc->queue_closed;
	if (queued && pb->due &&
	    rb_add_cached(&pb->timed, &sc->timed, swapfail_due_less))
		swapfail_timer_arm(sc, pb->due);
	if (queued && held) {
		pb->seq = ++sc->held_seq;
		swapfail_held_insert(pb, swapfail_held_root(sc, pb));
	}
	if (queued)
		sc->waiting++;
	spin_unlock_irqrestore(&sc->queue_lock, flags);
	if (queued)
		atomic_inc(held ? &sc->st->holding : &sc->st->delaying);
	return queued;
}

/* Takes a waiting bio out of its trees, onto @out. */
static void swapfail_unqueue(struct swapfail_c *sc, struct swapfail_pbd *pb,
			     struct bio_list *out)
{
	bool held = pb->wait == SWAPFAIL_ACT_HOLD;

	lockdep_assert_held(&sc->queue_lock);
	if (!RB_EMPTY_NODE(&pb->timed))
		rb_erase_cached(&pb->timed, &sc->timed);
	if (held)
		swapfail_held_remove(pb, swapfail_held_root(sc, pb));
	sc->waiting--;
	atomic_dec(held ? &sc->st->holding : &sc->st->delaying);
	bio_list_add(out, swapfail_pbd_bio(pb));
}

/* Takes up to @budget waiting bios due by @now, earliest first. */
static u32 swapfail_take_due(struct swapfail_c *sc, u64 now,
			     struct bio_list *out, u32 budget)
{
	struct swapfail_pbd *pb;
	struct rb_node *node;
	u32 n = 0;

	while (n < budget && (node = rb_first_cached(&sc->timed))) {
		pb = rb_entry(node, struct swapfail_pbd, timed);
		if (pb->due > now)
			break;
		swapfail_unqueue(sc, pb, out);
		n++;
	}
	return n;
}

/* Takes up to @budget bios of held tree @i over @r (NULL: any block). */
static u32 swapfail_take_held(struct swapfail_c *sc, unsigned int i,
			      const struct swapfail_range *r,
			      struct bio_list *out, u32 budget)
{
	struct swapfail_pbd *batch[SWAPFAIL_QUEUE_BATCH], *pb;
	struct rb_node *node;
	u32 n = 0, k;

	budget = min_t(u32, budget, ARRAY_SIZE(batch));
	if (r) {
		for (pb = swapfail_held_iter_first(&sc->held[i], r->first,
						   r->last);
		     pb && n < budget;
		     pb = swapfail_held_iter_next(pb, r->first, r->last))
			batch[n++] = pb;
	} else {
		for (node = rb_first_cached(&sc->held[i]); node && n < budget;
		     node = rb_next(node))
			batch[n++] = rb_entry(node, struct swapfail_pbd, held);
	}
	/* the walk is over before the tree changes */
	for (k = 0; k < n; k++)
		swapfail_unqueue(sc, batch[k], out);
	return n;
}

static int swapfail_go(struct swapfail_c *sc, struct bio *bio, gfp_t gfp);
static void swapfail_defer(struct swapfail_c *sc, struct bio *bio);
static void swapfail_fail(struct swapfail_c *sc, struct bio *bio, u8 error,
			  unsigned int by, u64 block);

/*
 * Sends on bios that waited: what was decided for them goes on; with
 * @fail (release fail) they fail with @error instead.  May sleep.
 */
static void swapfail_send(struct swapfail_c *sc, struct bio_list *bios,
			  bool fail, u8 error)
{
	struct bio *bio;
	int r;

	while ((bio = bio_list_pop(bios))) {
		if (fail) {
			swapfail_fail(sc, bio, error, SWAPFAIL_BY_RELEASE,
				      swapfail_pbd(bio)->first);
			continue;
		}
		r = swapfail_go(sc, bio, GFP_NOIO);
		if (r == -EAGAIN)
			swapfail_defer(sc, bio);
		else if (r == DM_MAPIO_REMAPPED)
			dm_submit_bio_remap(bio, NULL);
	}
}

/*
 * Sends on what is due, a batch per hold of the lock, and sets the timer
 * for what comes next.
 */
static void swapfail_release_work(struct work_struct *work)
{
	struct swapfail_c *sc = container_of(work, struct swapfail_c, release);
	struct swapfail_pbd *next;
	struct bio_list due;
	u32 n;

	do {
		bio_list_init(&due);
		spin_lock_irq(&sc->queue_lock);
		n = swapfail_take_due(sc, swapfail_now(), &due,
				      SWAPFAIL_QUEUE_BATCH);
		if (n < SWAPFAIL_QUEUE_BATCH) {
			sc->timer_due = 0;
			next = rb_entry_safe(rb_first_cached(&sc->timed),
					     struct swapfail_pbd, timed);
			if (next)
				swapfail_timer_arm(sc, next->due);
		}
		spin_unlock_irq(&sc->queue_lock);
		swapfail_send(sc, &due, false, 0);
		cond_resched();
	} while (n == SWAPFAIL_QUEUE_BATCH);
}

/* Which waiting bios a release lets go of, and how. */
struct swapfail_release_set {
	unsigned int trees;		/* the held trees: BIT(i) */
	const struct swapfail_range *range;	/* NULL: any block */
	bool delayed;			/* every delayed bio too */
	bool close;			/* none may wait from now on */
	bool fail;			/* they fail, with error */
	u8 error;
};

/*
 * Lets go of the waiting bios @rs names that wait now, a batch per hold of
 * queue_lock (interrupts are off meanwhile), sending each batch on with
 * the lock dropped.  Returns how many.
 */
static u32 swapfail_release_held(struct swapfail_c *sc,
				 const struct swapfail_release_set *rs)
{
	u32 n, total = 0, waiting = 0;
	struct bio_list out;
	unsigned int i;

	do {
		bio_list_init(&out);
		n = 0;
		spin_lock_irq(&sc->queue_lock);
		sc->queue_closed |= rs->close;
		if (!total)
			waiting = sc->waiting;
		for (i = 0; i < SWAPFAIL_HELD_TREES; i++)
			if (rs->trees & BIT(i))
				n += swapfail_take_held(sc, i, rs->range, &out,
							SWAPFAIL_QUEUE_BATCH - n);
		if (rs->delayed)
			n += swapfail_take_due(sc, U64_MAX, &out,
					       SWAPFAIL_QUEUE_BATCH - n);
		spin_unlock_irq(&sc->queue_lock);
		total += n;
		swapfail_send(sc, &out, rs->fail, rs->error);
		cond_resched();
		/* what waits after it began is not its to let go of */
	} while (n == SWAPFAIL_QUEUE_BATCH && total < waiting);
	return total;
}

/* T, give or take the jitter (uniform, from the fault's number); a hold's limit. */
static u64 swapfail_wait_ns(struct swapfail_state *st,
			    const struct swapfail_act *a, u64 fault)
{
	u64 r;

	if (a->kind == SWAPFAIL_ACT_HOLD)
		return a->hold_ns;
	if (!a->jitter_ns)
		return a->delay_ns;
	r = swapfail_random(READ_ONCE(st->policy.seed), fault);
	return a->delay_ns - a->jitter_ns +
	       div64_u64(r, div64_u64(~0ULL, 2 * a->jitter_ns + 1) + 1);
}

/*
 * A delay or a hold (@a): the bio waits, counted and traced.  False if it
 * goes on at once: the target is suspending.
 */
static bool swapfail_wait(struct swapfail_c *sc, struct bio *bio,
			  const struct swapfail_act *a)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);
	bool held = pb->wait == SWAPFAIL_ACT_HOLD;
	u64 ns = swapfail_wait_ns(sc->st, a, pb->fault);
	blk_opf_t nowait = bio->bi_opf & REQ_NOWAIT;

	this_cpu_inc(sc->st->pcpu->count[held ? SWAPFAIL_HELD :
						SWAPFAIL_DELAYED]);
	swapfail_trace(sc, bio, pb->wait, 0, pb->wait_by, ns);
	pb->since = swapfail_now();
	pb->due = held && !ns ? 0 : pb->since + ns;
	/* it goes on from a worker, which may wait for the device */
	bio->bi_opf &= ~REQ_NOWAIT;
	if (swapfail_queue(sc, bio))
		return true;
	bio->bi_opf |= nowait;
	return false;
}

/* The outcome CORRUPTS: a read hooked, a write sent in parts. */
static int swapfail_corrupt(struct swapfail_c *sc, struct bio *bio, gfp_t gfp)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);
	blk_opf_t nowait = bio->bi_opf & REQ_NOWAIT;

	if (pb->dir == SWAPFAIL_DIR_READ) {
		swapfail_trace(sc, bio, SWAPFAIL_ACT_CORRUPT, 0, pb->outcome_by,
			       0);
		swapfail_corrupt_read(sc, bio);
		return DM_MAPIO_REMAPPED;
	}
	if (!swapfail_corrupt_write(sc, bio, gfp))
		return DM_MAPIO_SUBMITTED;
	/* the pools are short now: a worker does it, and may wait for them */
	pb->wait = SWAPFAIL_ACT_DELAY;
	pb->since = swapfail_now();
	pb->due = pb->since;
	bio->bi_opf &= ~REQ_NOWAIT;
	if (swapfail_queue(sc, bio))
		return DM_MAPIO_SUBMITTED;
	/* suspending: nothing waits, and it goes on as it is */
	bio->bi_opf |= nowait;
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
}

/*
 * What is left of a faulted bio once any wait is over: it fails, it is
 * dropped, or it goes on (corrupted), a write first healing what it heals
 * unless failures have been disabled since.  DM_MAPIO_REMAPPED: the caller
 * sends it on; DM_MAPIO_SUBMITTED: it is done with; -EAGAIN: a heal ran
 * short of nodes, and nothing was done.
 */
static int swapfail_go(struct swapfail_c *sc, struct bio *bio, gfp_t gfp)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);
	int r;

	if (pb->outcome == SWAPFAIL_FAILS) {
		swapfail_fail(sc, bio, pb->error, pb->outcome_by, pb->block);
		return DM_MAPIO_SUBMITTED;
	}
	if (pb->outcome == SWAPFAIL_DROPS) {
		swapfail_drop(sc, bio);
		return DM_MAPIO_SUBMITTED;
	}
	/* while bypassed the table does not change: nothing heals */
	if (pb->heal && READ_ONCE(sc->st->policy.enabled)) {
		r = swapfail_heal(sc, pb->first, pb->last,
				  bio->bi_opf & REQ_SWAP);
		if (r == -EAGAIN)
			return r;
		if (r) {
			swapfail_fail(sc, bio, SWAPFAIL_ERR_DEFAULT,
				      SWAPFAIL_BY_EXTENT, pb->first);
			return DM_MAPIO_SUBMITTED;
		}
		pb->heal = false;
	}
	if (pb->outcome == SWAPFAIL_CORRUPTS)
		return swapfail_corrupt(sc, bio, gfp);
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
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

/* The decision */

/* Queues what a verdict spent, for the worker to drop. */
static void swapfail_spent(struct swapfail_c *sc,
			   const struct swapfail_verdict *v, u64 first, u64 last)
{
	struct swapfail_state *st = sc->st;
	unsigned long flags;
	bool kick;

	if (!v->nr_spent && !v->sweep)
		return;
	spin_lock_irqsave(&st->lock, flags);
	kick = swapfail_queue_spent(st, v, first, last);
	spin_unlock_irqrestore(&st->lock, flags);
	if (kick)
		mod_delayed_work(swapfail_wq, &sc->work, 0);
}

/* Adds the fault of the trigger that fired for the I/O (@by) to @v. */
static void swapfail_trigger_add(struct swapfail_state *st,
				 struct swapfail_verdict *v,
				 enum swapfail_dir dir, int by, u64 first)
{
	const struct swapfail_trigger_act *tr;

	/*
	 * Switched off since it counted the I/O: the message that did it
	 * waits for this section to end before it lets go of what it held.
	 * The acquire pairs with the release that publishes the action first.
	 */
	if (!(smp_load_acquire(&st->triggers) & BIT(dir)))
		return;
	tr = rcu_dereference(st->trigger[dir]);
	if (tr)
		swapfail_verdict_add(v, &tr->act, tr->act.error, first, by);
	else
		swapfail_verdict_add(v, NULL, SWAPFAIL_ERR_DEFAULT, first, by);
}

/*
 * The one decision of an I/O: the faults of the table and of the trigger
 * that fired for it (@by, or -1), composed by the core.  The caller holds
 * rcu_read_lock() until what it decides to hold is queued: see
 * swapfail_unhold().
 */
static void swapfail_decide(struct swapfail_c *sc, struct bio *bio,
			    enum swapfail_dir dir, u64 first, u64 last,
			    bool table, int by, struct swapfail_verdict *v)
{
	struct swapfail_state *st = sc->st;
	struct swapfail_tree view = { };

	swapfail_verdict_init(v);
	if (!READ_ONCE(st->policy.enabled))
		return;
	if (table) {
		view.root = rcu_dereference(st->root);
		swapfail_tree_check(&view, first, last, dir,
				    bio->bi_opf & REQ_SWAP, v);
		swapfail_spent(sc, v, first, last);
	}
	if (by >= 0)
		swapfail_trigger_add(st, v, dir, by, first);
}

/* Where a corruption falls: @a's bytes, from @block's first in the I/O. */
static void swapfail_plan_corrupt(struct swapfail_c *sc, struct bio *bio,
				  const struct swapfail_act *a, u64 block)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);
	sector_t io = dm_target_offset(sc->ti, bio->bi_iter.bi_sector);
	sector_t from = block << sc->block_shift;
	u64 at = a->at;

	if (from > io)
		at += (u64)(from - io) << SECTOR_SHIFT;
	/* bytes past the end of the I/O are left out: here, all of them */
	if (at >= bio->bi_iter.bi_size) {
		pb->outcome = SWAPFAIL_PASSES;
		return;
	}
	pb->at = at;
	pb->bytes = min_t(u64, a->bytes, bio->bi_iter.bi_size - at);
	pb->corrupt = a->corrupt;
	pb->xor = a->xor;
	pb->seed = a->seed;
}

/*
 * Writes what was decided into @bio's per-bio data: copied out of the
 * table or the trigger under RCU, for carrying it out may sleep.
 */
static void swapfail_plan(struct swapfail_c *sc, struct bio *bio,
			  enum swapfail_dir dir, u64 first, u64 last,
			  const struct swapfail_verdict *v)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);

	pb->sc = sc;
	pb->first = first;
	pb->last = last;
	pb->sector = bio->bi_iter.bi_sector;
	pb->dir = dir;
	pb->wait = v->wait;
	pb->wait_by = v->wait_by;
	pb->outcome = v->outcome;
	pb->outcome_by = v->outcome_by;
	pb->error = v->error;
	pb->block = v->block;
	pb->heal = swapfail_verdict_heals(v);
	pb->fault = v->fault ? atomic64_inc_return(&sc->st->faults) : 0;
	if (v->outcome == SWAPFAIL_CORRUPTS)
		swapfail_plan_corrupt(sc, bio, v->corrupt, v->block);
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
	swapfail_decide(sc, bio, dir, first, last, table, by, &v);
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
				      READ_ONCE(st->policy.seed), dir,
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
	struct swapfail_mem *mem = &st->mem;
	struct swapfail_rule *rule;
	unsigned int d;

	if (!st)
		return;
	/* the last target is gone: no map() reads the triggers any more */
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++)
		kfree(rcu_dereference_protected(st->trigger[d], true));
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
	*t = st->live;
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

/* A held bio, as the held answer shows it. */
struct swapfail_held_line {
	u64 first, last;
	u64 since;
	u8 dir;
	u8 by;
};

/* Whether @a comes before @b in block order, then in the order held. */
static bool swapfail_held_less(const struct swapfail_pbd *a,
			       const struct swapfail_pbd *b)
{
	return a->first < b->first || (a->first == b->first && a->seq < b->seq);
}

/*
 * The first bio of held tree @root after the cursor (@first, @seq): a
 * held tree's in-order walk goes by first block, then by seq, as a bio
 * with the same first block goes to the right of those held before it.
 */
static struct swapfail_pbd *swapfail_held_after(struct rb_root_cached *root,
						u64 first, u64 seq)
{
	struct rb_node *node = root->rb_root.rb_node;
	struct swapfail_pbd *pb, *found = NULL;

	while (node) {
		pb = rb_entry(node, struct swapfail_pbd, held);
		if (pb->first > first || (pb->first == first && pb->seq > seq)) {
			found = pb;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return found;
}

/*
 * Up to @max held bios after the cursor (@first, @seq), in block order
 * across the held trees, into @line; moves the cursor past them.
 */
static u32 swapfail_held_lines(struct swapfail_c *sc, u64 *first, u64 *seq,
			       struct swapfail_held_line *line, u32 max)
{
	struct swapfail_pbd *head[SWAPFAIL_HELD_TREES], *pb;
	struct rb_node *next;
	unsigned int i, k;
	u32 n;

	lockdep_assert_held(&sc->queue_lock);
	for (i = 0; i < SWAPFAIL_HELD_TREES; i++)
		head[i] = swapfail_held_after(&sc->held[i], *first, *seq);
	for (n = 0; n < max; n++) {
		for (k = 0, i = 1; i < SWAPFAIL_HELD_TREES; i++)
			if (head[i] && (!head[k] || swapfail_held_less(head[i], head[k])))
				k = i;
		pb = head[k];
		if (!pb)
			break;
		line[n] = (struct swapfail_held_line){
			pb->first, pb->last, pb->since, pb->dir, pb->wait_by
		};
		*first = pb->first;
		*seq = pb->seq;
		next = rb_next(&pb->held);
		head[k] = next ? rb_entry(next, struct swapfail_pbd, held) : NULL;
	}
	return n;
}

/*
 * One line per held bio, in block order (see swapfail_emit_held()),
 * gathered a few at a time with interrupts off and written without.
 */
static void swapfail_answer_held(struct swapfail_c *sc, char *result,
				 unsigned int maxlen)
{
	struct swapfail_held_line line[SWAPFAIL_HELD_LINES];
	u64 now, first = 0, seq = 0;
	struct swapfail_out out;
	u32 n, i;

	swapfail_out_init(&out, result, maxlen);
	do {
		spin_lock_irq(&sc->queue_lock);
		now = swapfail_now();
		n = swapfail_held_lines(sc, &first, &seq, line,
					ARRAY_SIZE(line));
		spin_unlock_irq(&sc->queue_lock);
		for (i = 0; i < n; i++)
			swapfail_emit_held(&out, line[i].first, line[i].last,
					   line[i].dir,
					   div_u64(now - line[i].since,
						   NSEC_PER_MSEC),
					   line[i].by);
		cond_resched();
	} while (n == ARRAY_SIZE(line) && !out.full);
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
		return swapfail_edit(st, msg, error);
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
	 * Unbound: the work is per device, not per CPU; and Debian's 7.x
	 * warns about a workqueue that names neither WQ_UNBOUND nor WQ_PERCPU.
	 */
	swapfail_wq = alloc_workqueue("dm-" DM_MSG_PREFIX,
				      WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
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
