// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-cols.c: the tables of ls, list, query, held and slots, as util-linux
 * prints them: libsmartcols lays out the text (a heading unless
 * --noheadings, the columns -o names, --raw for one space between
 * columns); --json prints the rows with sf-json.c instead, every column
 * whatever -o says, so that a program always finds the same keys.
 *
 * A verb declares its columns (struct sf_col), fills rows cell by cell as
 * text, and prints.  A cell that does not apply is NULL: "-" in the text,
 * null in JSON.
 */
#define _GNU_SOURCE
#include <libsmartcols.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "swapfail.h"

#define SF_COLS_MAX	16

struct sf_cols {
	const struct sf_col *cols;
	unsigned int nr_cols;
	const char *json_key;
	unsigned int shown[SF_COLS_MAX];	/* -o: indexes into cols */
	unsigned int nr_shown;
	char **cells;				/* nr_rows * nr_cols */
	unsigned int nr_rows, cap_rows;
};

static int sf_col_find(const struct sf_col *cols, unsigned int nr,
		       const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (strlen(cols[i].name) == len &&
		    !strncasecmp(cols[i].name, name, len))
			return i;
	return -1;
}

/* The columns to show: -o LIST, "+LIST" after the defaults, or those. */
static int sf_cols_columns(struct sf_cols *tb, const char *defaults)
{
	const char *list = sf_opts.output ? sf_opts.output : defaults;
	const char *p;
	size_t len;
	int i;

	if (*list == '+') {
		sf_cols_columns(tb, defaults);
		list++;
	}
	for (p = list; *p; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		i = sf_col_find(tb->cols, tb->nr_cols, p, len);
		if (i < 0)
			return sf_usage_err("--output: unknown column '%.*s' (see --help)",
					    (int)len, p);
		if (tb->nr_shown == SF_COLS_MAX)
			return sf_usage_err("--output: too many columns");
		tb->shown[tb->nr_shown++] = i;
	}
	if (!tb->nr_shown)
		return sf_usage_err("--output: no column named");
	return 0;
}

int sf_cols_open(struct sf_cols **tbp, const struct sf_col *cols,
		unsigned int nr, const char *defaults, const char *json_key)
{
	struct sf_cols *tb = calloc(1, sizeof(*tb));
	int r;

	*tbp = NULL;
	if (!tb)
		return -ENOMEM;
	tb->cols = cols;
	tb->nr_cols = min(nr, (unsigned int)SF_COLS_MAX);
	tb->json_key = json_key;
	r = sf_cols_columns(tb, defaults);
	if (r) {
		free(tb);
		return r;
	}
	*tbp = tb;
	return 0;
}

/* A new row; its cells are NULL until set. */
int sf_cols_row(struct sf_cols *tb)
{
	char **more;
	unsigned int cap;

	if (tb->nr_rows == tb->cap_rows) {
		cap = 2 * tb->cap_rows + 16;
		more = realloc(tb->cells, (size_t)cap * tb->nr_cols *
				sizeof(*more));
		if (!more)
			return -ENOMEM;
		tb->cells = more;
		tb->cap_rows = cap;
	}
	memset(&tb->cells[(size_t)tb->nr_rows * tb->nr_cols], 0,
	       tb->nr_cols * sizeof(*tb->cells));
	tb->nr_rows++;
	return 0;
}

static char **sf_cols_cell(struct sf_cols *tb, unsigned int row,
			  unsigned int col)
{
	return &tb->cells[(size_t)row * tb->nr_cols + col];
}

/* Set a cell of the last row (a copy of @value; NULL: none). */
void sf_cols_set(struct sf_cols *tb, unsigned int col, const char *value)
{
	char **cell = sf_cols_cell(tb, tb->nr_rows - 1, col);

	free(*cell);
	*cell = value ? strdup(value) : NULL;
}

void sf_cols_setf(struct sf_cols *tb, unsigned int col, const char *fmt, ...)
{
	char **cell = sf_cols_cell(tb, tb->nr_rows - 1, col);
	va_list ap;

	free(*cell);
	va_start(ap, fmt);
	if (vasprintf(cell, fmt, ap) < 0)
		*cell = NULL;
	va_end(ap);
}

/* Bytes as lsblk writes a size: 512M, 1.5G. */
static void sf_human_size(char *buf, size_t size, const char *bytes)
{
	static const char units[] = "BKMGTPE";
	unsigned long long b = strtoull(bytes, NULL, 10), rem = 0;
	unsigned int i = 0;

	while (b >= 1024 && i < sizeof(units) - 2) {
		rem = b % 1024;
		b /= 1024;
		i++;
	}
	if (i && rem * 10 / 1024)
		snprintf(buf, size, "%llu.%llu%c", b, rem * 10 / 1024, units[i]);
	else
		snprintf(buf, size, "%llu%c", b, units[i]);
}

static const char *sf_cols_text(const struct sf_col *col, const char *cell,
			       char *buf, size_t size)
{
	if (!cell)
		return "-";
	if (col->type == SF_COL_SIZE && !sf_opts.raw) {
		sf_human_size(buf, size, cell);
		return buf;
	}
	if (col->type == SF_COL_BOOL)
		return strcmp(cell, "0") ? "yes" : "no";
	return cell;
}

static int sf_cols_print_text(struct sf_cols *tb)
{
	struct libscols_table *st = scols_new_table();
	struct libscols_line *ln;
	const struct sf_col *col;
	unsigned int i, row;
	char buf[32];
	int r = -ENOMEM;

	if (!st)
		return -ENOMEM;
	scols_table_enable_noheadings(st, sf_opts.noheadings);
	scols_table_enable_raw(st, sf_opts.raw);
	for (i = 0; i < tb->nr_shown; i++) {
		col = &tb->cols[tb->shown[i]];
		if (!scols_table_new_column(st, col->name, 0,
					    col->right ? SCOLS_FL_RIGHT : 0))
			goto out;
	}
	for (row = 0; row < tb->nr_rows; row++) {
		ln = scols_table_new_line(st, NULL);
		if (!ln)
			goto out;
		for (i = 0; i < tb->nr_shown; i++) {
			col = &tb->cols[tb->shown[i]];
			if (scols_line_set_data(ln, i,
					sf_cols_text(col, *sf_cols_cell(tb, row, tb->shown[i]),
						    buf, sizeof(buf))))
				goto out;
		}
	}
	r = scols_print_table(st) ? -EIO : 0;
out:
	scols_unref_table(st);
	return r;
}

/* One row as a JSON object: every column, typed. */
static void sf_cols_json_row(struct sf_cols *tb, unsigned int row)
{
	const struct sf_col *col;
	const char *cell;
	unsigned int i;

	sf_jopen(NULL, '{');
	for (i = 0; i < tb->nr_cols; i++) {
		col = &tb->cols[i];
		cell = *sf_cols_cell(tb, row, i);
		if (!cell)
			sf_jnull(col->key);
		else if (col->type == SF_COL_NUM || col->type == SF_COL_SIZE)
			sf_jraw(col->key, cell);
		else if (col->type == SF_COL_BOOL)
			sf_jbool(col->key, strcmp(cell, "0"));
		else
			sf_jstr(col->key, cell);
	}
	sf_jclose();
}

/* The rows as the array @tb->json_key of the object the caller opened. */
void sf_cols_json(struct sf_cols *tb)
{
	unsigned int row;

	sf_jopen(tb->json_key, '[');
	for (row = 0; row < tb->nr_rows; row++)
		sf_cols_json_row(tb, row);
	sf_jclose();
}

/* Print the table: text, or {"KEY": [rows]} with --json. */
int sf_cols_print(struct sf_cols *tb)
{
	if (!sf_opts.json)
		return sf_cols_print_text(tb);
	sf_jopen(NULL, '{');
	sf_cols_json(tb);
	sf_jclose();
	return 0;
}

void sf_cols_free(struct sf_cols *tb)
{
	size_t i;

	if (!tb)
		return;
	for (i = 0; i < (size_t)tb->nr_rows * tb->nr_cols; i++)
		free(tb->cells[i]);
	free(tb->cells);
	free(tb);
}
