// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-status.c: the target's status INFO line, shown by status (as text
 * or JSON) and sampled by watch.
 *
 * INFO is one line of key=value fields, always in this order (see
 * docs/admin-guide.md): mode quiet extents blocks reads writes
 * read_errors write_errors healed deferred every_nth_read every_nth_write
 * error.  Each must be there; unknown keys are ignored.  The second
 * edition's (delayed held dropped corrupted among the counters;
 * probability_read probability_write seed delaying holding at the end)
 * are shown when the module prints them.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "swapfail.h"

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
	SF_I_NR
};

static const char * const sf_info_keys[SF_I_NR] = {
	"mode", "quiet", "extents", "blocks", "reads", "writes",
	"read_errors", "write_errors", "healed", "deferred",
	"every_nth_read", "every_nth_write", "error",
	"delayed", "held", "dropped", "corrupted",
	"probability_read", "probability_write", "seed", "delaying",
	"holding",
};

struct sf_info {
	char *buf;
	const char *val[SF_I_NR];
	u64 num[SF_I_NR];
};

static bool sf_field_numeric(int i)
{
	return (i >= SF_I_EXTENTS && i <= SF_I_NTH_WRITE) ||
	       (i >= SF_I_DELAYED && i <= SF_I_CORRUPTED) || i >= SF_I_SEED;
}

static int sf_info_field(struct sf_info *in, char *word)
{
	char *eq = strchr(word, '=');
	int i;

	if (!eq)
		return -EPROTO;
	*eq = '\0';
	for (i = 0; i < SF_I_NR; i++) {
		if (strcmp(word, sf_info_keys[i]))
			continue;
		in->val[i] = eq + 1;
		if (sf_field_numeric(i) &&
		    swapfail_parse_u64(eq + 1, &in->num[i]))
			return -EPROTO;
	}
	return 0;
}

/* Read and parse the INFO of @t's swapfail target. */
static int sf_info_get(const struct sf_table *t, struct sf_info *in)
{
	char *save = NULL, *w;
	int r, i;

	memset(in, 0, sizeof(*in));
	r = sf_dm_info(t, &in->buf);
	if (r)
		return r;
	for (w = strtok_r(in->buf, " ", &save); w && !r;
	     w = strtok_r(NULL, " ", &save))
		r = sf_info_field(in, w);
	for (i = 0; i < SF_I_REQUIRED && !r; i++)
		if (!in->val[i])
			r = -EPROTO;
	if (r)
		sf_err("%s: unexpected status line (is the module newer than swapfail?)",
		       t->name);
	return r;
}

static void sf_info_free(struct sf_info *in)
{
	free(in->buf);
	in->buf = NULL;
}

/* The device facts status shows before the INFO fields. */
struct sf_facts {
	const char *name;
	char device[PATH_MAX];
	u64 num[5];
};

static const char * const sf_fact_keys[] = {
	"offset", "block_size", "start", "sectors", "nr_blocks",
};

static void sf_facts_get(const struct sf_table *t, struct sf_facts *f)
{
	const struct sf_target *sf = t->sf;

	f->name = t->name;
	sf_dev_path(sf->args.dev_path, f->device, sizeof(f->device));
	f->num[0] = sf->args.offset;
	f->num[1] = sf->args.block_size;
	f->num[2] = sf->start;
	f->num[3] = sf->len;
	f->num[4] = sf->nr_blocks;
}

static void sf_status_text(const struct sf_facts *f, const struct sf_info *in)
{
	unsigned int i;

	printf("%-18s%s\n", "name", f->name);
	printf("%-18s%s\n", "device", f->device);
	for (i = 0; i < ARRAY_SIZE(sf_fact_keys); i++)
		printf("%-18s%llu\n", sf_fact_keys[i],
		       (unsigned long long)f->num[i]);
	for (i = 0; i < SF_I_NR; i++)
		if (in->val[i])
			printf("%-18s%s\n", sf_info_keys[i], in->val[i]);
}

static void sf_status_json(const struct sf_facts *f, const struct sf_info *in)
{
	unsigned int i;

	sf_jopen(NULL, '{');
	sf_jstr("name", f->name);
	sf_jstr("device", f->device);
	for (i = 0; i < ARRAY_SIZE(sf_fact_keys); i++)
		sf_ju64(sf_fact_keys[i], f->num[i]);
	for (i = 0; i < SF_I_NR; i++) {
		if (!in->val[i])
			continue;
		if (sf_field_numeric(i))
			sf_ju64(sf_info_keys[i], in->num[i]);
		else
			sf_jstr(sf_info_keys[i], in->val[i]);
	}
	sf_jclose();
}

static int sf_status_opt(int c, const char *arg, void *ctx)
{
	if (c != 'j')
		return 1;
	sf_opts.json = true;
	return 0;
}

int sf_cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		SF_OPTS_COMMON
	};
	struct sf_facts facts;
	struct sf_info in;
	struct sf_table t;
	int r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON "j", opts, sf_status_opt,
		      NULL, 1, 1);
	if (r)
		return r;
	r = sf_table_get(argv[optind], &t);
	if (r)
		return r;
	r = sf_info_get(&t, &in);
	if (!r) {
		sf_facts_get(&t, &facts);
		if (sf_opts.json)
			sf_status_json(&facts, &in);
		else
			sf_status_text(&facts, &in);
	}
	sf_info_free(&in);
	sf_table_free(&t);
	return r;
}

/* watch */

/* The counters watch shows a rate for. */
static const enum sf_field sf_rated[] = {
	SF_I_READS, SF_I_WRITES, SF_I_READ_ERRORS, SF_I_WRITE_ERRORS,
	SF_I_HEALED, SF_I_DEFERRED,
};

struct sf_watch {
	double interval;
	u64 count;
	bool tty;
	u64 n;				/* samples taken */
	double t, prev_t;		/* when, in seconds */
	u64 prev[SF_I_NR];
	struct sf_info in;
};

/* Per second since the last sample; negative: no last sample. */
static double sf_rate(const struct sf_watch *w, enum sf_field i)
{
	u64 now = w->in.num[i], then = w->prev[i];
	double dt = w->t - w->prev_t;

	if (!w->n || dt <= 0)
		return -1;
	/* reset_stats in between: count from zero */
	return (now >= then ? now - then : now) / dt;
}

static void sf_put_rate(double rate, int width)
{
	if (rate < 0)
		printf(" %*s", width, "-");
	else
		printf(" %*.1f", width, rate);
}

/* One line per sample, for scripts: counter, its rate, ... */
static void sf_watch_line(const struct sf_watch *w)
{
	static const char * const heads[] = {
		"reads", "read/s", "writes", "write/s", "read_err",
		"read_err/s", "write_err", "write_err/s", "healed",
		"healed/s", "deferred", "deferred/s",
	};
	unsigned int i;

	if (!w->n) {
		for (i = 0; i < ARRAY_SIZE(heads); i++)
			printf("%s%11s", i ? " " : "", heads[i]);
		printf(" %8s %10s %s\n", "extents", "blocks", "mode");
	}
	for (i = 0; i < ARRAY_SIZE(sf_rated); i++) {
		printf("%s%11llu", i ? " " : "",
		       (unsigned long long)w->in.num[sf_rated[i]]);
		sf_put_rate(sf_rate(w, sf_rated[i]), 11);
	}
	printf(" %8llu %10llu %s\n",
	       (unsigned long long)w->in.num[SF_I_EXTENTS],
	       (unsigned long long)w->in.num[SF_I_BLOCKS],
	       w->in.val[SF_I_MODE]);
}

/* The terminal view: redrawn in place every sample. */
static void sf_watch_screen(const struct sf_table *t, const struct sf_watch *w)
{
	const struct sf_info *in = &w->in;
	unsigned int i;

	printf("\033[H\033[2J");
	printf("swapfail watch %s, every %gs (sample %llu)\n\n", t->name,
	       w->interval, (unsigned long long)w->n + 1);
	printf("mode %s, quiet %s, error %s, every_nth_read %s, every_nth_write %s\n",
	       in->val[SF_I_MODE], in->val[SF_I_QUIET], in->val[SF_I_ERROR],
	       in->val[SF_I_NTH_READ], in->val[SF_I_NTH_WRITE]);
	printf("table: %s extents, %s blocks\n\n", in->val[SF_I_EXTENTS],
	       in->val[SF_I_BLOCKS]);
	printf("%-14s %14s %14s\n", "", "total", "per second");
	for (i = 0; i < ARRAY_SIZE(sf_rated); i++) {
		printf("%-14s %14llu", sf_info_keys[sf_rated[i]],
		       (unsigned long long)in->num[sf_rated[i]]);
		sf_put_rate(sf_rate(w, sf_rated[i]), 14);
		putchar('\n');
	}
	if (in->val[SF_I_DELAYED])
		printf("\nactions: delayed %s, held %s, dropped %s, corrupted %s; delaying %s, holding %s now\n",
		       in->val[SF_I_DELAYED], in->val[SF_I_HELD],
		       in->val[SF_I_DROPPED], in->val[SF_I_CORRUPTED],
		       in->val[SF_I_DELAYING], in->val[SF_I_HOLDING]);
}

static void sf_watch_sleep(double seconds)
{
	struct timespec ts = {
		.tv_sec = (time_t)seconds,
		.tv_nsec = (long)((seconds - floor(seconds)) * 1e9),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static double sf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sf_watch_loop(const struct sf_table *t, struct sf_watch *w)
{
	unsigned int i;
	int r;

	for (w->n = 0; !w->count || w->n < w->count; w->n++) {
		if (w->n)
			sf_watch_sleep(w->interval);
		r = sf_info_get(t, &w->in);
		if (r)
			return r;
		w->t = sf_now();
		if (w->tty)
			sf_watch_screen(t, w);
		else
			sf_watch_line(w);
		fflush(stdout);
		for (i = 0; i < SF_I_NR; i++)
			w->prev[i] = w->in.num[i];
		w->prev_t = w->t;
		sf_info_free(&w->in);
	}
	return 0;
}

static int sf_watch_opt(int c, const char *arg, void *ctx)
{
	struct sf_watch *w = ctx;
	char *end;

	switch (c) {
	case 'i':
		w->interval = strtod(arg, &end);
		if (*end || end == arg || !(w->interval >= 0.01) ||
		    w->interval > 86400)
			return sf_usage_err("--interval %s: give seconds from 0.01 to 86400",
					    arg);
		return 0;
	case 'c':
		return sf_parse_u64_arg("--count", arg, &w->count);
	}
	return 1;
}

int sf_cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		SF_OPTS_COMMON
	};
	struct sf_watch w = { .interval = 1 };
	struct sf_table t;
	int r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON "i:c:", opts, sf_watch_opt,
		      &w, 1, 1);
	if (r)
		return r;
	r = sf_table_get(argv[optind], &t);
	if (r)
		return r;
	w.tty = isatty(STDOUT_FILENO);
	r = sf_watch_loop(&t, &w);
	sf_table_free(&t);
	return r;
}
