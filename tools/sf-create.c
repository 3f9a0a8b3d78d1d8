// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-create.c: create and remove, a swapfail device over a block device
 * and back.  The table line is checked with the target's own parser
 * before it is loaded, so a bad block size is a usage error here.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "swapfail.h"

enum {
	SF_OPT_OFFSET = SF_OPT_LOCAL,
	SF_OPT_START_ENABLED,
	SF_OPT_NTH_READ,
	SF_OPT_NTH_WRITE,
};

static struct sf_create {
	u64 offset;			/* sectors */
	u64 block_size;
	bool start_enabled;
	bool quiet;
	u64 nth[SWAPFAIL_NR_DIRS];
	const char *error;
} sf_create = { .block_size = 4096 };

static int sf_create_opt(int c, const char *arg)
{
	struct sf_create *o = &sf_create;
	u64 bytes;
	u8 e;
	int r;

	switch (c) {
	case 'b':
		return sf_parse_size("--block-size", arg, 1, 1ULL << 30,
				     &o->block_size);
	case SF_OPT_OFFSET:
		/* a bare number is sectors, as in the table line */
		r = sf_parse_size("--offset", arg, 512, UINT64_MAX, &bytes);
		if (!r && bytes % 512)
			r = sf_usage_err("--offset '%s': not a whole number of sectors",
					 arg);
		o->offset = bytes >> SF_SECTOR_SHIFT;
		return r;
	case SF_OPT_START_ENABLED:
		o->start_enabled = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case SF_OPT_NTH_READ:
		return sf_parse_num("--every-nth-read", arg, 1, UINT32_MAX,
				    &o->nth[SWAPFAIL_DIR_READ]);
	case SF_OPT_NTH_WRITE:
		return sf_parse_num("--every-nth-write", arg, 1, UINT32_MAX,
				    &o->nth[SWAPFAIL_DIR_WRITE]);
	case 'e':
		if (swapfail_error_parse(arg, &e))
			return sf_usage_err("--error '%s': not an error the target returns (EIO ENODATA ENOLINK ETIMEDOUT ENOSPC EILSEQ EREMOTEIO)",
					    arg);
		o->error = arg;
		return 0;
	}
	return 1;
}

static const struct option sf_create_opts[] = {
	{ "block-size", required_argument, NULL, 'b' },
	{ "offset", required_argument, NULL, SF_OPT_OFFSET },
	{ "start-enabled", no_argument, NULL, SF_OPT_START_ENABLED },
	{ "quiet", no_argument, NULL, 'q' },
	{ "every-nth-read", required_argument, NULL, SF_OPT_NTH_READ },
	{ "every-nth-write", required_argument, NULL, SF_OPT_NTH_WRITE },
	{ "error", required_argument, NULL, 'e' },
	{ NULL, 0, NULL, 0 }
};

const struct sf_optset sf_create_optset = { "b:qe:", sf_create_opts,
					    sf_create_opt };

/* The size of block device @path in sectors, and its "MAJ:MIN". */
static int sf_dev_sectors(const char *path, u64 *sectors, char *majmin,
			  size_t size)
{
	struct stat st;
	u64 bytes;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		sf_err("cannot open %s: %s", path, strerror(errno));
		return r;
	}
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode)) {
		r = sf_usage_err("%s is not a block device", path);
	} else if (ioctl(fd, BLKGETSIZE64, &bytes)) {
		r = -errno;
		sf_err("cannot get the size of %s: %s", path, strerror(errno));
	} else {
		*sectors = bytes >> SF_SECTOR_SHIFT;
		snprintf(majmin, size, "%u:%u", major(st.st_rdev),
			 minor(st.st_rdev));
	}
	close(fd);
	return r;
}

/* The table line's words after the device: OFFSET BS [#features ...]. */
static int sf_create_words(const struct sf_create *o, char *dev, char **w,
			   char (*num)[24])
{
	int n = 4, i;

	w[0] = dev;
	snprintf(num[0], sizeof(num[0]), "%llu", (unsigned long long)o->offset);
	w[1] = num[0];
	snprintf(num[1], sizeof(num[1]), "%llu",
		 (unsigned long long)o->block_size);
	w[2] = num[1];
	if (o->start_enabled)
		w[n++] = "start_enabled";
	if (o->quiet)
		w[n++] = "quiet";
	for (i = 0; i < SWAPFAIL_NR_DIRS; i++) {
		if (!o->nth[i])
			continue;
		w[n++] = i == SWAPFAIL_DIR_READ ? "every_nth_read" :
						  "every_nth_write";
		snprintf(num[3 + i], sizeof(num[0]), "%llu",
			 (unsigned long long)o->nth[i]);
		w[n++] = num[3 + i];
	}
	if (o->error) {
		w[n++] = "error";
		w[n++] = (char *)o->error;
	}
	snprintf(num[2], sizeof(num[2]), "%d", n - 4);
	w[3] = num[2];
	return n > 4 ? n : 3;
}

static void sf_create_print(const char *name)
{
	struct sf_table t;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", sf_dm_dir(), name);
	if (!sf_opts.json) {
		printf("%s\n", path);
		return;
	}
	sf_jopen(NULL, '{');
	sf_jstr("name", name);
	sf_jstr("path", path);
	if (!sf_table_get(name, &t)) {
		sf_jdev("dev", t.dev);
		sf_table_free(&t);
	} else {
		sf_jnull("dev");
	}
	sf_jclose();
}

/* Check the table line with the target's own parser, then create. */
static int sf_create_table(const char *name, const struct sf_create *o,
			   char *dev, u64 len)
{
	struct swapfail_ctr_args args;
	char *error = "";
	char num[5][24], *w[16], *params;
	int n, r;

	n = sf_create_words(o, dev, w, num);
	if (swapfail_parse_ctr(n, w, len, &args, &error))
		return sf_usage_err("%s", error);
	params = sf_join(n, w);
	if (!params)
		return -ENOMEM;
	r = sf_dm_create(name, len, params);
	free(params);
	return r;
}

/* Create @name over @path from its start, failing I/O at once (run). */
int sf_create_device(const char *name, const char *path, u64 block_size,
		     bool quiet)
{
	struct sf_create o = { .block_size = block_size, .quiet = quiet,
			       .start_enabled = true };
	char dev[32];
	u64 size;
	int r;

	r = sf_dev_sectors(path, &size, dev, sizeof(dev));
	return r ? r : sf_create_table(name, &o, dev, size);
}

/* create NAME DEV [options] */
int sf_cmd_create(struct sf_cmd *c)
{
	const char *name = c->argv[0], *path = c->argv[1];
	char dev[32];
	u64 size = 0;
	int r;

	r = sf_check_name(name);
	if (!r)
		r = sf_dev_sectors(path, &size, dev, sizeof(dev));
	if (r)
		return r;
	if (sf_create.offset >= size)
		return sf_usage_err("--offset %llu: %s has %llu sectors",
				    (unsigned long long)sf_create.offset,
				    path, (unsigned long long)size);
	r = sf_create_table(name, &sf_create, dev, size - sf_create.offset);
	if (!r)
		sf_create_print(name);
	return r;
}

/* remove NAME */
int sf_cmd_remove(struct sf_cmd *c)
{
	return sf_dm_remove(c->t->name);
}
