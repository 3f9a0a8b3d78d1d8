// SPDX-License-Identifier: GPL-2.0-only
/*
 * swapfail(8): manage dm-swapfail devices, their bad-block tables and
 * their policy, and aim failures at the swapped pages of a process.
 *
 * This file holds the command line: global and common options, the verb
 * table with each verb's help, and the verbs that are one message to the
 * target.  Message words are checked with the target's own parser (the
 * core, swapfail-core.c) before they are sent, so a bad range or name is
 * a usage error here, with the core's words, and never reaches the kernel.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "swapfail.h"

struct sf_opts sf_opts;
const char *sf_verb = "";

struct sf_verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static const struct sf_verb *sf_verb_find(const char *name);
static void sf_help(const struct sf_verb *v, FILE *f);

/* The last error said, for --json's "error" (sf_json_failed()). */
static char sf_last[512];

const char *sf_last_err(void)
{
	return sf_last;
}

void sf_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sf_last, sizeof(sf_last), fmt, ap);
	va_end(ap);
	fprintf(stderr, "swapfail: %s\n", sf_last);
}

/* A bad command line: say what, point at --help, return -SF_EUSAGE. */
int sf_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sf_last, sizeof(sf_last), fmt, ap);
	va_end(ap);
	fprintf(stderr, "swapfail%s%s: %s\n", *sf_verb ? " " : "", sf_verb,
		sf_last);
	fprintf(stderr, "Try 'swapfail %s%s--help'.\n", sf_verb,
		*sf_verb ? " " : "");
	return -SF_EUSAGE;
}

/* Something worth knowing that is not an error: to stderr, as it comes. */
void sf_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("swapfail: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* A warning: to stderr, and kept for --json's "warnings". */
static struct {
	const char *w[32];
	unsigned int nr;
} sf_warned;

void sf_warn(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "swapfail: warning: %s\n", buf);
	if (sf_warned.nr < ARRAY_SIZE(sf_warned.w))
		sf_warned.w[sf_warned.nr++] = sf_intern("%s", buf);
}

unsigned int sf_warnings(const char *const **list)
{
	*list = sf_warned.w;
	return sf_warned.nr;
}

/*
 * Texts that outlive the function that made them (why a page cannot be
 * located, say), kept once each until the verb is done: many pages share
 * one reason.
 */
static struct {
	char **s;
	unsigned int nr;
} sf_interned;

const char *sf_intern(const char *fmt, ...)
{
	unsigned int i;
	char *s, **more;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return "(out of memory)";
	for (i = 0; i < sf_interned.nr; i++)
		if (!strcmp(sf_interned.s[i], s)) {
			free(s);
			return sf_interned.s[i];
		}
	more = realloc(sf_interned.s, (i + 1) * sizeof(*more));
	if (!more) {
		free(s);
		return "(out of memory)";
	}
	more[i] = s;
	sf_interned.s = more;
	sf_interned.nr++;
	return s;
}

void sf_intern_free(void)
{
	sf_warned.nr = 0;
	while (sf_interned.nr)
		free(sf_interned.s[--sf_interned.nr]);
	free(sf_interned.s);
	sf_interned.s = NULL;
}

int sf_exit_code(int err)
{
	switch (-err) {
	case 0:
		return SF_EXIT_OK;
	case SF_EUSAGE:
		return SF_EXIT_USAGE;
	case SF_ENODEV:
		return SF_EXIT_NODEV;
	case SF_EREFUSED:
		return SF_EXIT_REFUSED;
	case SF_ENOTSWAPPED:
		return SF_EXIT_NOTSWAPPED;
	case EPERM:
	case EACCES:
		return SF_EXIT_PERM;
	case SF_EUNMAPPABLE:
		return SF_EXIT_UNMAPPABLE;
	}
	return SF_EXIT_FAILURE;
}

int sf_parse_u64_arg(const char *what, const char *s, u64 *v)
{
	if (swapfail_parse_u64(s, v))
		return sf_usage_err("%s: '%s' is not a number", what, s);
	return 0;
}

/* The options every verb takes.  Returns 0 if @c was one of them. */
static int sf_opt_common(int c, char **argv)
{
	switch (c) {
	case 'h':
		sf_help(sf_verb_find(sf_verb), stdout);
		exit(SF_EXIT_OK);
	case 'v':
		sf_opts.verbose = true;
		return 0;
	case SF_OPT_NOUDEVSYNC:
		sf_opts.noudevsync = true;
		return 0;
	case ':':
		return sf_usage_err("option %s needs a value", argv[optind - 1]);
	}
	return sf_usage_err("unknown option %s", argv[optind - 1]);
}

/*
 * Parse a verb's options: @opts ends with SF_OPTS_COMMON; @fn gets the
 * verb's own.  Then check that there are @min to @max operands (max < 0:
 * no limit); they are argv[optind...].
 */
int sf_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *opts, sf_opt_fn fn, void *ctx, int min,
	      int max)
{
	int c, r, n;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		r = fn ? fn(c, optarg, ctx) : 1;
		if (r > 0)
			r = sf_opt_common(c, argv);
		if (r)
			return r;
	}
	n = argc - optind;
	if (n < min)
		return sf_usage_err("too few arguments");
	if (max >= 0 && n > max)
		return sf_usage_err("unexpected argument '%s'",
				    argv[optind + max]);
	return 0;
}

/* The attribute and action options (SF_OPTS_ATTR) as the target's words. */
int sf_opt_attr(int c, const char *arg, struct sf_attrs *a)
{
	static const struct {
		int c;
		const char *key;
	} keys[] = {
		{ 'm', "mode" },
		{ 'c', "count" },
		{ 'e', "error" },
		{ SF_OPT_WR_FAIL, "wr_fail" },
		{ SF_OPT_DELAY, "delay" },
		{ SF_OPT_HOLD, "hold" },
		{ SF_OPT_DROP, "drop" },
		{ SF_OPT_CORRUPT, "corrupt" },
		{ SF_OPT_AT, "at" },
		{ SF_OPT_BYTES, "bytes" },
		{ SF_OPT_XOR, "xor" },
		{ SF_OPT_CORRUPT_SEED, "seed" },
		{ SF_OPT_MATCH, "match" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (keys[i].c != c)
			continue;
		if (a->nr == ARRAY_SIZE(a->words) || (arg && strlen(arg) > 32))
			return sf_usage_err("bad --%s '%s'", keys[i].key,
					    arg ? arg : "");
		/* --hold without a time, --drop: a bare word */
		snprintf(a->words[a->nr++], sizeof(a->words[0]), "%s%s%s",
			 keys[i].key, arg ? "=" : "", arg ? arg : "");
		return 0;
	}
	return 1;
}

/* @argv joined with spaces (malloc'd). */
char *sf_join(int argc, char **argv)
{
	size_t len = 1;
	char *s, *p;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	*p = '\0';
	for (i = 0; i < argc; i++)
		p += sprintf(p, "%s%s", i ? " " : "", argv[i]);
	return s;
}

static void sf_print_answer(const char *answer)
{
	size_t len = strlen(answer);

	fputs(answer, stdout);
	if (len && answer[len - 1] != '\n')
		putchar('\n');
}

/* Check message words with the target's own parser. */
static int sf_check_msg(const struct sf_table *t, int argc, char **argv)
{
	struct swapfail_range *ranges;
	struct swapfail_msg msg;
	char *error = "";
	int r = 0;

	ranges = calloc(argc, sizeof(*ranges));
	if (!ranges)
		return -ENOMEM;
	msg.ranges = ranges;
	if (swapfail_parse_msg(argc, argv, t->sf->nr_blocks, &msg, &error)) {
		if (strstr(error, "past the end"))
			r = sf_usage_err("%s (%s has %llu blocks: 0 to %llu)",
					 error, t->name,
					 (unsigned long long)t->sf->nr_blocks,
					 (unsigned long long)t->sf->nr_blocks - 1);
		else
			r = sf_usage_err("%s", error);
	}
	free(ranges);
	return r;
}

/*
 * Send the message @argv (checked first) to @t's swapfail target, and
 * print its answer if @print.
 */
int sf_send(const struct sf_table *t, int argc, char **argv, bool print)
{
	char *text, *answer = NULL;
	int r;

	r = sf_check_msg(t, argc, argv);
	if (r)
		return r;
	text = sf_join(argc, argv);
	if (!text)
		return -ENOMEM;
	r = sf_dm_message(t, text, &answer);
	if (!r && answer && print)
		sf_print_answer(answer);
	free(answer);
	free(text);
	return r;
}

/* Send @nr fixed words, then the operands after NAME, to NAME. */
/*
 * Send device argv[optind] the message @words, the operands after the
 * device name, then the attribute words of @a (if any).
 */
static int sf_send_attrs(int argc, char **argv, const char *const *words,
			 int nr, const struct sf_attrs *a, bool print)
{
	int i, n = argc - optind - 1, na = a ? a->nr : 0;
	struct sf_table t;
	char **msg;
	int r;

	r = sf_table_get(argv[optind], &t);
	if (r)
		return r;
	msg = calloc(nr + n + na + 1, sizeof(*msg));
	if (!msg) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr; i++)
		msg[i] = (char *)words[i];
	for (i = 0; i < n; i++)
		msg[nr + i] = argv[optind + 1 + i];
	for (i = 0; i < na; i++)
		msg[nr + n + i] = (char *)a->words[i];
	r = sf_send(&t, nr + n + na, msg, print);
	free(msg);
out:
	sf_table_free(&t);
	return r;
}

static int sf_send_words(int argc, char **argv, const char *const *words,
			 int nr, bool print)
{
	return sf_send_attrs(argc, argv, words, nr, NULL, print);
}

/* A verb that is the message @word with @min - 1 to @max - 1 operands. */
static int sf_message_verb(int argc, char **argv, const char *word, int min,
			   int max, bool print)
{
	static const struct option opts[] = { SF_OPTS_COMMON };
	int r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON, opts, NULL, NULL, min, max);
	if (r)
		return r;
	return sf_send_words(argc, argv, &word, 1, print);
}

static int sf_cmd_enable(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "enable", 1, 1, false);
}

static int sf_cmd_disable(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "disable", 1, 1, false);
}

static int sf_cmd_quiet(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "quiet", 2, 2, false);
}

static int sf_cmd_error(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "error", 2, 2, false);
}

static int sf_cmd_reset_stats(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "reset_stats", 1, 1, false);
}

static int sf_cmd_del(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "remove", 2, -1, false);
}

static int sf_cmd_list(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "list", 1, -1, true);
}

static int sf_cmd_query(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "query", 2, -1, true);
}

static int sf_cmd_count(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "count", 1, -1, true);
}

static int sf_cmd_clear(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "clear", 1, 1, false);
}

static int sf_action_opt(int c, const char *arg, void *ctx)
{
	return sf_opt_attr(c, arg, ctx);
}

/* A trigger, every_nth_DIR or probability_DIR: VERB NAME read|write X */
static int sf_trigger_verb(int argc, char **argv, const char *verb)
{
	static const struct option opts[] = {
		SF_OPTS_ACTION,
		SF_OPTS_COMMON
	};
	struct sf_attrs a = { .nr = 0 };
	char word[32];
	const char *w = word;
	int r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON "e:", opts, sf_action_opt,
		      &a, 3, 3);
	if (r)
		return r;
	if (strcmp(argv[optind + 1], "read") &&
	    strcmp(argv[optind + 1], "write"))
		return sf_usage_err("'%s': say read or write",
				    argv[optind + 1]);
	snprintf(word, sizeof(word), "%s_%s", verb, argv[optind + 1]);
	argv[optind + 1] = argv[optind];
	optind++;
	return sf_send_attrs(argc, argv, &w, 1, &a, false);
}

/* every-nth NAME read|write N [action options] */
static int sf_cmd_every_nth(int argc, char **argv)
{
	return sf_trigger_verb(argc, argv, "every_nth");
}

/* probability NAME read|write P [action options] */
static int sf_cmd_probability(int argc, char **argv)
{
	return sf_trigger_verb(argc, argv, "probability");
}

static int sf_cmd_seed(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "seed", 2, 2, false);
}

static int sf_cmd_held(int argc, char **argv)
{
	return sf_message_verb(argc, argv, "held", 1, 1, true);
}

static int sf_release_opt(int c, const char *arg, void *ctx)
{
	struct sf_attrs *a = ctx;

	if (c == SF_OPT_FAIL) {
		a->nr = a->nr ? a->nr : 1;
		return 0;
	}
	if (c != 'e')
		return 1;
	snprintf(a->words[1], sizeof(a->words[1]), "error=%.32s", arg);
	a->nr = 2;
	return 0;
}

/* release NAME [RANGE...] [--fail [--error E]] */
static int sf_cmd_release(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fail", no_argument, NULL, SF_OPT_FAIL },
		{ "error", required_argument, NULL, 'e' },
		SF_OPTS_COMMON
	};
	struct sf_attrs a = { .words = { "fail" } };
	const char *words[3] = { "release" };
	int r, i;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON "e:", opts, sf_release_opt,
		      &a, 1, -1);
	if (r)
		return r;
	for (i = 0; i < a.nr; i++)
		words[i + 1] = a.words[i];
	return sf_send_words(argc, argv, words, 1 + a.nr, false);
}

/* add NAME RANGE... [attribute and action options] */
static int sf_cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		SF_OPTS_ATTR,
		SF_OPTS_COMMON
	};
	const char *word = "add";
	struct sf_attrs a = { .nr = 0 };
	int r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON SF_SHORT_ATTR, opts,
		      sf_action_opt, &a, 2, -1);
	if (r)
		return r;
	return sf_send_attrs(argc, argv, &word, 1, &a, false);
}

/* Device names as device-mapper takes them. */
int sf_check_name(const char *name)
{
	if (!*name || strlen(name) >= SF_NAME_LEN || strchr(name, '/') ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return sf_usage_err("'%s' is not a device-mapper device name",
				    name);
	return 0;
}

struct sf_create {
	u64 offset;
	const char *block_size;
	bool start_enabled;
	bool quiet;
	const char *nth[SWAPFAIL_NR_DIRS];
	const char *error;
};

static int sf_create_opt(int c, const char *arg, void *ctx)
{
	struct sf_create *o = ctx;

	switch (c) {
	case 'b':
		o->block_size = arg;
		return 0;
	case 'o':
		return sf_parse_u64_arg("--offset", arg, &o->offset);
	case 'e':
		o->start_enabled = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case SF_OPT_NTH_READ:
		o->nth[SWAPFAIL_DIR_READ] = arg;
		return 0;
	case SF_OPT_NTH_WRITE:
		o->nth[SWAPFAIL_DIR_WRITE] = arg;
		return 0;
	case SF_OPT_ERROR:
		o->error = arg;
		return 0;
	}
	return 1;
}

/* The size of block device @path in sectors, and its "MAJ:MIN". */
static int sf_dev_sectors(const char *path, u64 *sectors, char *majmin,
			  size_t size)
{
	struct stat st;
	u64 bytes;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		sf_err("cannot open %s: %s", path, strerror(errno));
		return r;
	}
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode)) {
		r = sf_usage_err("%s is not a block device", path);
	} else if (ioctl(fd, BLKGETSIZE64, &bytes)) {
		r = -errno;
		sf_err("cannot get the size of %s: %s", path, strerror(errno));
	} else {
		*sectors = bytes >> SF_SECTOR_SHIFT;
		snprintf(majmin, size, "%u:%u", major(st.st_rdev),
			 minor(st.st_rdev));
	}
	close(fd);
	return r;
}

/* The table line's words after the device: OFFSET BS [#features ...]. */
static int sf_create_words(const struct sf_create *o, char *dev, char **w,
			   char (*num)[24])
{
	int n = 4, i;

	w[0] = dev;
	snprintf(num[0], sizeof(num[0]), "%llu", (unsigned long long)o->offset);
	w[1] = num[0];
	w[2] = (char *)(o->block_size ? o->block_size : "4096");
	if (o->start_enabled)
		w[n++] = "start_enabled";
	if (o->quiet)
		w[n++] = "quiet";
	for (i = 0; i < SWAPFAIL_NR_DIRS; i++) {
		if (!o->nth[i])
			continue;
		w[n++] = i == SWAPFAIL_DIR_READ ? "every_nth_read" :
						  "every_nth_write";
		w[n++] = (char *)o->nth[i];
	}
	if (o->error) {
		w[n++] = "error";
		w[n++] = (char *)o->error;
	}
	snprintf(num[1], sizeof(num[1]), "%d", n - 4);
	w[3] = num[1];
	return n > 4 ? n : 3;
}

/* Check the table line with the target's own parser, then create. */
static int sf_create_table(const char *name, const struct sf_create *o,
			   char *dev, u64 len)
{
	struct swapfail_ctr_args args;
	char *error = "";
	char num[2][24], *w[16], *params;
	int n, r;

	n = sf_create_words(o, dev, w, num);
	if (swapfail_parse_ctr(n, w, len, &args, &error))
		return sf_usage_err("%s", error);
	params = sf_join(n, w);
	if (!params)
		return -ENOMEM;
	r = sf_dm_create(name, len, params);
	free(params);
	if (!r)
		printf("%s/%s\n", sf_dm_dir(), name);
	return r;
}

static int sf_cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "block-size", required_argument, NULL, 'b' },
		{ "offset", required_argument, NULL, 'o' },
		{ "start-enabled", no_argument, NULL, 'e' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "every-nth-read", required_argument, NULL, SF_OPT_NTH_READ },
		{ "every-nth-write", required_argument, NULL, SF_OPT_NTH_WRITE },
		{ "error", required_argument, NULL, SF_OPT_ERROR },
		SF_OPTS_COMMON
	};
	struct sf_create o = { .offset = 0 };
	char dev[32];
	u64 size = 0;
	int r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON "b:o:eq", opts,
		      sf_create_opt, &o, 2, 2);
	if (!r)
		r = sf_check_name(argv[optind]);
	if (r)
		return r;
	r = sf_dev_sectors(argv[optind + 1], &size, dev, sizeof(dev));
	if (r)
		return r;
	if (o.offset >= size)
		return sf_usage_err("--offset %llu: %s has %llu sectors",
				    (unsigned long long)o.offset,
				    argv[optind + 1], (unsigned long long)size);
	return sf_create_table(argv[optind], &o, dev, size - o.offset);
}

static int sf_cmd_remove(int argc, char **argv)
{
	static const struct option opts[] = { SF_OPTS_COMMON };
	struct sf_table t;
	int r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON, opts, NULL, NULL, 1, 1);
	if (r)
		return r;
	r = sf_table_get(argv[optind], &t);
	if (r)
		return r;
	sf_table_free(&t);
	return sf_dm_remove(argv[optind]);
}

#define SF_ACTION_HELP \
	"  -e, --error E      fail with E: " SF_ERRORS "\n" \
	"      --delay T[~J]  delay by T, give or take J (ns, us, ms, s)\n" \
	"      --hold[=T]     hold until released (or for T)\n" \
	"      --drop         a write completes, writing nothing\n" \
	"      --corrupt xor|random  change the data, --at B (byte), --bytes N\n" \
	"                     (1-64), --xor HH (mask) or --corrupt-seed S\n" \
	"      --match swap   writes: swap-outs only\n"
#define SF_ATTR_HELP \
	"  -m, --mode M       read (the default: reads fail, a write heals),\n" \
	"                     write (writes fail) or rw (both fail)\n" \
	"  -c, --count N      fail N I/Os in all, then forget the blocks\n" \
	"      --wr-fail K    mode read: the first K writes fail before one heals\n" \
	SF_ACTION_HELP
#define SF_ERRORS	"EIO ENODATA ENOLINK ETIMEDOUT ENOSPC EILSEQ EREMOTEIO"
#define SF_RANGES	"RANGE is A, A-B or A+N, in blocks from the start of the device.\n"

static int sf_cmd_help(int argc, char **argv);

static const struct sf_verb sf_verbs[] = {
	{ "create", sf_cmd_create, "create NAME DEV [options]",
	  "Create /dev/mapper/NAME, a swapfail device over block device DEV (from\n"
	  "sector OFFSET to its end), and print the node's path.\n"
	  "  -b, --block-size B     bytes per block of the bad-block table: a power\n"
	  "                         of two from 512 (default 4096, one swap slot)\n"
	  "  -o, --offset S         first sector of DEV to use (default 0)\n"
	  "  -e, --start-enabled    fail I/O at once (default: bypass until enable)\n"
	  "  -q, --quiet            no kernel log line per failed I/O\n"
	  "      --every-nth-read N   fail every Nth read\n"
	  "      --every-nth-write N  fail every Nth write\n"
	  "      --error E          the device's error: " SF_ERRORS "\n" },
	{ "remove", sf_cmd_remove, "remove NAME",
	  "Remove swapfail device NAME (it must not be in use).\n" },
	{ "status", sf_cmd_status, "status NAME [--json]",
	  "Show the device, its policy and its counters.\n"
	  "  -j, --json     one JSON object\n" },
	{ "watch", sf_cmd_watch, "watch NAME [--interval S] [--count N]",
	  "Show the counters and their rates per second, every S seconds.\n"
	  "On a terminal the screen is redrawn, otherwise one line per sample.\n"
	  "  -i, --interval S   seconds between samples (default 1; fractions too)\n"
	  "  -c, --count N      stop after N samples (default: until interrupted)\n" },
	{ "enable", sf_cmd_enable, "enable NAME",
	  "Start failing I/O as the table and the policy say.\n" },
	{ "disable", sf_cmd_disable, "disable NAME",
	  "Stop failing I/O (bypass); the table is kept.\n" },
	{ "quiet", sf_cmd_quiet, "quiet NAME on|off",
	  "Turn the kernel log line per failed I/O off (on) or on (off).\n" },
	{ "every-nth", sf_cmd_every_nth, "every-nth NAME read|write N [options]",
	  "Fault every Nth read or write from now on; 0 turns it off.\n"
	  SF_ACTION_HELP },
	{ "probability", sf_cmd_probability,
	  "probability NAME read|write P [options]",
	  "Fault each read or write with probability P (0 to 1, e.g. 0.001),\n"
	  "drawn from the device's seeded generator; 0 turns it off.\n"
	  SF_ACTION_HELP },
	{ "seed", sf_cmd_seed, "seed NAME S",
	  "Restart the generator of probabilities and jitter from seed S:\n"
	  "the same I/O then meets the same faults.\n" },
	{ "held", sf_cmd_held, "held NAME",
	  "List the I/O being held, one per line.\n" },
	{ "trace", sf_cmd_trace, "trace NAME [--count N]",
	  "Print one line per fault injected on NAME, as it happens: time, the\n"
	  "task the I/O came from, fault or corrupt, and what the tracepoint says.\n"
	  "  -c, --count N   stop after N faults (default: until interrupted)\n" },
	{ "release", sf_cmd_release, "release NAME [RANGE...] [--fail [--error E]]",
	  "Send on the held I/O (over the ranges, or all), or with --fail (or\n"
	  "--error E) complete it with an error.\n" SF_RANGES },
	{ "error", sf_cmd_error, "error NAME E",
	  "Set the device's error: " SF_ERRORS ".\n" },
	{ "reset-stats", sf_cmd_reset_stats, "reset-stats NAME",
	  "Count I/Os, errors and healed blocks from zero.\n" },
	{ "add", sf_cmd_add, "add NAME RANGE... [options]",
	  "Add bad blocks, in one message: the ranges may not overlap the table\n"
	  "or each other.\n" SF_RANGES SF_ATTR_HELP },
	{ "del", sf_cmd_del, "del NAME RANGE...",
	  "Delete the bad blocks in the ranges (each must hold one) from the table.\n"
	  SF_RANGES },
	{ "list", sf_cmd_list, "list NAME [RANGE...]",
	  "Print the table's extents (those overlapping the ranges, if given),\n"
	  "one per line: A-B mode=M [count=N] [wr_fail=K] [error=E].\n" SF_RANGES },
	{ "query", sf_cmd_query, "query NAME RANGE...",
	  "Print how many bad blocks each range holds: A-B bad=N.\n" SF_RANGES },
	{ "count", sf_cmd_count, "count NAME [RANGE...]",
	  "Print extents=E blocks=B for the table (or within the ranges).\n"
	  SF_RANGES },
	{ "clear", sf_cmd_clear, "clear NAME",
	  "Empty the table.\n" },
	{ "slots", sf_cmd_slots,
	  "slots --pid PID [--addr A[-B] [--pages N] | --map M] [options]",
	  "List the swapped pages of process PID: address, swap area, slot, the\n"
	  "sector the kernel reads it from, and the swapfail device and block that\n"
	  "hold it, through partitions, dm-linear (LVM) and dm-crypt, for swap\n"
	  "partitions and swap files (ext4, XFS, btrfs).  Needs CAP_SYS_ADMIN\n"
	  "(pagemap shows slots to it only).  Says when zswap may hold the pages,\n"
	  "and how much shared memory is in swap, whose slots pagemap does not show.\n"
	  "  -p, --pid PID         the process\n"
	  "  -a, --addr A[-B]      the page at A, or the pages of [A, B) (hex with\n"
	  "                        0x, as /proc/PID/maps writes them); default: all\n"
	  "                        of the process's mappings that have pages in swap\n"
	  "  -n, --pages N         N pages from A\n"
	  "  -M, --map M           the mappings /proc/PID/maps names M ('[heap]', a path)\n"
	  "      --allow-unwritten  give swap files' unwritten extents a block too\n"
	  "  -j, --json            one JSON object (see swapfail(8))\n"
	  "      --no-headings     no heading line\n" },
	{ "target", sf_cmd_target,
	  "target NAME --pid PID (--addr A[-B] | --map M) [options]",
	  "Make pages of process PID fail: add the blocks of their swap slots on\n"
	  "NAME, in one message.  With --addr A (--pages N) or --addr A-B every\n"
	  "page must be in swap on NAME, else nothing is added; with --map M, or\n"
	  "--addr A-B and --all or --random, the pages are chosen among those in\n"
	  "swap on NAME.\n"
	  "  -p, --pid PID       the process\n"
	  "  -a, --addr A[-B]    the first page's address, or the pages of [A, B)\n"
	  "                      (hex with 0x)\n"
	  "  -M, --map M         the mappings /proc/PID/maps names M ('[heap]', a path)\n"
	  "  -n, --pages N       N pages from A (default 1); with --map, the first N\n"
	  "                      of its pages in swap on NAME\n"
	  "      --all           every page of --map or --addr A-B in swap on NAME\n"
	  "      --random N      N of them, chosen at random...\n"
	  "      --seed S        ...from seed S (default: the time; printed)\n"
	  "      --writeback     push the pages through zswap to the device first\n"
	  "                      (memory.zswap.writeback: Linux 6.8 and later)\n"
	  "      --allow-unwritten  target pages in unwritten (preallocated)\n"
	  "                      extents of a swap file\n"
	  "  -j, --json          one JSON object (see swapfail(8))\n"
	  SF_ATTR_HELP },
	{ "resolve", sf_cmd_resolve, "resolve [--json] [MAJ:MIN:SECTOR...]",
	  "From the kernel's 'Read-error on swap-device (MAJ:MIN:SECTOR)' (or\n"
	  "Write-error) back to the page: the swap area and slot, the swapfail\n"
	  "device and block and what its table says of it, and the live processes\n"
	  "that still have a page in that slot.  Without operands, reads log lines\n"
	  "(dmesg) on stdin.  Needs CAP_SYS_ADMIN.\n"
	  "  -j, --json     one JSON object (see swapfail(8))\n" },
	{ "help", sf_cmd_help, "help [VERB]",
	  "Show the verbs, or one verb's help.\n" },
};

static const struct sf_verb *sf_verb_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sf_verbs); i++)
		if (!strcmp(name, sf_verbs[i].name))
			return &sf_verbs[i];
	return NULL;
}

static void sf_help_all(FILE *f)
{
	unsigned int i;

	fputs("Usage: swapfail [-v] [--noudevsync] VERB [ARGS]\n"
	      "Manage dm-swapfail devices and make chosen swap I/O fail.\n\n",
	      f);
	for (i = 0; i < ARRAY_SIZE(sf_verbs); i++)
		fprintf(f, "  swapfail %s\n", sf_verbs[i].usage);
	fputs("\nEvery verb takes -h (--help), -v (--verbose: libdevmapper's\n"
	      "messages too) and --noudevsync (do not wait for udev).\n"
	      "Exit status: 0 ok, 1 failure, 2 usage, 3 no such device or not\n"
	      "swapfail, 4 the kernel refused, 5 page not in swap on the device,\n"
	      "6 permission denied, 7 the page's slot cannot be followed to a\n"
	      "swapfail block (a layer swapfail cannot see through, a refused\n"
	      "extent, zswap, shared memory).  See swapfail(8).\n", f);
}

static void sf_help(const struct sf_verb *v, FILE *f)
{
	if (!v) {
		sf_help_all(f);
		return;
	}
	fprintf(f, "Usage: swapfail %s\n%s", v->usage, v->help);
	fputs("  -h, --help  -v, --verbose  --noudevsync\n", f);
}

static int sf_cmd_help(int argc, char **argv)
{
	static const struct option opts[] = { SF_OPTS_COMMON };
	const struct sf_verb *v = NULL;
	int r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON, opts, NULL, NULL, 0, 1);
	if (r)
		return r;
	if (optind < argc) {
		v = sf_verb_find(argv[optind]);
		if (!v)
			return sf_usage_err("no verb '%s'", argv[optind]);
	}
	sf_help(v, stdout);
	return 0;
}

/* Options before the verb; returns the verb's index in argv. */
static int sf_global_opts(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", no_argument, NULL, 'V' },
		SF_OPTS_COMMON
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+" SF_SHORT_COMMON, opts,
				NULL)) != -1) {
		if (c == 'V') {
			printf("swapfail %d.%d.%d\n", SWAPFAIL_VERSION_MAJOR,
			       SWAPFAIL_VERSION_MINOR, SWAPFAIL_VERSION_PATCH);
			exit(SF_EXIT_OK);
		}
		if (sf_opt_common(c, argv))
			return -SF_EUSAGE;
	}
	if (optind == argc)
		return sf_usage_err("no verb given");
	return optind;
}

int main(int argc, char **argv)
{
	const struct sf_verb *v;
	int i, r;

	i = sf_global_opts(argc, argv);
	if (i < 0)
		return sf_exit_code(i);
	v = sf_verb_find(argv[i]);
	if (!v)
		return sf_exit_code(sf_usage_err("no verb '%s'", argv[i]));
	sf_verb = v->name;
	sf_dm_setup();
	r = v->fn(argc - i, argv + i);
	sf_json_failed(r);
	sf_stack_free();
	sf_intern_free();
	return sf_exit_code(r);
}
