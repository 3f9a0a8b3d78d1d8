// SPDX-License-Identifier: GPL-2.0-only
/*
 * jsoncheck: check swapfail's JSON against the schemas of its man page.
 *
 *   jsoncheck TYPE < OUTPUT      each line of OUTPUT one JSON value of TYPE
 *   jsoncheck --list             the types the man page defines
 *
 * The schemas are those of swapfail(8)'s JSON OUTPUT section, taken from
 * tools/swapfail.8 when this is built (man-schemas.awk): what the man page
 * promises is what the tests check.  A line must be valid JSON (RFC 8259,
 * in valid UTF-8) and match TYPE: the object's keys all there, in the
 * order written, and no other (unless the schema ends with "..."), each
 * value of its type.  Schema types: string, number, bool, null, "literal",
 * T|U, [T...] (an array of T), {"key": T, ...} and the name of another
 * schema.  Exit 0 if every line matches; else 1, with each mismatch on
 * stderr (line, where in the value, what was expected).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-schemas.h"	/* struct { name, schema } json_schemas[] */

/* A parsed JSON value. */
enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	char *str;			/* J_STR: the text; J_OBJ members: keys */
	struct jval **items;		/* J_ARR, J_OBJ */
	char **keys;
	int nr;
};

struct parser {
	const char *s;
	const char *err;
};

static void ws(struct parser *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static struct jval *jnew(enum jtype t)
{
	struct jval *v = calloc(1, sizeof(*v));

	if (!v) {
		perror("jsoncheck");
		exit(2);
	}
	v->type = t;
	return v;
}

static void jpush(struct jval *v, char *key, struct jval *item)
{
	v->items = realloc(v->items, (v->nr + 1) * sizeof(*v->items));
	v->keys = realloc(v->keys, (v->nr + 1) * sizeof(*v->keys));
	if (!v->items || !v->keys) {
		perror("jsoncheck");
		exit(2);
	}
	v->items[v->nr] = item;
	v->keys[v->nr++] = key;
}

/*
 * Frees @v and what it holds: a record of a run is a line per fault, and
 * hundreds of thousands of lines kept would run the guest out of memory.
 */
static void jfree(struct jval *v)
{
	int i;

	if (!v)
		return;
	for (i = 0; i < v->nr; i++) {
		jfree(v->items[i]);
		free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

/* The length of a valid UTF-8 sequence at @s, or 0. */
static int utf8(const unsigned char *s)
{
	unsigned int c = s[0], n, i, cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static char *jstring(struct parser *p)
{
	size_t cap = 64, len = 0;
	char *out = malloc(cap);
	int n;

	if (*p->s++ != '"')
		return p->err = "a string", free(out), NULL;
	while (*p->s != '"') {
		if (len + 8 > cap)
			out = realloc(out, cap *= 2);
		if (!out) {
			perror("jsoncheck");
			exit(2);
		}
		if ((unsigned char)*p->s < 0x20)
			return p->err = "a control character in a string",
			       free(out), NULL;
		if (*p->s == '\\') {
			p->s++;
			if (*p->s == 'u') {
				for (n = 1; n <= 4; n++)
					if (!isxdigit((unsigned char)p->s[n]))
						return p->err = "a bad \\u escape",
						       free(out), NULL;
				out[len++] = '?';
				p->s += 5;
				continue;
			}
			if (!strchr("\"\\/bfnrt", *p->s))
				return p->err = "a bad escape", free(out), NULL;
			out[len++] = *p->s++;
			continue;
		}
		n = utf8((const unsigned char *)p->s);
		if (!n)
			return p->err = "invalid UTF-8", free(out), NULL;
		memcpy(out + len, p->s, n);
		len += n;
		p->s += n;
	}
	p->s++;
	out[len] = '\0';
	return out;
}

static struct jval *jvalue(struct parser *p);

static struct jval *jcontainer(struct parser *p, char open)
{
	struct jval *v = jnew(open == '[' ? J_ARR : J_OBJ), *item;
	char *key = NULL;

	p->s++;
	ws(p);
	if (*p->s == (open == '[' ? ']' : '}')) {
		p->s++;
		return v;
	}
	for (;;) {
		ws(p);
		if (open == '{') {
			key = jstring(p);
			if (!key)
				return NULL;
			ws(p);
			if (*p->s++ != ':')
				return p->err = "':' after a key", NULL;
		}
		item = jvalue(p);
		if (!item)
			return NULL;
		jpush(v, key, item);
		ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s++ != (open == '[' ? ']' : '}'))
			return p->err = "',' or the closing bracket", NULL;
		return v;
	}
}

static struct jval *jvalue(struct parser *p)
{
	struct jval *v;
	const char *start;

	ws(p);
	if (*p->s == '{' || *p->s == '[')
		return jcontainer(p, *p->s);
	if (*p->s == '"') {
		v = jnew(J_STR);
		v->str = jstring(p);
		return v->str ? v : NULL;
	}
	if (!strncmp(p->s, "null", 4) || !strncmp(p->s, "true", 4) ||
	    !strncmp(p->s, "false", 5)) {
		v = jnew(*p->s == 'n' ? J_NULL : J_BOOL);
		p->s += *p->s == 'f' ? 5 : 4;
		return v;
	}
	/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
	start = p->s;
	if (*p->s == '-')
		p->s++;
	if (*p->s == '0')
		p->s++;
	else if (isdigit((unsigned char)*p->s))
		while (isdigit((unsigned char)*p->s))
			p->s++;
	else
		return p->err = "a value", NULL;
	if (*p->s == '.') {
		p->s++;
		if (!isdigit((unsigned char)*p->s))
			return p->err = "digits after '.'", NULL;
		while (isdigit((unsigned char)*p->s))
			p->s++;
	}
	if (*p->s == 'e' || *p->s == 'E') {
		p->s++;
		if (*p->s == '+' || *p->s == '-')
			p->s++;
		if (!isdigit((unsigned char)*p->s))
			return p->err = "an exponent", NULL;
		while (isdigit((unsigned char)*p->s))
			p->s++;
	}
	v = jnew(J_NUM);
	v->str = strndup(start, p->s - start);
	return v;
}

/* Schemas: matched as text, straight from the man page's words. */

static int failures;

static const char *schema_of(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < sizeof(json_schemas) / sizeof(json_schemas[0]); i++)
		if (strlen(json_schemas[i].name) == len &&
		    !strncmp(json_schemas[i].name, name, len))
			return json_schemas[i].schema;
	return NULL;
}

static void sskip(const char **s)
{
	while (isspace((unsigned char)**s))
		(*s)++;
}

/* The end of the type starting at @s: past its brackets and quotes. */
static const char *type_end(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '"') {
			s = strchr(s + 1, '"');
			if (!s)
				return NULL;
			continue;
		}
		if (*s == '[' || *s == '{')
			depth++;
		else if (*s == ']' || *s == '}')
			depth--;
		if (depth < 0 || (!depth && (*s == ',' || !strncmp(s, "...", 3))))
			return s;
	}
	return s;
}

static bool match(const char *where, const char *type, const char *end,
		  const struct jval *v, bool report);

static void mismatch(const char *where, const char *type, const char *end,
		     const char *what)
{
	fprintf(stderr, "  %s: expected %.*s, %s\n", *where ? where : "(top)",
		(int)(end - type), type, what);
	failures++;
}

static bool match_object(const char *where, const char *s, const char *end,
			 const struct jval *v, bool report)
{
	char path[512], key[128];
	const char *k, *te;
	bool open = false;
	int i = 0;

	if (v->type != J_OBJ) {
		if (report)
			mismatch(where, s - 1, end, "not an object");
		return false;
	}
	for (;;) {
		sskip(&s);
		if (*s == '}' || s >= end)
			break;
		if (!strncmp(s, "...", 3)) {
			open = true;
			break;
		}
		if (*s != '"')
			return fprintf(stderr, "jsoncheck: bad schema at '%s'\n", s),
			       exit(2), false;
		k = s + 1;
		s = strchr(k, '"');
		snprintf(key, sizeof(key), "%.*s", (int)(s - k), k);
		s = strchr(s, ':') + 1;
		sskip(&s);
		te = type_end(s);
		snprintf(path, sizeof(path), "%s.%s", where, key);
		if (i >= v->nr || strcmp(v->keys[i], key)) {
			if (report) {
				fprintf(stderr, "  %s: expected key \"%s\" here, found %s%s%s\n",
					*where ? where : "(top)", key,
					i < v->nr ? "\"" : "",
					i < v->nr ? v->keys[i] : "the end",
					i < v->nr ? "\"" : "");
				failures++;
			}
			return false;
		}
		if (!match(path, s, te, v->items[i], report))
			return false;
		i++;
		s = te;
		sskip(&s);
		if (*s == ',')
			s++;
	}
	if (!open && i < v->nr) {
		if (report) {
			fprintf(stderr, "  %s: key \"%s\" is not in the schema\n",
				*where ? where : "(top)", v->keys[i]);
			failures++;
		}
		return false;
	}
	return true;
}

/* Does @v match the type text [@type, @end)? */
static bool match(const char *where, const char *type, const char *end,
		  const struct jval *v, bool report)
{
	static const char * const names[] = {
		[J_NULL] = "null", [J_BOOL] = "bool", [J_NUM] = "number",
		[J_STR] = "string", [J_ARR] = "an array", [J_OBJ] = "an object",
	};
	const char *alt = type, *aend, *s, *named, *item_end;
	bool one = true;
	char path[512];
	int depth, i;

	/* a union (a '|' outside brackets) says only that none matched */
	for (s = type, depth = 0; s < end; s++) {
		if (*s == '"')
			s = strchr(s + 1, '"');
		else if (*s == '[' || *s == '{')
			depth++;
		else if (*s == ']' || *s == '}')
			depth--;
		else if (!depth && *s == '|')
			one = false;
	}
	report = report && one;
	/* one alternative at a time: T|U */
	while (alt < end) {
		sskip(&alt);
		for (s = alt, depth = 0; s < end; s++) {
			if (*s == '"')
				s = strchr(s + 1, '"');
			else if (*s == '[' || *s == '{')
				depth++;
			else if (*s == ']' || *s == '}')
				depth--;
			else if (!depth && *s == '|')
				break;
		}
		aend = s;
		while (aend > alt && isspace((unsigned char)aend[-1]))
			aend--;
		if (*alt == '{') {
			if (v->type == J_OBJ &&
			    match_object(where, alt + 1, aend - 1, v, report))
				return true;
			if (v->type == J_OBJ && report)
				return false;	/* said why */
		} else if (*alt == '[') {
			item_end = type_end(alt + 1);
			if (v->type == J_ARR) {
				for (i = 0; i < v->nr; i++) {
					snprintf(path, sizeof(path), "%s[%d]",
						 where, i);
					if (!match(path, alt + 1, item_end,
						   v->items[i], report))
						return false;
				}
				return true;
			}
		} else if (*alt == '"') {
			if (v->type == J_STR && (size_t)(aend - alt - 2) ==
			    strlen(v->str) && !strncmp(alt + 1, v->str,
						       aend - alt - 2))
				return true;
		} else if (!strncmp(alt, "string", aend - alt)) {
			if (v->type == J_STR)
				return true;
		} else if (!strncmp(alt, "number", aend - alt)) {
			if (v->type == J_NUM)
				return true;
		} else if (!strncmp(alt, "bool", aend - alt)) {
			if (v->type == J_BOOL)
				return true;
		} else if (!strncmp(alt, "null", aend - alt)) {
			if (v->type == J_NULL)
				return true;
		} else {
			named = schema_of(alt, aend - alt);
			if (!named) {
				fprintf(stderr, "jsoncheck: no schema '%.*s' in the man page\n",
					(int)(aend - alt), alt);
				exit(2);
			}
			if (match(where, named, named + strlen(named), v,
				  report))
				return true;
			if (report)
				return false;	/* said why */
		}
		alt = s + 1;
	}
	if (report)
		mismatch(where, type, end, names[v->type]);
	return false;
}

int main(int argc, char **argv)
{
	const char *schema;
	struct parser p;
	struct jval *v;
	char *line = NULL;
	size_t size = 0;
	unsigned int i;
	int nr = 0;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < sizeof(json_schemas) / sizeof(json_schemas[0]); i++)
			printf("%s\t%s\n", json_schemas[i].name,
			       json_schemas[i].schema);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: jsoncheck TYPE < OUTPUT | jsoncheck --list\n");
		return 64;
	}
	schema = schema_of(argv[1], strlen(argv[1]));
	if (!schema) {
		fprintf(stderr, "jsoncheck: no schema '%s' in the man page\n",
			argv[1]);
		return 2;
	}
	while (getline(&line, &size, stdin) > 0) {
		nr++;
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		p.s = line;
		p.err = NULL;
		v = jvalue(&p);
		if (v)
			ws(&p);
		if (!v || *p.s) {
			fprintf(stderr, "line %d: not JSON: expected %s at '%.20s'\n",
				nr, p.err ? p.err : "the end", p.s);
			failures++;
			continue;
		}
		if (!match("", schema, schema + strlen(schema), v, true)) {
			fprintf(stderr, "line %d: not a %s\n", nr, argv[1]);
			failures++;
		}
		jfree(v);
	}
	if (!nr) {
		fprintf(stderr, "jsoncheck: no line on stdin\n");
		return 1;
	}
	return failures ? 1 : 0;
}
