// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-plan.c: the fault plans of run, read and checked.
 *
 * A plan is a text file of lines, a directive and its words each; '#'
 * starts a comment, words are split at blanks and may be quoted ('...' or
 * "...").  The settings say what to set up, the timeline when to do what
 * to the device, the expectations what must have happened:
 *
 *   device NAME [over DEV | over loop SIZE] [block-size B] [quiet]
 *   swap partition | file ext4|xfs|btrfs SIZE | none
 *   memory SIZE [swap SIZE]          the command's cgroup's limits
 *   sysctl KEY VALUE                 set for the run (vm.page-cluster 0)
 *   timeout T                        end the command after T
 *   sample T                         the status every T (default 1s)
 *   at T VERB [ARG...] [for T]       a swapfail verb on the device
 *   expect exit N | signal SIG | kernel 'ERE' | count NAME OP N
 *
 * The verbs of the timeline are swapfail's own, without the device (and,
 * for target and pageout, without --pid: the command's is added), so a
 * plan reads as the commands a user would type.  "for T" undoes what the
 * verb did after T.  Every error names the file, the line and the word.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "swapfail.h"

#define SF_PLAN_WORDS	64

/* The verbs a timeline may use, and whether "for T" can undo them. */
static const struct {
	const char *verb;
	bool undo;
	bool pid;			/* takes the command's --pid */
} sf_plan_verbs[] = {
	{ "add", true, false },
	{ "target", true, true },
	{ "every-nth", true, false },
	{ "probability", true, false },
	{ "enable", true, false },
	{ "disable", true, false },
	{ "seed", false, false },
	{ "release", false, false },
	{ "error", false, false },
	{ "quiet", false, false },
	{ "del", false, false },
	{ "clear", false, false },
	{ "reset-stats", false, false },
	{ "pageout", false, true },
	{ "signal", false, false },	/* to the command, not the device */
};

/* What an expectation may count. */
static const char * const sf_plan_counts[] = {
	"faults", "read-faults", "write-faults", "corruptions", "oom-kills",
	"reads", "writes", "read_errors", "write_errors", "healed", "delayed",
	"held", "dropped", "corrupted",
};

struct sf_plan_line {
	const char *path;
	int nr;
	char *w[SF_PLAN_WORDS];
	int n;
};

static int sf_plan_err(const struct sf_plan_line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int sf_plan_err(const struct sf_plan_line *l, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sf_usage_err("%s:%d: %s", l->path, l->nr, msg);
}

/* Split @s into words, in place: blanks, quotes, a '#' comment. */
static int sf_plan_split(struct sf_plan_line *l, char *s)
{
	char *out, quote;

	l->n = 0;
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			return 0;
		if (l->n == SF_PLAN_WORDS)
			return sf_plan_err(l, "more than %d words", SF_PLAN_WORDS);
		l->w[l->n++] = out = s;
		while (*s && !isspace((unsigned char)*s)) {
			if (*s != '\'' && *s != '"') {
				*out++ = *s++;
				continue;
			}
			quote = *s++;
			while (*s && *s != quote)
				*out++ = *s++;
			if (!*s)
				return sf_plan_err(l, "no closing %c", quote);
			s++;
		}
		if (*s)
			s++;
		*out = '\0';
	}
}

static int sf_plan_time(const struct sf_plan_line *l, const char *what,
			const char *s, u64 *ns)
{
	char w[64];

	snprintf(w, sizeof(w), "%s:%d: %s", l->path, l->nr, what);
	return sf_parse_duration(w, s, SF_MAX_DURATION, ns);
}

static int sf_plan_size(const struct sf_plan_line *l, const char *what,
			const char *s, u64 *bytes)
{
	char w[64];

	snprintf(w, sizeof(w), "%s:%d: %s", l->path, l->nr, what);
	return sf_parse_size(w, s, 1, 1ULL << 50, bytes);
}

static char *sf_plan_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* device NAME [over DEV | over loop SIZE] [block-size B] [quiet] */
static int sf_plan_device(struct sf_plan *p, struct sf_plan_line *l)
{
	int i = 2, r;

	if (l->n < 2)
		return sf_plan_err(l, "device: give its name");
	if (p->device)
		return sf_plan_err(l, "device: given twice");
	r = sf_check_name(l->w[1]);
	if (r)
		return r;
	p->device = sf_plan_dup(l->w[1]);
	if (i < l->n && !strcmp(l->w[i], "over")) {
		if (i + 1 >= l->n)
			return sf_plan_err(l, "device: over what?");
		if (!strcmp(l->w[i + 1], "loop")) {
			if (i + 2 >= l->n)
				return sf_plan_err(l, "device: over loop SIZE");
			r = sf_plan_size(l, "loop", l->w[i + 2], &p->loop_size);
			if (r)
				return r;
			if (p->loop_size < (1 << 20))
				return sf_plan_err(l, "device: loop '%s': at least 1M",
						   l->w[i + 2]);
			i += 3;
		} else {
			p->over = sf_plan_dup(l->w[i + 1]);
			i += 2;
		}
	}
	for (; i < l->n; i++) {
		if (!strcmp(l->w[i], "quiet")) {
			p->quiet = true;
		} else if (!strcmp(l->w[i], "block-size") && i + 1 < l->n) {
			r = sf_plan_size(l, "block-size", l->w[++i],
					 &p->block_size);
			if (r)
				return r;
		} else {
			return sf_plan_err(l, "device: unexpected '%s'", l->w[i]);
		}
	}
	if (p->block_size && !p->over && !p->loop_size)
		return sf_plan_err(l, "device: block-size goes with a device the plan creates");
	return 0;
}

/* swap partition | file FS SIZE | none */
static int sf_plan_swap(struct sf_plan *p, struct sf_plan_line *l)
{
	if (l->n == 2 && !strcmp(l->w[1], "partition")) {
		p->swap = SF_SWAP_PARTITION;
		return 0;
	}
	if (l->n == 2 && !strcmp(l->w[1], "none")) {
		p->swap = SF_SWAP_NONE;
		return 0;
	}
	if (l->n != 4 || strcmp(l->w[1], "file"))
		return sf_plan_err(l, "swap: partition, file ext4|xfs|btrfs SIZE or none");
	if (strcmp(l->w[2], "ext4") && strcmp(l->w[2], "xfs") &&
	    strcmp(l->w[2], "btrfs"))
		return sf_plan_err(l, "swap: file '%s': ext4, xfs or btrfs",
				   l->w[2]);
	p->swap = SF_SWAP_FILE;
	snprintf(p->fs, sizeof(p->fs), "%s", l->w[2]);
	return sf_plan_size(l, "swap file", l->w[3], &p->swap_size);
}

/* memory SIZE [swap SIZE] */
static int sf_plan_memory(struct sf_plan *p, struct sf_plan_line *l)
{
	int r;

	if (l->n != 2 && !(l->n == 4 && !strcmp(l->w[2], "swap")))
		return sf_plan_err(l, "memory: SIZE [swap SIZE]");
	r = sf_plan_size(l, "memory", l->w[1], &p->memory_max);
	if (!r && l->n == 4)
		r = sf_plan_size(l, "memory swap", l->w[3], &p->swap_max);
	if (!r && p->memory_max < (4 << 20))
		r = sf_plan_err(l, "memory '%s': at least 4M", l->w[1]);
	p->has_swap_max = l->n == 4;
	return r;
}

static int sf_plan_sysctl(struct sf_plan *p, struct sf_plan_line *l)
{
	const char *k;

	if (l->n != 3)
		return sf_plan_err(l, "sysctl: KEY VALUE");
	if (p->nr_sysctl == ARRAY_SIZE(p->sysctl))
		return sf_plan_err(l, "sysctl: more than %zu",
				   ARRAY_SIZE(p->sysctl));
	for (k = l->w[1]; *k; k++)
		if (!isalnum((unsigned char)*k) && !strchr("._-", *k))
			return sf_plan_err(l, "sysctl: '%s' is no sysctl name",
					   l->w[1]);
	if (strstr(l->w[1], ".."))
		return sf_plan_err(l, "sysctl: '%s' is no sysctl name", l->w[1]);
	snprintf(p->sysctl[p->nr_sysctl].key, sizeof(p->sysctl[0].key), "%s",
		 l->w[1]);
	snprintf(p->sysctl[p->nr_sysctl].value, sizeof(p->sysctl[0].value),
		 "%s", l->w[2]);
	p->nr_sysctl++;
	return 0;
}

/* A signal's name, SIGBUS or BUS: its number, or 0. */
int sf_signal_number(const char *name)
{
	int sig;

	if (!strncmp(name, "SIG", 3))
		name += 3;
	for (sig = 1; sig < NSIG; sig++)
		if (sigabbrev_np(sig) && !strcmp(name, sigabbrev_np(sig)))
			return sig;
	return 0;
}

/* at T VERB [ARG...] [for T] */
static int sf_plan_step(struct sf_plan *p, struct sf_plan_line *l)
{
	struct sf_step *st, *more;
	unsigned int v;
	int n = l->n, i, r;

	if (n < 3)
		return sf_plan_err(l, "at: give a time and a verb");
	for (v = 0; v < ARRAY_SIZE(sf_plan_verbs); v++)
		if (!strcmp(l->w[2], sf_plan_verbs[v].verb))
			break;
	if (v == ARRAY_SIZE(sf_plan_verbs))
		return sf_plan_err(l, "at: '%s' is no verb of a plan (add, target, every-nth, probability, enable, disable, seed, release, error, quiet, del, clear, reset-stats, pageout, signal)",
				   l->w[2]);
	more = realloc(p->steps, (p->nr_steps + 1) * sizeof(*more));
	if (!more)
		return -ENOMEM;
	p->steps = more;
	st = &p->steps[p->nr_steps];
	memset(st, 0, sizeof(*st));
	st->line = l->nr;
	st->pid = sf_plan_verbs[v].pid;
	r = sf_plan_time(l, "at", l->w[1], &st->at);
	if (r)
		return r;
	if (n >= 5 && !strcmp(l->w[n - 2], "for")) {
		if (!sf_plan_verbs[v].undo)
			return sf_plan_err(l, "%s cannot be undone: 'for' goes with add, target, every-nth, probability, enable and disable",
					   l->w[2]);
		r = sf_plan_time(l, "for", l->w[n - 1], &st->undo_after);
		if (r)
			return r;
		if (!st->undo_after)
			return sf_plan_err(l, "for '%s': a time longer than 0",
					   l->w[n - 1]);
		n -= 2;
	}
	if (!strcmp(l->w[2], "signal") &&
	    (n != 4 || !sf_signal_number(l->w[3])))
		return sf_plan_err(l, "signal: one signal's name, such as SIGUSR1");
	st->argv = calloc(n - 1, sizeof(*st->argv));
	if (!st->argv)
		return -ENOMEM;
	for (i = 2; i < n; i++) {
		st->argv[i - 2] = strdup(l->w[i]);
		if (!st->argv[i - 2])
			return -ENOMEM;
	}
	st->argc = n - 2;
	p->nr_steps++;
	return 0;
}

static int sf_plan_op(const char *s)
{
	static const char * const ops[] = { "==", "!=", ">=", "<=", ">", "<" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strcmp(s, ops[i]))
			return i;
	return -1;
}

/* expect exit N | signal SIG | kernel 'ERE' | count NAME OP N */
static int sf_plan_expect(struct sf_plan *p, struct sf_plan_line *l)
{
	struct sf_expect *e, *more;
	unsigned int i;
	regex_t re;
	u64 v;
	int r;

	more = realloc(p->expects, (p->nr_expects + 1) * sizeof(*more));
	if (!more)
		return -ENOMEM;
	p->expects = more;
	e = &p->expects[p->nr_expects];
	memset(e, 0, sizeof(*e));
	e->line = l->nr;
	if (l->n == 3 && !strcmp(l->w[1], "exit")) {
		e->kind = SF_EXPECT_EXIT;
		r = sf_parse_num("expect exit", l->w[2], 0, 255, &v);
		e->value = v;
	} else if (l->n == 3 && !strcmp(l->w[1], "signal")) {
		e->kind = SF_EXPECT_SIGNAL;
		e->value = sf_signal_number(l->w[2]);
		r = e->value ? 0 : sf_plan_err(l, "expect signal '%s': no such signal",
					       l->w[2]);
	} else if (l->n == 3 && !strcmp(l->w[1], "kernel")) {
		e->kind = SF_EXPECT_KERNEL;
		r = regcomp(&re, l->w[2], REG_EXTENDED | REG_NOSUB) ?
			sf_plan_err(l, "expect kernel '%s': not an extended regex",
				    l->w[2]) : 0;
		if (!r)
			regfree(&re);
	} else if (l->n == 5 && !strcmp(l->w[1], "count")) {
		e->kind = SF_EXPECT_COUNT;
		for (i = 0; i < ARRAY_SIZE(sf_plan_counts); i++)
			if (!strcmp(l->w[2], sf_plan_counts[i]))
				break;
		e->op = sf_plan_op(l->w[3]);
		r = i == ARRAY_SIZE(sf_plan_counts) ?
			sf_plan_err(l, "expect count '%s': count faults, read-faults, write-faults, corruptions, oom-kills or a status counter (read_errors...)",
				    l->w[2]) :
		    e->op < 0 ? sf_plan_err(l, "expect count: '%s' is no comparison (== != >= <= > <)",
					    l->w[3]) :
		    sf_parse_num("expect count", l->w[4], 0, UINT64_MAX,
				 &e->value);
	} else {
		r = sf_plan_err(l, "expect: exit N, signal SIG, kernel 'ERE' or count NAME OP N");
	}
	if (r)
		return r;
	e->text = sf_join(l->n - 1, l->w + 1);
	e->what = sf_plan_dup(l->w[2]);
	if (!e->text || !e->what)
		return -ENOMEM;
	p->nr_expects++;
	return 0;
}

static int sf_plan_directive(struct sf_plan *p, struct sf_plan_line *l)
{
	const char *d = l->w[0];

	if (!strcmp(d, "device"))
		return sf_plan_device(p, l);
	if (!strcmp(d, "swap"))
		return sf_plan_swap(p, l);
	if (!strcmp(d, "memory"))
		return sf_plan_memory(p, l);
	if (!strcmp(d, "sysctl"))
		return sf_plan_sysctl(p, l);
	if (!strcmp(d, "timeout") && l->n == 2)
		return sf_plan_time(l, "timeout", l->w[1], &p->timeout);
	if (!strcmp(d, "sample") && l->n == 2)
		return sf_plan_time(l, "sample", l->w[1], &p->sample);
	if (!strcmp(d, "at"))
		return sf_plan_step(p, l);
	if (!strcmp(d, "expect"))
		return sf_plan_expect(p, l);
	return sf_plan_err(l, "'%s': no such directive (device, swap, memory, sysctl, timeout, sample, at, expect)",
			   d);
}

static int sf_step_cmp(const void *a, const void *b)
{
	const struct sf_step *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->line - y->line;
}

/* What the plan says as a whole. */
static int sf_plan_finish(struct sf_plan *p, struct sf_plan_line *l)
{
	l->nr = 0;
	if (!p->device)
		return sf_usage_err("%s: no 'device' line: which device?", p->path);
	if (p->swap == SF_SWAP_DEFAULT)
		p->swap = p->over || p->loop_size ? SF_SWAP_PARTITION :
						    SF_SWAP_NONE;
	if (!p->block_size)
		p->block_size = 4096;
	if (!p->sample)
		p->sample = SF_NS_PER_SEC;
	if (p->sample < 10 * 1000 * 1000)
		return sf_usage_err("%s: sample: at least 10ms", p->path);
	/* the timeline in time order; the same time: in the file's order */
	qsort(p->steps, p->nr_steps, sizeof(*p->steps), sf_step_cmp);
	return 0;
}

/*
 * The plan at @path, or, if there is no such file and @path has no '/',
 * the installed plan of that name (PLANDIR/NAME or NAME.plan).
 */
static FILE *sf_plan_open(const char *path, char **found)
{
	char buf[PATH_MAX];
	FILE *f = fopen(path, "re");

	*found = NULL;
	if (f || strchr(path, '/')) {
		*found = f ? strdup(path) : NULL;
		return f;
	}
	snprintf(buf, sizeof(buf), "%s/%s", SF_PLANDIR, path);
	f = fopen(buf, "re");
	if (!f) {
		snprintf(buf, sizeof(buf), "%s/%s.plan", SF_PLANDIR, path);
		f = fopen(buf, "re");
	}
	if (f)
		*found = strdup(buf);
	return f;
}

int sf_plan_load(const char *path, struct sf_plan *p)
{
	struct sf_plan_line l = { .nr = 0 };
	char line[4096];
	FILE *f;
	int r = 0;

	memset(p, 0, sizeof(*p));
	f = sf_plan_open(path, &p->path);
	if (!f) {
		sf_err("plan %s: %s (nor in %s)", path, strerror(errno),
		       SF_PLANDIR);
		return -ENOENT;
	}
	l.path = p->path ? p->path : path;
	while (!r && fgets(line, sizeof(line), f)) {
		l.nr++;
		if (!strchr(line, '\n') && !feof(f))
			r = sf_plan_err(&l, "line too long");
		if (!r)
			r = sf_plan_split(&l, line);
		if (!r && l.n)
			r = sf_plan_directive(p, &l);
	}
	fclose(f);
	if (!r)
		r = sf_plan_finish(p, &l);
	return r;
}

void sf_plan_free(struct sf_plan *p)
{
	unsigned int i;
	int k;

	for (i = 0; i < p->nr_steps; i++) {
		for (k = 0; k < p->steps[i].argc; k++)
			free(p->steps[i].argv[k]);
		free(p->steps[i].argv);
	}
	for (i = 0; i < p->nr_expects; i++) {
		free(p->expects[i].text);
		free(p->expects[i].what);
	}
	free(p->steps);
	free(p->expects);
	free(p->device);
	free(p->over);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

/* The plan as run reads it (run --check --json). */
void sf_plan_json(const struct sf_plan *p)
{
	static const char * const swaps[] = {
		[SF_SWAP_NONE] = "none", [SF_SWAP_PARTITION] = "partition",
		[SF_SWAP_FILE] = "file",
	};
	unsigned int i;
	int k;

	sf_jopen(NULL, '{');
	sf_jstr("plan", p->path);
	sf_jstr("device", p->device);
	sf_jstr("over", p->loop_size ? "loop" : p->over);
	if (p->loop_size)
		sf_ju64("loop_size", p->loop_size);
	else
		sf_jnull("loop_size");
	sf_ju64("block_size", p->block_size);
	sf_jstr("swap", swaps[p->swap]);
	sf_jstr("swap_fs", p->swap == SF_SWAP_FILE ? p->fs : NULL);
	if (p->swap == SF_SWAP_FILE)
		sf_ju64("swap_size", p->swap_size);
	else
		sf_jnull("swap_size");
	if (p->memory_max)
		sf_ju64("memory_max", p->memory_max);
	else
		sf_jnull("memory_max");
	if (p->has_swap_max)
		sf_ju64("memory_swap_max", p->swap_max);
	else
		sf_jnull("memory_swap_max");
	sf_jopen("sysctl", '{');
	for (i = 0; i < p->nr_sysctl; i++)
		sf_jstr(p->sysctl[i].key, p->sysctl[i].value);
	sf_jclose();
	if (p->timeout)
		sf_jsec("timeout", p->timeout);
	else
		sf_jnull("timeout");
	sf_jsec("sample", p->sample);
	sf_jopen("timeline", '[');
	for (i = 0; i < p->nr_steps; i++) {
		sf_jopen(NULL, '{');
		sf_jsec("at", p->steps[i].at);
		sf_jopen("argv", '[');
		for (k = 0; k < p->steps[i].argc; k++)
			sf_jstr(NULL, p->steps[i].argv[k]);
		sf_jclose();
		if (p->steps[i].undo_after)
			sf_jsec("for", p->steps[i].undo_after);
		else
			sf_jnull("for");
		sf_jclose();
	}
	sf_jclose();
	sf_jopen("expect", '[');
	for (i = 0; i < p->nr_expects; i++)
		sf_jstr(NULL, p->expects[i].text);
	sf_jclose();
	sf_jclose();
}
