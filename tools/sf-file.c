// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-file.c: where the slots of a swap file are on its block device.
 *
 * At swapon the kernel maps a swap file once, extent by extent, and then
 * does its swap I/O on the block device directly (iomap_swapfile_activate
 * for ext4 and XFS, btrfs_swap_activate for btrfs).  Both number the
 * slots the same way, which is copied here: walk the file's extents in
 * file order up to its size (rounded down to a page), join an extent to
 * the one before when it starts where that one ends on the device, round
 * each joined run's start up and its end down to a page, and give its
 * whole pages the next slot numbers.  Slot 0, the header, is the first
 * page.  On a filesystem of 4 KiB blocks slot N is the file's page N.
 *
 * The extents come from FIEMAP.  Its physical addresses are bytes of the
 * filesystem's device, except on btrfs, where they are btrfs's logical
 * addresses: those are turned into bytes of the device through the chunk
 * tree (BTRFS_IOC_TREE_SEARCH, CAP_SYS_ADMIN), as btrfs_swap_activate
 * does.  The kernel accepts a btrfs swap file only in chunks of one copy
 * on one device (single profile), so a chunk of any other kind is refused.
 *
 * Refused too, page by page: extents that are inline, encoded
 * (compressed), shared (reflinks, snapshots), delayed or of unknown
 * place, which the kernel's own checks keep out of an active swap file
 * anyway; and unwritten (preallocated) extents, unless --allow-unwritten.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "swapfail.h"

#define SF_FIEMAP_BATCH		256
#define SF_EXT_REFUSED		(FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC | \
				 FIEMAP_EXTENT_ENCODED | FIEMAP_EXTENT_DATA_ENCRYPTED | \
				 FIEMAP_EXTENT_NOT_ALIGNED | FIEMAP_EXTENT_DATA_INLINE | \
				 FIEMAP_EXTENT_DATA_TAIL | FIEMAP_EXTENT_SHARED)

static long sf_page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

static int sf_fext_push(struct sf_swapfile *sw, u64 logical, u64 physical,
			u64 length, u32 flags)
{
	struct sf_fext *e;

	if (sw->nr_fext == sw->cap_fext) {
		e = realloc(sw->fext, (2 * sw->cap_fext + 16) * sizeof(*e));
		if (!e)
			return -ENOMEM;
		sw->fext = e;
		sw->cap_fext = 2 * sw->cap_fext + 16;
	}
	e = &sw->fext[sw->nr_fext++];
	e->logical = logical;
	e->physical = physical;
	e->length = length;
	e->flags = flags;
	return 0;
}

/* The file's extents in [0, @size), in file order, as FIEMAP gives them. */
static int sf_fiemap(int fd, u64 size, struct sf_swapfile *sw)
{
	struct fiemap *fm;
	struct fiemap_extent *x;
	u64 start = 0;
	unsigned int i;
	int r = 0;

	fm = calloc(1, sizeof(*fm) + SF_FIEMAP_BATCH * sizeof(*x));
	if (!fm)
		return -ENOMEM;
	while (!r && start < size) {
		fm->fm_start = start;
		fm->fm_length = size - start;
		fm->fm_flags = 0;
		fm->fm_extent_count = SF_FIEMAP_BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm)) {
			r = -errno;
			break;
		}
		if (!fm->fm_mapped_extents)
			break;
		for (i = 0; !r && i < fm->fm_mapped_extents; i++) {
			x = &fm->fm_extents[i];
			r = sf_fext_push(sw, x->fe_logical, x->fe_physical,
					 x->fe_length, x->fe_flags);
			start = x->fe_logical + x->fe_length;
			if (x->fe_flags & FIEMAP_EXTENT_LAST)
				start = size;
		}
	}
	free(fm);
	return r;
}

/* btrfs */

struct sf_chunk {
	u64 logical;
	u64 length;
	u64 type;
	u64 devid;			/* of its first stripe */
	u64 physical;
	unsigned int nr_stripes;
};

struct sf_chunks {
	struct sf_chunk *c;
	unsigned int nr;
};

static int sf_chunk_push(struct sf_chunks *cs, u64 logical, const void *item,
			 u32 len)
{
	struct btrfs_chunk chunk;
	struct sf_chunk *c;

	if (len < sizeof(chunk))
		return -EPROTO;
	memcpy(&chunk, item, sizeof(chunk));
	c = realloc(cs->c, (cs->nr + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	cs->c = c;
	c = &cs->c[cs->nr++];
	c->logical = logical;
	c->length = le64toh(chunk.length);
	c->type = le64toh(chunk.type);
	c->nr_stripes = le16toh(chunk.num_stripes);
	c->devid = le64toh(chunk.stripe.devid);
	c->physical = le64toh(chunk.stripe.offset);
	return 0;
}

/* The items of one search batch; the key moves past the last one. */
static int sf_chunks_batch(struct btrfs_ioctl_search_args *args,
			   struct sf_chunks *cs)
{
	struct btrfs_ioctl_search_header sh;
	unsigned int i;
	size_t off = 0;
	int r = 0;

	for (i = 0; !r && i < args->key.nr_items; i++) {
		if (off + sizeof(sh) > sizeof(args->buf))
			return -EPROTO;
		memcpy(&sh, args->buf + off, sizeof(sh));
		off += sizeof(sh);
		if (off + sh.len > sizeof(args->buf))
			return -EPROTO;
		if (sh.type == BTRFS_CHUNK_ITEM_KEY)
			r = sf_chunk_push(cs, sh.offset, args->buf + off, sh.len);
		off += sh.len;
		args->key.min_offset = sh.offset + 1;
	}
	return r;
}

/* Every chunk of the filesystem of @fd, from its chunk tree. */
static int sf_btrfs_chunks(int fd, struct sf_chunks *cs)
{
	struct btrfs_ioctl_search_args args;
	struct btrfs_ioctl_search_key *k = &args.key;
	int r;

	memset(&args, 0, sizeof(args));
	k->tree_id = BTRFS_CHUNK_TREE_OBJECTID;
	k->min_objectid = k->max_objectid = BTRFS_FIRST_CHUNK_TREE_OBJECTID;
	k->min_type = k->max_type = BTRFS_CHUNK_ITEM_KEY;
	k->max_offset = k->max_transid = (u64)-1;
	do {
		k->nr_items = 4096;
		if (ioctl(fd, BTRFS_IOC_TREE_SEARCH, &args))
			return -errno;
		r = sf_chunks_batch(&args, cs);
	} while (!r && k->nr_items && k->min_offset);
	return r;
}

/* The block device of btrfs device @devid. */
static int sf_btrfs_dev(int fd, u64 devid, dev_t *dev)
{
	struct btrfs_ioctl_dev_info_args info;
	struct stat st;

	memset(&info, 0, sizeof(info));
	info.devid = devid;
	if (ioctl(fd, BTRFS_IOC_DEV_INFO, &info))
		return -errno;
	if (stat((const char *)info.path, &st) || !S_ISBLK(st.st_mode))
		return -ENODEV;
	*dev = st.st_rdev;
	return 0;
}

static const struct sf_chunk *sf_chunk_find(const struct sf_chunks *cs,
					    u64 logical)
{
	unsigned int i;

	for (i = 0; i < cs->nr; i++)
		if (logical >= cs->c[i].logical &&
		    logical - cs->c[i].logical < cs->c[i].length)
			return &cs->c[i];
	return NULL;
}

/* Is @c a chunk the kernel would swap to: one copy, on device @devid? */
static const char *sf_chunk_refused(const struct sf_chunk *c, u64 devid,
				    const char *path)
{
	if (c->nr_stripes != 1 || (c->type & BTRFS_BLOCK_GROUP_PROFILE_MASK))
		return sf_intern("swap file %s is in a btrfs chunk of %u copies or stripes (profile flags %#llx): not one place on one device",
				 path, c->nr_stripes,
				 (unsigned long long)(c->type & BTRFS_BLOCK_GROUP_PROFILE_MASK));
	if (c->devid != devid)
		return sf_intern("swap file %s is on more than one btrfs device",
				 path);
	return NULL;
}

/* Map extent @e onto the device into @out, a piece per chunk it is in. */
static int sf_btrfs_map_one(const struct sf_chunks *cs, const struct sf_fext *e,
			    struct sf_swapfile *out, u64 *devid,
			    const char *path, const char **why)
{
	const struct sf_chunk *c;
	u64 l, n;
	int r = 0;

	for (l = 0; !r && l < e->length; l += n) {
		c = sf_chunk_find(cs, e->physical + l);
		if (!c) {
			*why = sf_intern("swap file %s: no btrfs chunk holds logical address %llu",
					 path, (unsigned long long)(e->physical + l));
			return -SF_EUNMAPPABLE;
		}
		if (!*devid)
			*devid = c->devid;
		*why = sf_chunk_refused(c, *devid, path);
		if (*why)
			return -SF_EUNMAPPABLE;
		n = min(e->length - l, c->logical + c->length - (e->physical + l));
		r = sf_fext_push(out, e->logical + l,
				 c->physical + e->physical + l - c->logical, n,
				 e->flags);
	}
	return r;
}

/*
 * Turn the extents' btrfs logical addresses into bytes of the device,
 * splitting an extent where its chunk ends.
 */
static int sf_btrfs_map(int fd, struct sf_swapfile *sw, const char *path,
			const char **why)
{
	struct sf_swapfile mapped = { .nr_fext = 0 };
	struct sf_chunks cs = { .nr = 0 };
	unsigned int i;
	u64 devid = 0;
	int r;

	r = sf_btrfs_chunks(fd, &cs);
	for (i = 0; !r && i < sw->nr_fext; i++)
		r = sf_btrfs_map_one(&cs, &sw->fext[i], &mapped, &devid, path,
				     why);
	if (!r && devid)
		r = sf_btrfs_dev(fd, devid, &sw->dev);
	free(cs.c);
	free(sw->fext);
	sw->fext = mapped.fext;
	sw->nr_fext = mapped.nr_fext;
	sw->cap_fext = mapped.cap_fext;
	return r;
}

/* Slots, as the kernel numbers them (see the top of this file). */

static int sf_sext_add(struct sf_swapfile *sw, u64 start, u64 len)
{
	u64 page = sf_page_size();
	u64 first = (start + page - 1) / page, next = (start + len) / page;
	struct sf_sext *s;

	if (first >= next)
		return 0;
	s = realloc(sw->sext, (sw->nr_sext + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	sw->sext = s;
	s = &sw->sext[sw->nr_sext++];
	s->slot = sw->nr_slots;
	s->nr = next - first;
	s->physical = first * page;
	sw->nr_slots += s->nr;
	return 0;
}

static int sf_number_slots(struct sf_swapfile *sw)
{
	u64 start = 0, len = 0;
	unsigned int i;
	int r = 0;

	for (i = 0; !r && i < sw->nr_fext; i++) {
		if (len && start + len == sw->fext[i].physical) {
			len += sw->fext[i].length;
			continue;
		}
		if (len)
			r = sf_sext_add(sw, start, len);
		start = sw->fext[i].physical;
		len = sw->fext[i].length;
	}
	if (!r && len)
		r = sf_sext_add(sw, start, len);
	return r;
}

/* The extents and the device of an open swap file @fd. */
static int sf_swapfile_map(int fd, const char *path, struct sf_swapfile *sw,
			   const char **why)
{
	struct statfs sfs;
	struct stat st;
	int r;

	if (fstat(fd, &st) || fstatfs(fd, &sfs))
		return -errno;
	r = sf_fiemap(fd, st.st_size / sf_page_size() * sf_page_size(), sw);
	if (r == -EOPNOTSUPP || r == -ENOTTY) {
		*why = sf_intern("swap file %s: its filesystem (type %#lx) does not say where its extents are (no FIEMAP)",
				 path, (unsigned long)sfs.f_type);
		return -SF_EUNMAPPABLE;
	}
	if (r)
		return r;
	if (sfs.f_type == BTRFS_SUPER_MAGIC) {
		snprintf(sw->fs, sizeof(sw->fs), "btrfs");
		return sf_btrfs_map(fd, sw, path, why);
	}
	snprintf(sw->fs, sizeof(sw->fs), "%s",
		 sfs.f_type == EXT4_SUPER_MAGIC ? "ext4" :
		 sfs.f_type == XFS_SUPER_MAGIC ? "xfs" : "other");
	sw->dev = st.st_dev;
	if (!major(st.st_dev)) {
		*why = sf_intern("swap file %s is on a filesystem without a block device (type %#lx)",
				 path, (unsigned long)sfs.f_type);
		return -SF_EUNMAPPABLE;
	}
	return 0;
}

/*
 * Read where swap file @path's slots are.  0, or -SF_EUNMAPPABLE with
 * *@why when they cannot be placed on a block device, or -errno.
 */
int sf_swapfile_load(const char *path, struct sf_swapfile *sw,
		     const char **why)
{
	int fd, r;

	memset(sw, 0, sizeof(*sw));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		*why = sf_intern("cannot open swap file %s: %s", path,
				 strerror(errno));
		return r;
	}
	r = sf_swapfile_map(fd, path, sw, why);
	if (!r)
		r = sf_number_slots(sw);
	if (r && r != -SF_EUNMAPPABLE && !*why)
		*why = sf_intern("cannot map swap file %s: %s", path,
				 strerror(-r));
	close(fd);
	return r;
}

void sf_swapfile_free(struct sf_swapfile *sw)
{
	free(sw->fext);
	free(sw->sext);
	memset(sw, 0, sizeof(*sw));
}

/* The FIEMAP flags of the extents under bytes [@start, @end) of the device. */
static u32 sf_flags_at(const struct sf_swapfile *sw, u64 start, u64 end)
{
	const struct sf_fext *e;
	unsigned int i;
	u32 flags = 0;

	for (i = 0; i < sw->nr_fext; i++) {
		e = &sw->fext[i];
		if (e->physical < end && start < e->physical + e->length)
			flags |= e->flags;
	}
	return flags;
}

static const char *sf_flags_why(u32 flags, const char *path, u64 slot)
{
	static const struct {
		u32 flag;
		const char *what;
	} names[] = {
		{ FIEMAP_EXTENT_SHARED, "a shared extent (a reflink or a snapshot)" },
		{ FIEMAP_EXTENT_DATA_INLINE, "inline data" },
		{ FIEMAP_EXTENT_DATA_TAIL, "a packed tail" },
		{ FIEMAP_EXTENT_NOT_ALIGNED, "an unaligned extent" },
		{ FIEMAP_EXTENT_ENCODED, "an encoded (compressed) extent" },
		{ FIEMAP_EXTENT_DATA_ENCRYPTED, "an encrypted extent" },
		{ FIEMAP_EXTENT_DELALLOC, "an extent not yet allocated" },
		{ FIEMAP_EXTENT_UNKNOWN, "an extent of unknown place" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (flags & names[i].flag)
			return sf_intern("slot %llu of swap file %s is in %s",
					 (unsigned long long)slot, path,
					 names[i].what);
	if ((flags & FIEMAP_EXTENT_UNWRITTEN) && !sf_opts.allow_unwritten)
		return sf_intern("slot %llu of swap file %s is in an unwritten (preallocated) extent; --allow-unwritten targets it anyway",
				 (unsigned long long)slot, path);
	return NULL;
}

/*
 * The first sector of slot @slot on the swap file's device: 0, with
 * *@why set if its extent is refused (see the top), or -SF_EUNMAPPABLE
 * if the file has no such slot.
 */
int sf_swapfile_slot(const struct sf_swapfile *sw, const char *path, u64 slot,
		     u64 *sector, const char **why)
{
	u64 page = sf_page_size(), byte;
	const struct sf_sext *s = NULL;
	unsigned int lo = 0, hi = sw->nr_sext, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (slot < sw->sext[mid].slot) {
			hi = mid;
		} else if (slot - sw->sext[mid].slot >= sw->sext[mid].nr) {
			lo = mid + 1;
		} else {
			s = &sw->sext[mid];
			break;
		}
	}
	if (!s) {
		*why = sf_intern("slot %llu is past the end of swap file %s",
				 (unsigned long long)slot, path);
		return -SF_EUNMAPPABLE;
	}
	byte = s->physical + (slot - s->slot) * page;
	*sector = byte >> SF_SECTOR_SHIFT;
	*why = sf_flags_why(sf_flags_at(sw, byte, byte + page), path, slot);
	return 0;
}

/* The slot at sector @sector of the swap file's device: 0 or -ENOENT. */
int sf_swapfile_find(const struct sf_swapfile *sw, u64 sector, u64 *slot)
{
	u64 page = sf_page_size(), byte = sector << SF_SECTOR_SHIFT;
	unsigned int i;

	for (i = 0; i < sw->nr_sext; i++)
		if (byte >= sw->sext[i].physical &&
		    (byte - sw->sext[i].physical) / page < sw->sext[i].nr) {
			*slot = sw->sext[i].slot +
				(byte - sw->sext[i].physical) / page;
			return 0;
		}
	return -ENOENT;
}
