// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-swapfail core, parsing: table lines and messages, their ranges, the
 * names and numbers in them, and what a line's features and a policy
 * message do to the policy.  The tool builds this file alone, to check a
 * message before it sends it.
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

const struct swapfail_unit swapfail_units[SWAPFAIL_NR_UNITS] = {
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

