// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-status.c: the target's status INFO line, shown by status (as text
 * or JSON), sampled by watch and summed up by ls.
 *
 * INFO is one line of key=value fields (see docs/admin-guide.md), read
 * here by key, whatever their order: the first edition's (mode quiet
 * extents blocks reads writes read_errors write_errors healed deferred
 * every_nth_read every_nth_write error) must be there; the later ones
 * (delayed held dropped corrupted probability_read probability_write seed
 * delaying holding, then trigger_read and trigger_write, each trigger's
 * action) are shown when the module prints them, and are null in JSON
 * when it does not; unknown keys are ignored.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "swapfail.h"

enum sf_kind { SF_K_STR, SF_K_NUM, SF_K_PPB };

static const struct {
	const char *key;
	enum sf_kind kind;
} sf_info_keys[SF_I_NR] = {
	[SF_I_MODE] = { "mode", SF_K_STR },
	[SF_I_QUIET] = { "quiet", SF_K_STR },
	[SF_I_EXTENTS] = { "extents", SF_K_NUM },
	[SF_I_BLOCKS] = { "blocks", SF_K_NUM },
	[SF_I_READS] = { "reads", SF_K_NUM },
	[SF_I_WRITES] = { "writes", SF_K_NUM },
	[SF_I_READ_ERRORS] = { "read_errors", SF_K_NUM },
	[SF_I_WRITE_ERRORS] = { "write_errors", SF_K_NUM },
	[SF_I_HEALED] = { "healed", SF_K_NUM },
	[SF_I_DEFERRED] = { "deferred", SF_K_NUM },
	[SF_I_NTH_READ] = { "every_nth_read", SF_K_NUM },
	[SF_I_NTH_WRITE] = { "every_nth_write", SF_K_NUM },
	[SF_I_ERROR] = { "error", SF_K_STR },
	[SF_I_DELAYED] = { "delayed", SF_K_NUM },
	[SF_I_HELD] = { "held", SF_K_NUM },
	[SF_I_DROPPED] = { "dropped", SF_K_NUM },
	[SF_I_CORRUPTED] = { "corrupted", SF_K_NUM },
	[SF_I_PROB_READ] = { "probability_read", SF_K_PPB },
	[SF_I_PROB_WRITE] = { "probability_write", SF_K_PPB },
	[SF_I_SEED] = { "seed", SF_K_NUM },
	[SF_I_DELAYING] = { "delaying", SF_K_NUM },
	[SF_I_HOLDING] = { "holding", SF_K_NUM },
	[SF_I_TRIGGER_READ] = { "trigger_read", SF_K_STR },
	[SF_I_TRIGGER_WRITE] = { "trigger_write", SF_K_STR },
};

static int sf_info_field(struct sf_info *in, char *word)
{
	char *eq = strchr(word, '=');
	u32 ppb;
	int i;

	if (!eq)
		return -EPROTO;
	*eq = '\0';
	for (i = 0; i < SF_I_NR; i++) {
		if (strcmp(word, sf_info_keys[i].key))
			continue;
		in->val[i] = eq + 1;
		if (sf_info_keys[i].kind == SF_K_NUM &&
		    swapfail_parse_u64(eq + 1, &in->num[i]))
			return -EPROTO;
		if (sf_info_keys[i].kind == SF_K_PPB) {
			if (sf_scan_ppb(eq + 1, &ppb))
				return -EPROTO;
			in->num[i] = ppb;
		}
	}
	return 0;
}

/* Read and parse the INFO of @t's swapfail target. */
int sf_info_get(const struct sf_table *t, struct sf_info *in)
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

void sf_info_free(struct sf_info *in)
{
	free(in->buf);
	in->buf = NULL;
}

/* The device facts status shows before the INFO fields. */
static const char * const sf_fact_keys[] = {
	"offset", "block_size", "start", "sectors", "nr_blocks",
};

static void sf_facts(const struct sf_table *t, u64 *num, char *dev,
		     size_t size)
{
	const struct sf_target *sf = t->sf;

	sf_dev_path(sf->args.dev_path, dev, size);
	num[0] = sf->args.offset;
	num[1] = sf->args.block_size;
	num[2] = sf->start;
	num[3] = sf->len;
	num[4] = sf->nr_blocks;
}

static void sf_status_text(const struct sf_table *t, const struct sf_info *in)
{
	char device[PATH_MAX];
	unsigned int i;
	u64 num[5];

	sf_facts(t, num, device, sizeof(device));
	printf("%-18s%s\n", "name", t->name);
	printf("%-18s%s/%s\n", "path", sf_dm_dir(), t->name);
	printf("%-18s%u:%u\n", "dev", major(t->dev), minor(t->dev));
	printf("%-18s%s\n", "device", device);
	for (i = 0; i < ARRAY_SIZE(sf_fact_keys); i++)
		printf("%-18s%llu\n", sf_fact_keys[i],
		       (unsigned long long)num[i]);
	for (i = 0; i < SF_I_NR; i++)
		if (in->val[i])
			printf("%-18s%s\n", sf_info_keys[i].key, in->val[i]);
}

/* The members of status's JSON object, into the object the caller opened. */
void sf_info_json(const struct sf_table *t, const struct sf_info *in)
{
	char device[PATH_MAX], path[PATH_MAX];
	unsigned int i;
	u64 num[5];

	sf_facts(t, num, device, sizeof(device));
	snprintf(path, sizeof(path), "%s/%s", sf_dm_dir(), t->name);
	sf_jstr("name", t->name);
	sf_jstr("path", path);
	sf_jdev("dev", t->dev);
	sf_jstr("device", device);
	for (i = 0; i < ARRAY_SIZE(sf_fact_keys); i++)
		sf_ju64(sf_fact_keys[i], num[i]);
	for (i = 0; i < SF_I_NR; i++) {
		if (!in->val[i])
			sf_jnull(sf_info_keys[i].key);
		else if (sf_info_keys[i].kind == SF_K_NUM)
			sf_ju64(sf_info_keys[i].key, in->num[i]);
		else if (sf_info_keys[i].kind == SF_K_PPB)
			sf_jppb(sf_info_keys[i].key, in->num[i]);
		else
			sf_jstr(sf_info_keys[i].key, in->val[i]);
	}
}

/* status NAME */
int sf_cmd_status(struct sf_cmd *c)
{
	struct sf_info in;
	int r;

	r = sf_info_get(c->t, &in);
	if (!r && sf_opts.json) {
		sf_jopen(NULL, '{');
		sf_info_json(c->t, &in);
		sf_jclose();
	} else if (!r) {
		sf_status_text(c->t, &in);
	}
	sf_info_free(&in);
	return r;
}

/* ls */

enum { SF_LS_NAME, SF_LS_PATH, SF_LS_DEV, SF_LS_SIZE, SF_LS_BLOCK_SIZE,
       SF_LS_ENABLED, SF_LS_EXTENTS, SF_LS_BLOCKS, SF_LS_HELD, SF_LS_OPEN,
       SF_LS_DEVICE };

const struct sf_col sf_ls_cols[] = {
	[SF_LS_NAME] = { "NAME", "name", SF_COL_STR, false,
			 "the device-mapper name" },
	[SF_LS_PATH] = { "PATH", "path", SF_COL_STR, false, "its node" },
	[SF_LS_DEV] = { "MAJ:MIN", "dev", SF_COL_STR, false,
			"its device number" },
	[SF_LS_SIZE] = { "SIZE", "size", SF_COL_SIZE, true,
			 "the swapfail target's size (bytes in JSON)" },
	[SF_LS_BLOCK_SIZE] = { "BLOCK-SIZE", "block_size", SF_COL_NUM, true,
			       "bytes per block of its table" },
	[SF_LS_ENABLED] = { "ENABLED", "enabled", SF_COL_BOOL, false,
			    "whether it fails I/O (not bypassed)" },
	[SF_LS_EXTENTS] = { "EXTENTS", "extents", SF_COL_NUM, true,
			    "extents in its table" },
	[SF_LS_BLOCKS] = { "BLOCKS", "blocks", SF_COL_NUM, true,
			   "blocks in its table" },
	[SF_LS_HELD] = { "HELD", "held", SF_COL_NUM, true,
			 "I/Os it holds now" },
	[SF_LS_OPEN] = { "OPEN", "open", SF_COL_NUM, true,
			 "how many hold it open (swap, a mount...)" },
	[SF_LS_DEVICE] = { "DEVICE", "device", SF_COL_STR, false,
			   "the block device under it" },
};

const unsigned int sf_ls_nr_cols = ARRAY_SIZE(sf_ls_cols);

static int sf_ls_row(struct sf_cols *tb, const struct sf_table *t)
{
	char device[PATH_MAX];
	struct sf_info in;
	u64 num[5];
	int r, open;

	r = sf_info_get(t, &in);
	if (r)
		return r;
	r = sf_cols_row(tb);
	if (r)
		goto out;
	sf_facts(t, num, device, sizeof(device));
	sf_cols_set(tb, SF_LS_NAME, t->name);
	sf_cols_setf(tb, SF_LS_PATH, "%s/%s", sf_dm_dir(), t->name);
	sf_cols_setf(tb, SF_LS_DEV, "%u:%u", major(t->dev), minor(t->dev));
	sf_cols_setf(tb, SF_LS_SIZE, "%llu",
		    (unsigned long long)t->sf->len << SF_SECTOR_SHIFT);
	sf_cols_setf(tb, SF_LS_BLOCK_SIZE, "%u", t->sf->args.block_size);
	sf_cols_set(tb, SF_LS_ENABLED,
		   strcmp(in.val[SF_I_MODE], "bypass") ? "1" : "0");
	sf_cols_set(tb, SF_LS_EXTENTS, in.val[SF_I_EXTENTS]);
	sf_cols_set(tb, SF_LS_BLOCKS, in.val[SF_I_BLOCKS]);
	sf_cols_set(tb, SF_LS_HELD, in.val[SF_I_HOLDING]);
	open = sf_dm_open_count(t);
	if (open >= 0)
		sf_cols_setf(tb, SF_LS_OPEN, "%d", open);
	sf_cols_set(tb, SF_LS_DEVICE, device);
out:
	sf_info_free(&in);
	return r;
}

/* ls: every device with a swapfail target, in device-mapper's order. */
int sf_cmd_ls(struct sf_cmd *c)
{
	struct sf_table t;
	struct sf_cols *tb;
	char **names;
	int nr, i, r;

	r = sf_cols_open(&tb, sf_ls_cols, sf_ls_nr_cols,
			"NAME,PATH,SIZE,BLOCK-SIZE,ENABLED,EXTENTS,HELD",
			"devices");
	if (r)
		return r;
	nr = sf_dm_names(&names);
	r = min(nr, 0);
	for (i = 0; !r && i < nr; i++) {
		/* gone since the list, or not swapfail: not listed */
		if (sf_table_any(names[i], &t) || !t.sf) {
			sf_table_free(&t);
			continue;
		}
		r = sf_ls_row(tb, &t);
		sf_table_free(&t);
	}
	if (!r)
		r = sf_cols_print(tb);
	for (i = 0; i < nr; i++)
		free(names[i]);
	if (nr >= 0)
		free(names);
	sf_cols_free(tb);
	return r;
}

/* watch */

/* The counters watch shows a rate for. */
static const enum sf_field sf_rated[] = {
	SF_I_READS, SF_I_WRITES, SF_I_READ_ERRORS, SF_I_WRITE_ERRORS,
	SF_I_HEALED, SF_I_DEFERRED,
};

static struct sf_watch {
	u64 interval;			/* ns */
	u64 count;
	bool tty;
	u64 n;				/* samples taken */
	double start, t, prev_t;	/* when, in seconds */
	u64 prev[SF_I_NR];
	struct sf_info in;
} sf_watch = { .interval = SF_NS_PER_SEC };

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

/* One JSON object per sample: the time, the status, the rates. */
static void sf_watch_json(const struct sf_table *t, const struct sf_watch *w)
{
	char num[32];
	unsigned int i;
	double rate;

	sf_jopen(NULL, '{');
	snprintf(num, sizeof(num), "%.3f", w->t - w->start);
	sf_jraw("time", num);
	sf_jopen("status", '{');
	sf_info_json(t, &w->in);
	sf_jclose();
	sf_jopen("rates", '{');
	for (i = 0; i < ARRAY_SIZE(sf_rated); i++) {
		rate = sf_rate(w, sf_rated[i]);
		snprintf(num, sizeof(num), "%.1f", rate);
		if (rate < 0)
			sf_jnull(sf_info_keys[sf_rated[i]].key);
		else
			sf_jraw(sf_info_keys[sf_rated[i]].key, num);
	}
	sf_jclose();
	sf_jclose();
}

/* The terminal view: redrawn in place every sample. */
static void sf_watch_screen(const struct sf_table *t, const struct sf_watch *w)
{
	const struct sf_info *in = &w->in;
	char every[32];
	unsigned int i;

	sf_format_ns(every, sizeof(every), w->interval);
	printf("\033[H\033[2J");
	printf("swapfail watch %s, every %s (sample %llu)\n\n", t->name,
	       every, (unsigned long long)w->n + 1);
	printf("mode %s, quiet %s, error %s, every_nth_read %s, every_nth_write %s\n",
	       in->val[SF_I_MODE], in->val[SF_I_QUIET], in->val[SF_I_ERROR],
	       in->val[SF_I_NTH_READ], in->val[SF_I_NTH_WRITE]);
	if (in->val[SF_I_TRIGGER_READ])
		printf("trigger actions: read %s, write %s\n",
		       in->val[SF_I_TRIGGER_READ], in->val[SF_I_TRIGGER_WRITE]);
	printf("table: %s extents, %s blocks\n\n", in->val[SF_I_EXTENTS],
	       in->val[SF_I_BLOCKS]);
	printf("%-14s %14s %14s\n", "", "total", "per second");
	for (i = 0; i < ARRAY_SIZE(sf_rated); i++) {
		printf("%-14s %14llu", sf_info_keys[sf_rated[i]].key,
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

static void sf_watch_sleep(u64 ns)
{
	struct timespec ts = {
		.tv_sec = ns / SF_NS_PER_SEC,
		.tv_nsec = ns % SF_NS_PER_SEC,
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

	w->start = sf_now();
	for (w->n = 0; !w->count || w->n < w->count; w->n++) {
		if (w->n)
			sf_watch_sleep(w->interval);
		r = sf_info_get(t, &w->in);
		if (r)
			return r;
		w->t = sf_now();
		if (sf_opts.json)
			sf_watch_json(t, w);
		else if (w->tty)
			sf_watch_screen(t, w);
		else
			sf_watch_line(w);
		sf_stdout_flush();
		for (i = 0; i < SF_I_NR; i++)
			w->prev[i] = w->in.num[i];
		w->prev_t = w->t;
		sf_info_free(&w->in);
		/* the reader is gone (a closed pipe, a full disk): stop */
		if (sf_stdout_broken())
			break;
	}
	return 0;
}

static int sf_watch_opt(int c, const char *arg)
{
	switch (c) {
	case 'i':
		if (sf_parse_duration("--interval", arg, SF_MAX_DURATION,
				      &sf_watch.interval))
			return -SF_EUSAGE;
		if (sf_watch.interval < 10 * 1000 * 1000)
			return sf_usage_err("--interval '%s': at least 10ms",
					    arg);
		return 0;
	case 'c':
		return sf_parse_num("--count", arg, 0, UINT64_MAX, &sf_watch.count);
	}
	return 1;
}

static const struct option sf_watch_opts[] = {
	{ "interval", required_argument, NULL, 'i' },
	{ "count", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 }
};

const struct sf_optset sf_watch_optset = { "i:c:", sf_watch_opts,
					   sf_watch_opt };

/* watch NAME */
int sf_cmd_watch(struct sf_cmd *c)
{
	sf_watch.tty = isatty(STDOUT_FILENO);
	return sf_watch_loop(c->t, &sf_watch);
}
