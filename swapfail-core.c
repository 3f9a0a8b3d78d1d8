// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-swapfail core: the bad-extent table, the failure decision, and the
 * parsing of table lines and messages.
 *
 * The table is an array of disjoint extents sorted by block.  Readers
 * binary-search it.  A message never edits the live array: it builds a
 * new one (copy on write) which the target publishes.  An I/O edits the
 * live array in place, under the target's lock, for the few things an I/O
 * does to the table: a count running down, a write-fail count running
 * down, and a write healing blocks of a read-mode extent.
 *
 * The block arithmetic divides 64-bit numbers, so the module is built for
 * 64-bit kernels only.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "dm-swapfail.h"

#define SWAPFAIL_U64_MAX	(~(u64)0)
#define SWAPFAIL_U32_MAX	(~(u32)0)
#define SWAPFAIL_ANY_ARGS	255

static const char * const swapfail_error_names[SWAPFAIL_NR_ERRORS] = {
	[SWAPFAIL_ERR_DEFAULT] = "default",
	[SWAPFAIL_ERR_EIO] = "EIO",
	[SWAPFAIL_ERR_ENODATA] = "ENODATA",
	[SWAPFAIL_ERR_ENOLINK] = "ENOLINK",
	[SWAPFAIL_ERR_ETIMEDOUT] = "ETIMEDOUT",
	[SWAPFAIL_ERR_ENOSPC] = "ENOSPC",
	[SWAPFAIL_ERR_EILSEQ] = "EILSEQ",
	[SWAPFAIL_ERR_EREMOTEIO] = "EREMOTEIO",
};

static const char * const swapfail_mode_names[] = {
	[SWAPFAIL_MODE_READ] = "read",
	[SWAPFAIL_MODE_WRITE] = "write",
	[SWAPFAIL_MODE_RW] = "rw",
};

/* Index of @name (any case) in names[first..last], or -EINVAL. */
static int swapfail_name_index(const char *name, const char * const *names,
			       unsigned int first, unsigned int last)
{
	unsigned int i;

	for (i = first; i <= last; i++)
		if (!strcasecmp(name, names[i]))
			return i;
	return -EINVAL;
}

const char *swapfail_error_name(unsigned int error)
{
	if (error >= SWAPFAIL_NR_ERRORS)
		return "?";
	return swapfail_error_names[error];
}

/* Accepts the errno names only: a device default cannot be "default". */
int swapfail_error_parse(const char *name, u8 *error)
{
	int i = swapfail_name_index(name, swapfail_error_names,
				    SWAPFAIL_ERR_EIO, SWAPFAIL_NR_ERRORS - 1);

	if (i < 0)
		return i;
	*error = i;
	return 0;
}

const char *swapfail_mode_name(unsigned int mode)
{
	if (mode < SWAPFAIL_MODE_READ || mode > SWAPFAIL_MODE_RW)
		return "?";
	return swapfail_mode_names[mode];
}

static int swapfail_mode_parse(const char *name, u8 *mode)
{
	int i = swapfail_name_index(name, swapfail_mode_names,
				    SWAPFAIL_MODE_READ, SWAPFAIL_MODE_RW);

	if (i < 0)
		return i;
	*mode = i;
	return 0;
}

/*
 * Numbers are plain decimal: no sign, no space, no base prefix.  Returns
 * the first character after the digits, or NULL if there were none or
 * the value overflows.
 */
static const char *swapfail_scan_u64(const char *s, u64 *value)
{
	const char *p;
	u64 v = 0;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		unsigned int digit = *p - '0';

		if (v > (SWAPFAIL_U64_MAX - digit) / 10)
			return NULL;
		v = v * 10 + digit;
	}
	if (p == s)
		return NULL;
	*value = v;
	return p;
}

int swapfail_parse_u64(const char *s, u64 *value)
{
	const char *end;
	u64 v;

	end = swapfail_scan_u64(s, &v);
	if (!end || *end)
		return -EINVAL;
	*value = v;
	return 0;
}

int swapfail_parse_u32(const char *s, u32 *value)
{
	u64 v;

	if (swapfail_parse_u64(s, &v) || v > SWAPFAIL_U32_MAX)
		return -EINVAL;
	*value = v;
	return 0;
}

/*
 * "A" is one block, "A-B" the blocks A to B inclusive, "A+N" the N blocks
 * from A.  -EINVAL for bad syntax, -ERANGE for blocks past the device.
 */
int swapfail_parse_range(const char *s, u64 nr_blocks,
			 struct swapfail_range *range)
{
	const char *p = swapfail_scan_u64(s, &range->first);
	u64 n;

	if (!p)
		return -EINVAL;
	switch (*p) {
	case '\0':
		range->last = range->first;
		break;
	case '-':
		if (swapfail_parse_u64(p + 1, &range->last) ||
		    range->last < range->first)
			return -EINVAL;
		break;
	case '+':
		if (swapfail_parse_u64(p + 1, &n) || !n)
			return -EINVAL;
		if (n - 1 > SWAPFAIL_U64_MAX - range->first)
			return -ERANGE;
		range->last = range->first + (n - 1);
		break;
	default:
		return -EINVAL;
	}
	return range->last < nr_blocks ? 0 : -ERANGE;
}

/* Table line */

static int swapfail_parse_block_size(const char *s, u64 target_sectors,
				     struct swapfail_ctr_args *args,
				     const char **error)
{
	u32 bs;

	if (swapfail_parse_u32(s, &bs) || !bs) {
		*error = "Invalid block size parameter";
		return -EINVAL;
	}
	if (bs < SWAPFAIL_MIN_BLOCK_SIZE) {
		*error = "Block size must be at least 512";
		return -EINVAL;
	}
	if (bs & (bs - 1)) {
		*error = "Block size must be a power of 2";
		return -EINVAL;
	}
	if (bs > SWAPFAIL_MAX_BLOCK_SIZE || bs / 512 > target_sectors) {
		*error = "Block size is too large";
		return -EINVAL;
	}
	args->block_size = bs;
	for (args->block_shift = 0; (512U << args->block_shift) < bs;)
		args->block_shift++;
	return 0;
}

struct swapfail_feature {
	const char *name;
	u32 bit;
	bool has_value;
	const char *bad_value;	/* ti->error for a missing or bad value */
};

static const struct swapfail_feature swapfail_features[] = {
	{ "start_enabled", SWAPFAIL_FEAT_START_ENABLED, false, NULL },
	{ "quiet", SWAPFAIL_FEAT_QUIET, false, NULL },
	{ "every_nth_read", SWAPFAIL_FEAT_NTH_READ, true,
	  "Invalid every_nth_read value" },
	{ "every_nth_write", SWAPFAIL_FEAT_NTH_WRITE, true,
	  "Invalid every_nth_write value" },
	{ "error", SWAPFAIL_FEAT_ERROR, true, "Invalid error name" },
};

static const struct swapfail_feature *swapfail_feature_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swapfail_features); i++)
		if (!strcasecmp(name, swapfail_features[i].name))
			return &swapfail_features[i];
	return NULL;
}

static int swapfail_feature_value(const struct swapfail_feature *f,
				  const char *value,
				  struct swapfail_policy *p)
{
	switch (f->bit) {
	case SWAPFAIL_FEAT_START_ENABLED:
		p->enabled = true;
		return 0;
	case SWAPFAIL_FEAT_QUIET:
		p->quiet = true;
		return 0;
	case SWAPFAIL_FEAT_NTH_READ:
		return swapfail_parse_u32(value,
					  &p->every_nth[SWAPFAIL_DIR_READ]);
	case SWAPFAIL_FEAT_NTH_WRITE:
		return swapfail_parse_u32(value,
					  &p->every_nth[SWAPFAIL_DIR_WRITE]);
	default:
		return swapfail_error_parse(value, &p->error);
	}
}

/* [<#feature_args> <feature_arg>...], where the count covers values too. */
static int swapfail_parse_features(unsigned int argc, char **argv,
				   struct swapfail_ctr_args *args,
				   const char **error)
{
	const struct swapfail_feature *f;
	unsigned int i;
	u32 nr;

	if (!argc)
		return 0;
	if (swapfail_parse_u32(argv[0], &nr) || nr != argc - 1) {
		*error = "Invalid number of feature arguments";
		return -EINVAL;
	}
	for (i = 1; i < argc; i++) {
		f = swapfail_feature_find(argv[i]);
		if (!f) {
			*error = "Unrecognised feature requested";
			return -EINVAL;
		}
		if (args->features & f->bit) {
			*error = "Feature given twice";
			return -EINVAL;
		}
		args->features |= f->bit;
		if (f->has_value && ++i == argc) {
			*error = f->bad_value;
			return -EINVAL;
		}
		if (swapfail_feature_value(f, f->has_value ? argv[i] : NULL,
					   &args->policy)) {
			*error = f->bad_value;
			return -EINVAL;
		}
	}
	return 0;
}

/* <dev> <offset> <block_size> [<#feature_args> <feature_arg>...] */
int swapfail_parse_ctr(unsigned int argc, char **argv, u64 target_sectors,
		       struct swapfail_ctr_args *args, const char **error)
{
	memset(args, 0, sizeof(*args));
	if (argc < 3) {
		*error = "Invalid argument count";
		return -EINVAL;
	}
	args->dev_path = argv[0];
	if (swapfail_parse_u64(argv[1], &args->offset) ||
	    args->offset > SWAPFAIL_U64_MAX - target_sectors) {
		*error = "Invalid device offset sector";
		return -EINVAL;
	}
	if (swapfail_parse_block_size(argv[2], target_sectors, args, error))
		return -EINVAL;
	return swapfail_parse_features(argc - 3, argv + 3, args, error);
}

/* Messages */

#define SWAPFAIL_ATTR_MODE	BIT(0)
#define SWAPFAIL_ATTR_COUNT	BIT(1)
#define SWAPFAIL_ATTR_ERROR	BIT(2)
#define SWAPFAIL_ATTR_WR_FAIL	BIT(3)

static int swapfail_range_error(int r, const char **error)
{
	*error = r == -ERANGE ? "range past the end of the device" :
				"invalid range: use A, A-B or A+N";
	return -EINVAL;
}

static int swapfail_attr_value(const char *key, const char *value,
			       struct swapfail_attr *attr, u32 *seen,
			       const char **error)
{
	u32 v;

	if (!strcmp(key, "mode")) {
		*seen |= SWAPFAIL_ATTR_MODE;
		*error = "invalid mode: use read, write or rw";
		return swapfail_mode_parse(value, &attr->mode);
	}
	if (!strcmp(key, "count")) {
		*seen |= SWAPFAIL_ATTR_COUNT;
		*error = "invalid count: use 1 to 4294967295";
		if (swapfail_parse_u32(value, &attr->count) || !attr->count)
			return -EINVAL;
		return 0;
	}
	if (!strcmp(key, "error")) {
		*seen |= SWAPFAIL_ATTR_ERROR;
		*error = "invalid error name";
		return swapfail_error_parse(value, &attr->error);
	}
	if (!strcmp(key, "wr_fail")) {
		*seen |= SWAPFAIL_ATTR_WR_FAIL;
		*error = "invalid wr_fail: use 0 to 255";
		if (swapfail_parse_u32(value, &v) || v > SWAPFAIL_MAX_WR_FAIL)
			return -EINVAL;
		attr->wr_fail = v;
		return 0;
	}
	*error = "unknown attribute: use mode, count, error or wr_fail";
	return -EINVAL;
}

/* "key=value"; each key at most once. */
static int swapfail_parse_attr(const char *s, struct swapfail_attr *attr,
			       u32 *seen, const char **error)
{
	char key[16];
	const char *eq = strchr(s, '=');
	u32 before = *seen;
	size_t len = eq - s;

	if (len >= sizeof(key)) {
		*error = "unknown attribute: use mode, count, error or wr_fail";
		return -EINVAL;
	}
	memcpy(key, s, len);
	key[len] = '\0';
	if (swapfail_attr_value(key, eq + 1, attr, seen, error))
		return -EINVAL;
	if (before == *seen) {
		*error = "attribute given twice";
		return -EINVAL;
	}
	return 0;
}

static int swapfail_parse_ranges(unsigned int argc, char **argv,
				 u64 nr_blocks, struct swapfail_msg *msg,
				 const char **error)
{
	unsigned int i;
	int r;

	for (i = 0; i < argc; i++) {
		r = swapfail_parse_range(argv[i], nr_blocks, &msg->ranges[i]);
		if (r)
			return swapfail_range_error(r, error);
	}
	msg->nr_ranges = argc;
	return 0;
}

/* add <range>... [mode=M] [count=N] [error=E] [wr_fail=K], in any order */
static int swapfail_parse_add(unsigned int argc, char **argv, u64 nr_blocks,
			      struct swapfail_msg *msg, const char **error)
{
	struct swapfail_range *range;
	unsigned int i;
	u32 seen = 0;
	int r;

	msg->attr.mode = SWAPFAIL_MODE_READ;
	for (i = 0; i < argc; i++) {
		if (strchr(argv[i], '=')) {
			if (swapfail_parse_attr(argv[i], &msg->attr, &seen,
						error))
				return -EINVAL;
			continue;
		}
		range = &msg->ranges[msg->nr_ranges++];
		r = swapfail_parse_range(argv[i], nr_blocks, range);
		if (r)
			return swapfail_range_error(r, error);
	}
	if (!msg->nr_ranges) {
		*error = "add needs at least one range";
		return -EINVAL;
	}
	if (msg->attr.wr_fail && msg->attr.mode != SWAPFAIL_MODE_READ) {
		*error = "wr_fail applies to mode=read only";
		return -EINVAL;
	}
	return 0;
}

static int swapfail_parse_dust_block(unsigned int argc, char **argv,
				     u64 nr_blocks, struct swapfail_msg *msg,
				     const char **error)
{
	struct swapfail_range *range = &msg->ranges[0];

	if (swapfail_parse_u64(argv[0], &range->first)) {
		*error = "invalid block number";
		return -EINVAL;
	}
	if (range->first >= nr_blocks) {
		*error = "selected block value out of range";
		return -EINVAL;
	}
	range->last = range->first;
	msg->nr_ranges = 1;
	return 0;
}

/* addbadblock <block> [<wr_fail_cnt>] */
static int swapfail_parse_dust_add(unsigned int argc, char **argv,
				   u64 nr_blocks, struct swapfail_msg *msg,
				   const char **error)
{
	u32 wr_fail = 0;

	if (argc == 2 && (swapfail_parse_u32(argv[1], &wr_fail) ||
			  wr_fail > SWAPFAIL_MAX_WR_FAIL)) {
		*error = "selected write fail count out of range";
		return -EINVAL;
	}
	msg->attr.mode = SWAPFAIL_MODE_READ;
	msg->attr.wr_fail = wr_fail;
	return swapfail_parse_dust_block(argc, argv, nr_blocks, msg, error);
}

static int swapfail_parse_quiet(unsigned int argc, char **argv,
				u64 nr_blocks, struct swapfail_msg *msg,
				const char **error)
{
	msg->verb = SWAPFAIL_MSG_QUIET;
	if (!strcasecmp(argv[0], "on")) {
		msg->value = 1;
		return 0;
	}
	if (!strcasecmp(argv[0], "off")) {
		msg->value = 0;
		return 0;
	}
	*error = "quiet takes on or off";
	return -EINVAL;
}

static int swapfail_parse_nth(unsigned int argc, char **argv, u64 nr_blocks,
			      struct swapfail_msg *msg, const char **error)
{
	if (swapfail_parse_u32(argv[0], &msg->value)) {
		*error = "every_nth takes 0 (off) to 4294967295";
		return -EINVAL;
	}
	return 0;
}

static int swapfail_parse_error_msg(unsigned int argc, char **argv,
				    u64 nr_blocks, struct swapfail_msg *msg,
				    const char **error)
{
	u8 e;

	if (swapfail_error_parse(argv[0], &e)) {
		*error = "invalid error name";
		return -EINVAL;
	}
	msg->value = e;
	return 0;
}

#define SWAPFAIL_EDITS		BIT(0)
#define SWAPFAIL_ANSWERS	BIT(1)
/* Ranges may lie past the end: what is in the table can always be removed. */
#define SWAPFAIL_ANY_BLOCK	BIT(2)

struct swapfail_verb_spec {
	const char *name;
	enum swapfail_verb verb;
	u8 min_args;
	u8 max_args;
	u8 dir;
	u8 flags;			/* SWAPFAIL_EDITS, SWAPFAIL_ANSWERS */
	/* NULL: the verb takes no arguments */
	int (*parse)(unsigned int argc, char **argv, u64 nr_blocks,
		     struct swapfail_msg *msg, const char **error);
};

/* name, verb, min and max arguments, direction, flags, parser */
static const struct swapfail_verb_spec swapfail_verbs[] = {
	{ "add", SWAPFAIL_MSG_ADD, 1, SWAPFAIL_ANY_ARGS, 0, SWAPFAIL_EDITS,
	  swapfail_parse_add },
	{ "remove", SWAPFAIL_MSG_REMOVE, 1, SWAPFAIL_ANY_ARGS, 0,
	  SWAPFAIL_EDITS | SWAPFAIL_ANY_BLOCK, swapfail_parse_ranges },
	{ "query", SWAPFAIL_MSG_QUERY, 1, SWAPFAIL_ANY_ARGS, 0, SWAPFAIL_ANSWERS,
	  swapfail_parse_ranges },
	{ "list", SWAPFAIL_MSG_LIST, 0, SWAPFAIL_ANY_ARGS, 0, SWAPFAIL_ANSWERS,
	  swapfail_parse_ranges },
	{ "count", SWAPFAIL_MSG_COUNT, 0, SWAPFAIL_ANY_ARGS, 0, SWAPFAIL_ANSWERS,
	  swapfail_parse_ranges },
	{ "clear", SWAPFAIL_MSG_CLEAR, 0, 0, 0, SWAPFAIL_EDITS, NULL },
	{ "addbadblock", SWAPFAIL_MSG_DUST_ADD, 1, 2, 0, SWAPFAIL_EDITS,
	  swapfail_parse_dust_add },
	{ "removebadblock", SWAPFAIL_MSG_DUST_REMOVE, 1, 1, 0, SWAPFAIL_EDITS,
	  swapfail_parse_dust_block },
	{ "queryblock", SWAPFAIL_MSG_DUST_QUERY, 1, 1, 0, SWAPFAIL_ANSWERS,
	  swapfail_parse_dust_block },
	{ "countbadblocks", SWAPFAIL_MSG_DUST_COUNT, 0, 0, 0, SWAPFAIL_ANSWERS,
	  NULL },
	{ "clearbadblocks", SWAPFAIL_MSG_DUST_CLEAR, 0, 0, 0,
	  SWAPFAIL_EDITS | SWAPFAIL_ANSWERS, NULL },
	{ "listbadblocks", SWAPFAIL_MSG_DUST_LIST, 0, 0, 0, SWAPFAIL_ANSWERS, NULL },
	{ "enable", SWAPFAIL_MSG_ENABLE, 0, 0, 0, 0, NULL },
	{ "disable", SWAPFAIL_MSG_DISABLE, 0, 0, 0, 0, NULL },
	{ "quiet", SWAPFAIL_MSG_QUIET_TOGGLE, 0, 1, 0, 0,
	  swapfail_parse_quiet },
	{ "every_nth_read", SWAPFAIL_MSG_EVERY_NTH, 1, 1, SWAPFAIL_DIR_READ, 0,
	  swapfail_parse_nth },
	{ "every_nth_write", SWAPFAIL_MSG_EVERY_NTH, 1, 1, SWAPFAIL_DIR_WRITE,
	  0, swapfail_parse_nth },
	{ "error", SWAPFAIL_MSG_ERROR, 1, 1, 0, 0, swapfail_parse_error_msg },
	{ "stats", SWAPFAIL_MSG_STATS, 0, 0, 0, SWAPFAIL_ANSWERS, NULL },
	{ "reset_stats", SWAPFAIL_MSG_RESET_STATS, 0, 0, 0, 0, NULL },
};

static const struct swapfail_verb_spec *swapfail_verb_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swapfail_verbs); i++)
		if (!strcasecmp(name, swapfail_verbs[i].name))
			return &swapfail_verbs[i];
	return NULL;
}

int swapfail_parse_msg(unsigned int argc, char **argv, u64 nr_blocks,
		       struct swapfail_msg *msg, const char **error)
{
	const struct swapfail_verb_spec *spec;
	struct swapfail_range *ranges = msg->ranges;

	memset(msg, 0, sizeof(*msg));
	msg->ranges = ranges;
	spec = argc ? swapfail_verb_find(argv[0]) : NULL;
	if (!spec) {
		*error = "unrecognised message";
		return -EINVAL;
	}
	if (argc - 1 < spec->min_args ||
	    (spec->max_args != SWAPFAIL_ANY_ARGS && argc - 1 > spec->max_args)) {
		*error = "wrong number of arguments";
		return -EINVAL;
	}
	msg->verb = spec->verb;
	msg->dir = spec->dir;
	msg->edits = spec->flags & SWAPFAIL_EDITS;
	msg->answers = spec->flags & SWAPFAIL_ANSWERS;
	if (!spec->parse || argc == 1)
		return 0;
	if (spec->flags & SWAPFAIL_ANY_BLOCK)
		nr_blocks = SWAPFAIL_U64_MAX;
	return spec->parse(argc - 1, argv + 1, nr_blocks, msg, error);
}

/* Ranges */

static void swapfail_range_swap(struct swapfail_range *a,
				struct swapfail_range *b)
{
	struct swapfail_range t = *a;

	*a = *b;
	*b = t;
}

static void swapfail_sift_down(struct swapfail_range *r, u32 root, u32 n)
{
	u32 child;

	for (; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && r[child + 1].first > r[child].first)
			child++;
		if (r[root].first >= r[child].first)
			return;
		swapfail_range_swap(&r[root], &r[child]);
	}
}

/* Heapsort by first block: in place, so a message never allocates twice. */
void swapfail_ranges_sort(struct swapfail_range *r, u32 n)
{
	u32 i;

	for (i = n / 2; i-- > 0;)
		swapfail_sift_down(r, i, n);
	for (i = n; i-- > 1;) {
		swapfail_range_swap(&r[0], &r[i]);
		swapfail_sift_down(r, 0, i);
	}
}

/* Sorted ranges: true if no two share a block. */
bool swapfail_ranges_disjoint(const struct swapfail_range *r, u32 n)
{
	u32 i;

	for (i = 1; i < n; i++)
		if (r[i].first <= r[i - 1].last)
			return false;
	return true;
}

/* Sorted ranges: merges overlapping and adjacent ones, returns how many. */
u32 swapfail_ranges_union(struct swapfail_range *r, u32 n)
{
	u32 i, out = 0;

	for (i = 0; i < n; i++) {
		if (out && r[i].first <= r[out - 1].last + 1) {
			if (r[i].last > r[out - 1].last)
				r[out - 1].last = r[i].last;
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

/* The table */

static bool swapfail_extent_empty(const struct swapfail_extent *e)
{
	return e->start == e->end;
}

/* Index of the first slot in lo..hi - 1 that ends after @block, or hi. */
static u32 swapfail_search(const struct swapfail_table *t, u32 lo, u32 hi,
			   u64 block)
{
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (t->ext[mid].end > block)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The first indexed group whose last slot ended after @block, or index_len. */
static u32 swapfail_index_find(const struct swapfail_table *t, u64 block)
{
	u32 lo = 0, hi = t->index_len;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (t->index[mid] > block)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * Index of the first extent that ends after @block.  Every slot before group
 * g ends at or before its index entry, so at or before @block.  Slots end
 * earlier than when indexed, never later: the answer may lie past group g.
 */
static u32 swapfail_find(const struct swapfail_table *t, u64 block)
{
	u32 g, lo, last;

	if (!t->index_len)
		return swapfail_search(t, 0, t->nr, block);
	g = swapfail_index_find(t, block);
	lo = g * SWAPFAIL_INDEX_GROUP;
	if (g == t->index_len)
		return swapfail_search(t, lo, t->nr, block);
	last = lo + SWAPFAIL_INDEX_GROUP - 1;
	if (t->ext[last].end > block)
		return swapfail_search(t, lo, last, block);
	return swapfail_search(t, last + 1, t->nr, block);
}

void swapfail_table_init(struct swapfail_table *t,
			 struct swapfail_extent *ext, u32 size)
{
	memset(t, 0, sizeof(*t));
	t->ext = ext;
	t->size = size;
}

/* Entries an index of a table of @size slots may need. */
u32 swapfail_index_len(u32 size)
{
	return size / SWAPFAIL_INDEX_GROUP;
}

/*
 * Indexes a table just built, before anyone else sees it.  @index holds
 * swapfail_index_len(t->size) entries.
 */
void swapfail_table_index(struct swapfail_table *t, u64 *index)
{
	u32 g;

	t->index_len = t->nr / SWAPFAIL_INDEX_GROUP;
	for (g = 0; g < t->index_len; g++)
		index[g] = t->ext[(g + 1) * SWAPFAIL_INDEX_GROUP - 1].end;
	t->index = index;
}

/* Runs with identical plain attributes and no counters merge into one. */
static bool swapfail_extent_joinable(const struct swapfail_extent *a,
				     const struct swapfail_extent *b)
{
	return a->end == b->start && a->mode == b->mode &&
	       a->error == b->error && !a->count && !b->count &&
	       !a->wr_fail && !b->wr_fail;
}

/*
 * Appends @e (non-empty, after every extent in @t) to a table being built.
 * Never writes past the array: a builder reading a table that an I/O
 * changes under it may meet more extents than it was sized for.
 */
static bool swapfail_table_push(struct swapfail_table *t,
				const struct swapfail_extent *e)
{
	struct swapfail_extent *prev = t->nr ? &t->ext[t->nr - 1] : NULL;

	if (prev && swapfail_extent_joinable(prev, e)) {
		prev->end = e->end;
	} else {
		if (t->nr == t->size)
			return false;
		t->ext[t->nr++] = *e;
		t->extents++;
	}
	t->blocks += e->end - e->start;
	return true;
}

/* Copies the non-empty extents of @old; -ENOSPC if @new is too small. */
int swapfail_table_copy(const struct swapfail_table *old,
			struct swapfail_table *new)
{
	u32 i;

	for (i = 0; i < old->nr; i++)
		if (!swapfail_extent_empty(&old->ext[i]) &&
		    !swapfail_table_push(new, &old->ext[i]))
			return -ENOSPC;
	return 0;
}

/* The I/O decision */

enum swapfail_effect {
	SWAPFAIL_NONE,
	SWAPFAIL_FAILS,
	SWAPFAIL_HEALS,
};

static enum swapfail_effect swapfail_effect(const struct swapfail_extent *e,
					    enum swapfail_dir dir)
{
	if (e->mode & (1U << dir))
		return SWAPFAIL_FAILS;
	if (dir == SWAPFAIL_DIR_WRITE && e->mode == SWAPFAIL_MODE_READ)
		return e->wr_fail ? SWAPFAIL_FAILS : SWAPFAIL_HEALS;
	return SWAPFAIL_NONE;
}

/* An I/O changes an extent it fails with a count, and a write of a read one. */
static bool swapfail_io_changes(const struct swapfail_extent *e,
				enum swapfail_dir dir)
{
	if (dir == SWAPFAIL_DIR_WRITE && e->mode == SWAPFAIL_MODE_READ)
		return true;
	return e->count && swapfail_effect(e, dir) == SWAPFAIL_FAILS;
}

static void swapfail_verdict_fail(struct swapfail_verdict *v,
				  const struct swapfail_extent *e, u64 first)
{
	if (v->fail)
		return;
	v->fail = true;
	v->error = e->error;
	v->block = e->start > first ? e->start : first;
}

/*
 * Decides an I/O over blocks first..last without changing the table, as a
 * lockless reader may.  Returns _UPDATE when the I/O changes the table:
 * the caller then takes its lock and calls swapfail_table_apply().
 */
enum swapfail_check swapfail_table_check(const struct swapfail_table *t,
					 u64 first, u64 last,
					 enum swapfail_dir dir,
					 struct swapfail_verdict *v)
{
	const struct swapfail_extent *e;
	u32 i;

	memset(v, 0, sizeof(*v));
	for (i = swapfail_find(t, first); i < t->nr; i++) {
		e = &t->ext[i];
		if (e->start > last)
			break;
		if (swapfail_extent_empty(e))
			continue;
		if (swapfail_io_changes(e, dir))
			return SWAPFAIL_CHECK_UPDATE;
		if (swapfail_effect(e, dir) == SWAPFAIL_FAILS)
			swapfail_verdict_fail(v, e, first);
	}
	return SWAPFAIL_CHECK_DONE;
}

static void swapfail_extent_kill(struct swapfail_table *t,
				 struct swapfail_extent *e)
{
	t->extents--;
	t->blocks -= e->end - e->start;
	e->end = e->start;
}

/* The extent failed an I/O: run its counters down. */
static void swapfail_extent_spend(struct swapfail_table *t,
				  struct swapfail_extent *e,
				  enum swapfail_dir dir)
{
	if (dir == SWAPFAIL_DIR_WRITE && e->mode == SWAPFAIL_MODE_READ)
		e->wr_fail--;
	if (e->count && !--e->count)
		swapfail_extent_kill(t, e);
}

/* Removes blocks first..last from ext[i]; needs a free slot to split it. */
static void swapfail_extent_heal(struct swapfail_table *t, u32 i,
				 u64 first, u64 last,
				 struct swapfail_verdict *v)
{
	struct swapfail_extent *e = &t->ext[i];
	u64 lo = e->start > first ? e->start : first;
	u64 hi = e->end < last + 1 ? e->end : last + 1;

	if (!v->healed)
		v->block = lo;
	v->healed += hi - lo;
	if (lo == e->start && hi == e->end) {
		swapfail_extent_kill(t, e);
		return;
	}
	t->blocks -= hi - lo;
	if (lo == e->start) {
		e->start = hi;
	} else if (hi == e->end) {
		e->end = lo;
	} else {
		memmove(e + 2, e + 1, (t->nr - i - 1) * sizeof(*e));
		e[1] = *e;
		e[1].start = hi;
		e->end = lo;
		t->nr++;
		t->extents++;
	}
}

static bool swapfail_heal_splits(const struct swapfail_extent *e,
				 u64 first, u64 last)
{
	return e->start < first && e->end > last + 1;
}

/*
 * Heals every read-mode extent a successful write covers.  Only an extent
 * that holds the whole write on both sides splits, and then it is the only
 * extent the write overlaps, so -ENOSPC comes before any change.
 */
static int swapfail_table_heal(struct swapfail_table *t, u32 from,
			       u64 first, u64 last, struct swapfail_verdict *v)
{
	struct swapfail_extent *e;
	u32 i;

	for (i = from; i < t->nr && t->ext[i].start <= last; i++) {
		e = &t->ext[i];
		if (swapfail_extent_empty(e) ||
		    swapfail_effect(e, SWAPFAIL_DIR_WRITE) != SWAPFAIL_HEALS)
			continue;
		if (swapfail_heal_splits(e, first, last) && t->nr == t->size)
			return -ENOSPC;
		swapfail_extent_heal(t, i, first, last, v);
	}
	return 0;
}

/*
 * Decides an I/O and makes its changes to the table; the caller holds the
 * lock that serialises writers.  The I/O fails if any extent it overlaps
 * fails it, and then every such extent counts the failure.  A write that
 * does not fail heals the read-mode blocks it covers.  A heal can split one
 * extent in two; without a free slot for that, the table is left as it was
 * and -ENOSPC returned, so that the caller can grow the table and retry.
 */
int swapfail_table_apply(struct swapfail_table *t, u64 first, u64 last,
			 enum swapfail_dir dir, struct swapfail_verdict *v)
{
	u32 from = swapfail_find(t, first);
	struct swapfail_extent *e;
	u32 i;

	memset(v, 0, sizeof(*v));
	for (i = from; i < t->nr && t->ext[i].start <= last; i++) {
		e = &t->ext[i];
		if (!swapfail_extent_empty(e) &&
		    swapfail_effect(e, dir) == SWAPFAIL_FAILS)
			swapfail_verdict_fail(v, e, first);
	}
	if (!v->fail)
		return dir == SWAPFAIL_DIR_WRITE ?
		       swapfail_table_heal(t, from, first, last, v) : 0;
	for (i = from; i < t->nr && t->ext[i].start <= last; i++) {
		e = &t->ext[i];
		if (!swapfail_extent_empty(e) &&
		    swapfail_effect(e, dir) == SWAPFAIL_FAILS)
			swapfail_extent_spend(t, e, dir);
	}
	return 0;
}

/* @nr_io counts this I/O: the first one since enable is 1. */
bool swapfail_nth_fails(u64 nr_io, u32 every_nth)
{
	return every_nth && nr_io % every_nth == 0;
}

/* Table edits */

static bool swapfail_table_overlaps(const struct swapfail_table *t,
				    const struct swapfail_range *r)
{
	u32 i;

	for (i = swapfail_find(t, r->first); i < t->nr; i++) {
		if (t->ext[i].start > r->last)
			return false;
		if (!swapfail_extent_empty(&t->ext[i]))
			return true;
	}
	return false;
}

/*
 * Sorts @r and checks that the ranges can be added: they may not overlap
 * each other or the table, and the table may not outgrow its limit.
 */
static int swapfail_table_add_check(const struct swapfail_table *t,
				    struct swapfail_range *r, u32 n,
				    const char **error)
{
	u32 i;

	swapfail_ranges_sort(r, n);
	if (!swapfail_ranges_disjoint(r, n)) {
		*error = "ranges in one message overlap";
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (swapfail_table_overlaps(t, &r[i])) {
			*error = "range overlaps an extent already in the table";
			return -EINVAL;
		}
	}
	if (n > SWAPFAIL_MAX_EXTENTS - t->extents) {
		*error = "table full";
		return -ENOMEM;
	}
	return 0;
}

/* Slots the new table needs; joining runs can only make it fewer. */
static u32 swapfail_table_add_size(const struct swapfail_table *t, u32 n)
{
	return t->extents + n;
}

/* Merges sorted, checked ranges into a copy of @old, dropping empty slots. */
static int swapfail_table_add(const struct swapfail_table *old,
			      const struct swapfail_range *r, u32 n,
			      const struct swapfail_attr *attr,
			      struct swapfail_table *new)
{
	struct swapfail_extent e = {
		.count = attr->count,
		.mode = attr->mode,
		.wr_fail = attr->wr_fail,
		.error = attr->error,
	};
	u32 i = 0, j = 0;

	while (i < old->nr || j < n) {
		if (j == n || (i < old->nr && old->ext[i].start < r[j].first)) {
			if (!swapfail_extent_empty(&old->ext[i]) &&
			    !swapfail_table_push(new, &old->ext[i]))
				return -ENOSPC;
			i++;
			continue;
		}
		e.start = r[j].first;
		e.end = r[j].last + 1;
		if (!swapfail_table_push(new, &e))
			return -ENOSPC;
		j++;
	}
	return 0;
}

/*
 * Checks that each range holds a bad block, then sorts the ranges and
 * merges overlapping ones.  Returns how many ranges remain, or -EINVAL.
 */
static int swapfail_table_remove_check(const struct swapfail_table *t,
				       struct swapfail_range *r, u32 n,
				       const char **error)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (!swapfail_table_overlaps(t, &r[i])) {
			*error = "no bad block in range";
			return -EINVAL;
		}
	}
	swapfail_ranges_sort(r, n);
	return swapfail_ranges_union(r, n);
}

/* Each range can split at most one extent in two. */
static u32 swapfail_table_remove_size(const struct swapfail_table *t, u32 n)
{
	return t->extents + n;
}

/* Pushes what is left of @e once the ranges from r[*j] on are cut out. */
static bool swapfail_push_cut(struct swapfail_table *new,
			      struct swapfail_extent e,
			      const struct swapfail_range *r, u32 n, u32 *j)
{
	struct swapfail_extent piece;

	while (*j < n && r[*j].last < e.start)
		(*j)++;
	for (; *j < n && r[*j].first < e.end; (*j)++) {
		if (r[*j].first > e.start) {
			piece = e;
			piece.end = r[*j].first;
			if (!swapfail_table_push(new, &piece))
				return false;
		}
		/* A range reaching past @e may cut the next extent too. */
		if (r[*j].last + 1 >= e.end)
			return true;
		e.start = r[*j].last + 1;
	}
	return swapfail_table_push(new, &e);
}

/* Copies @old without the blocks of sorted, disjoint ranges @r. */
static int swapfail_table_remove(const struct swapfail_table *old,
				 const struct swapfail_range *r, u32 n,
				 struct swapfail_table *new)
{
	u32 i, j = 0;

	for (i = 0; i < old->nr; i++)
		if (!swapfail_extent_empty(&old->ext[i]) &&
		    !swapfail_push_cut(new, old->ext[i], r, n, &j))
			return -ENOSPC;
	return 0;
}

/*
 * Checks a message that edits the table against @t and returns how many
 * slots its new table needs, or -errno.  Ranges are sorted (and, to be
 * removed, merged) in place.
 */
int swapfail_edit_prepare(const struct swapfail_table *t,
			  struct swapfail_msg *msg, const char **error)
{
	int r;

	switch (msg->verb) {
	case SWAPFAIL_MSG_ADD:
	case SWAPFAIL_MSG_DUST_ADD:
		r = swapfail_table_add_check(t, msg->ranges, msg->nr_ranges,
					     error);
		if (r)
			return r;
		return swapfail_table_add_size(t, msg->nr_ranges);
	case SWAPFAIL_MSG_REMOVE:
	case SWAPFAIL_MSG_DUST_REMOVE:
		r = swapfail_table_remove_check(t, msg->ranges,
						msg->nr_ranges, error);
		if (r < 0)
			return r;
		msg->nr_ranges = r;
		return swapfail_table_remove_size(t, msg->nr_ranges);
	default:
		return 0;
	}
}

/*
 * Builds into @new, an empty table of the prepared size, the edited @old.
 * -ENOSPC if @old changed since it was prepared and no longer fits.
 */
int swapfail_edit_build(const struct swapfail_table *old,
			const struct swapfail_msg *msg,
			struct swapfail_table *new)
{
	switch (msg->verb) {
	case SWAPFAIL_MSG_ADD:
	case SWAPFAIL_MSG_DUST_ADD:
		return swapfail_table_add(old, msg->ranges, msg->nr_ranges,
					  &msg->attr, new);
	case SWAPFAIL_MSG_REMOVE:
	case SWAPFAIL_MSG_DUST_REMOVE:
		return swapfail_table_remove(old, msg->ranges, msg->nr_ranges,
					     new);
	default:
		return 0;
	}
}

/* Policy */

void swapfail_policy_init(struct swapfail_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->error = SWAPFAIL_ERR_EIO;
}

/*
 * Applies the features given on a table line.  Returns a bit per
 * direction, (1 << SWAPFAIL_DIR_*), whose every_nth counter the caller
 * restarts: a value that changed, or failures newly enabled.  A reload
 * that repeats the policy in force thus leaves the counting alone.
 */
u32 swapfail_policy_merge(struct swapfail_policy *p,
			  const struct swapfail_ctr_args *args)
{
	const struct swapfail_policy *given = &args->policy;
	u32 restart = 0;
	unsigned int d;

	if ((args->features & SWAPFAIL_FEAT_START_ENABLED) && !p->enabled) {
		p->enabled = true;
		restart = (1U << SWAPFAIL_NR_DIRS) - 1;
	}
	if (args->features & SWAPFAIL_FEAT_QUIET)
		p->quiet = true;
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++) {
		if (!(args->features & (SWAPFAIL_FEAT_NTH_READ << d)) ||
		    p->every_nth[d] == given->every_nth[d])
			continue;
		p->every_nth[d] = given->every_nth[d];
		restart |= 1U << d;
	}
	if (args->features & SWAPFAIL_FEAT_ERROR)
		p->error = given->error;
	return restart;
}

/*
 * Applies a policy message.  Returns the every_nth counters to restart,
 * as swapfail_policy_merge() does: "every Nth I/O" counts from the enable
 * or from the message that set N.
 */
u32 swapfail_policy_update(struct swapfail_policy *p,
			   const struct swapfail_msg *msg)
{
	switch (msg->verb) {
	case SWAPFAIL_MSG_ENABLE:
		p->enabled = true;
		return (1U << SWAPFAIL_NR_DIRS) - 1;
	case SWAPFAIL_MSG_DISABLE:
		p->enabled = false;
		return 0;
	case SWAPFAIL_MSG_QUIET_TOGGLE:
		p->quiet = !p->quiet;
		return 0;
	case SWAPFAIL_MSG_QUIET:
		p->quiet = msg->value;
		return 0;
	case SWAPFAIL_MSG_EVERY_NTH:
		p->every_nth[msg->dir] = msg->value;
		return 1U << msg->dir;
	case SWAPFAIL_MSG_ERROR:
		p->error = msg->value;
		return 0;
	default:
		return 0;
	}
}

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

static void swapfail_put(struct swapfail_out *out, const char *s, u32 n)
{
	u32 room;

	if (out->full)
		return;
	room = out->size - 1 - out->len;
	if (n > room) {
		n = room;
		out->full = true;
	}
	memcpy(out->buf + out->len, s, n);
	out->len += n;
	out->buf[out->len] = '\0';
}

static void swapfail_puts(struct swapfail_out *out, const char *s)
{
	swapfail_put(out, s, strlen(s));
}

static void swapfail_putu(struct swapfail_out *out, u64 v)
{
	char digits[20];
	u32 i = sizeof(digits);

	do {
		digits[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	swapfail_put(out, digits + i, sizeof(digits) - i);
}

/* @key carries its own separators, e.g. " count=". */
static void swapfail_put_kv(struct swapfail_out *out, const char *key, u64 v)
{
	swapfail_puts(out, key);
	swapfail_putu(out, v);
}

static void swapfail_put_blocks(struct swapfail_out *out, u64 first, u64 last)
{
	swapfail_putu(out, first);
	swapfail_puts(out, "-");
	swapfail_putu(out, last);
}

/* One line that an add message takes back as it is. */
static void swapfail_emit_extent(struct swapfail_out *out,
				 const struct swapfail_extent *e)
{
	swapfail_put_blocks(out, e->start, e->end - 1);
	swapfail_puts(out, " mode=");
	swapfail_puts(out, swapfail_mode_name(e->mode));
	if (e->count)
		swapfail_put_kv(out, " count=", e->count);
	if (e->wr_fail)
		swapfail_put_kv(out, " wr_fail=", e->wr_fail);
	if (e->error) {
		swapfail_puts(out, " error=");
		swapfail_puts(out, swapfail_error_name(e->error));
	}
	swapfail_puts(out, "\n");
}

/* Yields each non-empty extent overlapping sorted, merged ranges once. */
struct swapfail_walk {
	const struct swapfail_table *t;
	const struct swapfail_range *r;
	u32 n;
	u32 j;		/* range being walked */
	u32 i;		/* next extent to look at */
};

static const struct swapfail_range swapfail_all_blocks = {
	0, SWAPFAIL_U64_MAX - 1
};

static void swapfail_walk_init(struct swapfail_walk *w,
			       const struct swapfail_table *t,
			       const struct swapfail_range *r, u32 n)
{
	w->t = t;
	w->r = n ? r : &swapfail_all_blocks;
	w->n = n ? n : 1;
	w->j = 0;
	w->i = 0;
}

static const struct swapfail_extent *swapfail_walk_next(struct swapfail_walk *w)
{
	const struct swapfail_extent *e;
	u32 from;

	for (; w->j < w->n; w->j++) {
		from = swapfail_find(w->t, w->r[w->j].first);
		if (w->i < from)
			w->i = from;
		while (w->i < w->t->nr) {
			e = &w->t->ext[w->i];
			if (e->start > w->r[w->j].last)
				break;
			w->i++;
			if (!swapfail_extent_empty(e))
				return e;
		}
	}
	return NULL;
}

/* Extents that overlap sorted, merged ranges @r (all of them if n == 0). */
static void swapfail_emit_list(struct swapfail_out *out,
			       const struct swapfail_table *t,
			       const struct swapfail_range *r, u32 n)
{
	const struct swapfail_extent *e;
	struct swapfail_walk w;

	swapfail_walk_init(&w, t, r, n);
	while (!out->full && (e = swapfail_walk_next(&w)))
		swapfail_emit_extent(out, e);
}

/* Bad blocks within one range. */
static u64 swapfail_bad_in(const struct swapfail_table *t,
			   const struct swapfail_range *r)
{
	const struct swapfail_extent *e;
	u64 lo, hi, blocks = 0;
	u32 i;

	for (i = swapfail_find(t, r->first); i < t->nr; i++) {
		e = &t->ext[i];
		if (e->start > r->last)
			break;
		lo = e->start > r->first ? e->start : r->first;
		hi = e->end < r->last + 1 ? e->end : r->last + 1;
		if (hi > lo)
			blocks += hi - lo;
	}
	return blocks;
}

/* "A-B bad=N" for each range, in the order given. */
static void swapfail_emit_query(struct swapfail_out *out,
				const struct swapfail_table *t,
				const struct swapfail_range *r, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		swapfail_put_blocks(out, r[i].first, r[i].last);
		swapfail_put_kv(out, " bad=", swapfail_bad_in(t, &r[i]));
		swapfail_puts(out, "\n");
	}
}

/* "extents=E blocks=B" within sorted, merged ranges (all if n == 0). */
static void swapfail_emit_count(struct swapfail_out *out,
				const struct swapfail_table *t,
				const struct swapfail_range *r, u32 n)
{
	struct swapfail_walk w;
	u64 blocks = 0;
	u32 i, extents = 0;

	swapfail_walk_init(&w, t, r, n);
	while (swapfail_walk_next(&w))
		extents++;
	for (i = 0; i < w.n; i++)
		blocks += swapfail_bad_in(t, &w.r[i]);
	swapfail_put_kv(out, "extents=", extents);
	swapfail_put_kv(out, " blocks=", blocks);
}

/* dm-dust's listbadblocks: one block per line. */
static void swapfail_emit_dust_list(struct swapfail_out *out,
				    const struct swapfail_table *t)
{
	u64 b;
	u32 i;

	if (!t->blocks) {
		swapfail_puts(out, "No blocks in badblocklist");
		return;
	}
	for (i = 0; i < t->nr && !out->full; i++) {
		for (b = t->ext[i].start; b < t->ext[i].end && !out->full; b++) {
			swapfail_putu(out, b);
			swapfail_puts(out, "\n");
		}
	}
}

static void swapfail_emit_dust_query(struct swapfail_out *out,
				     const struct swapfail_table *t, u64 block)
{
	struct swapfail_range r = { block, block };

	swapfail_put_kv(out, "dust_query_block: block ", block);
	swapfail_puts(out, swapfail_bad_in(t, &r) ?
		      " found in badblocklist" :
		      " not found in badblocklist");
}

/* dm-dust's clearbadblocks answer, by whether there was anything to clear. */
static void swapfail_emit_dust_clear(struct swapfail_out *out, bool had_blocks)
{
	swapfail_puts(out, had_blocks ?
		      "dust_clear_badblocks: badblocks cleared" :
		      "dust_clear_badblocks: no badblocks found");
}

static void swapfail_emit_dust_count(struct swapfail_out *out,
				     const struct swapfail_table *t)
{
	swapfail_put_kv(out, "countbadblocks: ", t->blocks);
	swapfail_puts(out, " badblock(s) found");
}

/*
 * The answer of a question message.  List and count merge their ranges
 * in place first; query answers each range in the order given.
 */
void swapfail_answer(struct swapfail_out *out, const struct swapfail_table *t,
		     struct swapfail_msg *msg)
{
	struct swapfail_range *r = msg->ranges;

	switch (msg->verb) {
	case SWAPFAIL_MSG_QUERY:
		swapfail_emit_query(out, t, r, msg->nr_ranges);
		break;
	case SWAPFAIL_MSG_LIST:
	case SWAPFAIL_MSG_COUNT:
		swapfail_ranges_sort(r, msg->nr_ranges);
		msg->nr_ranges = swapfail_ranges_union(r, msg->nr_ranges);
		if (msg->verb == SWAPFAIL_MSG_LIST)
			swapfail_emit_list(out, t, r, msg->nr_ranges);
		else
			swapfail_emit_count(out, t, r, msg->nr_ranges);
		break;
	case SWAPFAIL_MSG_DUST_QUERY:
		swapfail_emit_dust_query(out, t, r[0].first);
		break;
	case SWAPFAIL_MSG_DUST_COUNT:
		swapfail_emit_dust_count(out, t);
		break;
	case SWAPFAIL_MSG_DUST_LIST:
		swapfail_emit_dust_list(out, t);
		break;
	case SWAPFAIL_MSG_DUST_CLEAR:
		swapfail_emit_dust_clear(out, t->blocks);
		break;
	default:
		break;
	}
}

static const char * const swapfail_counter_keys[SWAPFAIL_NR_COUNTERS] = {
	[SWAPFAIL_READS] = " reads=",
	[SWAPFAIL_WRITES] = " writes=",
	[SWAPFAIL_READ_ERRORS] = " read_errors=",
	[SWAPFAIL_WRITE_ERRORS] = " write_errors=",
	[SWAPFAIL_HEALED] = " healed=",
	[SWAPFAIL_DEFERRED] = " deferred=",
};

static void swapfail_put_counters(struct swapfail_out *out,
				  const struct swapfail_stats *s)
{
	unsigned int i;

	for (i = 0; i < SWAPFAIL_NR_COUNTERS; i++)
		swapfail_put_kv(out, swapfail_counter_keys[i], s->count[i]);
}

void swapfail_emit_stats(struct swapfail_out *out,
			 const struct swapfail_table *t,
			 const struct swapfail_stats *s)
{
	swapfail_put_kv(out, "extents=", t->extents);
	swapfail_put_kv(out, " blocks=", t->blocks);
	swapfail_put_counters(out, s);
}

/* The status INFO line; the field order is documented in docs/. */
void swapfail_emit_info(struct swapfail_out *out,
			const struct swapfail_table *t,
			const struct swapfail_policy *p,
			const struct swapfail_stats *s)
{
	swapfail_puts(out, p->enabled ? "mode=enabled" : "mode=bypass");
	swapfail_puts(out, p->quiet ? " quiet=on " : " quiet=off ");
	swapfail_emit_stats(out, t, s);
	swapfail_put_kv(out, " every_nth_read=",
			p->every_nth[SWAPFAIL_DIR_READ]);
	swapfail_put_kv(out, " every_nth_write=",
			p->every_nth[SWAPFAIL_DIR_WRITE]);
	swapfail_puts(out, " error=");
	swapfail_puts(out, swapfail_error_name(p->error));
}

/*
 * The feature group of the table line, " <#args> <args>...", for the
 * policy now in force, so that the line recreates the same device.
 * Nothing when every feature is at its default: then the line is a
 * dm-dust line.
 */
void swapfail_emit_features(struct swapfail_out *out,
			    const struct swapfail_policy *p)
{
	u32 nr = p->enabled + p->quiet +
		 2 * !!p->every_nth[SWAPFAIL_DIR_READ] +
		 2 * !!p->every_nth[SWAPFAIL_DIR_WRITE] +
		 2 * (p->error != SWAPFAIL_ERR_EIO);

	if (!nr)
		return;
	swapfail_put_kv(out, " ", nr);
	if (p->enabled)
		swapfail_puts(out, " start_enabled");
	if (p->quiet)
		swapfail_puts(out, " quiet");
	if (p->every_nth[SWAPFAIL_DIR_READ])
		swapfail_put_kv(out, " every_nth_read ",
				p->every_nth[SWAPFAIL_DIR_READ]);
	if (p->every_nth[SWAPFAIL_DIR_WRITE])
		swapfail_put_kv(out, " every_nth_write ",
				p->every_nth[SWAPFAIL_DIR_WRITE]);
	if (p->error != SWAPFAIL_ERR_EIO) {
		swapfail_puts(out, " error ");
		swapfail_puts(out, swapfail_error_name(p->error));
	}
}
