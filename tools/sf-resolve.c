// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-resolve.c: from a kernel log line back to the page.
 *
 * A failed swap I/O is logged as "Read-error on swap-device (M:m:S)" or
 * "Write-error on swap-device (M:m:S)": the block device the kernel did
 * the I/O on (the swap partition, or the device of the filesystem that
 * holds the swap file) and the first sector of the bio.  resolve turns
 * that into the swap area and slot (sf-area.c), the swapfail device and
 * block under it and what its table says of that block (sf-stack.c and a
 * list message), and the live processes that still have a page in that
 * slot: every process's mappings with swap (smaps) are read page by page
 * from /proc/PID/pagemap.  A bio may hold several pages (readahead, a
 * huge page): the sector is its first page's.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "swapfail.h"

#define SF_MAX_INPUTS	256
#define SF_MAX_OWNERS	64

struct sf_owner {
	pid_t pid;
	char comm[32];
	u64 addr;
};

/* One sector to resolve, and what was found. */
struct sf_sector {
	char input[48];			/* "M:m:S" */
	dev_t dev;
	u64 sector;
	int err;			/* 0, or why it is not a swap slot */
	const char *why;
	unsigned int type;
	u64 slot;
	struct sf_area *area;
	struct sf_loc loc;
	int loc_err;
	struct sf_hops hops;
	char *extents;			/* the list answer for its blocks */
	struct sf_owner owner[SF_MAX_OWNERS];
	unsigned int nr_owners;
};

struct sf_resolve {
	struct sf_sector *s;
	unsigned int nr;
	struct sf_areas as;
	bool hidden;			/* pagemap showed no slots */
};

/*
 * A decimal number of at most @max at *@p, moved past it: -EINVAL if
 * there is none, -ERANGE if it is larger (a 23-digit sector is not
 * 2^64 - 1).
 */
static int sf_scan_dec(const char **p, u64 max, u64 *v)
{
	unsigned long long n;
	char *end;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	errno = 0;
	n = strtoull(*p, &end, 10);
	*p = end;
	if (errno == ERANGE || n > max)
		return -ERANGE;
	*v = n;
	return 0;
}

/*
 * "MAJ:MIN:SECTOR", alone or in "...swap-device (MAJ:MIN:SECTOR)...":
 * 0, -EINVAL (not one), -ERANGE (a part too large); *@bad: which part.
 */
static int sf_parse_sector(const char *text, dev_t *dev, u64 *sec,
			   const char **bad)
{
	const char *p = strstr(text, "swap-device (");
	u64 maj, min;
	int r;

	if (p)
		p += strlen("swap-device (");
	else
		p = text + strspn(text, " \t(");
	*bad = "major";
	r = sf_scan_dec(&p, 4095, &maj);
	if (!r && *p++ != ':')
		r = -EINVAL;
	if (!r)
		*bad = "minor", r = sf_scan_dec(&p, (1U << 20) - 1, &min);
	if (!r && *p++ != ':')
		r = -EINVAL;
	if (!r)
		*bad = "sector", r = sf_scan_dec(&p, UINT64_MAX, sec);
	if (!r && *p && *p != ')' && !isspace((unsigned char)*p))
		r = -EINVAL;
	if (!r)
		*dev = makedev(maj, min);
	return r;
}

/* Add one sector, once; a line that holds none is 1. */
static int sf_resolve_add(struct sf_resolve *rs, const char *text,
			  bool operand)
{
	const char *bad;
	struct sf_sector *s;
	unsigned int i;
	dev_t dev;
	u64 sec;
	int r;

	r = sf_parse_sector(text, &dev, &sec, &bad);
	if (r == -ERANGE)
		return sf_usage_err("'%s': the %s is out of range", text, bad);
	if (r && operand)
		return sf_usage_err("'%s': the %s is not a number: give MAJ:MIN:SECTOR, as in 'Read-error on swap-device (254:0:816)'",
				    text, bad);
	if (r)
		return 1;
	for (i = 0; i < rs->nr; i++)	/* the same line twice: once */
		if (rs->s[i].dev == dev && rs->s[i].sector == sec)
			return 0;
	if (rs->nr == SF_MAX_INPUTS)
		return sf_usage_err("more than %d sectors", SF_MAX_INPUTS);
	s = &rs->s[rs->nr++];
	memset(s, 0, sizeof(*s));
	s->dev = dev;
	s->sector = sec;
	snprintf(s->input, sizeof(s->input), "%u:%u:%llu", major(dev),
		 minor(dev), (unsigned long long)sec);
	return 0;
}

/*
 * The sectors: the operands, or the log lines on stdin.  No such line on
 * stdin is a failure (1), as grep's no match: nothing was resolved.
 */
static int sf_resolve_inputs(struct sf_resolve *rs, int argc, char **argv)
{
	char line[4096];
	int i, r;

	rs->s = calloc(SF_MAX_INPUTS, sizeof(*rs->s));
	if (!rs->s)
		return -ENOMEM;
	for (i = 0; i < argc; i++) {
		r = sf_resolve_add(rs, argv[i], true);
		if (r)
			return r;
	}
	while (!argc && fgets(line, sizeof(line), stdin)) {
		if (!strstr(line, "swap-device ("))
			continue;
		line[strcspn(line, "\n")] = '\0';
		r = sf_resolve_add(rs, line, false);
		if (r < 0)
			return r;
	}
	if (!rs->nr) {
		sf_err("no 'Read-error on swap-device (MAJ:MIN:SECTOR)' or 'Write-error' line on standard input");
		return -ENOENT;
	}
	return 0;
}

/* What the table says of the sector's blocks: the list message's lines. */
static void sf_resolve_extents(struct sf_sector *s)
{
	const struct sf_table *t = s->loc.table;
	char msg[64];

	if (s->loc.tgt != t->sf)
		return;		/* messages reach the first target only */
	snprintf(msg, sizeof(msg), "list %llu-%llu",
		 (unsigned long long)s->loc.blocks.first,
		 (unsigned long long)s->loc.blocks.last);
	if (sf_dm_message(t, msg, &s->extents))
		s->extents = NULL;
	else if (!s->extents)
		s->extents = strdup("");
}

static void sf_resolve_one(struct sf_resolve *rs, struct sf_sector *s)
{
	u64 nr = sysconf(_SC_PAGESIZE) >> SF_SECTOR_SHIFT;

	s->err = sf_area_find(&rs->as, s->dev, s->sector, &s->type, &s->slot);
	if (s->err)
		s->why = sf_intern("sector %llu of %s (%u:%u) is in no active swap area",
				   (unsigned long long)s->sector,
				   sf_dev_name(s->dev), major(s->dev),
				   minor(s->dev));
	else
		s->area = &rs->as.a[s->type];
	s->loc_err = sf_stack_locate(s->dev, s->sector, nr, &s->loc, &s->hops);
	if (!s->loc_err)
		sf_resolve_extents(s);
}

static void sf_owner_add(struct sf_sector *s, pid_t pid, u64 addr)
{
	struct sf_owner *o;
	char path[64];

	if (s->nr_owners == SF_MAX_OWNERS)
		return;
	o = &s->owner[s->nr_owners++];
	o->pid = pid;
	o->addr = addr;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (sf_read_line(path, o->comm, sizeof(o->comm)))
		snprintf(o->comm, sizeof(o->comm), "?");
}

/* The entries of one mapping: does a page sit in one of the slots? */
static void sf_owner_map(struct sf_resolve *rs, int fd, pid_t pid,
			 const struct sf_map *m)
{
	u64 e[512], page = sysconf(_SC_PAGESIZE), a = m->start;
	unsigned int k;
	long n, i;

	while (a < m->end) {
		n = sf_pagemap_read(fd, a, e, min_t(u64, (m->end - a) / page,
						    ARRAY_SIZE(e)));
		if (n <= 0)
			return;
		for (i = 0; i < n; i++) {
			if (!(e[i] & PM_SWAP) || (e[i] & PM_PRESENT))
				continue;
			if (!(e[i] & PM_FRAME))
				rs->hidden = true;
			for (k = 0; k < rs->nr; k++)
				if (!rs->s[k].err &&
				    PM_SWAP_TYPE(e[i]) == rs->s[k].type &&
				    PM_SWAP_SLOT(e[i]) == rs->s[k].slot)
					sf_owner_add(&rs->s[k], pid,
						     a + i * page);
		}
		a += n * page;
	}
}

/* Process @pid: its mappings that have pages in swap, read page by page. */
static void sf_owner_process(struct sf_resolve *rs, pid_t pid)
{
	struct sf_maps ms;
	unsigned int i;
	int fd;

	if (sf_maps_load(pid, &ms, SF_MAPS_QUIET))
		return;			/* gone, or a kernel thread */
	fd = sf_pagemap_open_quiet(pid);
	for (i = 0; fd >= 0 && i < ms.nr; i++)
		if (ms.m[i].swap_kb)
			sf_owner_map(rs, fd, pid, &ms.m[i]);
	if (fd >= 0)
		close(fd);
	sf_maps_free(&ms);
}

static int sf_resolve_owners(struct sf_resolve *rs)
{
	struct dirent *de;
	char *end;
	long pid;
	DIR *d;

	d = opendir("/proc");
	if (!d) {
		sf_err("cannot read /proc: %s", strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		sf_owner_process(rs, pid);
	}
	closedir(d);
	if (!rs->hidden)
		return 0;
	sf_err("swap slots are hidden: /proc/PID/pagemap shows them to CAP_SYS_ADMIN only");
	return -EPERM;
}

/* Text: "key value" lines per sector, a blank line between sectors. */
static void sf_kv(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sf_kv(const char *key, const char *fmt, ...)
{
	va_list ap;

	printf("%-16s", key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void sf_resolve_text_loc(const struct sf_sector *s)
{
	const char *e, *nl;
	int i;

	for (i = 0; i < s->hops.nr; i++)
		sf_kv("path", "%s %s %llu", sf_dev_name(s->hops.h[i].dev),
		      s->hops.h[i].layer,
		      (unsigned long long)s->hops.h[i].sector);
	if (s->loc_err) {
		sf_kv("swapfail", "- (%s)", s->loc.why);
		return;
	}
	sf_kv("swapfail", "%s", s->loc.table->name);
	if (s->loc.blocks.first == s->loc.blocks.last)
		sf_kv("block", "%llu", (unsigned long long)s->loc.blocks.first);
	else
		sf_kv("block", "%llu-%llu",
		      (unsigned long long)s->loc.blocks.first,
		      (unsigned long long)s->loc.blocks.last);
	if (s->extents && !*s->extents)
		sf_kv("table", "-");
	for (e = s->extents; e && *e; e = *nl ? nl + 1 : nl) {
		nl = e + strcspn(e, "\n");
		sf_kv("table", "%.*s", (int)(nl - e), e);
	}
}

static void sf_resolve_text(const struct sf_sector *s)
{
	unsigned int i;

	sf_kv("sector", "%s", s->input);
	sf_kv("device", "%s", sf_dev_name(s->dev));
	if (s->err) {
		sf_kv("area", "- (%s)", s->why);
	} else {
		sf_kv("area", "%s", s->area->path);
		sf_kv("area_kind", "%s", s->area->partition ? "partition" : "file");
		sf_kv("swap_type", "%u", s->type);
		sf_kv("slot", "%llu", (unsigned long long)s->slot);
	}
	sf_resolve_text_loc(s);
	for (i = 0; i < s->nr_owners; i++)
		sf_kv("process", "%d %s %#llx", (int)s->owner[i].pid,
		      s->owner[i].comm, (unsigned long long)s->owner[i].addr);
	if (!s->err && !s->nr_owners)
		sf_kv("process", "-");
}

/* The table's answer, one object per extent: "A-B mode=M [k=v]...". */
static void sf_extents_json(const char *answer)
{
	char *copy = strdup(answer), *line, *save = NULL, *w, *save2;
	unsigned long long a, b;

	sf_jopen("table", '[');
	for (line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%llu-%llu", &a, &b) != 2)
			continue;
		sf_jopen(NULL, '{');
		sf_ju64("first", a);
		sf_ju64("last", b);
		strtok_r(line, " ", &save2);
		while ((w = strtok_r(NULL, " ", &save2)) && strchr(w, '=')) {
			*strchr(w, '=') = '\0';
			sf_jstr(w, w + strlen(w) + 1);
		}
		sf_jclose();
	}
	sf_jclose();
	free(copy);
}

static void sf_resolve_json_loc(const struct sf_sector *s)
{
	sf_hops_json(&s->hops);
	sf_jstr("swapfail", s->loc_err ? NULL : s->loc.table->name);
	if (s->loc_err) {
		sf_jnull("block_first");
		sf_jnull("block_last");
	} else {
		sf_ju64("block_first", s->loc.blocks.first);
		sf_ju64("block_last", s->loc.blocks.last);
	}
	sf_jstr("refused", s->loc_err ? s->loc.why : NULL);
	if (s->extents)
		sf_extents_json(s->extents);
	else
		sf_jnull("table");
}

static void sf_resolve_json(const struct sf_sector *s)
{
	unsigned int i;

	sf_jopen(NULL, '{');
	sf_jstr("input", s->input);
	sf_jdev("dev", s->dev);
	sf_jstr("device", sf_dev_name(s->dev));
	sf_ju64("sector", s->sector);
	sf_jstr("area", s->err ? NULL : s->area->path);
	sf_jstr("area_kind", s->err ? NULL : s->area->partition ?
		"partition" : "file");
	if (s->err) {
		sf_jnull("swap_type");
		sf_jnull("slot");
	} else {
		sf_ju64("swap_type", s->type);
		sf_ju64("slot", s->slot);
	}
	sf_resolve_json_loc(s);
	sf_jopen("processes", '[');
	for (i = 0; i < s->nr_owners; i++) {
		sf_jopen(NULL, '{');
		sf_jint("pid", s->owner[i].pid);
		sf_jstr("comm", s->owner[i].comm);
		sf_jaddr("addr", s->owner[i].addr);
		sf_jclose();
	}
	sf_jclose();
	sf_jstr("error", s->err ? s->why : NULL);
	sf_jclose();
}

static void sf_resolve_print(const struct sf_resolve *rs, int r)
{
	unsigned int i;

	if (sf_opts.json) {
		sf_jopen(NULL, '{');
		sf_jopen("results", '[');
	}
	for (i = 0; i < rs->nr; i++) {
		if (sf_opts.json) {
			sf_resolve_json(&rs->s[i]);
			continue;
		}
		if (i)
			putchar('\n');
		sf_resolve_text(&rs->s[i]);
	}
	if (!sf_opts.json)
		return;
	sf_jclose();
	sf_jint("exit", sf_exit_code(r));
	sf_jstr("error", r ? sf_last_err() : NULL);
	sf_jclose();
}

static void sf_resolve_free(struct sf_resolve *rs)
{
	unsigned int i;

	for (i = 0; rs->s && i < rs->nr; i++)
		free(rs->s[i].extents);
	free(rs->s);
	sf_areas_free(&rs->as);
}

/*
 * The exit status: 5 if a sector is in no swap area, 7 if one's stack
 * cannot be followed; each such sector is named.
 */
static int sf_resolve_status(const struct sf_resolve *rs)
{
	const struct sf_sector *s;
	unsigned int i;
	int r = 0;

	for (i = 0; i < rs->nr; i++) {
		s = &rs->s[i];
		if (s->err) {
			sf_err("%s", s->why);
			r = r ? r : s->err;
		}
		if (s->loc_err == -SF_EUNMAPPABLE) {
			sf_err("%s: %s", s->input, s->loc.why);
			r = -SF_EUNMAPPABLE;
		}
	}
	return r;
}

/* resolve [MAJ:MIN:SECTOR...] */
int sf_cmd_resolve(struct sf_cmd *c)
{
	struct sf_resolve rs = { .nr = 0 };
	unsigned int i;
	int r;

	r = sf_resolve_inputs(&rs, c->argc, c->argv);
	if (!r)
		r = sf_areas_load(&rs.as);
	for (i = 0; !r && i < rs.nr; i++)
		sf_resolve_one(&rs, &rs.s[i]);
	if (!r)
		r = sf_resolve_owners(&rs);
	if (!r)
		r = sf_resolve_status(&rs);
	if (!r || r == -SF_ENOTSWAPPED || r == -SF_EUNMAPPABLE)
		sf_resolve_print(&rs, r);
	sf_resolve_free(&rs);
	return r;
}
