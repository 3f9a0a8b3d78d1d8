// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-swapfail: a device-mapper target that fails chosen I/O, to show what
 * the kernel and its processes do when swap I/O fails.
 *
 * It keeps a table of bad block extents and an every_nth policy per
 * direction, changed at any time through messages; a device under swap
 * never has to be suspended to change what fails.  The decisions live in
 * swapfail-core.c; this file holds the kernel side: the lock-light I/O
 * path, the publication of new tables, and state that survives reloads.
 *
 * Lookups take no lock.  The live table is an RCU-published array; the
 * few changes an I/O makes to it in place (a count running down, a write
 * healing a read-mode extent) happen under a spinlock and bump a seqcount,
 * and lockless readers retry when it moved under them.  Messages build a
 * new array and publish it.
 */
#include <linux/bio.h>
#include <linux/device-mapper.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "dm-swapfail.h"

#define DM_MSG_PREFIX "swapfail"

/* Free slots a new table keeps for splits made by healing writes. */
#define SWAPFAIL_MIN_ROOM	16U
/* Delay before retrying to grow a table after an allocation failure. */
#define SWAPFAIL_GROW_RETRY_MS	10

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

/* A table as published to the I/O path; replaced whole by each message. */
struct swapfail_snapshot {
	struct rcu_head rcu;
	struct swapfail_table table;
	struct swapfail_extent ext[];
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

	struct mutex edit_lock;		/* serialises table edits and answers */
	spinlock_t lock;		/* serialises changes to the live table */
	seqcount_spinlock_t seq;	/* moves with each in-place change */
	struct swapfail_snapshot __rcu *snap;	/* live table; set under lock */

	spinlock_t policy_lock;		/* serialises policy and base changes */
	struct swapfail_policy policy;	/* read locklessly by the I/O path */
	atomic64_t nth_ios[SWAPFAIL_NR_DIRS];	/* I/Os counted for every_nth */
	struct swapfail_stats __percpu *pcpu;	/* per CPU: no shared line */
	struct swapfail_stats base;	/* counters at the last reset_stats */
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

	struct swapfail_ctr_args args;	/* features, merged at first resume */
	bool resumed;

	spinlock_t deferred_lock;	/* guards deferred */
	struct bio_list deferred;	/* writes waiting for room to heal */
	struct delayed_work grow_work;	/* grows the table, resubmits them */
};

static LIST_HEAD(swapfail_states);
static DEFINE_MUTEX(swapfail_states_lock);	/* guards swapfail_states */
static struct workqueue_struct *swapfail_wq;

/* Tables */

static u32 swapfail_room_for(u32 extents)
{
	return max(SWAPFAIL_MIN_ROOM, extents / 8);
}

/*
 * kvmalloc() would take a large table from kmalloc when it can, which rounds
 * it up to a power of two: up to twice the memory.  vmalloc() rounds to a
 * page.  Either way kvfree() frees it.
 */
static struct swapfail_snapshot *swapfail_snapshot_alloc(u32 size, gfp_t gfp)
{
	struct swapfail_snapshot *snap;
	/* the index follows the extents */
	size_t bytes = struct_size(snap, ext, size) +
		       swapfail_index_len(size) * sizeof(u64);

	if (bytes > PAGE_SIZE)
		snap = __vmalloc(bytes, gfp);
	else
		snap = kmalloc(bytes, gfp);
	if (snap)
		swapfail_table_init(&snap->table, snap->ext, size);
	return snap;
}

static struct swapfail_snapshot *
swapfail_snapshot_locked(struct swapfail_state *st)
{
	return rcu_dereference_protected(st->snap,
					 lockdep_is_held(&st->edit_lock) ||
					 lockdep_is_held(&st->lock));
}

/*
 * Publishes @new unless an I/O changed the live table since @seq, in which
 * case @new was built from stale contents and the caller must build again.
 */
static bool swapfail_publish(struct swapfail_state *st,
			     struct swapfail_snapshot *new, unsigned int seq)
{
	struct swapfail_snapshot *old;
	unsigned long flags;

	spin_lock_irqsave(&st->lock, flags);
	if (read_seqcount_retry(&st->seq, seq)) {
		spin_unlock_irqrestore(&st->lock, flags);
		return false;
	}
	old = swapfail_snapshot_locked(st);
	rcu_assign_pointer(st->snap, new);
	spin_unlock_irqrestore(&st->lock, flags);
	kvfree_rcu(old, rcu);
	return true;
}

/* Builds @msg's edit of @old, or without @msg a copy, with fresh room. */
static struct swapfail_snapshot *
swapfail_build(const struct swapfail_table *old, struct swapfail_msg *msg,
	       u32 size, gfp_t gfp)
{
	struct swapfail_snapshot *new;
	int r;

	new = swapfail_snapshot_alloc(size + swapfail_room_for(size), gfp);
	if (!new)
		return ERR_PTR(-ENOMEM);
	if (msg)
		r = swapfail_edit_build(old, msg, &new->table);
	else
		r = swapfail_table_copy(old, &new->table);
	if (r) {
		kvfree(new);
		return ERR_PTR(r);
	}
	swapfail_table_index(&new->table, (u64 *)&new->ext[new->table.size]);
	return new;
}

/*
 * Replaces the live table by @msg's edit of it or, without @msg, by a
 * copy with fresh room.  Under edit_lock only I/O can change the live
 * table meanwhile; the seqcount says when it did, and the copy is redone.
 */
static int swapfail_rebuild(struct swapfail_state *st, struct swapfail_msg *msg,
			    gfp_t gfp, const char **error)
{
	struct swapfail_snapshot *old, *new;
	unsigned int seq;
	int size;

	lockdep_assert_held(&st->edit_lock);
	old = swapfail_snapshot_locked(st);
	for (;;) {
		seq = read_seqcount_begin(&st->seq);
		size = msg ? swapfail_edit_prepare(&old->table, msg, error) :
			     old->table.extents;
		if (read_seqcount_retry(&st->seq, seq))
			continue;
		if (size < 0)
			return size;
		new = swapfail_build(&old->table, msg, size, gfp);
		if (IS_ERR(new) && PTR_ERR(new) != -ENOSPC)
			return PTR_ERR(new);
		if (!IS_ERR(new) && swapfail_publish(st, new, seq))
			return 0;
		if (!IS_ERR(new))
			kvfree(new);
		else if (WARN_ON_ONCE(!read_seqcount_retry(&st->seq, seq)))
			return -EIO;
	}
}

/* The live table's header, consistent with what the I/O path sees. */
static void swapfail_totals(struct swapfail_state *st,
			    struct swapfail_table *t)
{
	unsigned int seq;

	rcu_read_lock();
	do {
		seq = read_seqcount_begin(&st->seq);
		*t = rcu_dereference(st->snap)->table;
	} while (read_seqcount_retry(&st->seq, seq));
	rcu_read_unlock();
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

/* The decision a lockless reader can make; _UPDATE if the table changes. */
static enum swapfail_check swapfail_check(struct swapfail_state *st,
					  u64 first, u64 last,
					  enum swapfail_dir dir,
					  struct swapfail_verdict *v)
{
	struct swapfail_table t;
	enum swapfail_check r;
	unsigned int seq;

	rcu_read_lock();
	do {
		seq = read_seqcount_begin(&st->seq);
		t = rcu_dereference(st->snap)->table;
		r = swapfail_table_check(&t, first, last, dir, v);
	} while (read_seqcount_retry(&st->seq, seq));
	rcu_read_unlock();
	return r;
}

/*
 * Decides and changes the live table under the lock.  -ENOSPC when a heal
 * needs a slot the table lacks; *grow when it is running short of them.
 */
static int swapfail_apply(struct swapfail_state *st, u64 first, u64 last,
			  enum swapfail_dir dir, struct swapfail_verdict *v,
			  bool *grow)
{
	struct swapfail_snapshot *snap;
	unsigned long flags;
	int r;

	spin_lock_irqsave(&st->lock, flags);
	snap = swapfail_snapshot_locked(st);
	write_seqcount_begin(&st->seq);
	r = swapfail_table_apply(&snap->table, first, last, dir, v);
	write_seqcount_end(&st->seq);
	*grow = snap->table.size - snap->table.nr < SWAPFAIL_MIN_ROOM / 2;
	spin_unlock_irqrestore(&st->lock, flags);
	return r;
}

static int swapfail_fail(struct swapfail_c *sc, struct bio *bio,
			 enum swapfail_dir dir, const struct swapfail_verdict *v)
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
	return DM_MAPIO_SUBMITTED;
}

static void swapfail_healed(struct swapfail_c *sc,
			    const struct swapfail_verdict *v)
{
	this_cpu_add(sc->st->pcpu->count[SWAPFAIL_HEALED], v->healed);
	if (!READ_ONCE(sc->st->policy.quiet))
		DMINFO_LIMIT("%s: write healed %llu block(s) from %llu",
			     swapfail_name(sc), v->healed, v->block);
}

static int swapfail_defer(struct swapfail_c *sc, struct bio *bio)
{
	unsigned long flags;

	this_cpu_inc(sc->st->pcpu->count[SWAPFAIL_DEFERRED]);
	spin_lock_irqsave(&sc->deferred_lock, flags);
	bio_list_add(&sc->deferred, bio);
	spin_unlock_irqrestore(&sc->deferred_lock, flags);
	mod_delayed_work(swapfail_wq, &sc->grow_work, 0);
	return DM_MAPIO_SUBMITTED;
}

/* The extent decision for a bio; the caller remaps it if it goes on. */
static int swapfail_map_extents(struct swapfail_c *sc, struct bio *bio,
				enum swapfail_dir dir)
{
	struct swapfail_verdict v;
	bool grow = false;
	u64 first, last;

	swapfail_bio_blocks(sc, bio, &first, &last);
	if (swapfail_check(sc->st, first, last, dir, &v) ==
	    SWAPFAIL_CHECK_UPDATE &&
	    swapfail_apply(sc->st, first, last, dir, &v, &grow) == -ENOSPC)
		return swapfail_defer(sc, bio);
	if (grow)
		mod_delayed_work(swapfail_wq, &sc->grow_work, 0);
	if (v.fail)
		return swapfail_fail(sc, bio, dir, &v);
	if (v.healed)
		swapfail_healed(sc, &v);
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

static int swapfail_fail_nth(struct swapfail_c *sc, struct bio *bio,
			     enum swapfail_dir dir)
{
	struct swapfail_verdict v = { .fail = true };
	u64 last;

	swapfail_bio_blocks(sc, bio, &v.block, &last);
	return swapfail_fail(sc, bio, dir, &v);
}

static int swapfail_map(struct dm_target *ti, struct bio *bio)
{
	struct swapfail_c *sc = ti->private;
	struct swapfail_state *st = sc->st;
	enum swapfail_dir dir;
	int r;

	if (swapfail_bio_dir(bio, &dir)) {
		this_cpu_inc(st->pcpu->count[SWAPFAIL_READS + dir]);
		if (!READ_ONCE(st->policy.enabled))
			goto remap;
		if (swapfail_nth_hit(st, dir))
			return swapfail_fail_nth(sc, bio, dir);
		r = swapfail_map_extents(sc, bio, dir);
		if (r != DM_MAPIO_REMAPPED)
			return r;
	}
remap:
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
}

/* Sends on the deferred writes that now find room to heal. */
static void swapfail_resubmit(struct swapfail_c *sc)
{
	struct bio_list bios;
	struct bio *bio;

	spin_lock_irq(&sc->deferred_lock);
	bios = sc->deferred;
	bio_list_init(&sc->deferred);
	spin_unlock_irq(&sc->deferred_lock);

	while ((bio = bio_list_pop(&bios))) {
		if (swapfail_map_extents(sc, bio, SWAPFAIL_DIR_WRITE) !=
		    DM_MAPIO_REMAPPED)
			continue;
		swapfail_remap(sc, bio);
		submit_bio_noacct(bio);
	}
}

/*
 * Gives the table fresh room, then resubmits the writes that waited for
 * it; one that still finds none is deferred again.  The worker never waits
 * for edit_lock: a message holding it may be in reclaim, waiting for one
 * of these very writes.  The message publishes fresh room itself, and the
 * worker tries again a little later.
 */
static void swapfail_grow_work(struct work_struct *work)
{
	struct swapfail_c *sc = container_of(to_delayed_work(work),
					     struct swapfail_c, grow_work);
	int r = -EBUSY;

	if (mutex_trylock(&sc->st->edit_lock)) {
		r = swapfail_rebuild(sc->st, NULL, GFP_NOIO | __GFP_NOWARN,
				     NULL);
		mutex_unlock(&sc->st->edit_lock);
	}
	swapfail_resubmit(sc);
	if (r)
		mod_delayed_work(swapfail_wq, &sc->grow_work,
				 msecs_to_jiffies(SWAPFAIL_GROW_RETRY_MS));
}

/* State shared across reloads */

static bool swapfail_state_matches(const struct swapfail_state *st,
				   const struct swapfail_c *sc)
{
	return st->md == dm_table_get_md(sc->ti->table) &&
	       st->begin == sc->ti->begin && st->dev == sc->dev->bdev->bd_dev &&
	       st->offset == sc->offset && st->block_size == sc->block_size;
}

static void swapfail_state_free(struct swapfail_state *st)
{
	if (!st)
		return;
	kvfree(rcu_dereference_protected(st->snap, true));
	free_percpu(st->pcpu);
	kfree(st);
}

static struct swapfail_state *swapfail_state_alloc(struct swapfail_c *sc)
{
	struct swapfail_state *st = kzalloc(sizeof(*st), GFP_KERNEL);

	if (!st)
		return NULL;
	st->pcpu = alloc_percpu(struct swapfail_stats);
	RCU_INIT_POINTER(st->snap, swapfail_snapshot_alloc(SWAPFAIL_MIN_ROOM,
							   GFP_KERNEL));
	if (!st->pcpu || !rcu_access_pointer(st->snap)) {
		swapfail_state_free(st);
		return NULL;
	}
	refcount_set(&st->ref, 1);
	st->md = dm_table_get_md(sc->ti->table);
	st->begin = sc->ti->begin;
	st->dev = sc->dev->bdev->bd_dev;
	st->offset = sc->offset;
	st->block_size = sc->block_size;
	mutex_init(&st->edit_lock);
	spin_lock_init(&st->lock);
	seqcount_spinlock_init(&st->seq, &st->lock);
	spin_lock_init(&st->policy_lock);
	swapfail_policy_init(&st->policy);
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

/* Policy */

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
		if (restart & (1U << d))
			atomic64_set(&st->nth_ios[d], 0);
		WRITE_ONCE(st->policy.every_nth[d], p->every_nth[d]);
	}
	WRITE_ONCE(st->policy.error, p->error);
	WRITE_ONCE(st->policy.quiet, p->quiet);
	if (p->enabled != st->policy.enabled)
		DMINFO("%s failures", p->enabled ? "enabling" : "disabling");
	WRITE_ONCE(st->policy.enabled, p->enabled);
}

static void swapfail_stats_read(struct swapfail_state *st,
				struct swapfail_stats *s)
{
	const struct swapfail_stats *c;
	unsigned int cpu, i;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(st->pcpu, cpu);
		for (i = 0; i < SWAPFAIL_NR_COUNTERS; i++)
			s->count[i] += READ_ONCE(c->count[i]);
	}
}

/*
 * Counters since the last reset_stats: totals minus their value then.
 * The base is written under policy_lock and read without it; a reader
 * racing a reset may see a mix, which is harmless.
 */
static void swapfail_stats_since_reset(struct swapfail_state *st,
				       struct swapfail_stats *s)
{
	unsigned int i;

	swapfail_stats_read(st, s);
	for (i = 0; i < SWAPFAIL_NR_COUNTERS; i++)
		s->count[i] -= READ_ONCE(st->base.count[i]);
}

static void swapfail_reset_stats(struct swapfail_state *st)
{
	struct swapfail_stats now;
	unsigned int i;

	lockdep_assert_held(&st->policy_lock);
	swapfail_stats_read(st, &now);
	for (i = 0; i < SWAPFAIL_NR_COUNTERS; i++)
		WRITE_ONCE(st->base.count[i], now.count[i]);
}

/* Construction */

static void swapfail_dtr(struct dm_target *ti)
{
	struct swapfail_c *sc = ti->private;

	cancel_delayed_work_sync(&sc->grow_work);
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
	const char *error = NULL;
	struct swapfail_c *sc;
	int r;

	r = swapfail_parse_ctr(argc, argv, ti->len, &args, &error);
	if (r) {
		/* ti->error is not const, but only ever holds literals */
		ti->error = (char *)error;
		return r;
	}
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
	INIT_DELAYED_WORK(&sc->grow_work, swapfail_grow_work);

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

	if (sc->resumed)
		return;
	sc->resumed = true;
	spin_lock(&st->policy_lock);
	p = st->policy;
	swapfail_policy_store(st, &p, swapfail_policy_merge(&p, &sc->args));
	spin_unlock(&st->policy_lock);
}

/* Messages */

/* Answers a question from the live table, as I/O leaves it. */
static void swapfail_answer_live(struct swapfail_state *st,
				 struct swapfail_msg *msg,
				 char *result, unsigned int maxlen)
{
	struct swapfail_out out;
	struct swapfail_stats s;
	struct swapfail_table t;
	unsigned int seq;

	lockdep_assert_held(&st->edit_lock);
	do {
		seq = read_seqcount_begin(&st->seq);
		t = swapfail_snapshot_locked(st)->table;
		swapfail_out_init(&out, result, maxlen);
		if (msg->verb != SWAPFAIL_MSG_STATS) {
			swapfail_answer(&out, &t, msg);
			continue;
		}
		swapfail_stats_since_reset(st, &s);
		swapfail_emit_stats(&out, &t, &s);
	} while (read_seqcount_retry(&st->seq, seq));
}

/* Answers and table edits run under edit_lock, which keeps the snapshot. */
static int swapfail_run_table(struct swapfail_state *st,
			      struct swapfail_msg *msg, char *result,
			      unsigned int maxlen, const char **error)
{
	int r = 0;

	mutex_lock(&st->edit_lock);
	/* clearbadblocks answers from the table it is about to clear */
	if (msg->answers)
		swapfail_answer_live(st, msg, result, maxlen);
	if (msg->edits)
		r = swapfail_rebuild(st, msg, GFP_KERNEL, error);
	mutex_unlock(&st->edit_lock);
	if (r)
		return r;
	return msg->answers ? 1 : 0;
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
	const char *error = "out of memory";
	struct swapfail_msg msg;
	int r;

	msg.ranges = kvmalloc_array(max(argc, 1U), sizeof(*msg.ranges),
				    GFP_KERNEL);
	if (!msg.ranges)
		return -ENOMEM;
	r = swapfail_parse_msg(argc, argv, sc->nr_blocks, &msg, &error);
	if (!r && (msg.edits || msg.answers))
		r = swapfail_run_table(sc->st, &msg, result, maxlen, &error);
	else if (!r)
		swapfail_run_policy(sc->st, &msg);
	if (r < 0)
		DMERR_LIMIT("%s: message '%s' rejected: %s",
			    swapfail_name(sc), argc ? argv[0] : "", error);
	kvfree(msg.ranges);
	return r;
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
	struct swapfail_table t;
	struct swapfail_out out;
	unsigned int sz = 0;

	swapfail_policy_read(st, &p);
	switch (type) {
	case STATUSTYPE_INFO:
		swapfail_stats_since_reset(st, &s);
		swapfail_totals(st, &t);
		swapfail_out_init(&out, result, maxlen);
		swapfail_emit_info(&out, &t, &p, &s);
		break;
	case STATUSTYPE_TABLE:
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
	.resume = swapfail_resume,
	.status = swapfail_status,
	.message = swapfail_message,
	.iterate_devices = swapfail_iterate_devices,
};

static int __init dm_swapfail_init(void)
{
	int r;

	swapfail_wq = alloc_workqueue("dm-" DM_MSG_PREFIX, WQ_MEM_RECLAIM, 0);
	if (!swapfail_wq)
		return -ENOMEM;
	r = dm_register_target(&swapfail_target);
	if (r < 0) {
		DMERR("register failed %d", r);
		destroy_workqueue(swapfail_wq);
	}
	return r;
}

static void __exit dm_swapfail_exit(void)
{
	dm_unregister_target(&swapfail_target);
	destroy_workqueue(swapfail_wq);
}

module_init(dm_swapfail_init);
module_exit(dm_swapfail_exit);

MODULE_DESCRIPTION(DM_NAME " swapfail target: fails chosen swap I/O");
MODULE_AUTHOR("dm-swapfail developers");
MODULE_LICENSE("GPL");
