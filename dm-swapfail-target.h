/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What dm-swapfail's target (dm-swapfail.c) and its actions
 * (dm-swapfail-act.c: delay, hold, drop, corrupt, and the queues of the
 * bios that wait) share: the state of a device, the context of a target,
 * what is kept of a faulted bio, and the calls between the two files.
 */
#ifndef DM_SWAPFAIL_TARGET_H
#define DM_SWAPFAIL_TARGET_H

#include <linux/bio.h>
#include <linux/device-mapper.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/mempool.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "swapfail-core.h"

#define DM_MSG_PREFIX "swapfail"

/* A per-CPU workqueue, said so where the kernel can (see Kbuild). */
#ifdef SWAPFAIL_HAVE_WQ_PERCPU
#define SWAPFAIL_WQ_PERCPU	WQ_PERCPU
#else
#define SWAPFAIL_WQ_PERCPU	0
#endif

/* Nodes each device keeps for the changes writes make. */
#define SWAPFAIL_RESERVE	128
/* Steps a change takes per hold of the lock. */
#define SWAPFAIL_STEPS		8
/* Nodes and rules freed per hold of the lock. */
#define SWAPFAIL_REAP_BATCH	64
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
	 * Guards the table: every change to its trees, node and rule
	 * references, the reserve, the spent rules.  Held for a few steps.
	 */
	spinlock_t lock;
	struct swapfail_table table;	/* its mem: the reserve below */
	struct swapfail_node *reserve[SWAPFAIL_RESERVE];
	struct swapfail_node __rcu *root;	/* table.live.root, for I/O */
	u64 lo, hi;			/* no extent outside: read locklessly */

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

/* Which waiting bios a release lets go of, and how. */
struct swapfail_release_set {
	unsigned int trees;		/* the held trees: BIT(i) */
	const struct swapfail_range *range;	/* NULL: any block */
	bool delayed;			/* every delayed bio too */
	bool close;			/* none may wait from now on */
	bool fail;			/* they fail, with error */
	u8 error;
};

static inline sector_t swapfail_lower_sector(struct swapfail_c *sc, sector_t sector)
{
	return sc->offset + dm_target_offset(sc->ti, sector);
}

static inline void swapfail_remap(struct swapfail_c *sc, struct bio *bio)
{
	bio_set_dev(bio, sc->dev->bdev);
	if (bio_sectors(bio))
		bio->bi_iter.bi_sector =
			swapfail_lower_sector(sc, bio->bi_iter.bi_sector);
}

static inline struct swapfail_pbd *swapfail_pbd(struct bio *bio)
{
	return dm_per_bio_data(bio, sizeof(struct swapfail_pbd));
}

static inline struct bio *swapfail_pbd_bio(struct swapfail_pbd *pb)
{
	return dm_bio_from_per_bio_data(pb, sizeof(*pb));
}

static inline u64 swapfail_now(void)
{
	return ktime_get_ns();
}

extern struct workqueue_struct *swapfail_wq;

/* dm-swapfail.c */
const char *swapfail_name(struct swapfail_c *sc);
int swapfail_heal(struct swapfail_c *sc, u64 first, u64 last, bool swap);
void swapfail_defer(struct swapfail_c *sc, struct bio *bio);

/* dm-swapfail-act.c */
void swapfail_plan(struct swapfail_c *sc, struct bio *bio,
		   enum swapfail_dir dir, u64 first, u64 last,
		   const struct swapfail_verdict *v);
bool swapfail_wait(struct swapfail_c *sc, struct bio *bio,
		   const struct swapfail_act *a);
int swapfail_go(struct swapfail_c *sc, struct bio *bio, gfp_t gfp);
u32 swapfail_release_held(struct swapfail_c *sc,
			  const struct swapfail_release_set *rs);
void swapfail_answer_held(struct swapfail_c *sc, char *result,
			  unsigned int maxlen);
void swapfail_timer_setup(struct hrtimer *timer);
void swapfail_release_work(struct work_struct *work);

#endif /* DM_SWAPFAIL_TARGET_H */
