// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target over the core (swapfail-*.c): the table-line and message
 * parsers, the tree's edits, heals and drops, the answers and the I/O
 * decision, driven through ../unit/table-util.c exactly as dm-swapfail.c
 * drives the core.  After every step the trees' invariants hold, no node
 * or rule is lost, and the table is, extent by extent and rule by rule,
 * what a block-by-block model of the documented semantics says; any
 * violation aborts.
 *
 * The input is text, one step per line:
 *
 *   ctr <sectors> <dev> <offset> <block_size> [<#features> <feature>...]
 *	A table line for a target of <sectors> sectors, parsed by the core
 *	and by the model.  Accepted, it becomes the device: a reload (table
 *	and policy kept, features merged) when dev, offset and block size
 *	are those of the device, as dm-swapfail does; else a fresh device.
 *   read <A> <B>, write <A> <B>
 *	An I/O over blocks A..B, each taken modulo the device's blocks.
 *   mid read <A> <B>, mid write <A> <B>
 *	The same, queued to run between two steps of the next message's
 *	edit (one per step, as a bio may land while the message runs).
 *   many <verb> <A> <N> <S> [<word>...]
 *	<verb> A A+S ... A+(N-1)S [<word>...] as one message (add, remove,
 *	query, list or count; N up to 1024), or N one-block I/Os for read
 *	and write: a short input reaches a tree of several levels.
 *   cap <N>, cap off
 *	The table holds at most N extents (table-util's max_extents).
 *   nomem <N>
 *	The next message's pool may allocate N nodes; the one after fails,
 *	and so must the message (-ENOMEM), changing nothing.
 *   reserve <N>
 *	Heals take nodes from a reserve kept at N (0: writes that heal wait,
 *	-ENOMEM, and spent extents stay; 1 to 38 count as 39, a step's
 *	worst case; 48 at the start).
 *   defer on, defer off
 *	Leave the extents of spent rules for "collect", as a busy worker.
 *   collect
 *	The target's worker: drops the extents of spent rules.
 *   swap on, swap off
 *	I/O from now on is marked REQ_SWAP (a swap-out), or not.
 *   anything else
 *	A message, its words split at spaces as dmsetup passes them.
 *
 * Until the first accepted table line the device has 64 blocks, so that
 * ranges collide.
 *
 * The model (struct model) keeps, for every block, whether it is in the
 * table and with which mode, error and rule; a rule (one per range added
 * with count=N, wr_fail=K, an action or match=swap) keeps what is left of
 * both, and the action.  It is kept as
 * runs of blocks alike, which makes it as cheap for 2^64 blocks as for 64,
 * and runs alike are one extent (plain neighbours of one mode and error
 * are joined, a rule's pieces are apart), so that it predicts the tree's
 * extents and so the cap.  Its semantics, from docs/admin-guide.md: an
 * I/O fails if it overlaps a block that fails its direction, with the
 * error of the first; every rule it fails takes one from count=N (N
 * failures in all, however the range is split) and, for a write over
 * mode=read, one from wr_fail=K (the range's first K writes fail); a
 * write that does not fail heals its mode=read blocks; a spent rule's
 * blocks fail nothing and vanish from every answer, and the worker drops
 * them.  A fault need not be an error: a range's action (delay, hold,
 * drop, corrupt) is its fault; only error actions are healed by writes,
 * and a match=swap range lets a write not marked REQ_SWAP by as if it
 * were not there.  The faults an I/O meets compose (the admin guide's
 * rule): the longest wait (a hold outlasts a delay), then the heaviest
 * outcome (an error, a drop, a corruption), the first among equals; a
 * write that is neither failed nor dropped heals.
 *
 * An I/O is decided as the target's map decides it while enabled:
 * every_nth and probability count the I/O of their direction that their
 * action matches since the message (or table line, or enable) that set
 * them, and add a fault with the action the last trigger message gave
 * (the probability drawn, per I/O number, from the seed) after the
 * table's.  The harness calls the core's own trigger and composition code
 * (swapfail_trigger_fires(), table-util's tt_io_trigger()) over the
 * core's policy and its restarts; the model keeps its own policy,
 * counters, generator and rule of composition.
 *
 * Checked at each step: tt_valid() and tt_compact(); the table against
 * the model (extents, rules shared by their pieces, counters left, rule
 * references, totals); nodes and rules allocated are those reachable (or
 * queued, or in the reserve); the core's parse of each message and table
 * line against the model's parse, reason included; each verdict, heal and
 * answer (in a large buffer and, truncated, in a small one) against the
 * model's; a refused message (bad range, overlap, table full, no memory)
 * leaves the table, its list and its totals as they were; no change goes
 * round for ever (table-util's -ELOOP: a change for I/O that a round
 * with the nodes for a step does not advance, or an edit's step that
 * wants more than the target's pool, which starts small here and grows
 * to it); each verdict's action and its parameters; the triggers' I/O
 * counts against the model's; the status line and the features of the
 * table line.  Both
 * trees' invariants hold between the steps of an edit that I/O runs
 * amid, whose outcome is checked as far as the order allows (see
 * check_interleaved()).  At the end, the list replays into an equal
 * table, and freeing the device frees every node and rule.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/errno.h>
#include <linux/kernel.h>

#include "table-util.h"

#define DEFAULT_NR_BLOCKS	64
#define LARGE			(64 * 1024)	/* a large answer buffer */
#define MANY_MAX		1024	/* words or I/Os of one "many" */
#define MID_MAX			64	/* I/Os queued for one message */
#define REPLAY_MAX_EXTENTS	256	/* the end's list replay, up to */
#define U64_MAX_		(~(u64)0)
#define STEP_WORST		SWAPFAIL_STEP_NODES(SWAPFAIL_MAX_HEIGHT)
#define LIST_LIMIT		(SWAPFAIL_MAX_ANSWER - 4096)

#define R			SWAPFAIL_DIR_READ
#define W			SWAPFAIL_DIR_WRITE

static const char * const error_names[SWAPFAIL_NR_ERRORS] = {
	"default", "EIO", "ENODATA", "ENOLINK", "ETIMEDOUT", "ENOSPC",
	"EILSEQ", "EREMOTEIO",
};
static const char * const mode_names[] = { "?", "read", "write", "rw" };

/* The device the steps act on, what its table line said, the knobs. */
static struct tt dev;
static char *dev_path;
static u64 dev_offset;
static u32 dev_block_size;
static u32 knob_cap = SWAPFAIL_MAX_EXTENTS;
/*
 * A reserve of a step's worst case and a little: a heal over more than a
 * few leaves goes in rounds, and an input allocates few nodes (ASan's
 * quarantine makes each new allocation cost page faults).
 */
#define RESERVE_DEFAULT		(STEP_WORST + 9)
static u32 knob_reserve = RESERVE_DEFAULT;
static bool knob_defer;
static int knob_nomem = -1;
static bool knob_swap;			/* I/O is marked REQ_SWAP */
/* The target's I/O counters of every_nth and probability, by direction */
static atomic64_t tgt_nth[SWAPFAIL_NR_DIRS], tgt_prob[SWAPFAIL_NR_DIRS];
static const char *cur_line;		/* for the report of a violation */
/* SWAPFAIL_FUZZ_TRACE set: each step and what it returned, on stderr */
static bool trace;

static void __attribute__((noreturn, format(printf, 2, 3)))
violation(int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "swapfail-fuzz.c:%d: violation: ", line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  at step: '%s'\n", cur_line ? cur_line : "(end)");
	abort();
}

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			violation(__LINE__, "%s", #cond);		\
	} while (0)

#define CHECK_MSG(cond, ...)						\
	do {								\
		if (!(cond))						\
			violation(__LINE__, __VA_ARGS__);		\
	} while (0)

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	return strcpy(xmalloc(strlen(s) + 1), s);
}

static const char *str_or_null(const char *s)
{
	return s ? s : "(null)";
}

/* Words, split as table-util splits a message: at spaces, none empty. */

struct words {
	char *copy;
	char **argv;
	unsigned int argc;
};

static void words_split(struct words *w, const char *line)
{
	char *tok, *save = NULL;
	unsigned int n = 0;
	const char *p;

	for (p = line; *p; p++)
		n += *p != ' ' && (p == line || p[-1] == ' ');
	w->copy = xstrdup(line);
	w->argv = xcalloc(n + 1, sizeof(*w->argv));
	w->argc = 0;
	for (tok = strtok_r(w->copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		w->argv[w->argc++] = tok;
}

static void words_free(struct words *w)
{
	free(w->argv);
	free(w->copy);
}

/* A string built up to a limit, for the model's answers. */
struct sb {
	char *buf;
	size_t len;
	size_t cap;
	size_t limit;
};

static void sb_init(struct sb *s, size_t limit)
{
	s->cap = 256;
	s->buf = xmalloc(s->cap);
	s->buf[0] = '\0';
	s->len = 0;
	s->limit = limit;
}

static bool sb_full(const struct sb *s)
{
	return s->len >= s->limit;
}

static void __attribute__((format(printf, 2, 3)))
sb_printf(struct sb *s, const char *fmt, ...)
{
	char item[512];
	va_list ap;
	size_t n;

	if (sb_full(s))
		return;
	va_start(ap, fmt);
	vsnprintf(item, sizeof(item), fmt, ap);
	va_end(ap);
	n = strlen(item);
	if (n > s->limit - s->len)
		n = s->limit - s->len;
	while (s->len + n + 1 > s->cap) {
		s->cap *= 2;
		s->buf = xrealloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->len, item, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

/*
 * An answer in a buffer of @size bytes must be the model's answer, cut to
 * size - 1 bytes and NUL-terminated within the buffer, as device-mapper
 * reads a full buffer as "retry with more room".
 */
static void check_answer(const char *buf, u32 size, const struct sb *model,
			 const char *what)
{
	size_t want = model->len < size - 1 ? model->len : size - 1;

	CHECK_MSG(memchr(buf, '\0', size), "%s: answer not NUL-terminated in "
		  "its %u bytes", what, size);
	CHECK_MSG(model->len < model->limit || want < model->len,
		  "%s: model answer too long to compare", what);
	CHECK_MSG(strlen(buf) == want && !memcmp(buf, model->buf, want),
		  "%s: answer in %u bytes:\n%.400s\nexpected:\n%.400s", what,
		  size, buf, model->buf);
}

/*
 * The model.  Runs of blocks alike: seg[i] holds blocks seg[i].start up to
 * the next run's start (or to U64_MAX, a block no extent can hold, as an
 * extent ends at most there).  mode 0: not in the table.  rule[0] is
 * "none".  Between operations no two neighbouring runs are alike, so each
 * run in the table is one extent.
 */

struct mseg {
	u64 start;
	u32 rule;
	u8 mode;
	u8 error;
};

struct mrule {
	u64 first;		/* the range added */
	u64 last;
	bool has_count;
	u32 count_left;
	u32 wr_fail_left;
	u32 stamp;		/* the I/O that last decided it */
	struct swapfail_act act;	/* what its faults do */
};

struct model {
	struct mseg *seg;
	u32 nr;
	u32 size;
	struct mrule *rule;
	u32 nr_rules;
	u32 rules_size;
	struct swapfail_policy policy;
	/* I/O counted by every_nth and probability since they restarted */
	u64 nth_io[SWAPFAIL_NR_DIRS];
	u64 prob_io[SWAPFAIL_NR_DIRS];
};

static struct model model;
static u32 io_stamp;

static void model_init(struct model *m)
{
	m->size = 16;
	m->seg = xcalloc(m->size, sizeof(*m->seg));
	m->nr = 1;
	m->rules_size = 16;
	m->rule = xcalloc(m->rules_size, sizeof(*m->rule));
	m->nr_rules = 1;
	swapfail_policy_init(&m->policy);
}

static void model_free(struct model *m)
{
	free(m->seg);
	free(m->rule);
	memset(m, 0, sizeof(*m));
}

static void model_copy(struct model *dst, const struct model *src)
{
	*dst = *src;
	dst->seg = xmalloc(src->size * sizeof(*src->seg));
	memcpy(dst->seg, src->seg, src->nr * sizeof(*src->seg));
	dst->rule = xmalloc(src->rules_size * sizeof(*src->rule));
	memcpy(dst->rule, src->rule, src->nr_rules * sizeof(*src->rule));
}

static u32 model_rule_new(struct model *m, const struct swapfail_attr *a,
			  const struct swapfail_range *r)
{
	struct mrule *rule;

	if (m->nr_rules == m->rules_size) {
		m->rules_size *= 2;
		m->rule = xrealloc(m->rule, m->rules_size * sizeof(*m->rule));
	}
	rule = &m->rule[m->nr_rules];
	memset(rule, 0, sizeof(*rule));
	rule->first = r->first;
	rule->last = r->last;
	rule->has_count = a->count;
	rule->count_left = a->count;
	rule->wr_fail_left = a->wr_fail;
	rule->act = a->act;
	return m->nr_rules++;
}

/* An action's defaults, as documented: corrupt one byte, XORed with ff. */
static void pm_act_init(struct swapfail_act *act)
{
	memset(act, 0, sizeof(*act));
	act->bytes = 1;
	act->xor = 0xff;
}

/* Two actions alike in all that their kind uses. */
static bool act_same(const struct swapfail_act *a,
		     const struct swapfail_act *b)
{
	if (a->kind != b->kind || a->match != b->match || a->error != b->error)
		return false;
	switch (a->kind) {
	case SWAPFAIL_ACT_DELAY:
		return a->delay_ns == b->delay_ns &&
		       a->jitter_ns == b->jitter_ns;
	case SWAPFAIL_ACT_HOLD:
		return a->hold_ns == b->hold_ns;
	case SWAPFAIL_ACT_CORRUPT:
		return a->corrupt == b->corrupt && a->at == b->at &&
		       a->bytes == b->bytes &&
		       (a->corrupt == SWAPFAIL_CORRUPT_XOR ? a->xor == b->xor :
							      a->seed == b->seed);
	default:
		return true;
	}
}

/* Whether a range with action @act is one the writes it matches heal. */
static bool act_heals(const struct swapfail_act *act)
{
	return act->kind == SWAPFAIL_ACT_ERROR &&
	       (act->match == SWAPFAIL_MATCH_ALL || knob_swap);
}

static bool rule_spent(const struct mrule *r)
{
	return r->has_count && !r->count_left;
}

static bool seg_spent(const struct model *m, const struct mseg *s)
{
	return s->rule && rule_spent(&m->rule[s->rule]);
}

/* In the table and failing something: what answers and I/O see. */
static bool seg_live(const struct model *m, const struct mseg *s)
{
	return s->mode && !seg_spent(m, s);
}

static bool seg_alike(const struct mseg *a, const struct mseg *b)
{
	return a->mode == b->mode && a->error == b->error &&
	       a->rule == b->rule;
}

/* The run holding block @b. */
static u32 seg_at(const struct model *m, u64 b)
{
	u32 lo = 0, hi = m->nr;

	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (m->seg[mid].start <= b)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static u64 seg_end(const struct model *m, u32 i)
{
	return i + 1 < m->nr ? m->seg[i + 1].start : U64_MAX_;
}

/* Makes a run start at block @b. */
static void seg_split(struct model *m, u64 b)
{
	u32 i;

	if (b == U64_MAX_)
		return;
	i = seg_at(m, b);
	if (m->seg[i].start == b)
		return;
	if (m->nr == m->size) {
		m->size *= 2;
		m->seg = xrealloc(m->seg, m->size * sizeof(*m->seg));
	}
	memmove(&m->seg[i + 2], &m->seg[i + 1],
		(m->nr - i - 1) * sizeof(*m->seg));
	m->seg[i + 1] = m->seg[i];
	m->seg[i + 1].start = b;
	m->nr++;
}

static void model_normalize(struct model *m)
{
	u32 i, out = 1;

	for (i = 1; i < m->nr; i++) {
		if (seg_alike(&m->seg[out - 1], &m->seg[i]))
			continue;
		m->seg[out++] = m->seg[i];
	}
	m->nr = out;
}

static const struct mseg seg_none;

static void seg_remove(struct model *m, u32 i, u32 n)
{
	memmove(&m->seg[i], &m->seg[i + n],
		(m->nr - i - n) * sizeof(*m->seg));
	m->nr -= n;
}

/*
 * Blocks first..last take @state: one run, joined with its neighbours if
 * alike (a "many" message sets a thousand ranges: no whole-model pass).
 */
static void model_set(struct model *m, u64 first, u64 last,
		      const struct mseg *state)
{
	u32 lo, hi;

	seg_split(m, first);
	seg_split(m, last + 1);
	lo = seg_at(m, first);
	hi = last + 1 == U64_MAX_ ? m->nr : seg_at(m, last + 1);
	m->seg[lo] = *state;
	m->seg[lo].start = first;
	seg_remove(m, lo + 1, hi - lo - 1);
	if (lo + 1 < m->nr && seg_alike(&m->seg[lo], &m->seg[lo + 1]))
		seg_remove(m, lo + 1, 1);
	if (lo && seg_alike(&m->seg[lo - 1], &m->seg[lo]))
		seg_remove(m, lo, 1);
}

static u64 overlap(u64 s1, u64 e1, u64 s2, u64 e2)
{
	u64 lo = s1 > s2 ? s1 : s2, hi = e1 < e2 ? e1 : e2;

	return hi > lo ? hi - lo : 0;
}

/* Extents and blocks in the table, spent ones included, as the tree's. */
static void model_totals(const struct model *m, u64 *extents, u64 *blocks)
{
	u32 i;

	*extents = 0;
	*blocks = 0;
	for (i = 0; i < m->nr; i++) {
		if (!m->seg[i].mode)
			continue;
		(*extents)++;
		*blocks += seg_end(m, i) - m->seg[i].start;
	}
}

static u64 model_extents(const struct model *m)
{
	u64 extents, blocks;

	model_totals(m, &extents, &blocks);
	return extents;
}

/* Bad blocks, not spent, in first..last. */
static u64 model_bad_in(const struct model *m, u64 first, u64 last)
{
	u64 blocks = 0;
	u32 i;

	for (i = seg_at(m, first); i < m->nr && m->seg[i].start <= last; i++)
		if (seg_live(m, &m->seg[i]))
			blocks += overlap(m->seg[i].start, seg_end(m, i),
					  first, last + 1);
	return blocks;
}

static u64 model_live_blocks(const struct model *m)
{
	return model_bad_in(m, 0, U64_MAX_ - 1);
}

static bool model_has_spent(const struct model *m)
{
	u32 i;

	for (i = 0; i < m->nr; i++)
		if (m->seg[i].mode && seg_spent(m, &m->seg[i]))
			return true;
	return false;
}

/* The worker: every spent extent goes. */
static void model_collect(struct model *m)
{
	u32 i;

	for (i = 0; i < m->nr; i++)
		if (m->seg[i].mode && seg_spent(m, &m->seg[i]))
			m->seg[i] = (struct mseg){ .start = m->seg[i].start };
	model_normalize(m);
}

/*
 * Takes out of the table the blocks of first..last in runs that @takes:
 * one model_set() per run, so that the cost follows the runs taken.
 */
static u64 model_take(struct model *m, u64 first, u64 last,
		      bool (*takes)(const struct model *m,
				    const struct mseg *s))
{
	struct swapfail_range *cut = NULL;
	u32 i, n = 0, size = 0;
	u64 taken = 0;

	for (i = seg_at(m, first); i < m->nr && m->seg[i].start <= last; i++) {
		if (!takes(m, &m->seg[i]))
			continue;
		if (n == size) {
			size = size ? 2 * size : 8;
			cut = xrealloc(cut, size * sizeof(*cut));
		}
		cut[n].first = max(m->seg[i].start, first);
		cut[n].last = min(seg_end(m, i) - 1, last);
		taken += cut[n].last - cut[n].first + 1;
		n++;
	}
	for (i = 0; i < n; i++)
		model_set(m, cut[i].first, cut[i].last, &seg_none);
	free(cut);
	return taken;
}

static bool seg_spent_bad(const struct model *m, const struct mseg *s)
{
	return s->mode && seg_spent(m, s);
}

/* A write heals mode=read errors it matches: not other actions. */
static bool seg_heals(const struct model *m, const struct mseg *s)
{
	return s->mode == SWAPFAIL_MODE_READ && !seg_spent(m, s) &&
	       (!s->rule || act_heals(&m->rule[s->rule].act));
}

/* Whether the reserve can hold a step: else heals wait, drops stay. */
static bool reserve_ok(void)
{
	return knob_reserve >= STEP_WORST;
}

/* The I/O decision */

struct mio {
	bool fault;		/* some fault hits it */
	bool heal;		/* over mode=read blocks none of them fails */
	u8 wait;		/* SWAPFAIL_ACT_DELAY, _HOLD or _ERROR: none */
	struct swapfail_act wait_act;
	u8 outcome;		/* enum swapfail_outcome */
	u8 error;
	u64 block;
	struct swapfail_act corrupt;
	bool spent;		/* some rule ran out */
	bool splits;		/* a heal would cut an extent in two */
	bool by_trigger;	/* the outcome is a trigger's */
};

/* every_nth and probability count again from the next I/O. */
static void model_restart(struct model *m, u32 dirs)
{
	u32 d;

	for (d = 0; d < SWAPFAIL_NR_DIRS; d++) {
		if (!(dirs & BIT(d)))
			continue;
		m->nth_io[d] = 0;
		m->prob_io[d] = 0;
	}
}

/*
 * The probability's generator: splitmix64 from the seed (mixed with the
 * direction) and the I/O's number, so that a seed replays a run; an I/O
 * faults when the draw, modulo a billion, falls below P in billionths.
 */
static bool model_prob_fires(u64 seed, u32 d, u64 n, u32 ppb)
{
	u64 z;

	if (!ppb)
		return false;
	if (ppb >= SWAPFAIL_PPB)
		return true;
	z = (seed ^ d) + (n + 1) * 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z % SWAPFAIL_PPB < ppb;
}

/*
 * every_nth and probability: the Nth, 2Nth, ... I/O of the direction
 * (that the trigger's action matches) since they restarted faults, and
 * failing that, one drawn with probability P.  Returns whether it fires;
 * its fault does what the last trigger message of the direction said.
 */
static bool model_trigger(struct model *m, enum swapfail_dir d)
{
	const struct swapfail_policy *p = &m->policy;
	const struct swapfail_act *act = &p->trigger[d];
	bool fires = false;

	if (!p->every_nth[d] && !p->probability[d])
		return false;
	if (act->match == SWAPFAIL_MATCH_SWAP && d == W && !knob_swap)
		return false;
	if (p->every_nth[d])
		fires = !(++m->nth_io[d] % p->every_nth[d]);
	if (!fires && p->probability[d])
		fires = model_prob_fires(p->seed, d, ++m->prob_io[d],
					 p->probability[d]);
	return fires;
}

/*
 * How long a wait keeps the I/O, to compare two: any hold outlasts any
 * delay, a hold with no limit outlasts one with, and the longer wins.
 */
static u64 model_wait_rank(const struct swapfail_act *a, bool *hold)
{
	*hold = a->kind == SWAPFAIL_ACT_HOLD;
	if (*hold)
		return a->hold_ns ? a->hold_ns : U64_MAX_;
	return a->delay_ns;
}

/* What an outcome weighs: an error above a drop above a corruption. */
static u8 model_outcome_of(const struct swapfail_act *a)
{
	switch (a->kind) {
	case SWAPFAIL_ACT_ERROR: return SWAPFAIL_FAILS;
	case SWAPFAIL_ACT_DROP: return SWAPFAIL_DROPS;
	case SWAPFAIL_ACT_CORRUPT: return SWAPFAIL_CORRUPTS;
	default: return SWAPFAIL_PASSES;
	}
}

/*
 * One fault more for the I/O, met in order (extents by block, then the
 * trigger): a wait replaces the one kept only if it keeps the I/O longer,
 * an outcome only if it weighs more; so among equals the first stays.
 */
static void model_fault(struct mio *v, const struct swapfail_act *a, u8 error,
			u64 block, bool trigger)
{
	bool hold, kept_hold;
	u64 rank, kept;

	v->fault = true;
	if (a->kind == SWAPFAIL_ACT_DELAY || a->kind == SWAPFAIL_ACT_HOLD) {
		rank = model_wait_rank(a, &hold);
		kept = v->wait ? model_wait_rank(&v->wait_act, &kept_hold) : 0;
		if (!v->wait || (hold && !kept_hold) ||
		    (hold == kept_hold && rank > kept)) {
			v->wait = a->kind;
			v->wait_act = *a;
		}
		return;
	}
	if (model_outcome_of(a) <= v->outcome)
		return;
	v->outcome = model_outcome_of(a);
	v->error = v->outcome == SWAPFAIL_FAILS ? error : 0;
	v->block = block;
	v->corrupt = *a;
	v->by_trigger = trigger;
}

/*
 * What an I/O over first..last decides, and what it takes from the rules:
 * each rule it faults gives one fault of its count, and a write failed by
 * wr_fail one of that too, however many of the rule's pieces it spans.
 */
static void model_decide(struct model *m, u64 first, u64 last,
			 enum swapfail_dir d, struct mio *v)
{
	const struct swapfail_act error_act = { .kind = SWAPFAIL_ACT_ERROR };
	const struct swapfail_act *act;
	bool fired = model_trigger(m, d);
	struct mrule *rule;
	struct mseg *s;
	bool fails;
	u32 i;

	memset(v, 0, sizeof(*v));
	i = seg_at(m, first);
	s = &m->seg[i];
	v->splits = s->mode == SWAPFAIL_MODE_READ && !seg_spent(m, s) &&
		    s->start < first && seg_end(m, i) > last + 1;
	io_stamp++;
	for (; i < m->nr && m->seg[i].start <= last; i++) {
		s = &m->seg[i];
		if (!s->mode)
			continue;
		rule = s->rule ? &m->rule[s->rule] : NULL;
		if (rule && (rule_spent(rule) || rule->stamp == io_stamp))
			continue;
		/* match=swap: a write not marked REQ_SWAP goes by */
		if (rule && rule->act.match == SWAPFAIL_MATCH_SWAP && d == W &&
		    !knob_swap)
			continue;
		if (rule)
			rule->stamp = io_stamp;
		fails = false;
		if (s->mode & BIT(d)) {
			fails = true;
		} else if (d == W && s->mode == SWAPFAIL_MODE_READ &&
			   (!rule || rule->act.kind == SWAPFAIL_ACT_ERROR)) {
			if (rule && rule->wr_fail_left) {
				rule->wr_fail_left--;
				fails = true;
			} else {
				v->heal = true;
			}
		}
		if (!fails)
			continue;
		if (rule && rule->has_count && !--rule->count_left)
			v->spent = true;
		act = rule ? &rule->act : &error_act;
		model_fault(v, act, s->error, s->start > first ? s->start : first,
			    false);
	}
	if (fired)
		model_fault(v, &m->policy.trigger[d], m->policy.trigger[d].error,
			    first, true);
}

/* Whether the write reaches the disk and heals: it passes, or is corrupted. */
static bool model_heals(const struct mio *v)
{
	return v->heal && v->outcome <= SWAPFAIL_CORRUPTS;
}

/* Heals first..last: its mode=read blocks not spent leave the table. */
static u64 model_heal(struct model *m, u64 first, u64 last)
{
	return model_take(m, first, last, seg_heals);
}

/*
 * What table-util does after the decision: the spent rules are dropped
 * (unless deferred, or the reserve cannot hold a step), and a write that
 * reaches the disk heals: unless that would split an extent of a table at
 * its cap (the write fails instead), or the reserve cannot hold a step
 * (-ENOMEM: the write waits, and nothing changes).
 */
static int model_apply(struct model *m, u64 first, u64 last, struct mio *v,
		       u64 *healed)
{
	*healed = 0;
	if (v->spent && !knob_defer && reserve_ok())
		model_collect(m);
	if (!model_heals(v))
		return 0;
	if (v->splits && model_extents(m) >= knob_cap) {
		v->fault = true;
		v->outcome = SWAPFAIL_FAILS;
		v->error = 0;
		v->block = first;
		v->by_trigger = false;
		return 0;
	}
	if (!reserve_ok())
		return -ENOMEM;
	*healed = model_heal(m, first, last);
	return 0;
}

/* One I/O as tt_io() runs it. */
static int model_io(struct model *m, u64 first, u64 last,
		    enum swapfail_dir d, struct mio *v, u64 *healed)
{
	model_decide(m, first, last, d, v);
	return model_apply(m, first, last, v, healed);
}

/* The model's parse of messages and table lines */

/* Plain decimal, as the core takes numbers: digits only, within u64. */
static bool pm_u64(const char *s, u64 *v)
{
	u64 x = 0;
	unsigned int d;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		d = *s - '0';
		if (x > (U64_MAX_ - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

static bool pm_u32(const char *s, u32 *v)
{
	u64 x;

	if (!pm_u64(s, &x) || x > 0xffffffffULL)
		return false;
	*v = x;
	return true;
}

static int pm_name(const char *s, const char * const *names,
		   unsigned int first, unsigned int last)
{
	unsigned int i;

	for (i = first; i <= last; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	return -1;
}

static int pm_error_name(const char *s)
{
	return pm_name(s, error_names, SWAPFAIL_ERR_EIO,
		       SWAPFAIL_NR_ERRORS - 1);
}

/* "A", "A-B" or "A+N": 0, -EINVAL (syntax) or -ERANGE (past @nr_blocks). */
static int pm_range(const char *s, u64 nr_blocks, struct swapfail_range *r)
{
	const char *sep = NULL, *p;
	char first[32];
	u64 n;

	for (p = s[0] ? s + 1 : s; *p && !sep; p++)
		if (*p == '-' || *p == '+')
			sep = p;
	if (!sep) {
		if (!pm_u64(s, &r->first))
			return -EINVAL;
		r->last = r->first;
	} else {
		if ((size_t)(sep - s) >= 24)
			return -EINVAL;
		memcpy(first, s, sep - s);
		first[sep - s] = '\0';
		if (!pm_u64(first, &r->first))
			return -EINVAL;
		if (*sep == '-') {
			if (!pm_u64(sep + 1, &r->last) || r->last < r->first)
				return -EINVAL;
		} else {
			if (!pm_u64(sep + 1, &n) || !n)
				return -EINVAL;
			if (n - 1 > U64_MAX_ - r->first)
				return -ERANGE;
			r->last = r->first + (n - 1);
		}
	}
	return r->last < nr_blocks ? 0 : -ERANGE;
}

/* A message as the model reads docs/admin-guide.md. */
struct pmsg {
	int r;
	const char *error;
	enum swapfail_verb verb;
	bool edits;
	bool answers;
	struct swapfail_attr attr;
	struct swapfail_range *ranges;	/* in the order given */
	u32 nr_ranges;
	u32 dir;
	u32 value;
	u64 seed;
};

enum pm_kind {
	PM_NONE, PM_ADD, PM_RANGES, PM_DUST_ADD, PM_DUST_BLOCK, PM_QUIET,
	PM_NTH, PM_ERROR, PM_PROB, PM_SEED, PM_RELEASE,
};

static const struct pm_verb {
	const char *name;
	enum swapfail_verb verb;
	int min;
	int max;		/* -1: any */
	enum pm_kind kind;
	bool edits;
	bool answers;
	bool any_block;		/* ranges may lie past the end */
	u32 dir;
} pm_verbs[] = {
	{ "add", SWAPFAIL_MSG_ADD, 1, -1, PM_ADD, true, false, false, 0 },
	{ "remove", SWAPFAIL_MSG_REMOVE, 1, -1, PM_RANGES, true, false, true,
	  0 },
	{ "query", SWAPFAIL_MSG_QUERY, 1, -1, PM_RANGES, false, true, false,
	  0 },
	{ "list", SWAPFAIL_MSG_LIST, 0, -1, PM_RANGES, false, true, false, 0 },
	{ "count", SWAPFAIL_MSG_COUNT, 0, -1, PM_RANGES, false, true, false,
	  0 },
	{ "clear", SWAPFAIL_MSG_CLEAR, 0, 0, PM_NONE, true, false, false, 0 },
	{ "addbadblock", SWAPFAIL_MSG_DUST_ADD, 1, 2, PM_DUST_ADD, true, false,
	  false, 0 },
	{ "removebadblock", SWAPFAIL_MSG_DUST_REMOVE, 1, 1, PM_DUST_BLOCK,
	  true, false, false, 0 },
	{ "queryblock", SWAPFAIL_MSG_DUST_QUERY, 1, 1, PM_DUST_BLOCK, false,
	  true, false, 0 },
	{ "countbadblocks", SWAPFAIL_MSG_DUST_COUNT, 0, 0, PM_NONE, false,
	  true, false, 0 },
	{ "clearbadblocks", SWAPFAIL_MSG_DUST_CLEAR, 0, 0, PM_NONE, true, true,
	  false, 0 },
	{ "listbadblocks", SWAPFAIL_MSG_DUST_LIST, 0, 0, PM_NONE, false, true,
	  false, 0 },
	{ "enable", SWAPFAIL_MSG_ENABLE, 0, 0, PM_NONE, false, false, false,
	  0 },
	{ "disable", SWAPFAIL_MSG_DISABLE, 0, 0, PM_NONE, false, false, false,
	  0 },
	{ "quiet", SWAPFAIL_MSG_QUIET_TOGGLE, 0, 1, PM_QUIET, false, false,
	  false, 0 },
	{ "every_nth_read", SWAPFAIL_MSG_EVERY_NTH, 1, -1, PM_NTH, false,
	  false, false, R },
	{ "every_nth_write", SWAPFAIL_MSG_EVERY_NTH, 1, -1, PM_NTH, false,
	  false, false, W },
	{ "probability_read", SWAPFAIL_MSG_PROBABILITY, 1, -1, PM_PROB, false,
	  false, false, R },
	{ "probability_write", SWAPFAIL_MSG_PROBABILITY, 1, -1, PM_PROB,
	  false, false, false, W },
	{ "seed", SWAPFAIL_MSG_SEED, 1, 1, PM_SEED, false, false, false, 0 },
	{ "release", SWAPFAIL_MSG_RELEASE, 0, -1, PM_RELEASE, false, false,
	  false, 0 },
	{ "held", SWAPFAIL_MSG_HELD, 0, 0, PM_NONE, false, true, false, 0 },
	{ "error", SWAPFAIL_MSG_ERROR, 1, 1, PM_ERROR, false, false, false,
	  0 },
	{ "stats", SWAPFAIL_MSG_STATS, 0, 0, PM_NONE, false, true, false, 0 },
	{ "reset_stats", SWAPFAIL_MSG_RESET_STATS, 0, 0, PM_NONE, false, false,
	  false, 0 },
};

static int pm_fail(struct pmsg *m, const char *error)
{
	m->error = error;
	m->r = -EINVAL;
	return -EINVAL;
}

static int pm_range_word(struct pmsg *m, const char *s, u64 nr_blocks)
{
	int r = pm_range(s, nr_blocks, &m->ranges[m->nr_ranges]);

	if (r == -ERANGE)
		return pm_fail(m, "range past the end of the device");
	if (r)
		return pm_fail(m, "invalid range: use A, A-B or A+N");
	m->nr_ranges++;
	return 0;
}

#define PM_UNKNOWN_ATTR		"unknown attribute: see the admin guide"
#define PM_BAD_ACTION \
	"invalid action: use delay=T[~J], hold[=T], drop or corrupt=xor|random"
/* A delay or a hold: at most a day. */
#define PM_DAY_NS		(86400ULL * 1000000000)

/* What an add or a trigger message said: a bit per key, each once. */
enum pm_key {
	PK_MODE, PK_COUNT, PK_ERROR, PK_WR_FAIL, PK_ACTION, PK_AT, PK_BYTES,
	PK_XOR, PK_SEED, PK_MATCH,
};

/* The first @len characters of @s as a number, up to 23 digits. */
static bool pm_u64_prefix(const char *s, size_t len, u64 *v)
{
	char digits[24];

	if (len >= sizeof(digits))
		return false;
	memcpy(digits, s, len);
	digits[len] = '\0';
	return pm_u64(digits, v);
}

/* A duration: digits and ns, us, ms or s, at most a day. */
static bool pm_ns(const char *s, u64 *ns)
{
	static const struct {
		const char *unit;
		u64 ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 },
	};
	size_t n = strspn(s, "0123456789");
	unsigned int i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(s + n, units[i].unit))
			break;
	if (i == ARRAY_SIZE(units) || !pm_u64_prefix(s, n, &v) ||
	    v > PM_DAY_NS / units[i].ns)
		return false;
	*ns = v * units[i].ns;
	return true;
}

/* delay=T or delay=T~J, J no more than T. */
static bool pm_delay(const char *s, struct swapfail_act *act)
{
	const char *tilde = strchr(s, '~');
	char t[24];

	if (!tilde)
		return pm_ns(s, &act->delay_ns);
	if ((size_t)(tilde - s) >= sizeof(t))
		return false;
	memcpy(t, s, tilde - s);
	t[tilde - s] = '\0';
	return pm_ns(t, &act->delay_ns) && pm_ns(tilde + 1, &act->jitter_ns) &&
	       act->jitter_ns <= act->delay_ns;
}

/* A probability: 0 to 1, to the billionth ("1.0" is 1, "1.5" is not). */
static bool pm_ppb(const char *s, u32 *ppb)
{
	const char *dot = strchr(s, '.');
	u64 whole, part = 0;
	size_t digits;

	if (!pm_u64_prefix(s, dot ? (size_t)(dot - s) : strlen(s), &whole) ||
	    whole > 1)
		return false;
	if (dot) {
		digits = strlen(dot + 1);
		if (!digits || digits > 9 || !pm_u64(dot + 1, &part))
			return false;
		for (; digits < 9; digits++)
			part *= 10;
	}
	if (whole && part)
		return false;
	*ppb = whole ? SWAPFAIL_PPB : part;
	return true;
}

static int pm_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* xor=HH: a byte in hex (kstrtou8's, so 0x may lead), not 0. */
static bool pm_xor(const char *s, u8 *x)
{
	const char *p = s;
	u32 v = 0;
	int d;

	if (pm_hex_digit(s[0]) < 0)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		p += 2;
	if (!*p)
		return false;
	for (; *p; p++) {
		d = pm_hex_digit(*p);
		if (d < 0)
			return false;
		v = v * 16 + d;
		if (v > 255)
			return false;
	}
	if (!v)
		return false;
	*x = v;
	return true;
}

/* Words that are attributes: key=value, or the bare hold and drop. */
static bool pm_is_attr(const char *s)
{
	return strchr(s, '=') || !strcmp(s, "hold") || !strcmp(s, "drop");
}

/*
 * One attribute of an add or a trigger message, each key once: mode,
 * count, error, wr_fail, an action (delay, hold, drop, corrupt), corrupt's
 * at, bytes, xor and seed, and match.  A bad value is refused for what is
 * wrong with it before a key given twice.
 */
static int pm_attr(struct pmsg *m, const char *s, u32 *seen)
{
	const char *eq = strchr(s, '='), *v = eq ? eq + 1 : NULL;
	size_t len = eq ? (size_t)(eq - s) : strlen(s);
	struct swapfail_attr *a = &m->attr;
	struct swapfail_act *act = &a->act;
	const char *bad = NULL;
	char key[16];
	int k = -1, i;
	u32 n;

	if (len >= sizeof(key))
		return pm_fail(m, PM_UNKNOWN_ATTR);
	memcpy(key, s, len);
	key[len] = '\0';
	if (!v) {
		if (!strcmp(key, "hold") || !strcmp(key, "drop")) {
			k = PK_ACTION;
			act->kind = key[0] == 'h' ? SWAPFAIL_ACT_HOLD :
						   SWAPFAIL_ACT_DROP;
		}
	} else if (!strcmp(key, "mode")) {
		k = PK_MODE;
		i = pm_name(v, mode_names, SWAPFAIL_MODE_READ,
			    SWAPFAIL_MODE_RW);
		if (i < 0)
			bad = "invalid mode: use read, write or rw";
		else
			a->mode = i;
	} else if (!strcmp(key, "count")) {
		k = PK_COUNT;
		if (!pm_u32(v, &n) || !n)
			bad = "invalid count: use 1 to 4294967295";
		else
			a->count = n;
	} else if (!strcmp(key, "error")) {
		k = PK_ERROR;
		i = pm_error_name(v);
		if (i < 0)
			bad = "invalid error name";
		else
			a->error = i;
	} else if (!strcmp(key, "wr_fail")) {
		k = PK_WR_FAIL;
		if (!pm_u32(v, &n) || n > SWAPFAIL_MAX_WR_FAIL)
			bad = "invalid wr_fail: use 0 to 255";
		else
			a->wr_fail = n;
	} else if (!strcmp(key, "delay")) {
		k = PK_ACTION;
		act->kind = SWAPFAIL_ACT_DELAY;
		if (!pm_delay(v, act))
			bad = PM_BAD_ACTION;
	} else if (!strcmp(key, "hold")) {
		k = PK_ACTION;
		act->kind = SWAPFAIL_ACT_HOLD;
		if (!pm_ns(v, &act->hold_ns) || !act->hold_ns)
			bad = "invalid hold: a time above 0, or hold alone for no limit";
	} else if (!strcmp(key, "corrupt")) {
		k = PK_ACTION;
		act->kind = SWAPFAIL_ACT_CORRUPT;
		if (!strcmp(v, "xor"))
			act->corrupt = SWAPFAIL_CORRUPT_XOR;
		else if (!strcmp(v, "random"))
			act->corrupt = SWAPFAIL_CORRUPT_RANDOM;
		else
			bad = PM_BAD_ACTION;
	} else if (!strcmp(key, "at")) {
		k = PK_AT;
		if (!pm_u32(v, &act->at))
			bad = "invalid at: a byte offset into the I/O";
	} else if (!strcmp(key, "bytes")) {
		k = PK_BYTES;
		if (!pm_u32(v, &n) || !n || n > SWAPFAIL_MAX_CORRUPT)
			bad = "invalid bytes: use 1 to 64";
		else
			act->bytes = n;
	} else if (!strcmp(key, "xor")) {
		k = PK_XOR;
		if (!pm_xor(v, &act->xor))
			bad = "invalid xor: a byte in hex, 01 to ff";
	} else if (!strcmp(key, "seed")) {
		k = PK_SEED;
		if (!pm_u64(v, &act->seed))
			bad = "invalid seed";
	} else if (!strcmp(key, "match")) {
		k = PK_MATCH;
		if (!strcmp(v, "swap"))
			act->match = SWAPFAIL_MATCH_SWAP;
		else if (strcmp(v, "all"))
			bad = "invalid match: use swap or all";
	}
	if (k < 0)
		return pm_fail(m, PM_UNKNOWN_ATTR);
	if (bad)
		return pm_fail(m, bad);
	if (*seen & BIT(k))
		return pm_fail(m, "attribute given twice");
	*seen |= BIT(k);
	return 0;
}

/*
 * What an action allows of the rest: at, bytes, xor and seed are
 * corrupt's (xor its xor's, seed its random's); error is the error
 * action's; drop is a write's (a mode=write range, or a write trigger);
 * wr_fail, a mode=read error's.
 */
static int pm_act_check(struct pmsg *m, u32 seen)
{
	const struct swapfail_act *act = &m->attr.act;
	bool corrupt = act->kind == SWAPFAIL_ACT_CORRUPT;

	if (!corrupt && (seen & (BIT(PK_AT) | BIT(PK_BYTES) | BIT(PK_XOR) |
				 BIT(PK_SEED))))
		return pm_fail(m, "at, bytes, xor and seed go with corrupt "
			       "only");
	if (corrupt && (seen & BIT(act->corrupt == SWAPFAIL_CORRUPT_XOR ?
				   PK_SEED : PK_XOR)))
		return pm_fail(m, "xor goes with corrupt=xor, seed with "
			       "corrupt=random");
	if (act->kind != SWAPFAIL_ACT_ERROR && (seen & BIT(PK_ERROR)))
		return pm_fail(m, "error goes with an error action only");
	if (act->kind == SWAPFAIL_ACT_DROP &&
	    m->attr.mode != SWAPFAIL_MODE_WRITE)
		return pm_fail(m, "drop applies to mode=write only");
	if (m->attr.wr_fail && (m->attr.mode != SWAPFAIL_MODE_READ ||
				act->kind != SWAPFAIL_ACT_ERROR))
		return pm_fail(m, "wr_fail applies to mode=read errors only");
	return 0;
}

/*
 * The action after an every_nth or probability value: attributes only,
 * with no mode, count or wr_fail; the trigger's direction is its mode
 * (drop: writes only), and error=NAME its error.
 */
static int pm_trigger_act(struct pmsg *m, unsigned int argc, char **argv)
{
	unsigned int i;
	u32 seen = 0;

	pm_act_init(&m->attr.act);
	m->attr.mode = m->dir == W ? SWAPFAIL_MODE_WRITE : SWAPFAIL_MODE_READ;
	for (i = 0; i < argc; i++) {
		if (!pm_is_attr(argv[i]))
			return pm_fail(m, PM_UNKNOWN_ATTR);
		if (pm_attr(m, argv[i], &seen))
			return -EINVAL;
		if (seen & (BIT(PK_MODE) | BIT(PK_COUNT) | BIT(PK_WR_FAIL)))
			return pm_fail(m, "a trigger takes no mode, count or "
				       "wr_fail");
	}
	m->attr.act.error = m->attr.error;
	return pm_act_check(m, seen);
}

static int pm_dust_block(struct pmsg *m, const char *s, u64 nr_blocks)
{
	struct swapfail_range *r = &m->ranges[0];

	if (!pm_u64(s, &r->first))
		return pm_fail(m, "invalid block number");
	if (r->first >= nr_blocks)
		return pm_fail(m, "selected block value out of range");
	r->last = r->first;
	m->nr_ranges = 1;
	return 0;
}

static int pm_args(struct pmsg *m, const struct pm_verb *v,
		   unsigned int argc, char **argv, u64 nr_blocks)
{
	unsigned int i;
	u32 seen = 0, value;
	int e;

	switch (v->kind) {
	case PM_ADD:
		m->attr.mode = SWAPFAIL_MODE_READ;
		pm_act_init(&m->attr.act);
		for (i = 0; i < argc; i++)
			if (pm_is_attr(argv[i]) ? pm_attr(m, argv[i], &seen) :
			    pm_range_word(m, argv[i], nr_blocks))
				return -EINVAL;
		if (!m->nr_ranges)
			return pm_fail(m, "add needs at least one range");
		return pm_act_check(m, seen);
	case PM_RANGES:
		for (i = 0; i < argc; i++)
			if (pm_range_word(m, argv[i],
					  v->any_block ? U64_MAX_ : nr_blocks))
				return -EINVAL;
		return 0;
	case PM_DUST_ADD:
		if (argc == 2 && (!pm_u32(argv[1], &value) ||
				  value > SWAPFAIL_MAX_WR_FAIL))
			return pm_fail(m, "selected write fail count out of "
				       "range");
		m->attr.mode = SWAPFAIL_MODE_READ;
		m->attr.wr_fail = argc == 2 ? value : 0;
		return pm_dust_block(m, argv[0], nr_blocks);
	case PM_DUST_BLOCK:
		return pm_dust_block(m, argv[0], nr_blocks);
	case PM_QUIET:
		m->verb = SWAPFAIL_MSG_QUIET;
		if (!strcasecmp(argv[0], "on") || !strcasecmp(argv[0], "off")) {
			m->value = !strcasecmp(argv[0], "on");
			return 0;
		}
		return pm_fail(m, "quiet takes on or off");
	case PM_NTH:
		if (!pm_u32(argv[0], &m->value))
			return pm_fail(m, "every_nth takes 0 (off) to "
				       "4294967295");
		return pm_trigger_act(m, argc - 1, argv + 1);
	case PM_PROB:
		if (!pm_ppb(argv[0], &m->value))
			return pm_fail(m, "probability takes 0 to 1, e.g. 0.01");
		return pm_trigger_act(m, argc - 1, argv + 1);
	case PM_SEED:
		if (!pm_u64(argv[0], &m->seed))
			return pm_fail(m, "invalid seed");
		return 0;
	case PM_RELEASE:
		/* release [fail [error=E]] [<range>...] */
		i = 0;
		if (!strcmp(argv[0], "fail")) {
			m->value = 1;
			i++;
			if (i < argc && !strncmp(argv[i], "error=", 6)) {
				e = pm_error_name(argv[i] + 6);
				if (e < 0)
					return pm_fail(m, "invalid error name");
				m->attr.error = e;
				i++;
			}
		}
		for (; i < argc; i++)
			if (pm_range_word(m, argv[i], nr_blocks))
				return -EINVAL;
		return 0;
	case PM_ERROR:
		e = pm_error_name(argv[0]);
		if (e < 0)
			return pm_fail(m, "invalid error name");
		m->value = e;
		return 0;
	default:
		return 0;
	}
}

static int pm_msg(struct pmsg *m, unsigned int argc, char **argv,
		  u64 nr_blocks)
{
	const struct pm_verb *v = NULL;
	unsigned int i;

	memset(m, 0, sizeof(*m));
	m->ranges = xcalloc(argc + 1, sizeof(*m->ranges));
	for (i = 0; argc && i < ARRAY_SIZE(pm_verbs) && !v; i++)
		if (!strcasecmp(argv[0], pm_verbs[i].name))
			v = &pm_verbs[i];
	if (!v)
		return pm_fail(m, "unrecognised message");
	if ((int)(argc - 1) < v->min ||
	    (v->max >= 0 && (int)(argc - 1) > v->max))
		return pm_fail(m, "wrong number of arguments");
	m->verb = v->verb;
	m->edits = v->edits;
	m->answers = v->answers;
	m->dir = v->dir;
	if (argc == 1)
		return 0;
	return pm_args(m, v, argc - 1, argv + 1, nr_blocks);
}

static bool pm_adds(const struct pmsg *m)
{
	return m->verb == SWAPFAIL_MSG_ADD || m->verb == SWAPFAIL_MSG_DUST_ADD;
}

static bool pm_triggers(const struct pmsg *m)
{
	return m->verb == SWAPFAIL_MSG_EVERY_NTH ||
	       m->verb == SWAPFAIL_MSG_PROBABILITY;
}

static bool pm_removes(const struct pmsg *m)
{
	return m->verb == SWAPFAIL_MSG_REMOVE ||
	       m->verb == SWAPFAIL_MSG_DUST_REMOVE;
}

/* The core's parse of a message against the model's. */
static void check_parse(const struct pmsg *pm, int pr,
			const struct swapfail_msg *cm, const char *perr)
{
	u32 i;

	CHECK_MSG(pr == pm->r, "message parsed to %d (%s), model %d (%s)", pr,
		  str_or_null(perr), pm->r, str_or_null(pm->error));
	if (pr) {
		CHECK_MSG(perr && !strcmp(perr, pm->error), "message refused "
			  "for '%s', model '%s'", str_or_null(perr),
			  pm->error);
		return;
	}
	CHECK(cm->verb == pm->verb && cm->edits == pm->edits &&
	      cm->answers == pm->answers);
	CHECK_MSG(cm->nr_ranges == pm->nr_ranges, "%u ranges, model %u",
		  cm->nr_ranges, pm->nr_ranges);
	for (i = 0; i < pm->nr_ranges; i++)
		CHECK_MSG(cm->ranges[i].first == pm->ranges[i].first &&
			  cm->ranges[i].last == pm->ranges[i].last,
			  "range %u parsed as %llu-%llu, model %llu-%llu", i,
			  cm->ranges[i].first, cm->ranges[i].last,
			  pm->ranges[i].first, pm->ranges[i].last);
	if (pm_adds(pm))
		CHECK(cm->attr.mode == pm->attr.mode &&
		      cm->attr.count == pm->attr.count &&
		      cm->attr.error == pm->attr.error &&
		      cm->attr.wr_fail == pm->attr.wr_fail &&
		      act_same(&cm->attr.act, &pm->attr.act));
	if (pm_triggers(pm))
		CHECK_MSG(cm->dir == pm->dir &&
			  act_same(&cm->attr.act, &pm->attr.act), "trigger's "
			  "action parsed as %u, model %u", cm->attr.act.kind,
			  pm->attr.act.kind);
	if (pm_triggers(pm) || pm->verb == SWAPFAIL_MSG_ERROR ||
	    pm->verb == SWAPFAIL_MSG_QUIET || pm->verb == SWAPFAIL_MSG_RELEASE)
		CHECK_MSG(cm->value == pm->value, "value parsed as %u, model "
			  "%u", cm->value, pm->value);
	if (pm->verb == SWAPFAIL_MSG_RELEASE)
		CHECK(cm->attr.error == pm->attr.error);
	if (pm->verb == SWAPFAIL_MSG_SEED)
		CHECK(cm->seed == pm->seed);
}

/* Table lines */

struct pctr {
	int r;
	const char *error;
	u64 offset;
	u32 block_size;
	u32 block_shift;
	u32 features;
	struct swapfail_policy policy;
};

static int pc_fail(struct pctr *c, const char *error)
{
	c->error = error;
	c->r = -EINVAL;
	return -EINVAL;
}

/* <dev> <offset> <block_size> [<#feature_args> <feature_arg>...] */
static int pm_ctr(struct pctr *c, unsigned int argc, char **argv,
		  u64 sectors)
{
	static const struct {
		const char *name;
		const char *bad_value;	/* NULL: takes no value */
	} feats[] = {
		{ "start_enabled", NULL },
		{ "quiet", NULL },
		{ "every_nth_read", "Invalid every_nth_read value" },
		{ "every_nth_write", "Invalid every_nth_write value" },
		{ "error", "Invalid error name" },
		{ "probability_read", "Invalid probability_read value" },
		{ "probability_write", "Invalid probability_write value" },
		{ "seed", "Invalid seed" },
	};
	unsigned int i, k, left, nr;
	u32 bs;
	int e;

	memset(c, 0, sizeof(*c));
	swapfail_policy_init(&c->policy);
	if (argc < 3)
		return pc_fail(c, "Invalid argument count");
	if (!pm_u64(argv[1], &c->offset) || c->offset > U64_MAX_ - sectors)
		return pc_fail(c, "Invalid device offset sector");
	if (!pm_u32(argv[2], &bs) || !bs)
		return pc_fail(c, "Invalid block size parameter");
	if (bs < 512)
		return pc_fail(c, "Block size must be at least 512");
	if (bs & (bs - 1))
		return pc_fail(c, "Block size must be a power of 2");
	if (bs > SWAPFAIL_MAX_BLOCK_SIZE || bs / 512 > sectors)
		return pc_fail(c, "Block size is too large");
	c->block_size = bs;
	for (c->block_shift = 0; 512U << c->block_shift < bs; c->block_shift++)
		;
	if (argc == 3)
		return 0;
	left = argc - 4;
	/* 14: every feature, values included */
	if (!pm_u32(argv[3], &nr) || nr > 14 || nr != left)
		return pc_fail(c, "Invalid number of feature arguments");
	for (i = 4; i < argc; i++) {
		for (k = 0; k < ARRAY_SIZE(feats); k++)
			if (!strcasecmp(argv[i], feats[k].name))
				break;
		if (k == ARRAY_SIZE(feats))
			return pc_fail(c, "Unrecognised feature requested");
		if (c->features & BIT(k))
			return pc_fail(c, "Feature given twice");
		c->features |= BIT(k);
		switch (k) {
		case 0:
			c->policy.enabled = true;
			continue;
		case 1:
			c->policy.quiet = true;
			continue;
		}
		if (++i == argc)
			return pc_fail(c, feats[k].bad_value);
		if (k == 4) {
			e = pm_error_name(argv[i]);
			if (e < 0)
				return pc_fail(c, feats[k].bad_value);
			c->policy.error = e;
		} else if (k == 5 || k == 6) {
			if (!pm_ppb(argv[i], &c->policy.probability[k - 5]))
				return pc_fail(c, feats[k].bad_value);
		} else if (k == 7) {
			if (!pm_u64(argv[i], &c->policy.seed))
				return pc_fail(c, feats[k].bad_value);
		} else if (!pm_u32(argv[i], &c->policy.every_nth[k - 2])) {
			return pc_fail(c, feats[k].bad_value);
		}
	}
	return 0;
}

/* The table against the model */

/* Every extent of a tree, in order, and how many nodes hold them. */
struct twalk {
	struct swapfail_extent *ext;
	u32 nr;
	u32 size;
	long nodes;
	bool shared;		/* a node held twice */
};

static void twalk_node(const struct swapfail_node *node, struct twalk *w)
{
	u32 i;

	w->nodes++;
	w->shared |= node->ref != 1;
	if (node->level) {
		for (i = 0; i < node->nr; i++)
			twalk_node(node->child[i], w);
		return;
	}
	for (i = 0; i < node->nr; i++) {
		if (w->nr == w->size) {
			w->size = w->size ? 2 * w->size : 64;
			w->ext = xrealloc(w->ext, w->size * sizeof(*w->ext));
		}
		w->ext[w->nr++] = node->ext[i];
	}
}

/* Walks @t into @w, whose array (kept from walk to walk) it reuses. */
static void twalk(const struct swapfail_tree *t, struct twalk *w)
{
	w->nr = 0;
	w->nodes = 0;
	w->shared = false;
	if (t->root)
		twalk_node(t->root, w);
}

static struct twalk walk;

/* Which model rule each rule in the tree is. */
struct rmap {
	const struct swapfail_rule *ptr;
	u32 id;
};

static struct rmap *rmap;		/* of the last check_model() */
static u32 rmap_nr;

static int rmap_by_ptr(const void *a, const void *b)
{
	const struct rmap *x = a, *y = b;

	if (x->ptr != y->ptr)
		return (uintptr_t)x->ptr < (uintptr_t)y->ptr ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int rmap_by_id(const void *a, const void *b)
{
	const struct rmap *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (uintptr_t)x->ptr < (uintptr_t)y->ptr ? -1 :
	       (uintptr_t)x->ptr > (uintptr_t)y->ptr;
}

/* The model rule a rule of the tree was at the last check, or 0. */
static u32 rmap_find(const struct swapfail_rule *ptr)
{
	u32 lo = 0, hi = rmap_nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (rmap[mid].ptr == ptr)
			return rmap[mid].id;
		if ((uintptr_t)rmap[mid].ptr < (uintptr_t)ptr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void check_tree_valid(const struct swapfail_tree *t, const char *name)
{
	char why[128];

	CHECK_MSG(tt_valid(t, why, sizeof(why)), "%s tree invalid: %s", name,
		  why);
}

static u32 queued_unheld(void)
{
	const struct swapfail_rule *rule;
	u32 n = 0;

	for (rule = dev.table.spent; rule; rule = rule->next) {
		CHECK(rule->queued);
		n += !rule->ref;
	}
	return n;
}

/* The policy a table line can say. */
static bool policy_equal(const struct swapfail_policy *a,
			 const struct swapfail_policy *b)
{
	return a->enabled == b->enabled && a->quiet == b->quiet &&
	       a->error == b->error && a->every_nth[R] == b->every_nth[R] &&
	       a->every_nth[W] == b->every_nth[W] &&
	       a->probability[R] == b->probability[R] &&
	       a->probability[W] == b->probability[W] && a->seed == b->seed;
}

/* ... and the triggers' actions, which messages alone set. */
static bool policy_same(const struct swapfail_policy *a,
			const struct swapfail_policy *b)
{
	return policy_equal(a, b) && act_same(&a->trigger[R], &b->trigger[R]) &&
	       act_same(&a->trigger[W], &b->trigger[W]);
}

/*
 * The bounds the target's map reads to pass most I/O without a look at
 * the tree: the first start and the last end, spent extents included.
 */
static void check_bounds(const char *what)
{
	u64 lo = U64_MAX_, hi = 0, tlo, thi;
	u32 i;

	for (i = 0; i < model.nr; i++) {
		if (!model.seg[i].mode)
			continue;
		if (lo == U64_MAX_)
			lo = model.seg[i].start;
		hi = seg_end(&model, i);
	}
	swapfail_tree_bounds(&dev.table.live, &tlo, &thi);
	CHECK_MSG(tlo == lo && thi == hi, "%s: bounds %llu-%llu, model "
		  "%llu-%llu", what, tlo, thi, lo, hi);
}

/*
 * The live tree is the model, extent for extent: runs alike are one
 * extent, each rule of the model is one rule of the tree (its pieces share
 * it, and rule->ref counts them), with what is left of its counters.  The
 * nodes allocated are the tree's and the reserve's; the rules, those the
 * tree holds and those queued that no leaf holds.  Outside an edit no
 * node is shared: an edit's old tree was released whole.
 */
static void check_model(const char *what)
{
	const struct swapfail_extent *e;
	const struct mrule *mr;
	const struct mseg *s;
	struct twalk *w = &walk;
	char why[128];
	u64 extents, blocks;
	u32 i, j, n, distinct = 0;

	check_tree_valid(&dev.table.live, "live");
	CHECK_MSG(tt_compact(&dev.table.live, why, sizeof(why)), "%s: table not "
		  "compact: %s", what, why);
	twalk(&dev.table.live, w);
	CHECK_MSG(!w->shared, "%s: a node of the live tree is held twice",
		  what);
	CHECK(!dev.table.mem.dropped && !dev.table.mem.dropped_rules);
	CHECK_MSG(dev.nodes == w->nodes + (long)dev.table.mem.nr_free, "%s: %ld nodes"
		  " allocated, %ld in the tree and %u in the reserve", what,
		  dev.nodes, w->nodes, dev.table.mem.nr_free);
	model_totals(&model, &extents, &blocks);
	CHECK_MSG(dev.table.live.extents == extents && dev.table.live.blocks == blocks,
		  "%s: the tree has %llu extents of %llu blocks, the model "
		  "%llu of %llu", what, dev.table.live.extents, dev.table.live.blocks,
		  extents, blocks);
	CHECK(w->nr == extents);
	check_bounds(what);

	rmap = xrealloc(rmap, (w->nr + 1) * sizeof(*rmap));
	rmap_nr = 0;
	for (i = 0, j = 0; i < model.nr; i++) {
		s = &model.seg[i];
		if (!s->mode)
			continue;
		e = &w->ext[j++];
		CHECK_MSG(e->start == s->start &&
			  e->end == seg_end(&model, i) &&
			  e->mode == s->mode && e->error == s->error &&
			  !e->rule == !s->rule, "%s: extent %llu-%llu mode=%s "
			  "error=%s rule=%d, model %llu-%llu mode=%s error=%s "
			  "rule=%u", what, e->start, e->end - 1,
			  mode_names[e->mode & 3], error_names[e->error & 7],
			  !!e->rule, s->start, seg_end(&model, i) - 1,
			  mode_names[s->mode], error_names[s->error], s->rule);
		if (e->rule)
			rmap[rmap_nr++] = (struct rmap){ e->rule, s->rule };
	}

	/* one model rule per tree rule, and one tree rule per model rule */
	qsort(rmap, rmap_nr, sizeof(*rmap), rmap_by_id);
	for (i = 1; i < rmap_nr; i++)
		CHECK_MSG(rmap[i].id != rmap[i - 1].id ||
			  rmap[i].ptr == rmap[i - 1].ptr, "%s: the pieces of "
			  "one range have rules of their own", what);
	qsort(rmap, rmap_nr, sizeof(*rmap), rmap_by_ptr);
	for (i = 0; i < rmap_nr; i = j) {
		for (j = i; j < rmap_nr && rmap[j].ptr == rmap[i].ptr; j++)
			CHECK_MSG(rmap[j].id == rmap[i].id, "%s: extents of "
				  "two ranges share a rule", what);
		n = j - i;
		distinct++;
		mr = &model.rule[rmap[i].id];
		CHECK_MSG(rmap[i].ptr->ref == n, "%s: rule held by %u extents "
			  "counts %u", what, n, rmap[i].ptr->ref);
		CHECK_MSG(act_same(&rmap[i].ptr->act, &mr->act), "%s: rule "
			  "of %llu-%llu has action %u, model %u", what,
			  mr->first, mr->last, rmap[i].ptr->act.kind,
			  mr->act.kind);
		CHECK_MSG(rmap[i].ptr->has_count == mr->has_count &&
			  (u32)atomic64_read(&rmap[i].ptr->count_left) ==
			  mr->count_left &&
			  (u32)atomic_read(&rmap[i].ptr->wr_fail_left) ==
			  mr->wr_fail_left &&
			  rmap[i].ptr->first == mr->first &&
			  rmap[i].ptr->last == mr->last, "%s: rule of %llu-%llu"
			  " has count %lld (%d) wr_fail %d, model %llu-%llu "
			  "count %u (%d) wr_fail %u", what, rmap[i].ptr->first,
			  rmap[i].ptr->last,
			  (long long)atomic64_read(&rmap[i].ptr->count_left),
			  rmap[i].ptr->has_count,
			  atomic_read(&rmap[i].ptr->wr_fail_left), mr->first,
			  mr->last, mr->count_left, mr->has_count,
			  mr->wr_fail_left);
	}
	/* keep the unique pairs, sorted by pointer, for rmap_find() */
	for (i = 0, n = 0; i < rmap_nr; i++)
		if (!n || rmap[n - 1].ptr != rmap[i].ptr)
			rmap[n++] = rmap[i];
	rmap_nr = n;
	CHECK_MSG(dev.rules == (long)(distinct + queued_unheld()), "%s: %ld "
		  "rules allocated, %u in the tree, %u queued", what,
		  dev.rules, distinct, queued_unheld());
	CHECK(policy_same(&dev.policy, &model.policy));
	for (i = 0; i < SWAPFAIL_NR_DIRS; i++)
		CHECK_MSG((u64)atomic64_read(&tgt_nth[i]) == model.nth_io[i] &&
			  (u64)atomic64_read(&tgt_prob[i]) == model.prob_io[i],
			  "%s: %s trigger counted %lld and %lld I/Os, model "
			  "%llu and %llu", what, i == W ? "write" : "read",
			  atomic64_read(&tgt_nth[i]),
			  atomic64_read(&tgt_prob[i]), model.nth_io[i],
			  model.prob_io[i]);
}

/* Answers */

/* A duration in the largest unit it is a whole number of. */
static void model_emit_ns(struct sb *s, const char *key, u64 ns)
{
	static const struct {
		const char *unit;
		u64 ns;
	} units[] = {
		{ "s", 1000000000 }, { "ms", 1000000 }, { "us", 1000 },
		{ "ns", 1 },
	};
	unsigned int i;

	for (i = 0; ns % units[i].ns; i++)
		;
	sb_printf(s, "%s%llu%s", key, ns / units[i].ns, units[i].unit);
}

/* An action's words, as add takes them back; nothing for an error. */
static void model_emit_act(struct sb *s, const struct swapfail_act *a)
{
	switch (a->kind) {
	case SWAPFAIL_ACT_DELAY:
		model_emit_ns(s, " delay=", a->delay_ns);
		if (a->jitter_ns)
			model_emit_ns(s, "~", a->jitter_ns);
		break;
	case SWAPFAIL_ACT_HOLD:
		sb_printf(s, " hold");
		if (a->hold_ns)
			model_emit_ns(s, "=", a->hold_ns);
		break;
	case SWAPFAIL_ACT_DROP:
		sb_printf(s, " drop");
		break;
	case SWAPFAIL_ACT_CORRUPT:
		if (a->corrupt == SWAPFAIL_CORRUPT_XOR)
			sb_printf(s, " corrupt=xor at=%u bytes=%u xor=%02x",
				  a->at, a->bytes, a->xor);
		else
			sb_printf(s, " corrupt=random at=%u bytes=%u seed=%llu",
				  a->at, a->bytes, a->seed);
		break;
	}
	if (a->match == SWAPFAIL_MATCH_SWAP)
		sb_printf(s, " match=swap");
}

/*
 * A trigger's action in the status line: its words as the message takes
 * them, joined by commas after @key=, "error" (or error=NAME) for none.
 */
static void model_emit_trigger(struct sb *s, const char *key,
			       const struct swapfail_act *a)
{
	struct sb words;
	size_t i;

	sb_init(&words, 1024);
	if (a->kind == SWAPFAIL_ACT_ERROR)
		sb_printf(&words, " error%s%s", a->error ? "=" : "",
			  a->error ? error_names[a->error] : "");
	model_emit_act(&words, a);
	for (i = 0; i < words.len; i++)
		if (words.buf[i] == ' ')
			words.buf[i] = i ? ',' : '=';
	sb_printf(s, " %s%s", key, words.buf);
	free(words.buf);
}

/* A probability as a fraction: 0, 1, or 0. and its digits, no zeros after. */
static void model_emit_ppb(struct sb *s, const char *key, u32 ppb)
{
	char digits[16];
	int n;

	if (!ppb || ppb >= SWAPFAIL_PPB) {
		sb_printf(s, "%s%d", key, !!ppb);
		return;
	}
	n = snprintf(digits, sizeof(digits), "%09u", ppb);
	while (digits[n - 1] == '0')
		digits[--n] = '\0';
	sb_printf(s, "%s0.%s", key, digits);
}

static void model_emit_extent(struct sb *s, const struct model *m, u32 i)
{
	const struct mseg *seg = &m->seg[i];
	const struct mrule *rule = seg->rule ? &m->rule[seg->rule] : NULL;

	sb_printf(s, "%llu-%llu mode=%s", seg->start, seg_end(m, i) - 1,
		  mode_names[seg->mode]);
	if (rule && rule->has_count)
		sb_printf(s, " count=%u", rule->count_left);
	if (rule && rule->wr_fail_left)
		sb_printf(s, " wr_fail=%u", rule->wr_fail_left);
	if (seg->error)
		sb_printf(s, " error=%s", error_names[seg->error]);
	if (rule)
		model_emit_act(s, &rule->act);
	sb_printf(s, "\n");
}

static int range_cmp(const void *a, const void *b)
{
	const struct swapfail_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* Sorted, merged copy of @n ranges; returns how many. */
static u32 model_union(const struct swapfail_range *r, u32 n,
		       struct swapfail_range *out)
{
	u32 i, m = 0;

	if (n)
		memcpy(out, r, n * sizeof(*r));
	qsort(out, n, sizeof(*out), range_cmp);
	for (i = 0; i < n; i++) {
		if (m && out[i].first <= out[m - 1].last + 1) {
			if (out[i].last > out[m - 1].last)
				out[m - 1].last = out[i].last;
			continue;
		}
		out[m++] = out[i];
	}
	return m;
}

/* Extents not spent that overlap ranges @u (all if !n): once each. */
static bool model_listed(const struct model *m, u32 i,
			 const struct swapfail_range *u, u32 n)
{
	u32 j;

	if (!seg_live(m, &m->seg[i]))
		return false;
	for (j = 0; j < n; j++)
		if (overlap(m->seg[i].start, seg_end(m, i), u[j].first,
			    u[j].last + 1))
			return true;
	return !n;
}

/* Bytes of "N\n" for each block N in start..end - 1; saturates. */
static u64 lines_bytes(u64 start, u64 end)
{
	u64 lo = 0, hi = 10, bytes = 0, n;
	unsigned int digits;

	for (digits = 1; digits <= 20; digits++) {
		n = overlap(lo, hi, start, end);
		if (n > (U64_MAX_ - bytes) / (digits + 1))
			return U64_MAX_;
		bytes += n * (digits + 1);
		lo = hi;
		hi = digits == 19 ? U64_MAX_ : hi * 10;
	}
	return bytes;
}

/*
 * The model's answer to a question from table @m: 0, or -EINVAL with a
 * reason for a listbadblocks answer over what dm-ioctl can return.
 */
static int model_answer(struct sb *s, const struct model *m,
			const struct pmsg *pm, const char **error)
{
	struct swapfail_range *u;
	u64 extents = 0, blocks = 0, bytes = 0, b, total;
	u32 i, n;

	switch (pm->verb) {
	case SWAPFAIL_MSG_QUERY:
		for (i = 0; i < pm->nr_ranges; i++)
			sb_printf(s, "%llu-%llu bad=%llu\n",
				  pm->ranges[i].first, pm->ranges[i].last,
				  model_bad_in(m, pm->ranges[i].first,
					       pm->ranges[i].last));
		return 0;
	case SWAPFAIL_MSG_LIST:
	case SWAPFAIL_MSG_COUNT:
		u = xcalloc(pm->nr_ranges, sizeof(*u));
		n = model_union(pm->ranges, pm->nr_ranges, u);
		for (i = 0; i < m->nr; i++) {
			if (!model_listed(m, i, u, n))
				continue;
			extents++;
			if (pm->verb == SWAPFAIL_MSG_LIST)
				model_emit_extent(s, m, i);
		}
		for (i = 0; i < n; i++)
			blocks += model_bad_in(m, u[i].first, u[i].last);
		if (!n)
			blocks = model_live_blocks(m);
		if (pm->verb == SWAPFAIL_MSG_COUNT)
			sb_printf(s, "extents=%llu blocks=%llu", extents,
				  blocks);
		free(u);
		return 0;
	case SWAPFAIL_MSG_DUST_QUERY:
		b = pm->ranges[0].first;
		sb_printf(s, "dust_query_block: block %llu %s in badblocklist",
			  b, model_bad_in(m, b, b) ? "found" : "not found");
		return 0;
	case SWAPFAIL_MSG_DUST_COUNT:
		sb_printf(s, "countbadblocks: %llu badblock(s) found",
			  model_live_blocks(m));
		return 0;
	case SWAPFAIL_MSG_DUST_LIST:
		/* stops past the limit: one more term cannot wrap the sum */
		for (i = 0; i < m->nr && bytes <= LIST_LIMIT; i++) {
			if (!seg_live(m, &m->seg[i]))
				continue;
			b = lines_bytes(m->seg[i].start, seg_end(m, i));
			bytes = b > U64_MAX_ - bytes ? U64_MAX_ : bytes + b;
		}
		if (bytes > LIST_LIMIT) {
			*error = "too many blocks for one answer: use list";
			return -EINVAL;
		}
		if (!model_live_blocks(m))
			sb_printf(s, "No blocks in badblocklist");
		for (i = 0; i < m->nr && !sb_full(s); i++)
			for (b = m->seg[i].start; seg_live(m, &m->seg[i]) &&
			     b < seg_end(m, i) && !sb_full(s); b++)
				sb_printf(s, "%llu\n", b);
		return 0;
	case SWAPFAIL_MSG_DUST_CLEAR:
		sb_printf(s, "dust_clear_badblocks: %s",
			  model_live_blocks(m) ? "badblocks cleared" :
						 "no badblocks found");
		return 0;
	case SWAPFAIL_MSG_STATS:
		/* table-util's counters are all zero: the target keeps them */
		model_totals(m, &total, &blocks);
		sb_printf(s, "extents=%llu blocks=%llu reads=0 writes=0 "
			  "read_errors=0 write_errors=0 healed=0 deferred=0 "
			  "delayed=0 held=0 dropped=0 corrupted=0", total,
			  blocks);
		return 0;
	case SWAPFAIL_MSG_HELD:
		/* the target holds I/O; table-util holds none */
		return 0;
	default:
		return 0;
	}
}

/* Edits */

/*
 * The rules an add creates, one per range (sorted) when it has a count, a
 * wr_fail, an action or a match, as model ids in @ids; 0 for none.
 */
static void model_new_rules(struct model *m, const struct pmsg *pm,
			    const struct swapfail_range *sorted, u32 *ids)
{
	u32 k;

	const struct swapfail_act *act = &pm->attr.act;
	bool rules = pm->attr.count || pm->attr.wr_fail ||
		     act->kind != SWAPFAIL_ACT_ERROR ||
		     act->match != SWAPFAIL_MATCH_ALL;

	for (k = 0; k < pm->nr_ranges; k++)
		ids[k] = rules ? model_rule_new(m, &pm->attr, &sorted[k]) : 0;
}

/* Drops the spent extents that overlap first..last, whole. */
static void model_drop_spent_in(struct model *m, u64 first, u64 last)
{
	u32 a = seg_at(m, first), b = seg_at(m, last);

	/* the runs at either end may reach past the range */
	model_take(m, m->seg[a].start, seg_end(m, b) - 1, seg_spent_bad);
}

/*
 * An add of ranges @sorted: refused whole (-EINVAL) if any block of them
 * is bad and not spent; else spent extents in the way go, the range joins
 * plain neighbours alike, and the table may not pass the cap (-ENOSPC).
 */
static int model_add(struct model *m, const struct pmsg *pm,
		     const struct swapfail_range *sorted, const u32 *ids,
		     const char **error)
{
	struct mseg state = {
		.mode = pm->attr.mode, .error = pm->attr.error
	};
	u32 k;

	for (k = 1; k < pm->nr_ranges; k++)
		if (sorted[k].first <= sorted[k - 1].last) {
			*error = "ranges in one message overlap";
			return -EINVAL;
		}
	for (k = 0; k < pm->nr_ranges; k++) {
		if (model_bad_in(m, sorted[k].first, sorted[k].last)) {
			*error = "range overlaps an extent already in the "
				 "table";
			return -EINVAL;
		}
		model_drop_spent_in(m, sorted[k].first, sorted[k].last);
		state.rule = ids[k];
		model_set(m, sorted[k].first, sorted[k].last, &state);
		if (model_extents(m) > knob_cap) {
			*error = "table full";
			return -ENOSPC;
		}
	}
	return 0;
}

/*
 * A remove: refused (-EINVAL) unless each range holds a bad block not
 * spent; then the merged ranges are cut out, spent blocks too, and a cut
 * inside one extent may not take the table past the cap (-ENOSPC).
 */
static int model_remove(struct model *m, const struct pmsg *pm,
			const char **error)
{
	struct swapfail_range *u;
	u32 k, n, i;
	int r = 0;

	for (k = 0; k < pm->nr_ranges; k++)
		if (!model_bad_in(m, pm->ranges[k].first, pm->ranges[k].last)) {
			*error = "no bad block in range";
			return -EINVAL;
		}
	u = xcalloc(pm->nr_ranges, sizeof(*u));
	n = model_union(pm->ranges, pm->nr_ranges, u);
	for (k = 0; k < n && !r; k++) {
		i = seg_at(m, u[k].first);
		if (m->seg[i].mode && m->seg[i].start < u[k].first &&
		    seg_end(m, i) > u[k].last + 1 &&
		    model_extents(m) + 1 > knob_cap) {
			*error = "table full";
			r = -ENOSPC;
			break;
		}
		model_set(m, u[k].first, u[k].last, &seg_none);
	}
	free(u);
	return r;
}

/* A message's edit of @m; @ids: its new rules (see model_new_rules()). */
static int model_edit(struct model *m, const struct pmsg *pm,
		      const struct swapfail_range *sorted, const u32 *ids,
		      const char **error)
{
	if (pm_adds(pm))
		return model_add(m, pm, sorted, ids, error);
	if (pm_removes(pm))
		return model_remove(m, pm, error);
	/* clear and clearbadblocks: spent extents go too */
	model_set(m, 0, U64_MAX_ - 1, &seg_none);
	return 0;
}

/*
 * A policy message: every_nth and probability count from the message
 * that set them, or from enable; a seed replays from its message.  A
 * trigger message's action is its direction's, for both triggers.
 */
static void model_policy(struct model *m, const struct pmsg *pm)
{
	struct swapfail_policy *p = &m->policy;

	switch (pm->verb) {
	case SWAPFAIL_MSG_ENABLE:
		p->enabled = true;
		model_restart(m, BIT(R) | BIT(W));
		break;
	case SWAPFAIL_MSG_DISABLE:
		p->enabled = false;
		break;
	case SWAPFAIL_MSG_QUIET_TOGGLE:
		p->quiet = !p->quiet;
		break;
	case SWAPFAIL_MSG_QUIET:
		p->quiet = pm->value;
		break;
	case SWAPFAIL_MSG_EVERY_NTH:
		p->every_nth[pm->dir] = pm->value;
		p->trigger[pm->dir] = pm->attr.act;
		model_restart(m, BIT(pm->dir));
		break;
	case SWAPFAIL_MSG_PROBABILITY:
		p->probability[pm->dir] = pm->value;
		p->trigger[pm->dir] = pm->attr.act;
		model_restart(m, BIT(pm->dir));
		break;
	case SWAPFAIL_MSG_SEED:
		p->seed = pm->seed;
		model_restart(m, BIT(R) | BIT(W));
		break;
	case SWAPFAIL_MSG_ERROR:
		p->error = pm->value;
		break;
	default:
		break;
	}
}

/* Status and the table line's features */

/* The INFO line must be the documented fields, in order. */
static void check_info(void)
{
	static const struct swapfail_stats s = {
		.count = { 1, 22, 333, 4444, 55555, 18446744073709551615ULL,
			   6, 77, 888, 9999 },
		.delaying = 12,
		.holding = 345,
	};
	const struct swapfail_policy *p = &model.policy;
	struct swapfail_out out;
	u32 sizes[5] = { 1 };
	u64 extents, blocks;
	struct sb want;
	char *buf;
	u32 i, size;

	model_totals(&model, &extents, &blocks);
	sb_init(&want, 1024);
	sb_printf(&want, "mode=%s quiet=%s extents=%llu blocks=%llu reads=1 "
		  "writes=22 read_errors=333 write_errors=4444 healed=55555 "
		  "deferred=18446744073709551615 delayed=6 held=77 dropped=888 "
		  "corrupted=9999 every_nth_read=%u every_nth_write=%u "
		  "error=%s",
		  p->enabled ? "enabled" : "bypass", p->quiet ? "on" : "off",
		  extents, blocks, p->every_nth[R], p->every_nth[W],
		  error_names[p->error]);
	model_emit_ppb(&want, " probability_read=", p->probability[R]);
	model_emit_ppb(&want, " probability_write=", p->probability[W]);
	sb_printf(&want, " seed=%llu delaying=12 holding=345", p->seed);
	model_emit_trigger(&want, "trigger_read", &p->trigger[R]);
	model_emit_trigger(&want, "trigger_write", &p->trigger[W]);
	/* cut at once, halfway, at the last byte, not at all, and roomy */
	sizes[1] = want.len / 2 + 1;
	sizes[2] = want.len;
	sizes[3] = want.len + 1;
	sizes[4] = 1024;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size = sizes[i];
		buf = xmalloc(size);
		swapfail_out_init(&out, buf, size);
		swapfail_emit_info(&out, &dev.table.live, &dev.policy, &s);
		check_answer(buf, size, &want, "status");
		CHECK(out.full == (want.len > size - 1));
		free(buf);
	}
	free(want.buf);
}

/*
 * The feature group that "dmsetup table" prints for @p is the documented
 * one, and parsed back on a table line it gives the same policy.
 */
static void check_features(const struct swapfail_policy *p)
{
	struct swapfail_ctr_args args;
	struct swapfail_policy q;
	struct swapfail_out out;
	struct words w;
	struct sb want;
	char *err = NULL;
	char buf[256], *line;
	u32 size, nr;

	nr = p->enabled + p->quiet + 2 * !!p->every_nth[R] +
	     2 * !!p->every_nth[W] + 2 * (p->error != SWAPFAIL_ERR_EIO) +
	     2 * !!p->probability[R] + 2 * !!p->probability[W] + 2 * !!p->seed;
	sb_init(&want, 256);
	if (nr)
		sb_printf(&want, " %u", nr);
	if (p->enabled)
		sb_printf(&want, " start_enabled");
	if (p->quiet)
		sb_printf(&want, " quiet");
	if (p->every_nth[R])
		sb_printf(&want, " every_nth_read %u", p->every_nth[R]);
	if (p->every_nth[W])
		sb_printf(&want, " every_nth_write %u", p->every_nth[W]);
	if (p->error != SWAPFAIL_ERR_EIO)
		sb_printf(&want, " error %s", error_names[p->error]);
	if (p->probability[R])
		model_emit_ppb(&want, " probability_read ", p->probability[R]);
	if (p->probability[W])
		model_emit_ppb(&want, " probability_write ", p->probability[W]);
	if (p->seed)
		sb_printf(&want, " seed %llu", p->seed);
	for (size = 1; size <= want.len + 1; size += 1 + size / 2) {
		swapfail_out_init(&out, buf, size);
		swapfail_emit_features(&out, p);
		check_answer(buf, size, &want, "features");
	}
	swapfail_out_init(&out, buf, sizeof(buf));
	swapfail_emit_features(&out, p);
	check_answer(buf, sizeof(buf), &want, "features");

	line = xmalloc(strlen(buf) + 16);
	sprintf(line, "d 0 512%s", buf);
	words_split(&w, line);
	CHECK_MSG(swapfail_parse_ctr(w.argc, w.argv, 1024, &args, &err) == 0,
		  "features '%s' do not parse back: %s", buf, err);
	swapfail_policy_init(&q);
	swapfail_policy_merge(&q, &args);
	CHECK_MSG(policy_equal(p, &q), "features '%s' parse back into another "
		  "policy", buf);
	words_free(&w);
	free(line);
	free(want.buf);
}

/* The device */

/* A message's pool that grows as steps ask: fewer nodes, more rounds. */
#define POOL_START		8

static void dev_knobs(void)
{
	dev.pool_size = POOL_START;
	dev.table.max_extents = knob_cap;
	dev.defer_spent = knob_defer;
	dev.swap = knob_swap;
	tt_reserve_set(&dev, knob_reserve);
}

/* The target's every_nth and probability count again (by direction). */
static void tgt_restart(u32 dirs)
{
	u32 d;

	for (d = 0; d < SWAPFAIL_NR_DIRS; d++) {
		if (!(dirs & BIT(d)))
			continue;
		atomic64_set(&tgt_nth[d], 0);
		atomic64_set(&tgt_prob[d], 0);
	}
}

/* Frees the device: every node and rule it allocated must come back. */
static void dev_free(void)
{
	tt_free(&dev);
	CHECK_MSG(dev.nodes == 0 && dev.rules == 0, "freed device leaked %ld "
		  "nodes and %ld rules", dev.nodes, dev.rules);
	model_free(&model);
}

static void dev_fresh(u64 nr_blocks)
{
	tt_init_reserve(&dev, nr_blocks, knob_reserve);
	dev_knobs();
	tgt_restart(BIT(R) | BIT(W));
	model_init(&model);
}

/* The whole list answer of @x, however long. */
static char *list_all(struct tt *x)
{
	u32 size = 4096;
	char *buf;

	for (;;) {
		buf = xmalloc(size);
		CHECK(tt_msg_out(x, "list", buf, size) == 1);
		CHECK(memchr(buf, '\0', size));
		if (strlen(buf) < size - 1)
			return buf;
		free(buf);
		size *= 2;
	}
}

/*
 * The list, added back line by line to a fresh device, gives the same
 * list: each line is a valid add.  The fresh device takes any block, as a
 * reload may have left extents past the end of a shorter one.
 */
static void check_replay(void)
{
	static struct tt rep;
	char *list, *again, *line, *save = NULL, *msg;

	if (dev.table.live.extents > REPLAY_MAX_EXTENTS)
		return;
	list = list_all(&dev);
	again = xstrdup(list);
	tt_init_reserve(&rep, U64_MAX_, STEP_WORST);
	rep.pool_size = POOL_START;
	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		msg = xmalloc(strlen(line) + 5);
		sprintf(msg, "add %s", line);
		CHECK_MSG(tt_msg(&rep, msg) == 0, "replay of '%s' refused: %s",
			  msg, str_or_null(rep.error));
		free(msg);
	}
	free(list);
	list = list_all(&rep);
	CHECK_MSG(!strcmp(list, again), "list replays into:\n%.300s\n"
		  "expected:\n%.300s", list, again);
	free(list);
	free(again);
	tt_free(&rep);
	CHECK(rep.nodes == 0 && rep.rules == 0);
}

/* Table lines */

static u64 blocks_of(u64 sectors, u32 shift)
{
	return (sectors >> shift) + !!(sectors & ((1ULL << shift) - 1));
}

static void step_ctr(const char *args_line)
{
	struct swapfail_ctr_args args;
	char *err = NULL;
	struct words w;
	struct pctr pc;
	u64 sectors, nr;
	bool reload;
	struct swapfail_act act;
	u32 restart = 0, d;
	int r;

	words_split(&w, args_line);
	if (!w.argc || !pm_u64(w.argv[0], &sectors))
		goto out;
	r = swapfail_parse_ctr(w.argc - 1, w.argv + 1, sectors, &args, &err);
	pm_ctr(&pc, w.argc - 1, w.argv + 1, sectors);
	CHECK_MSG(r == pc.r, "table line parsed to %d (%s), model %d (%s)", r,
		  str_or_null(err), pc.r, str_or_null(pc.error));
	if (r) {
		CHECK_MSG(err && !strcmp(err, pc.error), "table line refused "
			  "for '%s', model '%s'", str_or_null(err), pc.error);
		goto out;
	}
	CHECK(args.dev_path == w.argv[1]);
	CHECK(args.offset == pc.offset && args.block_size == pc.block_size &&
	      args.block_shift == pc.block_shift);
	CHECK_MSG(args.features == pc.features, "features 0x%x, model 0x%x",
		  args.features, pc.features);
	CHECK(policy_equal(&args.policy, &pc.policy));
	/* a line says nothing of what the triggers do: an error */
	pm_act_init(&act);
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++)
		CHECK(act_same(&args.policy.trigger[d], &act));

	nr = blocks_of(sectors, args.block_shift);
	CHECK(nr >= 1);
	reload = dev_path && !strcmp(dev_path, args.dev_path) &&
		 dev_offset == args.offset && dev_block_size == args.block_size;
	if (!reload) {
		dev_free();
		dev_fresh(nr);
		free(dev_path);
		dev_path = xstrdup(args.dev_path);
		dev_offset = args.offset;
		dev_block_size = args.block_size;
	}
	dev.nr_blocks = nr;
	tgt_restart(swapfail_policy_merge(&dev.policy, &args));
	/*
	 * A line's features replace the policy; only enabling is one-way.
	 * The triggers count again when the line enables, or changes what
	 * they count by (the seed, or a direction's N or P).
	 */
	if (pc.policy.enabled && !model.policy.enabled) {
		model.policy.enabled = true;
		restart = BIT(R) | BIT(W);
	}
	if (model.policy.seed != pc.policy.seed)
		restart = BIT(R) | BIT(W);
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++)
		if (model.policy.every_nth[d] != pc.policy.every_nth[d] ||
		    model.policy.probability[d] != pc.policy.probability[d])
			restart |= BIT(d);
	model_restart(&model, restart);
	model.policy.quiet = pc.policy.quiet;
	model.policy.error = pc.policy.error;
	model.policy.seed = pc.policy.seed;
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++) {
		model.policy.every_nth[d] = pc.policy.every_nth[d];
		model.policy.probability[d] = pc.policy.probability[d];
	}
	check_features(&dev.policy);
out:
	words_free(&w);
}

/* I/O */

static void io_blocks(u64 a, u64 b, u64 *first, u64 *last)
{
	*first = a % dev.nr_blocks;
	*last = b % dev.nr_blocks;
	if (*first > *last) {
		u64 t = *first;

		*first = *last;
		*last = t;
	}
}

/*
 * An I/O while enabled, decided as the target decides it: the core's
 * trigger code counts it, then the table and the trigger that fired are
 * composed (table-util).  The target reads a fault's actions under RCU,
 * while the rule it spent waits for a grace period; table-util would free
 * it at once, so its drop waits until the actions are copied to @keep,
 * which the verdict then points to.
 */
static int tgt_io(struct tt *x, u64 first, u64 last, enum swapfail_dir d,
		  struct swapfail_verdict *v, struct swapfail_act *keep)
{
	const struct swapfail_policy *p = &x->policy;
	const struct swapfail_act *act = &p->trigger[d];
	bool defer = x->defer_spent;
	int by, r;

	by = swapfail_trigger_fires(p->every_nth[d], p->probability[d],
				    &p->seed, d,
				    act->match == SWAPFAIL_MATCH_SWAP, x->swap,
				    &tgt_nth[d], &tgt_prob[d]);
	x->defer_spent = true;
	r = tt_io_trigger(x, first, last, d, act, by, v);
	x->defer_spent = defer;
	if (v->wait_act) {
		keep[0] = *v->wait_act;
		v->wait_act = &keep[0];
	}
	if (v->corrupt) {
		keep[1] = *v->corrupt;
		v->corrupt = &keep[1];
	}
	/* as tt_io() would have: the drop of what the I/O spent */
	if (!r && !defer && (v->nr_spent || v->sweep))
		r = tt_collect(x) == -ELOOP ? -ELOOP : 0;
	return r;
}

static void check_verdict(const struct swapfail_verdict *v, int r,
			  const struct mio *want, int want_r, u64 first,
			  u64 last, enum swapfail_dir d)
{
	bool fails = v->outcome == SWAPFAIL_FAILS;
	bool placed = v->outcome >= SWAPFAIL_CORRUPTS;

	CHECK_MSG(r == want_r && v->fault == want->fault &&
		  v->wait == want->wait && v->outcome == want->outcome &&
		  (!fails || v->error == want->error) &&
		  (!placed || v->block == want->block),
		  "%s %llu-%llu: %d fault=%d wait=%u outcome=%u error=%s "
		  "block=%llu; model %d fault=%d wait=%u outcome=%u error=%s "
		  "block=%llu%s", d == W ? "write" : "read", first, last, r,
		  v->fault, v->wait, v->outcome, error_names[v->error & 7],
		  v->block, want_r, want->fault, want->wait, want->outcome,
		  error_names[want->error & 7], want->block,
		  want->by_trigger ? " (a trigger)" : "");
	CHECK(v->error < SWAPFAIL_NR_ERRORS);
	CHECK(!placed || (v->block >= first && v->block <= last));
	CHECK_MSG(!v->wait || (v->wait_act &&
			       act_same(v->wait_act, &want->wait_act)),
		  "%s %llu-%llu: the wait is not the model's",
		  d == W ? "write" : "read", first, last);
	CHECK_MSG(v->outcome != SWAPFAIL_CORRUPTS ||
		  (v->corrupt && act_same(v->corrupt, &want->corrupt)),
		  "%s %llu-%llu: the corruption is not the model's",
		  d == W ? "write" : "read", first, last);
	CHECK(v->outcome == SWAPFAIL_CORRUPTS || !v->corrupt);
	CHECK(swapfail_verdict_heals(v) == model_heals(want));
}

/* An I/O, its verdict and its heal against the model's. */
static void io_step(enum swapfail_dir d, u64 a, u64 b)
{
	struct swapfail_verdict v;
	struct swapfail_act act[2];
	u64 first, last, healed, before = dev.healed;
	struct mio want;
	int r, want_r;

	io_blocks(a, b, &first, &last);
	want_r = model_io(&model, first, last, d, &want, &healed);
	/* the target's every_nth, for two counts this I/O makes up */
	CHECK(swapfail_nth_fails(first, (u32)last) ==
	      ((u32)last && !(first % (u32)last)));
	CHECK(swapfail_nth_fails(last, model.policy.every_nth[d]) ==
	      (model.policy.every_nth[d] &&
	       !(last % model.policy.every_nth[d])));
	r = tgt_io(&dev, first, last, d, &v, act);
	if (trace)
		fprintf(stderr, "  %s %llu-%llu: %d fault=%d block=%llu "
			"healed=%llu\n", d == W ? "write" : "read", first, last,
			r, v.fault, v.block, dev.healed - before);
	CHECK_MSG(r != -ELOOP, "the change of %s %llu-%llu goes round for "
		  "ever", d == W ? "write" : "read", first, last);
	check_verdict(&v, r, &want, want_r, first, last, d);
	CHECK_MSG(dev.healed - before == healed, "write %llu-%llu healed %llu "
		  "blocks, model %llu", first, last, dev.healed - before,
		  healed);
}

static bool parse_io(const char *args_line, u64 *a, u64 *b)
{
	struct words w;
	bool ok;

	words_split(&w, args_line);
	ok = w.argc == 2 && pm_u64(w.argv[0], a) && pm_u64(w.argv[1], b);
	words_free(&w);
	return ok;
}

/*
 * I/O run between the steps of an edit: recorded, to be replayed on the
 * model once the message is done (the verdicts are exact: they come from
 * the live tree, which only I/O changes while the edit is open).
 */
struct mid_io {
	u64 a;
	u64 b;
	enum swapfail_dir d;
	bool ran;
	u64 first;
	u64 last;
	struct swapfail_verdict v;
	struct swapfail_act act[2];	/* what v's actions point to */
	int r;
	u64 healed;
};

static struct mid_io mid[MID_MAX];
static u32 nr_mid, mid_next;

static void mid_step(struct tt *x)
{
	struct mid_io *io;
	u64 before = x->healed;

	check_tree_valid(&x->table.live, "live");
	check_tree_valid(&x->table.staged, "staged");
	if (mid_next == nr_mid)
		return;
	io = &mid[mid_next++];
	io_blocks(io->a, io->b, &io->first, &io->last);
	io->r = tgt_io(x, io->first, io->last, io->d, &io->v, io->act);
	io->healed = x->healed - before;
	io->ran = true;
	CHECK_MSG(io->r != -ELOOP, "the change of an I/O between steps goes "
		  "round for ever");
	if (trace)
		fprintf(stderr, "  between steps: %s %llu-%llu: %d fault=%d "
			"healed=%llu\n", io->d == W ? "write" : "read",
			io->first, io->last, io->r, io->v.fault, io->healed);
	check_tree_valid(&x->table.live, "live");
	check_tree_valid(&x->table.staged, "staged");
}

/* Messages */

static bool in_ranges(u64 b, const struct swapfail_range *r, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (r[i].first <= b && b <= r[i].last)
			return true;
	return false;
}

static bool seg_same(const struct mseg *a, const struct mseg *b)
{
	return a->mode == b->mode && (!a->mode || seg_alike(a, b));
}

/*
 * After an edit that I/O interleaved with, the table cannot be predicted
 * block for block: a write's heal reaches the staged tree before or after
 * the edit's own step there, which decides whether a mode=read range just
 * added is healed.  So each block is checked against what any interleaving
 * allows (@seq: the table after the I/O, as the live tree saw it; @got:
 * the table published): in a range added, the range's extent, or nothing
 * if a write healed there and the mode is read; in a range removed,
 * nothing; elsewhere what @seq has, or nothing if it was spent (an add's
 * edit drops spent extents whole).  Rules' counters are exact.
 */
static void check_interleaved(const struct model *seq, const struct model *got,
			      const struct pmsg *pm,
			      const struct swapfail_range *sorted,
			      const u32 *ids,
			      const struct swapfail_range *heals, u32 nr_heals)
{
	const struct mseg *s, *g;
	struct mseg want;
	u64 *points, b;
	u32 i, k, n = 0;

	points = xmalloc((seq->nr + got->nr + 4 * pm->nr_ranges +
			  2 * nr_heals + 1) * sizeof(*points));
	for (i = 0; i < seq->nr; i++)
		points[n++] = seq->seg[i].start;
	for (i = 0; i < got->nr; i++)
		points[n++] = got->seg[i].start;
	for (k = 0; k < pm->nr_ranges; k++) {
		points[n++] = pm->ranges[k].first;
		points[n++] = pm->ranges[k].last + 1;
	}
	for (k = 0; k < nr_heals; k++) {
		points[n++] = heals[k].first;
		points[n++] = heals[k].last + 1;
	}
	for (i = 0; i < n; i++) {
		b = points[i];
		if (b == U64_MAX_)
			continue;
		s = &seq->seg[seg_at(seq, b)];
		g = &got->seg[seg_at(got, b)];
		if (pm_removes(pm) && in_ranges(b, pm->ranges, pm->nr_ranges)) {
			CHECK_MSG(!g->mode, "block %llu of a range removed is "
				  "still bad", b);
			continue;
		}
		for (k = 0; pm_adds(pm) && k < pm->nr_ranges; k++)
			if (sorted[k].first <= b && b <= sorted[k].last)
				break;
		if (pm_adds(pm) && k < pm->nr_ranges) {
			want = (struct mseg){ .mode = pm->attr.mode,
					      .error = pm->attr.error,
					      .rule = ids[k] };
			CHECK_MSG(seg_same(g, &want) ||
				  (!g->mode && in_ranges(b, heals, nr_heals) &&
				   want.mode == SWAPFAIL_MODE_READ &&
				   act_heals(&pm->attr.act)),
				  "block %llu added: mode=%s rule %u, not the "
				  "range's", b, mode_names[g->mode], g->rule);
			continue;
		}
		CHECK_MSG(seg_same(g, s) || (!g->mode && seg_spent(seq, s)),
			  "block %llu, outside the message, is mode=%s "
			  "error=%s rule %u; the I/O left it mode=%s error=%s "
			  "rule %u",
			  b, mode_names[g->mode], error_names[g->error],
			  g->rule, mode_names[s->mode], error_names[s->error],
			  s->rule);
	}
	free(points);
}

/*
 * The published tree as a model: its rules are those of the last check,
 * or the new ones of the add (by the range each was made for).
 */
static void model_from_tree(struct model *got, const struct model *seq,
			    const struct pmsg *pm,
			    const struct swapfail_range *sorted, const u32 *ids)
{
	const struct swapfail_extent *e;
	struct twalk w = { 0 };
	u32 i, k, id;

	model_copy(got, seq);
	got->nr = 1;
	got->seg[0] = seg_none;
	twalk(&dev.table.live, &w);
	for (i = 0; i < w.nr; i++) {
		e = &w.ext[i];
		id = 0;
		if (e->rule)
			id = rmap_find(e->rule);
		for (k = 0; e->rule && !id && k < pm->nr_ranges; k++)
			if (ids[k] && e->rule->first == sorted[k].first &&
			    e->rule->last == sorted[k].last)
				id = ids[k];
		CHECK_MSG(!e->rule || id, "extent %llu-%llu has a rule that "
			  "is neither old nor the message's", e->start,
			  e->end - 1);
		model_set(got, e->start, e->end - 1,
			  &(struct mseg){ .mode = e->mode, .error = e->error,
					  .rule = id });
	}
	free(w.ext);
}

/* Whether an add's ranges are free of bad blocks, or a remove's hold some. */
static bool model_edit_ok(const struct model *m, const struct pmsg *pm)
{
	u32 k;

	for (k = 0; k < pm->nr_ranges; k++)
		if (!model_bad_in(m, pm->ranges[k].first, pm->ranges[k].last) ==
		    pm_removes(pm))
			return false;
	return true;
}

/*
 * The I/O that ran during an edit, replayed on @seq in order: each verdict
 * is exact but for one case: a heal that would split an extent of the
 * staged tree at the cap fails the write, which the live tree cannot tell.
 * Returns the ranges of the writes that healed, for check_interleaved().
 */
static u32 replay_mid(struct model *seq, struct swapfail_range *heals)
{
	struct mio want;
	struct mid_io *io;
	u64 healed;
	u32 i, n = 0;
	int want_r;

	for (i = 0; i < nr_mid && mid[i].ran; i++) {
		io = &mid[i];
		model_decide(seq, io->first, io->last, io->d, &want);
		if (io->v.outcome == SWAPFAIL_FAILS && model_heals(&want) &&
		    knob_cap != SWAPFAIL_MAX_EXTENTS && !io->r &&
		    io->v.block == io->first && !io->v.error) {
			/* over the cap in the staged tree: nothing changed */
			CHECK(!io->healed);
			continue;
		}
		want_r = model_apply(seq, io->first, io->last, &want, &healed);
		if (!want_r && want.outcome != SWAPFAIL_FAILS &&
		    model_heals(&want))
			heals[n++] = (struct swapfail_range){ io->first,
							      io->last };
		check_verdict(&io->v, io->r, &want, want_r, io->first,
			      io->last, io->d);
		CHECK(io->healed == healed);
	}
	return n;
}

/* What a message returns when it succeeds: 1 with an answer. */
static int msg_done(const struct pmsg *pm)
{
	return pm->answers ? 1 : 0;
}

/*
 * An edit that I/O interleaved with: the I/O's verdicts are exact, the
 * message's outcome is bounded (a write may heal blocks in the way of an
 * add before the add looks, or the only bad block of a remove's range
 * after the remove looked), and the table is checked block by block by
 * check_interleaved().
 */
static void edit_interleaved(const struct pmsg *pm, const struct model *pre,
			     const struct swapfail_range *sorted,
			     const u32 *ids, int r, bool nomem)
{
	struct swapfail_range *heals = xcalloc(nr_mid, sizeof(*heals));
	struct model seq, got;
	bool disjoint = true;
	u32 k, nr_heals;

	model_copy(&seq, &model);
	nr_heals = replay_mid(&seq, heals);
	for (k = 1; pm_adds(pm) && k < pm->nr_ranges; k++)
		disjoint &= sorted[k].first > sorted[k - 1].last;
	if (nomem) {
		CHECK_MSG(r == -ENOMEM, "allocation failed, message %d", r);
	} else if (r == -ENOSPC) {
		CHECK_MSG(knob_cap != SWAPFAIL_MAX_EXTENTS, "table full with "
			  "no cap set");
		CHECK(dev.error && !strcmp(dev.error, "table full"));
	} else if (r < 0) {
		CHECK_MSG(r == -EINVAL && dev.error, "message returned %d", r);
		if (!disjoint)
			CHECK(!strcmp(dev.error, "ranges in one message "
				      "overlap"));
		else if (pm_adds(pm))
			CHECK_MSG(!strcmp(dev.error, "range overlaps an extent "
					  "already in the table") &&
				  !model_edit_ok(pre, pm), "add refused: %s",
				  dev.error);
		else
			CHECK_MSG(!strcmp(dev.error, "no bad block in range") &&
				  !model_edit_ok(&seq, pm), "remove refused: "
				  "%s", dev.error);
	} else {
		CHECK_MSG(r == msg_done(pm), "message returned %d", r);
		/* accepted: the ranges were fine when each was looked at */
		CHECK(disjoint);
		CHECK(model_edit_ok(pm_adds(pm) ? &seq : pre, pm));
	}
	if (r < 0) {
		/* refused: only the I/O changed the table */
		model_free(&model);
		model = seq;
	} else {
		model_from_tree(&got, &seq, pm, sorted, ids);
		check_interleaved(&seq, &got, pm, sorted, ids, heals,
				  nr_heals);
		model_free(&seq);
		model_free(&model);
		model = got;
	}
	free(heals);
}

static void step_msg(const char *line)
{
	static char *large;
	struct swapfail_range *sorted = NULL;
	char *perr = NULL, *list_before = NULL, *list_after;
	const char *merr = NULL;
	struct swapfail_policy policy_before = dev.policy;
	struct swapfail_msg cm;
	struct model pre, post;
	u32 small_size, alloc_before, *ids = NULL, i;
	struct pmsg pm;
	struct words w;
	struct sb want;
	bool ran = false, nomem;
	int pr, r, rs = 0, mr = 0;
	char *small;

	if (!large)
		large = xmalloc(LARGE);
	/* the core's own parse, into a ranges array as tight as the kernel's */
	words_split(&w, line);
	cm.ranges = xcalloc(w.argc ? w.argc : 1, sizeof(*cm.ranges));
	pr = swapfail_parse_msg(w.argc, w.argv, dev.nr_blocks, &cm, &perr);
	pm_msg(&pm, w.argc, w.argv, dev.nr_blocks);
	check_parse(&pm, pr, &cm, perr);

	model_copy(&pre, &model);
	sb_init(&want, LARGE);
	if (!pm.r && pm.answers)
		mr = model_answer(&want, &pre, &pm, &merr);
	if (!pm.r && pm.edits) {
		sorted = xcalloc(pm.nr_ranges, sizeof(*sorted));
		memcpy(sorted, pm.ranges, pm.nr_ranges * sizeof(*sorted));
		qsort(sorted, pm.nr_ranges, sizeof(*sorted), range_cmp);
		ids = xcalloc(pm.nr_ranges, sizeof(*ids));
		if (pm_adds(&pm))
			model_new_rules(&model, &pm, sorted, ids);
		list_before = list_all(&dev);
	}

	/* exactly its size: ASan sees any write past it */
	small_size = 1 + strlen(line) % 61;
	small = xmalloc(small_size);
	alloc_before = dev.alloc_failures;
	dev.fail_alloc_after = knob_nomem;
	knob_nomem = -1;
	mid_next = 0;
	if (nr_mid)
		dev.between_steps = mid_step;
	/* a question twice, as libdevmapper asks again with more room */
	if (!pm.r && pm.answers && !pm.edits)
		rs = tt_msg_out(&dev, line, small, small_size);
	r = tt_msg_out(&dev, line, large, LARGE);
	dev.between_steps = NULL;
	dev.fail_alloc_after = -1;
	nomem = dev.alloc_failures != alloc_before;
	for (i = 0; i < nr_mid; i++)
		ran |= mid[i].ran;
	if (trace)
		fprintf(stderr, "  message: %d %s%s%s%s\n", r,
			str_or_null(dev.error), nomem ? ", no memory" : "",
			ran ? ", I/O between steps" : "",
			r == 1 ? ", answered" : "");

	CHECK_MSG(r != -ELOOP, "a step of the edit wants more nodes than "
		  "the target's pool holds: it would ask for ever");
	CHECK_MSG(r == 1 || r == 0 || r == -EINVAL || r == -ENOMEM ||
		  r == -ENOSPC, "message returned %d", r);
	CHECK(memchr(large, '\0', LARGE));
	if (pm.r) {
		CHECK_MSG(r == pm.r && dev.error &&
			  !strcmp(dev.error, pm.error),
			  "message returned %d (%s), model %d (%s)", r,
			  str_or_null(dev.error), pm.r, pm.error);
		goto out;
	}
	if (pm.answers) {
		if (!pm.edits)
			CHECK_MSG(rs == r, "question returned %d in %u bytes, "
				  "%d in %u", rs, small_size, r, LARGE);
		if (mr) {
			CHECK_MSG(r == mr && dev.error &&
				  !strcmp(dev.error, merr), "question returned "
				  "%d (%s), model %d (%s)", r,
				  str_or_null(dev.error), mr, merr);
			goto out;
		}
		check_answer(large, LARGE, &want, "answer");
		if (!pm.edits)
			check_answer(small, small_size, &want, "small answer");
	}
	if (pm.edits && ran) {
		edit_interleaved(&pm, &pre, sorted, ids, r, nomem);
	} else if (pm.edits) {
		model_copy(&post, &model);
		mr = model_edit(&post, &pm, sorted, ids, &merr);
		if (nomem) {
			CHECK_MSG(r == -ENOMEM, "allocation failed, message %d",
				  r);
			model_free(&post);
		} else if (mr) {
			CHECK_MSG(r == mr && dev.error &&
				  !strcmp(dev.error, merr), "edit returned %d "
				  "(%s), model %d (%s)", r,
				  str_or_null(dev.error), mr, merr);
			model_free(&post);
		} else {
			CHECK_MSG(r == msg_done(&pm), "edit returned %d (%s), "
				  "model accepts it", r,
				  str_or_null(dev.error));
			model_free(&model);
			model = post;
		}
	} else if (!pm.answers) {
		CHECK(r == 0);
		model_policy(&model, &pm);
		CHECK(policy_same(&dev.policy, &model.policy));
		/* the counters the target restarts, as it asks the core */
		tgt_restart(swapfail_policy_update(&policy_before, &cm));
		CHECK(policy_same(&policy_before, &dev.policy));
		check_features(&dev.policy);
	}
	if (pm.edits && r < 0 && !ran) {
		/* a refused edit leaves the list as it was */
		list_after = list_all(&dev);
		CHECK_MSG(!strcmp(list_before, list_after), "a refused edit "
			  "changed the list:\n%.300s\nbefore:\n%.300s",
			  list_after, list_before);
		free(list_after);
	}
out:
	for (i = 0; i < nr_mid; i++)
		mid[i].ran = false;
	nr_mid = 0;
	model_free(&pre);
	free(want.buf);
	free(small);
	free(list_before);
	free(sorted);
	free(ids);
	free(pm.ranges);
	free(cm.ranges);
	words_free(&w);
}

/* "many <verb> <A> <N> <S> [<word>...]": see the top of the file. */
static void step_many(const char *args_line)
{
	struct words w;
	struct sb line;
	u64 a, n, stride, i;
	unsigned int k;

	words_split(&w, args_line);
	if (w.argc < 4 || !pm_u64(w.argv[1], &a) || !pm_u64(w.argv[2], &n) ||
	    !pm_u64(w.argv[3], &stride))
		goto out;
	if (n > MANY_MAX)
		n = MANY_MAX;
	if (!strcmp(w.argv[0], "read") || !strcmp(w.argv[0], "write")) {
		/* each verdict is checked; the table once, at the end */
		for (i = 0; i < n; i++)
			io_step(w.argv[0][0] == 'r' ? R : W, a + i * stride,
				a + i * stride);
		goto out;
	}
	sb_init(&line, ~(size_t)0);
	sb_printf(&line, "%s", w.argv[0]);
	for (i = 0; i < n; i++)
		sb_printf(&line, " %llu", a + i * stride);
	for (k = 4; k < w.argc; k++)
		sb_printf(&line, " %s", w.argv[k]);
	step_msg(line.buf);
	free(line.buf);
out:
	words_free(&w);
}

/* The knobs of table-util that a test may turn. */
static void step_knob(const char *name, const char *arg)
{
	u64 v;
	int r, want;

	if (!strcmp(name, "collect")) {
		want = reserve_ok() ? 0 : model_has_spent(&model) ? -ENOMEM : 0;
		r = tt_collect(&dev);
		CHECK_MSG(r != -ELOOP, "the drop of spent extents goes round "
			  "for ever");
		CHECK_MSG(r == want, "collect returned %d, model %d", r, want);
		if (reserve_ok())
			model_collect(&model);
		return;
	}
	if (!strcmp(name, "defer")) {
		if (strcmp(arg, "on") && strcmp(arg, "off"))
			return;
		knob_defer = !strcmp(arg, "on");
		dev.defer_spent = knob_defer;
		return;
	}
	if (!strcmp(name, "swap")) {
		if (strcmp(arg, "on") && strcmp(arg, "off"))
			return;
		knob_swap = !strcmp(arg, "on");
		dev.swap = knob_swap;
		return;
	}
	if (!strcmp(name, "cap") && !strcmp(arg, "off")) {
		knob_cap = SWAPFAIL_MAX_EXTENTS;
		dev.table.max_extents = knob_cap;
		return;
	}
	if (!pm_u64(arg, &v))
		return;
	if (!strcmp(name, "cap")) {
		knob_cap = v < SWAPFAIL_MAX_EXTENTS ? v : SWAPFAIL_MAX_EXTENTS;
		dev.table.max_extents = knob_cap;
	} else if (!strcmp(name, "nomem")) {
		knob_nomem = v < 1000000 ? (int)v : 1000000;
	} else if (!strcmp(name, "reserve")) {
		/* 1 to 38 would leave a heal half done: see table-util */
		knob_reserve = !v ? 0 : v < STEP_WORST ? STEP_WORST :
			       v < TT_RESERVE ? v : TT_RESERVE;
		tt_reserve_set(&dev, knob_reserve);
	}
}

static void step_mid(const char *args_line)
{
	enum swapfail_dir d;
	u64 a, b;

	if (!strncmp(args_line, "read ", 5))
		d = R;
	else if (!strncmp(args_line, "write ", 6))
		d = W;
	else
		return;
	if (nr_mid == MID_MAX || !parse_io(args_line + (d == R ? 5 : 6), &a,
					   &b))
		return;
	mid[nr_mid++] = (struct mid_io){ .a = a, .b = b, .d = d };
}

static void step(const char *line)
{
	static const char * const knobs[] = {
		"cap", "nomem", "reserve", "defer", "swap",
	};
	unsigned int i;
	size_t len;
	u64 a, b;

	cur_line = line;
	if (trace)
		fprintf(stderr, "%.200s\n", line);
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		len = strlen(knobs[i]);
		if (!strncmp(line, knobs[i], len) && line[len] == ' ') {
			step_knob(knobs[i], line + len + 1);
			goto done;
		}
	}
	if (!strcmp(line, "collect"))
		step_knob("collect", NULL);
	else if (!strncmp(line, "ctr ", 4))
		step_ctr(line + 4);
	else if (!strncmp(line, "read ", 5) && parse_io(line + 5, &a, &b))
		io_step(R, a, b);
	else if (!strncmp(line, "write ", 6) && parse_io(line + 6, &a, &b))
		io_step(W, a, b);
	else if (!strncmp(line, "mid ", 4))
		step_mid(line + 4);
	else if (!strncmp(line, "many ", 5))
		step_many(line + 5);
	else if (strspn(line, " ") < strlen(line))
		step_msg(line);
done:
	check_model("step");
	check_info();
	if (trace)
		fprintf(stderr, "  table: %llu extents, %llu blocks, "
			"height %u\n", dev.table.live.extents, dev.table.live.blocks,
			tt_height(&dev.table.live));
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	trace = getenv("SWAPFAIL_FUZZ_TRACE");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *nl;
	size_t len;
	char *line;

	knob_cap = SWAPFAIL_MAX_EXTENTS;
	knob_reserve = RESERVE_DEFAULT;
	knob_defer = false;
	knob_swap = false;
	knob_nomem = -1;
	nr_mid = 0;
	rmap_nr = 0;
	dev_fresh(DEFAULT_NR_BLOCKS);
	dev_path = NULL;
	while (p < end) {
		nl = memchr(p, '\n', end - p);
		len = (nl ? nl : end) - p;
		/* exactly the line's bytes: ASan sees any read past them */
		line = xmalloc(len + 1);
		memcpy(line, p, len);
		line[len] = '\0';
		step(line);
		free(line);
		p += len + 1;
	}
	cur_line = NULL;
	check_replay();
	dev_free();
	free(dev_path);
	dev_path = NULL;
	return 0;
}
