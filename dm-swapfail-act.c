// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-swapfail's actions: what a fault does besides an error, carried out.
 * What was decided for a bio is written into its per-bio data
 * (swapfail_plan()); a delay or a hold queues it (swapfail_wait()), in a
 * tree by due time and in interval trees of held bios, walked a bounded
 * batch per hold of queue_lock; when it goes on, swapfail_go() does the
 * rest: fail, drop, or heal and send on, corrupted or not.  A corrupted
 * read has its completion hooked; a corrupted write goes down in parts, the
 * bytes to change in a copy from the target's pools.
 */
#include <linux/bio.h>
#include <linux/blk-cgroup.h>
#include <linux/highmem.h>
#include <linux/interval_tree_generic.h>

#include "dm-swapfail-target.h"
#include "dm-swapfail-trace.h"

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

#define swapfail_held_first(pb)	((pb)->first)
#define swapfail_held_last(pb)	((pb)->last)
INTERVAL_TREE_DEFINE(struct swapfail_pbd, held, u64, held_last,
		     swapfail_held_first, swapfail_held_last, static,
		     swapfail_held)

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

void swapfail_timer_setup(struct hrtimer *timer)
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
void swapfail_release_work(struct work_struct *work)
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

/*
 * Lets go of the waiting bios @rs names that wait now, a batch per hold of
 * queue_lock (interrupts are off meanwhile), sending each batch on with
 * the lock dropped.  Returns how many.
 */
u32 swapfail_release_held(struct swapfail_c *sc,
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
bool swapfail_wait(struct swapfail_c *sc, struct bio *bio,
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
static int swapfail_go_corrupt(struct swapfail_c *sc, struct bio *bio, gfp_t gfp)
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
int swapfail_go(struct swapfail_c *sc, struct bio *bio, gfp_t gfp)
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
		return swapfail_go_corrupt(sc, bio, gfp);
	swapfail_remap(sc, bio);
	return DM_MAPIO_REMAPPED;
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
void swapfail_plan(struct swapfail_c *sc, struct bio *bio,
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
void swapfail_answer_held(struct swapfail_c *sc, char *result,
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

