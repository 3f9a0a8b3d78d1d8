// SPDX-License-Identifier: GPL-2.0-only
/*
 * hugeio - one large O_DIRECT read or write from a huge-page buffer, for tests.
 *
 *   hugeio read  DEV SECTOR NR_SECTORS [--expect-pattern P] [--small]
 *   hugeio write DEV SECTOR NR_SECTORS --pattern P [--small]
 *
 * The buffer is a hugetlb page (MAP_HUGETLB, if vm.nr_hugepages left one),
 * else anonymous memory 2 MiB-aligned with MADV_HUGEPAGE, faulted in and
 * checked in /proc/self/smaps (AnonHugePages): the first line printed says
 * which, "buffer hugetlb", "buffer thp" or "buffer small" (--small: no huge
 * page asked for). Without --small a buffer that got no huge page exits 3:
 * the test cannot send the bio it means to.
 *
 * Then ONE pread or pwrite of the whole range on an O_DIRECT descriptor.
 * Sector S holds the 32-bit value P + S, repeated (as tests/helpers/sfio).
 * Prints "ok" and exits 0; on an I/O error prints the errno name (EIO, ...)
 * and exits 1. A write checks that its buffer still holds what it wrote
 * ("buffer changed at byte N", exit 2). A read with --expect-pattern prints,
 * before "ok", each run of bytes that differ from the pattern as
 * "diff FIRST-LAST" (byte offsets into the I/O, inclusive; the first 32
 * runs), then "diffbytes N".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SECTOR_SIZE	512
#define HUGE_SIZE	(2UL << 20)
#define MAX_RUNS	32

enum { EXIT_OK = 0, EXIT_IO_ERROR = 1, EXIT_MISMATCH = 2, EXIT_NO_HUGE = 3,
       EXIT_USAGE = 64 };

static int usage(void)
{
	fprintf(stderr,
		"usage: hugeio read DEV SECTOR NR_SECTORS [--expect-pattern P] [--small]\n"
		"       hugeio write DEV SECTOR NR_SECTORS --pattern P [--small]\n");
	return EXIT_USAGE;
}

static bool parse_ull(const char *s, unsigned long long *val)
{
	char *end;

	errno = 0;
	*val = strtoull(s, &end, 0);
	return s[0] != '-' && *s && !*end && !errno;
}

static int report_errno(int err)
{
	const char *name = strerrorname_np(err);

	if (name)
		printf("%s\n", name);
	else
		printf("errno=%d\n", err);
	return EXIT_IO_ERROR;
}

/* kB of AnonHugePages in the mapping that holds @addr, from /proc/self/smaps. */
static long anon_huge_kb(void *addr)
{
	unsigned long a = (unsigned long)addr, lo, hi;
	bool inside = false;
	char line[512];
	long kb = -1;
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			inside = a >= lo && a < hi;
			continue;
		}
		if (inside && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* A buffer of @bytes, huge-page backed unless @small; says which it got. */
static char *huge_buffer(size_t bytes, bool small, const char **kind)
{
	size_t len = (bytes + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
	char *mem;

	if (small) {
		*kind = "small";
		return posix_memalign((void **)&mem, 4096, bytes) ? NULL : mem;
	}
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (mem != MAP_FAILED) {
		/* fault it in now: a hugetlb page short at fault time is SIGBUS */
		memset(mem, 0, len);
		*kind = "hugetlb";
		return mem;
	}
	mem = mmap(NULL, len + HUGE_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return NULL;
	mem = (char *)(((uintptr_t)mem + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1));
	if (madvise(mem, len, MADV_HUGEPAGE))
		return NULL;
	memset(mem, 0, len);
	*kind = anon_huge_kb(mem) * 1024L >= (long)len ? "thp" : "small";
	return mem;
}

static void fill(char *buf, unsigned long long sector, unsigned long long nr,
		 unsigned long long pattern)
{
	unsigned long long i;
	uint32_t *w;
	size_t j;

	for (i = 0; i < nr; i++) {
		w = (uint32_t *)(buf + i * SECTOR_SIZE);
		for (j = 0; j < SECTOR_SIZE / sizeof(*w); j++)
			w[j] = (uint32_t)(pattern + sector + i);
	}
}

/* Prints the runs of bytes of @got that differ from @want. */
static void diff_runs(const char *got, const char *want, size_t bytes)
{
	size_t i = 0, start, runs = 0, total = 0;

	while (i < bytes) {
		if (got[i] == want[i]) {
			i++;
			continue;
		}
		start = i;
		while (i < bytes && got[i] != want[i])
			i++;
		total += i - start;
		if (runs++ < MAX_RUNS)
			printf("diff %zu-%zu\n", start, i - 1);
	}
	printf("diffbytes %zu\n", total);
}

int main(int argc, char **argv)
{
	unsigned long long sector, nr, pattern = 0;
	bool write_mode, small = false, have_pattern = false;
	const char *kind;
	char *buf, *want;
	size_t bytes, i;
	ssize_t done;
	int fd, arg;

	if (argc < 5)
		return usage();
	if (!strcmp(argv[1], "read"))
		write_mode = false;
	else if (!strcmp(argv[1], "write"))
		write_mode = true;
	else
		return usage();
	if (!parse_ull(argv[3], &sector) || !parse_ull(argv[4], &nr) || !nr ||
	    nr > (1ULL << 31) / SECTOR_SIZE)
		return usage();
	for (arg = 5; arg < argc; arg++) {
		if (!strcmp(argv[arg], "--small")) {
			small = true;
		} else if (!strcmp(argv[arg], write_mode ? "--pattern" : "--expect-pattern") &&
			   arg + 1 < argc) {
			if (!parse_ull(argv[++arg], &pattern) || pattern > UINT32_MAX)
				return usage();
			have_pattern = true;
		} else {
			return usage();
		}
	}
	if (write_mode && !have_pattern)
		return usage();

	setvbuf(stdout, NULL, _IOLBF, 0);
	bytes = nr * SECTOR_SIZE;
	buf = huge_buffer(bytes, small, &kind);
	want = malloc(bytes);
	if (!buf || !want) {
		perror("hugeio: buffer");
		return EXIT_USAGE;
	}
	printf("buffer %s\n", kind);
	if (!small && !strcmp(kind, "small"))
		return EXIT_NO_HUGE;
	fill(want, sector, nr, pattern);

	fd = open(argv[2], (write_mode ? O_WRONLY : O_RDONLY) | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "hugeio: open %s: %s\n", argv[2], strerror(errno));
		return report_errno(errno);
	}
	if (write_mode) {
		memcpy(buf, want, bytes);
		done = pwrite(fd, buf, bytes, (off_t)(sector * SECTOR_SIZE));
	} else {
		done = pread(fd, buf, bytes, (off_t)(sector * SECTOR_SIZE));
	}
	if (done < 0)
		return report_errno(errno);
	if ((size_t)done != bytes) {
		printf("short %s: %zd of %zu bytes\n", argv[1], done, bytes);
		return EXIT_IO_ERROR;
	}
	if (write_mode) {
		for (i = 0; i < bytes; i++) {
			if (buf[i] != want[i]) {
				printf("buffer changed at byte %zu\n", i);
				return EXIT_MISMATCH;
			}
		}
	} else if (have_pattern) {
		diff_runs(buf, want, bytes);
	}
	close(fd);
	printf("ok\n");
	return EXIT_OK;
}
