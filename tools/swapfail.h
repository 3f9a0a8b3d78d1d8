/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * swapfail(8): what the command's files share.
 *
 *   swapfail.c   the command line: options, verbs, help
 *   sf-dm.c      libdevmapper: tables, messages, status, create, remove
 *   sf-status.c  the status INFO line: status, --json, watch
 *   sf-swap.c    /proc/swaps and /proc/PID/pagemap: slots, target
 *   sf-area.c    swap areas and where their slots are on a block device
 *   sf-file.c    swap files: their extents (FIEMAP, btrfs's chunk tree)
 *   sf-stack.c   from a block device down to the swapfail target under it
 *   sf-proc.c    a process's mappings (smaps), shared memory, pagemap
 *   sf-zswap.c   zswap and the process's memory cgroup
 *   sf-resolve.c resolve: from a kernel log line back to the page
 *   sf-json.c    the JSON of --json
 *
 * Functions return 0 or a negative errno and print their own error
 * message; main() turns the errno into the exit status (sf_exit_code()):
 * the five below, EPERM and EACCES (6) pick one each, the rest is 1.
 * The kernel's EINVAL for a message or a table becomes SF_EREFUSED where
 * libdm returns it (sf-dm.c), so EINVAL means a bad command line.
 */
#ifndef SWAPFAIL_TOOL_H
#define SWAPFAIL_TOOL_H

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/kernel.h>
#include <linux/types.h>
#include "swapfail-core.h"

#define SF_EUSAGE	EINVAL		/* bad command line: exit 2 */
#define SF_ENODEV	ENODEV		/* no such device, not swapfail: 3 */
#define SF_EREFUSED	EBADMSG		/* the kernel refused: exit 4 */
#define SF_ENOTSWAPPED	ENODATA		/* page not in swap on NAME: 5 */
#define SF_EUNMAPPABLE	EMEDIUMTYPE	/* slot cannot be followed soundly: 7 */

enum sf_exit {
	SF_EXIT_OK,
	SF_EXIT_FAILURE,
	SF_EXIT_USAGE,
	SF_EXIT_NODEV,
	SF_EXIT_REFUSED,
	SF_EXIT_NOTSWAPPED,
	SF_EXIT_PERM,
	SF_EXIT_UNMAPPABLE,
};

#define SF_NAME_LEN	128		/* DM_NAME_LEN */
#define SF_SECTOR_SHIFT	9

struct sf_opts {
	bool verbose;
	bool noudevsync;
	bool json;			/* the verb prints JSON (sf-json.c) */
	bool allow_unwritten;		/* swap files: target unwritten extents */
};

extern struct sf_opts sf_opts;
extern const char *sf_verb;

void sf_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sf_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sf_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned int sf_warnings(const char *const **list);
const char *sf_last_err(void);
const char *sf_intern(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sf_intern_free(void);
int sf_read_line(const char *path, char *buf, size_t size);
int sf_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int sf_exit_code(int err);
int sf_check_name(const char *name);
int sf_parse_u64_arg(const char *what, const char *s, u64 *v);

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
int sf_table_get(const char *name, struct sf_table *t);
int sf_table_probe(const char *name, struct sf_table *t);
int sf_table_any(const char *name, struct sf_table *t);
void sf_table_free(struct sf_table *t);
struct sf_target *sf_table_find(const struct sf_table *t, u64 sector);
int sf_dm_name(dev_t dev, char *name, size_t size);
const char *sf_dm_dir(void);
int sf_dev_path(const char *dev, char *path, size_t size);
int sf_dm_message(const struct sf_table *t, const char *msg, char **answer);
int sf_dm_info(const struct sf_table *t, char **info);
int sf_dm_create(const char *name, u64 len, const char *params);
int sf_dm_remove(const char *name);

/* Verbs */
int sf_cmd_status(int argc, char **argv);
int sf_cmd_watch(int argc, char **argv);
int sf_cmd_slots(int argc, char **argv);
int sf_cmd_target(int argc, char **argv);
int sf_cmd_resolve(int argc, char **argv);
int sf_cmd_trace(int argc, char **argv);

/* Options: every verb takes the common ones (swapfail.c) */
enum {
	SF_OPT_NOUDEVSYNC = 256,
	SF_OPT_WR_FAIL,
	SF_OPT_NTH_READ,
	SF_OPT_NTH_WRITE,
	SF_OPT_ERROR,
	SF_OPT_JSON,
	SF_OPT_NO_HEADINGS,
	SF_OPT_ALL,
	SF_OPT_RANDOM,
	SF_OPT_SEED,
	SF_OPT_WRITEBACK,
	SF_OPT_ALLOW_UNWRITTEN,
	SF_OPT_DELAY,
	SF_OPT_HOLD,
	SF_OPT_DROP,
	SF_OPT_CORRUPT,
	SF_OPT_AT,
	SF_OPT_BYTES,
	SF_OPT_XOR,
	SF_OPT_CORRUPT_SEED,
	SF_OPT_MATCH,
	SF_OPT_FAIL,
};

#define SF_SHORT_COMMON	":hv"
#define SF_OPTS_COMMON						\
	{ "help", no_argument, NULL, 'h' },			\
	{ "verbose", no_argument, NULL, 'v' },			\
	{ "noudevsync", no_argument, NULL, SF_OPT_NOUDEVSYNC },	\
	{ NULL, 0, NULL, 0 }

/*
 * The action options of add, target, every-nth and probability: what a
 * fault does (an error, the default, or another action), parsed by
 * sf_opt_attr() into the target's words.
 */
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

/* The attribute options of add and target: the extents' and the actions. */
#define SF_SHORT_ATTR	"m:c:e:"
#define SF_OPTS_ATTR						\
	{ "mode", required_argument, NULL, 'm' },		\
	{ "count", required_argument, NULL, 'c' },		\
	{ "wr-fail", required_argument, NULL, SF_OPT_WR_FAIL },	\
	SF_OPTS_ACTION

/* A verb's option handler: 0 done, 1 not mine, -errno to stop. */
typedef int (*sf_opt_fn)(int c, const char *arg, void *ctx);

int sf_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *opts, sf_opt_fn fn, void *ctx, int min,
	      int max);

/* Extent attributes, as add and target take them */
struct sf_attrs {
	char words[16][48];		/* mode=M count=N delay=T ... */
	int nr;
};

int sf_opt_attr(int c, const char *arg, struct sf_attrs *a);
int sf_send(const struct sf_table *t, int argc, char **argv, bool print);
char *sf_join(int argc, char **argv);

/* sf-json.c: one JSON object on one line, keys in the order written */
void sf_jopen(const char *key, char bracket);
void sf_jclose(void);
void sf_jstr(const char *key, const char *s);
void sf_ju64(const char *key, u64 v);
void sf_jint(const char *key, long long v);
void sf_jbool(const char *key, bool v);
void sf_jnull(const char *key);
void sf_jaddr(const char *key, u64 addr);
void sf_jdev(const char *key, dev_t dev);
void sf_json_failed(int err);

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
	bool shmem;			/* tmpfs, memfd, SysV, shared anonymous */
	bool hugetlb;
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
void sf_stack_free(void);

#endif /* SWAPFAIL_TOOL_H */
