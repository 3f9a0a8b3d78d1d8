/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sf-util.h: the basement of swapfail(8), which every other file may
 * include: messages and exit statuses, the options every verb shares,
 * option parsing, and the numbers, durations, sizes and probabilities a
 * command line gives (sf-util.c).  It includes nothing of the tool's.
 *
 * Functions return 0 or a negative errno and print their own error
 * message; main() turns the errno into the exit status (sf_exit_code()):
 * the five below, EPERM and EACCES (6) pick one each, the rest is 1.
 * The kernel's EINVAL for a message or a table becomes SF_EREFUSED where
 * libdm returns it (sf-dm.c), so EINVAL means a bad command line.
 */
#ifndef SF_UTIL_H
#define SF_UTIL_H

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#include <linux/kernel.h>
#include <linux/types.h>

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

/* What every verb may be told, and what some verbs set for the others. */
struct sf_opts {
	bool verbose;
	bool noudevsync;
	bool json;			/* the verb prints JSON (sf-json.c) */
	bool noheadings;		/* tables: no heading line */
	bool raw;			/* tables: columns split by one space */
	const char *output;		/* tables: -o's column list */
	bool allow_unwritten;		/* swap files: target unwritten extents */
	bool check;			/* check the command line, do nothing */
};

extern struct sf_opts sf_opts;
extern const char *sf_verb;		/* the verb running, for messages */

void sf_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sf_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sf_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int sf_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned int sf_warnings(const char *const **list);
const char *sf_last_err(void);
const char *sf_intern(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sf_intern_free(void);
int sf_exit_code(int err);
int sf_close_stdout(void);
bool sf_stdout_broken(void);
bool sf_stdout_flush(void);

int sf_read_line(const char *path, char *buf, size_t size);
int sf_write_file(const char *dir, const char *file, const char *s);
char *sf_join(int argc, char *const *argv);

/*
 * Options.  A verb's option handler returns 0 done, 1 not mine, -errno
 * to stop.  Long options must be given whole: getopt_long()'s prefixes
 * ("--all" for "--allow-unwritten") are refused.
 */
typedef int (*sf_opt_fn)(int c, const char *arg);

enum {
	SF_OPT_NOUDEVSYNC = 256,
	SF_OPT_NOHEADINGS,
	SF_OPT_RAW,
	SF_OPT_CHECK,
	SF_OPT_FIRST_VERB,		/* verbs number theirs from here */
};

int sf_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *opts, sf_opt_fn fn);

/* Numbers, each named by @what in the message that refuses it. */
int sf_parse_num(const char *what, const char *s, u64 min, u64 max, u64 *v);

#define SF_NS_PER_SEC		1000000000ULL
#define SF_MAX_DURATION		(86400ULL * SF_NS_PER_SEC)	/* a day */

int sf_parse_duration(const char *what, const char *s, u64 max, u64 *ns);
int sf_parse_delay(const char *what, const char *s, u64 *ns, u64 *jitter);
void sf_format_ns(char *buf, size_t size, u64 ns);
int sf_parse_size(const char *what, const char *s, u64 bare_unit, u64 max,
		  u64 *bytes);
#define SF_PPB			1000000000U
int sf_scan_ppb(const char *s, u32 *ppb);
int sf_parse_probability(const char *what, const char *s, u32 *ppb);
void sf_format_ppb(char *buf, size_t size, u32 ppb);

#endif /* SF_UTIL_H */
