/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * swapfail(8): what the command's files share.
 *
 *   swapfail.c   the command line: options, verbs, help
 *   sf-dm.c      libdevmapper: tables, messages, status, create, remove
 *   sf-status.c  the status INFO line: status, --json, watch
 *   sf-swap.c    /proc/swaps and /proc/PID/pagemap: slots, target
 *
 * Functions return 0 or a negative errno and print their own error
 * message; main() turns the errno into the exit status (sf_exit_code()):
 * the four below, EPERM and EACCES (6) pick one each, the rest is 1.
 * The kernel's EINVAL for a message or a table becomes SF_EREFUSED where
 * libdm returns it (sf-dm.c), so EINVAL means a bad command line.
 */
#ifndef SWAPFAIL_TOOL_H
#define SWAPFAIL_TOOL_H

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/kernel.h>
#include <linux/types.h>
#include "dm-swapfail.h"

#define SF_EUSAGE	EINVAL		/* bad command line: exit 2 */
#define SF_ENODEV	ENODEV		/* no such device, not swapfail: 3 */
#define SF_EREFUSED	EBADMSG		/* the kernel refused: exit 4 */
#define SF_ENOTSWAPPED	ENODATA		/* page not in swap on NAME: 5 */

enum sf_exit {
	SF_EXIT_OK,
	SF_EXIT_FAILURE,
	SF_EXIT_USAGE,
	SF_EXIT_NODEV,
	SF_EXIT_REFUSED,
	SF_EXIT_NOTSWAPPED,
	SF_EXIT_PERM,
};

#define SF_NAME_LEN	128		/* DM_NAME_LEN */
#define SF_SECTOR_SHIFT	9

struct sf_opts {
	bool verbose;
	bool noudevsync;
};

extern struct sf_opts sf_opts;
extern const char *sf_verb;

void sf_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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

/* Options: every verb takes the common ones (swapfail.c) */
enum {
	SF_OPT_NOUDEVSYNC = 256,
	SF_OPT_WR_FAIL,
	SF_OPT_NTH_READ,
	SF_OPT_NTH_WRITE,
	SF_OPT_ERROR,
	SF_OPT_JSON,
	SF_OPT_NO_HEADINGS,
};

#define SF_SHORT_COMMON	":hv"
#define SF_OPTS_COMMON						\
	{ "help", no_argument, NULL, 'h' },			\
	{ "verbose", no_argument, NULL, 'v' },			\
	{ "noudevsync", no_argument, NULL, SF_OPT_NOUDEVSYNC },	\
	{ NULL, 0, NULL, 0 }

/* The attribute options of add and target, parsed by sf_opt_attr() */
#define SF_SHORT_ATTR	"m:c:e:"
#define SF_OPTS_ATTR						\
	{ "mode", required_argument, NULL, 'm' },		\
	{ "count", required_argument, NULL, 'c' },		\
	{ "error", required_argument, NULL, 'e' },		\
	{ "wr-fail", required_argument, NULL, SF_OPT_WR_FAIL }

/* A verb's option handler: 0 done, 1 not mine, -errno to stop. */
typedef int (*sf_opt_fn)(int c, const char *arg, void *ctx);

int sf_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *opts, sf_opt_fn fn, void *ctx, int min,
	      int max);

/* Extent attributes, as add and target take them */
struct sf_attrs {
	char words[4][48];		/* mode=M count=N error=E wr_fail=K */
	int nr;
};

int sf_opt_attr(int c, const char *arg, struct sf_attrs *a);
int sf_send(const struct sf_table *t, int argc, char **argv, bool print);

#endif /* SWAPFAIL_TOOL_H */
