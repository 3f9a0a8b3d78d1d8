// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-proc.c: a process's mappings and their pagemap entries.
 *
 * /proc/PID/pagemap has one 64-bit entry per page: bit 63 present, bit 62
 * swapped; for a swapped page bits 0-4 are the swap type and bits 5-54 the
 * slot, shown to CAP_SYS_ADMIN only (zero otherwise; slot 0 is the swap
 * header, so a zero slot means "hidden").
 *
 * The mappings come from /proc/PID/smaps, whose "Swap:" line says how
 * much of each is in swap: a mapping with none need not be read page by
 * page.  Shared memory (tmpfs, memfd, SysV shm, shared anonymous memory:
 * all shmem inside) is told apart by the filesystem of the mapping's file
 * (/proc/PID/map_files, CAP_SYS_ADMIN) or, failing that, by its name.
 * When the kernel swaps a shmem page out it keeps the swap entry in the
 * file's page cache, not in the page table: pagemap shows such a page as
 * neither present nor swapped, on 6.1 and 6.12 alike, and nothing else
 * shows where it is.  smaps's "Swap:" does count those pages.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "swapfail.h"

int sf_pagemap_open_quiet(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int sf_pagemap_open(pid_t pid)
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
long sf_pagemap_read(int fd, u64 addr, u64 *e, long n)
{
	long page = sysconf(_SC_PAGESIZE);
	ssize_t got;

	got = pread(fd, e, n * sizeof(*e), addr / page * sizeof(*e));
	if (got < 0)
		return -errno;
	return got / (long)sizeof(*e);
}

/* What kind of shared memory a shmem mapping is, from its name. */
static const char *sf_shmem_kind(const char *name)
{
	if (!strncmp(name, "/memfd:", 7))
		return "memfd";
	if (!strncmp(name, "/SYSV", 5))
		return "System V shared memory";
	if (!strncmp(name, "/dev/zero", 9) || !strcmp(name, "[anon_shmem]"))
		return "shared anonymous memory";
	return "a tmpfs file";
}

/* Is mapping @m of @pid shmem (or hugetlbfs)?  Its file says, else its name. */
static void sf_map_classify(pid_t pid, struct sf_map *m)
{
	char path[96];
	struct statfs sfs;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", (int)pid,
		 (unsigned long long)m->start, (unsigned long long)m->end);
	fd = *m->name == '/' ? open(path, O_PATH | O_CLOEXEC) : -1;
	if (fd >= 0 && !fstatfs(fd, &sfs)) {
		m->shmem = sfs.f_type == TMPFS_MAGIC;
		m->hugetlb = sfs.f_type == HUGETLBFS_MAGIC;
	} else {
		m->shmem = !strncmp(m->name, "/memfd:", 7) ||
			   !strncmp(m->name, "/SYSV", 5) ||
			   !strncmp(m->name, "/dev/shm/", 9) ||
			   !strcmp(m->name, "/dev/zero (deleted)") ||
			   !strcmp(m->name, "[anon_shmem]");
	}
	if (fd >= 0)
		close(fd);
	if (m->shmem)
		m->kind = sf_shmem_kind(m->name);
}

static int sf_maps_push(struct sf_maps *ms, const char *line)
{
	unsigned long long a, b;
	struct sf_map *m;
	int name = 0;

	if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %n", &a, &b, &name) < 2 ||
	    !name)
		return 0;
	m = realloc(ms->m, (ms->nr + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	ms->m = m;
	m = &ms->m[ms->nr];
	memset(m, 0, sizeof(*m));
	m->start = a;
	m->end = b;
	m->name = strdup(line + name);
	if (!m->name)
		return -ENOMEM;
	m->name[strcspn(m->name, "\n")] = '\0';
	ms->nr++;
	return 0;
}

/*
 * The mappings of process @pid, from /proc/PID/smaps, with their swap
 * and anonymous memory (kB) and, with SF_MAPS_SHMEM, whether they are
 * shared memory.
 * [vsyscall] is left out: it is not in pagemap.  SF_MAPS_QUIET: no
 * message if the process is gone.
 */
int sf_maps_load(pid_t pid, struct sf_maps *ms, unsigned int flags)
{
	char path[64], line[PATH_MAX + 128];
	unsigned long long kb, a, b;
	bool cur = false;
	unsigned int i;
	FILE *f;
	int r = 0;

	memset(ms, 0, sizeof(*ms));
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		r = errno == ENOENT ? -ESRCH : -errno;
		if (!(flags & SF_MAPS_QUIET))
			sf_err("cannot read %s: %s", path, strerror(errno));
		return r;
	}
	while (!r && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx", &a, &b) == 2) {
			cur = !strstr(line, "[vsyscall]");
			r = cur ? sf_maps_push(ms, line) : 0;
		} else if (cur && ms->nr &&
			   sscanf(line, "Swap: %llu kB", &kb) == 1) {
			ms->m[ms->nr - 1].swap_kb = kb;
		} else if (cur && ms->nr &&
			   sscanf(line, "Anonymous: %llu kB", &kb) == 1) {
			ms->m[ms->nr - 1].anon_kb = kb;
		} else if (cur && ms->nr && !strncmp(line, "VmFlags:", 8)) {
			ms->m[ms->nr - 1].locked = strstr(line, " lo") != NULL;
			ms->m[ms->nr - 1].hugetlb |= strstr(line, " ht") != NULL;
		}
	}
	fclose(f);
	for (i = 0; (flags & SF_MAPS_SHMEM) && i < ms->nr; i++)
		sf_map_classify(pid, &ms->m[i]);
	return r;
}

void sf_maps_free(struct sf_maps *ms)
{
	unsigned int i;

	for (i = 0; i < ms->nr; i++)
		free(ms->m[i].name);
	free(ms->m);
	memset(ms, 0, sizeof(*ms));
}

const struct sf_map *sf_maps_find(const struct sf_maps *ms, u64 addr)
{
	unsigned int i;

	for (i = 0; i < ms->nr; i++)
		if (addr >= ms->m[i].start && addr < ms->m[i].end)
			return &ms->m[i];
	return NULL;
}
