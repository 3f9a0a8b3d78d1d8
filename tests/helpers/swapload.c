// SPDX-License-Identifier: GPL-2.0-only
/*
 * swapload: a swap-heavy workload for benchmarks.
 *
 *   swapload MIB PASSES
 *
 * Dirties MIB MiB of anonymous memory with a pattern, then PASSES times
 * reads every page back, checks it, and dirties it again.  Run it in a
 * memory cgroup smaller than MIB and each pass swaps the memory out and in.
 * Prints "swapload: <seconds> s, <pages> pages, <passes> passes" and exits
 * 0, or 1 at the first word that reads back wrong.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define PAGE	4096UL
#define WORDS	(PAGE / sizeof(uint64_t))

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t word(size_t page, unsigned long pass)
{
	return 0x9e3779b97f4a7c15ULL * (page + 1) + pass + 1;
}

/* Checks each page against @pass - 1 and rewrites it for @pass. */
static int swapload_pass(uint64_t *mem, size_t pages, unsigned long pass)
{
	size_t p, w;

	for (p = 0; p < pages; p++) {
		uint64_t *page = mem + p * WORDS;

		for (w = 0; pass && w < WORDS; w += 64)
			if (page[w] != word(p, pass - 1) + w) {
				fprintf(stderr, "swapload: page %zu corrupt\n", p);
				return 1;
			}
		for (w = 0; w < WORDS; w += 64)
			page[w] = word(p, pass) + w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long passes, pass;
	size_t pages;
	uint64_t *mem;
	double start;

	if (argc != 3) {
		fprintf(stderr, "usage: swapload MIB PASSES\n");
		return 64;
	}
	pages = strtoul(argv[1], NULL, 10) * 256;
	passes = strtoul(argv[2], NULL, 10);
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* a kernel without THP (PREEMPT_RT) has no huge pages to turn off */
	if (mem == MAP_FAILED ||
	    (madvise(mem, pages * PAGE, MADV_NOHUGEPAGE) && errno != EINVAL)) {
		perror("swapload: mmap");
		return 1;
	}
	start = now();
	for (pass = 0; pass <= passes; pass++)
		if (swapload_pass(mem, pages, pass))
			return 1;
	printf("swapload: %.3f s, %zu pages, %lu passes\n", now() - start, pages,
	       passes);
	return 0;
}
