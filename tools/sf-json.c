// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-json.c: the JSON that --json prints, one object on one line.
 *
 * A small writer with one nesting stack: sf_jopen() starts an object or
 * an array (as the value of @key inside an object, or an element with a
 * NULL key inside an array), the sf_j*() calls add members, sf_jclose()
 * ends the innermost one and, at the outermost, the line.  Members are
 * separated by ", " and keys by ": ", as status --json always wrote them.
 * Addresses are strings ("0x7f..."): a JSON number is a double to many
 * readers and would lose the low bits of a 64-bit address.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "swapfail.h"

#define SF_JSON_DEPTH	16

static struct {
	FILE *out;			/* NULL: stdout */
	int depth;
	bool first[SF_JSON_DEPTH];
	char close[SF_JSON_DEPTH];
	bool printed;			/* a whole object went out */
} sf_json;

static FILE *sf_jout(void)
{
	return sf_json.out ? sf_json.out : stdout;
}

#define jputc(c)	fputc((c), sf_jout())
#define jputs(s)	fputs((s), sf_jout())
#define jprintf(...)	fprintf(sf_jout(), __VA_ARGS__)

/*
 * Write the next objects to @f (NULL: stdout) instead: run's record.
 * Returns where they went before.
 */
FILE *sf_json_to(FILE *f)
{
	FILE *old = sf_json.out;

	sf_json.out = f;
	return old;
}

/* The length of the UTF-8 sequence at @s, or 0 if it is not a valid one. */
static int sf_utf8_len(const unsigned char *s)
{
	unsigned int c = s[0], n, i, min;
	u32 cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, cp = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, cp = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates and past U+10FFFF are not text */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * A JSON string: valid UTF-8 whatever the bytes (a mapping's or a file's
 * name is whatever the kernel holds): a byte that starts no valid
 * sequence is written as U+FFFD, the replacement character.
 */
static void sf_jstring(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n;

	jputc('"');
	while (*s) {
		n = sf_utf8_len(s);
		if (!n) {
			jputs("\\ufffd");
			s++;
		} else if (*s == '"' || *s == '\\') {
			jprintf("\\%c", *s++);
		} else if (*s < 0x20 || *s == 0x7f) {
			jprintf("\\u%04x", *s++);
		} else {
			fwrite(s, 1, n, sf_jout());
			s += n;
		}
	}
	jputc('"');
}

/* The separator and key before a member (no key: an array element). */
static void sf_jkey(const char *key)
{
	if (sf_json.depth && !sf_json.first[sf_json.depth - 1])
		jputs(", ");
	if (sf_json.depth)
		sf_json.first[sf_json.depth - 1] = false;
	if (key) {
		sf_jstring(key);
		jputs(": ");
	}
}

void sf_jopen(const char *key, char bracket)
{
	sf_jkey(key);
	jputc(bracket);
	if (sf_json.depth == SF_JSON_DEPTH)
		abort();		/* a bug, not an input */
	sf_json.first[sf_json.depth] = true;
	sf_json.close[sf_json.depth++] = bracket == '{' ? '}' : ']';
}

void sf_jclose(void)
{
	jputc(sf_json.close[--sf_json.depth]);
	if (!sf_json.depth) {
		/* one object per line: trace and watch stream them (NDJSON) */
		jputc('\n');
		if (!sf_json.out)
			sf_stdout_flush();
		else
			fflush(sf_json.out);
		if (!sf_json.out)
			sf_json.printed = true;
	}
}

void sf_jstr(const char *key, const char *s)
{
	if (!s) {
		sf_jnull(key);
		return;
	}
	sf_jkey(key);
	sf_jstring(s);
}

void sf_ju64(const char *key, u64 v)
{
	sf_jkey(key);
	jprintf("%llu", (unsigned long long)v);
}

void sf_jint(const char *key, long long v)
{
	sf_jkey(key);
	jprintf("%lld", v);
}

void sf_jbool(const char *key, bool v)
{
	sf_jkey(key);
	jputs(v ? "true" : "false");
}

void sf_jnull(const char *key)
{
	sf_jkey(key);
	jputs("null");
}

/* A probability as a number: 0, 1 or 0.0...1, exact to the billionth. */
void sf_jppb(const char *key, u32 ppb)
{
	char buf[24];

	sf_format_ppb(buf, sizeof(buf), ppb);
	sf_jkey(key);
	jputs(buf);
}

/* A time in ns as seconds, to the millisecond. */
void sf_jsec(const char *key, u64 ns)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu.%03llu",
		 (unsigned long long)(ns / SF_NS_PER_SEC),
		 (unsigned long long)(ns % SF_NS_PER_SEC / 1000000));
	sf_jraw(key, buf);
}

/* A number the caller has already written as JSON digits. */
void sf_jraw(const char *key, const char *number)
{
	sf_jkey(key);
	jputs(number);
}

void sf_jaddr(const char *key, u64 addr)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%#llx", (unsigned long long)addr);
	sf_jstr(key, buf);
}

/* A block device as "MAJ:MIN", the way tables and the kernel log name it. */
void sf_jdev(const char *key, dev_t dev)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%u:%u", major(dev), minor(dev));
	sf_jstr(key, buf);
}

/*
 * A verb in JSON mode failed before it printed its object: print the
 * failure as one, so that a program reading stdout always gets a line.
 */
void sf_json_failed(int err)
{
	if (!sf_opts.json || sf_json.printed || !err)
		return;
	while (sf_json.depth)		/* a half-written object: end it */
		sf_jclose();
	if (sf_json.printed)
		return;
	sf_jopen(NULL, '{');
	sf_jint("exit", sf_exit_code(err));
	sf_jstr("error", *sf_last_err() ? sf_last_err() : strerror(-err));
	sf_jclose();
}
