/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-swapfail: definitions shared by the target, its core and the tools.
 *
 * The core (swapfail-core.c) holds every decision that does not need the
 * kernel: the bad-extent tree, the failure decision, and the parsing of
 * table lines and messages.  It takes no lock and never allocates: callers
 * hand it the nodes it may use and take back the ones it lets go of.  The
 * same file is built into the module and, through tools/include, into the
 * userspace unit tests, the fuzzer and the tool.
 *
 * Units: the table and every message count in blocks of the device's
 * block size, numbered from the start of the target.
 */
#ifndef DM_SWAPFAIL_H
#define DM_SWAPFAIL_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/math64.h>
#include <linux/types.h>

#define SWAPFAIL_VERSION_MAJOR	2
#define SWAPFAIL_VERSION_MINOR	0
#define SWAPFAIL_VERSION_PATCH	0

#define SWAPFAIL_MIN_BLOCK_SIZE	512U
#define SWAPFAIL_MAX_BLOCK_SIZE	(1024U * 1024 * 1024)
/* One table may not hold more extents than this. */
#define SWAPFAIL_MAX_EXTENTS	(16U * 1024 * 1024)
/* dm-dust's limit for a block's write-fail count. */
#define SWAPFAIL_MAX_WR_FAIL	255U
/* The largest answer device-mapper can return (DM_MAX_TARGETS * 1024). */
#define SWAPFAIL_MAX_ANSWER	(1024ULL * 1024 * 1024)

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

/* Bytes one corruption may change (and its trace event shows). */
#define SWAPFAIL_MAX_CORRUPT	64U

/* What a fault does to the I/O it hits. */
enum swapfail_action {
	SWAPFAIL_ACT_ERROR,		/* completes with an error (the default) */
	SWAPFAIL_ACT_DELAY,		/* goes on normally, later */
	SWAPFAIL_ACT_HOLD,		/* waits until released */
	SWAPFAIL_ACT_DROP,		/* a write completes, writing nothing */
	SWAPFAIL_ACT_CORRUPT,		/* its data changes on the way */
	SWAPFAIL_NR_ACTIONS
};

/* What made a fault: an extent of the table, or a trigger. */
enum swapfail_trigger {
	SWAPFAIL_BY_EXTENT,
	SWAPFAIL_BY_NTH,
	SWAPFAIL_BY_PROBABILITY,
	SWAPFAIL_BY_RELEASE,		/* a held I/O failed by release fail */
};

/* Which I/O an extent or a trigger applies to. */
enum swapfail_match {
	SWAPFAIL_MATCH_ALL,
	SWAPFAIL_MATCH_SWAP,		/* writes: only swap-outs (REQ_SWAP) */
};

/* How data is corrupted. */
enum swapfail_corrupt {
	SWAPFAIL_CORRUPT_XOR,		/* bytes XORed with one mask */
	SWAPFAIL_CORRUPT_RANDOM,	/* bytes replaced by seeded random ones */
};

/* An action and its parameters: of a range's extents, or of a trigger. */
struct swapfail_act {
	u8 kind;			/* enum swapfail_action */
	u8 match;			/* enum swapfail_match */
	u8 corrupt;			/* enum swapfail_corrupt */
	u8 xor;				/* CORRUPT_XOR's mask */
	u32 at;				/* corrupt: first byte, into the I/O */
	u32 bytes;			/* corrupt: how many */
	u64 delay_ns;			/* DELAY */
	u64 jitter_ns;			/* DELAY: plus or minus, uniform */
	u64 hold_ns;			/* HOLD: released after; 0: never */
	u64 seed;			/* CORRUPT_RANDOM */
	u8 error;			/* a trigger's ERROR; _DEFAULT: the device's */
};

/*
 * What the extents of one range of an add message share, however later
 * writes and removes split them: the failures left (count=N fails N I/Os
 * in all), the writes left to fail before one heals (wr_fail=K), and an
 * action other than an error.  Extents with none of these point to no
 * rule.
 */
struct swapfail_rule {
	atomic64_t count_left;		/* when has_count; 0: spent */
	atomic_t wr_fail_left;
	u32 ref;			/* leaves pointing here; writer's lock */
	bool has_count;
	bool queued;			/* on the spent list; writer's lock */
	u64 first;			/* the range it was added for: */
	u64 last;			/* its extents never leave it */
	struct swapfail_act act;
	struct swapfail_rule *next;	/* spent or released list */
};

/* A run of bad blocks [start, end) and how it fails. */
struct swapfail_extent {
	u64 start;
	u64 end;
	struct swapfail_rule *rule;	/* NULL: no count, no wr_fail */
	u8 mode;			/* enum swapfail_mode */
	u8 error;			/* enum swapfail_error */
};

/*
 * The table is a copy-on-write B+tree of extents keyed by start.  A node
 * reachable from a published root never changes: a writer copies the path
 * it changes (nodes of its own generation it may change in place), then
 * publishes the new root.  Nodes are shared between versions and counted
 * by the parents and roots that hold them.  The target wraps each node
 * with what it needs to free it after an RCU grace period.
 */
#define SWAPFAIL_NODE_PAYLOAD	480
#define SWAPFAIL_LEAF_CAP \
	(SWAPFAIL_NODE_PAYLOAD / sizeof(struct swapfail_extent))
#define SWAPFAIL_FANOUT \
	(SWAPFAIL_NODE_PAYLOAD / (sizeof(u64) + sizeof(void *)))
/* Levels a tree of SWAPFAIL_MAX_EXTENTS can need, nodes a third full. */
#define SWAPFAIL_MAX_HEIGHT	12

struct swapfail_node {
	union {
		u64 gen;			/* reachable: its writer */
		struct swapfail_node *next;	/* released: the list */
	};
	u32 ref;		/* parents and roots holding it */
	u16 nr;			/* extents, or children */
	u8 level;		/* 0: a leaf */
	union {
		struct swapfail_extent ext[SWAPFAIL_LEAF_CAP];
		struct {
			/* key[i]: the first start in child[i]'s subtree */
			u64 key[SWAPFAIL_FANOUT];
			struct swapfail_node *child[SWAPFAIL_FANOUT];
		};
	};
};

struct swapfail_tree {
	struct swapfail_node *root;	/* NULL: empty */
	u64 gen;		/* nodes of this generation change in place */
	u64 extents;		/* extents in the tree, spent ones included */
	u64 blocks;		/* their blocks */
};

/*
 * Nodes a writer may take (filled by the caller before each step), and
 * the nodes and rules whose last reference it dropped, for the caller to
 * release with swapfail_release().
 */
struct swapfail_mem {
	struct swapfail_node **free;
	u32 nr_free;
	u32 size;
	struct swapfail_node *released;
	struct swapfail_rule *released_rules;
};

/* Nodes one step of a change can need: a path, its splits and merges. */
#define SWAPFAIL_STEP_NODES(height)	(3 * (height) + 3)
/* Nodes a message's pool holds: an add's join and insert, three steps. */
#define SWAPFAIL_EDIT_NODES		(3 * SWAPFAIL_STEP_NODES(SWAPFAIL_MAX_HEIGHT))

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
	struct swapfail_act act;
};

/* A probability given as a fraction, in parts per billion. */
#define SWAPFAIL_PPB		1000000000U

/* Policy switched by the table line's features and by messages. */
struct swapfail_policy {
	bool enabled;
	bool quiet;
	u8 error;			/* default error, never _DEFAULT */
	u32 every_nth[SWAPFAIL_NR_DIRS];	/* 0: off */
	u32 probability[SWAPFAIL_NR_DIRS];	/* per billion; 0: off */
	u64 seed;			/* of the probability's generator */
	/* what every_nth and probability do: messages only */
	struct swapfail_act trigger[SWAPFAIL_NR_DIRS];
};

/* Counters, in the order status and the stats message print them. */
enum swapfail_counter {
	SWAPFAIL_READS,			/* + dir: I/Os seen */
	SWAPFAIL_WRITES,
	SWAPFAIL_READ_ERRORS,		/* + dir: I/Os failed */
	SWAPFAIL_WRITE_ERRORS,
	SWAPFAIL_HEALED,		/* blocks healed by writes */
	SWAPFAIL_DEFERRED,		/* writes that waited for nodes to heal */
	SWAPFAIL_DELAYED,		/* I/Os delayed */
	SWAPFAIL_HELD,			/* I/Os held */
	SWAPFAIL_DROPPED,		/* writes dropped */
	SWAPFAIL_CORRUPTED,		/* I/Os whose data was corrupted */
	SWAPFAIL_NR_COUNTERS
};

struct swapfail_stats {
	u64 count[SWAPFAIL_NR_COUNTERS];
	u64 delaying;			/* I/Os being delayed now */
	u64 holding;			/* I/Os held now */
};

/* Rules one I/O can report spent; more mark the verdict sweep. */
#define SWAPFAIL_VERDICT_SPENT	2
/* Rules one I/O charges once each, however many of their pieces it spans. */
#define SWAPFAIL_VERDICT_RULES	8

/*
 * What is left of an I/O once any delay or hold is over, weakest first:
 * of two faults that meet on one I/O, the stronger decides.
 */
enum swapfail_outcome {
	SWAPFAIL_PASSES,		/* goes on as it is */
	SWAPFAIL_CORRUPTS,		/* goes on, its data changed */
	SWAPFAIL_DROPS,			/* a write completes, writing nothing */
	SWAPFAIL_FAILS,			/* completes with an error */
};

/*
 * What the core decided for one I/O: every fault of the table and of the
 * triggers, composed.  A delay or a hold postpones the I/O (a hold beats
 * a delay, a longer delay a shorter one); then the outcome applies.  Of
 * equals, the first added wins: the extent at the lowest block, an extent
 * before a trigger.
 */
struct swapfail_verdict {
	bool fault;		/* some fault hits it */
	u8 wait;		/* SWAPFAIL_ACT_DELAY, _HOLD, or _ERROR: none */
	u8 wait_by;		/* enum swapfail_trigger */
	u8 outcome;		/* enum swapfail_outcome */
	u8 outcome_by;		/* enum swapfail_trigger */
	u8 error;		/* FAILS: enum swapfail_error; _DEFAULT: the device's */
	const struct swapfail_act *wait_act;	/* the delay or hold */
	const struct swapfail_act *corrupt;	/* CORRUPTS: how */
	/* FAILS: the first failing block; CORRUPTS: the block it counts from */
	u64 block;
	bool heal;		/* a write that reaches the disk heals mode=read blocks */
	bool sweep;		/* it spent more rules than spent[] holds */
	u32 nr_spent;
	struct swapfail_rule *spent[SWAPFAIL_VERDICT_SPENT];
	u32 nr_charged;		/* rules this I/O was decided for ... */
	const struct swapfail_rule *charged[SWAPFAIL_VERDICT_RULES];
	bool charged_fail[SWAPFAIL_VERDICT_RULES];	/* ... and how */
};

/* Table line features: bits of swapfail_ctr_args.features. */
#define SWAPFAIL_FEAT_START_ENABLED	BIT(0)
#define SWAPFAIL_FEAT_QUIET		BIT(1)
#define SWAPFAIL_FEAT_NTH_READ		BIT(2)
#define SWAPFAIL_FEAT_NTH_WRITE		BIT(3)
#define SWAPFAIL_FEAT_ERROR		BIT(4)
#define SWAPFAIL_FEAT_PROB_READ		BIT(5)
#define SWAPFAIL_FEAT_PROB_WRITE	BIT(6)
#define SWAPFAIL_FEAT_SEED		BIT(7)

/* The table line without its device: <dev> <offset> <block_size> [...] */
struct swapfail_ctr_args {
	const char *dev_path;
	u64 offset;
	u32 block_size;
	u32 block_shift;		/* log2(block_size / 512) */
	u32 features;			/* SWAPFAIL_FEAT_* given on the line */
	struct swapfail_policy policy;	/* the line's policy, defaults filled */
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
	SWAPFAIL_MSG_PROBABILITY,
	SWAPFAIL_MSG_SEED,
	SWAPFAIL_MSG_RELEASE,
	SWAPFAIL_MSG_HELD,
};

/* A parsed message; ranges point into a buffer of argc entries. */
struct swapfail_msg {
	enum swapfail_verb verb;
	bool edits;			/* changes the table */
	bool answers;			/* returns text */
	struct swapfail_attr attr;	/* add */
	struct swapfail_range *ranges;
	u32 nr_ranges;
	u32 dir;			/* every_nth, probability */
	u32 value;	/* every_nth N, probability, error, quiet, release */
	u64 seed;			/* seed */
};

/*
 * A message's change of the table, applied a step at a time to a tree of
 * its own (the staged tree) so that a refused batch changes nothing.
 * swapfail_edit_step() returns -EAGAIN when it needs more free nodes.
 */
struct swapfail_edit {
	struct swapfail_msg *msg;
	struct swapfail_rule **rules;	/* add: one per range, or NULL */
	u32 max_extents;
	u32 range;			/* next range to apply */
	bool checked;			/* remove: every range holds a block */
	u32 phase;			/* of that range */
	u64 next;			/* block the phase goes on from */
	struct swapfail_extent pending;	/* add: the extent being joined */
	u32 need;			/* -EAGAIN: free nodes the step needs */
	char *error;			/* why the edit was refused */
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
const char *swapfail_action_name(unsigned int action);
const char *swapfail_error_name(unsigned int error);
int swapfail_error_parse(const char *name, u8 *error);
const char *swapfail_mode_name(unsigned int mode);

/* Parsing */
int swapfail_parse_u64(const char *s, u64 *value);
int swapfail_parse_range(const char *s, u64 nr_blocks,
			 struct swapfail_range *range);
int swapfail_parse_ctr(unsigned int argc, char **argv, u64 target_sectors,
		       struct swapfail_ctr_args *args, char **error);
int swapfail_parse_msg(unsigned int argc, char **argv, u64 nr_blocks,
		       struct swapfail_msg *msg, char **error);

/* Ranges */
void swapfail_ranges_sort(struct swapfail_range *r, u32 n);
bool swapfail_ranges_disjoint(const struct swapfail_range *r, u32 n);
u32 swapfail_ranges_union(struct swapfail_range *r, u32 n);

/* Nodes and rules */
void swapfail_node_get(struct swapfail_node *node);
void swapfail_node_put(struct swapfail_mem *mem, struct swapfail_node *node);
bool swapfail_release(struct swapfail_mem *mem, u32 budget,
		      void (*free_node)(struct swapfail_node *node, void *arg),
		      void (*free_rule)(struct swapfail_rule *rule, void *arg),
		      void *arg);
void swapfail_rule_init(struct swapfail_rule *rule,
			const struct swapfail_attr *attr,
			const struct swapfail_range *range);
bool swapfail_rule_spent(const struct swapfail_rule *rule);

/* The I/O decision, on a published tree, without a lock */
void swapfail_verdict_init(struct swapfail_verdict *v);
void swapfail_verdict_add(struct swapfail_verdict *v,
			  const struct swapfail_act *act, u8 error, u64 block,
			  enum swapfail_trigger by);
void swapfail_tree_check(const struct swapfail_tree *t, u64 first, u64 last,
			 enum swapfail_dir dir, bool swap,
			 struct swapfail_verdict *v);
bool swapfail_verdict_heals(const struct swapfail_verdict *v);
void swapfail_tree_bounds(const struct swapfail_tree *t, u64 *lo, u64 *hi);

/*
 * Changes to a tree, made under the writer's lock, one step (one leaf) at
 * a time; see swapfail_tree_step().
 */
enum swapfail_change_kind {
	SWAPFAIL_CUT,		/* take blocks first..last out of every extent */
	SWAPFAIL_HEAL,		/* ... out of mode=read extents not spent */
	SWAPFAIL_DROP_RULE,	/* drop the extents of one rule */
	SWAPFAIL_DROP_SPENT,	/* drop spent extents */
	SWAPFAIL_INSERT,	/* add one extent (free blocks only) */
};

struct swapfail_change {
	enum swapfail_change_kind kind;
	u64 first;
	u64 last;
	const struct swapfail_rule *rule;	/* DROP_RULE */
	bool swap;				/* HEAL: by a swap-out */
	struct swapfail_extent ext;		/* INSERT */
	u32 max_extents;			/* the tree's cap */
	u64 removed;				/* blocks taken out so far */
	u32 changed;				/* steps that changed a leaf */
};

int swapfail_tree_step(struct swapfail_tree *t, struct swapfail_mem *mem,
		       struct swapfail_change *c, u64 *next);
bool swapfail_tree_splits(const struct swapfail_tree *t, u64 first,
			  u64 last, bool swap);
int swapfail_tree_heal(struct swapfail_tree *t, struct swapfail_mem *mem,
		       u64 first, u64 last, bool swap, u32 steps,
		       u64 *healed);
int swapfail_tree_drop_rule(struct swapfail_tree *t, struct swapfail_mem *mem,
			    const struct swapfail_rule *rule, u64 *next,
			    u64 last, u32 steps);
int swapfail_tree_sweep(struct swapfail_tree *t, struct swapfail_mem *mem,
			u64 *next, u32 steps);

/* Changes made by messages: a step at a time, on the staged tree */
u32 swapfail_edit_rules(const struct swapfail_msg *msg);
int swapfail_edit_prepare(struct swapfail_edit *ed, struct swapfail_msg *msg,
			  struct swapfail_rule **rules, u32 max_extents);
int swapfail_edit_step(struct swapfail_edit *ed, struct swapfail_tree *t,
		       struct swapfail_mem *mem);
u32 swapfail_edit_rules_used(const struct swapfail_edit *ed);

/*
 * Whether I/O number @nr_io (the first since enable is 1) is an every_nth
 * failure.  Inline: it is on the I/O path of every I/O while N is set.
 */
static inline bool swapfail_nth_fails(u64 nr_io, u32 every_nth)
{
	u32 rem;

	if (!every_nth)
		return false;
	div_u64_rem(nr_io, every_nth, &rem);
	return !rem;
}

bool swapfail_prob_fails(u64 seed, enum swapfail_dir dir, u64 nr_io,
			 u32 ppb);

/*
 * Whether every_nth (@nth) or probability (@ppb, drawn from @seed) fires
 * for the next I/O of @dir, counting it in @nth_ios and @prob_ios:
 * SWAPFAIL_BY_NTH, SWAPFAIL_BY_PROBABILITY, or -1 for neither.  N is asked
 * first, and each counts only while it is set, and only the I/O its action
 * matches: with @swap_only, writes the kernel marks REQ_SWAP (@swap).
 * Lockless, and inline: it runs for every I/O of the direction while a
 * trigger is set.
 */
static inline int swapfail_trigger_fires(u32 nth, u32 ppb, u64 seed,
					 enum swapfail_dir dir,
					 bool swap_only, bool swap,
					 atomic64_t *nth_ios,
					 atomic64_t *prob_ios)
{
	if (swap_only && dir == SWAPFAIL_DIR_WRITE && !swap)
		return -1;
	if (nth && swapfail_nth_fails(atomic64_inc_return(nth_ios), nth))
		return SWAPFAIL_BY_NTH;
	if (ppb && swapfail_prob_fails(seed, dir,
				       atomic64_inc_return(prob_ios), ppb))
		return SWAPFAIL_BY_PROBABILITY;
	return -1;
}

/*
 * Policy.  swapfail_policy_merge() and _update() return what the caller
 * restarts: the I/O counters of every_nth and probability of a direction,
 * BIT(SWAPFAIL_DIR_*), and with SWAPFAIL_RESTART_FAULTS the numbering of
 * faults that jitter and random corruption draw from (a new seed).
 */
#define SWAPFAIL_RESTART_FAULTS	BIT(SWAPFAIL_NR_DIRS)
void swapfail_policy_init(struct swapfail_policy *p);
u32 swapfail_policy_merge(struct swapfail_policy *p,
			  const struct swapfail_ctr_args *args);
u32 swapfail_policy_update(struct swapfail_policy *p,
			   const struct swapfail_msg *msg);

/* Answers */
void swapfail_out_init(struct swapfail_out *out, char *buf, u32 size);
int swapfail_answer(struct swapfail_out *out, const struct swapfail_tree *t,
		    struct swapfail_msg *msg, char **error);
void swapfail_emit_stats(struct swapfail_out *out,
			 const struct swapfail_tree *t,
			 const struct swapfail_stats *s);
void swapfail_emit_info(struct swapfail_out *out,
			const struct swapfail_tree *t,
			const struct swapfail_policy *p,
			const struct swapfail_stats *s);
void swapfail_emit_features(struct swapfail_out *out,
			    const struct swapfail_policy *p);
void swapfail_emit_act(struct swapfail_out *out, const struct swapfail_act *a);
void swapfail_emit_held(struct swapfail_out *out, u64 first, u64 last,
			enum swapfail_dir dir, u64 ms, enum swapfail_trigger by);
u64 swapfail_random(u64 seed, u64 n);

#endif /* DM_SWAPFAIL_H */
