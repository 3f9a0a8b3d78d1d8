// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-swap.c: where a process's pages are in swap (slots), and making
 * exactly those pages fail (target).
 *
 * /proc/PID/pagemap has one 64-bit entry per page: bit 63 present, bit 62
 * swapped; for a swapped page bits 0-4 are the swap type and bits 5-54 the
 * slot, shown to CAP_SYS_ADMIN only (zero otherwise; slot 0 is the swap
 * header, so a zero slot means "hidden").  The type indexes the kernel's
 * swap_info[]; /proc/swaps lists the areas in increasing type order but
 * skips freed types, so type T is line T of /proc/swaps only while no
 * lower-numbered area was swapoff'd with a higher one still on.  A type
 * past the last line, e.g. a PTE marker's on 6.x, is taken as "not in
 * swap".  On a swap partition slot N is at byte N * PAGE_SIZE.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "swapfail.h"

#define PM_PRESENT		(1ULL << 63)
#define PM_SWAP			(1ULL << 62)
#define PM_FRAME		((1ULL << 55) - 1)
#define PM_SWAP_TYPE(e)		((unsigned int)((e) & 0x1f))
#define PM_SWAP_SLOT(e)		(((e) & PM_FRAME) >> 5)
#define SF_MAX_AREAS		32
#define SF_MAX_PAGES		(1UL << 20)
#define SF_CHUNK		512

/* One line of /proc/swaps, and the swapfail device it is, if any. */
struct sf_area {
	char path[PATH_MAX];
	bool partition;
	dev_t rdev;
	bool swapfail;
	struct sf_table table;
};

struct sf_areas {
	unsigned int nr;
	struct sf_area a[SF_MAX_AREAS];
};

/* Where one swapped page is. */
struct sf_page {
	u64 addr;
	u64 slot;
	u64 sector;			/* of the area's device */
	struct sf_area *area;
	const struct sf_target *tgt;	/* swapfail target holding it */
	struct swapfail_range blocks;
};

/* /proc/swaps writes " \t\n\\" in a path as \ooo. */
static void sf_unescape(char *s)
{
	char *d = s;
	unsigned int c;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			c = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			*d++ = (char)c;
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/* Is area @a a block device with a swapfail table?  Reads the table. */
static void sf_area_probe(struct sf_area *a)
{
	char name[SF_NAME_LEN];
	struct stat st;

	if (!a->partition || stat(a->path, &st) || !S_ISBLK(st.st_mode)) {
		a->partition = false;
		return;
	}
	a->rdev = st.st_rdev;
	if (sf_dm_name(a->rdev, name, sizeof(name)))
		return;
	a->swapfail = !sf_table_probe(name, &a->table);
}

static void sf_areas_free(struct sf_areas *as)
{
	unsigned int i;

	for (i = 0; i < as->nr; i++)
		if (as->a[i].swapfail)
			sf_table_free(&as->a[i].table);
	as->nr = 0;
}

/* The swap areas, in /proc/swaps order: index = swap type (see above). */
static int sf_areas_load(struct sf_areas *as)
{
	char line[PATH_MAX + 128], type[32];
	struct sf_area *a;
	FILE *f;

	as->nr = 0;
	f = fopen("/proc/swaps", "re");
	if (!f) {
		sf_err("cannot read /proc/swaps: %s", strerror(errno));
		return -errno;
	}
	if (!fgets(line, sizeof(line), f))	/* the heading */
		line[0] = '\0';
	while (as->nr < SF_MAX_AREAS && fgets(line, sizeof(line), f)) {
		a = &as->a[as->nr];
		memset(a, 0, sizeof(*a));
		if (sscanf(line, "%4095s %31s", a->path, type) != 2)
			continue;
		sf_unescape(a->path);
		a->partition = !strcmp(type, "partition");
		sf_area_probe(a);
		as->nr++;
	}
	fclose(f);
	return 0;
}

static int sf_pagemap_open(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno == ENOENT) {
		sf_err("no process %d", (int)pid);
		return -ESRCH;
	}
	sf_err("cannot open %s: %s", path, strerror(errno));
	return -errno;
}

/* Read @n pagemap entries from @addr; returns how many were read. */
static long sf_pagemap_read(int fd, u64 addr, u64 *e, long n)
{
	long page = sysconf(_SC_PAGESIZE);
	ssize_t got;

	got = pread(fd, e, n * sizeof(*e), addr / page * sizeof(*e));
	if (got < 0)
		return -errno;
	return got / (long)sizeof(*e);
}

static int sf_hidden(void)
{
	sf_err("swap slots are hidden: /proc/PID/pagemap shows them to CAP_SYS_ADMIN only");
	return -EPERM;
}

/* Blocks of @p's swapfail target that hold its page, if it has one. */
static void sf_page_blocks(struct sf_page *p)
{
	const struct sf_target *tg;
	u64 first, last, page = sysconf(_SC_PAGESIZE);

	p->tgt = NULL;
	if (!p->area->swapfail)
		return;
	tg = sf_table_find(&p->area->table, p->sector);
	if (!tg || !tg->swapfail)
		return;
	first = p->sector - tg->start;
	last = first + (page >> SF_SECTOR_SHIFT) - 1;
	if (last >= tg->len)
		return;
	p->tgt = tg;
	p->blocks.first = first >> tg->args.block_shift;
	p->blocks.last = last >> tg->args.block_shift;
}

/*
 * Where the page of pagemap entry @e is: 0, -SF_ENOTSWAPPED if it is not
 * in swap (or its type matches no listed area), -EPERM if slots are hidden.
 */
static int sf_page_locate(struct sf_areas *as, u64 e, struct sf_page *p)
{
	u64 page = sysconf(_SC_PAGESIZE);

	if (!(e & PM_SWAP) || (e & PM_PRESENT))
		return -SF_ENOTSWAPPED;
	if (!(e & PM_FRAME))
		return -EPERM;
	if (PM_SWAP_TYPE(e) >= as->nr)
		return -SF_ENOTSWAPPED;
	p->area = &as->a[PM_SWAP_TYPE(e)];
	p->slot = PM_SWAP_SLOT(e);
	p->sector = p->slot * (page >> SF_SECTOR_SHIFT);
	sf_page_blocks(p);
	return 0;
}

static void sf_put_blocks(char *buf, size_t size, const struct sf_page *p)
{
	if (!p->tgt)
		snprintf(buf, size, "-");
	else if (p->blocks.first == p->blocks.last)
		snprintf(buf, size, "%llu",
			 (unsigned long long)p->blocks.first);
	else
		snprintf(buf, size, "%llu-%llu",
			 (unsigned long long)p->blocks.first,
			 (unsigned long long)p->blocks.last);
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

struct sf_swap_opts {
	u64 pid;
	const char *addr;
	u64 pages;
	bool no_headings;
	struct sf_attrs attrs;
};

static int sf_swap_opt(int c, const char *arg, void *ctx)
{
	struct sf_swap_opts *o = ctx;

	switch (c) {
	case 'p':
		if (sf_parse_u64_arg("--pid", arg, &o->pid))
			return -SF_EUSAGE;
		if (!o->pid || o->pid > INT_MAX)
			return sf_usage_err("--pid %s: no such process", arg);
		return 0;
	case 'a':
		o->addr = arg;
		return 0;
	case 'n':
		if (sf_parse_u64_arg("--pages", arg, &o->pages))
			return -SF_EUSAGE;
		if (!o->pages || o->pages > SF_MAX_PAGES)
			return sf_usage_err("--pages %s: give 1 to %lu", arg,
					    SF_MAX_PAGES);
		return 0;
	case SF_OPT_NO_HEADINGS:
		o->no_headings = true;
		return 0;
	}
	return sf_opt_attr(c, arg, &o->attrs);
}

/* The pages [*start, *end) that --addr and --pages name. */
static int sf_swap_span(const struct sf_swap_opts *o, u64 *start, u64 *end)
{
	u64 page = sysconf(_SC_PAGESIZE), a, b = 0;
	bool has_end;
	int r;

	r = sf_parse_addr(o->addr, &a, &b, &has_end);
	if (r)
		return r;
	if (has_end && o->pages)
		return sf_usage_err("give --addr A-B or --addr A --pages N");
	*start = a & ~(page - 1);
	if (!has_end)
		b = *start + (o->pages ? o->pages : 1) * page;
	if (b < *start)
		return sf_usage_err("--addr %s: past the end of memory", o->addr);
	*end = (b + page - 1) & ~(page - 1);
	return 0;
}

/* slots */

static void sf_slot_print(const struct sf_page *p)
{
	char blocks[48];

	sf_put_blocks(blocks, sizeof(blocks), p);
	printf("%#-18llx %-24s %10llu %12llu %-16s %s\n",
	       (unsigned long long)p->addr, p->area->path,
	       (unsigned long long)p->slot, (unsigned long long)p->sector,
	       p->tgt ? p->area->table.name : "-", blocks);
}

/* Print the swapped pages of [start, end); count them in *@found. */
static int sf_slots_span(int fd, struct sf_areas *as, u64 start, u64 end,
			 u64 *found)
{
	u64 e[SF_CHUNK], page = sysconf(_SC_PAGESIZE);
	struct sf_page p;
	long n, i;
	int r;

	while (start < end) {
		n = (end - start) / page < SF_CHUNK ? (end - start) / page :
						       SF_CHUNK;
		n = sf_pagemap_read(fd, start, e, n);
		if (n <= 0)
			return n;
		for (i = 0; i < n; i++) {
			r = sf_page_locate(as, e[i], &p);
			if (r == -EPERM)
				return sf_hidden();
			if (r)
				continue;
			p.addr = start + i * page;
			sf_slot_print(&p);
			(*found)++;
		}
		start += n * page;
	}
	return 0;
}

/* Every mapping of /proc/PID/maps but [vsyscall] (not in pagemap). */
static int sf_slots_maps(int fd, pid_t pid, struct sf_areas *as, u64 *found)
{
	char path[64], line[PATH_MAX + 128];
	unsigned long long a, b;
	FILE *f;
	int r = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		sf_err("cannot read %s: %s", path, strerror(errno));
		return -errno;
	}
	while (!r && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx", &a, &b) != 2 ||
		    strstr(line, "[vsyscall]"))
			continue;
		r = sf_slots_span(fd, as, a, b, found);
	}
	fclose(f);
	if (r < 0 && r != -EPERM)
		sf_err("cannot read /proc/%d/pagemap: %s", (int)pid,
		       strerror(-r));
	return r;
}

static int sf_slots_run(const struct sf_swap_opts *o, struct sf_areas *as,
			int fd)
{
	u64 start, end, found = 0;
	int r;

	if (!o->no_headings)
		printf("%-18s %-24s %10s %12s %-16s %s\n", "ADDRESS", "AREA",
		       "SLOT", "SECTOR", "SWAPFAIL", "BLOCK");
	if (!o->addr)
		return sf_slots_maps(fd, o->pid, as, &found);
	r = sf_swap_span(o, &start, &end);
	if (!r)
		r = sf_slots_span(fd, as, start, end, &found);
	if (r < 0 && r != -EPERM)
		sf_err("cannot read /proc/%d/pagemap: %s", (int)o->pid,
		       strerror(-r));
	if (!r && !found) {
		sf_err("no page of %s is in swap", o->addr);
		r = -SF_ENOTSWAPPED;
	}
	return r;
}

int sf_cmd_slots(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "addr", required_argument, NULL, 'a' },
		{ "pages", required_argument, NULL, 'n' },
		{ "no-headings", no_argument, NULL, SF_OPT_NO_HEADINGS },
		SF_OPTS_COMMON
	};
	struct sf_swap_opts o = { .pid = 0 };
	struct sf_areas as;
	int fd, r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON "p:a:n:", opts, sf_swap_opt,
		      &o, 0, 0);
	if (r)
		return r;
	if (!o.pid)
		return sf_usage_err("--pid is needed");
	if (o.pages && !o.addr)
		return sf_usage_err("--pages needs --addr");
	fd = sf_pagemap_open(o.pid);
	if (fd < 0)
		return fd;
	r = sf_areas_load(&as);
	if (!r)
		r = sf_slots_run(&o, &as, fd);
	sf_areas_free(&as);
	close(fd);
	return r;
}

/* target */

/* Is the page of entry @e in swap on @t?  Says why not. */
static int sf_target_check(const struct sf_table *t, struct sf_areas *as,
			   u64 e, struct sf_page *p)
{
	int r = sf_page_locate(as, e, p);

	if (r == -EPERM)
		return r;
	if (r) {
		sf_err("page %#llx is not in swap", (unsigned long long)p->addr);
		return r;
	}
	if (!p->area->partition) {
		sf_err("page %#llx is in swap file %s, not on a block device",
		       (unsigned long long)p->addr, p->area->path);
		return -SF_ENOTSWAPPED;
	}
	if (p->area->rdev != t->dev) {
		sf_err("page %#llx is in swap area %s, which is not %s",
		       (unsigned long long)p->addr, p->area->path, t->name);
		return -SF_ENOTSWAPPED;
	}
	if (!p->tgt) {
		sf_err("page %#llx: sector %llu of %s is not in its swapfail target",
		       (unsigned long long)p->addr,
		       (unsigned long long)p->sector, t->name);
		return -SF_ENOTSWAPPED;
	}
	return 0;
}

/* Locate and check every page of [start, start + n pages). */
static int sf_target_pages(const struct sf_table *t, struct sf_areas *as,
			   int fd, u64 start, struct sf_page *pages, long n)
{
	u64 e, page = sysconf(_SC_PAGESIZE);
	int r, bad = 0;
	long i;

	for (i = 0; i < n; i++) {
		pages[i].addr = start + i * page;
		if (sf_pagemap_read(fd, pages[i].addr, &e, 1) != 1) {
			sf_err("cannot read the pagemap entry of %#llx",
			       (unsigned long long)pages[i].addr);
			return -EIO;
		}
		r = sf_target_check(t, as, e, &pages[i]);
		if (r == -EPERM)
			return sf_hidden();
		if (r)
			bad = r;
	}
	return bad;
}

/* The add message for @pages: ranges merged, then the attributes. */
static char **sf_target_words(struct sf_page *pages, long n,
			      const struct sf_attrs *a, int *nr)
{
	struct swapfail_range *rg;
	char **w, (*num)[48];
	long i, k;

	w = calloc(1 + n + a->nr, sizeof(*w) + sizeof(*num));
	if (!w)
		return NULL;
	num = (void *)(w + 1 + n + a->nr);
	rg = calloc(n, sizeof(*rg));
	if (!rg) {
		free(w);
		return NULL;
	}
	for (i = 0; i < n; i++)
		rg[i] = pages[i].blocks;
	swapfail_ranges_sort(rg, n);
	k = swapfail_ranges_union(rg, n);
	w[0] = "add";
	for (i = 0; i < k; i++) {
		snprintf(num[i], sizeof(num[i]), rg[i].first == rg[i].last ?
			 "%llu" : "%llu-%llu", (unsigned long long)rg[i].first,
			 (unsigned long long)rg[i].last);
		w[1 + i] = num[i];
	}
	for (i = 0; i < a->nr; i++)
		w[1 + k + i] = (char *)a->words[i];
	*nr = 1 + k + a->nr;
	free(rg);
	return w;
}

static void sf_target_report(const struct sf_page *pages, long n, char **w,
			     int nr)
{
	char blocks[48];
	long i;
	int k;

	for (i = 0; i < n; i++) {
		sf_put_blocks(blocks, sizeof(blocks), &pages[i]);
		printf("page %#llx slot %llu sector %llu block %s\n",
		       (unsigned long long)pages[i].addr,
		       (unsigned long long)pages[i].slot,
		       (unsigned long long)pages[i].sector, blocks);
	}
	fputs("message", stdout);
	for (k = 0; k < nr; k++)
		printf(" %s", w[k]);
	putchar('\n');
}

/* Check every page, then inject them all with one add message. */
static int sf_target_run(const struct sf_swap_opts *o, struct sf_table *t,
			 struct sf_areas *as, int fd)
{
	u64 start, end, page = sysconf(_SC_PAGESIZE);
	struct sf_page *pages;
	char **w = NULL;
	int r, nr;
	long n;

	r = sf_swap_span(o, &start, &end);
	if (r)
		return r;
	n = (end - start) / page;
	pages = calloc(n, sizeof(*pages));
	if (!pages)
		return -ENOMEM;
	r = sf_target_pages(t, as, fd, start, pages, n);
	if (r)
		goto out;
	r = -ENOMEM;
	w = sf_target_words(pages, n, &o->attrs, &nr);
	if (w)
		r = sf_send(t, nr, w, false);
	if (!r)
		sf_target_report(pages, n, w, nr);
out:
	free(w);
	free(pages);
	return r;
}

int sf_cmd_target(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "addr", required_argument, NULL, 'a' },
		{ "pages", required_argument, NULL, 'n' },
		SF_OPTS_ATTR,
		SF_OPTS_COMMON
	};
	struct sf_swap_opts o = { .pid = 0 };
	struct sf_areas as;
	struct sf_table t;
	int fd, r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON "p:a:n:" SF_SHORT_ATTR, opts,
		      sf_swap_opt, &o, 1, 1);
	if (r)
		return r;
	if (!o.pid || !o.addr)
		return sf_usage_err("--pid and --addr are needed");
	r = sf_table_get(argv[optind], &t);
	if (r)
		return r;
	fd = sf_pagemap_open(o.pid);
	r = fd;
	if (fd < 0)
		goto out;
	r = sf_areas_load(&as);
	if (!r)
		r = sf_target_run(&o, &t, &as, fd);
	sf_areas_free(&as);
	close(fd);
out:
	sf_table_free(&t);
	return r;
}
