/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-swapfail: definitions shared by the target, its core and the tools.
 *
 * The core (swapfail-core.c) holds every decision that does not need the
 * kernel: the bad-extent table, the failure policy, and the parsing of
 * table lines and messages.  It uses no kernel-only type, takes no lock
 * and never allocates; callers hand it buffers.  The same file is built
 * into the module and, through the shims in tools/include, into the
 * userspace unit tests and fuzzer.
 *
 * Units: the table and every message count in blocks of the device's
 * block size, numbered from the start of the target.
 */
#ifndef DM_SWAPFAIL_H
#define DM_SWAPFAIL_H

#include <linux/bits.h>
#include <linux/types.h>

#define SWAPFAIL_VERSION_MAJOR	1
#define SWAPFAIL_VERSION_MINOR	0
#define SWAPFAIL_VERSION_PATCH	0

#define SWAPFAIL_MIN_BLOCK_SIZE	512U
#define SWAPFAIL_MAX_BLOCK_SIZE	(1024U * 1024 * 1024)
/* One table may not grow past this many extents (24 bytes each). */
#define SWAPFAIL_MAX_EXTENTS	(16U * 1024 * 1024)
/* dm-dust's limit for a block's write-fail count. */
#define SWAPFAIL_MAX_WR_FAIL	255U

enum swapfail_dir {
	SWAPFAIL_DIR_READ,
	SWAPFAIL_DIR_WRITE,
	SWAPFAIL_NR_DIRS
};

/* Which directions an extent fails: bit (1 << SWAPFAIL_DIR_*). */
enum swapfail_mode {
	SWAPFAIL_MODE_READ = 1,		/* dm-dust semantics: writes heal */
	SWAPFAIL_MODE_WRITE = 2,	/* writes fail, reads pass */
	SWAPFAIL_MODE_RW = 3,		/* both fail, never healed */
};

/* Error an injected failure completes with; names are the errno names. */
enum swapfail_error {
	SWAPFAIL_ERR_DEFAULT,		/* extent: use the device's default */
	SWAPFAIL_ERR_EIO,		/* BLK_STS_IOERR */
	SWAPFAIL_ERR_ENODATA,		/* BLK_STS_MEDIUM */
	SWAPFAIL_ERR_ENOLINK,		/* BLK_STS_TRANSPORT */
	SWAPFAIL_ERR_ETIMEDOUT,		/* BLK_STS_TIMEOUT */
	SWAPFAIL_ERR_ENOSPC,		/* BLK_STS_NOSPC */
	SWAPFAIL_ERR_EILSEQ,		/* BLK_STS_PROTECTION */
	SWAPFAIL_ERR_EREMOTEIO,		/* BLK_STS_TARGET */
	SWAPFAIL_NR_ERRORS
};

/*
 * A run of bad blocks [start, end).  An extent whose blocks were all
 * healed or whose count ran out keeps its slot with start == end until
 * the next rebuild, so that the array stays sorted for lockless readers.
 */
struct swapfail_extent {
	u64 start;
	u64 end;
	u32 count;	/* failures left before the extent goes; 0: no limit */
	u8 mode;	/* enum swapfail_mode */
	u8 wr_fail;	/* read mode: writes that fail before one heals */
	u8 error;	/* enum swapfail_error */
	u8 reserved;
};

/*
 * Disjoint extents sorted by block, plus running totals of live ones.
 *
 * The index narrows a lookup to one group of SWAPFAIL_INDEX_GROUP slots, so
 * that a search over a big table touches a few cache lines rather than one
 * per halving.  index[g] is where the last slot of group g ended when the
 * index was built; I/Os only ever make a slot end earlier (a trim, a split
 * shifting the slots after it up by one), so it stays an upper bound.
 */
struct swapfail_table {
	struct swapfail_extent *ext;
	const u64 *index;	/* NULL: none */
	u32 index_len;	/* groups indexed: slots in use / group, when built */
	u32 nr;		/* slots in use, empty extents included */
	u32 size;	/* slots available in ext[] */
	u32 extents;	/* non-empty extents */
	u64 blocks;	/* blocks in non-empty extents */
};

#define SWAPFAIL_INDEX_GROUP	64U

/* An inclusive block range as written in messages: A-B, A+N or A. */
struct swapfail_range {
	u64 first;
	u64 last;
};

/* Attributes an add message gives to each of its ranges. */
struct swapfail_attr {
	u32 count;
	u8 mode;
	u8 wr_fail;
	u8 error;
};

/* Policy switched by the table line's features and by messages. */
struct swapfail_policy {
	bool enabled;
	bool quiet;
	u8 error;			/* default error, never _DEFAULT */
	u32 every_nth[SWAPFAIL_NR_DIRS];	/* 0: off */
};

/* Counters, in the order status and the stats message print them. */
enum swapfail_counter {
	SWAPFAIL_READS,			/* + dir: I/Os seen */
	SWAPFAIL_WRITES,
	SWAPFAIL_READ_ERRORS,		/* + dir: I/Os failed */
	SWAPFAIL_WRITE_ERRORS,
	SWAPFAIL_HEALED,		/* blocks healed by writes */
	SWAPFAIL_DEFERRED,		/* writes that waited for room to heal */
	SWAPFAIL_NR_COUNTERS
};

struct swapfail_stats {
	u64 count[SWAPFAIL_NR_COUNTERS];
};

/* What the core decided for one I/O. */
struct swapfail_verdict {
	bool fail;
	u8 error;		/* enum swapfail_error; _DEFAULT: the device's */
	u64 block;		/* first failing (or healed) block */
	u64 healed;		/* blocks removed by this write */
};

enum swapfail_check {
	SWAPFAIL_CHECK_DONE,	/* verdict is final, table untouched */
	SWAPFAIL_CHECK_UPDATE,	/* the table must change: lock and apply */
};

/* Table line features: bits of swapfail_ctr_args.features. */
#define SWAPFAIL_FEAT_START_ENABLED	BIT(0)
#define SWAPFAIL_FEAT_QUIET		BIT(1)
#define SWAPFAIL_FEAT_NTH_READ		BIT(2)
#define SWAPFAIL_FEAT_NTH_WRITE		BIT(3)
#define SWAPFAIL_FEAT_ERROR		BIT(4)

/* The table line without its device: <dev> <offset> <block_size> [...] */
struct swapfail_ctr_args {
	const char *dev_path;
	u64 offset;
	u32 block_size;
	u32 block_shift;		/* log2(block_size / 512) */
	u32 features;			/* SWAPFAIL_FEAT_* given on the line */
	struct swapfail_policy policy;	/* their values; defaults elsewhere */
};

enum swapfail_verb {
	SWAPFAIL_MSG_ADD,
	SWAPFAIL_MSG_REMOVE,
	SWAPFAIL_MSG_QUERY,
	SWAPFAIL_MSG_LIST,
	SWAPFAIL_MSG_COUNT,
	SWAPFAIL_MSG_CLEAR,
	SWAPFAIL_MSG_DUST_ADD,
	SWAPFAIL_MSG_DUST_REMOVE,
	SWAPFAIL_MSG_DUST_QUERY,
	SWAPFAIL_MSG_DUST_COUNT,
	SWAPFAIL_MSG_DUST_CLEAR,
	SWAPFAIL_MSG_DUST_LIST,
	SWAPFAIL_MSG_ENABLE,
	SWAPFAIL_MSG_DISABLE,
	SWAPFAIL_MSG_QUIET_TOGGLE,
	SWAPFAIL_MSG_QUIET,
	SWAPFAIL_MSG_EVERY_NTH,
	SWAPFAIL_MSG_ERROR,
	SWAPFAIL_MSG_STATS,
	SWAPFAIL_MSG_RESET_STATS,
};

/* A parsed message; ranges point into a buffer of argc entries. */
struct swapfail_msg {
	enum swapfail_verb verb;
	bool edits;			/* changes the table */
	bool answers;			/* returns text */
	struct swapfail_attr attr;	/* add */
	struct swapfail_range *ranges;
	u32 nr_ranges;
	u32 dir;			/* every_nth */
	u32 value;			/* every_nth N, error, quiet on/off */
};

/*
 * Output that truncates like scnprintf(): when something does not fit,
 * the buffer is filled to the last byte, which device-mapper reports to
 * userspace as "buffer full" so that libdevmapper retries with more room.
 */
struct swapfail_out {
	char *buf;
	u32 size;
	u32 len;
	bool full;
};

/* Names */
const char *swapfail_error_name(unsigned int error);
int swapfail_error_parse(const char *name, u8 *error);
const char *swapfail_mode_name(unsigned int mode);

/* Parsing */
int swapfail_parse_u64(const char *s, u64 *value);
int swapfail_parse_u32(const char *s, u32 *value);
int swapfail_parse_range(const char *s, u64 nr_blocks,
			 struct swapfail_range *range);
int swapfail_parse_ctr(unsigned int argc, char **argv, u64 target_sectors,
		       struct swapfail_ctr_args *args, const char **error);
int swapfail_parse_msg(unsigned int argc, char **argv, u64 nr_blocks,
		       struct swapfail_msg *msg, const char **error);

/* Ranges */
void swapfail_ranges_sort(struct swapfail_range *r, u32 n);
bool swapfail_ranges_disjoint(const struct swapfail_range *r, u32 n);
u32 swapfail_ranges_union(struct swapfail_range *r, u32 n);

/* The I/O decision */
enum swapfail_check swapfail_table_check(const struct swapfail_table *t,
					 u64 first, u64 last,
					 enum swapfail_dir dir,
					 struct swapfail_verdict *v);
int swapfail_table_apply(struct swapfail_table *t, u64 first, u64 last,
			 enum swapfail_dir dir, struct swapfail_verdict *v);
bool swapfail_nth_fails(u64 nr_io, u32 every_nth);

/* Tables: a message that edits is checked and sized, then built anew */
void swapfail_table_init(struct swapfail_table *t,
			 struct swapfail_extent *ext, u32 size);
u32 swapfail_index_len(u32 size);
void swapfail_table_index(struct swapfail_table *t, u64 *index);
int swapfail_table_copy(const struct swapfail_table *old,
			struct swapfail_table *new);
int swapfail_edit_prepare(const struct swapfail_table *t,
			  struct swapfail_msg *msg, const char **error);
int swapfail_edit_build(const struct swapfail_table *old,
			const struct swapfail_msg *msg,
			struct swapfail_table *new);

/* Policy */
void swapfail_policy_init(struct swapfail_policy *p);
u32 swapfail_policy_merge(struct swapfail_policy *p,
			  const struct swapfail_ctr_args *args);
u32 swapfail_policy_update(struct swapfail_policy *p,
			   const struct swapfail_msg *msg);

/* Answers */
void swapfail_out_init(struct swapfail_out *out, char *buf, u32 size);
void swapfail_answer(struct swapfail_out *out, const struct swapfail_table *t,
		     struct swapfail_msg *msg);
void swapfail_emit_stats(struct swapfail_out *out,
			 const struct swapfail_table *t,
			 const struct swapfail_stats *s);
void swapfail_emit_info(struct swapfail_out *out,
			const struct swapfail_table *t,
			const struct swapfail_policy *p,
			const struct swapfail_stats *s);
void swapfail_emit_features(struct swapfail_out *out,
			    const struct swapfail_policy *p);

#endif /* DM_SWAPFAIL_H */
