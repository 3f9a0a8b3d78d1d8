// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target over swapfail-core.c: the table-line and message
 * parsers, the table edits, the answers and the I/O decision, driven
 * through ../unit/table-util.c exactly as dm-swapfail.c drives the core.
 * After every step the table's invariants hold, and what the step did
 * matches a plain linear model of the table; any violation aborts.
 *
 * The input is text, one step per line:
 *
 *   ctr <sectors> <dev> <offset> <block_size> [<#features> <feature>...]
 *	A table line for a target of <sectors> sectors.  Accepted, it
 *	becomes the device: a reload (table and policy kept, features
 *	merged) when dev, offset and block size are those of the device,
 *	as dm-swapfail does; otherwise a fresh device.  Each new array gets
 *	<offset> % 4 spare slots, so that healing writes often need room.
 *   read <A> <B>
 *   write <A> <B>
 *	An I/O over blocks A..B, each taken modulo the device's blocks.
 *   anything else
 *	A message, its words split at spaces as dmsetup passes them.
 *
 * Until the first accepted table line the device has 64 blocks and no
 * spare slots, so that ranges collide.
 *
 * Checked after each step: tt_valid(); tt_compact() after an accepted
 * edit; a refused message (EINVAL or ENOMEM, with a reason) leaves the
 * array, totals, policy and list byte-identical; answers are
 * NUL-terminated in the buffer, the same with a small buffer (truncated,
 * filled to the last byte) as with a large one, and equal to the model's;
 * each edit and I/O changes exactly the blocks the model says; the status
 * line and the table line's features are what the policy says, and the
 * features parse back into the same policy; and the list answer replays,
 * through add messages, into an equal table on a fresh device.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>
#include <linux/kernel.h>

#include "table-util.h"

#define DEFAULT_NR_BLOCKS	64
#define LARGE			(64 * 1024)	/* a large answer buffer */
#define MODEL_MAX_EXTENTS	4096	/* replay and per-extent models up to */
#define U64_MAX_		(~(u64)0)

/* The device the steps act on, and what its table line said. */
static struct tt dev;
static char *dev_path;
static u64 dev_offset;
static u32 dev_block_size;
static const char *cur_line;		/* for the report of a violation */

static const char * const error_names[SWAPFAIL_NR_ERRORS] = {
	"default", "EIO", "ENODATA", "ENOLINK", "ETIMEDOUT", "ENOSPC",
	"EILSEQ", "EREMOTEIO",
};
static const char * const mode_names[] = { "?", "read", "write", "rw" };

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

static char *xstrdup(const char *s)
{
	return strcpy(xmalloc(strlen(s) + 1), s);
}

/* A copy of @t's slots in an array of @slots (at least t->nr). */
static struct swapfail_extent *ext_dup(const struct swapfail_table *t,
				       u32 slots)
{
	struct swapfail_extent *ext = xcalloc(slots, sizeof(*ext));

	if (t->nr)
		memcpy(ext, t->ext, t->nr * sizeof(*ext));
	return ext;
}

/* The first @nr slots of @a and @b hold the same bytes. */
static bool ext_same(const struct swapfail_extent *a,
		     const struct swapfail_extent *b, u32 nr)
{
	return !nr || !memcmp(a, b, nr * sizeof(*a));
}

/* Words */

struct words {
	char *copy;
	char **argv;
	unsigned int argc;
};

static void words_split(struct words *w, const char *line)
{
	char *tok, *save = NULL;

	w->copy = xstrdup(line);
	w->argv = xcalloc(strlen(line) + 1, sizeof(*w->argv));
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
		s->buf = realloc(s->buf, s->cap);
		if (!s->buf)
			abort();
	}
	memcpy(s->buf + s->len, item, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

/*
 * An answer in a buffer of @size bytes must be the model's answer, cut to
 * size - 1 bytes and NUL-terminated within the buffer.
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
		  "%s: answer in %u bytes:\n%.300s\nexpected:\n%.300s", what,
		  size, buf, model->buf);
}

/* The linear model of a table: a plain walk over every slot. */

static bool ext_empty(const struct swapfail_extent *e)
{
	return e->start == e->end;
}

static u64 overlap(u64 s1, u64 e1, u64 s2, u64 e2)
{
	u64 lo = s1 > s2 ? s1 : s2, hi = e1 < e2 ? e1 : e2;

	return hi > lo ? hi - lo : 0;
}

/* Bad blocks of @t in first..last (inclusive; last < U64_MAX). */
static u64 model_bad_in(const struct swapfail_table *t, u64 first, u64 last)
{
	u64 blocks = 0;
	u32 i;

	for (i = 0; i < t->nr; i++)
		blocks += overlap(t->ext[i].start, t->ext[i].end, first,
				  last + 1);
	return blocks;
}

/* The non-empty extent holding @block, or NULL. */
static const struct swapfail_extent *
model_at(const struct swapfail_table *t, u64 block)
{
	u32 i;

	for (i = 0; i < t->nr; i++)
		if (t->ext[i].start <= block && block < t->ext[i].end)
			return &t->ext[i];
	return NULL;
}

static bool same_attrs(const struct swapfail_extent *a,
		       const struct swapfail_extent *b)
{
	return a->mode == b->mode && a->error == b->error &&
	       a->count == b->count && a->wr_fail == b->wr_fail;
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

static bool overlaps_any(const struct swapfail_extent *e,
			 const struct swapfail_range *r, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (overlap(e->start, e->end, r[i].first, r[i].last + 1))
			return true;
	return false;
}

/* A table as it was before a step: a copy of its header and slots. */
struct snap {
	struct swapfail_table t;
	const struct swapfail_extent *ext;	/* the array itself */
	struct swapfail_policy policy;
	u64 nr_blocks;
	char *list;
};

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

static void snap_take(struct snap *s, struct tt *x)
{
	s->t = x->t;
	s->t.ext = ext_dup(&x->t, x->t.nr);
	/* x's index goes with x's array; the copy is searched without one */
	s->t.index = NULL;
	s->t.index_len = 0;
	s->ext = x->t.ext;
	s->policy = x->policy;
	s->nr_blocks = x->nr_blocks;
	s->list = list_all(x);
}

static void snap_free(struct snap *s)
{
	free(s->t.ext);
	free(s->list);
}

static bool policy_equal(const struct swapfail_policy *a,
			 const struct swapfail_policy *b)
{
	return a->enabled == b->enabled && a->quiet == b->quiet &&
	       a->error == b->error &&
	       a->every_nth[SWAPFAIL_DIR_READ] ==
	       b->every_nth[SWAPFAIL_DIR_READ] &&
	       a->every_nth[SWAPFAIL_DIR_WRITE] ==
	       b->every_nth[SWAPFAIL_DIR_WRITE];
}

/* @x is byte for byte what @s saw: same array, slots, totals, policy. */
static void check_unchanged(struct tt *x, const struct snap *s,
			    const char *what)
{
	char *list;

	CHECK_MSG(x->t.ext == s->ext && x->t.nr == s->t.nr &&
		  x->t.size == s->t.size && x->t.extents == s->t.extents &&
		  x->t.blocks == s->t.blocks &&
		  ext_same(x->t.ext, s->t.ext, s->t.nr),
		  "%s changed the table", what);
	CHECK_MSG(policy_equal(&x->policy, &s->policy),
		  "%s changed the policy", what);
	list = list_all(x);
	CHECK_MSG(!strcmp(list, s->list), "%s changed the list:\n%.300s\n"
		  "before:\n%.300s", what, list, s->list);
	free(list);
}

/* A second device with @x's table and policy, in an array of its own. */
static void tt_clone(struct tt *dst, const struct tt *src)
{
	/* tt_init() but for clearing the answer buffer, which is not used */
	dst->nr_blocks = src->nr_blocks;
	dst->slack = src->slack;
	dst->grows = 0;
	dst->error = NULL;
	dst->policy = src->policy;
	tt_table_alloc(&dst->t, src->t.size);
	if (src->t.nr)
		memcpy(dst->t.ext, src->t.ext,
		       src->t.nr * sizeof(*src->t.ext));
	dst->t.nr = src->t.nr;
	dst->t.extents = src->t.extents;
	dst->t.blocks = src->t.blocks;
	tt_table_index(&dst->t);
}

static void check_valid(const struct tt *x, bool compact)
{
	char why[128];

	CHECK_MSG(tt_valid(&x->t, why, sizeof(why)), "table invalid: %s",
		  why);
	CHECK_MSG(!compact || tt_compact(&x->t, why, sizeof(why)),
		  "table not compact after an edit: %s", why);
}

/* "list" as the model prints it: extents overlapping @r (all if !n). */
static void model_list(struct sb *s, const struct swapfail_table *t,
		       const struct swapfail_range *r, u32 n)
{
	const struct swapfail_extent *e;
	u32 i;

	for (i = 0; i < t->nr && !sb_full(s); i++) {
		e = &t->ext[i];
		if (ext_empty(e) || (n && !overlaps_any(e, r, n)))
			continue;
		sb_printf(s, "%llu-%llu mode=%s", (unsigned long long)e->start,
			  (unsigned long long)e->end - 1, mode_names[e->mode]);
		if (e->count)
			sb_printf(s, " count=%u", e->count);
		if (e->wr_fail)
			sb_printf(s, " wr_fail=%u", e->wr_fail);
		if (e->error)
			sb_printf(s, " error=%s", error_names[e->error]);
		sb_printf(s, "\n");
	}
}

/*
 * The list of @x, added back line by line to a fresh device, gives the
 * same list as @x's table once rebuilt (which joins neighbours an I/O
 * left apart).  The fresh device takes any block, as a reload may have
 * left extents past the end of a shorter one.
 */
static void check_replay(struct tt *x)
{
	static struct tt rep;
	struct swapfail_table norm;
	char *list, *again, *line, *save = NULL, *msg;
	struct sb want;

	if (x->t.extents > MODEL_MAX_EXTENTS)
		return;
	list = list_all(x);
	tt_init(&rep, U64_MAX_, 0);
	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		msg = xmalloc(strlen(line) + 5);
		sprintf(msg, "add %s", line);
		CHECK_MSG(tt_msg(&rep, msg) == 0, "replay of '%s' refused: %s",
			  msg, rep.error);
		free(msg);
	}
	check_valid(&rep, true);
	swapfail_table_init(&norm, xcalloc(x->t.extents + 1, sizeof(*norm.ext)),
			    x->t.extents + 1);
	CHECK(swapfail_table_copy(&x->t, &norm) == 0);
	sb_init(&want, 1U << 20);
	model_list(&want, &norm, NULL, 0);
	again = list_all(&rep);
	CHECK_MSG(!strcmp(again, want.buf), "list replays into:\n%.300s\n"
		  "expected:\n%.300s", again, want.buf);
	CHECK(rep.t.extents == norm.extents && rep.t.blocks == norm.blocks);
	free(again);
	free(want.buf);
	free(norm.ext);
	free(list);
	tt_free(&rep);
}

/* Status and the table line's features */

/* The INFO line must be the documented fields, in order. */
static void check_info(const struct tt *x)
{
	static const struct swapfail_stats s = {
		.count = { 1, 22, 333, 4444, 55555, 18446744073709551615ULL },
	};
	const struct swapfail_policy *p = &x->policy;
	struct swapfail_out out;
	u32 sizes[4] = { 1 };
	struct sb want;
	char *buf;
	u32 i, size;

	sb_init(&want, 1024);
	sb_printf(&want, "mode=%s quiet=%s extents=%u blocks=%llu reads=1 "
		  "writes=22 read_errors=333 write_errors=4444 healed=55555 "
		  "deferred=18446744073709551615 every_nth_read=%u "
		  "every_nth_write=%u error=%s",
		  p->enabled ? "enabled" : "bypass", p->quiet ? "on" : "off",
		  x->t.extents, (unsigned long long)x->t.blocks,
		  p->every_nth[SWAPFAIL_DIR_READ],
		  p->every_nth[SWAPFAIL_DIR_WRITE], error_names[p->error]);
	/* cut at once, halfway, at the last byte, and not at all */
	sizes[1] = want.len / 2 + 1;
	sizes[2] = want.len;
	sizes[3] = want.len + 1;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size = sizes[i];
		buf = xmalloc(size);
		swapfail_out_init(&out, buf, size);
		swapfail_emit_info(&out, &x->t, p, &s);
		check_answer(buf, size, &want, "status");
		CHECK(out.full == (want.len > size - 1));
		free(buf);
	}
	buf = xmalloc(LARGE);
	swapfail_out_init(&out, buf, LARGE);
	swapfail_emit_info(&out, &x->t, p, &s);
	check_answer(buf, LARGE, &want, "status");
	free(buf);
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
	const char *err = NULL;
	char buf[256], *line;
	u32 size, nr;

	nr = p->enabled + p->quiet + 2 * !!p->every_nth[0] +
	     2 * !!p->every_nth[1] + 2 * (p->error != SWAPFAIL_ERR_EIO);
	sb_init(&want, 256);
	if (nr)
		sb_printf(&want, " %u", nr);
	if (p->enabled)
		sb_printf(&want, " start_enabled");
	if (p->quiet)
		sb_printf(&want, " quiet");
	if (p->every_nth[SWAPFAIL_DIR_READ])
		sb_printf(&want, " every_nth_read %u",
			  p->every_nth[SWAPFAIL_DIR_READ]);
	if (p->every_nth[SWAPFAIL_DIR_WRITE])
		sb_printf(&want, " every_nth_write %u",
			  p->every_nth[SWAPFAIL_DIR_WRITE]);
	if (p->error != SWAPFAIL_ERR_EIO)
		sb_printf(&want, " error %s", error_names[p->error]);
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

/* Table lines */

static u64 blocks_of(u64 sectors, u32 shift)
{
	return (sectors >> shift) + !!(sectors & ((1ULL << shift) - 1));
}

static void step_ctr(const char *args_line)
{
	struct swapfail_ctr_args args;
	struct swapfail_policy p;
	const char *err = NULL;
	struct words w;
	u64 sectors, nr;
	bool reload;
	int r;

	words_split(&w, args_line);
	if (!w.argc || swapfail_parse_u64(w.argv[0], &sectors))
		goto out;
	r = swapfail_parse_ctr(w.argc - 1, w.argv + 1, sectors, &args, &err);
	CHECK_MSG(r == 0 || r == -EINVAL, "table line refused with %d", r);
	if (r) {
		CHECK_MSG(err, "table line refused without a reason");
		goto out;
	}
	/* what an accepted line promises the target */
	CHECK(w.argc >= 4 && args.dev_path == w.argv[1]);
	CHECK(args.block_size >= SWAPFAIL_MIN_BLOCK_SIZE &&
	      args.block_size <= SWAPFAIL_MAX_BLOCK_SIZE &&
	      !(args.block_size & (args.block_size - 1)));
	CHECK(args.block_shift <= 21 &&
	      512U << args.block_shift == args.block_size);
	CHECK(args.block_size / 512 <= sectors);
	CHECK(args.offset <= U64_MAX_ - sectors);
	CHECK(!(args.features & ~(u32)0x1f));
	CHECK(args.policy.error < SWAPFAIL_NR_ERRORS);
	CHECK(!(args.features & SWAPFAIL_FEAT_ERROR) ||
	      args.policy.error != SWAPFAIL_ERR_DEFAULT);

	swapfail_policy_init(&p);
	swapfail_policy_merge(&p, &args);
	check_features(&p);

	nr = blocks_of(sectors, args.block_shift);
	CHECK(nr >= 1);
	reload = dev_path && !strcmp(dev_path, args.dev_path) &&
		 dev_offset == args.offset && dev_block_size == args.block_size;
	if (!reload) {
		tt_free(&dev);
		tt_init(&dev, nr, args.offset % 4);
		free(dev_path);
		dev_path = xstrdup(args.dev_path);
		dev_offset = args.offset;
		dev_block_size = args.block_size;
	}
	dev.nr_blocks = nr;
	swapfail_policy_merge(&dev.policy, &args);
	check_features(&dev.policy);
out:
	words_free(&w);
}

/* I/O */

static bool model_fails(const struct swapfail_extent *e, enum swapfail_dir d)
{
	return (e->mode & (1U << d)) ||
	       (d == SWAPFAIL_DIR_WRITE && e->mode == SWAPFAIL_MODE_READ &&
		e->wr_fail);
}

/* The verdict of an I/O, by a walk over every slot. */
static void model_verdict(const struct swapfail_table *t, u64 first,
			  u64 last, enum swapfail_dir d,
			  struct swapfail_verdict *v)
{
	const struct swapfail_extent *e;
	u64 n;
	u32 i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < t->nr; i++) {
		e = &t->ext[i];
		if (ext_empty(e) || !overlap(e->start, e->end, first, last + 1))
			continue;
		if (model_fails(e, d) && !v->fail) {
			v->fail = true;
			v->error = e->error;
			v->block = e->start > first ? e->start : first;
		}
	}
	if (v->fail || d != SWAPFAIL_DIR_WRITE)
		return;
	for (i = 0; i < t->nr; i++) {
		e = &t->ext[i];
		if (e->mode != SWAPFAIL_MODE_READ)
			continue;
		n = overlap(e->start, e->end, first, last + 1);
		if (n && !v->healed)
			v->block = e->start > first ? e->start : first;
		v->healed += n;
	}
}

static bool verdict_equal(const struct swapfail_verdict *a,
			  const struct swapfail_verdict *b)
{
	return a->fail == b->fail && a->healed == b->healed &&
	       (a->fail ? a->error == b->error : true) &&
	       (a->fail || a->healed ? a->block == b->block : true);
}

/*
 * What an I/O left of each extent it found: a failed one spends a count
 * (and a write-fail count), an extent whose count runs out goes, a write
 * that passes heals the read-mode blocks it covers; nothing else changes.
 */
static void check_io_effect(const struct swapfail_table *old,
			    const struct swapfail_table *t, u64 first,
			    u64 last, enum swapfail_dir d,
			    const struct swapfail_verdict *v)
{
	const struct swapfail_extent *e, *now;
	struct swapfail_extent want;
	u64 size, gone;
	u32 i;

	if (old->nr > MODEL_MAX_EXTENTS)
		return;
	for (i = 0; i < old->nr; i++) {
		e = &old->ext[i];
		if (ext_empty(e))
			continue;
		size = e->end - e->start;
		want = *e;
		gone = 0;
		if (overlap(e->start, e->end, first, last + 1)) {
			if (v->fail && model_fails(e, d)) {
				if (d == SWAPFAIL_DIR_WRITE &&
				    e->mode == SWAPFAIL_MODE_READ)
					want.wr_fail--;
				if (want.count && !--want.count)
					gone = size;
			} else if (!v->fail && d == SWAPFAIL_DIR_WRITE &&
				   e->mode == SWAPFAIL_MODE_READ) {
				gone = overlap(e->start, e->end, first,
					       last + 1);
			}
		}
		CHECK_MSG(model_bad_in(t, e->start, e->end - 1) == size - gone,
			  "I/O %llu-%llu left %llu of %llu-%llu's blocks, "
			  "expected %llu", (unsigned long long)first,
			  (unsigned long long)last,
			  (unsigned long long)model_bad_in(t, e->start,
							   e->end - 1),
			  (unsigned long long)e->start,
			  (unsigned long long)e->end - 1,
			  (unsigned long long)(size - gone));
		if (gone == size)
			continue;
		now = model_at(t, e->start < first || gone == 0 ?
			       e->start : last + 1);
		CHECK_MSG(now && same_attrs(now, &want), "I/O %llu-%llu changed "
			  "the attributes of %llu-%llu",
			  (unsigned long long)first, (unsigned long long)last,
			  (unsigned long long)e->start,
			  (unsigned long long)e->end - 1);
	}
}

static void step_io(enum swapfail_dir d, const char *args_line)
{
	struct swapfail_verdict v, want, checked, applied;
	struct swapfail_table old;
	enum swapfail_check c;
	static struct tt clone;
	struct words w;
	u64 a, b, first, last, blocks_before;

	words_split(&w, args_line);
	if (w.argc != 2 || swapfail_parse_u64(w.argv[0], &a) ||
	    swapfail_parse_u64(w.argv[1], &b))
		goto out;
	first = a % dev.nr_blocks;
	last = b % dev.nr_blocks;
	if (first > last) {
		first = b % dev.nr_blocks;
		last = a % dev.nr_blocks;
	}
	old = dev.t;
	old.ext = ext_dup(&dev.t, dev.t.nr);
	blocks_before = dev.t.blocks;
	model_verdict(&old, first, last, d, &want);

	/* the lockless check, when final, is what applying would decide */
	c = swapfail_table_check(&dev.t, first, last, d, &checked);
	CHECK(c == SWAPFAIL_CHECK_DONE || c == SWAPFAIL_CHECK_UPDATE);
	if (c == SWAPFAIL_CHECK_DONE) {
		CHECK_MSG(verdict_equal(&checked, &want), "check of %s %llu-%llu"
			  " decided fail=%d, model %d", d ? "write" : "read",
			  (unsigned long long)first, (unsigned long long)last,
			  checked.fail, want.fail);
		tt_clone(&clone, &dev);
		CHECK(swapfail_table_apply(&clone.t, first, last, d,
					   &applied) == 0);
		CHECK(verdict_equal(&applied, &checked));
		CHECK_MSG(clone.t.nr == dev.t.nr &&
			  clone.t.extents == dev.t.extents &&
			  clone.t.blocks == dev.t.blocks &&
			  ext_same(clone.t.ext, dev.t.ext, dev.t.nr),
			  "check said final, but applying changed the table");
		tt_free(&clone);
	}

	CHECK(tt_io(&dev, first, last, d, &v) == (c == SWAPFAIL_CHECK_DONE));
	check_valid(&dev, false);
	CHECK_MSG(verdict_equal(&v, &want), "%s %llu-%llu: fail=%d error=%u "
		  "block=%llu healed=%llu; model fail=%d error=%u block=%llu "
		  "healed=%llu", d ? "write" : "read",
		  (unsigned long long)first, (unsigned long long)last, v.fail,
		  v.error, (unsigned long long)v.block,
		  (unsigned long long)v.healed, want.fail, want.error,
		  (unsigned long long)want.block,
		  (unsigned long long)want.healed);
	CHECK(v.error < SWAPFAIL_NR_ERRORS);
	if (v.fail) {
		CHECK(!v.healed && v.block >= first && v.block <= last);
		CHECK(dev.t.blocks <= blocks_before);
	} else if (d == SWAPFAIL_DIR_WRITE) {
		/* a write that passes leaves its blocks good */
		CHECK(model_bad_in(&dev.t, first, last) == 0);
		CHECK(blocks_before - dev.t.blocks == v.healed);
	} else {
		CHECK(dev.t.nr == old.nr && dev.t.blocks == old.blocks &&
		      ext_same(dev.t.ext, old.ext, old.nr));
	}
	check_io_effect(&old, &dev.t, first, last, d, &v);
	free(old.ext);
out:
	words_free(&w);
}

/* Messages */

/* The model's answer to a parsed message, from the table before it. */
static void model_answer(struct sb *s, const struct swapfail_msg *m,
			 const struct swapfail_table *t)
{
	struct swapfail_range *u;
	u64 blocks = 0, b;
	u32 i, n, extents = 0;

	switch (m->verb) {
	case SWAPFAIL_MSG_QUERY:
		for (i = 0; i < m->nr_ranges; i++)
			sb_printf(s, "%llu-%llu bad=%llu\n",
				  (unsigned long long)m->ranges[i].first,
				  (unsigned long long)m->ranges[i].last,
				  (unsigned long long)model_bad_in(t,
					m->ranges[i].first, m->ranges[i].last));
		break;
	case SWAPFAIL_MSG_LIST:
		model_list(s, t, m->ranges, m->nr_ranges);
		break;
	case SWAPFAIL_MSG_COUNT:
		if (!m->nr_ranges) {
			sb_printf(s, "extents=%u blocks=%llu", t->extents,
				  (unsigned long long)t->blocks);
			break;
		}
		u = xcalloc(m->nr_ranges, sizeof(*u));
		n = model_union(m->ranges, m->nr_ranges, u);
		for (i = 0; i < n; i++)
			blocks += model_bad_in(t, u[i].first, u[i].last);
		for (i = 0; i < t->nr; i++)
			extents += !ext_empty(&t->ext[i]) &&
				   overlaps_any(&t->ext[i], u, n);
		sb_printf(s, "extents=%u blocks=%llu", extents,
			  (unsigned long long)blocks);
		free(u);
		break;
	case SWAPFAIL_MSG_DUST_QUERY:
		b = m->ranges[0].first;
		sb_printf(s, "dust_query_block: block %llu %s in badblocklist",
			  (unsigned long long)b,
			  model_bad_in(t, b, b) ? "found" : "not found");
		break;
	case SWAPFAIL_MSG_DUST_COUNT:
		sb_printf(s, "countbadblocks: %llu badblock(s) found",
			  (unsigned long long)t->blocks);
		break;
	case SWAPFAIL_MSG_DUST_LIST:
		if (!t->blocks)
			sb_printf(s, "No blocks in badblocklist");
		for (i = 0; i < t->nr && !sb_full(s); i++)
			for (b = t->ext[i].start;
			     b < t->ext[i].end && !sb_full(s); b++)
				sb_printf(s, "%llu\n", (unsigned long long)b);
		break;
	case SWAPFAIL_MSG_DUST_CLEAR:
		sb_printf(s, "dust_clear_badblocks: %s",
			  t->blocks ? "badblocks cleared" :
				      "no badblocks found");
		break;
	default:
		/* stats is answered by the target, not through the core */
		break;
	}
}

/* Whether the model accepts an edit that parsed, against table @t. */
static bool model_edit_ok(const struct swapfail_msg *m,
			  const struct swapfail_table *t)
{
	struct swapfail_range *u;
	bool ok = true;
	u32 i;

	switch (m->verb) {
	case SWAPFAIL_MSG_ADD:
	case SWAPFAIL_MSG_DUST_ADD:
		u = xcalloc(m->nr_ranges, sizeof(*u));
		if (m->nr_ranges)
			memcpy(u, m->ranges, m->nr_ranges * sizeof(*u));
		qsort(u, m->nr_ranges, sizeof(*u), range_cmp);
		for (i = 0; i < m->nr_ranges && ok; i++)
			ok = (!i || u[i].first > u[i - 1].last) &&
			     !model_bad_in(t, u[i].first, u[i].last);
		free(u);
		return ok;
	case SWAPFAIL_MSG_REMOVE:
	case SWAPFAIL_MSG_DUST_REMOVE:
		for (i = 0; i < m->nr_ranges && ok; i++)
			ok = model_bad_in(t, m->ranges[i].first,
					  m->ranges[i].last);
		return ok;
	default:
		return true;
	}
}

/* What an accepted edit did, against the table before it. */
static void check_edit_effect(const struct swapfail_msg *m,
			      const struct swapfail_table *old,
			      const struct swapfail_table *t)
{
	const struct swapfail_extent *e, *now;
	struct swapfail_extent want = {
		.count = m->attr.count, .mode = m->attr.mode,
		.wr_fail = m->attr.wr_fail, .error = m->attr.error,
	};
	struct swapfail_range *u;
	u64 added = 0, gone;
	u32 i, j, n;
	bool add;

	switch (m->verb) {
	case SWAPFAIL_MSG_CLEAR:
	case SWAPFAIL_MSG_DUST_CLEAR:
		CHECK(t->extents == 0 && t->blocks == 0);
		return;
	case SWAPFAIL_MSG_ADD:
	case SWAPFAIL_MSG_DUST_ADD:
	case SWAPFAIL_MSG_REMOVE:
	case SWAPFAIL_MSG_DUST_REMOVE:
		break;
	default:
		return;
	}
	add = m->verb == SWAPFAIL_MSG_ADD || m->verb == SWAPFAIL_MSG_DUST_ADD;
	u = xcalloc(m->nr_ranges, sizeof(*u));
	n = model_union(m->ranges, m->nr_ranges, u);
	for (j = 0; j < n; j++) {
		u64 size = u[j].last - u[j].first + 1;

		CHECK_MSG(model_bad_in(t, u[j].first, u[j].last) ==
			  (add ? size : 0), "after the edit, %llu-%llu holds "
			  "%llu bad blocks", (unsigned long long)u[j].first,
			  (unsigned long long)u[j].last,
			  (unsigned long long)model_bad_in(t, u[j].first,
							   u[j].last));
		added += add ? size : model_bad_in(old, u[j].first, u[j].last);
	}
	/* the new extents carry the message's attributes, unjoined if
	 * they count */
	for (i = 0; add && i < m->nr_ranges; i++) {
		e = model_at(t, m->ranges[i].first);
		CHECK(e && same_attrs(e, &want));
		CHECK(!(want.count || want.wr_fail) ||
		      (e->start == m->ranges[i].first &&
		       e->end == m->ranges[i].last + 1));
	}
	CHECK_MSG(t->blocks == (add ? old->blocks + added :
				      old->blocks - added),
		  "edit: %llu blocks, was %llu, %s %llu",
		  (unsigned long long)t->blocks,
		  (unsigned long long)old->blocks, add ? "added" : "removed",
		  (unsigned long long)added);
	/* the other blocks of each old extent are there, as they were */
	for (i = 0; old->nr <= MODEL_MAX_EXTENTS && i < old->nr; i++) {
		e = &old->ext[i];
		if (ext_empty(e))
			continue;
		gone = 0;
		for (j = 0; !add && j < n; j++)
			gone += overlap(e->start, e->end, u[j].first,
					u[j].last + 1);
		CHECK(model_bad_in(t, e->start, e->end - 1) ==
		      e->end - e->start - gone);
		for (j = 0; j < n; j++)
			if (!add && u[j].first <= e->start &&
			    e->start <= u[j].last)
				break;
		if (j < n)
			continue;
		now = model_at(t, e->start);
		CHECK(now && same_attrs(now, e));
	}
	free(u);
}

/*
 * An accepted edit of @old that built @result: the size it was prepared
 * with is enough, and a build into less room than it takes (the kernel's
 * build from a table that I/O grew meanwhile) fails with -ENOSPC without
 * writing past its array; in just enough room it builds @result.
 */
static void check_edit_room(const char *line, const struct swapfail_table *old,
			    const struct swapfail_table *result)
{
	struct swapfail_extent *ext;
	struct swapfail_table t;
	struct swapfail_msg m;
	const char *err = NULL;
	struct words w;
	u32 room;
	int size, r;

	words_split(&w, line);
	m.ranges = xcalloc(w.argc ? w.argc : 1, sizeof(*m.ranges));
	CHECK(swapfail_parse_msg(w.argc, w.argv, dev.nr_blocks, &m, &err) == 0);
	size = swapfail_edit_prepare(old, &m, &err);
	CHECK_MSG(size >= 0 && (u32)size >= result->nr, "edit prepared %d "
		  "slots, built %u", size, result->nr);
	for (room = 0;; room = room < 16 ? room + 1 : room * 2) {
		if (room > result->nr)
			room = result->nr;
		/* exactly @room slots: ASan sees any write past them */
		ext = xmalloc(room * sizeof(*ext));
		swapfail_table_init(&t, ext, room);
		r = swapfail_edit_build(old, &m, &t);
		CHECK(t.nr <= room);
		if (room < result->nr)
			CHECK_MSG(r == -ENOSPC, "edit built in %u slots of %u: %d",
				  room, result->nr, r);
		else
			CHECK(r == 0 && t.nr == result->nr &&
			      t.extents == result->extents &&
			      t.blocks == result->blocks &&
			      ext_same(t.ext, result->ext, t.nr));
		free(ext);
		if (room == result->nr)
			break;
	}
	free(m.ranges);
	words_free(&w);
}

/* The policy after a policy message, from the one before it. */
static void model_policy(const struct swapfail_msg *m,
			 struct swapfail_policy *p)
{
	switch (m->verb) {
	case SWAPFAIL_MSG_ENABLE:
		p->enabled = true;
		break;
	case SWAPFAIL_MSG_DISABLE:
		p->enabled = false;
		break;
	case SWAPFAIL_MSG_QUIET_TOGGLE:
		p->quiet = !p->quiet;
		break;
	case SWAPFAIL_MSG_QUIET:
		p->quiet = m->value;
		break;
	case SWAPFAIL_MSG_EVERY_NTH:
		p->every_nth[m->dir] = m->value;
		break;
	case SWAPFAIL_MSG_ERROR:
		p->error = m->value;
		break;
	default:
		break;
	}
}

static void step_msg(const char *line)
{
	struct swapfail_msg m;
	struct swapfail_policy p;
	const char *perr = NULL;
	struct sb want;
	struct words w;
	struct snap before;
	static struct tt clone_tt, *clone = &clone_tt;
	static char *large;	/* LARGE bytes, allocated once */
	char *small;
	u32 small_size;
	int pr, r, rs;

	/* the core's own parse, into a ranges array as tight as the kernel's */
	words_split(&w, line);
	m.ranges = xcalloc(w.argc ? w.argc : 1, sizeof(*m.ranges));
	pr = swapfail_parse_msg(w.argc, w.argv, dev.nr_blocks, &m, &perr);
	CHECK_MSG(pr == 0 || pr == -EINVAL, "parse returned %d", pr);
	CHECK_MSG(!pr || perr, "message refused without a reason");
	if (!pr) {
		CHECK(m.nr_ranges <= w.argc);
		if (m.verb == SWAPFAIL_MSG_ADD ||
		    m.verb == SWAPFAIL_MSG_DUST_ADD)
			CHECK(m.attr.mode >= SWAPFAIL_MODE_READ &&
			      m.attr.mode <= SWAPFAIL_MODE_RW &&
			      m.attr.error < SWAPFAIL_NR_ERRORS &&
			      (!m.attr.wr_fail ||
			       m.attr.mode == SWAPFAIL_MODE_READ));
		/* remove may name blocks past the end; nothing else may */
		for (u32 i = 0; i < m.nr_ranges; i++)
			CHECK(m.ranges[i].first <= m.ranges[i].last &&
			      (m.verb == SWAPFAIL_MSG_REMOVE ||
			       m.ranges[i].last < dev.nr_blocks));
	}
	snap_take(&before, &dev);
	sb_init(&want, LARGE);
	if (!pr)
		model_answer(&want, &m, &before.t);

	/* the same message with a small buffer, on a copy of the device */
	tt_clone(clone, &dev);
	small_size = 1 + strlen(line) % 61;
	small = xmalloc(small_size);
	rs = tt_msg_out(clone, line, small, small_size);

	if (!large)
		large = xmalloc(LARGE);
	r = tt_msg_out(&dev, line, large, LARGE);
	check_valid(&dev, false);
	CHECK_MSG(r == 1 || r == 0 || r == -EINVAL || r == -ENOMEM,
		  "message returned %d", r);
	CHECK_MSG(rs == r, "message returned %d with a large buffer, %d with "
		  "%u bytes", r, rs, small_size);
	if (r < 0)
		CHECK_MSG(dev.error, "message refused without a reason");
	if (pr)
		CHECK_MSG(r == pr, "core parse refused (%s), message %d", perr,
			  r);

	if (r == 1) {
		check_answer(large, LARGE, &want, "answer");
		check_answer(small, small_size, &want, "small answer");
	} else {
		CHECK(memchr(large, '\0', LARGE) &&
		      memchr(small, '\0', small_size));
	}
	if (!pr) {
		CHECK_MSG((r >= 0) == model_edit_ok(&m, &before.t),
			  "message returned %d, model %s it (%s)", r,
			  model_edit_ok(&m, &before.t) ? "accepts" : "refuses",
			  dev.error);
		if (r >= 0)
			CHECK(r == (m.answers ? 1 : 0));
	}

	/* the buffer size changes nothing but the answer */
	CHECK(clone->t.nr == dev.t.nr && clone->t.extents == dev.t.extents &&
	      clone->t.blocks == dev.t.blocks &&
	      ext_same(clone->t.ext, dev.t.ext, dev.t.nr));
	CHECK(policy_equal(&clone->policy, &dev.policy));
	tt_free(clone);

	if (r < 0) {
		check_unchanged(&dev, &before, "a refused message");
	} else if (m.edits) {
		check_valid(&dev, true);
		check_edit_effect(&m, &before.t, &dev.t);
		check_edit_room(line, &before.t, &dev.t);
		CHECK(policy_equal(&dev.policy, &before.policy));
		if (dev.t.extents <= 256)
			check_replay(&dev);
	} else if (m.answers) {
		check_unchanged(&dev, &before, "a question");
	} else {
		p = before.policy;
		model_policy(&m, &p);
		CHECK(policy_equal(&dev.policy, &p));
		CHECK(dev.t.ext == before.ext && dev.t.nr == before.t.nr &&
		      ext_same(dev.t.ext, before.t.ext, before.t.nr));
		check_features(&dev.policy);
	}
	free(small);
	free(want.buf);
	snap_free(&before);
	free(m.ranges);
	words_free(&w);
}

static void step(const char *line)
{
	cur_line = line;
	if (!strncmp(line, "ctr ", 4))
		step_ctr(line + 4);
	else if (!strncmp(line, "read ", 5))
		step_io(SWAPFAIL_DIR_READ, line + 5);
	else if (!strncmp(line, "write ", 6))
		step_io(SWAPFAIL_DIR_WRITE, line + 6);
	else if (strspn(line, " ") < strlen(line))
		step_msg(line);
	check_valid(&dev, false);
	check_info(&dev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *nl;
	size_t len;
	char *line;

	tt_init(&dev, DEFAULT_NR_BLOCKS, 0);
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
	check_replay(&dev);
	tt_free(&dev);
	free(dev_path);
	dev_path = NULL;
	return 0;
}
