// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the core (swapfail-*.c), built in userspace with AddressSanitizer
 * and UBSan.  One function per behaviour; the table is driven through
 * table-util.c exactly as the target drives it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include <linux/errno.h>
#include <linux/kernel.h>

#include "table-util.h"

#define NR_BLOCKS	1000000ULL

static struct tt tbl;

/* Frees the last test's table: every node and rule must come back. */
static void fresh(u64 nr_blocks)
{
	tt_free(&tbl);
	EXPECT_EQ(tbl.nodes, 0);
	EXPECT_EQ(tbl.rules, 0);
	tt_init(&tbl, nr_blocks);
}

static bool valid(void)
{
	char why[128];

	if (tt_valid(&tbl.table.live, why, sizeof(why)))
		return true;
	printf("#   table invalid: %s\n", why);
	return false;
}

static bool compact(void)
{
	char why[128];

	if (tt_compact(&tbl.table.live, why, sizeof(why)))
		return true;
	printf("#   table not compact: %s\n", why);
	return false;
}

/* The table's extents as "list" prints them. */
static const char *listing(void)
{
	static char buf[1 << 16];

	tt_msg_out(&tbl, "list", buf, sizeof(buf));
	return buf;
}

/* Whether a verdict fails its I/O with an error. */
static bool failed(const struct swapfail_verdict *v)
{
	return v->outcome == SWAPFAIL_FAILS;
}

static int io(u64 first, u64 last, enum swapfail_dir dir,
	      struct swapfail_verdict *v)
{
	EXPECT_EQ(tt_io(&tbl, first, last, dir, v), 0);
	return failed(v);
}

static bool fails(u64 first, u64 last, enum swapfail_dir dir)
{
	struct swapfail_verdict v;

	return io(first, last, dir, &v);
}

/* "add B1 B2 ..." of @n blocks from @first, @stride apart, in @line. */
static void scattered(char *line, u64 first, u32 n, u32 stride)
{
	int len = sprintf(line, "add");
	u32 i;

	for (i = 0; i < n; i++)
		len += sprintf(line + len, " %llu", first + (u64)i * stride);
}

#define R	SWAPFAIL_DIR_READ
#define W	SWAPFAIL_DIR_WRITE

/* Numbers and ranges */

static void test_parse_numbers_decimal(void)
{
	struct swapfail_range r;

	EXPECT_EQ(swapfail_parse_range("0", ~0ULL, &r), 0);
	EXPECT_EQ(r.first, 0);
	EXPECT_EQ(swapfail_parse_range("007", ~0ULL, &r), 0);
	EXPECT_EQ(r.first, 7);
	EXPECT_EQ(swapfail_parse_range("18446744073709551614", ~0ULL, &r), 0);
	EXPECT_EQ(r.first, 18446744073709551614ULL);
}

static void test_parse_numbers_reject_malformed(void)
{
	static const char * const bad[] = {
		"", "-1", "+1", " 1", "1 ", "0x10", "1a", "1.0", "1\n",
		"18446744073709551616", "99999999999999999999999",
		"1-+2", "1-2\n", "123456789012345678901234-5",
	};
	struct swapfail_range r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(swapfail_parse_range(bad[i], ~0ULL, &r), -EINVAL);
}

static void test_parse_u32_limit(void)
{
	fresh(100);
	EXPECT_EQ(tt_msg(&tbl, "every_nth_read 4294967295"), 0);
	EXPECT_EQ(tbl.policy.every_nth[R], 4294967295U);
	EXPECT_EQ(tt_msg(&tbl, "every_nth_read 4294967296"), -EINVAL);
	EXPECT_EQ(tt_msg(&tbl, "add 1 count=4294967296"), -EINVAL);
}

static void test_parse_range_forms(void)
{
	struct swapfail_range r;

	EXPECT_EQ(swapfail_parse_range("5", 100, &r), 0);
	EXPECT(r.first == 5 && r.last == 5);
	EXPECT_EQ(swapfail_parse_range("5-9", 100, &r), 0);
	EXPECT(r.first == 5 && r.last == 9);
	EXPECT_EQ(swapfail_parse_range("5+10", 100, &r), 0);
	EXPECT(r.first == 5 && r.last == 14);
	EXPECT_EQ(swapfail_parse_range("0+100", 100, &r), 0);
	EXPECT(r.first == 0 && r.last == 99);
}

static void test_parse_range_rejects(void)
{
	static const char * const bad[] = {
		"", "-", "9-5", "5+0", "5-", "-5", "+5", "1--2", "1-2-3",
		"1+2+3", "a", "1-a", "1 -2", "5:9",
	};
	struct swapfail_range r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(swapfail_parse_range(bad[i], 100, &r), -EINVAL);
	EXPECT_EQ(swapfail_parse_range("100", 100, &r), -ERANGE);
	EXPECT_EQ(swapfail_parse_range("99-100", 100, &r), -ERANGE);
	EXPECT_EQ(swapfail_parse_range("90+11", 100, &r), -ERANGE);
	EXPECT_EQ(swapfail_parse_range("18446744073709551615+2", 100, &r),
		  -ERANGE);
}

/* Table line */

/* Parses a table line; @a points into a buffer kept until the next call. */
static int ctr(const char *line, struct swapfail_ctr_args *a,
	       char **err, u64 sectors)
{
	static char copy[512];
	char *argv[32], *tok, *save = NULL;
	unsigned int argc = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	*err = NULL;
	return swapfail_parse_ctr(argc, argv, sectors, a, err);
}

static void test_ctr_dust_line(void)
{
	struct swapfail_ctr_args a;
	char *err;

	EXPECT_EQ(ctr("/dev/vda 0 512", &a, &err, 2048), 0);
	EXPECT_STR(a.dev_path, "/dev/vda");
	EXPECT_EQ(a.offset, 0);
	EXPECT_EQ(a.block_size, 512);
	EXPECT_EQ(a.block_shift, 0);
	EXPECT_EQ(a.features, 0);
	EXPECT_EQ(ctr("8:0 2048 4096", &a, &err, 2048), 0);
	EXPECT_EQ(a.offset, 2048);
	EXPECT_EQ(a.block_shift, 3);
}

static void test_ctr_block_size(void)
{
	struct swapfail_ctr_args a;
	char *err;

	EXPECT_EQ(ctr("d 0 1048576", &a, &err, 1 << 21), 0);
	EXPECT_EQ(a.block_shift, 11);
	EXPECT_EQ(ctr("d 0 1073741824", &a, &err, 1 << 21), 0);
	EXPECT_EQ(a.block_shift, 21);
	EXPECT_EQ(ctr("d 0 0", &a, &err, 2048), -EINVAL);
	EXPECT_STR(err, "Invalid block size parameter");
	EXPECT_EQ(ctr("d 0 256", &a, &err, 2048), -EINVAL);
	EXPECT_STR(err, "Block size must be at least 512");
	EXPECT_EQ(ctr("d 0 1536", &a, &err, 2048), -EINVAL);
	EXPECT_STR(err, "Block size must be a power of 2");
	EXPECT_EQ(ctr("d 0 2147483648", &a, &err, 1ULL << 40), -EINVAL);
	EXPECT_STR(err, "Block size is too large");
	EXPECT_EQ(ctr("d 0 4096", &a, &err, 7), -EINVAL);
	EXPECT_STR(err, "Block size is too large");
	EXPECT_EQ(ctr("d 0 4k", &a, &err, 2048), -EINVAL);
}

static void test_ctr_rejects_offset_and_count(void)
{
	struct swapfail_ctr_args a;
	char *err;

	EXPECT_EQ(ctr("d -1 512", &a, &err, 2048), -EINVAL);
	EXPECT_STR(err, "Invalid device offset sector");
	EXPECT_EQ(ctr("d 18446744073709551615 512", &a, &err, 2048), -EINVAL);
	EXPECT_STR(err, "Invalid device offset sector");
	EXPECT_EQ(ctr("d 0", &a, &err, 2048), -EINVAL);
	EXPECT_STR(err, "Invalid argument count");
}

static void test_ctr_features(void)
{
	struct swapfail_ctr_args a;
	char *err;

	EXPECT_EQ(ctr("d 0 512 8 start_enabled quiet every_nth_read 3 "
		      "every_nth_write 7 error ENODATA", &a, &err, 2048), 0);
	EXPECT(a.policy.enabled && a.policy.quiet);
	EXPECT_EQ(a.policy.every_nth[R], 3);
	EXPECT_EQ(a.policy.every_nth[W], 7);
	EXPECT_EQ(a.policy.error, SWAPFAIL_ERR_ENODATA);
	EXPECT_EQ(a.features, SWAPFAIL_FEAT_START_ENABLED |
		  SWAPFAIL_FEAT_QUIET | SWAPFAIL_FEAT_NTH_READ |
		  SWAPFAIL_FEAT_NTH_WRITE | SWAPFAIL_FEAT_ERROR);
	EXPECT_EQ(ctr("d 0 512 0", &a, &err, 2048), 0);
	EXPECT_EQ(a.features, 0);
}

static void test_ctr_feature_errors(void)
{
	static const struct {
		const char *line;
		char *err;
	} cases[] = {
		{ "d 0 512 2 quiet", "Invalid number of feature arguments" },
		{ "d 0 512 1 quiet start_enabled",
		  "Invalid number of feature arguments" },
		{ "d 0 512 x quiet", "Invalid number of feature arguments" },
		{ "d 0 512 4294967297 quiet",
		  "Invalid number of feature arguments" },
		{ "d 0 512 1 loud", "Unrecognised feature requested" },
		{ "d 0 512 2 quiet quiet", "Feature given twice" },
		{ "d 0 512 1 every_nth_read", "Invalid every_nth_read value" },
		{ "d 0 512 2 every_nth_read -3", "Invalid every_nth_read value" },
		{ "d 0 512 2 every_nth_write 4294967296",
		  "Invalid every_nth_write value" },
		{ "d 0 512 2 error EPERM", "Invalid error name" },
		{ "d 0 512 1 error", "Invalid error name" },
	};
	struct swapfail_ctr_args a;
	char *err;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		EXPECT_EQ(ctr(cases[i].line, &a, &err, 2048), -EINVAL);
		EXPECT(err && !strcmp(err, cases[i].err));
	}
}

/* Messages */

static void test_msg_verbs_any_case(void)
{
	fresh(100);
	EXPECT_EQ(tt_msg(&tbl, "AddBadBlock 5"), 0);
	EXPECT_EQ(tt_msg(&tbl, "COUNTBADBLOCKS"), 1);
	EXPECT_STR(tbl.answer, "countbadblocks: 1 badblock(s) found");
	EXPECT_EQ(tt_msg(&tbl, "ENABLE"), 0);
	EXPECT(tbl.policy.enabled);
}

static void test_msg_rejects_bad_verb_and_arity(void)
{
	static const char * const bad[] = {
		"", "frobnicate", "enable now", "disable 1", "countbadblocks 1",
		"addbadblock", "addbadblock 1 2 3", "removebadblock",
		"queryblock", "queryblock 1 2", "add", "remove", "query",
		"clear all", "quiet on off", "every_nth_read", "error",
		"stats now", "reset_stats 1", "listbadblocks 1",
	};
	unsigned int i;

	fresh(100);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(tt_msg(&tbl, bad[i]), -EINVAL);
		EXPECT(tbl.error != NULL);
	}
	EXPECT_EQ(tbl.table.live.extents, 0);
}

static void test_msg_add_attributes_any_order(void)
{
	fresh(100);
	EXPECT_EQ(tt_msg(&tbl, "add error=ENOLINK 10-19 count=3 mode=rw 30"),
		  0);
	EXPECT_STR(listing(), "10-19 mode=rw count=3 error=ENOLINK\n"
		   "30-30 mode=rw count=3 error=ENOLINK\n");
	EXPECT_EQ(tt_msg(&tbl, "add 50 mode=READ wr_fail=4 error=eilseq"), 0);
	EXPECT_STR(listing(), "10-19 mode=rw count=3 error=ENOLINK\n"
		   "30-30 mode=rw count=3 error=ENOLINK\n"
		   "50-50 mode=read wr_fail=4 error=EILSEQ\n");
}

static void test_msg_add_rejects_bad_attributes(void)
{
	static const char * const bad[] = {
		"add 1 mode=rw mode=read", "add 1 mode=never", "add 1 mode=",
		"add 1 count=0", "add 1 count=4294967296", "add 1 count=-1",
		"add 1 error=EPERM", "add 1 error=default", "add 1 wr_fail=256",
		"add 1 mode=rw wr_fail=1", "add 1 mode=write wr_fail=2",
		"add 1 colour=red", "add 1 =5", "add mode=rw",
		"add 1 averyveryverylongattribute=1", "add 1 count=3 count=3",
	};
	unsigned int i;

	fresh(100);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(tt_msg(&tbl, bad[i]), -EINVAL);
	EXPECT_EQ(tbl.table.live.extents, 0);
}

static void test_msg_dust_add_limits(void)
{
	fresh(100);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 99 255"), 0);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 98 256"), -EINVAL);
	EXPECT_STR(tbl.error, "selected write fail count out of range");
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 100"), -EINVAL);
	EXPECT_STR(tbl.error, "selected block value out of range");
	EXPECT_EQ(tt_msg(&tbl, "queryblock 100"), -EINVAL);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 99"), -EINVAL);
	EXPECT_STR(listing(), "99-99 mode=read wr_fail=255\n");
}

static void test_msg_policy_verbs(void)
{
	fresh(100);
	EXPECT_EQ(tt_msg(&tbl, "quiet"), 0);
	EXPECT(tbl.policy.quiet);
	EXPECT_EQ(tt_msg(&tbl, "quiet"), 0);
	EXPECT(!tbl.policy.quiet);
	EXPECT_EQ(tt_msg(&tbl, "quiet on"), 0);
	EXPECT_EQ(tt_msg(&tbl, "quiet on"), 0);
	EXPECT(tbl.policy.quiet);
	EXPECT_EQ(tt_msg(&tbl, "quiet maybe"), -EINVAL);
	EXPECT_EQ(tt_msg(&tbl, "every_nth_write 5"), 0);
	EXPECT_EQ(tbl.policy.every_nth[W], 5);
	EXPECT_EQ(tt_msg(&tbl, "every_nth_read x"), -EINVAL);
	EXPECT_EQ(tt_msg(&tbl, "error ETIMEDOUT"), 0);
	EXPECT_EQ(tbl.policy.error, SWAPFAIL_ERR_ETIMEDOUT);
	EXPECT_EQ(tt_msg(&tbl, "error EAGAIN"), -EINVAL);
	EXPECT_EQ(tbl.policy.error, SWAPFAIL_ERR_ETIMEDOUT);
}

static void test_error_names_round_trip(void)
{
	unsigned int e;
	u8 parsed;

	for (e = SWAPFAIL_ERR_EIO; e < SWAPFAIL_NR_ERRORS; e++) {
		EXPECT_EQ(swapfail_error_parse(swapfail_error_name(e), &parsed),
			  0);
		EXPECT_EQ(parsed, e);
	}
	EXPECT_STR(swapfail_error_name(SWAPFAIL_NR_ERRORS), "?");
}

/* Ranges */

static int cmp_range(const void *a, const void *b)
{
	const struct swapfail_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static void test_ranges_sort_matches_qsort(void)
{
	static struct swapfail_range a[5000], b[5000];
	unsigned int i, n, round;

	srand(1);
	for (round = 0; round < 20; round++) {
		n = rand() % 5000;
		for (i = 0; i < n; i++) {
			a[i].first = rand() % 3000;
			a[i].last = a[i].first;
		}
		memcpy(b, a, n * sizeof(*a));
		swapfail_ranges_sort(a, n);
		qsort(b, n, sizeof(*b), cmp_range);
		for (i = 0; i < n; i++)
			EXPECT_EQ(a[i].first, b[i].first);
	}
}

static void test_ranges_union_merges_touching(void)
{
	struct swapfail_range r[] = {
		{ 1, 3 }, { 2, 5 }, { 6, 6 }, { 8, 9 }, { 8, 8 }, { 20, 30 },
	};
	u32 n = swapfail_ranges_union(r, ARRAY_SIZE(r));

	EXPECT_EQ(n, 3);
	EXPECT(r[0].first == 1 && r[0].last == 6);
	EXPECT(r[1].first == 8 && r[1].last == 9);
	EXPECT(r[2].first == 20 && r[2].last == 30);
	EXPECT(swapfail_ranges_disjoint(r, n));
	EXPECT(!swapfail_ranges_disjoint((struct swapfail_range[]){
		{ 1, 3 }, { 3, 4 } }, 2));
}

/* Table edits */

static void test_add_million_blocks_is_one_extent(void)
{
	fresh(NR_BLOCKS * 2);
	EXPECT_EQ(tt_msg(&tbl, "add 1000+1000000 mode=rw"), 0);
	EXPECT_EQ(tbl.table.live.extents, 1);
	EXPECT_EQ(tbl.table.live.blocks, 1000000);
	EXPECT_EQ(tt_height(&tbl.table.live), 1);
	EXPECT(valid() && compact());
}

static void test_add_joins_adjacent_plain_blocks(void)
{
	fresh(100);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 61"), 0);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 63"), 0);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 62"), 0);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 60"), 0);
	EXPECT_EQ(tbl.table.live.extents, 1);
	EXPECT_STR(listing(), "60-63 mode=read\n");
	EXPECT_EQ(tt_msg(&tbl, "listbadblocks"), 1);
	EXPECT_STR(tbl.answer, "60\n61\n62\n63\n");
	EXPECT(valid());
}

/* Joins reach across leaves: blocks added in any order make one extent. */
static void test_add_joins_across_leaves(void)
{
	static char line[4096];
	u32 i;

	fresh(10000);
	scattered(line, 0, 200, 2);
	EXPECT_EQ(tt_msg(&tbl, line), 0);
	EXPECT(tt_height(&tbl.table.live) > 1);
	for (i = 0; i < 199; i++) {
		snprintf(line, sizeof(line), "addbadblock %u", (i * 37) % 199 * 2 + 1);
		EXPECT_EQ(tt_msg(&tbl, line), 0);
		EXPECT(compact());
	}
	EXPECT_EQ(tbl.table.live.extents, 1);
	EXPECT_STR(listing(), "0-398 mode=read\n");
	EXPECT(valid());
}

static void test_add_keeps_unlike_extents_apart(void)
{
	fresh(100);
	EXPECT_EQ(tt_msg(&tbl, "add 10 count=2"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 11 count=2"), 0);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 12 1"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 13 mode=rw"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 14 mode=rw error=ENOSPC"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 15"), 0);
	EXPECT_EQ(tbl.table.live.extents, 6);
	EXPECT(valid());
}

static void test_add_rejects_overlap_and_changes_nothing(void)
{
	char before[4096];

	fresh(100);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19 mode=rw"), 0);
	strcpy(before, listing());
	EXPECT_EQ(tt_msg(&tbl, "add 30 19-25"), -EINVAL);
	EXPECT_STR(tbl.error, "range overlaps an extent already in the table");
	EXPECT_EQ(tt_msg(&tbl, "add 40-45 44-50"), -EINVAL);
	EXPECT_STR(tbl.error, "ranges in one message overlap");
	EXPECT_EQ(tt_msg(&tbl, "add 60 60"), -EINVAL);
	EXPECT_EQ(tt_msg(&tbl, "add 50 60 99+2"), -EINVAL);
	EXPECT_STR(tbl.error, "range past the end of the device");
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 15"), -EINVAL);
	EXPECT_STR(listing(), before);
	EXPECT(valid());
}

/* A batch refused at its last range leaves the table as it was. */
static void test_refused_batch_changes_nothing(void)
{
	static char line[8192], before[1 << 16];
	struct swapfail_node *root;

	fresh(100000);
	scattered(line, 0, 500, 3);
	EXPECT_EQ(tt_msg(&tbl, line), 0);
	strcpy(before, listing());
	root = tbl.table.live.root;
	scattered(line, 1, 499, 3);
	strcat(line, " 1497");
	EXPECT_EQ(tt_msg(&tbl, line), -EINVAL);
	EXPECT(tbl.table.live.root == root);
	EXPECT_STR(listing(), before);
	scattered(line, 1, 300, 3);
	strcat(line, " count=2");
	tbl.fail_alloc_after = 20;
	EXPECT_EQ(tt_msg(&tbl, line), -ENOMEM);
	tbl.fail_alloc_after = -1;
	EXPECT(tbl.table.live.root == root);
	EXPECT_STR(listing(), before);
	EXPECT(valid());
}

static void test_add_unsorted_batch(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 900 5 500-509 7 100+3"), 0);
	EXPECT_STR(listing(), "5-5 mode=read\n7-7 mode=read\n"
		   "100-102 mode=read\n500-509 mode=read\n900-900 mode=read\n");
	EXPECT_EQ(tbl.table.live.blocks, 16);
	EXPECT(valid());
}

static void test_remove_trims_splits_and_drops(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19 30-39 50-59 mode=write"), 0);
	EXPECT_EQ(tt_msg(&tbl, "remove 10 19 35 50-59"), 0);
	EXPECT_STR(listing(), "11-18 mode=write\n30-34 mode=write\n"
		   "36-39 mode=write\n");
	EXPECT_EQ(tt_msg(&tbl, "remove 0-33 38+100"), 0);
	EXPECT_STR(listing(), "34-34 mode=write\n36-37 mode=write\n");
	EXPECT_EQ(tbl.table.live.blocks, 3);
	EXPECT(valid());
}

/* One remove over a huge table's whole range, leaf by leaf. */
static void test_remove_spanning_many_leaves(void)
{
	static char line[1 << 17];

	fresh(NR_BLOCKS);
	scattered(line, 10, 10000, 3);
	EXPECT_EQ(tt_msg(&tbl, line), 0);
	EXPECT_EQ(tt_msg(&tbl, "remove 11-29000"), 0);
	EXPECT_EQ(tbl.table.live.extents, 337);
	EXPECT_EQ(tt_msg(&tbl, "query 0-100000"), 1);
	EXPECT_STR(tbl.answer, "0-100000 bad=337\n");
	EXPECT(valid());
	EXPECT_EQ(tt_msg(&tbl, "remove 0-999999"), 0);
	EXPECT_EQ(tbl.table.live.extents, 0);
	EXPECT(tbl.table.live.root == NULL);
}

static void test_remove_needs_a_bad_block_in_each_range(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19"), 0);
	EXPECT_EQ(tt_msg(&tbl, "remove 15 25"), -EINVAL);
	EXPECT_STR(tbl.error, "no bad block in range");
	EXPECT_EQ(tt_msg(&tbl, "removebadblock 20"), -EINVAL);
	EXPECT_EQ(tbl.table.live.blocks, 10);
	EXPECT_EQ(tt_msg(&tbl, "remove 12-14 13-16"), 0);
	EXPECT_STR(listing(), "10-11 mode=read\n17-19 mode=read\n");
}

/*
 * A reload can shorten the target and keep the table: extents past the new
 * end can no longer be hit, but can still be removed.
 */
static void test_remove_reaches_past_a_shortened_end(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10 900-909"), 0);
	tbl.nr_blocks = 500;
	EXPECT_EQ(tt_msg(&tbl, "add 600"), -EINVAL);
	EXPECT_EQ(tt_msg(&tbl, "remove 905-2000"), 0);
	EXPECT_STR(listing(), "10-10 mode=read\n900-904 mode=read\n");
	EXPECT_EQ(tt_msg(&tbl, "remove 1000"), -EINVAL);
	EXPECT_STR(tbl.error, "no bad block in range");
	EXPECT_EQ(tt_msg(&tbl, "removebadblock 900"), -EINVAL);
	EXPECT_STR(tbl.error, "selected block value out of range");
}

static void test_clear_empties_table(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19 40 mode=rw"), 0);
	EXPECT_EQ(tt_msg(&tbl, "clear"), 0);
	EXPECT_EQ(tbl.table.live.extents, 0);
	EXPECT_EQ(tbl.table.live.blocks, 0);
	EXPECT_STR(listing(), "");
}

/*
 * Finding 1: a message copies only the path it changes.  The nodes one
 * one-block message takes do not grow with the table.
 */
static void test_message_cost_follows_the_change(void)
{
	static char line[1 << 17];
	long before;
	u32 i, size;

	for (size = 1000; size <= 100000; size *= 10) {
		fresh(NR_BLOCKS * 4);
		for (i = 0; i < size; i += 10000) {
			scattered(line, 2ULL * i, min(size - i, 10000U), 2);
			EXPECT_EQ(tt_msg(&tbl, line), 0);
		}
		EXPECT_EQ(tbl.table.live.extents, size);
		before = tbl.nodes;
		EXPECT_EQ(tt_msg(&tbl, "addbadblock 3999999"), 0);
		/* a copy of each node on the path, and a split or two */
		EXPECT(tbl.taken <= tt_height(&tbl.table.live) + 2);
		EXPECT(tbl.nodes - before <= 2);
		EXPECT(valid());
	}
}

/* Finding 5: the cap holds on every path, and a batch past it is refused. */
static void test_extent_cap_holds_everywhere(void)
{
	struct swapfail_verdict v;

	fresh(1000);
	tbl.table.max_extents = 8;
	EXPECT_EQ(tt_msg(&tbl, "add 0-99 mode=write"), 0);
	EXPECT_EQ(tt_msg(&tbl, "remove 10 20 30 40 50 60 70 80 90 95"),
		  -ENOSPC);
	EXPECT_STR(tbl.error, "table full");
	EXPECT_EQ(tbl.table.live.extents, 1);
	EXPECT_EQ(tt_msg(&tbl, "remove 10 20 30 40 50 60 70"), 0);
	EXPECT_EQ(tbl.table.live.extents, 8);
	EXPECT_EQ(tt_msg(&tbl, "add 200"), -ENOSPC);
	EXPECT_EQ(tt_msg(&tbl, "add 200 300"), -ENOSPC);
	EXPECT_EQ(tbl.table.live.extents, 8);
	EXPECT_EQ(tt_msg(&tbl, "add 10 mode=write"), 0);
	EXPECT_EQ(tbl.table.live.extents, 7);
	/* a heal that would split fails the write instead */
	EXPECT_EQ(tt_msg(&tbl, "add 300-309"), 0);
	EXPECT_EQ(tbl.table.live.extents, 8);
	EXPECT(io(305, 305, W, &v));
	EXPECT_EQ(tbl.table.live.extents, 8);
	EXPECT(!io(300, 300, W, &v));
	EXPECT_EQ(tbl.table.live.extents, 8);
	EXPECT(valid());
}
/* The I/O decision */

static void test_read_fails_on_overlap_only(void)
{
	struct swapfail_verdict v;

	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19"), 0);
	EXPECT(!fails(0, 9, R));
	EXPECT(!fails(20, 100, R));
	EXPECT(io(0, 10, R, &v));
	EXPECT_EQ(v.block, 10);
	EXPECT(io(15, 15, R, &v));
	EXPECT_EQ(v.block, 15);
	EXPECT(io(19, 30, R, &v));
	EXPECT_EQ(v.block, 19);
	EXPECT_EQ(v.error, SWAPFAIL_ERR_DEFAULT);
	EXPECT_EQ(tbl.table.live.blocks, 10);
}

/* An I/O over many extents in many leaves sees each of them. */
static void test_io_across_leaves(void)
{
	static char line[1 << 16];
	struct swapfail_verdict v;

	fresh(100000);
	scattered(line, 1000, 3000, 4);
	EXPECT_EQ(tt_msg(&tbl, line), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 13001 mode=rw error=ENOLINK"), 0);
	EXPECT(io(12997, 13001, R, &v));
	EXPECT_EQ(v.block, 13001);
	EXPECT(io(13001, 13001, W, &v));
	EXPECT_EQ(v.error, SWAPFAIL_ERR_ENOLINK);
	/* a write over 2,000 extents: the reserve heals it in rounds */
	EXPECT(!io(2000, 9999, W, &v));
	EXPECT_EQ(tbl.healed, 2000);
	EXPECT(tbl.deferrals > 0);
	EXPECT_EQ(tbl.table.live.extents, 1001);
	EXPECT(!fails(2000, 9999, R));
	EXPECT(fails(1000, 1999, R));
	EXPECT(fails(10000, 10000, R));
	EXPECT(valid());
}

static void test_write_heals_read_extent(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 60"), 0);
	EXPECT(fails(60, 60, R));
	EXPECT(!fails(60, 60, W));
	EXPECT_EQ(tbl.healed, 1);
	EXPECT(!fails(60, 60, R));
	EXPECT_EQ(tbl.table.live.extents, 0);
	EXPECT(valid());
}

static void test_write_heal_trims_and_splits(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19"), 0);
	EXPECT(!fails(8, 10, W));
	EXPECT_STR(listing(), "11-19 mode=read\n");
	EXPECT(!fails(19, 25, W));
	EXPECT_STR(listing(), "11-18 mode=read\n");
	EXPECT(!fails(15, 15, W));
	EXPECT_STR(listing(), "11-14 mode=read\n16-18 mode=read\n");
	EXPECT(fails(14, 16, R));
	EXPECT(!fails(15, 15, R));
	EXPECT_EQ(tbl.table.live.blocks, 7);
	EXPECT(valid());
}

/* Finding 3: a heal with too few nodes changes nothing; the caller defers. */
static void test_heal_without_nodes_leaves_table(void)
{
	struct swapfail_verdict v;
	struct swapfail_node *root;

	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19"), 0);
	root = tbl.table.live.root;
	tbl.reserve_fill = 0;
	while (tbl.table.mem.nr_free)
		free(tbl.table.mem.free[--tbl.table.mem.nr_free]), tbl.nodes--;
	EXPECT_EQ(tt_io(&tbl, 12, 13, W, &v), -ENOMEM);
	EXPECT(tbl.table.live.root == root);
	EXPECT_EQ(tbl.table.live.blocks, 10);
	tbl.reserve_fill = TT_RESERVE;
	tt_reserve_fill(&tbl);
	EXPECT(!fails(12, 13, W));
	EXPECT_STR(listing(), "10-11 mode=read\n14-19 mode=read\n");
	EXPECT(valid());
}

/* Heals of every other block split a big table's extents, leaf by leaf. */
static void test_heals_split_many_extents(void)
{
	static char line[8192];
	u32 i;

	fresh(100000);
	for (i = 0; i < 300; i++) {
		snprintf(line, sizeof(line), "add %u+3", 10 * i);
		EXPECT_EQ(tt_msg(&tbl, line), 0);
	}
	for (i = 0; i < 300; i++)
		EXPECT(!fails(10 * i + 1, 10 * i + 1, W));
	EXPECT_EQ(tbl.table.live.extents, 600);
	EXPECT(valid());
	for (i = 0; i < 300; i++) {
		EXPECT(fails(10 * i, 10 * i, R));
		EXPECT(!fails(10 * i + 1, 10 * i + 1, R));
		EXPECT(fails(10 * i + 2, 10 * i + 2, R));
		EXPECT(!fails(10 * i + 3, 10 * i + 9, R));
		EXPECT(fails(10 * i + 3, 10 * i + 10, R) == (i < 299));
	}
}

static void test_wr_fail_counts_down_then_heals(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 5 2"), 0);
	EXPECT(fails(5, 5, W));
	EXPECT(fails(5, 5, R));
	EXPECT(fails(5, 5, W));
	EXPECT_STR(listing(), "5-5 mode=read\n");
	EXPECT(!fails(5, 5, W));
	EXPECT(!fails(5, 5, R));
	EXPECT_EQ(tbl.table.live.extents, 0);
}

/*
 * Finding 7: wr_fail=K on a range is one count for the range: its first K
 * writes fail, wherever they land and however the range is split later.
 */
static void test_wr_fail_is_per_range(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19 wr_fail=2"), 0);
	EXPECT_EQ(tt_msg(&tbl, "remove 15"), 0);
	EXPECT(fails(11, 11, W));
	EXPECT_STR(listing(), "10-14 mode=read wr_fail=1\n"
		   "16-19 mode=read wr_fail=1\n");
	EXPECT(fails(18, 18, W));
	EXPECT(!fails(12, 12, W));
	EXPECT(!fails(17, 17, W));
	EXPECT_STR(listing(), "10-11 mode=read\n13-14 mode=read\n"
		   "16-16 mode=read\n18-19 mode=read\n");
	EXPECT(valid());
}

static void test_write_mode_fails_writes_only(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 5-6 mode=write"), 0);
	EXPECT(!fails(5, 6, R));
	EXPECT(fails(6, 9, W));
	EXPECT(fails(6, 9, W));
	EXPECT_EQ(tbl.table.live.blocks, 2);
}

static void test_rw_mode_fails_both_never_heals(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 5 mode=rw"), 0);
	EXPECT(fails(5, 5, R));
	EXPECT(fails(5, 5, W));
	EXPECT(fails(0, 999, W));
	EXPECT(fails(5, 5, R));
	EXPECT_EQ(tbl.table.live.blocks, 1);
}

static void test_count_expires_extent(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 5-9 mode=rw count=3"), 0);
	EXPECT(fails(5, 5, R));
	EXPECT(fails(9, 9, W));
	EXPECT_STR(listing(), "5-9 mode=rw count=1\n");
	EXPECT(fails(7, 7, R));
	EXPECT(!fails(5, 9, R));
	EXPECT_EQ(tbl.table.live.extents, 0);
	EXPECT_EQ(tbl.table.live.blocks, 0);
	EXPECT(valid());
}

/*
 * Finding 7: count=N fails N I/Os in all for the range added, however
 * writes and removes split it later; spent, every part goes.
 */
static void test_count_is_shared_by_split_parts(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19 count=3"), 0);
	EXPECT(!fails(15, 15, W));
	EXPECT_EQ(tt_msg(&tbl, "remove 12"), 0);
	EXPECT_STR(listing(), "10-11 mode=read count=3\n"
		   "13-14 mode=read count=3\n16-19 mode=read count=3\n");
	EXPECT(fails(10, 10, R));
	EXPECT(fails(19, 19, R));
	EXPECT_STR(listing(), "10-11 mode=read count=1\n"
		   "13-14 mode=read count=1\n16-19 mode=read count=1\n");
	EXPECT(fails(13, 13, R));
	EXPECT(!fails(10, 19, R));
	EXPECT_STR(listing(), "");
	EXPECT_EQ(tbl.table.live.extents, 0);
	EXPECT(valid());
}

/* Spent extents fail nothing and do not block adding those blocks again. */
static void test_add_over_spent_blocks(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19 mode=rw count=1"), 0);
	EXPECT(fails(10, 10, R));
	EXPECT_EQ(tt_msg(&tbl, "add 10-19 mode=write"), 0);
	EXPECT_STR(listing(), "10-19 mode=write\n");
	EXPECT(valid());
}

static void test_error_comes_from_first_failing_extent(void)
{
	struct swapfail_verdict v;

	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 5 mode=write error=ENOSPC"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 6 mode=rw error=EILSEQ"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 7 mode=rw"), 0);
	EXPECT(io(0, 10, R, &v));
	EXPECT_EQ(v.error, SWAPFAIL_ERR_EILSEQ);
	EXPECT_EQ(v.block, 6);
	EXPECT(io(0, 10, W, &v));
	EXPECT_EQ(v.error, SWAPFAIL_ERR_ENOSPC);
	EXPECT(io(7, 10, W, &v));
	EXPECT_EQ(v.error, SWAPFAIL_ERR_DEFAULT);
}

static void test_failed_write_neither_heals_nor_spends_others(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 5 mode=write"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 6 8"), 0);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 7 1"), 0);
	EXPECT(fails(5, 8, W));
	EXPECT_STR(listing(), "5-5 mode=write\n6-6 mode=read\n"
		   "7-7 mode=read\n8-8 mode=read\n");
	EXPECT(!fails(6, 8, W));
	EXPECT_STR(listing(), "5-5 mode=write\n");
}

static void test_every_nth(void)
{
	unsigned int i, failed = 0;

	EXPECT(!swapfail_nth_fails(1, 0));
	EXPECT(!swapfail_nth_fails(0, 0));
	for (i = 1; i <= 30; i++)
		failed += swapfail_nth_fails(i, 3);
	EXPECT_EQ(failed, 10);
	EXPECT(swapfail_nth_fails(1, 1));
	EXPECT(swapfail_nth_fails(8589934590ULL, 4294967295U));
}

static bool healed_block[3000];

static void heal_between_steps(struct tt *x)
{
	static u64 b;
	struct swapfail_verdict v;

	b = (b + 7) % 3000;
	if (!tt_io(x, b, b, W, &v) && !failed(&v))
		healed_block[b] = true;
}

/*
 * Finding 2: writes that heal while a message's edit is open change the
 * staged tree too, and the message neither retries nor loses them.
 */
static void test_heals_during_an_edit_are_kept(void)
{
	static char line[1 << 16];
	struct swapfail_verdict v;
	u64 b, healed = 0;

	fresh(100000);
	memset(healed_block, 0, sizeof(healed_block));
	EXPECT_EQ(tt_msg(&tbl, "add 0-2999"), 0);
	tbl.between_steps = heal_between_steps;
	scattered(line, 5000, 2000, 2);
	EXPECT_EQ(tt_msg(&tbl, line), 0);
	tbl.between_steps = NULL;
	for (b = 0; b < 3000; b++) {
		swapfail_tree_check(&tbl.table.live, b, b, R, false, &v);
		EXPECT(failed(&v) == !healed_block[b]);
		healed += healed_block[b];
	}
	EXPECT(healed > 100);
	EXPECT_EQ(tbl.healed, healed);
	EXPECT_EQ(tbl.table.live.blocks, 3000 - healed + 2000);
	EXPECT(valid());
}

static bool join_healed;

/*
 * A write of block 25 between two steps of the add of 30.  (The add used
 * to cut 0-29 out of the staged tree in one step, to join it, and insert
 * it back in another: a heal between them found nothing to heal there.
 * Now the join and the insert are one step.)
 */
static void heal_after_join(struct tt *x)
{
	struct swapfail_verdict v;

	if (join_healed)
		return;
	join_healed = true;
	EXPECT(!tt_io(x, 25, 25, W, &v) && !failed(&v));
}

/*
 * Found by the fuzzer: a write that heals during an add must stay healed.
 * Once the add has cut its plain neighbour out of the staged tree to join
 * it (ed->pending), the heal finds nothing there, and the add's insert
 * puts the neighbour back whole: block 25, healed by a write that
 * completed, is bad again when the add is published.
 */
static void test_heal_of_a_joined_neighbour_is_kept(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 0-29"), 0);
	join_healed = false;
	tbl.between_steps = heal_after_join;
	EXPECT_EQ(tt_msg(&tbl, "add 30"), 0);
	tbl.between_steps = NULL;
	EXPECT(join_healed);
	EXPECT(!fails(25, 25, R));
	EXPECT_STR(listing(), "0-24 mode=read\n26-30 mode=read\n");
	EXPECT(valid());
}

/*
 * Found by the fuzzer: count=N is N failures in all for the range added,
 * and wr_fail=K its first K writes, however the range was split; one I/O
 * over two of its pieces is one failure and one write.  The core takes
 * one per piece: the read below leaves count=1, and the write spends
 * both of wr_fail=2, so that the second write heals.
 */
static void test_one_io_spans_pieces_of_a_rule(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19 count=3"), 0);
	EXPECT_EQ(tt_msg(&tbl, "remove 15"), 0);
	EXPECT(fails(10, 19, R));
	EXPECT_STR(listing(), "10-14 mode=read count=2\n"
		   "16-19 mode=read count=2\n");
	EXPECT_EQ(tt_msg(&tbl, "clear"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 30-39 wr_fail=2"), 0);
	EXPECT_EQ(tt_msg(&tbl, "remove 35"), 0);
	EXPECT(fails(30, 39, W));
	EXPECT(fails(31, 31, W));
	EXPECT(!fails(32, 32, W));
	EXPECT_STR(listing(), "30-31 mode=read\n33-34 mode=read\n"
		   "36-39 mode=read\n");
}

/*
 * Found by the fuzzer: a spent rule's blocks fail nothing, and list,
 * query, count, queryblock and listbadblocks leave them out; until the
 * worker drops them (here held back, as a busy worker or a short reserve
 * holds it; the target's map drops at once only the pieces the I/O
 * touched), countbadblocks still counts them, from the tree's total.
 * listbadblocks' size check uses the same total.
 */
static void test_countbadblocks_skips_spent_blocks(void)
{
	fresh(1000);
	tbl.defer_spent = true;
	EXPECT_EQ(tt_msg(&tbl, "add 10-13 count=1"), 0);
	EXPECT(fails(10, 10, R));
	EXPECT(!fails(11, 11, R));
	EXPECT_EQ(tt_msg(&tbl, "listbadblocks"), 1);
	EXPECT_STR(tbl.answer, "No blocks in badblocklist");
	EXPECT_EQ(tt_msg(&tbl, "countbadblocks"), 1);
	EXPECT_STR(tbl.answer, "countbadblocks: 0 badblock(s) found");
	EXPECT_EQ(tt_collect(&tbl), 0);
	EXPECT_EQ(tbl.table.live.extents, 0);
	tbl.defer_spent = false;
}

/*
 * Found by the fuzzer: count takes 1 to 4294967295, but a rule keeps it in
 * an atomic_t, where above INT_MAX it reads negative: the extent then
 * fails nothing (atomic_dec_if_positive() finds no failure to take), a
 * write over it neither fails nor heals, and list prints a negative count
 * that add refuses.
 */
static void test_count_above_int_max(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 5 count=3000000000"), 0);
	EXPECT_STR(listing(), "5-5 mode=read count=3000000000\n");
	EXPECT(fails(5, 5, R));
	EXPECT_STR(listing(), "5-5 mode=read count=2999999999\n");
	EXPECT_EQ(tt_msg(&tbl, "add 6 count=4294967295 wr_fail=1"), 0);
	EXPECT(fails(6, 6, W));
	EXPECT(!fails(6, 6, W));
	EXPECT_STR(listing(), "5-5 mode=read count=2999999999\n");
}

/*
 * Found by the fuzzer: a change made for I/O runs a few steps at a time
 * (8 in the target) and, on -EAGAIN, again from its first block, "which
 * finishes it".  But every step counts, those that change nothing too:
 * when more than 8 leaves at the start have nothing to change, no round
 * reaches the rest.  The target's worker then goes round for ever (and
 * the writes waiting behind it wait for ever); table-util says -ELOOP.
 * Here, a sweep for spent extents past 200 plain ones; then a heal past
 * 200 spent ones not yet dropped.
 */
static void test_change_restarts_past_its_steps(void)
{
	static char line[4096];
	struct swapfail_verdict v;

	fresh(10000);
	scattered(line, 0, 200, 2);
	EXPECT_EQ(tt_msg(&tbl, line), 0);
	EXPECT(tt_height(&tbl.table.live) > 1);
	EXPECT_EQ(tt_msg(&tbl, "add 1000 1002 1004 count=1"), 0);
	tbl.defer_spent = true;
	EXPECT(io(1000, 1004, R, &v));
	EXPECT(v.sweep);
	EXPECT_EQ(tt_collect(&tbl), 0);
	EXPECT_EQ(tbl.table.live.extents, 200);

	EXPECT_EQ(tt_msg(&tbl, "clear"), 0);
	EXPECT_EQ(tt_collect(&tbl), 0);
	scattered(line, 0, 200, 2);
	strcat(line, " count=1");
	EXPECT_EQ(tt_msg(&tbl, line), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 1000"), 0);
	EXPECT(io(0, 398, R, &v));
	EXPECT_EQ(tt_io(&tbl, 0, 1000, W, &v), 0);
	EXPECT(!failed(&v));
	EXPECT_EQ(tt_msg(&tbl, "count"), 1);
	EXPECT_STR(tbl.answer, "extents=0 blocks=0");
	tbl.defer_spent = false;
	EXPECT_EQ(tt_collect(&tbl), 0);
}

/* Finding 6: listbadblocks refuses an answer dm-ioctl cannot return. */
static void test_dust_list_refuses_huge_answer(void)
{
	fresh(1ULL << 40);
	EXPECT_EQ(tt_msg(&tbl, "add 0+200000000"), 0);
	EXPECT_EQ(tt_msg(&tbl, "listbadblocks"), -EINVAL);
	EXPECT_STR(tbl.error, "too many blocks for one answer: use list");
	EXPECT_EQ(tt_msg(&tbl, "list"), 1);
	EXPECT_STR(tbl.answer, "0-199999999 mode=read\n");
	EXPECT_EQ(tt_msg(&tbl, "clear"), 0);
	/* 60M blocks of 8 and 9 digits: 540 MB, an answer that fits */
	EXPECT_EQ(tt_msg(&tbl, "add 10000000+60000000"), 0);
	EXPECT_EQ(tt_msg_out(&tbl, "listbadblocks", tbl.answer, 64), 1);
	EXPECT_STR(tbl.answer, "10000000\n10000001\n10000002\n10000003\n"
		   "10000004\n10000005\n10000006\n");
}

/* Actions: delay, hold, drop and corrupt, and what they allow */

static void test_actions_round_trip_through_list(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19 delay=100ms~20ms"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 20 mode=rw hold=5s count=3"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 21 mode=write drop match=swap"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 22 corrupt=xor at=512 bytes=8 xor=0f"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 23 mode=write corrupt=random seed=7"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 24 hold delay=1s"), -EINVAL);
	EXPECT_STR(listing(), "10-19 mode=read delay=100ms~20ms\n"
		   "20-20 mode=rw count=3 hold=5s\n"
		   "21-21 mode=write drop match=swap\n"
		   "22-22 mode=read corrupt=xor at=512 bytes=8 xor=0f\n"
		   "23-23 mode=write corrupt=random at=0 bytes=1 seed=7\n");
	EXPECT(valid());
}

static void test_actions_refuse_what_does_not_go(void)
{
	static const char * const bad[] = {
		"add 1 drop", "add 1 mode=rw drop", "add 1 delay=5",
		"add 1 delay=10ms~20ms", "add 1 delay=2days", "add 1 hold=x",
		"add 1 delay=1s error=EIO", "add 1 at=5", "add 1 xor=ff",
		"add 1 corrupt=xor seed=3", "add 1 corrupt=random xor=01",
		"add 1 corrupt=flip", "add 1 corrupt=xor bytes=0",
		"add 1 corrupt=xor bytes=65", "add 1 corrupt=xor xor=00",
		"add 1 wr_fail=1 delay=1ms", "add 1 match=nvme", "add 1 drop=1",
		"add 1 delay=100000s", "every_nth_read 3 mode=rw",
		"every_nth_write 3 count=1", "probability_read 1.5",
		"probability_read 0.0000000001", "probability_write -0.1",
		"probability_read 0.5 hold hold", "seed x", "release fail error=x",
	};
	unsigned int i;

	fresh(100);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(tt_msg(&tbl, bad[i]), -EINVAL);
		if (tap_failures) {
			printf("#   accepted: %s\n", bad[i]);
			break;
		}
	}
	EXPECT_EQ(tbl.table.live.extents, 0);
}

/*
 * The faults an I/O meets compose: a hold beats a delay and a longer delay
 * a shorter one; then an error beats a drop, a drop a corruption; among
 * equals the first (the lowest block, an extent before a trigger).
 */
static void test_faults_compose(void)
{
	struct swapfail_act trigger = { .kind = SWAPFAIL_ACT_CORRUPT, .at = 9 };
	struct swapfail_verdict v;

	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10 delay=10ms"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 11 mode=rw"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 12 mode=write drop"), 0);
	EXPECT(io(10, 11, R, &v));
	EXPECT_EQ(v.wait, SWAPFAIL_ACT_DELAY);
	EXPECT_EQ(v.wait_act->delay_ns, 10000000);
	EXPECT_EQ(v.block, 11);
	EXPECT(io(11, 12, W, &v));
	EXPECT_EQ(v.wait, SWAPFAIL_ACT_ERROR);
	EXPECT(!io(12, 12, W, &v));
	EXPECT_EQ(v.outcome, SWAPFAIL_DROPS);
	EXPECT(!fails(12, 12, R));

	EXPECT_EQ(tt_msg(&tbl, "add 20 hold"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 21 delay=5ms"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 22 delay=7ms~1ms"), 0);
	EXPECT(!io(20, 22, R, &v) && v.fault);
	EXPECT_EQ(v.wait, SWAPFAIL_ACT_HOLD);
	EXPECT(!io(21, 22, R, &v));
	EXPECT_EQ(v.wait_act->delay_ns, 7000000);
	EXPECT_EQ(v.wait_act->jitter_ns, 1000000);
	EXPECT_EQ(v.outcome, SWAPFAIL_PASSES);

	EXPECT_EQ(tt_msg(&tbl, "add 40 mode=write corrupt=xor"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 41 mode=write drop"), 0);
	EXPECT(!io(40, 41, W, &v));
	EXPECT_EQ(v.outcome, SWAPFAIL_DROPS);
	EXPECT_EQ(tt_msg(&tbl, "add 50 corrupt=xor at=1"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 51 corrupt=random at=2"), 0);
	EXPECT(!io(49, 51, R, &v));
	EXPECT_EQ(v.outcome, SWAPFAIL_CORRUPTS);
	EXPECT_EQ(v.corrupt->at, 1);
	EXPECT_EQ(v.block, 50);
	swapfail_verdict_add(&v, &trigger, 0, 49, SWAPFAIL_BY_NTH);
	EXPECT_EQ(v.corrupt->at, 1);
	EXPECT_EQ(v.outcome_by, SWAPFAIL_BY_EXTENT);
	swapfail_verdict_add(&v, NULL, SWAPFAIL_ERR_ENODATA, 49,
			     SWAPFAIL_BY_PROBABILITY);
	EXPECT(failed(&v));
	EXPECT_EQ(v.error, SWAPFAIL_ERR_ENODATA);
	EXPECT_EQ(v.block, 49);
	EXPECT_EQ(v.outcome_by, SWAPFAIL_BY_PROBABILITY);
}

/*
 * A write that reaches the disk heals, however late or changed; one that
 * fails or is dropped heals nothing.
 */
static void test_writes_that_reach_the_disk_heal(void)
{
	struct swapfail_verdict v;

	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 60 70 80 90"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 61 mode=write delay=1ms"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 71 mode=write corrupt=xor"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 81 mode=write drop"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 91 mode=write"), 0);
	EXPECT(!io(60, 61, W, &v) && swapfail_verdict_heals(&v));
	EXPECT(!io(70, 71, W, &v) && swapfail_verdict_heals(&v));
	EXPECT(!io(80, 81, W, &v) && !swapfail_verdict_heals(&v));
	EXPECT(io(90, 91, W, &v) && !swapfail_verdict_heals(&v));
	EXPECT_EQ(tbl.healed, 2);
	EXPECT(!fails(60, 60, R) && !fails(70, 70, R));
	EXPECT(fails(80, 80, R) && fails(90, 90, R));
}

/* Writes heal errors only: a write over a delayed mode=read extent passes. */
static void test_writes_heal_errors_only(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19 hold"), 0);
	EXPECT(!fails(12, 12, W));
	EXPECT_EQ(tbl.healed, 0);
	EXPECT_STR(listing(), "10-19 mode=read hold\n");
	EXPECT_EQ(tt_msg(&tbl, "add 30-39 mode=read"), 0);
	EXPECT(!fails(30, 39, W));
	EXPECT_EQ(tbl.healed, 10);
}

/* match=swap: only writes the kernel marks REQ_SWAP; reads all match. */
static void test_match_swap_filters(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10 mode=rw match=swap"), 0);
	EXPECT(!fails(10, 10, W));
	EXPECT(fails(10, 10, R));
	tbl.swap = true;
	EXPECT(fails(10, 10, W));
	tbl.swap = false;
}

/*
 * A mode=read match=swap extent is healed by swap-outs only: a write that
 * is not one passes it by, even when it heals a plain neighbour (the
 * fuzzer's find: it healed both).
 */
static void test_match_swap_heals_by_swap_outs_only(void)
{
	struct swapfail_verdict v;

	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-14"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 15-19 match=swap"), 0);
	EXPECT_EQ(tt_io(&tbl, 12, 17, W, &v), 0);
	EXPECT(!failed(&v));
	EXPECT_STR(listing(), "10-11 mode=read\n15-19 mode=read match=swap\n");
	tbl.swap = true;
	EXPECT_EQ(tt_io(&tbl, 16, 17, W, &v), 0);
	EXPECT_STR(listing(), "10-11 mode=read\n15-15 mode=read match=swap\n"
		   "18-19 mode=read match=swap\n");
	tbl.swap = false;
	EXPECT(valid());
}

static void test_triggers_and_probability_policy(void)
{
	struct swapfail_out out;
	char buf[256];
	u32 i, hits = 0;

	fresh(100);
	EXPECT_EQ(tt_msg(&tbl, "every_nth_read 5 delay=1ms match=swap"), 0);
	EXPECT_EQ(tbl.policy.trigger[R].kind, SWAPFAIL_ACT_DELAY);
	EXPECT_EQ(tbl.policy.trigger[R].match, SWAPFAIL_MATCH_SWAP);
	EXPECT_EQ(tt_msg(&tbl, "probability_write 0.25 error=ENOSPC"), 0);
	EXPECT_EQ(tbl.policy.probability[W], 250000000);
	EXPECT_EQ(tbl.policy.trigger[W].error, SWAPFAIL_ERR_ENOSPC);
	EXPECT_EQ(tt_msg(&tbl, "seed 42"), 0);
	swapfail_out_init(&out, buf, sizeof(buf));
	swapfail_emit_features(&out, &tbl.policy);
	EXPECT_STR(buf, " 6 every_nth_read 5 probability_write 0.25 seed 42");
	for (i = 1; i <= 100000; i++)
		hits += swapfail_prob_fails(42, W, i, 250000000);
	EXPECT(hits > 24000 && hits < 26000);
	EXPECT(swapfail_prob_fails(42, W, 77, 250000000) ==
	       swapfail_prob_fails(42, W, 77, 250000000));
	EXPECT(swapfail_prob_fails(1, R, 5, SWAPFAIL_PPB));
	EXPECT(!swapfail_prob_fails(1, R, 5, 0));
}

static void test_ctr_probability_and_seed(void)
{
	struct swapfail_ctr_args a;
	char *err;

	EXPECT_EQ(ctr("d 0 512 6 probability_read 0.001 probability_write 1 "
		      "seed 9", &a, &err, 2048), 0);
	EXPECT_EQ(a.policy.probability[R], 1000000);
	EXPECT_EQ(a.policy.probability[W], SWAPFAIL_PPB);
	EXPECT_EQ(a.policy.seed, 9);
	EXPECT_EQ(ctr("d 0 512 2 probability_read 2", &a, &err, 2048), -EINVAL);
	EXPECT_STR(err, "Invalid probability_read value");
}

static void test_release_and_held_parse(void)
{
	fresh(100);
	EXPECT_EQ(tt_msg(&tbl, "release"), 0);
	EXPECT_EQ(tt_msg(&tbl, "release fail error=ETIMEDOUT 5-9"), 0);
	EXPECT_EQ(tt_msg(&tbl, "release 200"), -EINVAL);
	EXPECT_EQ(tt_msg(&tbl, "held now"), -EINVAL);
}

/* Answers */

static void test_dust_answers(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "listbadblocks"), 1);
	EXPECT_STR(tbl.answer, "No blocks in badblocklist");
	EXPECT_EQ(tt_msg(&tbl, "clearbadblocks"), 1);
	EXPECT_STR(tbl.answer, "dust_clear_badblocks: no badblocks found");
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 60"), 0);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 67"), 0);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 72"), 0);
	EXPECT_EQ(tt_msg(&tbl, "countbadblocks"), 1);
	EXPECT_STR(tbl.answer, "countbadblocks: 3 badblock(s) found");
	EXPECT_EQ(tt_msg(&tbl, "queryblock 67"), 1);
	EXPECT_STR(tbl.answer, "dust_query_block: block 67 found in "
		   "badblocklist");
	EXPECT_EQ(tt_msg(&tbl, "queryblock 68"), 1);
	EXPECT_STR(tbl.answer, "dust_query_block: block 68 not found in "
		   "badblocklist");
	EXPECT_EQ(tt_msg(&tbl, "listbadblocks"), 1);
	EXPECT_STR(tbl.answer, "60\n67\n72\n");
	EXPECT_EQ(tt_msg(&tbl, "removebadblock 67"), 0);
	EXPECT_EQ(tt_msg(&tbl, "clearbadblocks"), 1);
	EXPECT_STR(tbl.answer, "dust_clear_badblocks: badblocks cleared");
	EXPECT_EQ(tt_msg(&tbl, "countbadblocks"), 1);
	EXPECT_STR(tbl.answer, "countbadblocks: 0 badblock(s) found");
}

static void test_list_replays_into_same_table(void)
{
	static char line[1 << 16];
	char *saveptr = NULL, *l, first[1 << 16];
	struct tt *copy = malloc(sizeof(*copy));

	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 1-3 9 mode=rw count=7 error=ENOLINK"), 0);
	EXPECT_EQ(tt_msg(&tbl, "addbadblock 20 3"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 30-99 mode=write"), 0);
	strcpy(first, listing());
	tt_init(copy, 1000);
	for (l = strtok_r(first, "\n", &saveptr); l;
	     l = strtok_r(NULL, "\n", &saveptr)) {
		snprintf(line, sizeof(line), "add %s", l);
		EXPECT_EQ(tt_msg(copy, line), 0);
	}
	tt_msg_out(copy, "list", line, sizeof(line));
	EXPECT_STR(line, listing());
	tt_free(copy);
	free(copy);
}

static void test_list_and_count_within_ranges(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 0-99 200-209 mode=rw"), 0);
	EXPECT_EQ(tt_msg(&tbl, "add 300"), 0);
	EXPECT_EQ(tt_msg(&tbl, "list 50 60 205-400"), 1);
	EXPECT_STR(tbl.answer, "0-99 mode=rw\n200-209 mode=rw\n"
		   "300-300 mode=read\n");
	EXPECT_EQ(tt_msg(&tbl, "count 50 60 70-79"), 1);
	EXPECT_STR(tbl.answer, "extents=1 blocks=12");
	EXPECT_EQ(tt_msg(&tbl, "count"), 1);
	EXPECT_STR(tbl.answer, "extents=3 blocks=111");
	EXPECT_EQ(tt_msg(&tbl, "list 500-999"), 1);
	EXPECT_STR(tbl.answer, "");
}

static void test_query_answers_each_range_in_order(void)
{
	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 10-19"), 0);
	EXPECT_EQ(tt_msg(&tbl, "query 15-30 0 10+10"), 1);
	EXPECT_STR(tbl.answer, "15-30 bad=5\n0-0 bad=0\n10-19 bad=10\n");
}

static void test_output_truncation_fills_buffer(void)
{
	char buf[10];
	int r;

	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 100-199 300 mode=rw"), 0);
	memset(buf, 'x', sizeof(buf));
	r = tt_msg_out(&tbl, "listbadblocks", buf, sizeof(buf));
	EXPECT_EQ(r, 1);
	EXPECT_EQ(strlen(buf), sizeof(buf) - 1);
	EXPECT_STR(buf, "100\n101\n1");
}

static void test_info_and_stats_lines(void)
{
	struct swapfail_stats s = { .count = { 10, 20, 1, 2, 3, 4 } };
	struct swapfail_out out;
	char buf[512];

	fresh(1000);
	EXPECT_EQ(tt_msg(&tbl, "add 1-4"), 0);
	EXPECT_EQ(tt_msg(&tbl, "every_nth_read 9"), 0);
	swapfail_out_init(&out, buf, sizeof(buf));
	swapfail_emit_info(&out, &tbl.table.live, &tbl.policy, &s);
	EXPECT_STR(buf, "mode=bypass quiet=off extents=1 blocks=4 reads=10 "
		   "writes=20 read_errors=1 write_errors=2 healed=3 deferred=4 "
		   "delayed=0 held=0 dropped=0 corrupted=0 "
		   "every_nth_read=9 every_nth_write=0 error=EIO "
		   "probability_read=0 probability_write=0 seed=0 "
		   "delaying=0 holding=0 trigger_read=error "
		   "trigger_write=error");
	/* a trigger's action is one word: its message's, comma-joined */
	EXPECT_EQ(tt_msg(&tbl, "every_nth_read 9 error=ENODATA"), 0);
	EXPECT_EQ(tt_msg(&tbl, "probability_write 0.5 delay=1ms~2us match=swap"), 0);
	swapfail_out_init(&out, buf, sizeof(buf));
	swapfail_emit_info(&out, &tbl.table.live, &tbl.policy, &s);
	EXPECT(strstr(buf, " trigger_read=error=ENODATA "
			   "trigger_write=delay=1ms~2us,match=swap"));
	EXPECT_EQ(tt_msg(&tbl, "every_nth_write 2 corrupt=xor at=3"), 0);
	swapfail_out_init(&out, buf, sizeof(buf));
	swapfail_emit_info(&out, &tbl.table.live, &tbl.policy, &s);
	EXPECT(strstr(buf, " trigger_write=corrupt=xor,at=3,bytes=1,xor=ff"));
	EXPECT_EQ(tt_msg(&tbl, "every_nth_write 2 hold=30s"), 0);
	swapfail_out_init(&out, buf, sizeof(buf));
	swapfail_emit_info(&out, &tbl.table.live, &tbl.policy, &s);
	EXPECT(strstr(buf, " trigger_write=hold=30s"));
	EXPECT(tt_msg(&tbl, "every_nth_write 2 hold=0s") < 0);
	swapfail_out_init(&out, buf, sizeof(buf));
	swapfail_emit_stats(&out, &tbl.table.live, &s);
	EXPECT_STR(buf, "extents=1 blocks=4 reads=10 writes=20 read_errors=1 "
		   "write_errors=2 healed=3 deferred=4 delayed=0 held=0 "
		   "dropped=0 corrupted=0");
}

static void test_features_round_trip(void)
{
	struct swapfail_policy p, q;
	struct swapfail_ctr_args a;
	struct swapfail_out out;
	char buf[256], line[300];
	char *err;

	swapfail_policy_init(&p);
	swapfail_out_init(&out, buf, sizeof(buf));
	swapfail_emit_features(&out, &p);
	EXPECT_STR(buf, "");
	p.enabled = true;
	p.every_nth[W] = 12;
	p.error = SWAPFAIL_ERR_EREMOTEIO;
	swapfail_out_init(&out, buf, sizeof(buf));
	swapfail_emit_features(&out, &p);
	EXPECT_STR(buf, " 5 start_enabled every_nth_write 12 error EREMOTEIO");
	snprintf(line, sizeof(line), "d 0 512%s", buf);
	EXPECT_EQ(ctr(line, &a, &err, 2048), 0);
	swapfail_policy_init(&q);
	swapfail_policy_merge(&q, &a);
	EXPECT(!memcmp(&p, &q, sizeof(p)));
}

static void test_policy_restarts_counting(void)
{
	struct swapfail_msg m = { .verb = SWAPFAIL_MSG_ENABLE };
	struct swapfail_ctr_args a;
	struct swapfail_policy p;
	char *err;

	swapfail_policy_init(&p);
	EXPECT_EQ(swapfail_policy_update(&p, &m), 3);
	m.verb = SWAPFAIL_MSG_EVERY_NTH;
	m.dir = W;
	m.value = 4;
	EXPECT_EQ(swapfail_policy_update(&p, &m), 1U << W);
	EXPECT_EQ(ctr("d 0 512 3 start_enabled every_nth_write 4", &a, &err,
		      2048), 0);
	EXPECT_EQ(swapfail_policy_merge(&p, &a), 0);
	EXPECT_EQ(ctr("d 0 512 4 every_nth_read 4 every_nth_write 4", &a, &err,
		      2048), 0);
	EXPECT_EQ(swapfail_policy_merge(&p, &a), 1U << R);
}

/*
 * Finding 8: a reloaded line's features replace those in force: quiet,
 * error and every_nth follow the line; only start_enabled is one-way, so
 * that a line without it leaves a running device failing.
 */
static void test_reload_features_replace(void)
{
	struct swapfail_ctr_args a;
	struct swapfail_policy p;
	char *err;

	swapfail_policy_init(&p);
	EXPECT_EQ(ctr("d 0 512 6 start_enabled quiet every_nth_read 3 "
		      "error ENOLINK", &a, &err, 2048), 0);
	EXPECT_EQ(swapfail_policy_merge(&p, &a), 3);
	EXPECT(p.enabled && p.quiet);
	EXPECT_EQ(ctr("d 0 512", &a, &err, 2048), 0);
	EXPECT_EQ(swapfail_policy_merge(&p, &a), 1U << R);
	EXPECT(p.enabled && !p.quiet);
	EXPECT_EQ(p.every_nth[R], 0);
	EXPECT_EQ(p.error, SWAPFAIL_ERR_EIO);
}

/*
 * Random edits and I/Os against a block-by-block model of the same
 * semantics: a bad block has a mode, an error and, for dm-dust blocks, a
 * write-fail count (counted extents are left to the directed tests).
 */
#define MODEL_BLOCKS	96

struct model_block {
	u8 mode;
	u8 error;
	u8 wr_fail;
};

static struct model_block model[MODEL_BLOCKS];

static bool model_free(u64 first, u64 last)
{
	u64 b;

	for (b = first; b <= last; b++)
		if (model[b].mode)
			return false;
	return true;
}

static void model_add(void)
{
	static const char * const modes[] = { "", "read", "write", "rw" };
	u64 first = rand() % MODEL_BLOCKS, len = 1 + rand() % 6, b;
	u8 mode = 1 + rand() % 3, error = rand() % SWAPFAIL_NR_ERRORS;
	char line[128];
	int r;

	if (first + len > MODEL_BLOCKS)
		len = MODEL_BLOCKS - first;
	snprintf(line, sizeof(line), "add %llu+%llu mode=%s%s%s",
		 (unsigned long long)first, (unsigned long long)len,
		 modes[mode], error ? " error=" : "",
		 error ? swapfail_error_name(error) : "");
	r = tt_msg(&tbl, line);
	EXPECT_EQ(r, model_free(first, first + len - 1) ? 0 : -EINVAL);
	EXPECT(r || compact());
	for (b = first; !r && b < first + len; b++)
		model[b] = (struct model_block){ mode, error, 0 };
}

static void model_dust_add(void)
{
	u64 b = rand() % MODEL_BLOCKS;
	u8 wr_fail = rand() % 3;
	char line[64];
	int r;

	snprintf(line, sizeof(line), "addbadblock %llu %u",
		 (unsigned long long)b, wr_fail);
	r = tt_msg(&tbl, line);
	EXPECT_EQ(r, model[b].mode ? -EINVAL : 0);
	if (!r)
		model[b] = (struct model_block){ SWAPFAIL_MODE_READ, 0,
						 wr_fail };
}

static void model_remove(void)
{
	u64 first = rand() % MODEL_BLOCKS, len = 1 + rand() % 10, b;
	char line[64];
	int r;

	if (first + len > MODEL_BLOCKS)
		len = MODEL_BLOCKS - first;
	snprintf(line, sizeof(line), "remove %llu+%llu",
		 (unsigned long long)first, (unsigned long long)len);
	r = tt_msg(&tbl, line);
	EXPECT_EQ(r, model_free(first, first + len - 1) ? -EINVAL : 0);
	EXPECT(r || compact());
	for (b = first; !r && b < first + len; b++)
		model[b].mode = 0;
}

static bool model_fails(const struct model_block *m, enum swapfail_dir dir)
{
	if (m->mode & (1U << dir))
		return true;
	return dir == W && m->mode == SWAPFAIL_MODE_READ && m->wr_fail;
}

static void model_io(void)
{
	u64 first = rand() % MODEL_BLOCKS, last = first + rand() % 8, b;
	enum swapfail_dir dir = rand() % 2;
	struct swapfail_verdict v;
	bool expect = false;
	u64 block = 0;
	u8 error = 0;

	if (last >= MODEL_BLOCKS)
		last = MODEL_BLOCKS - 1;
	for (b = first; b <= last && !expect; b++) {
		expect = model_fails(&model[b], dir);
		block = b;
		error = model[b].error;
	}
	EXPECT_EQ(tt_io(&tbl, first, last, dir, &v), 0);
	EXPECT_EQ(failed(&v), expect);
	if (expect) {
		EXPECT_EQ(v.block, block);
		EXPECT_EQ(v.error, error);
	}
	for (b = first; dir == W && b <= last; b++) {
		if (model[b].mode != SWAPFAIL_MODE_READ)
			continue;
		if (expect && model[b].wr_fail)
			model[b].wr_fail--;
		else if (!expect)
			model[b].mode = 0;
	}
}

static void model_compare(void)
{
	struct swapfail_verdict v;
	u64 b;

	for (b = 0; b < MODEL_BLOCKS; b++) {
		swapfail_tree_check(&tbl.table.live, b, b, R, false, &v);
		EXPECT_EQ(failed(&v), !!(model[b].mode & SWAPFAIL_MODE_READ));
	}
}

static void test_random_against_model(void)
{
	unsigned int seed, step;
	int op;

	for (seed = 1; seed <= 40; seed++) {
		srand(seed);
		fresh(MODEL_BLOCKS);
		memset(model, 0, sizeof(model));
		for (step = 0; step < 400 && !tap_failures; step++) {
			op = rand() % 10;
			if (op < 3)
				model_add();
			else if (op < 4)
				model_dust_add();
			else if (op < 5)
				model_remove();
			else
				model_io();
			EXPECT(valid());
		}
		model_compare();
		if (tap_failures)
			printf("#   seed %u step %u\n", seed, step);
	}
}

static void test_hundred_thousand_scattered_blocks(void)
{
	static char line[10000 * 12 + 16];
	unsigned int batch, i;
	int len;

	fresh(NR_BLOCKS);
	for (batch = 0; batch < 10; batch++) {
		len = sprintf(line, "add");
		for (i = 0; i < 10000; i++)
			len += sprintf(line + len, " %u",
				       (batch * 10000 + i) * 7 + 3);
		EXPECT_EQ(tt_msg(&tbl, line), 0);
	}
	EXPECT_EQ(tbl.table.live.extents, 100000);
	EXPECT_EQ(tt_msg(&tbl, "countbadblocks"), 1);
	EXPECT_STR(tbl.answer, "countbadblocks: 100000 badblock(s) found");
	EXPECT(fails(699996, 699996, R));
	EXPECT(!fails(699997, 699999, R));
	EXPECT(valid());
}

static const struct tap_test tests[] = {
	TAP_TEST(test_actions_round_trip_through_list),
	TAP_TEST(test_actions_refuse_what_does_not_go),
	TAP_TEST(test_faults_compose),
	TAP_TEST(test_writes_that_reach_the_disk_heal),
	TAP_TEST(test_writes_heal_errors_only),
	TAP_TEST(test_match_swap_filters),
	TAP_TEST(test_match_swap_heals_by_swap_outs_only),
	TAP_TEST(test_triggers_and_probability_policy),
	TAP_TEST(test_ctr_probability_and_seed),
	TAP_TEST(test_release_and_held_parse),
	TAP_TEST(test_parse_numbers_decimal),
	TAP_TEST(test_parse_numbers_reject_malformed),
	TAP_TEST(test_parse_u32_limit),
	TAP_TEST(test_parse_range_forms),
	TAP_TEST(test_parse_range_rejects),
	TAP_TEST(test_ctr_dust_line),
	TAP_TEST(test_ctr_block_size),
	TAP_TEST(test_ctr_rejects_offset_and_count),
	TAP_TEST(test_ctr_features),
	TAP_TEST(test_ctr_feature_errors),
	TAP_TEST(test_msg_verbs_any_case),
	TAP_TEST(test_msg_rejects_bad_verb_and_arity),
	TAP_TEST(test_msg_add_attributes_any_order),
	TAP_TEST(test_msg_add_rejects_bad_attributes),
	TAP_TEST(test_msg_dust_add_limits),
	TAP_TEST(test_msg_policy_verbs),
	TAP_TEST(test_error_names_round_trip),
	TAP_TEST(test_ranges_sort_matches_qsort),
	TAP_TEST(test_ranges_union_merges_touching),
	TAP_TEST(test_add_million_blocks_is_one_extent),
	TAP_TEST(test_add_joins_adjacent_plain_blocks),
	TAP_TEST(test_add_joins_across_leaves),
	TAP_TEST(test_add_keeps_unlike_extents_apart),
	TAP_TEST(test_add_rejects_overlap_and_changes_nothing),
	TAP_TEST(test_refused_batch_changes_nothing),
	TAP_TEST(test_add_unsorted_batch),
	TAP_TEST(test_remove_trims_splits_and_drops),
	TAP_TEST(test_remove_spanning_many_leaves),
	TAP_TEST(test_remove_needs_a_bad_block_in_each_range),
	TAP_TEST(test_remove_reaches_past_a_shortened_end),
	TAP_TEST(test_clear_empties_table),
	TAP_TEST(test_message_cost_follows_the_change),
	TAP_TEST(test_extent_cap_holds_everywhere),
	TAP_TEST(test_read_fails_on_overlap_only),
	TAP_TEST(test_io_across_leaves),
	TAP_TEST(test_write_heals_read_extent),
	TAP_TEST(test_write_heal_trims_and_splits),
	TAP_TEST(test_heal_without_nodes_leaves_table),
	TAP_TEST(test_heals_split_many_extents),
	TAP_TEST(test_wr_fail_counts_down_then_heals),
	TAP_TEST(test_wr_fail_is_per_range),
	TAP_TEST(test_write_mode_fails_writes_only),
	TAP_TEST(test_rw_mode_fails_both_never_heals),
	TAP_TEST(test_count_expires_extent),
	TAP_TEST(test_count_is_shared_by_split_parts),
	TAP_TEST(test_add_over_spent_blocks),
	TAP_TEST(test_error_comes_from_first_failing_extent),
	TAP_TEST(test_failed_write_neither_heals_nor_spends_others),
	TAP_TEST(test_every_nth),
	TAP_TEST(test_heals_during_an_edit_are_kept),
	TAP_TEST(test_heal_of_a_joined_neighbour_is_kept),
	TAP_TEST(test_one_io_spans_pieces_of_a_rule),
	TAP_TEST(test_countbadblocks_skips_spent_blocks),
	TAP_TEST(test_count_above_int_max),
	TAP_TEST(test_change_restarts_past_its_steps),
	TAP_TEST(test_dust_list_refuses_huge_answer),
	TAP_TEST(test_dust_answers),
	TAP_TEST(test_list_replays_into_same_table),
	TAP_TEST(test_list_and_count_within_ranges),
	TAP_TEST(test_query_answers_each_range_in_order),
	TAP_TEST(test_output_truncation_fills_buffer),
	TAP_TEST(test_info_and_stats_lines),
	TAP_TEST(test_features_round_trip),
	TAP_TEST(test_policy_restarts_counting),
	TAP_TEST(test_reload_features_replace),
	TAP_TEST(test_random_against_model),
	TAP_TEST(test_hundred_thousand_scattered_blocks),
};

int main(void)
{
	int r = tap_run("unit", tests, ARRAY_SIZE(tests));

	tt_free(&tbl);
	if (tbl.nodes || tbl.rules) {
		printf("# leaked %ld nodes, %ld rules\n", tbl.nodes, tbl.rules);
		r = 1;
	}
	return r;
}
