// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-zswap.c: zswap, and pushing a process's pages through it to the
 * swap device.
 *
 * With zswap on, a page the kernel swaps out gets a swap slot like any
 * other, and pagemap shows that slot, but its data may sit compressed in
 * memory: the device's slot is written only when zswap writes the page
 * back (its pool full, its shrinker, or a page it will not take).  A read
 * error injected on the slot of such a page does nothing; the page comes
 * back from zswap.  Userspace cannot see which pages zswap holds; it can
 * see how many of a memory cgroup's pages it holds (memory.stat zswapped)
 * and, from 6.8, whether zswap may write the cgroup's pages to the device
 * at all (memory.zswap.writeback, in the cgroup and its ancestors).
 *
 * --writeback pushes the chosen pages to the device (6.8 and later): it
 * turns zswap off for the moment (the swap-outs of the whole machine go to
 * the device meanwhile; what zswap holds stays there); reads each page
 * through /proc/PID/mem, which swaps it in and, from 6.8 on, frees its
 * zswap copy (on 6.1 zswap keeps it, and the page, clean, would be dropped
 * again without a write); pages it out with process_madvise(MADV_PAGEOUT),
 * which now writes it to the device; reclaims the cgroup until the pages
 * have left the swap cache, so that the next access reads the device; and
 * turns zswap back on.  Limiting the cgroup instead (memory.zswap.max 0) does
 * not do: zswap then writes back one of the cgroup's other pages and
 * takes the new one all the same.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "swapfail.h"


#define SF_ZSWAP_PARAM	"/sys/module/zswap/parameters/"

/* A Y/N (or 1/0) file: 1, 0, or -1 if there is no such file. */
static int sf_read_bool(const char *path)
{
	char buf[16];

	if (sf_read_line(path, buf, sizeof(buf)))
		return -1;
	return buf[0] == 'Y' || buf[0] == 'y' || buf[0] == '1';
}

/* Where cgroup2 is mounted (usually /sys/fs/cgroup), or "". */
static void sf_cgroup2_root(char *root, size_t size)
{
	char line[PATH_MAX + 128], dir[PATH_MAX], type[64];
	FILE *f = fopen("/proc/mounts", "re");

	*root = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %4095s %63s", dir, type) == 2 &&
		    !strcmp(type, "cgroup2")) {
			snprintf(root, size, "%s", dir);
			break;
		}
	fclose(f);
}

/* The cgroup v2 directory of process @pid, or "". */
static void sf_cgroup_of(pid_t pid, char *dir, size_t size)
{
	char path[64], line[PATH_MAX], root[PATH_MAX];
	FILE *f;

	*dir = '\0';
	sf_cgroup2_root(root, sizeof(root));
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	if (!f || !*root) {
		if (f)
			fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(dir, size, "%s%s", root,
				 strcmp(line + 3, "/") ? line + 3 : "");
		}
	fclose(f);
}

/* One number of a cgroup's memory.stat, or -1. */
static long long sf_memory_stat(const char *cg, const char *key)
{
	char path[PATH_MAX + 32], k[64];
	long long v, found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.stat", cg);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (found < 0 && fscanf(f, "%63s %lld", k, &v) == 2)
		if (!strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

/* memory.zswap.writeback as the kernel applies it: all ancestors' too. */
static int sf_cgroup_writeback(const char *cg)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	int r = -1, v;
	char *slash;

	snprintf(dir, sizeof(dir), "%s", cg);
	for (;;) {
		snprintf(path, sizeof(path), "%s/memory.zswap.writeback", dir);
		v = sf_read_bool(path);
		if (v == 0)
			return 0;
		if (v == 1)
			r = 1;
		slash = strrchr(dir, '/');
		if (!slash || slash == dir || access(path, F_OK))
			return r;
		*slash = '\0';
	}
}

/* zswap as process @pid sees it. */
void sf_zswap_get(pid_t pid, struct sf_zswap *z)
{
	memset(z, 0, sizeof(*z));
	z->enabled = sf_read_bool(SF_ZSWAP_PARAM "enabled");
	z->shrinker = sf_read_bool(SF_ZSWAP_PARAM "shrinker_enabled");
	sf_cgroup_of(pid, z->cgroup, sizeof(z->cgroup));
	z->writeback = *z->cgroup ? sf_cgroup_writeback(z->cgroup) : -1;
	z->zswapped = *z->cgroup ? sf_memory_stat(z->cgroup, "zswapped") : -1;
}

/* Could zswap hold a page of the process now? */
bool sf_zswap_matters(const struct sf_zswap *z)
{
	return z->enabled == 1 || z->zswapped > 0;
}

static const char *sf_tristate(int v)
{
	return v < 0 ? "not in this kernel" : v ? "on" : "off";
}

/* One line on zswap, to stderr, when it could hold pages. */
void sf_zswap_note(const struct sf_zswap *z)
{
	if (!sf_zswap_matters(z))
		return;
	sf_note("zswap is %s (shrinker %s); cgroup %s: %lld kB in zswap, writeback %s",
		z->enabled == 1 ? "on" : "off, but holds pages",
		sf_tristate(z->shrinker), *z->cgroup ? z->cgroup : "(none)",
		z->zswapped < 0 ? -1 : z->zswapped / 1024,
		sf_tristate(z->writeback));
}

static void sf_jtristate(const char *key, int v)
{
	if (v < 0)
		sf_jnull(key);
	else
		sf_jbool(key, v);
}

void sf_zswap_json(const struct sf_zswap *z)
{
	sf_jopen("zswap", '{');
	sf_jtristate("enabled", z->enabled);
	sf_jtristate("shrinker_enabled", z->shrinker);
	sf_jstr("cgroup", *z->cgroup ? z->cgroup : NULL);
	sf_jtristate("cgroup_writeback", z->writeback);
	if (z->zswapped < 0)
		sf_jnull("cgroup_zswapped_bytes");
	else
		sf_jint("cgroup_zswapped_bytes", z->zswapped);
	sf_jclose();
}

/*
 * May target inject, as far as zswap goes?  0 yes (with a warning when
 * zswap may hold the pages), -SF_EUNMAPPABLE when zswap holds pages of
 * the cgroup and may never write them to the device, -SF_EUSAGE when
 * --writeback (@push) cannot be done here.
 */
int sf_zswap_check(const struct sf_zswap *z, bool push)
{
	if (push && z->writeback < 0)
		return sf_usage_err("--writeback needs memory.zswap.writeback (Linux 6.8 and later) in the process's memory cgroup");
	if (push && z->writeback == 0)
		return sf_usage_err("--writeback: memory.zswap.writeback is 0 in %s or above: zswap may not write its pages to the device",
				    z->cgroup);
	if (push || !sf_zswap_matters(z) || z->zswapped == 0)
		return 0;
	if (z->writeback == 0) {
		sf_err("zswap holds %lld kB of the pages of cgroup %s, whose memory.zswap.writeback is 0: it never writes them to the device, so an error on their slots would do nothing; nothing injected",
		       z->zswapped / 1024, z->cgroup);
		return -SF_EUNMAPPABLE;
	}
	if (z->zswapped > 0)
		sf_warn("zswap holds %lld kB of the pages of cgroup %s: an injected read error takes effect only for pages zswap has written to the device (--writeback pushes them there first, Linux 6.8 and later)",
			z->zswapped / 1024, z->cgroup);
	else
		sf_warn("zswap is on: an injected read error takes effect only for pages zswap has written to the device (--writeback pushes them there first, Linux 6.8 and later)");
	return 0;
}

/* --writeback */

/* A zswap parameter; errno set when it fails. */
static int sf_write_param(const char *name, const char *val)
{
	int r = sf_write_file(SF_ZSWAP_PARAM, name, val);

	errno = -r;
	return r;
}

/* Swap the pages in: a read through /proc/PID/mem faults each one in. */
static int sf_swap_in(pid_t pid, const u64 *addr, long n)
{
	char path[64], byte;
	long i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (i = 0; i < n; i++)
		if (pread(fd, &byte, 1, (off_t)addr[i]) != 1)
			break;
	close(fd);
	return i == n ? 0 : -EIO;
}

/*
 * Push the pages at @addr of process @pid through zswap to the swap
 * device (see the top of this file).  Their slots may change: the caller
 * reads pagemap again.
 */
int sf_zswap_push(pid_t pid, const struct sf_zswap *z, const u64 *addr, long n)
{
	u64 *pfn = calloc(n, sizeof(*pfn));
	int r, r2 = 0;

	if (!pfn)
		return -ENOMEM;
	if (z->enabled == 1 && sf_write_param("enabled", "N")) {
		r = -errno;
		sf_err("--writeback: cannot turn zswap off: %s", strerror(-r));
		free(pfn);
		return r;
	}
	r = sf_swap_in(pid, addr, n);
	if (!r && sf_page_frames(pid, addr, pfn, n) != n)
		r = -EAGAIN;
	if (r)
		sf_err("--writeback: cannot swap the pages in through /proc/%d/mem: %s",
		       (int)pid, strerror(-r));
	if (!r) {
		r = sf_page_out(pid, addr, n);
		if (r)
			sf_err("--writeback: process_madvise(MADV_PAGEOUT): %s",
			       strerror(-r));
	}
	if (!r && sf_drain_swapcache(z->cgroup, pfn, n, 5 * SF_NS_PER_SEC))
		sf_warn("--writeback: pages are still in the swap cache; an access there does not read the device");
	if (z->enabled == 1 && sf_write_param("enabled", "Y")) {
		r2 = -errno;
		sf_err("--writeback: cannot turn zswap back on: %s",
		       strerror(errno));
	}
	free(pfn);
	return r ? r : r2;
}
