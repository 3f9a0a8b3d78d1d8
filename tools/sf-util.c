// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-util.c: messages, exit statuses, option parsing and the numbers a
 * command line gives, for every other file of swapfail(8).
 *
 * Every number is range-checked and every refusal names the option and
 * the token it refuses, and says why.  There is one syntax per kind:
 *
 *   durations      500us, 1.5s, 2m: a decimal number and one of ns, us,
 *                  ms, s, m, h (fio's and systemd's); no unit: seconds
 *   sizes          4k, 64M, 1.5GiB: K, M, G, T are powers of 1024 (KiB...
 *                  too), KB, MB, GB, TB powers of 1000, B bytes; no
 *                  suffix: the unit of the option (bytes, or sectors)
 *   probabilities  0.001 or 0.1%, to the billionth
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sf-util.h"

struct sf_opts sf_opts;
const char *sf_verb = "";

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
 * one reason, and a caller may compare them as pointers.
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

/* The errno of the first write to stdout that failed, for its message. */
static int sf_stdout_errno;

/* Flush stdout (a line of NDJSON, a sample); say if it is broken. */
bool sf_stdout_flush(void)
{
	if (fflush(stdout) && !sf_stdout_errno)
		sf_stdout_errno = errno;
	return sf_stdout_broken();
}

/* Has a write to stdout failed (a full disk, a reader gone)? */
bool sf_stdout_broken(void)
{
	return ferror(stdout);
}

/* Is stdout a pipe whose reader has gone (EPIPE, SIGPIPE ignored)? */
static bool sf_stdout_orphaned(void)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR);
}

/*
 * Flush stdout and say if what was printed did not all get out (a full
 * disk): -EIO then, and the exit status is 1 whatever the verb found, as
 * util-linux's close_stdout() does.  A reader that went away (head -1)
 * is no failure: it had what it wanted.
 */
int sf_close_stdout(void)
{
	int failed = ferror(stdout), err = 0;

	errno = 0;
	if (fflush(stdout))
		failed = 1, err = errno;
	if (failed && !err)
		err = sf_stdout_errno;
	if (failed && (!err || err == EIO) && sf_stdout_orphaned())
		err = EPIPE;
	if (fclose(stdout) && !failed)
		failed = 1, err = errno;
	if (!failed || err == EPIPE)
		return 0;
	fprintf(stderr, "swapfail: write error: %s\n",
		strerror(err ? err : EIO));
	return -EIO;
}

/* Read the first line of a small file (sysfs, procfs) into @buf. */
int sf_read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	int r = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, size, f))
		r = -EIO;
	else
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return r;
}

/* Write @s into @dir/@file, or @dir if no @file (sysfs, cgroup); -errno. */
int sf_write_file(const char *dir, const char *file, const char *s)
{
	char path[PATH_MAX];
	ssize_t n = strlen(s);
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s%s%s", dir, file ? "/" : "",
		 file ? file : "");
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, s, n) != n)
		r = errno ? -errno : -EIO;
	close(fd);
	return r;
}

/* @argv joined with spaces (malloc'd). */
char *sf_join(int argc, char *const *argv)
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

/* Options */

/*
 * The argv element of the long option getopt_long() just returned:
 * "--name" or "--name=value" itself, or the one before its separate value.
 */
static const char *sf_long_word(char **argv, const struct option *o)
{
	const char *w = argv[optind - 1];

	if (o->has_arg == required_argument && optarg == w && optind >= 2)
		w = argv[optind - 2];
	return w;
}

/* Was @o given by its whole name, not a prefix of it? */
static bool sf_long_whole(const char *w, const struct option *o)
{
	size_t len = strlen(o->name);

	return !strncmp(w, "--", 2) && !strncmp(w + 2, o->name, len) &&
	       (w[2 + len] == '\0' || w[2 + len] == '=');
}

/*
 * Parse the options of argv[1...]; @fn gets each one @opts and
 * @shortopts name (the caller lists the common ones too).  The operands
 * are then argv[optind...].
 */
int sf_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *opts, sf_opt_fn fn)
{
	char spec[128];
	int c, r, idx;
	const char *w;

	/* ':' first: a missing value is told apart from an unknown option */
	if (*shortopts == '+')
		snprintf(spec, sizeof(spec), "+:%s", shortopts + 1);
	else
		snprintf(spec, sizeof(spec), ":%s", shortopts);
	optind = 0;
	opterr = 0;
	for (;;) {
		idx = -1;
		c = getopt_long(argc, argv, spec, opts, &idx);
		if (c == -1)
			return 0;
		if (idx >= 0) {
			w = sf_long_word(argv, &opts[idx]);
			if (!sf_long_whole(w, &opts[idx]))
				return sf_usage_err("unknown option '%.*s'",
						    (int)strcspn(w, "="), w);
		}
		if (c == ':')
			return sf_usage_err("option '%s' needs a value",
					    argv[optind - 1]);
		if (c == '?') {
			if (optopt)
				return sf_usage_err("unknown option '-%c'",
						    optopt);
			return sf_usage_err("unknown option '%.*s'",
					    (int)strcspn(argv[optind - 1], "="),
					    argv[optind - 1]);
		}
		r = fn(c, optarg);
		if (r > 0)
			return sf_usage_err("unknown option '%s'",
					    argv[optind - 1]);
		if (r)
			return r;
	}
}

/* Numbers */

/* Decimal digits only: no sign, no space, no base prefix. */
int sf_parse_num(const char *what, const char *s, u64 min, u64 max, u64 *v)
{
	unsigned long long n;
	char *end;

	if (!isdigit((unsigned char)*s))
		return sf_usage_err("%s '%s': not a number", what, s);
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end)
		return sf_usage_err("%s '%s': not a number", what, s);
	if (errno == ERANGE || n < min || n > max)
		return sf_usage_err("%s '%s': out of range (%llu to %llu)",
				    what, s, (unsigned long long)min,
				    (unsigned long long)max);
	*v = n;
	return 0;
}

/*
 * A decimal number with an optional fraction, as an integer scaled by
 * 10^9 (to the billionth); *@end: the rest of @s.  -ERANGE past 2^64.
 */
static int sf_parse_fixed(const char *s, u64 *whole, u64 *billionths,
			  const char **end)
{
	unsigned long long w;
	u64 f = 0, scale = 100000000;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	w = strtoull(s, &e, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*e == '.') {
		e++;
		if (!isdigit((unsigned char)*e))
			return -EINVAL;
		for (; isdigit((unsigned char)*e); e++, scale /= 10) {
			if (!scale && *e != '0')
				return -EDOM;	/* finer than a billionth */
			f += (*e - '0') * scale;
		}
	}
	*whole = w;
	*billionths = f;
	*end = e;
	return 0;
}

/* @whole.@billionths times @unit / 10^9, or -ERANGE past @max. */
static int sf_scale(u64 whole, u64 billionths, u64 unit, u64 max, u64 *v)
{
	unsigned __int128 n = (unsigned __int128)whole * unit +
			      (unsigned __int128)billionths * unit / SF_PPB;

	if ((unsigned __int128)billionths * unit % SF_PPB)
		return -EDOM;
	if (n > max)
		return -ERANGE;
	*v = n;
	return 0;
}

static const struct {
	const char *unit;
	u64 ns;
} sf_time_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
	{ "s", SF_NS_PER_SEC }, { "m", 60 * SF_NS_PER_SEC },
	{ "h", 3600 * SF_NS_PER_SEC }, { "", SF_NS_PER_SEC },
};

int sf_parse_duration(const char *what, const char *s, u64 max, u64 *ns)
{
	u64 whole, part;
	const char *unit;
	char limit[32];
	unsigned int i;
	int r;

	r = sf_parse_fixed(s, &whole, &part, &unit);
	if (r == -EINVAL)
		return sf_usage_err("%s '%s': not a duration (e.g. 500us, 1.5s, 2m)",
				    what, s);
	for (i = 0; !r && i < ARRAY_SIZE(sf_time_units); i++)
		if (!strcmp(unit, sf_time_units[i].unit))
			break;
	if (!r && i == ARRAY_SIZE(sf_time_units))
		return sf_usage_err("%s '%s': unknown unit '%s' (use ns, us, ms, s, m or h)",
				    what, s, unit);
	if (!r)
		r = sf_scale(whole, part, sf_time_units[i].ns, max, ns);
	if (r == -EDOM)
		return sf_usage_err("%s '%s': finer than a nanosecond", what, s);
	sf_format_ns(limit, sizeof(limit), max);
	if (r)
		return sf_usage_err("%s '%s': longer than %s", what, s, limit);
	return 0;
}

/* "T" or "T~J": a delay, and how much it varies either way. */
int sf_parse_delay(const char *what, const char *s, u64 *ns, u64 *jitter)
{
	const char *tilde = strchr(s, '~');
	char t[64], j[64], w[64];
	int r;

	*jitter = 0;
	if (!tilde)
		return sf_parse_duration(what, s, SF_MAX_DURATION, ns);
	if ((size_t)(tilde - s) >= sizeof(t))
		return sf_usage_err("%s '%s': not a duration", what, s);
	snprintf(t, sizeof(t), "%.*s", (int)(tilde - s), s);
	snprintf(w, sizeof(w), "%s's jitter", what);
	r = sf_parse_duration(what, t, SF_MAX_DURATION, ns);
	if (!r)
		r = sf_parse_duration(w, tilde + 1, SF_MAX_DURATION, jitter);
	if (r)
		return r;
	if (*jitter > *ns) {
		sf_format_ns(j, sizeof(j), *jitter);
		sf_format_ns(t, sizeof(t), *ns);
		return sf_usage_err("%s '%s': the jitter (%s) is longer than the delay (%s)",
				    what, s, j, t);
	}
	return 0;
}

/* As the target writes and reads a time: digits and the largest exact unit. */
void sf_format_ns(char *buf, size_t size, u64 ns)
{
	static const char * const units[] = { "s", "ms", "us", "ns" };
	u64 div = SF_NS_PER_SEC;
	unsigned int i = 0;

	while (ns && ns % div && i < ARRAY_SIZE(units) - 1) {
		div /= 1000;
		i++;
	}
	snprintf(buf, size, "%llu%s", (unsigned long long)(ns / div), units[i]);
}

static const struct {
	const char *suffix;
	u64 bytes;
} sf_size_units[] = {
	{ "B", 1 },
	{ "K", 1ULL << 10 }, { "M", 1ULL << 20 }, { "G", 1ULL << 30 },
	{ "T", 1ULL << 40 },
	{ "KiB", 1ULL << 10 }, { "MiB", 1ULL << 20 }, { "GiB", 1ULL << 30 },
	{ "TiB", 1ULL << 40 },
	{ "KB", 1000ULL }, { "MB", 1000000ULL }, { "GB", 1000000000ULL },
	{ "TB", 1000000000000ULL },
};

/*
 * A size in bytes: a number and a suffix (see the top), or a bare number
 * of @bare_unit bytes.  Lower-case k, m, g, t are K, M, G, T.
 */
int sf_parse_size(const char *what, const char *s, u64 bare_unit, u64 max,
		  u64 *bytes)
{
	u64 whole, part, unit = bare_unit;
	const char *suffix;
	char sfx[8];
	unsigned int i;
	int r;

	r = sf_parse_fixed(s, &whole, &part, &suffix);
	if (r == -EINVAL)
		return sf_usage_err("%s '%s': not a size (e.g. 4096, 4k, 64M)",
				    what, s);
	if (!r && *suffix) {
		snprintf(sfx, sizeof(sfx), "%s", suffix);
		sfx[0] = toupper((unsigned char)sfx[0]);
		for (i = 0; i < ARRAY_SIZE(sf_size_units); i++)
			if (strlen(suffix) < sizeof(sfx) &&
			    !strcmp(sfx, sf_size_units[i].suffix))
				break;
		if (i == ARRAY_SIZE(sf_size_units))
			return sf_usage_err("%s '%s': unknown suffix '%s' (use K, M, G, T, KiB... or KB...)",
					    what, s, suffix);
		unit = sf_size_units[i].bytes;
	}
	if (!r)
		r = sf_scale(whole, part, unit, max, bytes);
	if (r == -EDOM)
		return sf_usage_err("%s '%s': not a whole number of bytes",
				    what, s);
	if (r)
		return sf_usage_err("%s '%s': larger than %llu bytes", what, s,
				    (unsigned long long)max);
	return 0;
}

/*
 * "0.001", "1", "0.1%": to the billionth, at most 1 (100%); -EINVAL,
 * -EDOM (finer) or -ERANGE (more than 1), silently.
 */
int sf_scan_ppb(const char *s, u32 *ppb)
{
	u64 whole, part, v = 0;
	const char *rest;
	int r;

	r = sf_parse_fixed(s, &whole, &part, &rest);
	if (!r && *rest && strcmp(rest, "%"))
		r = -EINVAL;
	if (!r)
		r = sf_scale(whole, part, *rest ? SF_PPB / 100 : SF_PPB,
			     SF_PPB, &v);
	if (!r)
		*ppb = v;
	return r;
}

int sf_parse_probability(const char *what, const char *s, u32 *ppb)
{
	int r = sf_scan_ppb(s, ppb);

	if (r == -EINVAL)
		return sf_usage_err("%s '%s': not a probability (e.g. 0.001 or 0.1%%)",
				    what, s);
	if (r == -EDOM)
		return sf_usage_err("%s '%s': finer than a billionth", what, s);
	if (r)
		return sf_usage_err("%s '%s': more than 1 (100%%)", what, s);
	return 0;
}

/* As the target reads a probability: 0, 1 or 0. and nine digits at most. */
void sf_format_ppb(char *buf, size_t size, u32 ppb)
{
	char digits[16];
	size_t n;

	if (!ppb || ppb >= SF_PPB) {
		snprintf(buf, size, "%u", ppb ? 1 : 0);
		return;
	}
	n = snprintf(digits, sizeof(digits), "%09u", ppb);
	while (n > 1 && digits[n - 1] == '0')
		digits[--n] = '\0';
	snprintf(buf, size, "0.%s", digits);
}
