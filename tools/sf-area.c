// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-area.c: the swap areas of /proc/swaps, and where a slot of one is:
 * the block device the kernel reads it from and its sector there, then,
 * through sf-stack.c, the swapfail block under it.
 *
 * A swap type (pagemap's bits 0-4) indexes the kernel's swap_info[];
 * /proc/swaps lists the areas in increasing type order but skips freed
 * types, so type T is line T of /proc/swaps only while no lower-numbered
 * area was swapoff'd with a higher one still on.
 *
 * Slot N of a swap partition is at byte N * PAGE_SIZE of it; a swap
 * file's slots are where its extents are (sf-file.c), read the first time
 * a slot of it is asked for.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "swapfail.h"

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

void sf_areas_free(struct sf_areas *as)
{
	unsigned int i;

	for (i = 0; i < as->nr; i++)
		if (as->a[i].file) {
			sf_swapfile_free(as->a[i].file);
			free(as->a[i].file);
		}
	as->nr = 0;
}

/* One line of /proc/swaps. */
static void sf_area_parse(struct sf_area *a, const char *line)
{
	char type[32];
	struct stat st;

	memset(a, 0, sizeof(*a));
	if (sscanf(line, "%4095s %31s", a->path, type) != 2)
		return;
	sf_unescape(a->path);
	a->partition = !strcmp(type, "partition");
	if (a->partition && !stat(a->path, &st) && S_ISBLK(st.st_mode))
		a->rdev = st.st_rdev;
}

/* The swap areas, in /proc/swaps order: index = swap type (see above). */
int sf_areas_load(struct sf_areas *as)
{
	char line[PATH_MAX + 128];
	FILE *f;

	as->nr = 0;
	f = fopen("/proc/swaps", "re");
	if (!f) {
		sf_err("cannot read /proc/swaps: %s", strerror(errno));
		return -errno;
	}
	if (!fgets(line, sizeof(line), f))	/* the heading */
		line[0] = '\0';
	while (as->nr < SF_MAX_AREAS && fgets(line, sizeof(line), f))
		sf_area_parse(&as->a[as->nr++], line);
	fclose(f);
	return 0;
}

/* A swap file's extents, read once: NULL and *@why if they cannot be. */
static struct sf_swapfile *sf_area_file(struct sf_area *a, const char **why)
{
	if (!a->file && !a->file_why) {
		a->file = calloc(1, sizeof(*a->file));
		if (!a->file) {
			a->file_why = "out of memory";
			a->file_err = -ENOMEM;
		} else {
			a->file_err = sf_swapfile_load(a->path, a->file,
						       &a->file_why);
		}
		if (a->file_err && a->file) {
			sf_swapfile_free(a->file);
			free(a->file);
			a->file = NULL;
		}
	}
	*why = a->file_why;
	return a->file;
}

/* sf_area_locate() for a swap file: its extents, then the stack. */
static int sf_file_locate(struct sf_area *a, u64 slot, struct sf_loc *l,
			  struct sf_hops *hops)
{
	u64 nr = sysconf(_SC_PAGESIZE) >> SF_SECTOR_SHIFT, sector;
	const struct sf_swapfile *sw;
	const char *why = NULL;
	int r;

	sw = sf_area_file(a, &why);
	if (!sw) {
		l->why = why;
		return a->file_err;
	}
	r = sf_swapfile_slot(sw, a->path, slot, &sector, &why);
	if (r) {
		l->why = why;
		return r;
	}
	r = sf_stack_locate(sw->dev, sector, nr, l, hops);
	if (!r && why) {		/* on swapfail, but in an extent refused */
		l->why = why;
		r = -SF_EUNMAPPABLE;
	}
	return r;
}

/*
 * Where slot @slot of area @a is: the device and sector of the kernel's
 * I/O in @l->dev, @l->sector, then the swapfail block under them (see
 * sf_stack_locate() for the return value).
 */
int sf_area_locate(struct sf_area *a, u64 slot, struct sf_loc *l,
		   struct sf_hops *hops)
{
	u64 nr = sysconf(_SC_PAGESIZE) >> SF_SECTOR_SHIFT;

	memset(l, 0, sizeof(*l));
	if (hops)
		hops->nr = 0;
	if (!a->partition)
		return sf_file_locate(a, slot, l, hops);
	if (!a->rdev) {
		l->why = sf_intern("swap area %s is not a block device", a->path);
		return -SF_ENOTSWAPPED;
	}
	return sf_stack_locate(a->rdev, slot * nr, nr, l, hops);
}

/*
 * The area and slot at sector @sector of block device @dev, as a kernel
 * log line names them: 0, or -SF_ENOTSWAPPED if no area is there.
 */
int sf_area_find(struct sf_areas *as, dev_t dev, u64 sector,
		 unsigned int *type, u64 *slot)
{
	u64 page = sysconf(_SC_PAGESIZE);
	const struct sf_swapfile *sw;
	const char *why;
	unsigned int i;

	for (i = 0; i < as->nr; i++) {
		*type = i;
		if (as->a[i].partition && as->a[i].rdev == dev) {
			*slot = (sector << SF_SECTOR_SHIFT) / page;
			return 0;
		}
		if (as->a[i].partition)
			continue;
		sw = sf_area_file(&as->a[i], &why);
		if (sw && sw->dev == dev && !sf_swapfile_find(sw, sector, slot))
			return 0;
	}
	return -SF_ENOTSWAPPED;
}
