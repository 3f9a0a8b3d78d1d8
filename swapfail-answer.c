// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-swapfail core, answers: the text of every message's answer, of the
 * status lines and of the held list, written into the caller's buffer as
 * scnprintf() would, so that device-mapper asks again with more room.
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

/* Output */

void swapfail_out_init(struct swapfail_out *out, char *buf, u32 size)
{
	out->buf = buf;
	out->size = size;
	out->len = 0;
	out->full = !size;
	if (size)
		buf[0] = '\0';
}

static __printf(2, 3) void swapfail_emit(struct swapfail_out *out,
					 const char *fmt, ...)
{
	u32 room = out->size - out->len;
	va_list args;
	int n;

	if (out->full)
		return;
	va_start(args, fmt);
	n = vsnprintf(out->buf + out->len, room, fmt, args);
	va_end(args);
	if (n < 0 || (u32)n >= room) {
		out->len = out->size - 1;
		out->full = true;
		return;
	}
	out->len += n;
}

/* A probability as a decimal fraction, as swapfail_parse_ppb() reads it. */
static void swapfail_emit_ppb(struct swapfail_out *out, const char *key,
			      u32 ppb)
{
	char digits[16];
	int n;

	if (!ppb || ppb >= SWAPFAIL_PPB) {
		swapfail_emit(out, "%s%u", key, ppb ? 1 : 0);
		return;
	}
	n = snprintf(digits, sizeof(digits), "%09u", ppb);
	while (n > 1 && digits[n - 1] == '0')
		digits[--n] = '\0';
	swapfail_emit(out, "%s0.%s", key, digits);
}

/* A duration in the largest unit it is a whole number of. */
static void swapfail_emit_ns(struct swapfail_out *out, const char *key, u64 ns)
{
	int i = ARRAY_SIZE(swapfail_units) - 1;
	u32 rem;

	for (; i > 0; i--) {
		div_u64_rem(ns, swapfail_units[i].ns, &rem);
		if (!rem)
			break;
	}
	swapfail_emit(out, "%s%llu%s", key, div_u64(ns, swapfail_units[i].ns),
		      swapfail_units[i].unit);
}

/*
 * An action's words, as add and the trigger messages take them back: the
 * first after @first, the others after @sep; an error action has none.
 */
static void swapfail_emit_act_words(struct swapfail_out *out,
				    const struct swapfail_act *a, char first,
				    char sep)
{
	char c = first;

	switch (a->kind) {
	case SWAPFAIL_ACT_DELAY:
		swapfail_emit(out, "%cdelay", c);
		swapfail_emit_ns(out, "=", a->delay_ns);
		if (a->jitter_ns)
			swapfail_emit_ns(out, "~", a->jitter_ns);
		c = sep;
		break;
	case SWAPFAIL_ACT_HOLD:
		swapfail_emit(out, "%chold", c);
		if (a->hold_ns)
			swapfail_emit_ns(out, "=", a->hold_ns);
		c = sep;
		break;
	case SWAPFAIL_ACT_DROP:
		swapfail_emit(out, "%cdrop", c);
		c = sep;
		break;
	case SWAPFAIL_ACT_CORRUPT:
		swapfail_emit(out, "%ccorrupt=%s%cat=%u%cbytes=%u", c,
			      a->corrupt == SWAPFAIL_CORRUPT_XOR ? "xor" : "random",
			      sep, a->at, sep, a->bytes);
		if (a->corrupt == SWAPFAIL_CORRUPT_XOR)
			swapfail_emit(out, "%cxor=%02x", sep, a->xor);
		else
			swapfail_emit(out, "%cseed=%llu", sep, a->seed);
		c = sep;
		break;
	}
	if (a->match == SWAPFAIL_MATCH_SWAP)
		swapfail_emit(out, "%cmatch=swap", c);
}

void swapfail_emit_act(struct swapfail_out *out, const struct swapfail_act *a)
{
	swapfail_emit_act_words(out, a, ' ', ' ');
}

/*
 * A trigger's action as one status word, @key=WORDS: the words its
 * message takes, joined by commas, e.g. hold=30s or delay=1ms,match=swap;
 * an error is "error" or error=NAME.
 */
static void swapfail_emit_trigger(struct swapfail_out *out, const char *key,
				  const struct swapfail_act *a)
{
	swapfail_emit(out, " %s", key);
	if (a->kind != SWAPFAIL_ACT_ERROR) {
		swapfail_emit_act_words(out, a, '=', ',');
		return;
	}
	swapfail_emit(out, "=error");
	if (a->error != SWAPFAIL_ERR_DEFAULT)
		swapfail_emit(out, "=%s", swapfail_error_name(a->error));
	swapfail_emit_act_words(out, a, ',', ',');
}

static const char * const swapfail_by_names[] = {
	[SWAPFAIL_BY_EXTENT] = "extent",
	[SWAPFAIL_BY_NTH] = "every_nth",
	[SWAPFAIL_BY_PROBABILITY] = "probability",
	[SWAPFAIL_BY_RELEASE] = "release",
};

/*
 * One line of the held answer, "<range> read|write <ms> <by>": the range
 * as release takes it, how long the I/O has been held, and what holds it.
 */
void swapfail_emit_held(struct swapfail_out *out, u64 first, u64 last,
			enum swapfail_dir dir, u64 ms, enum swapfail_trigger by)
{
	swapfail_emit(out, "%llu", first);
	if (last != first)
		swapfail_emit(out, "-%llu", last);
	swapfail_emit(out, " %s %llu %s\n",
		      dir == SWAPFAIL_DIR_WRITE ? "write" : "read", ms,
		      by < ARRAY_SIZE(swapfail_by_names) ?
		      swapfail_by_names[by] : "?");
}

/* One line that an add message takes back as it is. */
static void swapfail_emit_extent(struct swapfail_out *out,
				 const struct swapfail_extent *e)
{
	const struct swapfail_rule *rule = e->rule;

	swapfail_emit(out, "%llu-%llu mode=%s", e->start, e->end - 1,
		      swapfail_mode_name(e->mode));
	if (rule && rule->has_count)
		swapfail_emit(out, " count=%lld",
			      (long long)atomic64_read(&rule->count_left));
	if (rule && atomic_read(&rule->wr_fail_left))
		swapfail_emit(out, " wr_fail=%d",
			      atomic_read(&rule->wr_fail_left));
	if (e->error)
		swapfail_emit(out, " error=%s", swapfail_error_name(e->error));
	if (rule)
		swapfail_emit_act(out, &rule->act);
	swapfail_emit(out, "\n");
}

/*
 * Yields, once each, the extents that are not spent and overlap sorted,
 * merged ranges @r (all extents if n == 0).
 */
struct swapfail_walk {
	struct swapfail_iter it;
	const struct swapfail_tree *t;
	const struct swapfail_range *r;
	u32 n;
	u32 j;		/* range being walked */
	bool seek;	/* look the range up afresh */
	u64 past;	/* end of the extent last yielded */
};

static const struct swapfail_range swapfail_all_blocks = {
	0, SWAPFAIL_U64_MAX - 1
};

static void swapfail_walk_init(struct swapfail_walk *w,
			       const struct swapfail_tree *t,
			       const struct swapfail_range *r, u32 n)
{
	w->t = t;
	w->r = n ? r : &swapfail_all_blocks;
	w->n = n ? n : 1;
	w->j = 0;
	w->seek = true;
	w->past = 0;
}

static const struct swapfail_extent *swapfail_walk_next(struct swapfail_walk *w)
{
	const struct swapfail_range *r;
	const struct swapfail_extent *e;

	for (; w->j < w->n; w->j++, w->seek = true) {
		r = &w->r[w->j];
		if (w->seek)
			e = swapfail_iter_seek(&w->it, w->t,
					       max(r->first, w->past));
		else
			e = swapfail_iter_next(&w->it);
		w->seek = false;
		for (; e && e->start <= r->last; e = swapfail_iter_next(&w->it)) {
			if (e->end <= w->past || swapfail_extent_spent(e))
				continue;
			w->past = e->end;
			return e;
		}
	}
	return NULL;
}

/* Extents overlapping sorted, merged ranges @r (all of them if n == 0). */
static void swapfail_emit_list(struct swapfail_out *out,
			       const struct swapfail_tree *t,
			       const struct swapfail_range *r, u32 n)
{
	const struct swapfail_extent *e;
	struct swapfail_walk w;

	swapfail_walk_init(&w, t, r, n);
	while (!out->full && (e = swapfail_walk_next(&w)))
		swapfail_emit_extent(out, e);
}

/* Bad blocks, not spent, within one range. */
static u64 swapfail_bad_in(const struct swapfail_tree *t,
			   const struct swapfail_range *r)
{
	const struct swapfail_extent *e;
	struct swapfail_iter it;
	u64 blocks = 0;

	for (e = swapfail_iter_seek(&it, t, r->first); e && e->start <= r->last;
	     e = swapfail_iter_next(&it))
		if (!swapfail_extent_spent(e))
			blocks += min(e->end, r->last + 1) -
				  max(e->start, r->first);
	return blocks;
}

/* "A-B bad=N" for each range, in the order given. */
static void swapfail_emit_query(struct swapfail_out *out,
				const struct swapfail_tree *t,
				const struct swapfail_range *r, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		swapfail_emit(out, "%llu-%llu bad=%llu\n", r[i].first,
			      r[i].last, swapfail_bad_in(t, &r[i]));
}

/* "extents=E blocks=B" within sorted, merged ranges (all if n == 0). */
static void swapfail_emit_count(struct swapfail_out *out,
				const struct swapfail_tree *t,
				const struct swapfail_range *r, u32 n)
{
	struct swapfail_walk w;
	u64 blocks = 0, extents = 0;
	u32 i;

	swapfail_walk_init(&w, t, r, n);
	while (swapfail_walk_next(&w))
		extents++;
	for (i = 0; i < w.n; i++)
		blocks += swapfail_bad_in(t, &w.r[i]);
	swapfail_emit(out, "extents=%llu blocks=%llu", extents, blocks);
}

/* Bytes of "N\n" for every N in start..end - 1; stops past @limit. */
static u64 swapfail_lines_bytes(u64 start, u64 end, u64 limit)
{
	u64 bytes = 0, lo = 0, hi = 10;
	u32 digits = 1;

	while (lo < end && bytes <= limit) {
		if (hi > start && lo < end)
			bytes += (min(hi, end) - max(lo, start)) * (digits + 1);
		lo = hi;
		hi = hi > SWAPFAIL_U64_MAX / 10 ? SWAPFAIL_U64_MAX : hi * 10;
		digits++;
	}
	return bytes;
}

/* Whether listbadblocks' answer fits what device-mapper can return. */
static bool swapfail_dust_list_fits(const struct swapfail_tree *t)
{
	const u64 limit = SWAPFAIL_MAX_ANSWER - 4096;
	const struct swapfail_extent *e;
	struct swapfail_iter it;
	u64 bytes = 0;

	/* every line takes 2 bytes at least and 21 at most */
	if (t->blocks <= limit / 21)
		return true;
	if (t->blocks > limit / 2)
		return false;
	for (e = swapfail_iter_seek(&it, t, 0); e && bytes <= limit;
	     e = swapfail_iter_next(&it))
		if (!swapfail_extent_spent(e))
			bytes += swapfail_lines_bytes(e->start, e->end, limit);
	return bytes <= limit;
}

/* dm-dust's listbadblocks: one block per line. */
static int swapfail_emit_dust_list(struct swapfail_out *out,
				   const struct swapfail_tree *t, char **error)
{
	struct swapfail_walk w;
	const struct swapfail_extent *e;
	u64 b;

	if (!swapfail_dust_list_fits(t)) {
		*error = "too many blocks for one answer: use list";
		return -EINVAL;
	}
	swapfail_walk_init(&w, t, NULL, 0);
	e = swapfail_walk_next(&w);
	if (!e)
		swapfail_emit(out, "No blocks in badblocklist");
	for (; e && !out->full; e = swapfail_walk_next(&w))
		for (b = e->start; b < e->end && !out->full; b++)
			swapfail_emit(out, "%llu\n", b);
	return 0;
}

static bool swapfail_tree_any(const struct swapfail_tree *t)
{
	return swapfail_tree_holds(t, &swapfail_all_blocks, false);
}

/*
 * The answer of a question message: 0, or -errno when it has none (its
 * reason in @error).  List and count merge their ranges in place first;
 * query answers each range in the order given.
 */
int swapfail_answer(struct swapfail_out *out, const struct swapfail_tree *t,
		    struct swapfail_msg *msg, char **error)
{
	struct swapfail_range *r = msg->ranges;

	switch (msg->verb) {
	case SWAPFAIL_MSG_QUERY:
		swapfail_emit_query(out, t, r, msg->nr_ranges);
		return 0;
	case SWAPFAIL_MSG_LIST:
	case SWAPFAIL_MSG_COUNT:
		swapfail_ranges_sort(r, msg->nr_ranges);
		msg->nr_ranges = swapfail_ranges_union(r, msg->nr_ranges);
		if (msg->verb == SWAPFAIL_MSG_LIST)
			swapfail_emit_list(out, t, r, msg->nr_ranges);
		else
			swapfail_emit_count(out, t, r, msg->nr_ranges);
		return 0;
	case SWAPFAIL_MSG_DUST_QUERY:
		swapfail_emit(out, "dust_query_block: block %llu %s",
			      r[0].first, swapfail_bad_in(t, &r[0]) ?
			      "found in badblocklist" :
			      "not found in badblocklist");
		return 0;
	case SWAPFAIL_MSG_DUST_COUNT:
		/* spent extents count in t->blocks until the worker drops them */
		swapfail_emit(out, "countbadblocks: %llu badblock(s) found",
			      swapfail_bad_in(t, &swapfail_all_blocks));
		return 0;
	case SWAPFAIL_MSG_DUST_LIST:
		return swapfail_emit_dust_list(out, t, error);
	case SWAPFAIL_MSG_DUST_CLEAR:
		swapfail_emit(out, "dust_clear_badblocks: %s",
			      swapfail_tree_any(t) ? "badblocks cleared" :
						     "no badblocks found");
		return 0;
	default:
		return 0;
	}
}

static const char * const swapfail_counter_keys[SWAPFAIL_NR_COUNTERS] = {
	[SWAPFAIL_READS] = "reads",
	[SWAPFAIL_WRITES] = "writes",
	[SWAPFAIL_READ_ERRORS] = "read_errors",
	[SWAPFAIL_WRITE_ERRORS] = "write_errors",
	[SWAPFAIL_HEALED] = "healed",
	[SWAPFAIL_DEFERRED] = "deferred",
	[SWAPFAIL_DELAYED] = "delayed",
	[SWAPFAIL_HELD] = "held",
	[SWAPFAIL_DROPPED] = "dropped",
	[SWAPFAIL_CORRUPTED] = "corrupted",
};

void swapfail_emit_stats(struct swapfail_out *out,
			 const struct swapfail_tree *t,
			 const struct swapfail_stats *s)
{
	unsigned int i;

	swapfail_emit(out, "extents=%llu blocks=%llu", t->extents, t->blocks);
	for (i = 0; i < SWAPFAIL_NR_COUNTERS; i++)
		swapfail_emit(out, " %s=%llu", swapfail_counter_keys[i],
			      s->count[i]);
}

/* The status INFO line; the field order is documented in docs/. */
void swapfail_emit_info(struct swapfail_out *out,
			const struct swapfail_tree *t,
			const struct swapfail_policy *p,
			const struct swapfail_stats *s)
{
	swapfail_emit(out, "mode=%s quiet=%s ",
		      p->enabled ? "enabled" : "bypass", p->quiet ? "on" : "off");
	swapfail_emit_stats(out, t, s);
	swapfail_emit(out, " every_nth_read=%u every_nth_write=%u error=%s",
		      p->every_nth[SWAPFAIL_DIR_READ],
		      p->every_nth[SWAPFAIL_DIR_WRITE],
		      swapfail_error_name(p->error));
	swapfail_emit_ppb(out, " probability_read=",
			  p->probability[SWAPFAIL_DIR_READ]);
	swapfail_emit_ppb(out, " probability_write=",
			  p->probability[SWAPFAIL_DIR_WRITE]);
	swapfail_emit(out, " seed=%llu delaying=%llu holding=%llu", p->seed,
		      s->delaying, s->holding);
	swapfail_emit_trigger(out, "trigger_read",
			      &p->trigger[SWAPFAIL_DIR_READ]);
	swapfail_emit_trigger(out, "trigger_write",
			      &p->trigger[SWAPFAIL_DIR_WRITE]);
}

/*
 * The feature group of a table line, " <#args> <args>...", so that the
 * line recreates the same device.  Nothing when every feature is at its
 * default: then the line is a dm-dust line.
 */
void swapfail_emit_features(struct swapfail_out *out,
			    const struct swapfail_policy *p)
{
	const u32 *prob = p->probability, *nth = p->every_nth;
	u32 nr = p->enabled + p->quiet + 2 * !!nth[0] + 2 * !!nth[1] +
		 2 * (p->error != SWAPFAIL_ERR_EIO) + 2 * !!prob[0] +
		 2 * !!prob[1] + 2 * !!p->seed;

	if (!nr)
		return;
	swapfail_emit(out, " %u", nr);
	if (p->enabled)
		swapfail_emit(out, " start_enabled");
	if (p->quiet)
		swapfail_emit(out, " quiet");
	if (nth[SWAPFAIL_DIR_READ])
		swapfail_emit(out, " every_nth_read %u", nth[SWAPFAIL_DIR_READ]);
	if (nth[SWAPFAIL_DIR_WRITE])
		swapfail_emit(out, " every_nth_write %u", nth[SWAPFAIL_DIR_WRITE]);
	if (p->error != SWAPFAIL_ERR_EIO)
		swapfail_emit(out, " error %s", swapfail_error_name(p->error));
	if (prob[SWAPFAIL_DIR_READ])
		swapfail_emit_ppb(out, " probability_read ", prob[0]);
	if (prob[SWAPFAIL_DIR_WRITE])
		swapfail_emit_ppb(out, " probability_write ", prob[1]);
	if (p->seed)
		swapfail_emit(out, " seed %llu", p->seed);
}

