// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-stack.c: from a sector of a block device down to the swapfail target
 * under it, the way a bio goes.
 *
 * The kernel reads a swap slot from one block device: the swap partition,
 * or the device of the filesystem that holds the swap file.  That device
 * may be a swapfail device itself, or sit on one through layers whose
 * sectors map one to one, each with an offset:
 *
 *   dm-linear   "DEV OFFSET": LVM's logical volumes, kpartx's partitions
 *   dm-crypt    "CIPHER KEY IV_OFFSET DEV OFFSET [...]": plain and LUKS;
 *               a sector is encrypted in place (sector_size and the IV
 *               options change what is written, not where)
 *   partition   the kernel's: its disk, from /sys/dev/block/M:m/start
 *
 * Anything else is refused by name: a striped, mirrored, thin, cache or
 * RAID target spreads or moves sectors by rules of its own, and a loop
 * device turns them into file I/O.  Tables are read once per verb and
 * kept (sf_stack_free()); crypt keys are wiped from them once read.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "swapfail.h"

enum sf_node_kind {
	SF_NODE_DM,
	SF_NODE_PART,
	SF_NODE_LOOP,
	SF_NODE_MD,
	SF_NODE_DISK,
	SF_NODE_GONE,
};

/* One block device seen on the way down. */
struct sf_node {
	dev_t dev;
	enum sf_node_kind kind;
	char name[PATH_MAX];		/* /dev/mapper/X, /dev/vda1 */
	struct sf_table table;		/* SF_NODE_DM */
	u64 start;			/* SF_NODE_PART: first sector on... */
	dev_t parent;			/* ...its disk */
	int err;			/* SF_NODE_DM: the table could not be read */
};

static struct {
	struct sf_node **n;
	unsigned int nr;
} sf_nodes;

static int sf_sysfs_u64(dev_t dev, const char *file, u64 *v)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/%s", major(dev),
		 minor(dev), file);
	if (sf_read_line(path, buf, sizeof(buf)))
		return -ENOENT;
	return swapfail_parse_u64(buf, v) ? -EPROTO : 0;
}

static bool sf_sysfs_has(dev_t dev, const char *file)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/%s", major(dev),
		 minor(dev), file);
	return !access(path, F_OK);
}

/* A partition's disk: the device of the directory its sysfs entry is in. */
static int sf_part_parent(dev_t dev, dev_t *parent)
{
	char path[128], buf[32];
	unsigned int maj, min;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../dev", major(dev),
		 minor(dev));
	if (sf_read_line(path, buf, sizeof(buf)) ||
	    sscanf(buf, "%u:%u", &maj, &min) != 2)
		return -ENOENT;
	*parent = makedev(maj, min);
	return 0;
}

/*
 * A crypt target's line holds its key: keep the words but that one, and
 * wipe the copy libdevmapper gave.  Only the device and offset are used.
 */
static int sf_node_hide_keys(struct sf_node *n)
{
	char *w, *save = NULL, *hidden;
	struct sf_target *tg;
	unsigned int i, k;
	size_t len;

	for (i = 0; i < n->table.nr; i++) {
		tg = &n->table.tgt[i];
		if (strcmp(tg->type, "crypt"))
			continue;
		len = strlen(tg->params);
		hidden = calloc(1, len + 2);
		if (!hidden)
			return -ENOMEM;
		for (k = 0, w = strtok_r(tg->params, " ", &save); w;
		     k++, w = strtok_r(NULL, " ", &save))
			sprintf(hidden + strlen(hidden), "%s%s", k ? " " : "",
				k == 1 ? "-" : w);
		explicit_bzero(tg->params, len);
		free(tg->params);
		tg->params = hidden;
	}
	return 0;
}

/* What block device @n->dev is, and what is needed to go through it. */
static void sf_node_fill(struct sf_node *n)
{
	char devname[32], dmname[SF_NAME_LEN];

	snprintf(devname, sizeof(devname), "%u:%u", major(n->dev),
		 minor(n->dev));
	sf_dev_path(devname, n->name, sizeof(n->name));
	if (!sf_dm_name(n->dev, dmname, sizeof(dmname))) {
		n->kind = SF_NODE_DM;
		n->err = sf_table_any(dmname, &n->table);
		if (!n->err)
			n->err = sf_node_hide_keys(n);
	} else if (sf_sysfs_has(n->dev, "partition")) {
		n->kind = SF_NODE_PART;
		if (sf_sysfs_u64(n->dev, "start", &n->start) ||
		    sf_part_parent(n->dev, &n->parent))
			n->kind = SF_NODE_GONE;
	} else if (sf_sysfs_has(n->dev, "loop")) {
		n->kind = SF_NODE_LOOP;
	} else if (sf_sysfs_has(n->dev, "md")) {
		n->kind = SF_NODE_MD;
	} else if (sf_sysfs_has(n->dev, "dev")) {
		n->kind = SF_NODE_DISK;
	} else {
		n->kind = SF_NODE_GONE;
	}
}

/* The device's node, read once per verb; NULL only without memory. */
static struct sf_node *sf_node_get(dev_t dev)
{
	struct sf_node *n, **more;
	unsigned int i;

	for (i = 0; i < sf_nodes.nr; i++)
		if (sf_nodes.n[i]->dev == dev)
			return sf_nodes.n[i];
	n = calloc(1, sizeof(*n));
	more = realloc(sf_nodes.n, (sf_nodes.nr + 1) * sizeof(*more));
	if (!n || !more) {
		free(n);
		if (more)
			sf_nodes.n = more;
		return NULL;
	}
	sf_nodes.n = more;
	n->dev = dev;
	sf_node_fill(n);
	sf_nodes.n[sf_nodes.nr++] = n;
	return n;
}

/* A name for block device @dev: /dev/mapper/NAME, /dev/vda1 or MAJ:MIN. */
const char *sf_dev_name(dev_t dev)
{
	struct sf_node *n = sf_node_get(dev);

	return n ? n->name : "(out of memory)";
}

void sf_stack_free(void)
{
	unsigned int i;

	for (i = 0; i < sf_nodes.nr; i++) {
		sf_table_free(&sf_nodes.n[i]->table);
		free(sf_nodes.n[i]);
	}
	free(sf_nodes.n);
	sf_nodes.n = NULL;
	sf_nodes.nr = 0;
}

/* The devices on the way down as JSON: "path": [hop...] (swapfail(8)). */
void sf_hops_json(const struct sf_hops *hops)
{
	int i;

	sf_jopen("path", '[');
	for (i = 0; i < hops->nr; i++) {
		sf_jopen(NULL, '{');
		sf_jdev("dev", hops->h[i].dev);
		sf_jstr("device", sf_dev_name(hops->h[i].dev));
		sf_jstr("layer", hops->h[i].layer);
		sf_ju64("sector", hops->h[i].sector);
		sf_jclose();
	}
	sf_jclose();
}

/* "MAJ:MIN" and a sector number: the words of a linear or crypt line. */
static int sf_parse_devsec(const char *dev, const char *sec, dev_t *d, u64 *s)
{
	unsigned int maj, min;
	char end;

	if (sscanf(dev, "%u:%u%c", &maj, &min, &end) != 2 ||
	    swapfail_parse_u64(sec, s))
		return -EPROTO;
	*d = makedev(maj, min);
	return 0;
}

/* The device and sector under a linear or crypt target, from its line. */
static int sf_target_under(const struct sf_target *tg, dev_t *dev, u64 *off)
{
	unsigned int skip = strcmp(tg->type, "crypt") ? 0 : 3, i;
	char *copy, *save = NULL, *w[5] = { NULL };
	int r = -EPROTO;

	copy = strdup(tg->params);
	if (!copy)
		return -ENOMEM;
	w[0] = strtok_r(copy, " ", &save);
	for (i = 1; i < skip + 2 && w[i - 1]; i++)
		w[i] = strtok_r(NULL, " ", &save);
	if (w[skip] && w[skip + 1])
		r = sf_parse_devsec(w[skip], w[skip + 1], dev, off);
	free(copy);
	return r;
}

/* Where the walk is: the device, its sector, and what it found. */
struct sf_walk {
	dev_t dev;
	u64 sector;
	u64 nr;
	const char *layer;
	struct sf_loc *l;
};

/* The swapfail target @tg holds the sectors: the blocks, and the end. */
static int sf_found(struct sf_node *n, const struct sf_target *tg,
		    struct sf_walk *w)
{
	u64 first = w->sector - tg->start, last = first + w->nr - 1;

	w->l->table = &n->table;
	w->l->tgt = tg;
	w->l->blocks.first = first >> tg->args.block_shift;
	w->l->blocks.last = last >> tg->args.block_shift;
	return 0;
}

static int sf_step_dm(struct sf_node *n, struct sf_walk *w)
{
	const struct sf_target *tg;
	u64 off;

	if (n->err) {
		w->l->why = sf_intern("cannot read the table of %s: %s",
				      n->name, strerror(-n->err));
		return n->err;
	}
	tg = sf_table_find(&n->table, w->sector);
	if (!tg || w->sector + w->nr > tg->start + tg->len) {
		w->l->why = sf_intern("sectors %llu-%llu of %s are not in one of its targets",
				      (unsigned long long)w->sector,
				      (unsigned long long)(w->sector + w->nr - 1),
				      n->name);
		return -SF_EUNMAPPABLE;
	}
	w->layer = sf_intern("%s", tg->type);
	if (tg->swapfail)
		return sf_found(n, tg, w);
	if (strcmp(tg->type, "linear") && strcmp(tg->type, "crypt")) {
		w->l->why = sf_intern("%s is a %s target there (sectors %llu-%llu): swapfail cannot see through it",
				      n->name, tg->type,
				      (unsigned long long)tg->start,
				      (unsigned long long)(tg->start + tg->len - 1));
		return -SF_EUNMAPPABLE;
	}
	if (sf_target_under(tg, &w->dev, &off)) {
		w->l->why = sf_intern("unexpected %s line in the table of %s",
				      tg->type, n->name);
		return -SF_EUNMAPPABLE;
	}
	w->sector = w->sector - tg->start + off;
	return 1;
}

/* A loop device's file, for the message that refuses it. */
static const char *sf_loop_file(dev_t dev)
{
	static char file[PATH_MAX];
	char path[128];

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/loop/backing_file",
		 major(dev), minor(dev));
	if (sf_read_line(path, file, sizeof(file)))
		snprintf(file, sizeof(file), "a file");
	return file;
}

/* One step down from @n: 1 went on, 0 found swapfail, else -errno. */
static int sf_step(struct sf_node *n, struct sf_walk *w)
{
	switch (n->kind) {
	case SF_NODE_DM:
		return sf_step_dm(n, w);
	case SF_NODE_PART:
		w->layer = "partition";
		w->sector += n->start;
		w->dev = n->parent;
		return 1;
	case SF_NODE_LOOP:
		w->layer = "loop";
		w->l->why = sf_intern("%s is a loop device over %s: its I/O goes to a file, which swapfail cannot follow",
				      n->name, sf_loop_file(n->dev));
		return -SF_EUNMAPPABLE;
	case SF_NODE_MD:
		w->layer = "md";
		w->l->why = sf_intern("%s is an md RAID device: swapfail cannot see through it",
				      n->name);
		return -SF_EUNMAPPABLE;
	case SF_NODE_DISK:
		w->layer = "disk";
		w->l->why = sf_intern("%s is not on a swapfail device", n->name);
		return -SF_ENOTSWAPPED;
	default:
		w->layer = "none";
		w->l->why = sf_intern("no block device %s", n->name);
		return -SF_ENOTSWAPPED;
	}
}

/*
 * Follow sectors [@sector, @sector + @nr) of block device @dev down to
 * the swapfail target under them.  0: found (@l->table, @l->tgt and
 * @l->blocks); -SF_ENOTSWAPPED: no swapfail device there;
 * -SF_EUNMAPPABLE: a layer that cannot be seen through; @l->why says
 * which.  @hops, if not NULL, gets every device on the way.
 */
int sf_stack_locate(dev_t dev, u64 sector, u64 nr, struct sf_loc *l,
		    struct sf_hops *hops)
{
	struct sf_walk w = { .dev = dev, .sector = sector, .nr = nr, .l = l };
	struct sf_node *n;
	int i, r = 1;

	memset(l, 0, sizeof(*l));
	l->dev = dev;
	l->sector = sector;
	if (hops)
		hops->nr = 0;
	for (i = 0; i < SF_MAX_HOPS && r > 0; i++) {
		n = sf_node_get(w.dev);
		if (!n)
			return -ENOMEM;
		if (hops) {
			hops->h[i].dev = w.dev;
			hops->h[i].sector = w.sector;
		}
		w.layer = "?";
		r = sf_step(n, &w);
		if (hops) {
			hops->h[i].layer = w.layer;
			hops->nr = i + 1;
		}
	}
	if (r > 0) {
		l->why = sf_intern("more than %d layers under %s", SF_MAX_HOPS,
				   sf_dev_name(dev));
		r = -SF_EUNMAPPABLE;
	}
	return r;
}
