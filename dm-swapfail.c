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
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/mempool.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
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
/* Pages and bios kept for writes that are corrupted on their way down. */
#define SWAPFAIL_CORRUPT_POOL	4
/* In swapfail_state.triggers, shifted by the direction: swap-outs only. */
#define SWAPFAIL_TRIGGER_SWAP	BIT(2)

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
	 * only.
	 */
	unsigned int triggers;
	struct swapfail_trigger_act __rcu *trigger[SWAPFAIL_NR_DIRS];
	atomic64_t nth_ios[SWAPFAIL_NR_DIRS];	/* I/Os counted for every_nth */
	atomic64_t prob_ios[SWAPFAIL_NR_DIRS];	/* ... for probability */
	atomic64_t faults;		/* numbers faults: jitter, corruption */
	atomic_t delaying;		/* I/Os delayed now */
	atomic_t holding;		/* I/Os held now */
	struct swapfail_pcpu __percpu *pcpu;
};

/* A trigger's action, as the I/O path reads it under RCU. */
struct swapfail_trigger_act {
	struct rcu_head rcu;
	struct swapfail_act act;
};

/* What the target keeps of each bio (device-mapper's per-bio data). */
struct swapfail_pbd {
	struct list_head node;		/* on the delayed or held list */
	u64 due;			/* ns (monotonic) it goes on; 0: never */
	u64 since;			/* ns it was delayed or held */
	u64 first, last;		/* its blocks */
	u8 dir;
	u8 action;
	u8 by;				/* enum swapfail_trigger */
	struct swapfail_c *sc;		/* a corrupted write's target */
	struct swapfail_act corrupt;	/* corrupt: what to do */
	u64 fault;			/* its number among the faults */
	dev_t dev;			/* the device and sector it came for */
	sector_t sector;
	/* a read to corrupt on completion: what completion it had */
	bio_end_io_t *end_io;
	void *private;
	struct bvec_iter iter;
	struct page *pages[2];		/* a corrupted write's copied pages */
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

	/* guards delayed, held, timer_due, queue_closed */
	spinlock_t queue_lock;
	bool queue_closed;		/* from presuspend to resume */
	/* bios delayed, and corrupted writes waiting for pages */
	struct list_head delayed;
	struct list_head held;		/* bios held */
	u64 timer_due;			/* when the timer fires; 0: idle */
	struct hrtimer timer;		/* the first delayed or held is due */
	struct work_struct release;	/* sends on what is due */
	mempool_t *pages;		/* a corrupted write's copies */
	struct bio_set bs;		/* ... and its bio */
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

/*
 * A write that heals: decided again under the lock (a message may have
 * changed the table since the lockless look), then healed in both trees.
 * 0 when the verdict is final, -EAGAIN when nodes ran short.
 */
static int swapfail_heal(struct swapfail_c *sc, u64 first, u64 last,
			 bool swap, struct swapfail_verdict *v, bool *kick)
{
	struct swapfail_state *st = sc->st;
	struct swapfail_heal_args h = {
		.live = &st->live, .first = first, .last = last, .swap = swap
	};
	unsigned long flags;
	int r = 0;

	spin_lock_irqsave(&st->lock, flags);
	swapfail_tree_check(&st->live, first, last, SWAPFAIL_DIR_WRITE, swap, v);
	*kick = swapfail_queue_spent(st, v, first, last);
	if (v->fail || !v->heal)
		goto out;
	if (swapfail_heal_over_cap(st, first, last, swap)) {
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
			  const struct swapfail_verdict *v, unsigned int by)
{
	struct swapfail_state *st = sc->st;
	u8 error = v->error;

	if (error == SWAPFAIL_ERR_DEFAULT)
		error = READ_ONCE(st->policy.error);
	trace_swapfail_fault(bio->bi_bdev->bd_dev, bio->bi_iter.bi_sector,
			     bio_sectors(bio), dir, SWAPFAIL_ACT_ERROR, error,
			     by);
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

/* What a fault does besides an error: delay, hold, drop, corrupt */

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

/*
 * Keeps @bio on @list until @due (0: until released); false once the
 * target suspends, when nothing may wait: the bio then goes on at once.
 */
static bool swapfail_queue(struct swapfail_c *sc, struct bio *bio,
			   struct list_head *list, atomic_t *gauge, u64 due)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);
	unsigned long flags;
	bool queued;

	pb->due = due;
	pb->since = swapfail_now();
	spin_lock_irqsave(&sc->queue_lock, flags);
	queued = !sc->queue_closed;
	if (queued) {
		atomic_inc(gauge);
		list_add_tail(&pb->node, list);
		swapfail_timer_arm(sc, due);
	}
	spin_unlock_irqrestore(&sc->queue_lock, flags);
	return queued;
}

/* T, give or take the jitter: uniform, from the device's fault number. */
static u64 swapfail_delay_ns(struct swapfail_state *st,
			     const struct swapfail_act *a, u64 fault)
{
	u64 r;

	if (!a->jitter_ns)
		return a->delay_ns;
	r = swapfail_random(READ_ONCE(st->policy.seed), fault);
	return a->delay_ns - a->jitter_ns +
	       div64_u64(r, div64_u64(~0ULL, 2 * a->jitter_ns + 1) + 1);
}

struct swapfail_corruption {
	const struct swapfail_act *act;
	u64 fault;
	u32 bytes;
	u8 before[SWAPFAIL_MAX_CORRUPT];
	u8 after[SWAPFAIL_MAX_CORRUPT];
};

static void swapfail_corrupt_byte(u8 *p, u32 i,
				  struct swapfail_corruption *c)
{
	const struct swapfail_act *a = c->act;

	c->before[i] = *p;
	if (a->corrupt == SWAPFAIL_CORRUPT_XOR)
		*p ^= a->xor;
	else
		*p = swapfail_random(a->seed,
				     c->fault * SWAPFAIL_MAX_CORRUPT + i);
	c->after[i] = *p;
	c->bytes = i + 1;
}

/*
 * Corrupts bytes at..at+bytes of @bio's data, walked from @iter (bytes
 * past the end of the I/O are left out), and records what changed.
 */
static void swapfail_corrupt_data(struct bio *bio, struct bvec_iter iter,
				  struct swapfail_pbd *pb)
{
	struct swapfail_corruption c = { .act = &pb->corrupt,
					 .fault = pb->fault };
	const struct swapfail_act *a = &pb->corrupt;
	u32 off = 0, i, from, to;
	struct bio_vec bv;
	u8 *p;

	__bio_for_each_segment(bv, bio, iter, iter) {
		from = max(off, a->at);
		to = min(off + bv.bv_len, a->at + a->bytes);
		if (from < to) {
			p = bvec_kmap_local(&bv);
			for (i = from; i < to; i++)
				swapfail_corrupt_byte(p + i - off, i - a->at, &c);
			kunmap_local(p);
		}
		off += bv.bv_len;
	}
	trace_swapfail_corrupt(pb->dev, pb->sector, pb->dir, a->at, c.bytes,
			       c.before, c.after);
}

/* A corrupted read completes: its data changes before anyone sees it. */
static void swapfail_corrupt_endio(struct bio *bio)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);

	bio->bi_end_io = pb->end_io;
	bio->bi_private = pb->private;
	if (!bio->bi_status)
		swapfail_corrupt_data(bio, pb->iter, pb);
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

static void swapfail_bounce_free(struct swapfail_pbd *pb)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pb->pages) && pb->pages[i]; i++)
		mempool_free(pb->pages[i], pb->sc->pages);
}

/* A corrupted write's copy completes: so does the write. */
static void swapfail_bounce_endio(struct bio *clone)
{
	struct bio *bio = clone->bi_private;

	swapfail_bounce_free(swapfail_pbd(bio));
	bio->bi_status = clone->bi_status;
	bio_put(clone);
	bio_endio(bio);
}

/*
 * The caller's segment @bv, or, if it holds bytes to corrupt, a copy of
 * it in a page from the pool.
 */
static int swapfail_bounce_page(struct swapfail_pbd *pb, struct bio_vec *bv,
				u32 off, gfp_t gfp)
{
	const struct swapfail_act *a = &pb->corrupt;
	unsigned int i = pb->pages[0] ? 1 : 0;
	struct page *page;

	if (off >= a->at + a->bytes || off + bv->bv_len <= a->at)
		return 0;
	page = mempool_alloc(pb->sc->pages, gfp);
	if (!page)
		return -ENOMEM;
	memcpy_from_bvec(page_address(page), bv);
	pb->pages[i] = page;
	bv->bv_page = page;
	bv->bv_offset = 0;
	return 0;
}

/*
 * A write that must reach the device corrupted, while the caller's pages
 * stay as they are: a bio of its own with the caller's pages, but for the
 * (at most two) that hold the bytes to change, which are copies.
 */
static int swapfail_corrupt_write(struct swapfail_c *sc, struct bio *bio,
				  gfp_t gfp)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);
	struct bvec_iter iter;
	struct bio_vec bv;
	struct bio *clone;
	u32 off = 0;

	clone = bio_alloc_bioset(sc->dev->bdev, bio_segments(bio), bio->bi_opf,
				 gfp, &sc->bs);
	if (!clone)
		return -ENOMEM;
	pb->sc = sc;
	memset(pb->pages, 0, sizeof(pb->pages));
	bio_for_each_segment(bv, bio, iter) {
		if (swapfail_bounce_page(pb, &bv, off, gfp)) {
			swapfail_bounce_free(pb);
			bio_put(clone);
			return -ENOMEM;
		}
		/* room for every segment: the bio was sized to them */
		__bio_add_page(clone, bv.bv_page, bv.bv_len, bv.bv_offset);
		off += bv.bv_len;
	}
	clone->bi_iter.bi_sector = sc->offset +
		dm_target_offset(sc->ti, bio->bi_iter.bi_sector);
	swapfail_corrupt_data(clone, clone->bi_iter, pb);
	clone->bi_end_io = swapfail_bounce_endio;
	clone->bi_private = bio;
	dm_submit_bio_remap(bio, clone);
	return 0;
}

/*
 * Sends on the bios of @list: as they are (a write to corrupt, as it
 * should be), or, with @status, completed with it.  From the worker.
 */
static void swapfail_send(struct swapfail_c *sc, struct list_head *list,
			  blk_status_t status)
{
	struct swapfail_pbd *pb, *tmp;
	struct bio *bio;

	list_for_each_entry_safe(pb, tmp, list, node) {
		list_del(&pb->node);
		bio = swapfail_pbd_bio(pb);
		if (status) {
			bio->bi_status = status;
			bio_endio(bio);
		} else if (pb->action == SWAPFAIL_ACT_CORRUPT) {
			swapfail_corrupt_write(sc, bio, GFP_NOIO);
		} else {
			swapfail_remap(sc, bio);
			dm_submit_bio_remap(bio, NULL);
		}
	}
}

/* Moves the bios of @from that @take accepts to @to. */
static void swapfail_take(struct list_head *from, struct list_head *to,
			  atomic_t *gauge,
			  bool (*take)(const struct swapfail_pbd *pb,
				       const void *arg),
			  const void *arg)
{
	struct swapfail_pbd *pb, *tmp;

	list_for_each_entry_safe(pb, tmp, from, node) {
		if (!take(pb, arg))
			continue;
		list_move_tail(&pb->node, to);
		atomic_dec(gauge);
	}
}

static bool swapfail_due(const struct swapfail_pbd *pb, const void *arg)
{
	return pb->due && pb->due <= *(const u64 *)arg;
}

static u64 swapfail_next_due(struct list_head *list)
{
	struct swapfail_pbd *pb;
	u64 next = 0;

	list_for_each_entry(pb, list, node)
		if (pb->due && (!next || pb->due < next))
			next = pb->due;
	return next;
}

/* Sends on what is due, and sets the timer for what comes next. */
static void swapfail_release_work(struct work_struct *work)
{
	struct swapfail_c *sc = container_of(work, struct swapfail_c, release);
	struct swapfail_state *st = sc->st;
	u64 now = swapfail_now(), next;
	LIST_HEAD(due);

	spin_lock_irq(&sc->queue_lock);
	sc->timer_due = 0;
	swapfail_take(&sc->delayed, &due, &st->delaying, swapfail_due, &now);
	swapfail_take(&sc->held, &due, &st->holding, swapfail_due, &now);
	next = swapfail_next_due(&sc->delayed);
	if (!next || (swapfail_next_due(&sc->held) &&
		      swapfail_next_due(&sc->held) < next))
		next = swapfail_next_due(&sc->held);
	swapfail_timer_arm(sc, next);
	spin_unlock_irq(&sc->queue_lock);
	swapfail_send(sc, &due, BLK_STS_OK);
}

static bool swapfail_any(const struct swapfail_pbd *pb, const void *arg)
{
	return true;
}

/* Blocks first..last, for release and remove. */
static bool swapfail_within(const struct swapfail_pbd *pb, const void *arg)
{
	const struct swapfail_range *r = arg;

	return pb->first <= r->last && pb->last >= r->first;
}

/*
 * Releases held bios (all of them, or those over @r), as they are or,
 * with @status, failed; with @delayed, delayed bios go too.  Returns how
 * many.  @close: none may wait from now on (presuspend).
 */
static u32 swapfail_release_held(struct swapfail_c *sc,
				 const struct swapfail_range *r,
				 blk_status_t status, bool delayed, bool close)
{
	struct swapfail_state *st = sc->st;
	struct swapfail_pbd *pb;
	LIST_HEAD(out);
	u32 n = 0;

	spin_lock_irq(&sc->queue_lock);
	sc->queue_closed |= close;
	swapfail_take(&sc->held, &out, &st->holding,
		      r ? swapfail_within : swapfail_any, r);
	if (delayed)
		swapfail_take(&sc->delayed, &out, &st->delaying, swapfail_any,
			      NULL);
	spin_unlock_irq(&sc->queue_lock);
	list_for_each_entry(pb, &out, node)
		n++;
	swapfail_send(sc, &out, status);
	return n;
}

/* A delay or a hold: the bio waits on its list, or goes on at once. */
static int swapfail_wait(struct swapfail_c *sc, struct bio *bio,
			 const struct swapfail_act *a, u64 fault)
{
	struct swapfail_state *st = sc->st;
	u64 now = swapfail_now();
	bool queued;

	if (a->kind == SWAPFAIL_ACT_DELAY) {
		this_cpu_inc(st->pcpu->count[SWAPFAIL_DELAYED]);
		queued = swapfail_queue(sc, bio, &sc->delayed, &st->delaying,
					now + swapfail_delay_ns(st, a, fault));
	} else {
		this_cpu_inc(st->pcpu->count[SWAPFAIL_HELD]);
		queued = swapfail_queue(sc, bio, &sc->held, &st->holding,
					a->hold_ns ? now + a->hold_ns : 0);
	}
	if (queued)
		return DM_MAPIO_SUBMITTED;
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
}

/* A write to corrupt, if the pool is short now: the worker does it. */
static int swapfail_corrupt(struct swapfail_c *sc, struct bio *bio,
			    enum swapfail_dir dir)
{
	this_cpu_inc(sc->st->pcpu->count[SWAPFAIL_CORRUPTED]);
	if (dir == SWAPFAIL_DIR_READ) {
		swapfail_corrupt_read(sc, bio);
		return DM_MAPIO_REMAPPED;
	}
	if (!swapfail_corrupt_write(sc, bio, GFP_NOWAIT | __GFP_NOWARN))
		return DM_MAPIO_SUBMITTED;
	if (swapfail_queue(sc, bio, &sc->delayed, &sc->st->delaying,
			   swapfail_now()))
		return DM_MAPIO_SUBMITTED;
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
}

/*
 * Carries out a fault that is not an error.  Returns DM_MAPIO_REMAPPED
 * when the bio goes on now (remapped), else DM_MAPIO_SUBMITTED.
 */
static int swapfail_act(struct swapfail_c *sc, struct bio *bio,
			enum swapfail_dir dir, const struct swapfail_verdict *v,
			unsigned int by)
{
	struct swapfail_pbd *pb = swapfail_pbd(bio);
	u64 fault = atomic64_inc_return(&sc->st->faults);

	trace_swapfail_fault(bio->bi_bdev->bd_dev, bio->bi_iter.bi_sector,
			     bio_sectors(bio), dir, v->action, 0, by);
	pb->dir = dir;
	pb->by = by;
	pb->action = v->action;
	pb->fault = fault;
	pb->dev = bio->bi_bdev->bd_dev;
	pb->sector = bio->bi_iter.bi_sector;
	swapfail_bio_blocks(sc, bio, &pb->first, &pb->last);
	switch (v->action) {
	case SWAPFAIL_ACT_DROP:
		this_cpu_inc(sc->st->pcpu->count[SWAPFAIL_DROPPED]);
		bio_endio(bio);
		return DM_MAPIO_SUBMITTED;
	case SWAPFAIL_ACT_CORRUPT:
		pb->corrupt = *v->act;
		return swapfail_corrupt(sc, bio, dir);
	default:
		return swapfail_wait(sc, bio, v->act, fault);
	}
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

/* A fault an extent decided: an error, or what its rule says. */
static int swapfail_fault(struct swapfail_c *sc, struct bio *bio,
			  enum swapfail_dir dir,
			  const struct swapfail_verdict *v, unsigned int by)
{
	if (v->action != SWAPFAIL_ACT_ERROR)
		return swapfail_act(sc, bio, dir, v, by);
	swapfail_fail(sc, bio, dir, v, by);
	return DM_MAPIO_SUBMITTED;
}

/* A write over mode=read blocks: heal them, then let it go on. */
static int swapfail_map_heal(struct swapfail_c *sc, struct bio *bio,
			     u64 first, u64 last)
{
	struct swapfail_verdict v;
	bool kick = false;

	if (swapfail_heal(sc, first, last, bio->bi_opf & REQ_SWAP, &v, &kick)) {
		swapfail_defer(sc, bio);
		return DM_MAPIO_SUBMITTED;
	}
	if (kick)
		mod_delayed_work(swapfail_wq, &sc->work, 0);
	if (v.fail) {
		swapfail_fail(sc, bio, SWAPFAIL_DIR_WRITE, &v,
			      SWAPFAIL_BY_EXTENT);
		return DM_MAPIO_SUBMITTED;
	}
	if (v.heal)
		swapfail_healed(sc, first, last);
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
}

/*
 * The table's decision for a bio that may touch an extent.  Returns
 * DM_MAPIO_REMAPPED when it goes on (remapped), else DM_MAPIO_SUBMITTED.
 * A fault's action is its rule's, copied under RCU: carrying it out may
 * submit a bio, which may sleep.
 */
static int swapfail_map_table(struct swapfail_c *sc, struct bio *bio,
			      enum swapfail_dir dir, u64 first, u64 last)
{
	struct swapfail_state *st = sc->st;
	struct swapfail_tree view;
	struct swapfail_verdict v;
	struct swapfail_act act;
	unsigned long flags;
	bool kick = false;

	rcu_read_lock();
	view = (struct swapfail_tree){ .root = rcu_dereference(st->root) };
	swapfail_tree_check(&view, first, last, dir, bio->bi_opf & REQ_SWAP,
			    &v);
	if (v.nr_spent || v.sweep) {
		spin_lock_irqsave(&st->lock, flags);
		kick = swapfail_queue_spent(st, &v, first, last);
		spin_unlock_irqrestore(&st->lock, flags);
	}
	if (kick)
		mod_delayed_work(swapfail_wq, &sc->work, 0);
	if (v.fail && v.act) {
		act = *v.act;
		v.act = &act;
	}
	rcu_read_unlock();
	if (v.fail)
		return swapfail_fault(sc, bio, dir, &v, SWAPFAIL_BY_EXTENT);
	if (v.heal)
		return swapfail_map_heal(sc, bio, first, last);
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
}

/*
 * Whether every_nth or probability fires for @bio (@triggers: st's),
 * counting it if their action matches it.  Lockless, and all that an
 * I/O they spare pays.
 */
static bool swapfail_trigger_fires(struct swapfail_state *st,
				   struct bio *bio, enum swapfail_dir dir,
				   unsigned int triggers, unsigned int *by)
{
	u32 nth = READ_ONCE(st->policy.every_nth[dir]);
	u32 ppb = READ_ONCE(st->policy.probability[dir]);

	if ((triggers & SWAPFAIL_TRIGGER_SWAP << dir) &&
	    dir == SWAPFAIL_DIR_WRITE && !(bio->bi_opf & REQ_SWAP))
		return false;
	*by = SWAPFAIL_BY_NTH;
	if (nth && swapfail_nth_fails(atomic64_inc_return(&st->nth_ios[dir]),
				      nth))
		return true;
	*by = SWAPFAIL_BY_PROBABILITY;
	return ppb &&
	       swapfail_prob_fails(READ_ONCE(st->policy.seed), dir,
				   atomic64_inc_return(&st->prob_ios[dir]),
				   ppb);
}

/*
 * A trigger's fault: its action, copied under RCU (carrying it out may
 * submit a bio, which may sleep).
 */
static int swapfail_map_trigger(struct swapfail_c *sc, struct bio *bio,
				enum swapfail_dir dir, unsigned int by)
{
	struct swapfail_verdict v = { .fail = true };
	struct swapfail_trigger_act *tr;
	struct swapfail_act act = { .kind = SWAPFAIL_ACT_ERROR,
				    .error = SWAPFAIL_ERR_DEFAULT };
	u64 last;

	rcu_read_lock();
	tr = rcu_dereference(sc->st->trigger[dir]);
	if (tr)
		act = tr->act;
	rcu_read_unlock();
	v.action = act.kind;
	v.act = &act;
	v.error = act.error;
	swapfail_bio_blocks(sc, bio, &v.block, &last);
	return swapfail_fault(sc, bio, dir, &v, by);
}

static int swapfail_map(struct dm_target *ti, struct bio *bio)
{
	struct swapfail_c *sc = ti->private;
	struct swapfail_state *st = sc->st;
	unsigned int triggers, by;
	enum swapfail_dir dir;
	u64 first, last;

	if (likely(swapfail_bio_dir(bio, &dir))) {
		this_cpu_inc(st->pcpu->count[SWAPFAIL_READS + dir]);
		if (!READ_ONCE(st->policy.enabled))
			goto remap;
		triggers = READ_ONCE(st->triggers);
		if (unlikely(triggers & BIT(dir)) &&
		    swapfail_trigger_fires(st, bio, dir, triggers, &by))
			return swapfail_map_trigger(sc, bio, dir, by);
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
	    swapfail_heal(sc, first, last, bio->bi_opf & REQ_SWAP, &v, &kick))
		return -EAGAIN;
	if (READ_ONCE(sc->st->policy.enabled) && v.fail) {
		swapfail_fail(sc, bio, SWAPFAIL_DIR_WRITE, &v,
			      SWAPFAIL_BY_EXTENT);
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

/* A copy of the policy that the I/O path reads without a lock. */
static void swapfail_policy_read(struct swapfail_state *st,
				 struct swapfail_policy *p)
{
	unsigned int d;

	p->enabled = READ_ONCE(st->policy.enabled);
	p->quiet = READ_ONCE(st->policy.quiet);
	p->error = READ_ONCE(st->policy.error);
	p->seed = READ_ONCE(st->policy.seed);
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++) {
		p->every_nth[d] = READ_ONCE(st->policy.every_nth[d]);
		p->probability[d] = READ_ONCE(st->policy.probability[d]);
	}
}

/* Applies a new policy; @restart: every_nth counters to start again. */
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
	WRITE_ONCE(st->policy.seed, p->seed);
	for (d = 0, on = 0; d < SWAPFAIL_NR_DIRS; d++) {
		if (p->every_nth[d] || p->probability[d])
			on |= BIT(d);
		if (p->trigger[d].match == SWAPFAIL_MATCH_SWAP)
			on |= SWAPFAIL_TRIGGER_SWAP << d;
	}
	WRITE_ONCE(st->triggers, on);
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
	hrtimer_cancel(&sc->timer);
	cancel_work_sync(&sc->release);
	WARN_ON_ONCE(!list_empty(&sc->held) || !list_empty(&sc->delayed));
	mempool_destroy(sc->pages);
	bioset_exit(&sc->bs);
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
	spin_lock_init(&sc->queue_lock);
	INIT_LIST_HEAD(&sc->delayed);
	INIT_LIST_HEAD(&sc->held);
	swapfail_timer_setup(&sc->timer);
	INIT_WORK(&sc->release, swapfail_release_work);
	ti->per_io_data_size = sizeof(struct swapfail_pbd);
	sc->pages = mempool_create_page_pool(SWAPFAIL_CORRUPT_POOL, 0);
	if (!sc->pages || bioset_init(&sc->bs, SWAPFAIL_CORRUPT_POOL, 0,
				      BIOSET_NEED_BVECS)) {
		ti->error = "Cannot allocate the pools for corruption";
		r = -ENOMEM;
		goto bad;
	}

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
 * Nothing may hold up the suspend: a write waiting for nodes gets a last
 * try, then goes back to device-mapper (noflush) or fails; held and
 * delayed bios go on as they are.
 */
static void swapfail_presuspend(struct dm_target *ti)
{
	struct swapfail_c *sc = ti->private;

	cancel_delayed_work_sync(&sc->work);
	swapfail_settle_all(sc);
	/* held and delayed bios go on as they are; none waits until resume */
	swapfail_release_held(sc, NULL, 0, true, true);
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
	spin_lock_irq(&sc->queue_lock);
	sc->queue_closed = false;
	spin_unlock_irq(&sc->queue_lock);
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
 * Publishes the triggers' actions that changed, for the I/O path to read
 * under RCU; @spare holds a new one per direction, allocated beforehand
 * (the caller holds policy_lock), and what it does not use is freed.
 */
static void swapfail_triggers_store(struct swapfail_state *st,
				    struct swapfail_trigger_act **spare)
{
	const struct swapfail_act *act;
	struct swapfail_trigger_act *old;
	unsigned int d;

	lockdep_assert_held(&st->policy_lock);
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++) {
		old = rcu_dereference_protected(st->trigger[d],
						lockdep_is_held(&st->policy_lock));
		act = &st->policy.trigger[d];
		if (!spare[d] || (old && swapfail_act_same(&old->act, act)))
			continue;
		spare[d]->act = st->policy.trigger[d];
		rcu_assign_pointer(st->trigger[d], spare[d]);
		spare[d] = NULL;
		if (old)
			kfree_rcu(old, rcu);
	}
}

static int swapfail_run_policy(struct swapfail_state *st,
			       const struct swapfail_msg *msg)
{
	struct swapfail_trigger_act *spare[SWAPFAIL_NR_DIRS] = { };
	struct swapfail_policy p;
	unsigned int d;
	int r = 0;

	for (d = 0; d < SWAPFAIL_NR_DIRS; d++) {
		spare[d] = kmalloc(sizeof(*spare[d]), GFP_KERNEL);
		if (!spare[d])
			r = -ENOMEM;
	}
	spin_lock(&st->policy_lock);
	if (r) {
		/* nothing changes */
	} else if (msg->verb == SWAPFAIL_MSG_RESET_STATS) {
		swapfail_reset_stats(st);
	} else {
		p = st->policy;
		swapfail_policy_store(st, &p, swapfail_policy_update(&p, msg));
		swapfail_triggers_store(st, spare);
	}
	spin_unlock(&st->policy_lock);
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++)
		kfree(spare[d]);
	return r;
}

/* "SECTOR+SECTORS read|write MS" for each held bio, oldest first. */
static void swapfail_answer_held(struct swapfail_c *sc, char *result,
				 unsigned int maxlen)
{
	u64 now = swapfail_now();
	struct swapfail_pbd *pb;
	unsigned int sz = 0;
	struct bio *bio;

	result[0] = '\0';
	spin_lock_irq(&sc->queue_lock);
	list_for_each_entry(pb, &sc->held, node) {
		bio = swapfail_pbd_bio(pb);
		DMEMIT("%llu+%u %s %llu\n", (unsigned long long)pb->sector,
		       bio_sectors(bio), pb->dir ? "write" : "read",
		       div_u64(now - pb->since, NSEC_PER_MSEC));
	}
	spin_unlock_irq(&sc->queue_lock);
}

/*
 * release [fail [error=E]] [<range>...]: held bios over the ranges (or
 * all), sent on or failed.  Refused if there was none to release.
 */
static int swapfail_release_msg(struct swapfail_c *sc,
				const struct swapfail_msg *msg, char **error)
{
	u8 e = msg->attr.error ?: READ_ONCE(sc->st->policy.error);
	blk_status_t status = msg->value ? swapfail_blk_status[e] : 0;
	u32 i, n = 0;

	if (!msg->nr_ranges)
		n = swapfail_release_held(sc, NULL, status, false, false);
	for (i = 0; i < msg->nr_ranges; i++)
		n += swapfail_release_held(sc, &msg->ranges[i], status, false, false);
	if (n)
		return 0;
	*error = "no held I/O to release";
	return -EINVAL;
}

/*
 * After a policy message: disable lets every held and delayed bio go;
 * after an edit, a removed extent lets the bios it held go.
 */
static void swapfail_message_done(struct swapfail_c *sc,
				  const struct swapfail_msg *msg)
{
	u32 i;

	switch (msg->verb) {
	case SWAPFAIL_MSG_DISABLE:
		swapfail_release_held(sc, NULL, 0, true, false);
		break;
	case SWAPFAIL_MSG_CLEAR:
	case SWAPFAIL_MSG_DUST_CLEAR:
		swapfail_release_held(sc, NULL, 0, false, false);
		break;
	case SWAPFAIL_MSG_REMOVE:
	case SWAPFAIL_MSG_DUST_REMOVE:
		for (i = 0; i < msg->nr_ranges; i++)
			swapfail_release_held(sc, &msg->ranges[i], 0, false, false);
		break;
	default:
		break;
	}
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
	/*
	 * The parser may have left the reason of a check that passed: a
	 * message refused from here on for want of memory must say so.
	 */
	if (!r)
		error = "out of memory";
	if (!r && msg.verb == SWAPFAIL_MSG_HELD)
		swapfail_answer_held(sc, result, maxlen);
	else if (!r && msg.verb == SWAPFAIL_MSG_RELEASE)
		r = swapfail_release_msg(sc, &msg, &error);
	/* clearbadblocks answers from the table it is about to clear */
	else if (!r && msg.answers)
		r = swapfail_answer_live(st, &msg, result, maxlen, &error);
	if (!r && msg.edits)
		r = swapfail_edit(st, &msg, &error);
	else if (!r && !msg.answers && msg.verb != SWAPFAIL_MSG_RELEASE)
		r = swapfail_run_policy(st, &msg);
	if (!r)
		swapfail_message_done(sc, &msg);
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
