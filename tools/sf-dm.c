// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-dm.c: swapfail(8)'s calls into libdevmapper.
 *
 * Each dm_task is created, run and destroyed in one function, with goto
 * unwinding.  libdm answers 1 or 0; here, and only here, that becomes 0
 * or -errno (the ioctl's errno, from dm_task_get_errno()).  libdm's own
 * log lines go to sf_dm_log(), which shows them with --verbose only:
 * every failure is reported in words by the function that met it.
 *
 * Without udev (no /run/udev/control, or --noudevsync) libdm must not
 * wait for it, and nothing else makes /dev/mapper nodes: create and
 * remove check the node afterwards and fix it with libdm's mknodes.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libdevmapper.h>
#include <limits.h>
#include <linux/dm-ioctl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "swapfail.h"

#define SF_LOG_WARN	4	/* libdm's _LOG_WARN */
#define SF_TARGET	"swapfail"

static void sf_dm_log(int level, const char *file, int line, int dm_errno,
		      const char *f, ...)
	__attribute__((format(printf, 5, 6)));

static void sf_dm_log(int level, const char *file, int line, int dm_errno,
		      const char *f, ...)
{
	va_list ap;

	if (!sf_opts.verbose || (level & 7) > SF_LOG_WARN)
		return;
	va_start(ap, f);
	fputs("swapfail: libdevmapper: ", stderr);
	vfprintf(stderr, f, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void sf_dm_setup(void)
{
	dm_log_with_errno_init(sf_dm_log);
	if (sf_opts.noudevsync || access("/run/udev/control", F_OK))
		dm_udev_set_sync_support(0);
}

/* Why libdm could not reach device-mapper: open and ask it ourselves. */
static int sf_dm_control_errno(const char *path)
{
	struct dm_ioctl dmi = {
		.version = { DM_VERSION_MAJOR, 0, 0 },
		.data_size = sizeof(dmi),
	};
	int fd, r = -EIO;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES || errno == EPERM ? -EACCES : -ENXIO;
	if (ioctl(fd, DM_VERSION, &dmi))
		r = -errno;
	close(fd);
	return r;
}

/*
 * Can device-mapper be reached?  libdm's dm_task_create() fails (NULL,
 * no errno) when it cannot, so the first use checks, and says why not.
 */
static int sf_dm_check(void)
{
	static int checked = 1;
	char path[PATH_MAX], version[64];

	if (checked <= 0)
		return checked;
	checked = 0;
	if (dm_driver_version(version, sizeof(version)))
		return 0;
	snprintf(path, sizeof(path), "%s/control", dm_dir());
	checked = sf_dm_control_errno(path);
	if (checked == -EACCES || checked == -EPERM)
		sf_err("permission denied: device-mapper needs CAP_SYS_ADMIN");
	else if (checked == -ENXIO)
		sf_err("device-mapper is not available (no usable %s)", path);
	else
		sf_err("cannot talk to device-mapper: %s", strerror(-checked));
	return checked;
}

/* dm_task_run() failed: the errno of its ioctl. */
static int sf_dm_errno(struct dm_task *dmt)
{
	int e = dm_task_get_errno(dmt);

	return e ? -e : -EIO;
}

/* Report a failure that has no better words than its errno. */
static int sf_dm_report(int err, const char *what, const char *name)
{
	if (err == -EACCES || err == -EPERM)
		sf_err("%s %s: permission denied (device-mapper needs CAP_SYS_ADMIN)",
		       what, name);
	else
		sf_err("%s %s: %s", what, name, strerror(-err));
	return err;
}

/* Split a swapfail table line into words and parse it with the core. */
static int sf_target_parse(struct sf_target *tg)
{
	char *argv[64], *save = NULL, *w;
	char *error = NULL;
	unsigned int argc = 0;

	tg->argbuf = strdup(tg->params);
	if (!tg->argbuf)
		return -ENOMEM;
	for (w = strtok_r(tg->argbuf, " ", &save); w && argc < 64;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	if (swapfail_parse_ctr(argc, argv, tg->len, &tg->args, &error)) {
		sf_err("unexpected swapfail table line '%s': %s", tg->params,
		       error);
		return -EPROTO;
	}
	tg->swapfail = true;
	tg->nr_blocks = (tg->len + (1ULL << tg->args.block_shift) - 1) >>
			tg->args.block_shift;
	return 0;
}

static int sf_table_push(struct sf_table *t, u64 start, u64 len,
			 const char *type, const char *params)
{
	struct sf_target *tg;

	tg = realloc(t->tgt, (t->nr + 1) * sizeof(*tg));
	if (!tg)
		return -ENOMEM;
	t->tgt = tg;
	tg = &t->tgt[t->nr++];
	memset(tg, 0, sizeof(*tg));
	tg->start = start;
	tg->len = len;
	snprintf(tg->type, sizeof(tg->type), "%s", type ? type : "");
	tg->params = strdup(params ? params : "");
	if (!tg->params)
		return -ENOMEM;
	if (strcmp(tg->type, SF_TARGET))
		return 0;
	return sf_target_parse(tg);
}

static int sf_table_fill(struct sf_table *t, struct dm_task *dmt)
{
	char *type, *params;
	uint64_t start, len;	/* libdevmapper's type */
	void *next = NULL;
	unsigned int i;
	int r;

	do {
		next = dm_get_next_target(dmt, next, &start, &len, &type,
					  &params);
		if (!type)
			continue;
		r = sf_table_push(t, start, len, type, params);
		if (r)
			return r;
	} while (next);
	for (i = 0; i < t->nr && !t->sf; i++)
		if (t->tgt[i].swapfail)
			t->sf = &t->tgt[i];
	return 0;
}

/* Read the live table of device-mapper device @name. */
static int sf_table_read(const char *name, struct sf_table *t)
{
	struct dm_task *dmt;
	struct dm_info info;
	int r;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	dmt = dm_task_create(DM_DEVICE_TABLE);
	if (!dmt)
		return -ENOMEM;
	r = -ENOMEM;
	if (!dm_task_set_name(dmt, name) || !dm_task_no_open_count(dmt))
		goto out;
	if (!dm_task_run(dmt)) {
		r = sf_dm_errno(dmt);
		goto out;
	}
	r = -ENXIO;
	if (!dm_task_get_info(dmt, &info) || !info.exists)
		goto out;
	t->dev = makedev(info.major, info.minor);
	r = sf_table_fill(t, dmt);
out:
	dm_task_destroy(dmt);
	return r;
}

/* Device names as device-mapper takes them. */
int sf_check_name(const char *name)
{
	if (!*name || strlen(name) >= SF_NAME_LEN || strchr(name, '/') ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return sf_usage_err("'%s' is not a device-mapper device name",
				    name);
	return 0;
}

/*
 * The device-mapper name a device argument means: NAME itself, or the
 * device of /dev/mapper/NAME, /dev/dm-N (any block device path) or
 * MAJ:MIN.  /dev/mapper/NAME is taken by its name when there is no such
 * node (no udev made it).
 */
static int sf_dm_arg_name(const char *arg, char *name, size_t size)
{
	unsigned int maj, min;
	size_t dir = strlen(dm_dir());
	struct stat st;
	dev_t dev;
	char end;

	if (sscanf(arg, "%u:%u%c", &maj, &min, &end) == 2) {
		dev = makedev(maj, min);
	} else if (strchr(arg, '/')) {
		if (stat(arg, &st) && !strncmp(arg, dm_dir(), dir) &&
		    arg[dir] == '/') {
			snprintf(name, size, "%s", arg + dir + 1);
			return sf_check_name(name);
		}
		if (stat(arg, &st)) {
			sf_err("%s: %s", arg, strerror(errno));
			return -SF_ENODEV;
		}
		if (!S_ISBLK(st.st_mode))
			return sf_usage_err("%s is not a block device", arg);
		dev = st.st_rdev;
	} else {
		snprintf(name, size, "%s", arg);
		return sf_check_name(name);
	}
	if (sf_dm_name(dev, name, size)) {
		sf_err("%s (%u:%u) is not a device-mapper device", arg,
		       major(dev), minor(dev));
		return -SF_ENODEV;
	}
	return 0;
}

/*
 * Read the table of the device @arg names (see above); fail with
 * -SF_ENODEV, having said why, unless it exists and has a swapfail target.
 */
int sf_table_get(const char *arg, struct sf_table *t)
{
	char name[SF_NAME_LEN];
	int r;

	memset(t, 0, sizeof(*t));
	r = sf_dm_arg_name(arg, name, sizeof(name));
	if (!r)
		r = sf_dm_check();
	if (r)
		return r;
	r = sf_table_read(name, t);
	if (r == -ENXIO || r == -ENODEV) {
		sf_err("%s: no such device-mapper device", arg);
		r = -SF_ENODEV;
	} else if (r == -EPROTO) {
		r = -SF_ENODEV;
	} else if (r) {
		sf_dm_report(r, "cannot read the table of", name);
	} else if (!t->sf) {
		sf_err("%s is not a swapfail device (its table has %s)", name,
		       t->nr ? t->tgt[0].type : "no target");
		r = -SF_ENODEV;
	}
	if (r)
		sf_table_free(t);
	return r;
}

/* Read @name's table, whatever its targets: for the devices under swap. */
int sf_table_any(const char *name, struct sf_table *t)
{
	int r;

	memset(t, 0, sizeof(*t));
	r = sf_dm_check();
	if (!r)
		r = sf_table_read(name, t);
	if (r)
		sf_table_free(t);
	return r;
}

void sf_table_free(struct sf_table *t)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		free(t->tgt[i].params);
		free(t->tgt[i].argbuf);
	}
	free(t->tgt);
	t->tgt = NULL;
	t->sf = NULL;
	t->nr = 0;
}

/* The target that maps @sector, or NULL. */
struct sf_target *sf_table_find(const struct sf_table *t, u64 sector)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		if (sector >= t->tgt[i].start &&
		    sector - t->tgt[i].start < t->tgt[i].len)
			return &t->tgt[i];
	return NULL;
}

/* The device-mapper name of block device @dev, or -ENODEV. */
int sf_dm_name(dev_t dev, char *name, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/dm/name",
		 major(dev), minor(dev));
	return sf_read_line(path, name, size) ? -ENODEV : 0;
}

const char *sf_dm_dir(void)
{
	return dm_dir();
}

/* A path for "MAJ:MIN" (as tables name devices): /dev/mapper/X, /dev/X. */
int sf_dev_path(const char *dev, char *path, size_t size)
{
	char sys[128], line[160];
	unsigned int maj, min;
	FILE *f;

	snprintf(path, size, "%s", dev);
	if (sscanf(dev, "%u:%u", &maj, &min) != 2)
		return 0;
	if (!sf_dm_name(makedev(maj, min), line, sizeof(line))) {
		snprintf(path, size, "%s/%s", dm_dir(), line);
		return 0;
	}
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u/uevent", maj, min);
	f = fopen(sys, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "DEVNAME=", 8)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(path, size, "/dev/%s", line + 8);
		}
	fclose(f);
	return 0;
}

/*
 * The kernel log from now on, to quote the reason the kernel gives when
 * it refuses a table or a message.  -errno if it cannot be read.
 */
static int sf_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	lseek(fd, 0, SEEK_END);
	return fd;
}

/* From one /dev/kmsg record, the words of a swapfail complaint, or NULL. */
static const char *sf_kmsg_text(char *rec)
{
	char *text = strchr(rec, ';'), *p;

	if (!text)
		return NULL;
	text++;
	text[strcspn(text, "\n")] = '\0';
	if (!strstr(text, "device-mapper: ") || !strstr(text, SF_TARGET))
		return NULL;
	p = strstr(text, "rejected: ");
	if (p)
		return p + strlen("rejected: ");
	p = strstr(text, SF_TARGET ": ");
	if (p)
		return p + strlen(SF_TARGET ": ");
	p = strstr(text, "device-mapper: ");
	return p ? p + strlen("device-mapper: ") : text;
}

/* The last swapfail line logged since sf_kmsg_open(). */
static bool sf_kmsg_reason(int fd, char *buf, size_t size)
{
	const char *text;
	char rec[1024];
	bool found = false;
	ssize_t n;

	if (fd < 0)
		return false;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = sf_kmsg_text(rec);
		if (text) {
			snprintf(buf, size, "%s", text);
			found = true;
		}
	}
	return found;
}

/* The kernel refused @what: say why, as its log says. */
static int sf_refused(int kmsg, int err, const char *what)
{
	char reason[512];

	if (sf_kmsg_reason(kmsg, reason, sizeof(reason)))
		sf_err("the kernel refused %s: %s", what, reason);
	else
		sf_err("the kernel refused %s: %s (its reason is in the kernel log)",
		       what, strerror(-err));
	return -SF_EREFUSED;
}

static int sf_dm_message_run(const struct sf_table *t, const char *msg,
			     char **answer)
{
	const char *resp;
	struct dm_task *dmt;
	int r = -ENOMEM;

	dmt = dm_task_create(DM_DEVICE_TARGET_MSG);
	if (!dmt)
		return -ENOMEM;
	if (!dm_task_set_name(dmt, t->name) ||
	    !dm_task_set_sector(dmt, t->sf->start) ||
	    !dm_task_set_message(dmt, msg))
		goto out;
	if (!dm_task_run(dmt)) {
		r = sf_dm_errno(dmt);
		goto out;
	}
	r = 0;
	resp = dm_task_get_message_response(dmt);
	if (resp && *resp) {
		*answer = strdup(resp);
		if (!*answer)
			r = -ENOMEM;
	}
out:
	dm_task_destroy(dmt);
	return r;
}

/*
 * Send @msg to the swapfail target of @t; its answer, if any, goes to
 * *@answer (malloc'd, else NULL).  libdm retries with a larger buffer
 * until a long answer fits.
 */
int sf_dm_message(const struct sf_table *t, const char *msg, char **answer)
{
	char what[128];
	int kmsg, r;

	*answer = NULL;
	kmsg = sf_kmsg_open();
	r = sf_dm_message_run(t, msg, answer);
	if (r == -EINVAL || r == -ENOMEM) {
		snprintf(what, sizeof(what), "'%.100s'", msg);
		r = sf_refused(kmsg, r, what);
	} else if (r == -ENXIO) {
		sf_err("%s: no such device-mapper device", t->name);
		r = -SF_ENODEV;
	} else if (r) {
		sf_dm_report(r, "message to", t->name);
	}
	if (kmsg >= 0)
		close(kmsg);
	return r;
}

/* The status INFO of @t's swapfail target (malloc'd into *@info). */
int sf_dm_info(const struct sf_table *t, char **info)
{
	char *type, *params;
	struct dm_task *dmt;
	uint64_t start, len;	/* libdevmapper's type */
	void *next = NULL;
	int r = -ENOMEM;

	*info = NULL;
	dmt = dm_task_create(DM_DEVICE_STATUS);
	if (!dmt)
		return -ENOMEM;
	if (!dm_task_set_name(dmt, t->name) || !dm_task_no_open_count(dmt))
		goto out;
	if (!dm_task_run(dmt)) {
		r = sf_dm_report(sf_dm_errno(dmt), "cannot read the status of",
				 t->name);
		goto out;
	}
	r = -SF_ENODEV;
	do {
		next = dm_get_next_target(dmt, next, &start, &len, &type,
					  &params);
		if (type && !strcmp(type, SF_TARGET) && start == t->sf->start &&
		    params) {
			*info = strdup(params);
			r = *info ? 0 : -ENOMEM;
			break;
		}
	} while (next);
	if (r == -SF_ENODEV)
		sf_err("%s: its swapfail target is gone", t->name);
out:
	dm_task_destroy(dmt);
	return r;
}

/*
 * The names of every device-mapper device, in *@names (malloc'd, NULL at
 * the end): how many, or -errno.
 */
int sf_dm_names(char ***names)
{
	struct dm_names *n;
	struct dm_task *dmt;
	unsigned int next;
	char **list = NULL, **more;
	int nr = 0, r;

	*names = NULL;
	r = sf_dm_check();
	if (r)
		return r;
	dmt = dm_task_create(DM_DEVICE_LIST);
	if (!dmt)
		return -ENOMEM;
	if (!dm_task_run(dmt)) {
		r = sf_dm_report(sf_dm_errno(dmt), "cannot list", "devices");
		goto out;
	}
	n = dm_task_get_names(dmt);
	r = -ENOMEM;
	list = calloc(1, sizeof(*list));
	if (!list)
		goto out;
	/* no device: one entry whose dev is 0 */
	for (; n && n->dev; n = (struct dm_names *)((char *)n + next)) {
		more = realloc(list, (nr + 2) * sizeof(*more));
		if (!more)
			goto out;
		list = more;
		list[nr] = strdup(n->name);
		if (!list[nr])
			goto out;
		list[++nr] = NULL;
		next = n->next;
		if (!next)
			break;
	}
	*names = list;
	list = NULL;
	r = nr;
out:
	while (list && nr)
		free(list[--nr]);
	free(list);
	dm_task_destroy(dmt);
	return r;
}

/* Is the swapfail target registered with device-mapper? 1, 0 or -errno. */
static int sf_dm_target_loaded(void)
{
	struct dm_versions *v, *last;
	struct dm_task *dmt;
	int r = -ENOMEM;

	dmt = dm_task_create(DM_DEVICE_LIST_VERSIONS);
	if (!dmt)
		return -ENOMEM;
	if (!dm_task_run(dmt)) {
		r = sf_dm_errno(dmt);
		goto out;
	}
	r = 0;
	v = dm_task_get_versions(dmt);
	do {
		last = v;
		if (!strcmp(v->name, SF_TARGET))
			r = 1;
		v = (struct dm_versions *)((char *)v + v->next);
	} while (last != v && !r);
out:
	dm_task_destroy(dmt);
	return r;
}

/* Device @name's info (@open_count: count its openers too); -errno. */
static int sf_dm_info_of(const char *name, struct dm_info *info,
			 bool open_count)
{
	struct dm_task *dmt;
	int r = -ENOMEM;

	dmt = dm_task_create(DM_DEVICE_INFO);
	if (!dmt)
		return -ENOMEM;
	if (!dm_task_set_name(dmt, name) ||
	    (!open_count && !dm_task_no_open_count(dmt)))
		goto out;
	if (!dm_task_run(dmt)) {
		r = sf_dm_errno(dmt);
		goto out;
	}
	r = dm_task_get_info(dmt, info) ? 0 : -EIO;
out:
	dm_task_destroy(dmt);
	return r;
}

/* Does device @name exist? 1, 0 or -errno. */
static int sf_dm_exists(const char *name)
{
	struct dm_info info;
	int r = sf_dm_info_of(name, &info, false);

	return r ? r : info.exists;
}

/* How many hold @t open (swapon, a mount, a process); -errno. */
int sf_dm_open_count(const struct sf_table *t)
{
	struct dm_info info;
	int r = sf_dm_info_of(t->name, &info, true);

	if (!r && !info.exists)
		r = -ENXIO;
	return r ? r : (int)info.open_count;
}

/* Is /dev/mapper/@name a block device (or absent, if !@want)? */
static bool sf_node_ok(const char *name, bool want)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dm_dir(), name);
	if (stat(path, &st))
		return !want;
	return want && S_ISBLK(st.st_mode);
}

/*
 * Make /dev/mapper/@name match the kernel: libdm's node operations, which
 * udev would otherwise have done.  dm_mknodes() only queues them.
 */
static void sf_dm_fix_node(const char *name, bool want)
{
	if (sf_node_ok(name, want))
		return;
	if (sf_opts.verbose)
		sf_err("%s/%s %s: running libdm's mknodes", dm_dir(), name,
		       want ? "missing" : "left over");
	if (dm_mknodes(name))
		dm_task_update_nodes();
	if (!sf_node_ok(name, want))
		sf_err("warning: %s/%s %s", dm_dir(), name,
		       want ? "is missing" : "is left over");
}

/* Run a create or remove task, in step with udev when it runs. */
static int sf_dm_run_synced(struct dm_task *dmt)
{
	uint32_t cookie = 0;
	int r = 0;

	if (!dm_task_set_cookie(dmt, &cookie, 0))
		return -ENOMEM;
	if (!dm_task_run(dmt))
		r = sf_dm_errno(dmt);
	dm_udev_wait(cookie);
	return r;
}

/*
 * Why a create failed.  libdm creates, loads and resumes in one task and
 * keeps the errno of the create only: a failed load comes back as 0
 * (-EIO here), so look at the target list and the kernel log instead.
 */
static int sf_create_failed(int err, const char *name, int kmsg)
{
	if (sf_dm_target_loaded() == 0) {
		sf_err("create %s: swapfail target not loaded (modprobe dm-swapfail?)",
		       name);
		return -ENOENT;
	}
	if (err == -EINVAL || err == -EIO)
		return sf_refused(kmsg, -EINVAL, "the table");
	if (err == -EBUSY) {
		sf_err("create %s: the device is in use", name);
		return err;
	}
	return sf_dm_report(err, "create", name);
}

/* Create device @name with one swapfail target of @len sectors. */
int sf_dm_create(const char *name, u64 len, const char *params)
{
	struct dm_task *dmt;
	int kmsg = -1, r;

	r = sf_dm_check();
	if (r)
		return r;
	r = sf_dm_exists(name);
	if (r < 0)
		return sf_dm_report(r, "create", name);
	if (r) {
		sf_err("create %s: a device-mapper device of that name exists",
		       name);
		return -EEXIST;
	}
	r = -ENOMEM;
	dmt = dm_task_create(DM_DEVICE_CREATE);
	if (!dmt)
		return -ENOMEM;
	if (!dm_task_set_name(dmt, name) ||
	    !dm_task_add_target(dmt, 0, len, SF_TARGET, params))
		goto out;
	kmsg = sf_kmsg_open();
	r = sf_dm_run_synced(dmt);
	if (r)
		r = sf_create_failed(r, name, kmsg);
	else
		sf_dm_fix_node(name, true);
out:
	dm_task_destroy(dmt);
	if (kmsg >= 0)
		close(kmsg);
	return r;
}

/* Remove device @name (the caller checked that it is swapfail). */
int sf_dm_remove(const char *name)
{
	struct dm_task *dmt;
	int r = -ENOMEM;

	dmt = dm_task_create(DM_DEVICE_REMOVE);
	if (!dmt)
		return -ENOMEM;
	if (!dm_task_set_name(dmt, name))
		goto out;
	r = sf_dm_run_synced(dmt);
	if (r == -EBUSY)
		sf_err("remove %s: the device is in use (swapon, mounted or open)",
		       name);
	else if (r)
		sf_dm_report(r, "remove", name);
	else
		sf_dm_fix_node(name, false);
out:
	dm_task_destroy(dmt);
	return r;
}
