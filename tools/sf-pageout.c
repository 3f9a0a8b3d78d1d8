// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-pageout.c: pushing pages of a process out to swap, and waiting until
 * they are at rest there, for pageout, target --writeback and run.
 *
 * process_madvise(MADV_PAGEOUT) (5.10 and later) reclaims the pages asked
 * for: each anonymous page is added to the swap cache, written to its
 * slot and unmapped, so pagemap shows it in swap at once.  It stays in the
 * swap cache (under writeback, then clean) until a later reclaim frees it,
 * and an access meanwhile finds it there without reading the device: an
 * injected read error would do nothing.  So the pages' frames are watched
 * in /proc/kpageflags, and the process's memory cgroup is reclaimed
 * (memory.reclaim, 5.19) until none of them is in the swap cache or under
 * writeback.  The cgroup's own swapcached count lags by up to a batch of
 * pages: the frames' flags do not.
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

#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise	440
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT		21
#endif

#define SF_KPF_WRITEBACK	(1ULL << 8)	/* /proc/kpageflags */
#define SF_KPF_SWAPCACHE	(1ULL << 14)

/* Page them out: MADV_PAGEOUT on the process, a batch at a time. */
int sf_page_out(pid_t pid, const u64 *addr, long n)
{
	long page = sysconf(_SC_PAGESIZE), i, k;
	struct iovec iov[256];
	int pidfd, r = 0;

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	for (i = 0; !r && i < n; i += k) {
		for (k = 0; k < (long)ARRAY_SIZE(iov) && i + k < n; k++) {
			iov[k].iov_base = (void *)(uintptr_t)addr[i + k];
			iov[k].iov_len = page;
		}
		if (syscall(SYS_process_madvise, pidfd, iov, k, MADV_PAGEOUT,
			    0) < 0)
			r = -errno;
	}
	close(pidfd);
	return r;
}

/*
 * The page frames of those of the pages that are present (0 for the
 * others), from pagemap; how many are present, or -errno.
 */
long sf_page_frames(pid_t pid, const u64 *addr, u64 *pfn, long n)
{
	int fd = sf_pagemap_open(pid);
	long i, present = 0;
	u64 e;

	if (fd < 0)
		return fd;
	for (i = 0; i < n; i++) {
		pfn[i] = 0;
		if (sf_pagemap_read(fd, addr[i], &e, 1) != 1)
			break;
		if (e & PM_PRESENT) {
			pfn[i] = e & PM_FRAME;
			present++;
		}
	}
	close(fd);
	return i == n ? present : -EIO;
}

/* How many of the frames are in the swap cache or under writeback. */
static long sf_frames_cached(int kpf, const u64 *pfn, long n)
{
	long i, cached = 0;
	u64 flags;

	for (i = 0; i < n; i++)
		if (pfn[i] && (pread(kpf, &flags, sizeof(flags),
				     pfn[i] * sizeof(flags)) != sizeof(flags) ||
			       (flags & (SF_KPF_SWAPCACHE | SF_KPF_WRITEBACK))))
			cached++;
	return cached;
}

static u64 sf_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * SF_NS_PER_SEC + ts.tv_nsec;
}

/*
 * Reclaim from cgroup @cg until none of the frames is in the swap cache,
 * for @timeout ns at most: how many still are, or -errno.  Without
 * memory.reclaim (the root cgroup, a kernel before 5.19) it only waits.
 */
long sf_drain_swapcache(const char *cg, const u64 *pfn, long n, u64 timeout)
{
	struct timespec pause = { .tv_nsec = 20 * 1000 * 1000 };
	u64 end = sf_mono_ns() + timeout;
	char bytes[32];
	long cached;
	int kpf;

	kpf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (kpf < 0)
		return -errno;
	while ((cached = sf_frames_cached(kpf, pfn, n)) &&
	       sf_mono_ns() < end) {
		/*
		 * Reclaim takes the coldest pages first, not always ours:
		 * ask for twice what is left, and look again.
		 */
		snprintf(bytes, sizeof(bytes), "%ld",
			 max(cached * 2 * sysconf(_SC_PAGESIZE), 1L << 20));
		if (*cg)
			sf_write_file(cg, "memory.reclaim", bytes);
		nanosleep(&pause, NULL);
	}
	close(kpf);
	return cached;
}

/*
 * Push the pages at @addr of process @pid (in cgroup @cg, "" if none) to
 * swap and wait for them to be at rest, @timeout ns at most.  @res says
 * how many were present before, are in swap now, and still in the swap
 * cache.
 */
int sf_pageout(pid_t pid, const char *cg, const u64 *addr, long n,
	       u64 timeout, struct sf_pageout_res *res)
{
	u64 *pfn = calloc(n ? n : 1, sizeof(*pfn)), e;
	long i, present;
	int fd, r;

	memset(res, 0, sizeof(*res));
	if (!pfn)
		return -ENOMEM;
	present = sf_page_frames(pid, addr, pfn, n);
	r = present < 0 ? present : 0;
	res->present = max(present, 0L);
	if (!r && present)
		r = sf_page_out(pid, addr, n);
	if (r == -EPERM || r == -EACCES)
		sf_err("process_madvise(MADV_PAGEOUT) on process %d: permission denied (CAP_SYS_NICE and ptrace access are needed)",
		       (int)pid);
	else if (r && r != -ESRCH)
		sf_err("process_madvise(MADV_PAGEOUT) on process %d: %s",
		       (int)pid, strerror(-r));
	if (!r && present) {
		present = sf_drain_swapcache(cg, pfn, n, timeout);
		res->cached = max(present, 0L);
	}
	fd = r ? -1 : sf_pagemap_open(pid);
	for (i = 0; fd >= 0 && i < n; i++) {
		if (sf_pagemap_read(fd, addr[i], &e, 1) != 1)
			break;
		res->swapped += (e & PM_SWAP) && !(e & PM_PRESENT);
		res->resident += !!(e & PM_PRESENT);
	}
	if (fd >= 0)
		close(fd);
	free(pfn);
	return r;
}
