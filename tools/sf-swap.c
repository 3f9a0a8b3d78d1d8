// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-swap.c: where a process's pages are in swap (slots), and making
 * exactly those pages fail (target).
 *
 * A swapped page's pagemap entry gives its swap type and slot
 * (sf-proc.c); the type is the swap area, whose slot is a sector of the
 * block device the kernel reads it from (sf-area.c, sf-file.c), which is,
 * or sits on, a swapfail device (sf-stack.c).  target adds the blocks
 * that hold the chosen pages with one add message, and only once every
 * page is known to be in swap on the device named: anything else is
 * refused and nothing is added.
 *
 * The pages: --addr A (and --pages N) or --addr A-B, every one of which
 * must be in swap on NAME; or, with --map M (the mappings /proc/PID/maps
 * names M) or --addr A-B and --all, --random N or --pages N, a choice
 * among those of their pages that are in swap on NAME.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "swapfail.h"

#define SF_MAX_PAGES		(1UL << 20)
#define SF_CHUNK		512

/* Where one page is. */
struct sf_page {
	u64 addr;
	struct sf_area *area;		/* NULL: not in swap */
	unsigned int type;
	u64 slot;
	struct sf_loc loc;
	int err;			/* 0: on a swapfail device, else why not */
};

static u64 sf_page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

static int sf_hidden(void)
{
	sf_err("swap slots are hidden: /proc/PID/pagemap shows them to CAP_SYS_ADMIN only");
	return -EPERM;
}

/*
 * Where the page of pagemap entry @e is: 0 if it is in swap (@p->err
 * then says whether it is on a swapfail device: sf_stack_locate()),
 * -SF_ENOTSWAPPED if it is not (or its type matches no listed area),
 * -EPERM if slots are hidden.
 */
static int sf_page_locate(struct sf_areas *as, u64 e, struct sf_page *p)
{
	p->area = NULL;
	p->err = -SF_ENOTSWAPPED;
	memset(&p->loc, 0, sizeof(p->loc));
	if (!(e & PM_SWAP) || (e & PM_PRESENT))
		return -SF_ENOTSWAPPED;
	if (!(e & PM_FRAME))
		return -EPERM;
	if (PM_SWAP_TYPE(e) >= as->nr)
		return -SF_ENOTSWAPPED;
	p->type = PM_SWAP_TYPE(e);
	p->area = &as->a[p->type];
	p->slot = PM_SWAP_SLOT(e);
	p->err = sf_area_locate(p->area, p->slot, &p->loc, NULL);
	return 0;
}

static void sf_put_blocks(char *buf, size_t size, const struct sf_page *p)
{
	if (p->err)
		snprintf(buf, size, "-");
	else if (p->loc.blocks.first == p->loc.blocks.last)
		snprintf(buf, size, "%llu",
			 (unsigned long long)p->loc.blocks.first);
	else
		snprintf(buf, size, "%llu-%llu",
			 (unsigned long long)p->loc.blocks.first,
			 (unsigned long long)p->loc.blocks.last);
}

/* Where the kernel does the page's I/O, and the swapfail blocks under it. */
static void sf_loc_json(const struct sf_page *p)
{
	bool found = p->area && !p->err;

	if (p->area && p->loc.dev) {
		sf_jdev("dev", p->loc.dev);
		sf_jstr("device", sf_dev_name(p->loc.dev));
		sf_ju64("sector", p->loc.sector);
	} else {
		sf_jnull("dev");
		sf_jnull("device");
		sf_jnull("sector");
	}
	sf_jstr("swapfail", found ? p->loc.table->name : NULL);
	if (found) {
		sf_ju64("block_first", p->loc.blocks.first);
		sf_ju64("block_last", p->loc.blocks.last);
	} else {
		sf_jnull("block_first");
		sf_jnull("block_last");
	}
}

/*
 * The devices the page's I/O goes through, the kernel's first, each with
 * what it is there (linear, crypt, partition...) and the page's sector.
 */
static void sf_page_path_json(const struct sf_page *p)
{
	struct sf_hops hops = { .nr = 0 };
	struct sf_loc loc;

	if (p->area)
		sf_area_locate(p->area, p->slot, &loc, &hops);
	sf_hops_json(&hops);
}

/* One page as a JSON object (see swapfail(8), JSON OUTPUT). */
static void sf_page_json(const struct sf_page *p)
{
	sf_jopen(NULL, '{');
	sf_jaddr("addr", p->addr);
	sf_jstr("area", p->area ? p->area->path : NULL);
	sf_jstr("area_kind", !p->area ? NULL :
		p->area->partition ? "partition" : "file");
	if (p->area) {
		sf_ju64("swap_type", p->type);
		sf_ju64("slot", p->slot);
	} else {
		sf_jnull("swap_type");
		sf_jnull("slot");
	}
	sf_loc_json(p);
	sf_page_path_json(p);
	sf_jstr("refused", !p->err ? NULL : p->area ? p->loc.why :
		"not in swap");
	sf_jclose();
}

static void sf_warnings_json(void)
{
	const char *const *w;
	unsigned int i, n = sf_warnings(&w);

	sf_jopen("warnings", '[');
	for (i = 0; i < n; i++)
		sf_jstr(NULL, w[i]);
	sf_jclose();
}

/* "A" or "A-B", hexadecimal, 0x optional. */
static int sf_parse_addr(const char *s, u64 *a, u64 *b, bool *has_end)
{
	char *end;

	errno = 0;
	*a = strtoull(s, &end, 16);
	*has_end = *end == '-';
	if (*has_end)
		*b = strtoull(end + 1, &end, 16);
	if (errno || *end || end == s || !isxdigit((unsigned char)*s) ||
	    (*has_end && *b <= *a))
		return sf_usage_err("--addr %s: give A or A-B, in hex (as /proc/PID/maps)",
				    s);
	return 0;
}

enum sf_pick {
	SF_PICK_EXACT,			/* --addr: every page; --map: the first N */
	SF_PICK_ALL,
	SF_PICK_RANDOM,
};

struct sf_swap_opts {
	u64 pid;
	const char *addr;
	const char *map;
	u64 pages;
	enum sf_pick pick;
	u64 random;
	u64 seed;
	bool has_seed;
	bool writeback;
	bool resident;			/* pageout: what is in memory */
	u64 timeout;			/* pageout: ns */
};

static struct sf_swap_opts sf_swap_o = { .timeout = 10 * SF_NS_PER_SEC };

enum {
	SF_OPT_PAGES = SF_OPT_LOCAL,
	SF_OPT_ALL,
	SF_OPT_RANDOM,
	SF_OPT_SEED,
	SF_OPT_WRITEBACK,
	SF_OPT_ALLOW_UNWRITTEN,
};

static int sf_count_opt(const char *what, const char *arg, u64 *v)
{
	return sf_parse_num(what, arg, 1, SF_MAX_PAGES, v);
}

/* The options of slots and target (and target's attributes). */
static int sf_swap_opt(int c, const char *arg)
{
	struct sf_swap_opts *o = &sf_swap_o;

	switch (c) {
	case 'p':
		return sf_parse_num("--pid", arg, 1, INT_MAX, &o->pid);
	case 'a':
		o->addr = arg;
		return 0;
	case 'M':
		o->map = arg;
		return 0;
	case SF_OPT_PAGES:
		return sf_count_opt("--pages", arg, &o->pages);
	case SF_OPT_ALL:
		o->pick = SF_PICK_ALL;
		return 0;
	case SF_OPT_RANDOM:
		o->pick = SF_PICK_RANDOM;
		return sf_count_opt("--random", arg, &o->random);
	case SF_OPT_SEED:
		o->has_seed = true;
		return sf_parse_num("--seed", arg, 0, UINT64_MAX, &o->seed);
	case SF_OPT_WRITEBACK:
		o->writeback = true;
		return 0;
	case SF_OPT_ALLOW_UNWRITTEN:
		sf_opts.allow_unwritten = true;
		return 0;
	case 't':
		return sf_parse_duration("--timeout", arg, SF_MAX_DURATION,
					 &o->timeout);
	}
	return sf_attr_opt(c, arg);
}

#define SF_OPTS_PAGES							\
	{ "pid", required_argument, NULL, 'p' },			\
	{ "addr", required_argument, NULL, 'a' },			\
	{ "map", required_argument, NULL, 'M' },			\
	{ "pages", required_argument, NULL, SF_OPT_PAGES },		\
	{ "allow-unwritten", no_argument, NULL, SF_OPT_ALLOW_UNWRITTEN }

static const struct option sf_slots_opts[] = {
	SF_OPTS_PAGES,
	{ NULL, 0, NULL, 0 }
};

const struct sf_optset sf_slots_optset = { "p:a:M:", sf_slots_opts,
					   sf_swap_opt };

static const struct option sf_target_opts[] = {
	SF_OPTS_PAGES,
	{ "all", no_argument, NULL, SF_OPT_ALL },
	{ "random", required_argument, NULL, SF_OPT_RANDOM },
	{ "seed", required_argument, NULL, SF_OPT_SEED },
	{ "writeback", no_argument, NULL, SF_OPT_WRITEBACK },
	SF_OPTS_ATTR,
	{ NULL, 0, NULL, 0 }
};

const struct sf_optset sf_target_optset = { "p:a:M:" SF_SHORT_ATTR,
					    sf_target_opts, sf_swap_opt };

static const struct option sf_pageout_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "addr", required_argument, NULL, 'a' },
	{ "map", required_argument, NULL, 'M' },
	{ "pages", required_argument, NULL, SF_OPT_PAGES },
	{ "timeout", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

const struct sf_optset sf_pageout_optset = { "p:a:M:t:", sf_pageout_opts,
					     sf_swap_opt };

/* The pages [*start, *end) that --addr and --pages name. */
static int sf_swap_span(const struct sf_swap_opts *o, u64 *start, u64 *end)
{
	u64 page = sf_page_size(), a, b = 0;
	bool has_end;
	int r;

	r = sf_parse_addr(o->addr, &a, &b, &has_end);
	if (r)
		return r;
	if (has_end && o->pages)
		return sf_usage_err("give --addr A-B or --addr A --pages N");
	if (!has_end && o->pick != SF_PICK_EXACT)
		return sf_usage_err("--all and --random take --map M or --addr A-B");
	*start = a & ~(page - 1);
	if (!has_end)
		b = *start + (o->pages ? o->pages : 1) * page;
	if (b < *start)
		return sf_usage_err("--addr %s: past the end of memory", o->addr);
	*end = (b + page - 1) & ~(page - 1);
	return 0;
}

/* The spans of the pages asked for: --addr's, --map's, or every mapping. */
struct sf_spans {
	struct sf_maps maps;		/* all the process's mappings */
	u64 (*s)[2];
	unsigned int nr;
};

static int sf_spans_push(struct sf_spans *sp, u64 start, u64 end)
{
	u64 (*s)[2] = realloc(sp->s, (sp->nr + 1) * sizeof(*s));

	if (!s)
		return -ENOMEM;
	sp->s = s;
	sp->s[sp->nr][0] = start;
	sp->s[sp->nr++][1] = end;
	return 0;
}

static void sf_spans_free(struct sf_spans *sp)
{
	sf_maps_free(&sp->maps);
	free(sp->s);
	memset(sp, 0, sizeof(*sp));
}

/*
 * --map M: the mappings named M; without --addr or --map: the mappings
 * with pages in swap (slots) or with anonymous pages in memory (pageout),
 * as smaps says.
 */
static int sf_spans_maps(const struct sf_swap_opts *o, struct sf_spans *sp)
{
	const struct sf_map *m;
	unsigned int i;
	int r = 0;

	for (i = 0; !r && i < sp->maps.nr; i++) {
		m = &sp->maps.m[i];
		/* pageout: what MADV_PAGEOUT takes, not locked or hugetlb */
		if (o->map ? !strcmp(m->name, o->map) :
		    o->resident ? m->anon_kb > 0 && !m->shmem && !m->locked &&
				  !m->hugetlb :
		    m->swap_kb > 0)
			r = sf_spans_push(sp, m->start, m->end);
	}
	if (!r && o->map && !sp->nr) {
		sf_err("process %d has no mapping named '%s' (see /proc/%d/maps)",
		       (int)o->pid, o->map, (int)o->pid);
		r = -SF_ENOTSWAPPED;
	}
	return r;
}

static int sf_spans_get(const struct sf_swap_opts *o, struct sf_spans *sp)
{
	u64 start = 0, end = 0;
	int r;

	memset(sp, 0, sizeof(*sp));
	if (o->addr && o->map)
		return sf_usage_err("give --addr or --map, not both");
	r = sf_maps_load(o->pid, &sp->maps, SF_MAPS_SHMEM);
	if (r)
		return r;
	if (!o->addr)
		return sf_spans_maps(o, sp);
	r = sf_swap_span(o, &start, &end);
	return r ? r : sf_spans_push(sp, start, end);
}

/* Notes on shared memory in swap in the spans: its slots are not shown. */
static void sf_shmem_notes(const struct sf_spans *sp, const struct sf_swap_opts *o)
{
	const struct sf_map *m;
	unsigned int i, k;

	for (i = 0; i < sp->maps.nr; i++) {
		m = &sp->maps.m[i];
		if (!m->shmem || !m->swap_kb)
			continue;
		for (k = 0; k < sp->nr; k++)
			if (sp->s[k][0] < m->end && m->start < sp->s[k][1])
				break;
		if (k < sp->nr || (!o->addr && !o->map))
			sf_note("%llu kB of %s at %#llx-%#llx (%s) are in swap: pagemap does not show the slots of shared memory",
				(unsigned long long)m->swap_kb, m->kind,
				(unsigned long long)m->start,
				(unsigned long long)m->end, m->name);
	}
}

static void sf_shmem_json(const struct sf_spans *sp)
{
	const struct sf_map *m;
	unsigned int i;

	sf_jopen("shared_memory", '[');
	for (i = 0; i < sp->maps.nr; i++) {
		m = &sp->maps.m[i];
		if (!m->shmem || !m->swap_kb)
			continue;
		sf_jopen(NULL, '{');
		sf_jaddr("start", m->start);
		sf_jaddr("end", m->end);
		sf_jstr("name", m->name);
		sf_jstr("kind", m->kind);
		sf_ju64("swap_kb", m->swap_kb);
		sf_jclose();
	}
	sf_jclose();
}

/* Read the pagemap entries of [start, end) a chunk at a time. */
struct sf_scan {
	int fd;
	struct sf_areas *as;
	u64 found;
	int (*fn)(struct sf_scan *sc, struct sf_page *p);
	void *ctx;
};

/* Call @sc->fn for every page of [start, end) that is in swap. */
static int sf_scan_span(struct sf_scan *sc, u64 start, u64 end)
{
	u64 e[SF_CHUNK], page = sf_page_size();
	struct sf_page p;
	long n, i;
	int r;

	while (start < end) {
		n = min_t(u64, (end - start) / page, SF_CHUNK);
		n = sf_pagemap_read(sc->fd, start, e, n);
		if (n <= 0)
			return n;
		for (i = 0; i < n; i++) {
			p.addr = start + i * page;
			r = sf_page_locate(sc->as, e[i], &p);
			if (r == -EPERM)
				return sf_hidden();
			if (r)
				continue;
			sc->found++;
			r = sc->fn(sc, &p);
			if (r)
				return r;
		}
		start += n * page;
	}
	return 0;
}

static int sf_scan_spans(struct sf_scan *sc, const struct sf_spans *sp,
			 pid_t pid)
{
	unsigned int i;
	int r = 0;

	for (i = 0; !r && i < sp->nr; i++)
		r = sf_scan_span(sc, sp->s[i][0], sp->s[i][1]);
	if (r < 0 && r != -EPERM && r != -ENOMEM)
		sf_err("cannot read /proc/%d/pagemap: %s", (int)pid,
		       strerror(-r));
	return r;
}

/* slots */

enum { SF_S_ADDRESS, SF_S_AREA, SF_S_SLOT, SF_S_SECTOR, SF_S_SWAPFAIL,
       SF_S_BLOCK, SF_S_DEV, SF_S_TYPE };

const struct sf_col sf_slots_cols[] = {
	[SF_S_ADDRESS] = { "ADDRESS", "addr", SF_COL_STR, false,
			   "the page's address in the process" },
	[SF_S_AREA] = { "AREA", "area", SF_COL_STR, false,
			"its swap area, as /proc/swaps names it" },
	[SF_S_SLOT] = { "SLOT", "slot", SF_COL_NUM, true,
			"its slot in that area" },
	[SF_S_SECTOR] = { "SECTOR", "sector", SF_COL_NUM, true,
			  "the slot's first sector where the kernel does its I/O" },
	[SF_S_SWAPFAIL] = { "SWAPFAIL", "swapfail", SF_COL_STR, false,
			    "the swapfail device under it" },
	[SF_S_BLOCK] = { "BLOCK", "block", SF_COL_STR, true,
			 "the block(s) of that device that hold it" },
	[SF_S_DEV] = { "DEV", "dev", SF_COL_STR, false,
		       "MAJ:MIN of the device the kernel does its I/O on" },
	[SF_S_TYPE] = { "TYPE", "swap_type", SF_COL_NUM, true,
			"the area's swap type (pagemap's)" },
};

const unsigned int sf_slots_nr_cols = ARRAY_SIZE(sf_slots_cols);

/* What slots found: why some pages have no block, once per reason. */
struct sf_slots_run {
	struct sf_cols *tb;
	const char *why[16];
	u64 n[16];
	unsigned int nr;
};

static void sf_reason_add(struct sf_slots_run *rs, const char *why)
{
	unsigned int i;

	for (i = 0; i < rs->nr; i++)
		if (rs->why[i] == why)	/* interned: one pointer per text */
			break;
	if (i == ARRAY_SIZE(rs->why))
		return;
	rs->why[i] = why;
	rs->n[i]++;
	rs->nr = max(rs->nr, i + 1);
}

static int sf_slot_print(struct sf_scan *sc, struct sf_page *p)
{
	struct sf_slots_run *rs = sc->ctx;
	struct sf_cols *tb = rs->tb;
	char blocks[48];
	int r;

	if (p->err == -SF_EUNMAPPABLE || (p->err && p->err != -SF_ENOTSWAPPED))
		sf_reason_add(rs, p->loc.why);
	if (sf_opts.json) {
		sf_page_json(p);
		return 0;
	}
	r = sf_cols_row(tb);
	if (r)
		return r;
	sf_cols_setf(tb, SF_S_ADDRESS, "%#llx", (unsigned long long)p->addr);
	sf_cols_set(tb, SF_S_AREA, p->area->path);
	sf_cols_setf(tb, SF_S_SLOT, "%llu", (unsigned long long)p->slot);
	sf_cols_setf(tb, SF_S_TYPE, "%u", p->type);
	if (p->loc.dev) {
		sf_cols_setf(tb, SF_S_SECTOR, "%llu",
			    (unsigned long long)p->loc.sector);
		sf_cols_setf(tb, SF_S_DEV, "%u:%u", major(p->loc.dev),
			    minor(p->loc.dev));
	}
	if (!p->err) {
		sf_cols_set(tb, SF_S_SWAPFAIL, p->loc.table->name);
		sf_put_blocks(blocks, sizeof(blocks), p);
		sf_cols_set(tb, SF_S_BLOCK, blocks);
	}
	return 0;
}

static int sf_slots_end(const struct sf_swap_opts *o, struct sf_spans *sp,
			struct sf_slots_run *rs, int r)
{
	unsigned int i;

	for (i = 0; i < rs->nr; i++)
		sf_note("%llu page(s) have no block: %s",
			(unsigned long long)rs->n[i], rs->why[i]);
	sf_shmem_notes(sp, o);
	if (!sf_opts.json)
		return r ? r : sf_cols_print(rs->tb);
	sf_jclose();			/* pages */
	sf_shmem_json(sp);
	sf_warnings_json();
	sf_jint("exit", sf_exit_code(r));
	sf_jstr("error", r ? sf_last_err() : NULL);
	sf_jclose();
	return r;
}

static int sf_slots_run(const struct sf_swap_opts *o, struct sf_areas *as,
			int fd)
{
	struct sf_slots_run rs = { .nr = 0 };
	struct sf_scan sc = { .fd = fd, .as = as, .fn = sf_slot_print,
			      .ctx = &rs };
	struct sf_spans sp;
	struct sf_zswap z;
	int r;

	r = sf_cols_open(&rs.tb, sf_slots_cols, sf_slots_nr_cols,
			"ADDRESS,AREA,SLOT,SECTOR,SWAPFAIL,BLOCK", "pages");
	if (r)
		return r;
	r = sf_spans_get(o, &sp);
	if (r)
		goto out;
	sf_zswap_get(o->pid, &z);
	sf_zswap_note(&z);
	if (sf_opts.json) {
		sf_jopen(NULL, '{');
		sf_ju64("pid", o->pid);
		sf_zswap_json(&z);
		sf_jopen("pages", '[');
	}
	r = sf_scan_spans(&sc, &sp, o->pid);
	if (!r && !sc.found && (o->addr || o->map)) {
		sf_err("no page of %s is in swap", o->addr ? o->addr : o->map);
		r = -SF_ENOTSWAPPED;
	}
	r = sf_slots_end(o, &sp, &rs, r);
out:
	sf_spans_free(&sp);
	sf_cols_free(rs.tb);
	return r;
}

/* slots and pageout: a process, and --pages with --addr only */
static int sf_pages_usage(const struct sf_swap_opts *o)
{
	if (!o->pid)
		return sf_usage_err("--pid is needed");
	if (o->pages && !o->addr)
		return sf_usage_err("--pages needs --addr");
	return 0;
}

/*
 * What slots, target and pageout start from: the process's pagemap (its
 * fd, or -errno) and the swap areas; no area at all is an answer (no
 * page can be in swap), -SF_ENOTSWAPPED.
 */
static int sf_swap_begin(pid_t pid, struct sf_areas *as)
{
	int fd, r;

	as->nr = 0;
	fd = sf_pagemap_open(pid);
	if (fd < 0)
		return fd;
	r = sf_areas_load(as);
	if (!r && !as->nr) {
		sf_err("no swap area is active (see /proc/swaps)");
		r = -SF_ENOTSWAPPED;
	}
	if (r) {
		sf_areas_free(as);
		close(fd);
		return r;
	}
	return fd;
}

static void sf_swap_end(struct sf_areas *as, int fd)
{
	sf_areas_free(as);
	close(fd);
}

/* slots --pid PID [...] */
int sf_cmd_slots(struct sf_cmd *c)
{
	const struct sf_swap_opts *o = &sf_swap_o;
	struct sf_areas as;
	int fd, r;

	r = sf_pages_usage(o);
	if (r)
		return r;
	fd = sf_swap_begin(o->pid, &as);
	if (fd < 0)
		return fd;
	r = sf_slots_run(o, &as, fd);
	sf_swap_end(&as, fd);
	return r;
}

/* target */

/* The pages target works on, and what it found. */
struct sf_target_run {
	const struct sf_swap_opts *o;
	struct sf_table *t;
	struct sf_areas *as;
	int fd;
	struct sf_spans sp;
	struct sf_zswap z;
	struct sf_page *pages;
	long nr, cap;
	u64 elsewhere;			/* in swap, but not on NAME */
	u64 seed;
	char **words;			/* the add message */
	int nr_words;
	bool injected;
};

static int sf_run_push(struct sf_target_run *tr, const struct sf_page *p)
{
	struct sf_page *more;

	if (tr->nr == (long)SF_MAX_PAGES) {
		sf_err("more than %lu pages", SF_MAX_PAGES);
		return -E2BIG;
	}
	if (tr->nr == tr->cap) {
		more = realloc(tr->pages, (2 * tr->cap + 64) * sizeof(*more));
		if (!more)
			return -ENOMEM;
		tr->pages = more;
		tr->cap = 2 * tr->cap + 64;
	}
	tr->pages[tr->nr++] = *p;
	return 0;
}

/* Is page @p on NAME?  Says why not, naming the page. */
static int sf_target_check(const struct sf_target_run *tr,
			   const struct sf_page *p)
{
	const struct sf_map *m;

	if (!p->area) {
		m = sf_maps_find(&tr->sp.maps, p->addr);
		if (m && m->shmem) {
			sf_err("page %#llx is in shared memory (%s, %s): pagemap does not show where such a page is in swap (%llu kB of that mapping are)",
			       (unsigned long long)p->addr, m->kind, m->name,
			       (unsigned long long)m->swap_kb);
			return -SF_EUNMAPPABLE;
		}
		sf_err("page %#llx is not in swap", (unsigned long long)p->addr);
		return -SF_ENOTSWAPPED;
	}
	if (p->err == -SF_ENOTSWAPPED || (!p->err && p->loc.table->dev != tr->t->dev)) {
		sf_err("page %#llx is in swap area %s, which is not on %s",
		       (unsigned long long)p->addr, p->area->path, tr->t->name);
		return -SF_ENOTSWAPPED;
	}
	if (p->err) {
		sf_err("page %#llx, slot %llu of swap area %s: %s",
		       (unsigned long long)p->addr,
		       (unsigned long long)p->slot, p->area->path, p->loc.why);
		return p->err;
	}
	if (p->loc.tgt->start != tr->t->sf->start) {
		sf_err("page %#llx is in a swapfail target of %s other than its first, which messages reach",
		       (unsigned long long)p->addr, tr->t->name);
		return -SF_EUNMAPPABLE;
	}
	return 0;
}

/* --addr without a choice: every page of the span, each on NAME. */
static int sf_target_exact(struct sf_target_run *tr)
{
	u64 page = sf_page_size(), e, a;
	struct sf_page p;
	int r, bad = 0;

	for (a = tr->sp.s[0][0]; a < tr->sp.s[0][1]; a += page) {
		p.addr = a;
		if (sf_pagemap_read(tr->fd, a, &e, 1) != 1) {
			sf_err("cannot read the pagemap entry of %#llx",
			       (unsigned long long)a);
			return -EIO;
		}
		r = sf_page_locate(tr->as, e, &p);
		if (r == -EPERM)
			return sf_hidden();
		r = sf_target_check(tr, &p);
		if (r)
			bad = r;
		r = sf_run_push(tr, &p);
		if (r)
			return r;
	}
	return bad;
}

/* A candidate for a choice: in swap on NAME; others are counted, or refused. */
static int sf_target_candidate(struct sf_scan *sc, struct sf_page *p)
{
	struct sf_target_run *tr = sc->ctx;

	if (p->err == -SF_ENOTSWAPPED ||
	    (!p->err && p->loc.table->dev != tr->t->dev)) {
		tr->elsewhere++;
		return 0;
	}
	if (p->err)
		return sf_target_check(tr, p);
	return sf_run_push(tr, p);
}

/* splitmix64: a small generator whose sequence the seed fixes. */
static u64 sf_next_random(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int sf_page_cmp(const void *a, const void *b)
{
	const struct sf_page *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * Keep @n of the candidates: the first ones, or a random choice (the
 * first @n of a Fisher-Yates shuffle driven by the seed), in address order.
 */
static int sf_target_choose(struct sf_target_run *tr, u64 n)
{
	u64 state = tr->seed, i, j;
	struct sf_page tmp;

	if ((u64)tr->nr < n) {
		sf_err("%ld page(s) of %s are in swap on %s, %llu asked for; nothing injected",
		       tr->nr, tr->o->map ? tr->o->map : tr->o->addr,
		       tr->t->name, (unsigned long long)n);
		return -SF_ENOTSWAPPED;
	}
	for (i = 0; tr->o->pick == SF_PICK_RANDOM && i < n; i++) {
		j = i + sf_next_random(&state) % (tr->nr - i);
		tmp = tr->pages[i];
		tr->pages[i] = tr->pages[j];
		tr->pages[j] = tmp;
	}
	tr->nr = n;
	qsort(tr->pages, tr->nr, sizeof(*tr->pages), sf_page_cmp);
	return 0;
}

/*
 * No candidate, and the spans hold shared memory in swap: say that its
 * slots cannot be seen, rather than "not in swap".
 */
static bool sf_spans_shmem(const struct sf_target_run *tr, int *r)
{
	const struct sf_map *m;
	unsigned int i, k;

	for (i = 0; i < tr->sp.maps.nr; i++) {
		m = &tr->sp.maps.m[i];
		for (k = 0; m->shmem && m->swap_kb && k < tr->sp.nr; k++) {
			if (tr->sp.s[k][0] >= m->end || m->start >= tr->sp.s[k][1])
				continue;
			sf_err("%s is shared memory (%s): pagemap does not show where its pages are in swap (%llu kB of it are)",
			       m->name, m->kind, (unsigned long long)m->swap_kb);
			*r = -SF_EUNMAPPABLE;
			return true;
		}
	}
	return false;
}

static int sf_target_pick(struct sf_target_run *tr)
{
	struct sf_scan sc = { .fd = tr->fd, .as = tr->as,
			      .fn = sf_target_candidate, .ctx = tr };
	const struct sf_swap_opts *o = tr->o;
	int r;

	if (o->pick == SF_PICK_EXACT && !o->map)
		return sf_target_exact(tr);
	r = sf_scan_spans(&sc, &tr->sp, o->pid);
	if (r)
		return r;
	if (tr->elsewhere)
		sf_note("%llu page(s) of %s are in swap elsewhere than %s: left out",
			(unsigned long long)tr->elsewhere,
			o->map ? o->map : o->addr, tr->t->name);
	if (!tr->nr && sf_spans_shmem(tr, &r))
		return r;
	if (o->pick == SF_PICK_ALL && !tr->nr) {
		sf_err("no page of %s is in swap on %s",
		       o->map ? o->map : o->addr, tr->t->name);
		return -SF_ENOTSWAPPED;
	}
	if (o->pick == SF_PICK_ALL)
		return 0;
	return sf_target_choose(tr, o->pick == SF_PICK_RANDOM ? o->random :
				o->pages ? o->pages : 1);
}

/* The add message for the pages: ranges merged, then the attributes. */
static int sf_target_words(struct sf_target_run *tr)
{
	const struct sf_attrs *a = &sf_attrs;
	struct swapfail_range *rg;
	char (*num)[48];
	long i, k;

	tr->words = calloc(1 + tr->nr + a->nr, sizeof(char *) + sizeof(*num));
	rg = calloc(tr->nr, sizeof(*rg));
	if (!tr->words || !rg) {
		free(rg);
		return -ENOMEM;
	}
	num = (void *)(tr->words + 1 + tr->nr + a->nr);
	for (i = 0; i < tr->nr; i++)
		rg[i] = tr->pages[i].loc.blocks;
	swapfail_ranges_sort(rg, tr->nr);
	k = swapfail_ranges_union(rg, tr->nr);
	tr->words[0] = "add";
	for (i = 0; i < k; i++) {
		snprintf(num[i], sizeof(num[i]), rg[i].first == rg[i].last ?
			 "%llu" : "%llu-%llu", (unsigned long long)rg[i].first,
			 (unsigned long long)rg[i].last);
		tr->words[1 + i] = num[i];
	}
	for (i = 0; i < a->nr; i++)
		tr->words[1 + k + i] = (char *)a->words[i];
	tr->nr_words = 1 + k + a->nr;
	free(rg);
	return 0;
}

/*
 * --writeback: push the pages through zswap to the device, then find them
 * again (their slots may have moved); each must still be on NAME.
 */
static int sf_target_push(struct sf_target_run *tr)
{
	struct sf_page *p;
	u64 *addr, e;
	int r = 0;
	long i;

	addr = calloc(tr->nr, sizeof(*addr));
	if (!addr)
		return -ENOMEM;
	for (i = 0; i < tr->nr; i++)
		addr[i] = tr->pages[i].addr;
	r = sf_zswap_push(tr->o->pid, &tr->z, addr, tr->nr);
	for (i = 0; !r && i < tr->nr; i++) {
		p = &tr->pages[i];
		if (sf_pagemap_read(tr->fd, p->addr, &e, 1) != 1)
			r = -EIO;
		else if (sf_page_locate(tr->as, e, p) == -EPERM)
			r = sf_hidden();
		else
			r = sf_target_check(tr, p);
	}
	free(addr);
	return r;
}

static void sf_target_text(const struct sf_target_run *tr)
{
	char blocks[48];
	long i;
	int k;

	for (i = 0; i < tr->nr; i++) {
		sf_put_blocks(blocks, sizeof(blocks), &tr->pages[i]);
		printf("page %#llx slot %llu sector %llu block %s\n",
		       (unsigned long long)tr->pages[i].addr,
		       (unsigned long long)tr->pages[i].slot,
		       (unsigned long long)tr->pages[i].loc.sector, blocks);
	}
	if (tr->o->pick == SF_PICK_RANDOM)
		printf("seed %llu\n", (unsigned long long)tr->seed);
	fputs("message", stdout);
	for (k = 0; k < tr->nr_words; k++)
		printf(" %s", tr->words[k]);
	putchar('\n');
}

static void sf_target_json(const struct sf_target_run *tr, int r)
{
	char *msg = NULL;
	long i;

	sf_jopen(NULL, '{');
	sf_jstr("name", tr->t->name);
	sf_ju64("pid", tr->o->pid);
	sf_zswap_json(&tr->z);
	if (tr->o->pick == SF_PICK_RANDOM)
		sf_ju64("seed", tr->seed);
	else
		sf_jnull("seed");
	sf_jopen("pages", '[');
	for (i = 0; i < tr->nr; i++)
		sf_page_json(&tr->pages[i]);
	sf_jclose();
	sf_shmem_json(&tr->sp);
	if (tr->words)
		msg = sf_join(tr->nr_words, tr->words);
	sf_jstr("message", msg);
	sf_jbool("injected", tr->injected);
	sf_warnings_json();
	sf_jint("exit", sf_exit_code(r));
	sf_jstr("error", r ? sf_last_err() : NULL);
	sf_jclose();
	free(msg);
}

/* Find the pages, check them all, then inject them with one add message. */
static int sf_target_go(struct sf_target_run *tr)
{
	int r;

	r = sf_spans_get(tr->o, &tr->sp);
	if (r)
		return r;
	sf_zswap_get(tr->o->pid, &tr->z);
	r = sf_target_pick(tr);
	if (!r)
		r = sf_zswap_check(&tr->z, tr->o->writeback);
	if (!r && tr->o->writeback)
		r = sf_target_push(tr);
	if (!r)
		r = sf_target_words(tr);
	if (!r)
		r = sf_send(tr->t, tr->nr_words, tr->words, NULL);
	tr->injected = !r;
	return r;
}

static u64 sf_default_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int sf_target_run(const struct sf_swap_opts *o, struct sf_table *t,
			 struct sf_areas *as, int fd)
{
	struct sf_target_run tr = { .o = o, .t = t, .as = as, .fd = fd };
	int r;

	tr.seed = o->has_seed ? o->seed : sf_default_seed();
	r = sf_target_go(&tr);
	if (sf_opts.json)
		sf_target_json(&tr, r);
	else if (!r)
		sf_target_text(&tr);
	sf_spans_free(&tr.sp);
	free(tr.words);
	free(tr.pages);
	return r;
}

static int sf_target_usage(const struct sf_swap_opts *o)
{
	if (!o->pid || (!o->addr && !o->map))
		return sf_usage_err("--pid and --addr or --map are needed");
	if (o->pick != SF_PICK_EXACT && o->pages)
		return sf_usage_err("give one of --pages, --all and --random");
	if (o->has_seed && o->pick != SF_PICK_RANDOM)
		return sf_usage_err("--seed goes with --random");
	return 0;
}

/* target NAME --pid PID (--addr A[-B] | --map M) [...] */
int sf_cmd_target(struct sf_cmd *c)
{
	const struct sf_swap_opts *o = &sf_swap_o;
	struct sf_areas as;
	int fd, r;

	r = sf_target_usage(o);
	if (r)
		return r;
	fd = sf_swap_begin(o->pid, &as);
	if (fd < 0)
		return fd;
	r = sf_target_run(o, c->t, &as, fd);
	sf_swap_end(&as, fd);
	return r;
}

/* pageout */

/* The resident pages of the spans: their addresses, from pagemap. */
static long sf_resident_pages(int fd, const struct sf_spans *sp, u64 **addr)
{
	u64 e[SF_CHUNK], page = sf_page_size(), a, *more;
	long n = 0, cap = 0, got, i;
	unsigned int k;

	*addr = NULL;
	for (k = 0; k < sp->nr; k++) {
		for (a = sp->s[k][0]; a < sp->s[k][1]; a += got * page) {
			got = sf_pagemap_read(fd, a, e, min_t(u64, SF_CHUNK,
						(sp->s[k][1] - a) / page));
			if (got <= 0)
				break;
			for (i = 0; i < got; i++) {
				if (!(e[i] & PM_PRESENT))
					continue;
				if (n == cap) {
					cap = 2 * cap + 256;
					more = realloc(*addr, cap * sizeof(*more));
					if (!more)
						return -ENOMEM;
					*addr = more;
				}
				(*addr)[n++] = a + i * page;
			}
		}
	}
	return n;
}

static void sf_pageout_print(const struct sf_swap_opts *o,
			     const struct sf_zswap *z,
			     const struct sf_pageout_res *res, int r)
{
	if (!sf_opts.json) {
		if (!r)
			printf("process %llu: %ld page(s) were in memory; %ld in swap now, %ld in memory, %ld in the swap cache\n",
			       (unsigned long long)o->pid, res->present,
			       res->swapped, res->resident, res->cached);
		return;
	}
	sf_jopen(NULL, '{');
	sf_ju64("pid", o->pid);
	sf_jstr("cgroup", *z->cgroup ? z->cgroup : NULL);
	sf_jint("pages", res->present);
	sf_jint("swapped", res->swapped);
	sf_jint("resident", res->resident);
	sf_jint("swap_cache", res->cached);
	sf_warnings_json();
	sf_jint("exit", sf_exit_code(r));
	sf_jstr("error", r ? sf_last_err() : NULL);
	sf_jclose();
}

/* pageout --pid PID [--addr A[-B] [--pages N] | --map M] */
int sf_cmd_pageout(struct sf_cmd *c)
{
	struct sf_pageout_res res = { .present = 0 };
	struct sf_swap_opts *o = &sf_swap_o;
	struct sf_spans sp = { .nr = 0 };
	struct sf_areas as;
	struct sf_zswap z;
	u64 *addr = NULL;
	long n = 0;
	int fd, r;

	r = sf_pages_usage(o);
	if (r)
		return r;
	o->resident = !o->addr && !o->map;
	fd = sf_swap_begin(o->pid, &as);
	if (fd < 0)
		return fd;
	r = sf_spans_get(o, &sp);
	if (!r)
		n = sf_resident_pages(fd, &sp, &addr);
	r = r ? r : min(n, 0L);
	sf_zswap_get(o->pid, &z);
	if (!r)
		r = sf_pageout(o->pid, z.cgroup, addr, n, o->timeout, &res);
	if (!r && res.present && !res.swapped) {
		sf_err("none of the %ld page(s) of process %llu in memory went to swap (mlocked? swap full?)",
		       res.present, (unsigned long long)o->pid);
		r = -SF_ENOTSWAPPED;
	}
	if (!r && res.cached)
		sf_warn("%ld page(s) are still in the swap cache: an access there does not read the device",
			res.cached);
	sf_pageout_print(o, &z, &res, r);
	free(addr);
	sf_spans_free(&sp);
	sf_swap_end(&as, fd);
	return r;
}
