// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-setup.c: what run sets up around a command (a loop device, the
 * swapfail device, swap on it or on a file of a filesystem on it, a
 * memory cgroup, sysctls), each thing pushed on a ledger as it is made and
 * undone, newest first, by sf_undo_all(): on every way out of run.
 *
 * Made by system calls where there is one (loop devices, swapon, mount,
 * cgroups); the swap header is written here, as mkswap(8) writes it; only
 * mkfs is another program.  A loop device's file is unlinked as soon as
 * the loop holds it, so that even a run killed with SIGKILL leaves no file
 * behind, and its loop clears itself once nothing holds it (AUTOCLEAR).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "swapfail.h"

enum sf_undo_kind {
	SF_UNDO_LOOP,			/* what: /dev/loopN; fd held open */
	SF_UNDO_DM,			/* what: the device's name */
	SF_UNDO_SWAP,			/* what: the swap area's path */
	SF_UNDO_MOUNT,			/* what: the mount point (a temp dir) */
	SF_UNDO_CGROUP,			/* what: its directory */
	SF_UNDO_SYSCTL,			/* what: /proc/sys/...; old: the value */
};

static struct {
	enum sf_undo_kind kind;
	char what[PATH_MAX];
	char old[64];
	int fd;
} sf_undo[32];

static unsigned int sf_nr_undo;

/* What could not be undone, for run's summary. */
static struct {
	const char *what[32];
	unsigned int nr;
} sf_undo_failed;

static int sf_undo_push(enum sf_undo_kind kind, const char *what,
			const char *old, int fd)
{
	if (sf_nr_undo == ARRAY_SIZE(sf_undo)) {
		sf_err("too much to undo: %s", what);
		return -ENOMEM;
	}
	sf_undo[sf_nr_undo].kind = kind;
	snprintf(sf_undo[sf_nr_undo].what, sizeof(sf_undo[0].what), "%s", what);
	snprintf(sf_undo[sf_nr_undo].old, sizeof(sf_undo[0].old), "%s",
		 old ? old : "");
	sf_undo[sf_nr_undo].fd = fd;
	sf_nr_undo++;
	return 0;
}

/* A device run created: removed at the end (sf_dm_create() made it). */
void sf_undo_device(const char *name)
{
	sf_undo_push(SF_UNDO_DM, name, NULL, -1);
}

static u64 sf_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * SF_NS_PER_SEC + ts.tv_nsec;
}

static void sf_pause_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

/* Kill what is left in the cgroup, wait until it is empty, remove it. */
static int sf_cgroup_remove(const char *dir)
{
	char path[PATH_MAX + 16], line[64];
	u64 end = sf_now_ns() + 10 * SF_NS_PER_SEC;
	bool populated = true;
	FILE *f;

	while (populated && sf_now_ns() < end) {
		/* cgroup.kill (5.14): SIGKILL to every process, at once */
		sf_write_file(dir, "cgroup.kill", "1");
		snprintf(path, sizeof(path), "%s/cgroup.events", dir);
		f = fopen(path, "re");
		populated = false;
		while (f && fgets(line, sizeof(line), f))
			if (!strcmp(line, "populated 1\n"))
				populated = true;
		if (f)
			fclose(f);
		if (populated)
			sf_pause_ms(20);
	}
	return rmdir(dir) ? -errno : 0;
}

/* A device-mapper device, with one retry: udev may still hold it. */
static int sf_remove_device(const char *name)
{
	struct sf_table t;
	int i, r = 0;

	for (i = 0; i < 50; i++) {
		if (sf_table_any(name, &t))
			return 0;	/* gone */
		sf_table_free(&t);
		r = sf_dm_remove(name);
		if (r != -EBUSY)
			return r;
		sf_pause_ms(100);
	}
	return r;
}

static int sf_undo_one(unsigned int i)
{
	const char *what = sf_undo[i].what;
	int r = 0, tries;

	switch (sf_undo[i].kind) {
	case SF_UNDO_LOOP:
		/* AUTOCLEAR clears it once the device is gone and this closed */
		ioctl(sf_undo[i].fd, LOOP_CLR_FD, 0);
		close(sf_undo[i].fd);
		return 0;
	case SF_UNDO_DM:
		return sf_remove_device(what);
	case SF_UNDO_SWAP:
		/* swapoff reads every page back: EBUSY while another one runs */
		for (tries = 0; tries < 20; tries++) {
			r = swapoff(what) && errno != EINVAL ? -errno : 0;
			if (r != -EBUSY)
				break;
			sf_pause_ms(100);
		}
		return r;
	case SF_UNDO_MOUNT:
		if (umount2(what, 0) && errno != EINVAL && umount2(what, MNT_DETACH))
			r = -errno;
		if (rmdir(what) && !r)
			r = -errno;
		return r;
	case SF_UNDO_CGROUP:
		return sf_cgroup_remove(what);
	case SF_UNDO_SYSCTL:
		return sf_write_file(what, NULL, sf_undo[i].old);
	}
	return 0;
}

/* Undo everything, newest first; how many things could not be. */
int sf_undo_all(void)
{
	static const char * const kinds[] = {
		[SF_UNDO_LOOP] = "loop device", [SF_UNDO_DM] = "device",
		[SF_UNDO_SWAP] = "swap area", [SF_UNDO_MOUNT] = "mount",
		[SF_UNDO_CGROUP] = "cgroup", [SF_UNDO_SYSCTL] = "sysctl",
	};
	int failed = 0, r;

	while (sf_nr_undo) {
		sf_nr_undo--;
		r = sf_undo_one(sf_nr_undo);
		if (!r)
			continue;
		failed++;
		sf_err("cannot undo the %s %s: %s", kinds[sf_undo[sf_nr_undo].kind],
		       sf_undo[sf_nr_undo].what, strerror(-r));
		if (sf_undo_failed.nr < ARRAY_SIZE(sf_undo_failed.what))
			sf_undo_failed.what[sf_undo_failed.nr++] =
				sf_intern("%s %s", kinds[sf_undo[sf_nr_undo].kind],
					  sf_undo[sf_nr_undo].what);
	}
	return failed;
}

unsigned int sf_undo_failures(const char *const **list)
{
	*list = sf_undo_failed.what;
	return sf_undo_failed.nr;
}

/* A loop device over a new sparse file of @size bytes (unlinked). */
int sf_loop_create(u64 size, char *dev, size_t devsize)
{
	struct loop_config cfg = { .info.lo_flags = LO_FLAGS_AUTOCLEAR };
	const char *tmp = getenv("TMPDIR");
	char file[PATH_MAX];

	/* $TMPDIR, else /var/tmp (a disk, usually), else /tmp */
	if (!tmp || !*tmp)
		tmp = access("/var/tmp", W_OK) ? "/tmp" : "/var/tmp";
	int ctl, nr, fd, loop = -1, r = 0;

	snprintf(file, sizeof(file), "%s/swapfail-run-XXXXXX", tmp);
	fd = mkostemp(file, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		sf_err("cannot create a loop file %s: %s", file, strerror(-r));
		return r;
	}
	unlink(file);
	if (ftruncate(fd, size)) {
		r = -errno;
		sf_err("cannot make %s %llu bytes: %s", file,
		       (unsigned long long)size, strerror(-r));
		goto out;
	}
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	nr = ctl < 0 ? -1 : ioctl(ctl, LOOP_CTL_GET_FREE);
	if (ctl >= 0)
		close(ctl);
	snprintf(dev, devsize, "/dev/loop%d", nr);
	if (nr >= 0)
		loop = open(dev, O_RDWR | O_CLOEXEC);
	cfg.fd = fd;
	if (loop < 0 || ioctl(loop, LOOP_CONFIGURE, &cfg)) {
		r = -errno;
		sf_err("cannot set up a loop device%s%s: %s", nr < 0 ? "" : " ",
		       nr < 0 ? "" : dev, strerror(-r));
		if (loop >= 0)
			close(loop);
		goto out;
	}
	/* held open until the end: AUTOCLEAR would clear it at once */
	r = sf_undo_push(SF_UNDO_LOOP, dev, NULL, loop);
out:
	close(fd);
	return r;
}

/*
 * Write a swap header on @path, as mkswap(8) does: version 1, every page
 * but the header usable, no bad pages, a random UUID, and the signature
 * in the last 10 bytes of the first page.
 */
int sf_mkswap(const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	struct {
		u32 version;
		u32 last_page;
		u32 nr_badpages;
		u8 uuid[16];
		char label[16];
	} hdr = { .version = 1 };
	struct stat st;
	char *buf;
	u64 size;
	int fd, r = 0;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		r = -errno;
		goto out;
	}
	size = st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &size)) {
		r = -errno;
		goto out;
	}
	if (size / page < 10 || size / page - 1 > UINT32_MAX) {
		r = -EINVAL;
		goto out;
	}
	hdr.last_page = size / page - 1;
	/* no entropy yet (an early boot): a UUID of zeros is still a header */
	if (getrandom(hdr.uuid, sizeof(hdr.uuid), GRND_NONBLOCK) < 0)
		memset(hdr.uuid, 0, sizeof(hdr.uuid));
	hdr.uuid[6] = (hdr.uuid[6] & 0x0f) | 0x40;	/* a version 4 UUID */
	hdr.uuid[8] = (hdr.uuid[8] & 0x3f) | 0x80;
	snprintf(hdr.label, sizeof(hdr.label), "swapfail-run");
	buf = calloc(1, page);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	memcpy(buf + 1024, &hdr, sizeof(hdr));
	memcpy(buf + page - 10, "SWAPSPACE2", 10);
	if (pwrite(fd, buf, page, 0) != page || fsync(fd))
		r = errno ? -errno : -EIO;
	free(buf);
out:
	if (fd >= 0)
		close(fd);
	if (r)
		sf_err("cannot write a swap header on %s: %s", path,
		       strerror(-r));
	return r;
}

int sf_swap_on(const char *path)
{
	int r;

	r = sf_mkswap(path);
	if (r)
		return r;
	if (swapon(path, 0)) {
		r = -errno;
		sf_err("swapon %s: %s", path, strerror(-r));
		return r;
	}
	return sf_undo_push(SF_UNDO_SWAP, path, NULL, -1);
}

/*
 * Start @argv with its stdout on @out_fd and stderr on @err_fd (-1: as
 * ours); execvp(), so that PATH finds it.
 */
int sf_spawn(char *const *argv, int out_fd, int err_fd, pid_t *pid)
{
	*pid = fork();
	if (*pid < 0)
		return -errno;
	if (*pid)
		return 0;
	if (out_fd >= 0)
		dup2(out_fd, STDOUT_FILENO);
	if (err_fd >= 0)
		dup2(err_fd, STDERR_FILENO);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	fprintf(stderr, "swapfail: cannot run %s: %s\n", argv[0],
		strerror(errno));
	_exit(127);
}

/*
 * Run @argv; its stdout (and its stderr too, if @both) in *@out
 * (malloc'd), its wait status in *@status.
 */
int sf_capture(char *const *argv, bool both, char **out, int *status)
{
	char *buf = NULL, *more;
	size_t len = 0, cap = 0;
	int fds[2], r;
	ssize_t n;
	pid_t pid;

	*out = NULL;
	*status = 0;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	r = sf_spawn(argv, fds[1], both ? fds[1] : -1, &pid);
	close(fds[1]);
	while (!r) {
		if (len + 4096 > cap) {
			cap = 2 * cap + 8192;
			more = realloc(buf, cap);
			if (!more) {
				r = -ENOMEM;
				break;
			}
			buf = more;
		}
		n = read(fds[0], buf + len, cap - len - 1);
		if (n > 0)
			len += n;
		else if (n == 0 || errno != EINTR)
			break;
	}
	close(fds[0]);
	while (pid > 0 && waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	if (buf)
		buf[len] = '\0';
	*out = buf;
	return r;
}

/* A new @fs on @dev, mounted on a new directory (into @dir). */
int sf_mkfs_mount(const char *fs, const char *dev, char *dir, size_t size)
{
	char mkfs[32], *out = NULL;
	char *ext4[] = { mkfs, "-q", "-F", "-b", "4096", (char *)dev, NULL };
	char *other[] = { mkfs, "-q", "-f", (char *)dev, NULL };
	int status = 0, r;

	snprintf(mkfs, sizeof(mkfs), "mkfs.%s", fs);
	r = sf_capture(strcmp(fs, "ext4") ? other : ext4, true, &out, &status);
	if (!r && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		sf_err("%s %s failed (exit %d): %.200s", mkfs, dev,
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		       out ? out : "");
		free(out);
		return -EIO;
	}
	free(out);
	if (r)
		return r;
	snprintf(dir, size, "/tmp/swapfail-run-XXXXXX");
	if (!mkdtemp(dir))
		return -errno;
	if (mount(dev, dir, fs, 0, NULL)) {
		r = -errno;
		sf_err("mount %s on %s: %s", dev, dir, strerror(-r));
		rmdir(dir);
		return r;
	}
	return sf_undo_push(SF_UNDO_MOUNT, dir, NULL, -1);
}

/*
 * A swap file of @size bytes in @dir, written out (no unwritten extents:
 * target refuses those) and, on btrfs, NOCOW from the start, as btrfs
 * swaps only to such files; then swapped on.
 */
int sf_swapfile_make(const char *dir, const char *fs, u64 size, char *path,
		     size_t pathsize)
{
	static char zeros[1 << 20];
	long flags = 0;
	u64 done;
	ssize_t n;
	int fd, r = 0;

	snprintf(path, pathsize, "%s/swapfile", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (!strcmp(fs, "btrfs") && (ioctl(fd, FS_IOC_GETFLAGS, &flags) ||
				     (flags |= FS_NOCOW_FL,
				      ioctl(fd, FS_IOC_SETFLAGS, &flags))))
		r = -errno;
	for (done = 0; !r && done < size; done += n) {
		n = write(fd, zeros, min_t(u64, sizeof(zeros), size - done));
		if (n <= 0)
			r = n < 0 ? -errno : -EIO;
	}
	if (!r && fsync(fd))
		r = -errno;
	close(fd);
	if (r) {
		sf_err("cannot write swap file %s: %s", path, strerror(-r));
		return r;
	}
	return sf_swap_on(path);
}

/* Where cgroup2 is mounted (usually /sys/fs/cgroup), or "". */
static void sf_cgroup2_dir(char *root, size_t size)
{
	char line[PATH_MAX + 128], dir[PATH_MAX], type[64];
	FILE *f = fopen("/proc/mounts", "re");

	*root = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %4095s %63s", dir, type) == 2 &&
		    !strcmp(type, "cgroup2")) {
			snprintf(root, size, "%s", dir);
			break;
		}
	if (f)
		fclose(f);
}

/* A memory cgroup for the command, with its limits. */
int sf_cgroup_make(const char *name, u64 memory_max, u64 swap_max,
		   bool has_swap_max, char *dir, size_t size)
{
	char root[PATH_MAX], val[32];
	int r;

	sf_cgroup2_dir(root, sizeof(root));
	if (!*root) {
		sf_err("no cgroup2 filesystem mounted");
		return -ENOENT;
	}
	/* memory must be on for the children of the root (no error if it is) */
	sf_write_file(root, "cgroup.subtree_control", "+memory");
	snprintf(dir, size, "%s/%s", root, name);
	if (mkdir(dir, 0755)) {
		r = -errno;
		sf_err("cannot create cgroup %s: %s", dir, strerror(-r));
		return r;
	}
	r = sf_undo_push(SF_UNDO_CGROUP, dir, NULL, -1);
	snprintf(val, sizeof(val), "%llu", (unsigned long long)memory_max);
	if (!r && memory_max)
		r = sf_write_file(dir, "memory.max", val);
	snprintf(val, sizeof(val), "%llu", (unsigned long long)swap_max);
	if (!r && has_swap_max)
		r = sf_write_file(dir, "memory.swap.max", val);
	if (r)
		sf_err("cannot set the memory limits of %s: %s", dir,
		       strerror(-r));
	return r;
}

/* /proc/sys/KEY (dots or slashes) = @value, until the end. */
int sf_sysctl_set(const char *key, const char *value)
{
	char path[PATH_MAX], old[64];
	char *p;
	int r;

	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	for (p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
	r = sf_read_line(path, old, sizeof(old));
	if (!r)
		r = sf_write_file(path, NULL, value);
	if (r) {
		sf_err("sysctl %s = %s: %s", key, value, strerror(-r));
		return r;
	}
	return sf_undo_push(SF_UNDO_SYSCTL, path, old, -1);
}
