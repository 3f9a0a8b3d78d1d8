// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-msg.c: the verbs that are messages to the target.
 *
 * Message words are checked with the target's own parser (the core,
 * swapfail-parse.c) before they are sent, so a bad range or name is a
 * usage error here, with the core's words, and never reaches the kernel.
 * Before that the options are checked here, with the tool's syntax
 * (durations as 1.5s or 2m, sizes as 4k, probabilities as 0.1%), and
 * turned into the words the target reads (delay=1500ms, at=4096).
 *
 * The answers of list, query and held are tables (sf-cols.c); held's is
 * read by its shape, so that both the first edition's ("SECTOR+SECTORS
 * DIR MS", oldest first) and the current one ("BLOCKS DIR MS BY", by
 * block) are shown in blocks.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "swapfail.h"

struct sf_attrs sf_attrs;

/*
 * The word the core refused, for its message, which does not name it: a
 * range that does not parse, or the KEY=value of "invalid KEY: ...".
 */
static const char *sf_bad_word(int argc, char **argv, u64 nr_blocks,
			       const char *error)
{
	struct swapfail_range range;
	size_t key = strcspn(error + 8, ":");
	int i;

	for (i = 1; i < argc; i++) {
		if (!strncmp(error, "invalid ", 8) &&
		    !strncmp(argv[i], error + 8, key) && argv[i][key] == '=')
			return argv[i];
		if (strstr(error, "range") && !strchr(argv[i], '=') &&
		    isdigit((unsigned char)argv[i][0]) &&
		    swapfail_parse_range(argv[i], nr_blocks, &range))
			return argv[i];
	}
	return NULL;
}

/* Check message words with the target's own parser. */
static int sf_check_msg(const struct sf_table *t, int argc, char **argv)
{
	struct swapfail_range *ranges;
	struct swapfail_msg msg;
	const char *bad;
	char *error = "";
	int r = 0;

	ranges = calloc(argc, sizeof(*ranges));
	if (!ranges)
		return -ENOMEM;
	msg.ranges = ranges;
	/* --check, no device: any block is in range */
	if (swapfail_parse_msg(argc, argv, t ? t->sf->nr_blocks : UINT64_MAX,
			       &msg, &error)) {
		bad = sf_bad_word(argc, argv, t ? t->sf->nr_blocks : UINT64_MAX,
				  error);
		if (t && strstr(error, "past the end"))
			r = sf_usage_err("'%s': %s (%s has %llu blocks: 0 to %llu)",
					 bad ? bad : "", error, t->name,
					 (unsigned long long)t->sf->nr_blocks,
					 (unsigned long long)t->sf->nr_blocks - 1);
		else if (bad || argc == 2)
			r = sf_usage_err("'%s': %s", bad ? bad : argv[1], error);
		else
			r = sf_usage_err("%s", error);
	}
	free(ranges);
	return r;
}

/*
 * Send the message @argv (checked first) to @t's swapfail target; its
 * answer, if @answer, into *@answer (malloc'd or NULL).  No @t: only
 * check (--check).
 */
int sf_send(const struct sf_table *t, int argc, char **argv, char **answer)
{
	char *text, *got = NULL;
	int r;

	if (answer)
		*answer = NULL;
	r = sf_check_msg(t, argc, argv);
	if (r || !t)
		return r;	/* !t: --check, nothing is sent */
	text = sf_join(argc, argv);
	if (!text)
		return -ENOMEM;
	r = sf_dm_message(t, text, &got);
	if (!r && answer)
		*answer = got;
	else
		free(got);
	free(text);
	return r;
}

/* A message written out whole: split into words, checked, sent. */
int sf_sendf(const struct sf_table *t, char **answer, const char *fmt, ...)
{
	char *text, *w[64], *save = NULL;
	va_list ap;
	int n = 0, r;

	va_start(ap, fmt);
	r = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	for (w[n] = strtok_r(text, " ", &save); w[n] && n < 63;
	     w[n] = strtok_r(NULL, " ", &save))
		n++;
	r = sf_send(t, n, w, answer);
	free(text);
	return r;
}

/* The answer as it came, with a newline at its end. */
static void sf_print_answer(const char *answer)
{
	size_t len = answer ? strlen(answer) : 0;

	if (!len)
		return;
	fputs(answer, stdout);
	if (answer[len - 1] != '\n')
		putchar('\n');
}

/* Options to words */

static int sf_attr_push(const char *opt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int sf_attr_push(const char *opt, const char *fmt, ...)
{
	struct sf_attrs *a = &sf_attrs;
	va_list ap;
	int n;

	if (a->nr == ARRAY_SIZE(a->words))
		return sf_usage_err("%s: too many options", opt);
	va_start(ap, fmt);
	n = vsnprintf(a->words[a->nr], sizeof(a->words[0]), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(a->words[0]))
		return sf_usage_err("%s: value too long", opt);
	a->nr++;
	return 0;
}

static int sf_attr_error(const char *opt, const char *arg)
{
	u8 e;

	if (swapfail_error_parse(arg, &e))
		return sf_usage_err("%s '%s': not an error the target returns (EIO ENODATA ENOLINK ETIMEDOUT ENOSPC EILSEQ EREMOTEIO)",
				    opt, arg);
	return sf_attr_push(opt, "error=%s", arg);
}

static int sf_attr_time(const char *opt, const char *key, const char *arg)
{
	char t[32], j[32];
	u64 ns, jitter = 0;
	int r;

	if (!strcmp(key, "delay"))
		r = sf_parse_delay(opt, arg, &ns, &jitter);
	else
		r = sf_parse_duration(opt, arg, SF_MAX_DURATION, &ns);
	if (r)
		return r;
	if (!ns && strcmp(key, "delay"))
		return sf_usage_err("%s '%s': a hold of no time; --hold alone holds until released",
				    opt, arg);
	sf_format_ns(t, sizeof(t), ns);
	if (!jitter)
		return sf_attr_push(opt, "%s=%s", key, t);
	sf_format_ns(j, sizeof(j), jitter);
	return sf_attr_push(opt, "%s=%s~%s", key, t, j);
}

static int sf_attr_choice(const char *opt, const char *key, const char *arg,
			  const char *a, const char *b, const char *c)
{
	if (strcmp(arg, a) && strcmp(arg, b) && (!c || strcmp(arg, c)))
		return sf_usage_err("%s '%s': use %s, %s%s%s", opt, arg, a, b,
				    c ? " or " : "", c ? c : "");
	return sf_attr_push(opt, "%s=%s", key, arg);
}

/*
 * The attribute and action options (SF_OPTS_ATTR) as the target's words
 * in sf_attrs; 1 if @c is none of them.
 */
int sf_attr_opt(int c, const char *arg)
{
	u64 v;
	int r;

	switch (c) {
	case 'm':
		return sf_attr_choice("--mode", "mode", arg, "read", "write",
				      "rw");
	case 'c':
		r = sf_parse_num("--count", arg, 1, UINT32_MAX, &v);
		return r ? r : sf_attr_push("--count", "count=%llu",
					    (unsigned long long)v);
	case 'e':
		return sf_attr_error("--error", arg);
	case SF_OPT_WR_FAIL:
		r = sf_parse_num("--wr-fail", arg, 0, SWAPFAIL_MAX_WR_FAIL, &v);
		return r ? r : sf_attr_push("--wr-fail", "wr_fail=%llu",
					    (unsigned long long)v);
	case SF_OPT_DELAY:
		return sf_attr_time("--delay", "delay", arg);
	case SF_OPT_HOLD:
		if (!arg)
			return sf_attr_push("--hold", "hold");
		return sf_attr_time("--hold", "hold", arg);
	case SF_OPT_DROP:
		return sf_attr_push("--drop", "drop");
	case SF_OPT_CORRUPT:
		return sf_attr_choice("--corrupt", "corrupt", arg, "xor",
				      "random", NULL);
	case SF_OPT_AT:
		r = sf_parse_size("--at", arg, 1, UINT32_MAX, &v);
		return r ? r : sf_attr_push("--at", "at=%llu",
					    (unsigned long long)v);
	case SF_OPT_BYTES:
		r = sf_parse_num("--bytes", arg, 1, SWAPFAIL_MAX_CORRUPT, &v);
		return r ? r : sf_attr_push("--bytes", "bytes=%llu",
					    (unsigned long long)v);
	case SF_OPT_XOR:
		if (strlen(arg) > 2 || !isxdigit((unsigned char)arg[0]) ||
		    (arg[1] && !isxdigit((unsigned char)arg[1])) ||
		    !strtoul(arg, NULL, 16))
			return sf_usage_err("--xor '%s': a byte in hex, 01 to ff",
					    arg);
		return sf_attr_push("--xor", "xor=%s", arg);
	case SF_OPT_CORRUPT_SEED:
		r = sf_parse_num("--corrupt-seed", arg, 0, UINT64_MAX, &v);
		return r ? r : sf_attr_push("--corrupt-seed", "seed=%llu",
					    (unsigned long long)v);
	case SF_OPT_MATCH:
		return sf_attr_choice("--match", "match", arg, "swap", "all",
				      NULL);
	}
	return 1;
}

/*
 * A word given as the target writes it among the operands (count=3,
 * delay=1.5s): times in the tool's syntax become the target's.
 */
int sf_attr_word(const char *w, char *out, size_t size)
{
	const char *eq = strchr(w, '=');
	struct sf_attrs saved = sf_attrs;
	int r = 0;

	snprintf(out, size, "%s", w);
	if (!eq || (strncmp(w, "delay=", 6) && strncmp(w, "hold=", 5)))
		return 0;
	sf_attrs.nr = 0;
	r = sf_attr_time(w, *w == 'd' ? "delay" : "hold", eq + 1);
	if (!r)
		snprintf(out, size, "%s", sf_attrs.words[0]);
	sf_attrs = saved;
	return r;
}

static const struct option sf_action_opts[] = {
	SF_OPTS_ACTION,
	{ NULL, 0, NULL, 0 }
};

const struct sf_optset sf_action_optset = { "e:", sf_action_opts,
					    sf_attr_opt };

static const struct option sf_add_opts[] = {
	SF_OPTS_ATTR,
	{ NULL, 0, NULL, 0 }
};

const struct sf_optset sf_add_optset = { SF_SHORT_ATTR, sf_add_opts,
					 sf_attr_opt };

/* Verbs */

/* A verb that is one message: its word, then the operands. */
int sf_cmd_message(struct sf_cmd *c)
{
	char **w = calloc(c->argc + 1, sizeof(*w));
	int r;

	if (!w)
		return -ENOMEM;
	w[0] = (char *)c->msg;
	memcpy(w + 1, c->argv, c->argc * sizeof(*w));
	r = sf_send(c->t, c->argc + 1, w, NULL);
	free(w);
	return r;
}

/* @first words, the operands (attribute words converted), sf_attrs. */
static int sf_send_with_attrs(struct sf_cmd *c, char *const *first, int nr)
{
	int n = nr + c->argc + sf_attrs.nr, i, r = 0;
	char **w = calloc(n, sizeof(*w)), (*conv)[48];

	conv = calloc(c->argc + 1, sizeof(*conv));
	if (!w || !conv) {
		r = -ENOMEM;
		goto out;
	}
	memcpy(w, first, nr * sizeof(*w));
	for (i = 0; !r && i < c->argc; i++) {
		r = sf_attr_word(c->argv[i], conv[i], sizeof(conv[i]));
		w[nr + i] = conv[i];
	}
	for (i = 0; i < sf_attrs.nr; i++)
		w[nr + c->argc + i] = sf_attrs.words[i];
	if (!r)
		r = sf_send(c->t, n, w, NULL);
out:
	free(conv);
	free(w);
	return r;
}

/* add NAME RANGE... [attribute and action options] */
int sf_cmd_add(struct sf_cmd *c)
{
	char *word = "add";

	return sf_send_with_attrs(c, &word, 1);
}

/* every-nth|probability NAME read|write N|P [action options] */
int sf_cmd_trigger(struct sf_cmd *c)
{
	char word[32], value[32], *first[2] = { word, value };
	const char *dir = c->argv[0], *arg = c->argv[1];
	struct sf_cmd rest = *c;
	u32 ppb;
	u64 n;
	int r;

	if (strcmp(dir, "read") && strcmp(dir, "write"))
		return sf_usage_err("'%s': say read or write", dir);
	snprintf(word, sizeof(word), "%s_%s", c->msg, dir);
	if (!strcmp(c->msg, "every_nth")) {
		r = sf_parse_num("every-nth", arg, 0, UINT32_MAX, &n);
		snprintf(value, sizeof(value), "%llu", (unsigned long long)n);
	} else {
		r = sf_parse_probability("probability", arg, &ppb);
		sf_format_ppb(value, sizeof(value), ppb);
	}
	if (r)
		return r;
	rest.argc = 0;
	return sf_send_with_attrs(&rest, first, 2);
}

static bool sf_release_fail;

static int sf_release_opt(int c, const char *arg)
{
	sf_attrs.nr = 0;
	if (c == SF_OPT_LOCAL) {
		sf_release_fail = true;
		return 0;
	}
	if (c != 'e')
		return 1;
	sf_release_fail = true;
	return sf_attr_error("--error", arg);
}

static const struct option sf_release_opts[] = {
	{ "fail", no_argument, NULL, SF_OPT_LOCAL },
	{ "error", required_argument, NULL, 'e' },
	{ NULL, 0, NULL, 0 }
};

const struct sf_optset sf_release_optset = { "e:", sf_release_opts,
					     sf_release_opt };

/* release NAME [RANGE...] [--fail] [--error E] */
int sf_cmd_release(struct sf_cmd *c)
{
	char *first[3] = { "release", "fail", sf_attrs.words[0] };
	int nr = sf_release_fail ? 2 + sf_attrs.nr : 1;
	struct sf_attrs saved = sf_attrs;
	int r;

	sf_attrs.nr = 0;
	r = sf_send_with_attrs(c, first, nr);
	sf_attrs = saved;
	return r;
}

/* list */

enum { SF_L_BLOCKS, SF_L_FIRST, SF_L_LAST, SF_L_MODE, SF_L_COUNT,
       SF_L_WR_FAIL, SF_L_ERROR, SF_L_ACTION };

const struct sf_col sf_list_cols[] = {
	[SF_L_BLOCKS] = { "BLOCKS", "blocks", SF_COL_STR, false,
			  "the extent's blocks, A-B" },
	[SF_L_FIRST] = { "FIRST", "first", SF_COL_NUM, true, "its first block" },
	[SF_L_LAST] = { "LAST", "last", SF_COL_NUM, true, "its last block" },
	[SF_L_MODE] = { "MODE", "mode", SF_COL_STR, false,
			"read, write or rw: what fails" },
	[SF_L_COUNT] = { "COUNT", "count", SF_COL_NUM, true,
			 "I/Os left to fail, then the blocks are good" },
	[SF_L_WR_FAIL] = { "WR-FAIL", "wr_fail", SF_COL_NUM, true,
			   "writes left to fail before one heals" },
	[SF_L_ERROR] = { "ERROR", "error", SF_COL_STR, false,
			 "its error (- : the device's)" },
	[SF_L_ACTION] = { "ACTION", "action", SF_COL_STR, false,
			  "what a fault does: error, or the action's words" },
};

const unsigned int sf_list_nr_cols = ARRAY_SIZE(sf_list_cols);

/* One line of list's answer: "A-B mode=M [count=N] ... [action...]". */
static int sf_list_row(struct sf_cols *tb, char *line)
{
	static const char * const keys[] = {
		[SF_L_MODE] = "mode=", [SF_L_COUNT] = "count=",
		[SF_L_WR_FAIL] = "wr_fail=", [SF_L_ERROR] = "error=",
	};
	char *w, *save = NULL, action[256] = "";
	unsigned long long a, b;
	unsigned int i;
	int r;

	if (sscanf(line, "%llu-%llu", &a, &b) != 2)
		return 0;
	r = sf_cols_row(tb);
	if (r)
		return r;
	sf_cols_setf(tb, SF_L_BLOCKS, a == b ? "%llu" : "%llu-%llu", a, b);
	sf_cols_setf(tb, SF_L_FIRST, "%llu", a);
	sf_cols_setf(tb, SF_L_LAST, "%llu", b);
	strtok_r(line, " ", &save);
	while ((w = strtok_r(NULL, " ", &save))) {
		for (i = SF_L_MODE; i <= SF_L_ERROR; i++)
			if (!strncmp(w, keys[i], strlen(keys[i])))
				break;
		if (i <= SF_L_ERROR)
			sf_cols_set(tb, i, w + strlen(keys[i]));
		else
			snprintf(action + strlen(action),
				 sizeof(action) - strlen(action), "%s%s",
				 *action ? " " : "", w);
	}
	sf_cols_set(tb, SF_L_ACTION, *action ? action : "error");
	return 0;
}

/* Send @word and the ranges; each line of the answer a row of @tb. */
static int sf_answer_rows(struct sf_cmd *c, const char *word,
			  struct sf_cols *tb,
			  int (*row)(struct sf_cols *tb, char *line,
				     const struct sf_target *sf))
{
	char **w = calloc(c->argc + 1, sizeof(*w));
	char *answer = NULL, *line, *save = NULL;
	int r;

	if (!w)
		return -ENOMEM;
	w[0] = (char *)word;
	memcpy(w + 1, c->argv, c->argc * sizeof(*w));
	r = sf_send(c->t, c->argc + 1, w, &answer);
	for (line = answer ? strtok_r(answer, "\n", &save) : NULL; !r && line;
	     line = strtok_r(NULL, "\n", &save))
		r = row(tb, line, c->t->sf);
	free(answer);
	free(w);
	return r;
}

static int sf_list_line(struct sf_cols *tb, char *line,
			const struct sf_target *sf)
{
	return sf_list_row(tb, line);
}

static int sf_table_verb(struct sf_cmd *c, const char *word,
			 const struct sf_col *cols, unsigned int nr,
			 const char *defaults, const char *key,
			 int (*row)(struct sf_cols *tb, char *line,
				    const struct sf_target *sf))
{
	struct sf_cols *tb;
	int r;

	r = sf_cols_open(&tb, cols, nr, defaults, key);
	if (r)
		return r;
	r = sf_answer_rows(c, word, tb, row);
	if (!r)
		r = sf_cols_print(tb);
	sf_cols_free(tb);
	return r;
}

/* list NAME [RANGE...] */
int sf_cmd_list(struct sf_cmd *c)
{
	return sf_table_verb(c, "list", sf_list_cols, sf_list_nr_cols,
			     "BLOCKS,MODE,COUNT,WR-FAIL,ERROR,ACTION", "extents",
			     sf_list_line);
}

/* query */

enum { SF_Q_RANGE, SF_Q_FIRST, SF_Q_LAST, SF_Q_BAD };

const struct sf_col sf_query_cols[] = {
	[SF_Q_RANGE] = { "RANGE", "range", SF_COL_STR, false,
			 "the range asked about, A-B" },
	[SF_Q_FIRST] = { "FIRST", "first", SF_COL_NUM, true, "its first block" },
	[SF_Q_LAST] = { "LAST", "last", SF_COL_NUM, true, "its last block" },
	[SF_Q_BAD] = { "BAD", "bad", SF_COL_NUM, true,
		       "how many of its blocks are in the table" },
};

const unsigned int sf_query_nr_cols = ARRAY_SIZE(sf_query_cols);

/* "A-B bad=N" */
static int sf_query_line(struct sf_cols *tb, char *line,
			 const struct sf_target *sf)
{
	unsigned long long a, b, bad;
	int r;

	if (sscanf(line, "%llu-%llu bad=%llu", &a, &b, &bad) != 3)
		return 0;
	r = sf_cols_row(tb);
	if (r)
		return r;
	sf_cols_setf(tb, SF_Q_RANGE, "%llu-%llu", a, b);
	sf_cols_setf(tb, SF_Q_FIRST, "%llu", a);
	sf_cols_setf(tb, SF_Q_LAST, "%llu", b);
	sf_cols_setf(tb, SF_Q_BAD, "%llu", bad);
	return 0;
}

/* query NAME RANGE... */
int sf_cmd_query(struct sf_cmd *c)
{
	return sf_table_verb(c, "query", sf_query_cols, sf_query_nr_cols,
			     "RANGE,BAD", "ranges", sf_query_line);
}

/* count NAME [RANGE...]: "extents=E blocks=B", or that as JSON */
int sf_cmd_count(struct sf_cmd *c)
{
	char **w = calloc(c->argc + 1, sizeof(*w));
	unsigned long long e, b;
	char *answer = NULL;
	int r;

	if (!w)
		return -ENOMEM;
	w[0] = "count";
	memcpy(w + 1, c->argv, c->argc * sizeof(*w));
	r = sf_send(c->t, c->argc + 1, w, &answer);
	if (!r && (!answer ||
		   sscanf(answer, "extents=%llu blocks=%llu", &e, &b) != 2)) {
		sf_err("%s: unexpected answer to count: '%s'", c->t->name,
		       answer ? answer : "");
		r = -EPROTO;
	}
	if (!r && sf_opts.json) {
		sf_jopen(NULL, '{');
		sf_ju64("extents", e);
		sf_ju64("blocks", b);
		sf_jclose();
	} else if (!r) {
		sf_print_answer(answer);
	}
	free(answer);
	free(w);
	return r;
}

/* held */

enum { SF_H_BLOCKS, SF_H_FIRST, SF_H_LAST, SF_H_DIR, SF_H_HELD, SF_H_MS,
       SF_H_BY };

const struct sf_col sf_held_cols[] = {
	[SF_H_BLOCKS] = { "BLOCKS", "blocks", SF_COL_STR, false,
			  "the blocks of the I/O, A or A-B" },
	[SF_H_FIRST] = { "FIRST", "first", SF_COL_NUM, true, "its first block" },
	[SF_H_LAST] = { "LAST", "last", SF_COL_NUM, true, "its last block" },
	[SF_H_DIR] = { "DIR", "dir", SF_COL_STR, false, "read or write" },
	[SF_H_HELD] = { "HELD", "held", SF_COL_STR, true,
			"how long it has been held" },
	[SF_H_MS] = { "MS", "held_ms", SF_COL_NUM, true,
		      "the same in milliseconds" },
	[SF_H_BY] = { "BY", "by", SF_COL_STR, false,
		      "what held it: extent, every_nth or probability" },
};

const unsigned int sf_held_nr_cols = ARRAY_SIZE(sf_held_cols);

/* One held I/O: "A[-B] DIR MS BY", or the first edition's "S+N DIR MS". */
static int sf_held_line(struct sf_cols *tb, char *line,
			const struct sf_target *sf)
{
	unsigned long long a, b, n, ms;
	char range[48], dir[8], by[16] = "", t[32];
	unsigned int shift = sf->args.block_shift;
	int r;

	if (sscanf(line, "%47s %7s %llu %15s", range, dir, &ms, by) < 3)
		return 0;
	if (sscanf(range, "%llu+%llu", &a, &n) == 2 && n && a >= sf->start) {
		/* sectors of the device: the target's blocks */
		b = (a - sf->start + n - 1) >> shift;
		a = (a - sf->start) >> shift;
	} else if (sscanf(range, "%llu-%llu", &a, &b) != 2) {
		if (sscanf(range, "%llu", &a) != 1)
			return 0;
		b = a;
	}
	r = sf_cols_row(tb);
	if (r)
		return r;
	sf_cols_setf(tb, SF_H_BLOCKS, a == b ? "%llu" : "%llu-%llu", a, b);
	sf_cols_setf(tb, SF_H_FIRST, "%llu", a);
	sf_cols_setf(tb, SF_H_LAST, "%llu", b);
	sf_cols_set(tb, SF_H_DIR, dir);
	sf_format_ns(t, sizeof(t), ms * 1000000);
	sf_cols_set(tb, SF_H_HELD, t);
	sf_cols_setf(tb, SF_H_MS, "%llu", ms);
	sf_cols_set(tb, SF_H_BY, *by ? by : NULL);
	return 0;
}

/* held NAME */
int sf_cmd_held(struct sf_cmd *c)
{
	return sf_table_verb(c, "held", sf_held_cols, sf_held_nr_cols,
			     "BLOCKS,DIR,HELD,BY", "held", sf_held_line);
}
