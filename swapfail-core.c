// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-swapfail core: the bad-extent tree, the failure decision, and the
 * parsing of table lines and messages.
 *
 * The table is a copy-on-write B+tree of disjoint extents keyed by their
 * first block.  A reader walks a published root without a lock.  A writer
 * (a message, or an I/O that heals blocks) holds the target's lock, copies
 * the nodes on the path it changes, and hands the new root back for the
 * target to publish.  A message changes a tree of its own and publishes it
 * whole once every step has succeeded, so that a refused batch leaves the
 * table as it was.  Each step touches one leaf and its path: a message
 * costs O(k log n) for k changed extents, and a lock is never held for
 * longer than one step.
 *
 * Nothing here allocates, sleeps or takes a lock: the caller gives each
 * step its nodes (struct swapfail_mem) and frees what it lets go of.
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

#include "dm-swapfail.h"

#define SWAPFAIL_U64_MAX	(~(u64)0)
#define SWAPFAIL_ANY_ARGS	255
/* A node below a third full is merged with a neighbour, or fed by it. */
#define SWAPFAIL_LEAF_MIN	(SWAPFAIL_LEAF_CAP / 3)
#define SWAPFAIL_FANOUT_MIN	(SWAPFAIL_FANOUT / 3)

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

static const char * const swapfail_action_names[SWAPFAIL_NR_ACTIONS] = {
	[SWAPFAIL_ACT_ERROR] = "error",
	[SWAPFAIL_ACT_DELAY] = "delay",
	[SWAPFAIL_ACT_HOLD] = "hold",
	[SWAPFAIL_ACT_DROP] = "drop",
	[SWAPFAIL_ACT_CORRUPT] = "corrupt",
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

const char *swapfail_action_name(unsigned int action)
{
	if (action >= SWAPFAIL_NR_ACTIONS)
		return "?";
	return swapfail_action_names[action];
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
 * Numbers are plain decimal: kstrtou64() would also take a sign and a
 * trailing newline, which no table line or message needs.
 */
int swapfail_parse_u64(const char *s, u64 *value)
{
	if (!isdigit(s[0]) || s[strlen(s) - 1] == '\n')
		return -EINVAL;
	return kstrtou64(s, 10, value);
}

static int swapfail_parse_u32(const char *s, u32 *value)
{
	if (!isdigit(s[0]) || s[strlen(s) - 1] == '\n')
		return -EINVAL;
	return kstrtou32(s, 10, value);
}

/* The number before @sep in @s: copied out, as kstrtou64() wants it whole. */
static int swapfail_parse_u64_until(const char *s, const char *sep, u64 *value)
{
	char digits[24];
	size_t len = sep - s;

	if (len >= sizeof(digits))
		return -EINVAL;
	memcpy(digits, s, len);
	digits[len] = '\0';
	return swapfail_parse_u64(digits, value);
}

/* Longer delays and holds than a day are surely a mistake. */
#define SWAPFAIL_MAX_NS		(86400ULL * 1000000000)

static const struct {
	const char *unit;
	u64 ns;
} swapfail_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
};

/* A duration: digits and a unit (ns, us, ms, s), at most a day. */
static int swapfail_parse_ns(const char *s, u64 *ns)
{
	const char *unit = s;
	unsigned int i;
	u64 n;

	while (isdigit(*unit))
		unit++;
	for (i = 0; i < ARRAY_SIZE(swapfail_units); i++) {
		if (strcmp(unit, swapfail_units[i].unit))
			continue;
		if (swapfail_parse_u64_until(s, unit, &n) ||
		    n > div_u64(SWAPFAIL_MAX_NS, swapfail_units[i].ns))
			return -EINVAL;
		*ns = n * swapfail_units[i].ns;
		return 0;
	}
	return -EINVAL;
}

/* A probability: 0 to 1 as a decimal fraction, to the billionth. */
static int swapfail_parse_ppb(const char *s, u32 *ppb)
{
	const char *dot = strchr(s, '.');
	u64 whole, part = 0;
	size_t digits;

	if (swapfail_parse_u64_until(s, dot ? dot : s + strlen(s), &whole) ||
	    whole > 1)
		return -EINVAL;
	if (dot) {
		digits = strlen(dot + 1);
		if (!digits || digits > 9 || swapfail_parse_u64(dot + 1, &part))
			return -EINVAL;
		for (; digits < 9; digits++)
			part *= 10;
	}
	if (whole && part)
		return -EINVAL;
	*ppb = whole ? SWAPFAIL_PPB : part;
	return 0;
}

/*
 * "A" is one block, "A-B" the blocks A to B inclusive, "A+N" the N blocks
 * from A.  -EINVAL for bad syntax, -ERANGE for blocks past the device.
 */
int swapfail_parse_range(const char *s, u64 nr_blocks,
			 struct swapfail_range *range)
{
	const char *sep = s[0] ? strpbrk(s + 1, "-+") : NULL;
	u64 n;

	if (!sep) {
		if (swapfail_parse_u64(s, &range->first))
			return -EINVAL;
		range->last = range->first;
	} else if (swapfail_parse_u64_until(s, sep, &range->first)) {
		return -EINVAL;
	} else if (*sep == '-') {
		if (swapfail_parse_u64(sep + 1, &range->last) ||
		    range->last < range->first)
			return -EINVAL;
	} else {
		if (swapfail_parse_u64(sep + 1, &n) || !n)
			return -EINVAL;
		if (n - 1 > SWAPFAIL_U64_MAX - range->first)
			return -ERANGE;
		range->last = range->first + (n - 1);
	}
	return range->last < nr_blocks ? 0 : -ERANGE;
}

/* Table line */

static int swapfail_parse_block_size(const char *s, u64 target_sectors,
				     struct swapfail_ctr_args *args,
				     char **error)
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
	if (!is_power_of_2(bs)) {
		*error = "Block size must be a power of 2";
		return -EINVAL;
	}
	if (bs > SWAPFAIL_MAX_BLOCK_SIZE || bs / 512 > target_sectors) {
		*error = "Block size is too large";
		return -EINVAL;
	}
	args->block_size = bs;
	args->block_shift = ilog2(bs / 512);
	return 0;
}

struct swapfail_feature {
	const char *name;
	u32 bit;
	bool has_value;
	char *bad_value;	/* ti->error for a missing or bad value */
};

static const struct swapfail_feature swapfail_features[] = {
	{ "start_enabled", SWAPFAIL_FEAT_START_ENABLED, false, NULL },
	{ "quiet", SWAPFAIL_FEAT_QUIET, false, NULL },
	{ "every_nth_read", SWAPFAIL_FEAT_NTH_READ, true,
	  "Invalid every_nth_read value" },
	{ "every_nth_write", SWAPFAIL_FEAT_NTH_WRITE, true,
	  "Invalid every_nth_write value" },
	{ "error", SWAPFAIL_FEAT_ERROR, true, "Invalid error name" },
	{ "probability_read", SWAPFAIL_FEAT_PROB_READ, true,
	  "Invalid probability_read value" },
	{ "probability_write", SWAPFAIL_FEAT_PROB_WRITE, true,
	  "Invalid probability_write value" },
	{ "seed", SWAPFAIL_FEAT_SEED, true, "Invalid seed" },
};

static const struct swapfail_feature *swapfail_feature_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swapfail_features); i++)
		if (!strcasecmp(name, swapfail_features[i].name))
			return &swapfail_features[i];
	return NULL;
}

/*
 * dm_read_arg() reads numbers with sscanf("%u"), which keeps the low 32
 * bits of a longer number: every_nth 4294967296 would be 0.  Values are
 * read with kstrtou32() instead, which refuses them.
 */
static int swapfail_feature_value(const struct swapfail_feature *f,
				  struct dm_arg_set *as,
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
		return swapfail_parse_u32(dm_shift_arg(as),
					  &p->every_nth[SWAPFAIL_DIR_READ]);
	case SWAPFAIL_FEAT_NTH_WRITE:
		return swapfail_parse_u32(dm_shift_arg(as),
					  &p->every_nth[SWAPFAIL_DIR_WRITE]);
	case SWAPFAIL_FEAT_PROB_READ:
		return swapfail_parse_ppb(dm_shift_arg(as),
					  &p->probability[SWAPFAIL_DIR_READ]);
	case SWAPFAIL_FEAT_PROB_WRITE:
		return swapfail_parse_ppb(dm_shift_arg(as),
					  &p->probability[SWAPFAIL_DIR_WRITE]);
	case SWAPFAIL_FEAT_SEED:
		return swapfail_parse_u64(dm_shift_arg(as), &p->seed);
	default:
		return swapfail_error_parse(dm_shift_arg(as), &p->error);
	}
}

/* [<#feature_args> <feature_arg>...], where the count covers values too. */
static int swapfail_parse_features(struct dm_arg_set *as,
				   struct swapfail_ctr_args *args, char **error)
{
	static const struct dm_arg group = {
		0, 14, "Invalid number of feature arguments"
	};
	const struct swapfail_feature *f;
	unsigned int nr;
	int r;

	if (!as->argc)
		return 0;
	/* strict first, for the same reason as swapfail_feature_value() */
	if (swapfail_parse_u32(as->argv[0], &nr)) {
		*error = group.error;
		return -EINVAL;
	}
	r = dm_read_arg_group(&group, as, &nr, error);
	if (r)
		return r;
	if (as->argc != nr) {
		*error = "Invalid number of feature arguments";
		return -EINVAL;
	}
	while (as->argc) {
		f = swapfail_feature_find(dm_shift_arg(as));
		if (!f) {
			*error = "Unrecognised feature requested";
			return -EINVAL;
		}
		if (args->features & f->bit) {
			*error = "Feature given twice";
			return -EINVAL;
		}
		args->features |= f->bit;
		if ((f->has_value && !as->argc) ||
		    swapfail_feature_value(f, as, &args->policy)) {
			*error = f->bad_value;
			return -EINVAL;
		}
	}
	return 0;
}

/* <dev> <offset> <block_size> [<#feature_args> <feature_arg>...] */
int swapfail_parse_ctr(unsigned int argc, char **argv, u64 target_sectors,
		       struct swapfail_ctr_args *args, char **error)
{
	struct dm_arg_set as = { .argc = argc, .argv = argv };

	memset(args, 0, sizeof(*args));
	swapfail_policy_init(&args->policy);
	if (argc < 3) {
		*error = "Invalid argument count";
		return -EINVAL;
	}
	args->dev_path = dm_shift_arg(&as);
	if (swapfail_parse_u64(dm_shift_arg(&as), &args->offset) ||
	    args->offset > SWAPFAIL_U64_MAX - target_sectors) {
		*error = "Invalid device offset sector";
		return -EINVAL;
	}
	if (swapfail_parse_block_size(dm_shift_arg(&as), target_sectors, args,
				      error))
		return -EINVAL;
	return swapfail_parse_features(&as, args, error);
}

/* Messages */

#define SWAPFAIL_ATTR_MODE	BIT(0)
#define SWAPFAIL_ATTR_COUNT	BIT(1)
#define SWAPFAIL_ATTR_ERROR	BIT(2)
#define SWAPFAIL_ATTR_WR_FAIL	BIT(3)
#define SWAPFAIL_ATTR_ACTION	BIT(4)		/* delay, hold, drop, corrupt */
#define SWAPFAIL_ATTR_AT	BIT(5)
#define SWAPFAIL_ATTR_BYTES	BIT(6)
#define SWAPFAIL_ATTR_XOR	BIT(7)
#define SWAPFAIL_ATTR_SEED	BIT(8)
#define SWAPFAIL_ATTR_MATCH	BIT(9)
/* What an every_nth or probability message may say of its action. */
#define SWAPFAIL_ATTR_TRIGGER	(~(SWAPFAIL_ATTR_MODE | SWAPFAIL_ATTR_COUNT | \
				   SWAPFAIL_ATTR_WR_FAIL))

static int swapfail_range_error(int r, char **error)
{
	*error = r == -ERANGE ? "range past the end of the device" :
				"invalid range: use A, A-B or A+N";
	return -EINVAL;
}

/* delay=T or delay=T~J: T later, give or take J. */
static int swapfail_parse_delay(const char *value, struct swapfail_act *act)
{
	const char *tilde = strchr(value, '~');
	char t[24];

	act->kind = SWAPFAIL_ACT_DELAY;
	if (!tilde)
		return swapfail_parse_ns(value, &act->delay_ns);
	if ((size_t)(tilde - value) >= sizeof(t))
		return -EINVAL;
	memcpy(t, value, tilde - value);
	t[tilde - value] = '\0';
	if (swapfail_parse_ns(t, &act->delay_ns) ||
	    swapfail_parse_ns(tilde + 1, &act->jitter_ns) ||
	    act->jitter_ns > act->delay_ns)
		return -EINVAL;
	return 0;
}

static int swapfail_parse_corrupt(const char *value, struct swapfail_act *act)
{
	act->kind = SWAPFAIL_ACT_CORRUPT;
	if (!strcmp(value, "xor"))
		act->corrupt = SWAPFAIL_CORRUPT_XOR;
	else if (!strcmp(value, "random"))
		act->corrupt = SWAPFAIL_CORRUPT_RANDOM;
	else
		return -EINVAL;
	return 0;
}

/* The action and its parameters: delay, hold, corrupt and theirs. */
static int swapfail_act_value(const char *key, const char *value,
			      struct swapfail_act *act, u32 *seen,
			      char **error)
{
	u32 v;

	*error = "invalid action: use delay=T[~J], hold[=T], drop or corrupt=xor|random";
	if (!strcmp(key, "delay")) {
		*seen |= SWAPFAIL_ATTR_ACTION;
		return swapfail_parse_delay(value, act);
	}
	if (!strcmp(key, "hold")) {
		*seen |= SWAPFAIL_ATTR_ACTION;
		act->kind = SWAPFAIL_ACT_HOLD;
		if (!value)
			return 0;
		*error = "invalid hold: a time above 0, or hold alone for no limit";
		if (swapfail_parse_ns(value, &act->hold_ns) || !act->hold_ns)
			return -EINVAL;
		return 0;
	}
	if (!strcmp(key, "drop") && !value) {
		*seen |= SWAPFAIL_ATTR_ACTION;
		act->kind = SWAPFAIL_ACT_DROP;
		return 0;
	}
	if (!strcmp(key, "corrupt")) {
		*seen |= SWAPFAIL_ATTR_ACTION;
		return swapfail_parse_corrupt(value, act);
	}
	if (!strcmp(key, "at")) {
		*seen |= SWAPFAIL_ATTR_AT;
		*error = "invalid at: a byte offset into the I/O";
		return swapfail_parse_u32(value, &act->at);
	}
	if (!strcmp(key, "bytes")) {
		*seen |= SWAPFAIL_ATTR_BYTES;
		*error = "invalid bytes: use 1 to 64";
		if (swapfail_parse_u32(value, &v) || !v || v > SWAPFAIL_MAX_CORRUPT)
			return -EINVAL;
		act->bytes = v;
		return 0;
	}
	if (!strcmp(key, "xor")) {
		*seen |= SWAPFAIL_ATTR_XOR;
		*error = "invalid xor: a byte in hex, 01 to ff";
		if (!isxdigit(value[0]) || kstrtou8(value, 16, &act->xor) ||
		    !act->xor)
			return -EINVAL;
		return 0;
	}
	if (!strcmp(key, "seed")) {
		*seen |= SWAPFAIL_ATTR_SEED;
		*error = "invalid seed";
		return swapfail_parse_u64(value, &act->seed);
	}
	if (!strcmp(key, "match")) {
		*seen |= SWAPFAIL_ATTR_MATCH;
		*error = "invalid match: use swap or all";
		if (!strcmp(value, "swap"))
			act->match = SWAPFAIL_MATCH_SWAP;
		else if (strcmp(value, "all"))
			return -EINVAL;
		return 0;
	}
	*error = "unknown attribute: see the admin guide";
	return -EINVAL;
}

static int swapfail_attr_value(const char *key, const char *value,
			       struct swapfail_attr *attr, u32 *seen,
			       char **error)
{
	u32 v;

	if (!value)
		return swapfail_act_value(key, value, &attr->act, seen, error);
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
	return swapfail_act_value(key, value, &attr->act, seen, error);
}

/* The bare words among the attributes: "hold" and "drop". */
static bool swapfail_is_attr(const char *s)
{
	return strchr(s, '=') || !strcmp(s, "hold") || !strcmp(s, "drop");
}

/* "key=value", or a bare word; each key at most once. */
static int swapfail_parse_attr(const char *s, struct swapfail_attr *attr,
			       u32 *seen, char **error)
{
	char key[16];
	const char *eq = strchr(s, '=');
	u32 before = *seen;
	size_t len = eq ? (size_t)(eq - s) : strlen(s);

	if (len >= sizeof(key)) {
		*error = "unknown attribute: see the admin guide";
		return -EINVAL;
	}
	memcpy(key, s, len);
	key[len] = '\0';
	if (swapfail_attr_value(key, eq ? eq + 1 : NULL, attr, seen, error))
		return -EINVAL;
	if (before == *seen) {
		*error = "attribute given twice";
		return -EINVAL;
	}
	return 0;
}

/* What one action allows of the others. */
static int swapfail_act_check(const struct swapfail_attr *attr, u32 seen,
			      char **error)
{
	const struct swapfail_act *act = &attr->act;
	bool corrupt = act->kind == SWAPFAIL_ACT_CORRUPT;

	*error = "at, bytes, xor and seed go with corrupt only";
	if (!corrupt && (seen & (SWAPFAIL_ATTR_AT | SWAPFAIL_ATTR_BYTES |
				 SWAPFAIL_ATTR_XOR | SWAPFAIL_ATTR_SEED)))
		return -EINVAL;
	*error = "xor goes with corrupt=xor, seed with corrupt=random";
	if (corrupt && (seen & (act->corrupt == SWAPFAIL_CORRUPT_XOR ?
				SWAPFAIL_ATTR_SEED : SWAPFAIL_ATTR_XOR)))
		return -EINVAL;
	*error = "error goes with an error action only";
	if (act->kind != SWAPFAIL_ACT_ERROR && (seen & SWAPFAIL_ATTR_ERROR))
		return -EINVAL;
	*error = "drop applies to mode=write only";
	if (act->kind == SWAPFAIL_ACT_DROP && attr->mode != SWAPFAIL_MODE_WRITE)
		return -EINVAL;
	*error = "wr_fail applies to mode=read errors only";
	if (attr->wr_fail && (attr->mode != SWAPFAIL_MODE_READ ||
			      act->kind != SWAPFAIL_ACT_ERROR))
		return -EINVAL;
	return 0;
}

/* An action's defaults: a corrupt one changes one byte, XORed with ff. */
static void swapfail_act_init(struct swapfail_act *act)
{
	memset(act, 0, sizeof(*act));
	act->bytes = 1;
	act->xor = 0xff;
}

static int swapfail_parse_ranges(unsigned int argc, char **argv,
				 u64 nr_blocks, struct swapfail_msg *msg,
				 char **error)
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

/*
 * add <range>... [mode=M] [count=N] [error=E] [wr_fail=K] [<action>]
 * [match=swap|all], in any order; <action>: delay=T[~J], hold[=T], drop,
 * or corrupt=xor|random [at=B] [bytes=N] [xor=HH] [seed=S].
 */
static int swapfail_parse_add(unsigned int argc, char **argv, u64 nr_blocks,
			      struct swapfail_msg *msg, char **error)
{
	struct swapfail_range *range;
	unsigned int i;
	u32 seen = 0;
	int r;

	msg->attr.mode = SWAPFAIL_MODE_READ;
	swapfail_act_init(&msg->attr.act);
	for (i = 0; i < argc; i++) {
		if (swapfail_is_attr(argv[i])) {
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
	return swapfail_act_check(&msg->attr, seen, error);
}

static int swapfail_parse_dust_block(unsigned int argc, char **argv,
				     u64 nr_blocks, struct swapfail_msg *msg,
				     char **error)
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
				   char **error)
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
				char **error)
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

/* The action words after an every_nth or probability value. */
static int swapfail_parse_trigger_act(unsigned int argc, char **argv,
				      struct swapfail_msg *msg, char **error)
{
	unsigned int i;
	u32 seen = 0;

	swapfail_act_init(&msg->attr.act);
	/* its direction's mode: drop goes with a write trigger */
	msg->attr.mode = BIT(msg->dir);
	for (i = 0; i < argc; i++) {
		/* only hold and drop stand alone: the rest need a value */
		if (!swapfail_is_attr(argv[i])) {
			*error = "unknown attribute: see the admin guide";
			return -EINVAL;
		}
		if (swapfail_parse_attr(argv[i], &msg->attr, &seen, error))
			return -EINVAL;
		if (seen & ~SWAPFAIL_ATTR_TRIGGER) {
			*error = "a trigger takes no mode, count or wr_fail";
			return -EINVAL;
		}
	}
	msg->attr.act.error = msg->attr.error;
	return swapfail_act_check(&msg->attr, seen, error);
}

/* every_nth_read|every_nth_write <N> [<action>...] */
static int swapfail_parse_nth(unsigned int argc, char **argv, u64 nr_blocks,
			      struct swapfail_msg *msg, char **error)
{
	if (swapfail_parse_u32(argv[0], &msg->value)) {
		*error = "every_nth takes 0 (off) to 4294967295";
		return -EINVAL;
	}
	return swapfail_parse_trigger_act(argc - 1, argv + 1, msg, error);
}

/* probability_read|probability_write <P> [<action>...] */
static int swapfail_parse_probability(unsigned int argc, char **argv,
				      u64 nr_blocks, struct swapfail_msg *msg,
				      char **error)
{
	if (swapfail_parse_ppb(argv[0], &msg->value)) {
		*error = "probability takes 0 to 1, e.g. 0.01";
		return -EINVAL;
	}
	return swapfail_parse_trigger_act(argc - 1, argv + 1, msg, error);
}

static int swapfail_parse_seed(unsigned int argc, char **argv, u64 nr_blocks,
			       struct swapfail_msg *msg, char **error)
{
	if (swapfail_parse_u64(argv[0], &msg->seed)) {
		*error = "invalid seed";
		return -EINVAL;
	}
	return 0;
}

/* release [fail [error=E]] [<range>...] */
static int swapfail_parse_release(unsigned int argc, char **argv,
				  u64 nr_blocks, struct swapfail_msg *msg,
				  char **error)
{
	unsigned int i = 0;
	u8 e = SWAPFAIL_ERR_DEFAULT;

	if (!strcmp(argv[0], "fail")) {
		msg->value = 1;
		i++;
		if (i < argc && !strncmp(argv[i], "error=", 6)) {
			if (swapfail_error_parse(argv[i] + 6, &e)) {
				*error = "invalid error name";
				return -EINVAL;
			}
			i++;
		}
	}
	msg->attr.error = e;
	return swapfail_parse_ranges(argc - i, argv + i, nr_blocks, msg, error);
}

static int swapfail_parse_error_msg(unsigned int argc, char **argv,
				    u64 nr_blocks, struct swapfail_msg *msg,
				    char **error)
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
		     struct swapfail_msg *msg, char **error);
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
	{ "every_nth_read", SWAPFAIL_MSG_EVERY_NTH, 1, SWAPFAIL_ANY_ARGS,
	  SWAPFAIL_DIR_READ, 0, swapfail_parse_nth },
	{ "every_nth_write", SWAPFAIL_MSG_EVERY_NTH, 1, SWAPFAIL_ANY_ARGS,
	  SWAPFAIL_DIR_WRITE, 0, swapfail_parse_nth },
	{ "probability_read", SWAPFAIL_MSG_PROBABILITY, 1, SWAPFAIL_ANY_ARGS,
	  SWAPFAIL_DIR_READ, 0, swapfail_parse_probability },
	{ "probability_write", SWAPFAIL_MSG_PROBABILITY, 1, SWAPFAIL_ANY_ARGS,
	  SWAPFAIL_DIR_WRITE, 0, swapfail_parse_probability },
	{ "seed", SWAPFAIL_MSG_SEED, 1, 1, 0, 0, swapfail_parse_seed },
	{ "release", SWAPFAIL_MSG_RELEASE, 0, SWAPFAIL_ANY_ARGS, 0, 0,
	  swapfail_parse_release },
	{ "held", SWAPFAIL_MSG_HELD, 0, 0, 0, SWAPFAIL_ANSWERS, NULL },
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
		       struct swapfail_msg *msg, char **error)
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

static int swapfail_range_cmp(const void *a, const void *b)
{
	const struct swapfail_range *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return 0;
}

void swapfail_ranges_sort(struct swapfail_range *r, u32 n)
{
	sort(r, n, sizeof(*r), swapfail_range_cmp, NULL);
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
			r[out - 1].last = max(r[out - 1].last, r[i].last);
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

/* Rules */

void swapfail_rule_init(struct swapfail_rule *rule,
			const struct swapfail_attr *attr,
			const struct swapfail_range *range)
{
	memset(rule, 0, sizeof(*rule));
	rule->has_count = attr->count;
	atomic64_set(&rule->count_left, attr->count);
	atomic_set(&rule->wr_fail_left, attr->wr_fail);
	rule->first = range->first;
	rule->last = range->last;
	rule->act = attr->act;
}

/* A spent rule's extents fail nothing and wait to be dropped. */
bool swapfail_rule_spent(const struct swapfail_rule *rule)
{
	return rule && rule->has_count && !atomic64_read(&rule->count_left);
}

static bool swapfail_extent_spent(const struct swapfail_extent *e)
{
	return swapfail_rule_spent(e->rule);
}

static void swapfail_rule_get(struct swapfail_rule *rule)
{
	if (rule)
		rule->ref++;
}

static void swapfail_rule_put(struct swapfail_mem *mem,
			      struct swapfail_rule *rule)
{
	if (!rule || --rule->ref || rule->queued)
		return;
	rule->next = mem->released_rules;
	mem->released_rules = rule;
}

/* Nodes */

void swapfail_node_get(struct swapfail_node *node)
{
	node->ref++;
}

/* Drops a reference; the node is released (later) with its last one. */
void swapfail_node_put(struct swapfail_mem *mem, struct swapfail_node *node)
{
	if (--node->ref)
		return;
	node->next = mem->released;
	mem->released = node;
}

static void swapfail_node_release(struct swapfail_mem *mem,
				  struct swapfail_node *node)
{
	u32 i;

	for (i = 0; i < node->nr; i++) {
		if (node->level)
			swapfail_node_put(mem, node->child[i]);
		else
			swapfail_rule_put(mem, node->ext[i].rule);
	}
}

/*
 * Releases up to @budget nodes whose last reference went: drops what they
 * hold (which may release more) and passes each to @free_node, rules to
 * @free_rule.  Returns whether more are waiting, so that a caller holding
 * a lock can let go of it between rounds.
 */
bool swapfail_release(struct swapfail_mem *mem, u32 budget,
		      void (*free_node)(struct swapfail_node *node, void *arg),
		      void (*free_rule)(struct swapfail_rule *rule, void *arg),
		      void *arg)
{
	struct swapfail_node *node;
	struct swapfail_rule *rule;

	while (budget-- && (node = mem->released)) {
		mem->released = node->next;
		swapfail_node_release(mem, node);
		free_node(node, arg);
	}
	while ((rule = mem->released_rules)) {
		mem->released_rules = rule->next;
		free_rule(rule, arg);
	}
	return mem->released;
}

static struct swapfail_node *swapfail_node_new(struct swapfail_tree *t,
					       struct swapfail_mem *mem,
					       u8 level)
{
	struct swapfail_node *node = mem->free[--mem->nr_free];

	node->gen = t->gen;
	node->ref = 1;
	node->nr = 0;
	node->level = level;
	return node;
}

/* The caller's copy of @old, which it may change: @old's holder drops it. */
static struct swapfail_node *swapfail_node_copy(struct swapfail_tree *t,
						struct swapfail_mem *mem,
						const struct swapfail_node *old)
{
	struct swapfail_node *node = swapfail_node_new(t, mem, old->level);
	u32 i;

	node->nr = old->nr;
	if (old->level) {
		memcpy(node->key, old->key, old->nr * sizeof(old->key[0]));
		memcpy(node->child, old->child, old->nr * sizeof(old->child[0]));
		for (i = 0; i < old->nr; i++)
			swapfail_node_get(old->child[i]);
	} else {
		memcpy(node->ext, old->ext, old->nr * sizeof(old->ext[0]));
		for (i = 0; i < old->nr; i++)
			swapfail_rule_get(old->ext[i].rule);
	}
	return node;
}

static bool swapfail_node_mine(const struct swapfail_tree *t,
			       const struct swapfail_node *node)
{
	return node->gen == t->gen;
}

/* *slot, made the writer's own: copied unless it already is. */
static struct swapfail_node *swapfail_own(struct swapfail_tree *t,
					  struct swapfail_mem *mem,
					  struct swapfail_node **slot)
{
	struct swapfail_node *old = *slot;

	if (swapfail_node_mine(t, old))
		return old;
	*slot = swapfail_node_copy(t, mem, old);
	swapfail_node_put(mem, old);
	return *slot;
}

static u64 swapfail_node_min(const struct swapfail_node *node)
{
	return node->level ? node->key[0] : node->ext[0].start;
}

static u32 swapfail_node_cap(const struct swapfail_node *node)
{
	return node->level ? SWAPFAIL_FANOUT : SWAPFAIL_LEAF_CAP;
}

static u32 swapfail_node_min_fill(const struct swapfail_node *node)
{
	return node->level ? SWAPFAIL_FANOUT_MIN : SWAPFAIL_LEAF_MIN;
}

/* Levels of @t: derived from its root, so a reader needs only the root. */
static u32 swapfail_tree_height(const struct swapfail_tree *t)
{
	return t->root ? t->root->level + 1 : 0;
}

/* The child of @node whose subtree holds the last start at or before @b. */
static u32 swapfail_child_index(const struct swapfail_node *node, u64 b)
{
	u32 lo = 1, hi = node->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (node->key[mid] <= b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

/* The first extent of @leaf that ends after @b, or leaf->nr. */
static u32 swapfail_leaf_index(const struct swapfail_node *leaf, u64 b)
{
	u32 lo = 0, hi = leaf->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (leaf->ext[mid].end <= b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Walking a tree: the path from the root to one extent. */
struct swapfail_iter {
	const struct swapfail_node *node[SWAPFAIL_MAX_HEIGHT];
	u32 idx[SWAPFAIL_MAX_HEIGHT];
	u32 height;
};

static const struct swapfail_extent *
swapfail_iter_here(const struct swapfail_iter *it)
{
	return &it->node[0]->ext[it->idx[0]];
}

/* Moves to the first extent of the next leaf; NULL past the last one. */
static const struct swapfail_extent *
swapfail_iter_next_leaf(struct swapfail_iter *it)
{
	u32 l = 1;

	while (l < it->height && it->idx[l] + 1 >= it->node[l]->nr)
		l++;
	if (l >= it->height)
		return NULL;
	it->idx[l]++;
	for (; l > 0; l--) {
		it->node[l - 1] = it->node[l]->child[it->idx[l]];
		it->idx[l - 1] = 0;
	}
	return swapfail_iter_here(it);
}

/* Positions @it at the first extent that ends after @b; NULL if none. */
static const struct swapfail_extent *
swapfail_iter_seek(struct swapfail_iter *it, const struct swapfail_tree *t,
		   u64 b)
{
	const struct swapfail_node *node = t->root;
	u32 l;

	it->height = swapfail_tree_height(t);
	if (!node)
		return NULL;
	for (l = it->height - 1; l > 0; l--) {
		it->node[l] = node;
		it->idx[l] = swapfail_child_index(node, b);
		node = node->child[it->idx[l]];
	}
	it->node[0] = node;
	it->idx[0] = swapfail_leaf_index(node, b);
	if (it->idx[0] < node->nr)
		return swapfail_iter_here(it);
	return swapfail_iter_next_leaf(it);
}

static const struct swapfail_extent *
swapfail_iter_next(struct swapfail_iter *it)
{
	if (++it->idx[0] < it->node[0]->nr)
		return swapfail_iter_here(it);
	return swapfail_iter_next_leaf(it);
}

/* The extent holding block @b, or NULL. */
static const struct swapfail_extent *
swapfail_tree_find(const struct swapfail_tree *t, u64 b)
{
	struct swapfail_iter it;
	const struct swapfail_extent *e = swapfail_iter_seek(&it, t, b);

	return e && e->start <= b ? e : NULL;
}

/*
 * Where a change must look: extents may begin before @first and reach
 * into it, so the bounds are the first block and the end of the last.
 */
void swapfail_tree_bounds(const struct swapfail_tree *t, u64 *lo, u64 *hi)
{
	const struct swapfail_node *node = t->root;

	if (!node) {
		*lo = SWAPFAIL_U64_MAX;
		*hi = 0;
		return;
	}
	*lo = swapfail_node_min(node);
	while (node->level)
		node = node->child[node->nr - 1];
	*hi = node->ext[node->nr - 1].end;
}

/* The I/O decision */

void swapfail_verdict_init(struct swapfail_verdict *v)
{
	/* the arrays are read only as far as their counts say */
	v->fault = false;
	v->wait = SWAPFAIL_ACT_ERROR;
	v->wait_by = SWAPFAIL_BY_EXTENT;
	v->outcome = SWAPFAIL_PASSES;
	v->outcome_by = SWAPFAIL_BY_EXTENT;
	v->error = SWAPFAIL_ERR_DEFAULT;
	v->wait_act = NULL;
	v->corrupt = NULL;
	v->block = 0;
	v->heal = false;
	v->sweep = false;
	v->nr_spent = 0;
	v->nr_charged = 0;
}

/* Whether wait @a, met after @b, replaces it: a hold beats a delay. */
static bool swapfail_wait_beats(const struct swapfail_act *a,
				const struct swapfail_act *b)
{
	if (!b)
		return true;
	if (a->kind != b->kind)
		return a->kind == SWAPFAIL_ACT_HOLD;
	if (a->kind == SWAPFAIL_ACT_DELAY)
		return a->delay_ns > b->delay_ns;
	/* of two holds, the longer; 0 is no limit */
	return b->hold_ns && (!a->hold_ns || a->hold_ns > b->hold_ns);
}

static u8 swapfail_act_outcome(const struct swapfail_act *act)
{
	switch (act ? act->kind : SWAPFAIL_ACT_ERROR) {
	case SWAPFAIL_ACT_ERROR:
		return SWAPFAIL_FAILS;
	case SWAPFAIL_ACT_DROP:
		return SWAPFAIL_DROPS;
	case SWAPFAIL_ACT_CORRUPT:
		return SWAPFAIL_CORRUPTS;
	default:
		return SWAPFAIL_PASSES;
	}
}

/*
 * Adds a fault to @v: @act (NULL: an error) of an extent or a trigger,
 * found at @block; @error is an error's.  The one place where faults
 * compose: see struct swapfail_verdict.
 */
void swapfail_verdict_add(struct swapfail_verdict *v,
			  const struct swapfail_act *act, u8 error, u64 block,
			  enum swapfail_trigger by)
{
	u8 outcome = swapfail_act_outcome(act);

	v->fault = true;
	if (act && (act->kind == SWAPFAIL_ACT_DELAY ||
		    act->kind == SWAPFAIL_ACT_HOLD)) {
		if (swapfail_wait_beats(act, v->wait_act)) {
			v->wait = act->kind;
			v->wait_act = act;
			v->wait_by = by;
		}
		return;
	}
	if (outcome <= v->outcome)
		return;
	v->outcome = outcome;
	v->outcome_by = by;
	v->block = block;
	v->error = outcome == SWAPFAIL_FAILS ? error : SWAPFAIL_ERR_DEFAULT;
	v->corrupt = outcome == SWAPFAIL_CORRUPTS ? act : NULL;
}

/*
 * Whether the I/O heals mode=read blocks when it reaches the disk: a write
 * that passes or is corrupted does, however late; one that fails or is
 * dropped reaches no disk.
 */
bool swapfail_verdict_heals(const struct swapfail_verdict *v)
{
	return v->heal && v->outcome <= SWAPFAIL_CORRUPTS;
}

/* Heals and wr_fail are dm-dust's: mode=read extents that fail reads. */
static bool swapfail_extent_heals(const struct swapfail_extent *e)
{
	return e->mode == SWAPFAIL_MODE_READ &&
	       (!e->rule || e->rule->act.kind == SWAPFAIL_ACT_ERROR);
}

/*
 * Whether a write, a swap-out if @swap, is one that @e sees: a match=swap
 * extent sees swap-outs only, and neither fails nor is healed by others.
 */
static bool swapfail_extent_sees_write(const struct swapfail_extent *e,
				       bool swap)
{
	return swap || !e->rule || e->rule->act.match != SWAPFAIL_MATCH_SWAP;
}

/* Takes one failure from @rule's count; false if none was left. */
static bool swapfail_rule_take(struct swapfail_rule *rule,
			       struct swapfail_verdict *v)
{
	s64 left;

	if (!rule || !rule->has_count)
		return true;
	left = atomic64_dec_if_positive(&rule->count_left);
	if (left < 0)
		return false;
	if (!left) {
		if (v->nr_spent < SWAPFAIL_VERDICT_SPENT)
			v->spent[v->nr_spent++] = rule;
		else
			v->sweep = true;
	}
	return true;
}

/* A write over a mode=read extent fails while its wr_fail lasts. */
static bool swapfail_rule_wr_fails(struct swapfail_rule *rule)
{
	return rule && atomic_dec_if_positive(&rule->wr_fail_left) >= 0;
}

/* Whether extent @e fails the I/O, charging its rule's counts. */
static bool swapfail_extent_fails(const struct swapfail_extent *e,
				  enum swapfail_dir dir,
				  struct swapfail_verdict *v)
{
	struct swapfail_rule *rule = e->rule;

	if (e->mode & BIT(dir))
		return swapfail_rule_take(rule, v);
	if (dir != SWAPFAIL_DIR_WRITE || !swapfail_extent_heals(e))
		return false;
	if (swapfail_rule_wr_fails(rule))
		return swapfail_rule_take(rule, v);
	v->heal = true;
	return false;
}

/*
 * An I/O over several pieces of one rule is one failure, or one write:
 * the rule is charged once and its answer stands for every piece.
 * Returns the index of @rule's earlier answer, or -1.
 */
static int swapfail_verdict_charged(const struct swapfail_verdict *v,
				    const struct swapfail_rule *rule)
{
	u32 i;

	for (i = 0; rule && i < v->nr_charged; i++)
		if (v->charged[i] == rule)
			return i;
	return -1;
}

static void swapfail_extent_decide(const struct swapfail_extent *e,
				   u64 first, enum swapfail_dir dir, bool swap,
				   struct swapfail_verdict *v)
{
	int i = swapfail_verdict_charged(v, e->rule);
	bool fails;

	/* Linux marks swap-outs REQ_SWAP, and no swap-in: reads all match */
	if (swapfail_extent_spent(e) ||
	    (dir == SWAPFAIL_DIR_WRITE && !swapfail_extent_sees_write(e, swap)))
		return;
	if (i >= 0) {
		fails = v->charged_fail[i];
		v->heal |= !fails && dir == SWAPFAIL_DIR_WRITE &&
			   swapfail_extent_heals(e);
	} else {
		fails = swapfail_extent_fails(e, dir, v);
		if (e->rule && v->nr_charged < SWAPFAIL_VERDICT_RULES) {
			v->charged[v->nr_charged] = e->rule;
			v->charged_fail[v->nr_charged++] = fails;
		}
	}
	if (fails)
		swapfail_verdict_add(v, e->rule ? &e->rule->act : NULL,
				     e->error, max(e->start, first),
				     SWAPFAIL_BY_EXTENT);
}

/*
 * The table's part of the decision for an I/O over blocks first..last
 * (@swap: the kernel marks it REQ_SWAP): every extent it overlaps that
 * faults its direction adds its fault (an error, or its rule's action),
 * and every such extent with a count counts it.  A write over mode=read
 * blocks that none of them fails heals them when it reaches the disk: the
 * verdict says so, and the caller changes the tree.  Counts are atomic:
 * this runs without a lock, on any published tree.
 */
void swapfail_tree_check(const struct swapfail_tree *t, u64 first, u64 last,
			 enum swapfail_dir dir, bool swap,
			 struct swapfail_verdict *v)
{
	const struct swapfail_extent *e;
	struct swapfail_iter it;

	swapfail_verdict_init(v);
	for (e = swapfail_iter_seek(&it, t, first); e && e->start <= last;
	     e = swapfail_iter_next(&it))
		swapfail_extent_decide(e, first, dir, swap, v);
}

/* Changing a tree: one step changes one leaf and the path to it. */

/* The leaf for a block, the path to it, and the subtree after it. */
struct swapfail_path {
	struct swapfail_node *node[SWAPFAIL_MAX_HEIGHT];
	u32 idx[SWAPFAIL_MAX_HEIGHT];	/* child taken at each level */
	u64 next;	/* first start in the next subtree, or U64_MAX */
};

static void swapfail_path_find(const struct swapfail_tree *t, u64 b,
			       struct swapfail_path *p)
{
	struct swapfail_node *node = t->root;
	u32 l, i;

	p->next = SWAPFAIL_U64_MAX;
	for (l = swapfail_tree_height(t) - 1; l > 0; l--) {
		p->node[l] = node;
		i = swapfail_child_index(node, b);
		p->idx[l] = i;
		if (i + 1 < node->nr)
			p->next = node->key[i + 1];
		node = node->child[i];
	}
	p->node[0] = node;
}

/* Makes every node on @p the writer's own, from the root down. */
static void swapfail_path_own(struct swapfail_tree *t,
			      struct swapfail_mem *mem,
			      struct swapfail_path *p)
{
	struct swapfail_node **slot = &t->root;
	u32 l;

	for (l = swapfail_tree_height(t) - 1;; l--) {
		p->node[l] = swapfail_own(t, mem, slot);
		if (!l)
			return;
		slot = &p->node[l]->child[p->idx[l]];
	}
}

/*
 * Where a full node of @n entries splits: in half, or, when the newest
 * entry went to its end, as full as the right one allows, so that blocks
 * added in ascending order fill their nodes.
 */
static u32 swapfail_split_point(u32 n, u32 min_fill, bool at_end)
{
	return at_end ? n - min_fill : n / 2;
}

static void swapfail_child_put_at(struct swapfail_node *parent, u32 pos,
				  struct swapfail_node *child)
{
	memmove(&parent->key[pos + 1], &parent->key[pos],
		(parent->nr - pos) * sizeof(parent->key[0]));
	memmove(&parent->child[pos + 1], &parent->child[pos],
		(parent->nr - pos) * sizeof(parent->child[0]));
	parent->key[pos] = swapfail_node_min(child);
	parent->child[pos] = child;
	parent->nr++;
}

/* Moves @parent's children from @from on to the start of @to. */
static void swapfail_children_move(struct swapfail_node *parent, u32 from,
				   struct swapfail_node *to)
{
	u32 n = parent->nr - from;

	memmove(&to->key[n], &to->key[0], to->nr * sizeof(to->key[0]));
	memmove(&to->child[n], &to->child[0], to->nr * sizeof(to->child[0]));
	memcpy(&to->key[0], &parent->key[from], n * sizeof(to->key[0]));
	memcpy(&to->child[0], &parent->child[from], n * sizeof(to->child[0]));
	to->nr += n;
	parent->nr = from;
}

/*
 * Puts @child into @parent at @pos; a full parent splits first.  Returns
 * the parent's new right sibling, which its own parent must take, or NULL.
 */
static struct swapfail_node *swapfail_child_insert(struct swapfail_tree *t,
						   struct swapfail_mem *mem,
						   struct swapfail_node *parent,
						   u32 pos,
						   struct swapfail_node *child)
{
	struct swapfail_node *right = NULL, *into = parent;
	u32 split;

	if (parent->nr == SWAPFAIL_FANOUT) {
		split = swapfail_split_point(SWAPFAIL_FANOUT + 1,
					     SWAPFAIL_FANOUT_MIN,
					     pos == SWAPFAIL_FANOUT);
		right = swapfail_node_new(t, mem, parent->level);
		swapfail_children_move(parent, split, right);
		if (pos > split) {
			into = right;
			pos -= split;
		}
	}
	swapfail_child_put_at(into, pos, child);
	return right;
}

static void swapfail_child_remove(struct swapfail_mem *mem,
				  struct swapfail_node *parent, u32 pos)
{
	swapfail_node_put(mem, parent->child[pos]);
	parent->nr--;
	memmove(&parent->key[pos], &parent->key[pos + 1],
		(parent->nr - pos) * sizeof(parent->key[0]));
	memmove(&parent->child[pos], &parent->child[pos + 1],
		(parent->nr - pos) * sizeof(parent->child[0]));
}

/* Moves the first @n entries of @b to the end of @a (both one level). */
static void swapfail_entries_shift_left(struct swapfail_node *a,
					struct swapfail_node *b, u32 n)
{
	if (a->level) {
		memcpy(&a->key[a->nr], b->key, n * sizeof(b->key[0]));
		memcpy(&a->child[a->nr], b->child, n * sizeof(b->child[0]));
		memmove(b->key, &b->key[n], (b->nr - n) * sizeof(b->key[0]));
		memmove(b->child, &b->child[n],
			(b->nr - n) * sizeof(b->child[0]));
	} else {
		memcpy(&a->ext[a->nr], b->ext, n * sizeof(b->ext[0]));
		memmove(b->ext, &b->ext[n], (b->nr - n) * sizeof(b->ext[0]));
	}
	a->nr += n;
	b->nr -= n;
}

/* Moves the last @n entries of @a to the start of @b. */
static void swapfail_entries_shift_right(struct swapfail_node *a,
					 struct swapfail_node *b, u32 n)
{
	u32 from = a->nr - n;

	if (a->level) {
		swapfail_children_move(a, from, b);
		return;
	}
	memmove(&b->ext[n], b->ext, b->nr * sizeof(b->ext[0]));
	memcpy(b->ext, &a->ext[from], n * sizeof(a->ext[0]));
	a->nr = from;
	b->nr += n;
}

/*
 * Child @i of @parent fell below a third full: merge it with a neighbour,
 * or even the two out, so that every node but the root stays a third full
 * and the tree's height stays logarithmic.
 */
static void swapfail_rebalance(struct swapfail_tree *t,
			       struct swapfail_mem *mem,
			       struct swapfail_node *parent, u32 i)
{
	u32 left = i + 1 < parent->nr ? i : i - 1;
	struct swapfail_node *a, *b;
	u32 total, half;

	a = swapfail_own(t, mem, &parent->child[left]);
	b = swapfail_own(t, mem, &parent->child[left + 1]);
	total = a->nr + b->nr;
	if (total <= swapfail_node_cap(a)) {
		swapfail_entries_shift_left(a, b, b->nr);
		swapfail_child_remove(mem, parent, left + 1);
	} else {
		half = total / 2;
		if (a->nr < half)
			swapfail_entries_shift_left(a, b, half - a->nr);
		else
			swapfail_entries_shift_right(a, b, a->nr - half);
		parent->key[left + 1] = swapfail_node_min(b);
	}
	parent->key[left] = swapfail_node_min(a);
}

/* A root that split gets a parent; a root of one child gives way to it. */
static void swapfail_root_fix(struct swapfail_tree *t,
			      struct swapfail_mem *mem,
			      struct swapfail_node *sibling)
{
	struct swapfail_node *root = t->root, *top;

	if (sibling) {
		top = swapfail_node_new(t, mem, root->level + 1);
		swapfail_child_put_at(top, 0, root);
		swapfail_child_put_at(top, 1, sibling);
		t->root = top;
		return;
	}
	while (root->level && root->nr == 1) {
		t->root = root->child[0];
		swapfail_node_get(t->root);
		swapfail_node_put(mem, root);
		root = t->root;
	}
	if (!root->nr) {
		t->root = NULL;
		swapfail_node_put(mem, root);
	}
}

/*
 * After the leaf on @p changed (and perhaps split off @sibling), brings
 * its ancestors in line, bottom up: keys, emptied children, splits and
 * merges.
 */
static void swapfail_path_fix(struct swapfail_tree *t,
			      struct swapfail_mem *mem,
			      struct swapfail_path *p,
			      struct swapfail_node *sibling)
{
	u32 height = swapfail_tree_height(t);
	struct swapfail_node *parent, *child;
	u32 l, i;

	for (l = 1; l < height; l++) {
		parent = p->node[l];
		i = p->idx[l];
		child = parent->child[i];
		if (!child->nr) {
			swapfail_child_remove(mem, parent, i);
			continue;
		}
		parent->key[i] = swapfail_node_min(child);
		if (sibling)
			sibling = swapfail_child_insert(t, mem, parent, i + 1,
							sibling);
		else if (child->nr < swapfail_node_min_fill(child) &&
			 parent->nr > 1)
			swapfail_rebalance(t, mem, parent, i);
	}
	swapfail_root_fix(t, mem, sibling);
}

static u64 swapfail_extents_blocks(const struct swapfail_extent *e, u32 n)
{
	u64 blocks = 0;
	u32 i;

	for (i = 0; i < n; i++)
		blocks += e[i].end - e[i].start;
	return blocks;
}

/* Gives the owned leaf on @p its new extents @out, splitting if need be. */
static void swapfail_leaf_apply(struct swapfail_tree *t,
				struct swapfail_mem *mem,
				struct swapfail_path *p,
				const struct swapfail_extent *out, u32 n,
				bool at_end)
{
	struct swapfail_node *leaf = p->node[0], *sibling = NULL;
	u32 i, keep = n;

	for (i = 0; i < n; i++)
		swapfail_rule_get(out[i].rule);
	for (i = 0; i < leaf->nr; i++)
		swapfail_rule_put(mem, leaf->ext[i].rule);
	if (n > SWAPFAIL_LEAF_CAP) {
		keep = swapfail_split_point(n, SWAPFAIL_LEAF_MIN, at_end);
		sibling = swapfail_node_new(t, mem, 0);
		memcpy(sibling->ext, out + keep, (n - keep) * sizeof(*out));
		sibling->nr = n - keep;
	}
	memcpy(leaf->ext, out, keep * sizeof(*out));
	leaf->nr = keep;
	swapfail_path_fix(t, mem, p, sibling);
}

static bool swapfail_change_hits(const struct swapfail_change *c,
				 const struct swapfail_extent *e)
{
	if (e->end <= c->first || e->start > c->last)
		return false;
	switch (c->kind) {
	case SWAPFAIL_CUT:
		return true;
	case SWAPFAIL_HEAL:
		return swapfail_extent_heals(e) && !swapfail_extent_spent(e) &&
		       swapfail_extent_sees_write(e, c->swap);
	case SWAPFAIL_DROP_RULE:
		return e->rule == c->rule;
	case SWAPFAIL_DROP_SPENT:
		return swapfail_extent_spent(e);
	default:
		return false;
	}
}

/* What is left of @e once @c took its blocks: 0, 1 or 2 pieces. */
static u32 swapfail_change_cut(const struct swapfail_change *c,
			       const struct swapfail_extent *e,
			       struct swapfail_extent *out)
{
	u32 n = 0;

	if (c->kind == SWAPFAIL_DROP_RULE || c->kind == SWAPFAIL_DROP_SPENT)
		return 0;
	if (e->start < c->first) {
		out[n] = *e;
		out[n++].end = c->first;
	}
	if (e->end > c->last + 1) {
		out[n] = *e;
		out[n++].start = c->last + 1;
	}
	return n;
}

/*
 * The extents @leaf holds once @c is done.  Only an extent holding the
 * whole range on both sides splits, and then it is the only one the range
 * overlaps: a leaf grows by one extent at most.
 */
static u32 swapfail_leaf_rewrite(const struct swapfail_change *c,
				 const struct swapfail_node *leaf,
				 struct swapfail_extent *out, bool *changed)
{
	bool insert = c->kind == SWAPFAIL_INSERT;
	const struct swapfail_extent *e;
	u32 i, n = 0;

	*changed = insert;
	for (i = 0; i < leaf->nr; i++) {
		e = &leaf->ext[i];
		if (insert && c->ext.start < e->start) {
			out[n++] = c->ext;
			insert = false;
		}
		if (!swapfail_change_hits(c, e)) {
			out[n++] = *e;
			continue;
		}
		*changed = true;
		n += swapfail_change_cut(c, e, out + n);
	}
	if (insert)
		out[n++] = c->ext;
	return n;
}

/* The first extent of an empty tree. */
static int swapfail_tree_plant(struct swapfail_tree *t,
			       struct swapfail_mem *mem,
			       const struct swapfail_change *c)
{
	struct swapfail_node *leaf;

	if (c->kind != SWAPFAIL_INSERT)
		return 0;
	if (c->max_extents < 1)
		return -ENOSPC;
	if (!mem->nr_free)
		return -ENOMEM;
	leaf = swapfail_node_new(t, mem, 0);
	leaf->ext[0] = c->ext;
	leaf->nr = 1;
	swapfail_rule_get(c->ext.rule);
	t->root = leaf;
	t->extents = 1;
	t->blocks = c->ext.end - c->ext.start;
	return 0;
}

/* Puts a step's new leaf @out in, if the cap and the nodes allow. */
static int swapfail_step_commit(struct swapfail_tree *t,
				struct swapfail_mem *mem,
				struct swapfail_change *c, struct swapfail_path *p,
				const struct swapfail_extent *out, u32 n)
{
	u32 in = p->node[0]->nr;
	u64 before, after;

	if (n > in && t->extents + (n - in) > c->max_extents)
		return -ENOSPC;
	if (mem->nr_free < SWAPFAIL_STEP_NODES(swapfail_tree_height(t)))
		return -ENOMEM;
	before = swapfail_extents_blocks(p->node[0]->ext, in);
	after = swapfail_extents_blocks(out, n);
	t->extents = t->extents - in + n;
	t->blocks = t->blocks - before + after;
	if (before > after)
		c->removed += before - after;
	c->changed++;
	swapfail_path_own(t, mem, p);
	/* an insert at the very end: blocks added in ascending order */
	swapfail_leaf_apply(t, mem, p, out, n,
			    p->next == SWAPFAIL_U64_MAX &&
			    c->kind == SWAPFAIL_INSERT &&
			    out[n - 1].start == c->ext.start);
	return 0;
}

/*
 * One step of change @c: the leaf that holds block *@next (for an insert,
 * where the new extent goes), and the path to it.  On success *@next is
 * where the next step goes on, past c->last when the change is done.
 * -ENOMEM: fewer than SWAPFAIL_STEP_NODES() free nodes; -ENOSPC: the tree
 * would pass c->max_extents.  Either way the tree is left as it was.
 */
int swapfail_tree_step(struct swapfail_tree *t, struct swapfail_mem *mem,
		       struct swapfail_change *c, u64 *next)
{
	struct swapfail_extent out[SWAPFAIL_LEAF_CAP + 1];
	struct swapfail_path p;
	bool changed;
	u32 n;
	int r = 0;

	if (!t->root) {
		r = swapfail_tree_plant(t, mem, c);
		*next = SWAPFAIL_U64_MAX;
		return r;
	}
	swapfail_path_find(t, *next, &p);
	n = swapfail_leaf_rewrite(c, p.node[0], out, &changed);
	if (changed)
		r = swapfail_step_commit(t, mem, c, &p, out, n);
	if (!r)
		*next = c->kind == SWAPFAIL_INSERT ? SWAPFAIL_U64_MAX : p.next;
	return r;
}

/*
 * Runs @c from *@next to c->last, for no more than @steps steps that change
 * a leaf and @looks steps in all.  0 when done; -EAGAIN when it ran out of
 * steps or of nodes, with *@next where to go on.  What it did is a whole
 * tree either way.
 */
static int swapfail_tree_change(struct swapfail_tree *t,
				struct swapfail_mem *mem,
				struct swapfail_change *c, u64 *next,
				u32 steps, u32 looks)
{
	u32 changed;
	int r;

	while (*next <= c->last) {
		if (!steps || !looks--)
			return -EAGAIN;
		changed = c->changed;
		r = swapfail_tree_step(t, mem, c, next);
		if (r)
			return r == -ENOMEM ? -EAGAIN : r;
		steps -= c->changed != changed;
	}
	return 0;
}

/* Whether a heal of first..last would split an extent in two. */
bool swapfail_tree_splits(const struct swapfail_tree *t, u64 first, u64 last,
			  bool swap)
{
	const struct swapfail_extent *e = swapfail_tree_find(t, first);

	return e && swapfail_extent_heals(e) && e->start < first &&
	       e->end > last + 1 && !swapfail_extent_spent(e) &&
	       swapfail_extent_sees_write(e, swap);
}

/*
 * Heals blocks first..last of @t's mode=read extents that a write (a
 * swap-out if @swap) heals, changing no more
 * than @steps leaves, under the writer's lock; -EAGAIN when it must go
 * again, from @first: as it only takes blocks out, it picks up where it
 * stopped, and the leaves it looks at are those of one bio.  The caller
 * checked swapfail_tree_splits() against the cap: only a heal inside one
 * extent splits it, in one step that either is done or changes nothing.
 */
int swapfail_tree_heal(struct swapfail_tree *t, struct swapfail_mem *mem,
		       u64 first, u64 last, bool swap, u32 steps,
		       u64 *healed)
{
	struct swapfail_change c = {
		.kind = SWAPFAIL_HEAL,
		.first = first,
		.last = last,
		.swap = swap,
		.max_extents = ~0U,
	};
	u64 next = first;
	int r = swapfail_tree_change(t, mem, &c, &next, steps, ~0U);

	*healed = c.removed;
	return r;
}

/*
 * Takes the extents of a spent @rule from *@next to @last out of @t, in
 * no more than @steps steps; -EAGAIN with *@next where to go on.  The
 * rule's extents never leave the range it was added for.
 */
int swapfail_tree_drop_rule(struct swapfail_tree *t, struct swapfail_mem *mem,
			    const struct swapfail_rule *rule, u64 *next,
			    u64 last, u32 steps)
{
	struct swapfail_change c = {
		.kind = SWAPFAIL_DROP_RULE,
		.rule = rule,
		.first = max(*next, rule->first),
		.last = min(last, rule->last),
	};

	*next = c.first;
	return swapfail_tree_change(t, mem, &c, next, steps, steps);
}

/* Drops the spent extents of @t from *@next on, as drop_rule does. */
int swapfail_tree_sweep(struct swapfail_tree *t, struct swapfail_mem *mem,
			u64 *next, u32 steps)
{
	struct swapfail_change c = {
		.kind = SWAPFAIL_DROP_SPENT,
		.first = *next,
		.last = SWAPFAIL_U64_MAX - 1,
	};

	return swapfail_tree_change(t, mem, &c, next, steps, steps);
}

static void swapfail_tree_clear(struct swapfail_tree *t,
				struct swapfail_mem *mem)
{
	if (t->root)
		swapfail_node_put(mem, t->root);
	t->root = NULL;
	t->extents = 0;
	t->blocks = 0;
}

/* Whether first..last holds an extent: spent ones count if @spent. */
static bool swapfail_tree_holds(const struct swapfail_tree *t,
				const struct swapfail_range *r, bool spent)
{
	const struct swapfail_extent *e;
	struct swapfail_iter it;

	for (e = swapfail_iter_seek(&it, t, r->first); e && e->start <= r->last;
	     e = swapfail_iter_next(&it))
		if (spent == swapfail_extent_spent(e))
			return true;
	return false;
}

/* Plain extents that touch end to start are kept as one. */
static bool swapfail_extent_joinable(const struct swapfail_extent *a,
				     const struct swapfail_extent *b)
{
	return a->end == b->start && a->mode == b->mode &&
	       a->error == b->error && !a->rule && !b->rule;
}

/* Message edits */

enum swapfail_edit_phase {
	SWAPFAIL_EDIT_CHECK,		/* may the range be added or removed */
	SWAPFAIL_EDIT_DROP_SPENT,	/* add over spent extents: drop them */
	SWAPFAIL_EDIT_PLACE,		/* add: the extent, joined */
	SWAPFAIL_EDIT_CUT,		/* remove: cut the range out */
};

/* Rules an add needs: one per range with a count, a wr_fail or an action. */
u32 swapfail_edit_rules(const struct swapfail_msg *msg)
{
	const struct swapfail_act *act = &msg->attr.act;

	if (msg->verb != SWAPFAIL_MSG_ADD && msg->verb != SWAPFAIL_MSG_DUST_ADD)
		return 0;
	if (msg->attr.count || msg->attr.wr_fail ||
	    act->kind != SWAPFAIL_ACT_ERROR || act->match != SWAPFAIL_MATCH_ALL)
		return msg->nr_ranges;
	return 0;
}

static bool swapfail_msg_adds(const struct swapfail_msg *msg)
{
	return msg->verb == SWAPFAIL_MSG_ADD || msg->verb == SWAPFAIL_MSG_DUST_ADD;
}

static bool swapfail_msg_removes(const struct swapfail_msg *msg)
{
	return msg->verb == SWAPFAIL_MSG_REMOVE ||
	       msg->verb == SWAPFAIL_MSG_DUST_REMOVE;
}

/*
 * Readies an edit of @msg: sorts its ranges and gives @rules,
 * swapfail_edit_rules() of them, to its ranges.  Rules
 * the edit did not put into the tree stay the caller's to free.
 */
int swapfail_edit_prepare(struct swapfail_edit *ed, struct swapfail_msg *msg,
			  struct swapfail_rule **rules, u32 max_extents)
{
	u32 i;

	memset(ed, 0, sizeof(*ed));
	ed->msg = msg;
	ed->rules = rules;
	ed->max_extents = max_extents;
	swapfail_ranges_sort(msg->ranges, msg->nr_ranges);
	if (!swapfail_msg_adds(msg))
		return 0;
	if (!swapfail_ranges_disjoint(msg->ranges, msg->nr_ranges)) {
		ed->error = "ranges in one message overlap";
		return -EINVAL;
	}
	for (i = 0; rules && i < msg->nr_ranges; i++)
		swapfail_rule_init(rules[i], &msg->attr, &msg->ranges[i]);
	return 0;
}

/* Rules from ed->rules that the edit has put into the tree. */
u32 swapfail_edit_rules_used(const struct swapfail_edit *ed)
{
	return ed->rules ? ed->range : 0;
}

static int swapfail_edit_change(struct swapfail_edit *ed,
				struct swapfail_tree *t,
				struct swapfail_mem *mem,
				struct swapfail_change *c)
{
	int r;

	c->max_extents = ed->max_extents;
	r = swapfail_tree_step(t, mem, c, &ed->next);
	if (r == -ENOMEM) {
		ed->need = SWAPFAIL_STEP_NODES(swapfail_tree_height(t));
		return -EAGAIN;
	}
	if (r == -ENOSPC) {
		ed->error = "table full";
		return -ENOSPC;
	}
	return r;
}

static int swapfail_edit_check(struct swapfail_edit *ed,
			       const struct swapfail_tree *t,
			       const struct swapfail_range *r)
{
	const struct swapfail_msg *msg = ed->msg;

	ed->next = r->first;
	if (!swapfail_msg_adds(msg)) {
		ed->phase = SWAPFAIL_EDIT_CUT;
		return 0;
	}
	if (swapfail_tree_holds(t, r, false)) {
		ed->error = "range overlaps an extent already in the table";
		return -EINVAL;
	}
	ed->pending = (struct swapfail_extent) {
		.start = r->first,
		.end = r->last + 1,
		.rule = ed->rules ? ed->rules[ed->range] : NULL,
		.mode = msg->attr.mode,
		.error = msg->attr.error,
	};
	ed->phase = swapfail_tree_holds(t, r, true) ? SWAPFAIL_EDIT_DROP_SPENT :
						      SWAPFAIL_EDIT_PLACE;
	return 0;
}

/* Steps over one range: 1 when the range is done. */
static int swapfail_edit_sweep(struct swapfail_edit *ed,
			       struct swapfail_tree *t,
			       struct swapfail_mem *mem,
			       enum swapfail_change_kind kind)
{
	const struct swapfail_range *r = &ed->msg->ranges[ed->range];
	struct swapfail_change c = {
		.kind = kind,
		.first = r->first,
		.last = r->last,
	};
	int err = swapfail_edit_change(ed, t, mem, &c);

	if (err)
		return err;
	return ed->next > r->last;
}

/*
 * Takes in the plain extent that touches the pending one on the left (or
 * right), so that adding blocks one by one builds one extent.
 */
static int swapfail_edit_join(struct swapfail_edit *ed,
			      struct swapfail_tree *t,
			      struct swapfail_mem *mem, bool prev)
{
	struct swapfail_extent *p = &ed->pending, join;
	const struct swapfail_extent *e = NULL;
	struct swapfail_change c = { .kind = SWAPFAIL_CUT };
	int r;

	if (prev && p->start)
		e = swapfail_tree_find(t, p->start - 1);
	else if (!prev && p->end)
		e = swapfail_tree_find(t, p->end);
	if (!e || !swapfail_extent_joinable(prev ? e : p, prev ? p : e))
		return 0;
	join = *e;
	c.first = join.start;
	c.last = join.end - 1;
	ed->next = join.start;
	r = swapfail_edit_change(ed, t, mem, &c);
	if (r)
		return r;
	if (prev)
		p->start = join.start;
	else
		p->end = join.end;
	return 0;
}

/*
 * Puts the pending extent in, joined with its plain neighbours.  The three
 * steps go under one hold of the lock, with their nodes at hand first: a
 * write healing a neighbour between them would find it cut out, and the
 * insert would bring its healed blocks back.
 */
static int swapfail_edit_place(struct swapfail_edit *ed,
			       struct swapfail_tree *t,
			       struct swapfail_mem *mem)
{
	u32 height = swapfail_tree_height(t);
	struct swapfail_change c = { .kind = SWAPFAIL_INSERT };
	int r;

	ed->need = 3 * SWAPFAIL_STEP_NODES(height + 1);
	if (mem->nr_free < ed->need)
		return -EAGAIN;
	r = swapfail_edit_join(ed, t, mem, true);
	if (!r)
		r = swapfail_edit_join(ed, t, mem, false);
	if (r)
		return r;
	c.ext = ed->pending;
	ed->next = c.ext.start;
	return swapfail_edit_change(ed, t, mem, &c);
}

/* One phase of the current range; returns 0 or -errno. */
static int swapfail_edit_range(struct swapfail_edit *ed,
			       struct swapfail_tree *t,
			       struct swapfail_mem *mem)
{
	const struct swapfail_range *r = &ed->msg->ranges[ed->range];
	int done;

	switch (ed->phase) {
	case SWAPFAIL_EDIT_CHECK:
		return swapfail_edit_check(ed, t, r);
	case SWAPFAIL_EDIT_DROP_SPENT:
		done = swapfail_edit_sweep(ed, t, mem, SWAPFAIL_DROP_SPENT);
		if (done > 0)
			ed->phase = SWAPFAIL_EDIT_PLACE;
		return min(done, 0);
	case SWAPFAIL_EDIT_PLACE:
		done = swapfail_edit_place(ed, t, mem);
		break;
	default:
		done = swapfail_edit_sweep(ed, t, mem, SWAPFAIL_CUT);
		if (done <= 0)
			return done;
		done = 0;
		break;
	}
	if (!done) {
		ed->range++;
		ed->phase = SWAPFAIL_EDIT_CHECK;
	}
	return done;
}

/*
 * Each range to remove must hold a bad block of the table as it was: all
 * are checked before any is cut, then they are merged.
 */
static int swapfail_edit_check_removes(struct swapfail_edit *ed,
				       const struct swapfail_tree *t)
{
	struct swapfail_msg *msg = ed->msg;

	if (!swapfail_tree_holds(t, &msg->ranges[ed->range], false)) {
		ed->error = "no bad block in range";
		return -EINVAL;
	}
	if (++ed->range < msg->nr_ranges)
		return 1;
	msg->nr_ranges = swapfail_ranges_union(msg->ranges, msg->nr_ranges);
	ed->range = 0;
	ed->checked = true;
	return 1;
}

/*
 * Takes one step of the edit on @t, the staged tree: 1 while there is
 * more to do, 0 when done, -EAGAIN when @mem needs ed->need free nodes
 * first, or -errno (and ed->error) when the edit is refused:
 * the caller then drops the staged tree.
 */
int swapfail_edit_step(struct swapfail_edit *ed, struct swapfail_tree *t,
		       struct swapfail_mem *mem)
{
	const struct swapfail_msg *msg = ed->msg;
	int r;

	if (msg->verb == SWAPFAIL_MSG_CLEAR ||
	    msg->verb == SWAPFAIL_MSG_DUST_CLEAR) {
		swapfail_tree_clear(t, mem);
		return 0;
	}
	if (!swapfail_msg_adds(msg) && !swapfail_msg_removes(msg))
		return 0;
	if (swapfail_msg_removes(msg) && !ed->checked)
		return swapfail_edit_check_removes(ed, t);
	if (ed->range == msg->nr_ranges)
		return 0;
	r = swapfail_edit_range(ed, t, mem);
	if (r)
		return r;
	return ed->range < msg->nr_ranges;
}

/*
 * A random number from @seed and a sequence number: splitmix64, so that a
 * run replays exactly from its seed, whatever the CPUs, in the order of n.
 */
u64 swapfail_random(u64 seed, u64 n)
{
	u64 z = seed + (n + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Whether I/O number @nr_io of direction @dir fails a probability. */
bool swapfail_prob_fails(u64 seed, enum swapfail_dir dir, u64 nr_io, u32 ppb)
{
	u32 rem;

	if (!ppb)
		return false;
	div_u64_rem(swapfail_random(seed ^ dir, nr_io), SWAPFAIL_PPB, &rem);
	return rem < ppb;
}

/* Policy */

void swapfail_policy_init(struct swapfail_policy *p)
{
	unsigned int d;

	memset(p, 0, sizeof(*p));
	p->error = SWAPFAIL_ERR_EIO;
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++)
		swapfail_act_init(&p->trigger[d]);
}

/*
 * Applies a table line's features when its table goes live.  The line's
 * quiet, error and every_nth replace those in force (a feature left out
 * is back at its default); start_enabled enables, and a line without it
 * leaves failures as they were.  Returns a bit per direction, (1 <<
 * SWAPFAIL_DIR_*), whose every_nth counter the caller restarts: a value
 * that changed, or failures newly enabled.
 */
u32 swapfail_policy_merge(struct swapfail_policy *p,
			  const struct swapfail_ctr_args *args)
{
	const struct swapfail_policy *line = &args->policy;
	u32 restart = 0;
	unsigned int d;

	if ((args->features & SWAPFAIL_FEAT_START_ENABLED) && !p->enabled) {
		p->enabled = true;
		restart = BIT(SWAPFAIL_NR_DIRS) - 1;
	}
	p->quiet = line->quiet;
	p->error = line->error;
	if (p->seed != line->seed)
		restart = (BIT(SWAPFAIL_NR_DIRS) - 1) | SWAPFAIL_RESTART_FAULTS;
	p->seed = line->seed;
	for (d = 0; d < SWAPFAIL_NR_DIRS; d++) {
		if (p->every_nth[d] != line->every_nth[d] ||
		    p->probability[d] != line->probability[d])
			restart |= BIT(d);
		p->every_nth[d] = line->every_nth[d];
		p->probability[d] = line->probability[d];
	}
	return restart;
}

/*
 * Applies a policy message.  Returns the I/O counters of every_nth and
 * probability to restart, as swapfail_policy_merge() does: "every Nth
 * I/O" counts from the enable or from the message that set N, and a seed
 * replays from the message that set it, faults numbered afresh.  A trigger's action is one for
 * both triggers of its direction: the last message sets it.
 */
u32 swapfail_policy_update(struct swapfail_policy *p,
			   const struct swapfail_msg *msg)
{
	switch (msg->verb) {
	case SWAPFAIL_MSG_ENABLE:
		p->enabled = true;
		return BIT(SWAPFAIL_NR_DIRS) - 1;
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
		p->trigger[msg->dir] = msg->attr.act;
		return BIT(msg->dir);
	case SWAPFAIL_MSG_PROBABILITY:
		p->probability[msg->dir] = msg->value;
		p->trigger[msg->dir] = msg->attr.act;
		return BIT(msg->dir);
	case SWAPFAIL_MSG_SEED:
		p->seed = msg->seed;
		return (BIT(SWAPFAIL_NR_DIRS) - 1) | SWAPFAIL_RESTART_FAULTS;
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
