// SPDX-License-Identifier: GPL-2.0-only
/*
 * swapfail(8): manage dm-swapfail devices, their bad-block tables and
 * their policy, aim failures at the swapped pages of a process, and run
 * fault plans against a command.
 *
 * This file is main: the verb table, as dmsetup's command table, with
 * each verb's operand counts, options and help, and the one dispatcher
 * that parses the options, checks the counts, reads the device and calls
 * the verb.  The verbs live in the sf-*.c files (see swapfail.h).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "swapfail.h"

struct sf_verb {
	const char *name;
	int (*run)(struct sf_cmd *c);
	const char *msg;		/* a message verb: the target's word */
	int min, max;			/* operands, NAME included; -1: any */
	unsigned int flags;		/* SF_V_* */
	const struct sf_optset *opts;	/* its own options, if any */
	const char *usage;
	const char *help;
};

#define SF_ERRORS	"EIO ENODATA ENOLINK ETIMEDOUT ENOSPC EILSEQ EREMOTEIO"
#define SF_RANGES	"RANGE is A, A-B or A+N, in blocks from the start of the device.\n"
#define SF_NAME_HELP	"NAME is the device's name, /dev/mapper/NAME, /dev/dm-N or MAJ:MIN.\n"
#define SF_TABLE_HELP \
	"  -o, --output LIST  the columns, comma-separated (see below)\n" \
	"  -n, --noheadings   no heading line\n" \
	"  -r, --raw          columns split by one space, nothing aligned\n" \
	"  -J, --json         JSON (every column, whatever -o says)\n"
#define SF_ACTION_HELP \
	"  -e, --error E      fail with E: " SF_ERRORS "\n" \
	"      --delay T[~J]  delay by T, give or take J (500us, 1.5s, 2m)\n" \
	"      --hold[=T]     hold until released (or for T at most)\n" \
	"      --drop         a write completes, writing nothing\n" \
	"      --corrupt xor|random  change the data: --at B (first byte),\n" \
	"                     --bytes N (1-64), --xor HH (mask) or --corrupt-seed S\n" \
	"      --match swap   writes: swap-outs only\n"
#define SF_ATTR_HELP \
	"  -m, --mode M       read (the default: reads fail, a write heals),\n" \
	"                     write (writes fail) or rw (both fail)\n" \
	"  -c, --count N      fail N I/Os in all, then forget the blocks\n" \
	"      --wr-fail K    mode read: the first K writes fail before one heals\n" \
	SF_ACTION_HELP
#define SF_PAGES_HELP \
	"  -p, --pid PID         the process\n" \
	"  -a, --addr A[-B]      the page at A, or the pages of [A, B) (hex, 0x\n" \
	"                        optional, as /proc/PID/maps writes them)\n" \
	"      --pages N         N pages from A\n" \
	"  -M, --map M           the mappings /proc/PID/maps names M ('[heap]', a path)\n"

static const struct sf_verb sf_verbs[] = {
	{ "create", sf_cmd_create, NULL, 2, 2, SF_V_JSON, &sf_create_optset,
	  "create NAME DEV [options]",
	  "Create /dev/mapper/NAME, a swapfail device over block device DEV (from\n"
	  "--offset to its end), and print the node's path.\n"
	  "  -b, --block-size B     bytes per block of the bad-block table: a power\n"
	  "                         of two from 512 (default 4096, one swap slot; 4k)\n"
	  "      --offset S         where on DEV to start: sectors, or a size (1M)\n"
	  "      --start-enabled    fail I/O at once (default: bypass until enable)\n"
	  "  -q, --quiet            no kernel log line per failed I/O\n"
	  "      --every-nth-read N   fail every Nth read\n"
	  "      --every-nth-write N  fail every Nth write\n"
	  "  -e, --error E          the device's error: " SF_ERRORS "\n"
	  "  -J, --json             {\"name\", \"path\", \"dev\"}\n" },
	{ "remove", sf_cmd_remove, NULL, 1, 1, SF_V_DEVICE, NULL, "remove NAME",
	  "Remove swapfail device NAME (it must not be in use).\n" SF_NAME_HELP },
	{ "ls", sf_cmd_ls, NULL, 0, 0, SF_V_JSON | SF_V_TABLE, NULL,
	  "ls [options]",
	  "List every swapfail device: name, path, size, block size, whether it\n"
	  "fails I/O (enabled), its table and the I/O it holds.\n"
	  SF_TABLE_HELP },
	{ "status", sf_cmd_status, NULL, 1, 1, SF_V_DEVICE | SF_V_JSON, NULL,
	  "status NAME [--json]",
	  "Show the device, its policy, each trigger's action and the counters.\n"
	  SF_NAME_HELP
	  "  -J, --json     one JSON object\n" },
	{ "watch", sf_cmd_watch, NULL, 1, 1, SF_V_DEVICE | SF_V_JSON,
	  &sf_watch_optset, "watch NAME [--interval T] [--count N] [--json]",
	  "Show the counters and their rates per second, every T.\n"
	  "On a terminal the screen is redrawn, otherwise one line per sample.\n"
	  "  -i, --interval T   between samples (default 1s; 100ms, 0.5s, 2m)\n"
	  "  -c, --count N      stop after N samples (default: until interrupted)\n"
	  "  -J, --json         one JSON object per sample and line (NDJSON)\n" },
	{ "enable", sf_cmd_message, "enable", 1, 1, SF_V_DEVICE | SF_V_CHECK, NULL,
	  "enable NAME",
	  "Start failing I/O as the table and the policy say.\n" },
	{ "disable", sf_cmd_message, "disable", 1, 1, SF_V_DEVICE | SF_V_CHECK, NULL,
	  "disable NAME",
	  "Stop failing I/O (bypass); the table is kept.\n" },
	{ "quiet", sf_cmd_message, "quiet", 2, 2, SF_V_DEVICE | SF_V_CHECK, NULL,
	  "quiet NAME on|off",
	  "Turn the kernel log line per failed I/O off (on) or on (off).\n" },
	{ "every-nth", sf_cmd_trigger, "every_nth", 3, 3, SF_V_DEVICE | SF_V_CHECK,
	  &sf_action_optset, "every-nth NAME read|write N [options]",
	  "Fault every Nth read or write from now on; 0 turns it off.\n"
	  SF_ACTION_HELP },
	{ "probability", sf_cmd_trigger, "probability", 3, 3, SF_V_DEVICE | SF_V_CHECK,
	  &sf_action_optset, "probability NAME read|write P [options]",
	  "Fault each read or write with probability P (0 to 1, 0.001 or 0.1%),\n"
	  "drawn from the device's seeded generator; 0 turns it off.\n"
	  SF_ACTION_HELP },
	{ "seed", sf_cmd_message, "seed", 2, 2, SF_V_DEVICE | SF_V_CHECK, NULL, "seed NAME S",
	  "Restart the generator of probabilities and jitter from seed S:\n"
	  "the same I/O then meets the same faults.\n" },
	{ "held", sf_cmd_held, NULL, 1, 1,
	  SF_V_DEVICE | SF_V_JSON | SF_V_TABLE, NULL, "held NAME [options]",
	  "List the I/O being held: its blocks, direction, how long it has been\n"
	  "held and what held it.\n" SF_TABLE_HELP },
	{ "release", sf_cmd_release, NULL, 1, -1, SF_V_DEVICE | SF_V_CHECK,
	  &sf_release_optset, "release NAME [RANGE...] [--fail] [--error E]",
	  "Send on the held I/O (over the ranges, or all), or with --fail (or\n"
	  "--error E) complete it with an error.\n" SF_RANGES
	  "      --fail         fail it with the device's error\n"
	  "  -e, --error E      fail it with E\n" },
	{ "error", sf_cmd_message, "error", 2, 2, SF_V_DEVICE | SF_V_CHECK, NULL,
	  "error NAME E", "Set the device's error: " SF_ERRORS ".\n" },
	{ "reset-stats", sf_cmd_message, "reset_stats", 1, 1, SF_V_DEVICE | SF_V_CHECK, NULL,
	  "reset-stats NAME",
	  "Count I/Os, errors and healed blocks from zero.\n" },
	{ "trace", sf_cmd_trace, NULL, 1, 1, SF_V_DEVICE | SF_V_JSON,
	  &sf_trace_optset, "trace NAME [--count N] [--json]",
	  "Print one line per fault injected on NAME, as it happens, from the\n"
	  "target's tracepoints: the time, the process the I/O came from (pid and\n"
	  "name), then the fault or the corruption, every field as the kernel\n"
	  "recorded it.\n"
	  "  -c, --count N   stop after N faults (default: until interrupted)\n"
	  "  -J, --json      one JSON object per event and line (NDJSON)\n" },
	{ "add", sf_cmd_add, "add", 2, -1, SF_V_DEVICE | SF_V_CHECK, &sf_add_optset,
	  "add NAME RANGE... [options]",
	  "Add bad blocks, in one message: the ranges may not overlap the table\n"
	  "or each other.\n" SF_RANGES SF_ATTR_HELP },
	{ "del", sf_cmd_message, "remove", 2, -1, SF_V_DEVICE | SF_V_CHECK, NULL,
	  "del NAME RANGE...",
	  "Delete the bad blocks in the ranges (each must hold one) from the table.\n"
	  SF_RANGES },
	{ "list", sf_cmd_list, NULL, 1, -1, SF_V_DEVICE | SF_V_JSON | SF_V_TABLE,
	  NULL, "list NAME [RANGE...] [options]",
	  "List the table's extents (those overlapping the ranges, if given): the\n"
	  "blocks, mode, count, wr_fail, error and action of each.\n"
	  SF_RANGES SF_TABLE_HELP },
	{ "query", sf_cmd_query, NULL, 2, -1,
	  SF_V_DEVICE | SF_V_JSON | SF_V_TABLE, NULL,
	  "query NAME RANGE... [options]",
	  "Print how many bad blocks each range holds.\n" SF_RANGES SF_TABLE_HELP },
	{ "count", sf_cmd_count, NULL, 1, -1, SF_V_DEVICE | SF_V_JSON, NULL,
	  "count NAME [RANGE...] [--json]",
	  "Print extents=E blocks=B for the table (or within the ranges).\n"
	  SF_RANGES "  -J, --json     {\"extents\", \"blocks\"}\n" },
	{ "clear", sf_cmd_message, "clear", 1, 1, SF_V_DEVICE | SF_V_CHECK, NULL,
	  "clear NAME", "Empty the table.\n" },
	{ "slots", sf_cmd_slots, NULL, 0, 0, SF_V_JSON | SF_V_TABLE,
	  &sf_slots_optset,
	  "slots --pid PID [--addr A[-B] [--pages N] | --map M] [options]",
	  "List the swapped pages of process PID: address, swap area, slot, the\n"
	  "sector the kernel reads it from, and the swapfail device and block that\n"
	  "hold it, through partitions, dm-linear (LVM) and dm-crypt, for swap\n"
	  "partitions and swap files (ext4, XFS, btrfs).  Needs CAP_SYS_ADMIN\n"
	  "(pagemap shows slots to it only).  Says when zswap may hold the pages,\n"
	  "and how much shared memory is in swap, whose slots pagemap does not show.\n"
	  "Without --addr or --map: every mapping with pages in swap.\n"
	  SF_PAGES_HELP
	  "      --allow-unwritten  give swap files' unwritten extents a block too\n"
	  SF_TABLE_HELP },
	{ "target", sf_cmd_target, NULL, 1, 1, SF_V_DEVICE | SF_V_JSON,
	  &sf_target_optset,
	  "target NAME --pid PID (--addr A[-B] | --map M) [options]",
	  "Make pages of process PID fail: add the blocks of their swap slots on\n"
	  "NAME, in one message.  With --addr A (--pages N) or --addr A-B every\n"
	  "page must be in swap on NAME, else nothing is added; with --map M, or\n"
	  "--addr A-B and --all or --random, the pages are chosen among those in\n"
	  "swap on NAME.\n"
	  SF_PAGES_HELP
	  "      --all           every page of --map or --addr A-B in swap on NAME\n"
	  "      --random N      N of them, chosen at random...\n"
	  "      --seed S        ...from seed S (default: the time; printed)\n"
	  "      --writeback     push the pages through zswap to the device first\n"
	  "                      (memory.zswap.writeback: Linux 6.8 and later)\n"
	  "      --allow-unwritten  target pages in unwritten (preallocated)\n"
	  "                      extents of a swap file\n"
	  "  -J, --json          one JSON object (see swapfail(8))\n"
	  SF_ATTR_HELP },
	{ "pageout", sf_cmd_pageout, NULL, 0, 0, SF_V_JSON, &sf_pageout_optset,
	  "pageout --pid PID [--addr A[-B] [--pages N] | --map M] [options]",
	  "Push pages of process PID out to swap, and wait until they are at rest\n"
	  "there (written, and out of the swap cache), so that the next access\n"
	  "reads the swap device: all of the process's memory by reclaim in its\n"
	  "memory cgroup, or the pages named by process_madvise(MADV_PAGEOUT).\n"
	  SF_PAGES_HELP
	  "  -t, --timeout T       give up after T (default 10s)\n"
	  "  -J, --json            one JSON object\n" },
	{ "resolve", sf_cmd_resolve, NULL, 0, -1, SF_V_JSON, NULL,
	  "resolve [--json] [MAJ:MIN:SECTOR...]",
	  "From the kernel's 'Read-error on swap-device (MAJ:MIN:SECTOR)' (or\n"
	  "Write-error) back to the page: the swap area and slot, the swapfail\n"
	  "device and block and what its table says of it, and the live processes\n"
	  "that still have a page in that slot.  Without operands, reads log lines\n"
	  "(dmesg) on stdin.  Needs CAP_SYS_ADMIN.\n"
	  "  -J, --json     one JSON object (see swapfail(8))\n" },
	{ "run", sf_cmd_run, NULL, 1, -1, SF_V_JSON, &sf_run_optset,
	  "run PLAN [options] -- COMMAND [ARG...]",
	  "Run COMMAND under the fault plan PLAN (a file, or the name of an\n"
	  "installed plan; see swapfail(8), FAULT PLANS): set up the device, swap\n"
	  "and the command's memory cgroup, run COMMAND, inject the plan's faults\n"
	  "on its timeline, record the device's status and every traced fault, tear\n"
	  "everything down whatever happens, and print what happened: what was\n"
	  "injected, how COMMAND ended (exit status, signal and address), what the\n"
	  "kernel logged, and whether the plan's expectations held.\n"
	  "      --check        only read the plan: print it, or what is wrong\n"
	  "      --record FILE  the status samples and faults, one JSON object a\n"
	  "                     line\n"
	  "  -J, --json         the summary as one JSON object; COMMAND's stdout\n"
	  "                     goes to stderr\n" },
	{ "help", NULL, NULL, 0, 1, 0, NULL, "help [VERB]",
	  "Show the verbs, or one verb's help.\n" },
};

/* The verb being run, for the dispatcher's option handler. */
static const struct sf_verb *sf_current;

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

	fputs("Usage: swapfail [-v] [--noudevsync] [--check] VERB [ARGS]\n"
	      "Manage dm-swapfail devices, make chosen swap I/O fail, run fault plans.\n\n",
	      f);
	for (i = 0; i < ARRAY_SIZE(sf_verbs); i++)
		fprintf(f, "  swapfail %s\n", sf_verbs[i].usage);
	fputs("\nEvery verb takes -h (--help), -v (--verbose: libdevmapper's\n"
	      "messages too), --noudevsync (do not wait for udev) and --check\n"
	      "(check the command line, and a plan, and do nothing).\n"
	      "Exit status: 0 ok, 1 failure, 2 usage, 3 no such device or not\n"
	      "swapfail, 4 the kernel refused, 5 page not in swap on the device,\n"
	      "6 permission denied, 7 the page's slot cannot be followed to a\n"
	      "swapfail block (a layer swapfail cannot see through, a refused\n"
	      "extent, zswap, shared memory).  See swapfail(8).\n", f);
}

/* A verb's columns, for its help: what -o may name. */
struct sf_verb_cols {
	const char *verb;
	const struct sf_col *cols;
	unsigned int nr;
};

static void sf_help_cols(const struct sf_verb *v, FILE *f)
{
	const struct sf_verb_cols table[] = {
		{ "ls", sf_ls_cols, sf_ls_nr_cols },
		{ "held", sf_held_cols, sf_held_nr_cols },
		{ "list", sf_list_cols, sf_list_nr_cols },
		{ "query", sf_query_cols, sf_query_nr_cols },
		{ "slots", sf_slots_cols, sf_slots_nr_cols },
	};
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(table); i++) {
		if (strcmp(table[i].verb, v->name))
			continue;
		fputs("\nAvailable output columns:\n", f);
		for (k = 0; k < table[i].nr; k++)
			fprintf(f, "  %-12s %s\n", table[i].cols[k].name,
				table[i].cols[k].help);
	}
}

static void sf_help(const struct sf_verb *v, FILE *f)
{
	if (!v) {
		sf_help_all(f);
		return;
	}
	fprintf(f, "Usage: swapfail %s\n%s", v->usage, v->help);
	fputs("  -h, --help  -v, --verbose  --noudevsync  --check\n", f);
	sf_help_cols(v, f);
}

/* The options of every verb, and those its flags give it. */
static const struct option sf_common_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "noudevsync", no_argument, NULL, SF_OPT_NOUDEVSYNC },
	{ "check", no_argument, NULL, SF_OPT_CHECK },
};

static const struct option sf_json_opts[] = {
	{ "json", no_argument, NULL, 'J' },
};

static const struct option sf_table_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "raw", no_argument, NULL, 'r' },
};

/* The options of every verb and of none (before the verb): 1 if not one. */
static int sf_common_opt(int c, const struct sf_verb *v)
{
	switch (c) {
	case 'h':
		sf_help(v, stdout);
		exit(sf_close_stdout() ? SF_EXIT_FAILURE : SF_EXIT_OK);
	case 'v':
		sf_opts.verbose = true;
		return 0;
	case SF_OPT_NOUDEVSYNC:
		sf_opts.noudevsync = true;
		return 0;
	case SF_OPT_CHECK:
		sf_opts.check = true;
		return 0;
	}
	return 1;
}

static int sf_dispatch_opt(int c, const char *arg)
{
	const struct sf_optset *os = sf_current->opts;
	int r = os ? os->fn(c, arg) : 1;

	if (r > 0)
		r = sf_common_opt(c, sf_current);
	if (r <= 0)
		return r;
	switch (c) {
	case 'J':
	case 'j':
		sf_opts.json = true;
		return 0;
	case 'o':
		sf_opts.output = arg;
		return 0;
	case 'n':
		sf_opts.noheadings = true;
		return 0;
	case 'r':
		sf_opts.raw = true;
		return 0;
	}
	return 1;
}

static void sf_opts_add(struct option *all, unsigned int *n,
			const struct option *o, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr && o[i].name; i++)
		all[(*n)++] = o[i];
}

/* Parse @v's options: its own, its flags', the common ones. */
static int sf_dispatch_getopt(const struct sf_verb *v, int argc, char **argv)
{
	struct option all[64] = { { NULL } };
	char shortopts[64];
	unsigned int n = 0;

	snprintf(shortopts, sizeof(shortopts), "%s%s%shv",
		 v->opts ? v->opts->shortopts : "",
		 v->flags & SF_V_JSON ? "Jj" : "",
		 v->flags & SF_V_TABLE ? "o:nr" : "");
	if (v->opts)
		sf_opts_add(all, &n, v->opts->longopts, ARRAY_SIZE(all) - 8);
	if (v->flags & SF_V_JSON)
		sf_opts_add(all, &n, sf_json_opts, ARRAY_SIZE(sf_json_opts));
	if (v->flags & SF_V_TABLE)
		sf_opts_add(all, &n, sf_table_opts, ARRAY_SIZE(sf_table_opts));
	sf_opts_add(all, &n, sf_common_opts, ARRAY_SIZE(sf_common_opts));
	sf_current = v;
	return sf_getopt(argc, argv, shortopts, all, sf_dispatch_opt);
}

static int sf_cmd_help(int argc, char **argv)
{
	const struct sf_verb *v = NULL;

	if (argc) {
		v = sf_verb_find(argv[0]);
		if (!v)
			return sf_usage_err("no verb '%s'", argv[0]);
	}
	sf_help(v, stdout);
	return 0;
}

/*
 * The one dispatcher: options, operand counts, the device (SF_V_DEVICE),
 * then the verb with the operands after the device.
 */
static int sf_dispatch(const struct sf_verb *v, int argc, char **argv)
{
	struct sf_table t;
	struct sf_cmd c = { .msg = v->msg };
	int r, n;

	/* --json anywhere: even a refused command line answers in JSON */
	for (n = 1; (v->flags & SF_V_JSON) && n < argc; n++) {
		if (!strcmp(argv[n], "--"))
			break;
		if (!strcmp(argv[n], "--json") || !strcmp(argv[n], "-J") ||
		    !strcmp(argv[n], "-j"))
			sf_opts.json = true;
	}
	r = sf_dispatch_getopt(v, argc, argv);
	if (r)
		return r;
	n = argc - optind;
	if (n < v->min)
		return sf_usage_err("too few arguments (see swapfail %s --help)",
				    v->name);
	if (v->max >= 0 && n > v->max)
		return sf_usage_err("unexpected argument '%s'",
				    argv[optind + v->max]);
	c.argc = n;
	c.argv = argv + optind;
	if (!v->run)
		return sf_cmd_help(c.argc, c.argv);
	/*
	 * --check: the command line is good; run checks its plan, and the
	 * message verbs their words, without a device
	 */
	if (sf_opts.check && (v->flags & SF_V_CHECK)) {
		c.argc--;
		c.argv++;
		return v->run(&c);
	}
	if (sf_opts.check && v->run != sf_cmd_run)
		return 0;
	if (!(v->flags & SF_V_DEVICE))
		return v->run(&c);
	r = sf_table_get(argv[optind], &t);
	if (r)
		return r;
	c.t = &t;
	c.argc--;
	c.argv++;
	r = v->run(&c);
	sf_table_free(&t);
	return r;
}

/* Options before the verb; returns the verb's index in argv. */
static int sf_global_opt(int c, const char *arg)
{
	switch (c) {
	case 'V':
		printf("swapfail %d.%d.%d\n", SWAPFAIL_VERSION_MAJOR,
		       SWAPFAIL_VERSION_MINOR, SWAPFAIL_VERSION_PATCH);
		exit(sf_close_stdout() ? SF_EXIT_FAILURE : SF_EXIT_OK);
	}
	return sf_common_opt(c, NULL);
}

static int sf_global_opts(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "noudevsync", no_argument, NULL, SF_OPT_NOUDEVSYNC },
		{ "check", no_argument, NULL, SF_OPT_CHECK },
		{ NULL, 0, NULL, 0 }
	};
	int r;

	r = sf_getopt(argc, argv, "+Vhv", opts, sf_global_opt);
	if (r)
		return r;
	if (optind == argc)
		return sf_usage_err("no verb given");
	return optind;
}

int main(int argc, char **argv)
{
	const struct sf_verb *v;
	int i, r;

	/*
	 * A reader that goes away makes writes fail with EPIPE instead of
	 * killing the tool: trace and run must tear down what they set up.
	 */
	signal(SIGPIPE, SIG_IGN);
	i = sf_global_opts(argc, argv);
	if (i < 0) {
		r = i;
		goto out;
	}
	v = sf_verb_find(argv[i]);
	if (!v) {
		r = sf_usage_err("no verb '%s'", argv[i]);
		goto out;
	}
	sf_verb = v->name;
	sf_dm_setup();
	r = sf_dispatch(v, argc - i, argv + i);
	sf_json_failed(r);
	sf_stack_free();
	sf_intern_free();
out:
	if (sf_close_stdout())
		return SF_EXIT_FAILURE;
	return sf_exit_code(r);
}
