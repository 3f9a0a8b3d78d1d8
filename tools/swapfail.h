/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * swapfail(8): what the command's files share.  sf-util.h below is the
 * basement (messages, exit statuses, options, numbers); this header
 * declares what the other files offer each other.  swapfail.c, main and
 * the verb table, offers nothing: no file includes upward.
 *
 *   swapfail.c   main: the verb table, the dispatcher, help
 *   sf-util.c    messages, exit statuses, options, numbers
 *   sf-dm.c      libdevmapper: device arguments, tables, messages, status
 *   sf-msg.c     the verbs that are messages: add, list, held, release...
 *   sf-status.c  the status INFO line: status, watch, ls
 *   sf-create.c  create, remove
 *   sf-cols.c    tables (libsmartcols) and their columns
 *   sf-json.c    the JSON of --json
 *   sf-swap.c    /proc/swaps and /proc/PID/pagemap: slots, target
 *   sf-area.c    swap areas and where their slots are on a block device
 *   sf-file.c    swap files: their extents (FIEMAP, btrfs's chunk tree)
 *   sf-stack.c   from a block device down to the swapfail target under it
 *   sf-proc.c    a process's mappings (smaps), shared memory, pagemap
 *   sf-zswap.c   zswap and the process's memory cgroup
 *   sf-pageout.c pageout: pushing a process's pages to swap
 *   sf-resolve.c resolve: from a kernel log line back to the page
 *   sf-trace.c   trace: the tracepoints, read with libtracefs
 *   sf-plan.c    the fault plans of run
 *   sf-setup.c   what run sets up and tears down: loop, swap, cgroup
 *   sf-run.c     run: a plan, a command, and what happened
 */
#ifndef SWAPFAIL_TOOL_H
#define SWAPFAIL_TOOL_H

#include <limits.h>
#include <sys/types.h>

#include "sf-util.h"
#include "swapfail-core.h"

#define SF_NAME_LEN	128		/* DM_NAME_LEN */
#define SF_SECTOR_SHIFT	9

/* The verbs: swapfail.c's table, and what its dispatcher hands a verb */
struct sf_table;

struct sf_cmd {
	struct sf_table *t;		/* SF_V_DEVICE: the device */
	const char *msg;		/* a message verb: the target's word */
	int argc;			/* the operands (after the device) */
	char **argv;
};

/* A verb's own options: beyond -h, -v, --noudevsync and the flags' */
struct sf_optset {
	const char *shortopts;
	const struct option *longopts;	/* ends with { NULL } */
	sf_opt_fn fn;
};

#define SF_V_DEVICE	0x1		/* the first operand is a device */
#define SF_V_ANSWER	0x2		/* prints the message's answer */
#define SF_V_JSON	0x4		/* -J, --json */
#define SF_V_TABLE	0x8		/* -o, -n, -r: a table (and --json) */
#define SF_V_CHECK	0x10		/* --check: run it without a device */

int sf_cmd_message(struct sf_cmd *c);
int sf_cmd_add(struct sf_cmd *c);
int sf_cmd_list(struct sf_cmd *c);
int sf_cmd_query(struct sf_cmd *c);
int sf_cmd_count(struct sf_cmd *c);
int sf_cmd_held(struct sf_cmd *c);
int sf_cmd_release(struct sf_cmd *c);
int sf_cmd_trigger(struct sf_cmd *c);
int sf_cmd_create(struct sf_cmd *c);
int sf_cmd_remove(struct sf_cmd *c);
int sf_cmd_status(struct sf_cmd *c);
int sf_cmd_watch(struct sf_cmd *c);
int sf_cmd_ls(struct sf_cmd *c);
int sf_cmd_slots(struct sf_cmd *c);
int sf_cmd_target(struct sf_cmd *c);
int sf_cmd_pageout(struct sf_cmd *c);
int sf_cmd_resolve(struct sf_cmd *c);
int sf_cmd_trace(struct sf_cmd *c);
int sf_cmd_run(struct sf_cmd *c);

extern const struct sf_optset sf_action_optset, sf_add_optset,
	sf_release_optset, sf_create_optset, sf_watch_optset, sf_slots_optset,
	sf_target_optset, sf_pageout_optset, sf_trace_optset, sf_run_optset;

/*
 * The action options of add, target, every-nth and probability, and the
 * extent's of add and target: parsed into the target's words.
 */
struct sf_attrs {
	char words[16][48];		/* mode=M count=N delay=T ... */
	int nr;
};

extern struct sf_attrs sf_attrs;
int sf_attr_opt(int c, const char *arg);
int sf_attr_word(const char *w, char *out, size_t size);

/* One target of a device-mapper table. */
struct sf_target {
	u64 start;
	u64 len;
	char type[16];
	bool swapfail;
	struct swapfail_ctr_args args;	/* swapfail only; points into argbuf */
	u64 nr_blocks;
	char *params;			/* the table's text */
	char *argbuf;			/* params split into words */
};

/* A device-mapper device and its live table. */
struct sf_table {
	char name[SF_NAME_LEN];
	dev_t dev;
	unsigned int nr;
	struct sf_target *tgt;
	struct sf_target *sf;		/* its first swapfail target */
};

void sf_dm_setup(void);
int sf_check_name(const char *name);
int sf_table_get(const char *arg, struct sf_table *t);
int sf_table_any(const char *name, struct sf_table *t);
void sf_table_free(struct sf_table *t);
struct sf_target *sf_table_find(const struct sf_table *t, u64 sector);
int sf_dm_names(char ***names);
int sf_dm_name(dev_t dev, char *name, size_t size);
const char *sf_dm_dir(void);
int sf_dev_path(const char *dev, char *path, size_t size);
int sf_dm_message(const struct sf_table *t, const char *msg, char **answer);
int sf_dm_info(const struct sf_table *t, char **info);
int sf_dm_open_count(const struct sf_table *t);
int sf_dm_create(const char *name, u64 len, const char *params);
int sf_dm_remove(const char *name);

/* sf-create.c */
int sf_create_device(const char *name, const char *path, u64 block_size,
		     bool quiet);

/* sf-msg.c: messages checked with the target's own parser, then sent */
int sf_send(const struct sf_table *t, int argc, char **argv, char **answer);
int sf_sendf(const struct sf_table *t, char **answer, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The options that several verbs share, numbered after the common ones
 * (sf-util.h); a verb's own are numbered from SF_OPT_LOCAL.
 */
enum {
	SF_OPT_WR_FAIL = SF_OPT_FIRST_VERB,
	SF_OPT_DELAY,
	SF_OPT_HOLD,
	SF_OPT_DROP,
	SF_OPT_CORRUPT,
	SF_OPT_AT,
	SF_OPT_BYTES,
	SF_OPT_XOR,
	SF_OPT_CORRUPT_SEED,
	SF_OPT_MATCH,
	SF_OPT_LOCAL = SF_OPT_FIRST_VERB + 64,
};

/* The action options: what a fault does (an error, the default, or...) */
#define SF_OPTS_ACTION							\
	{ "error", required_argument, NULL, 'e' },			\
	{ "delay", required_argument, NULL, SF_OPT_DELAY },		\
	{ "hold", optional_argument, NULL, SF_OPT_HOLD },		\
	{ "drop", no_argument, NULL, SF_OPT_DROP },			\
	{ "corrupt", required_argument, NULL, SF_OPT_CORRUPT },		\
	{ "at", required_argument, NULL, SF_OPT_AT },			\
	{ "bytes", required_argument, NULL, SF_OPT_BYTES },		\
	{ "xor", required_argument, NULL, SF_OPT_XOR },			\
	{ "corrupt-seed", required_argument, NULL, SF_OPT_CORRUPT_SEED }, \
	{ "match", required_argument, NULL, SF_OPT_MATCH }

/* ...and the extent's of add and target */
#define SF_SHORT_ATTR	"m:c:e:"
#define SF_OPTS_ATTR						\
	{ "mode", required_argument, NULL, 'm' },		\
	{ "count", required_argument, NULL, 'c' },		\
	{ "wr-fail", required_argument, NULL, SF_OPT_WR_FAIL },	\
	SF_OPTS_ACTION

/* sf-cols.c: a table's columns, printed by libsmartcols or as JSON */
enum sf_col_type {
	SF_COL_STR,
	SF_COL_NUM,			/* printed as a JSON number */
	SF_COL_SIZE,			/* bytes: "4G" in text, a number in JSON */
	SF_COL_BOOL,
};

struct sf_col {
	const char *name;		/* -o's name and the heading */
	const char *key;		/* its JSON key */
	enum sf_col_type type;
	bool right;			/* numbers line up on the right */
	const char *help;
};

struct sf_cols;
int sf_cols_open(struct sf_cols **tbp, const struct sf_col *cols,
		unsigned int nr, const char *defaults, const char *json_key);
int sf_cols_row(struct sf_cols *tb);
void sf_cols_set(struct sf_cols *tb, unsigned int col, const char *value);
void sf_cols_setf(struct sf_cols *tb, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int sf_cols_print(struct sf_cols *tb);
void sf_cols_json(struct sf_cols *tb);
void sf_cols_free(struct sf_cols *tb);

/* The columns of each table verb, for its --help */
extern const struct sf_col sf_ls_cols[], sf_held_cols[], sf_list_cols[],
	sf_query_cols[], sf_slots_cols[];
extern const unsigned int sf_ls_nr_cols, sf_held_nr_cols, sf_list_nr_cols,
	sf_query_nr_cols, sf_slots_nr_cols;

/* sf-json.c: one JSON object on one line, keys in the order written */
void sf_jopen(const char *key, char bracket);
void sf_jclose(void);
void sf_jstr(const char *key, const char *s);
void sf_ju64(const char *key, u64 v);
void sf_jint(const char *key, long long v);
void sf_jbool(const char *key, bool v);
void sf_jnull(const char *key);
void sf_jppb(const char *key, u32 ppb);
void sf_jraw(const char *key, const char *number);
void sf_jsec(const char *key, u64 ns);
void sf_jaddr(const char *key, u64 addr);
void sf_jdev(const char *key, dev_t dev);
void sf_json_failed(int err);
FILE *sf_json_to(FILE *f);

/* sf-status.c: the status INFO line, parsed by key */
enum sf_field {
	SF_I_MODE,
	SF_I_QUIET,
	SF_I_EXTENTS,
	SF_I_BLOCKS,
	SF_I_READS,
	SF_I_WRITES,
	SF_I_READ_ERRORS,
	SF_I_WRITE_ERRORS,
	SF_I_HEALED,
	SF_I_DEFERRED,
	SF_I_NTH_READ,
	SF_I_NTH_WRITE,
	SF_I_ERROR,
	SF_I_REQUIRED,			/* those above: the first edition's */
	SF_I_DELAYED = SF_I_REQUIRED,
	SF_I_HELD,
	SF_I_DROPPED,
	SF_I_CORRUPTED,
	SF_I_PROB_READ,
	SF_I_PROB_WRITE,
	SF_I_SEED,
	SF_I_DELAYING,
	SF_I_HOLDING,
	SF_I_TRIGGER_READ,
	SF_I_TRIGGER_WRITE,
	SF_I_NR
};

struct sf_info {
	char *buf;
	const char *val[SF_I_NR];	/* NULL: the module does not say */
	u64 num[SF_I_NR];		/* numbers; probabilities per billion */
};

int sf_info_get(const struct sf_table *t, struct sf_info *in);
void sf_info_free(struct sf_info *in);
void sf_info_json(const struct sf_table *t, const struct sf_info *in);

/* sf-trace.c: the target's tracepoints, one event a fault or corruption */
struct sf_event {
	u64 ns;				/* CLOCK_MONOTONIC */
	int pid;			/* who issued the I/O */
	char comm[32];			/* its name, "" if unknown */
	bool corrupt;			/* swapfail_corrupt, else _fault */
	dev_t dev;
	u64 sector, sectors, block, last_block;
	u64 dir, action, error, by;
	u64 fault;			/* its number since the last seed */
	u64 delay_ns;			/* a delay, or a hold's limit */
	bool has_fault, has_delay;	/* the module's events have them */
	u64 offset, bytes;		/* corrupt: where, how many */
	u8 before[SWAPFAIL_MAX_CORRUPT], after[SWAPFAIL_MAX_CORRUPT];
};

struct sf_tracer;
int sf_trace_open(struct sf_tracer **trp, const struct sf_table *t);
int sf_trace_read(struct sf_tracer *tr,
		  int (*fn)(const struct sf_event *e, void *ctx), void *ctx);
void sf_trace_close(struct sf_tracer *tr);
void sf_trace_signals(void (*handler)(int));
void sf_event_json(const struct sf_event *e);
void sf_event_text(const struct sf_event *e);

/* sf-plan.c: the fault plans of run */
enum sf_swap_kind {
	SF_SWAP_DEFAULT,		/* partition if created, else none */
	SF_SWAP_NONE,
	SF_SWAP_PARTITION,
	SF_SWAP_FILE,
};

struct sf_step {			/* at T VERB ARG... [for T] */
	u64 at;				/* ns after the command started */
	u64 undo_after;			/* ns; 0: never undone */
	int line;
	bool pid;			/* the command's --pid goes with it */
	int argc;
	char **argv;			/* VERB ARG... */
};

enum sf_expect_kind {
	SF_EXPECT_EXIT,
	SF_EXPECT_SIGNAL,
	SF_EXPECT_KERNEL,
	SF_EXPECT_COUNT,
};

struct sf_expect {
	int line;
	enum sf_expect_kind kind;
	int op;				/* count: == != >= <= > < */
	u64 value;			/* exit status, signal, count */
	char *what;			/* count's name, kernel's ERE */
	char *text;			/* as the plan writes it */
};

struct sf_plan {
	char *path;
	char *device;
	char *over;			/* a block device to create it over */
	u64 loop_size;			/* ...or a loop file of that size */
	u64 block_size;
	bool quiet;
	enum sf_swap_kind swap;
	char fs[8];			/* swap file's filesystem */
	u64 swap_size;
	u64 memory_max;			/* 0: no limit */
	u64 swap_max;
	bool has_swap_max;
	struct {
		char key[64];
		char value[64];
	} sysctl[8];
	unsigned int nr_sysctl;
	u64 timeout;			/* 0: none */
	u64 sample;
	struct sf_step *steps;		/* in time order */
	unsigned int nr_steps;
	struct sf_expect *expects;
	unsigned int nr_expects;
};

int sf_plan_load(const char *path, struct sf_plan *p);
void sf_plan_free(struct sf_plan *p);
void sf_plan_json(const struct sf_plan *p);
int sf_signal_number(const char *name);

/* sf-setup.c: what run sets up, each undone by sf_undo_all() */
int sf_loop_create(u64 size, char *dev, size_t devsize);
int sf_mkswap(const char *path);
int sf_swap_on(const char *path);
int sf_mkfs_mount(const char *fs, const char *dev, char *dir, size_t size);
int sf_swapfile_make(const char *dir, const char *fs, u64 size, char *path,
		     size_t pathsize);
int sf_cgroup_make(const char *name, u64 memory_max, u64 swap_max,
		   bool has_swap_max, char *dir, size_t size);
int sf_sysctl_set(const char *key, const char *value);
void sf_undo_device(const char *name);
int sf_undo_all(void);
unsigned int sf_undo_failures(const char *const **list);
int sf_spawn(char *const *argv, int out_fd, int err_fd, pid_t *pid);
int sf_capture(char *const *argv, bool both, char **out, int *status);

/* sf-file.c: where a swap file's slots are on its block device */
struct sf_fext {			/* one extent, as FIEMAP gives it */
	u64 logical;
	u64 physical;			/* bytes of the device (btrfs: mapped) */
	u64 length;
	u32 flags;			/* FIEMAP_EXTENT_* */
};

struct sf_sext {			/* slots [slot, slot + nr) */
	u64 slot;
	u64 nr;
	u64 physical;			/* the first one's byte on the device */
};

struct sf_swapfile {
	dev_t dev;			/* the block device the kernel swaps to */
	char fs[16];			/* ext4, xfs, btrfs or other */
	struct sf_fext *fext;
	unsigned int nr_fext, cap_fext;
	struct sf_sext *sext;
	unsigned int nr_sext;
	u64 nr_slots;
};

int sf_swapfile_load(const char *path, struct sf_swapfile *sw,
		     const char **why);
void sf_swapfile_free(struct sf_swapfile *sw);
int sf_swapfile_slot(const struct sf_swapfile *sw, const char *path, u64 slot,
		     u64 *sector, const char **why);
int sf_swapfile_find(const struct sf_swapfile *sw, u64 sector, u64 *slot);

/* sf-area.c: the swap areas of /proc/swaps; index = swap type */
#define SF_MAX_AREAS	32

struct sf_area {
	char path[PATH_MAX];
	bool partition;			/* a block device, else a file */
	dev_t rdev;			/* partition: its device */
	struct sf_swapfile *file;	/* file: read on first use */
	const char *file_why;		/* ...or why it cannot be */
	int file_err;
};

struct sf_areas {
	unsigned int nr;
	struct sf_area a[SF_MAX_AREAS];
};

int sf_areas_load(struct sf_areas *as);
void sf_areas_free(struct sf_areas *as);
struct sf_hops;
struct sf_loc;
int sf_area_locate(struct sf_area *a, u64 slot, struct sf_loc *l,
		   struct sf_hops *hops);
int sf_area_find(struct sf_areas *as, dev_t dev, u64 sector,
		 unsigned int *type, u64 *slot);

/* sf-proc.c: a process's mappings and pagemap */
#define PM_PRESENT		(1ULL << 63)
#define PM_SWAP			(1ULL << 62)
#define PM_FRAME		((1ULL << 55) - 1)
#define PM_SWAP_TYPE(e)		((unsigned int)((e) & 0x1f))
#define PM_SWAP_SLOT(e)		(((e) & PM_FRAME) >> 5)

struct sf_map {
	u64 start;
	u64 end;
	char *name;			/* as maps writes it; "" if anonymous */
	u64 swap_kb;			/* smaps's Swap: */
	u64 anon_kb;			/* smaps's Anonymous: resident, swap-backed */
	bool shmem;			/* tmpfs, memfd, SysV, shared anonymous */
	bool hugetlb;
	bool locked;			/* mlock()ed: MADV_PAGEOUT refuses it */
	const char *kind;		/* shmem: which of those */
};

struct sf_maps {
	struct sf_map *m;
	unsigned int nr;
};

#define SF_MAPS_SHMEM	1		/* tell shared memory apart */
#define SF_MAPS_QUIET	2		/* no message if the process is gone */

int sf_pagemap_open(pid_t pid);
int sf_pagemap_open_quiet(pid_t pid);
long sf_pagemap_read(int fd, u64 addr, u64 *e, long n);
int sf_maps_load(pid_t pid, struct sf_maps *ms, unsigned int flags);
void sf_maps_free(struct sf_maps *ms);
const struct sf_map *sf_maps_find(const struct sf_maps *ms, u64 addr);

/* sf-zswap.c: zswap and the process's memory cgroup */
struct sf_zswap {
	int enabled;			/* 1, 0; -1: no zswap in this kernel */
	int shrinker;			/* shrinker_enabled (6.8+): 1, 0, -1 */
	char cgroup[PATH_MAX];		/* the process's cgroup v2 directory */
	int writeback;			/* memory.zswap.writeback, effective: 1, 0, -1 */
	long long zswapped;		/* bytes of the cgroup's in zswap; -1 */
};

void sf_zswap_get(pid_t pid, struct sf_zswap *z);
bool sf_zswap_matters(const struct sf_zswap *z);
void sf_zswap_note(const struct sf_zswap *z);
void sf_zswap_json(const struct sf_zswap *z);
int sf_zswap_check(const struct sf_zswap *z, bool push);
int sf_zswap_push(pid_t pid, const struct sf_zswap *z, const u64 *addr,
		  long n);

/* sf-pageout.c: pushing pages to swap, until they are at rest there */
struct sf_pageout_res {
	long present;			/* resident before */
	long swapped;			/* in swap now */
	long resident;			/* resident still (touched again) */
	long cached;			/* in the swap cache still */
};

int sf_page_out(pid_t pid, const u64 *addr, long n);
long sf_page_frames(pid_t pid, const u64 *addr, u64 *pfn, long n);
long sf_drain_swapcache(const char *cg, const u64 *pfn, long n, u64 timeout);
int sf_pageout(pid_t pid, const char *cg, const u64 *addr, long n,
	       u64 timeout, struct sf_pageout_res *res);

/* sf-stack.c: from a sector of a block device to the swapfail target under it */
struct sf_hop {
	dev_t dev;
	u64 sector;
	const char *layer;		/* "linear", "crypt", "partition", ... */
};

#define SF_MAX_HOPS	16

struct sf_hops {
	int nr;
	struct sf_hop h[SF_MAX_HOPS];	/* the I/O's device first */
};

struct sf_loc {
	dev_t dev;			/* where the kernel does the I/O */
	u64 sector;			/* the page's first sector there */
	const struct sf_table *table;	/* the swapfail device under it */
	const struct sf_target *tgt;	/* its target that holds the page */
	struct swapfail_range blocks;
	const char *why;		/* if there is none: why not */
};

int sf_stack_locate(dev_t dev, u64 sector, u64 nr, struct sf_loc *l,
		    struct sf_hops *hops);
const char *sf_dev_name(dev_t dev);
void sf_hops_json(const struct sf_hops *hops);
void sf_stack_free(void);

#endif /* SWAPFAIL_TOOL_H */
