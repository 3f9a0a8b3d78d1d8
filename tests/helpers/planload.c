// SPDX-License-Identifier: GPL-2.0-only
/*
 * planload: a workload for swapfail run's plans, in tests.
 *
 *   planload MIB WAIT_MS PASSES
 *
 * Grows its heap ([heap] in /proc/PID/maps, as a plan's "target --map
 * [heap]" finds it) by MIB MiB, writes a pattern that depends on the page
 * and the word, prints "ready <addr> <pages>", sleeps WAIT_MS ms (the
 * plan pushes the pages to swap and injects meanwhile), then PASSES
 * times reads every page back, checks it and writes it again.  Exits 0
 * if every page read back intact, 3 at the first one that did not
 * ("corrupt page=N"); SIGBUS and the like are left to their default
 * action, so that run sees the process die of them.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define PAGE	4096UL
#define WORDS	(PAGE / sizeof(uint64_t))

static uint64_t planload_word(size_t page, size_t word, unsigned long pass)
{
	return 0x706c616e6c6f6164ULL ^ ((uint64_t)page << 20) ^ word ^
	       ((uint64_t)pass << 52);
}

int main(int argc, char **argv)
{
	unsigned long passes, pass;
	struct timespec wait;
	size_t pages, p, w;
	uint64_t *mem;
	long ms;

	if (argc != 4) {
		fprintf(stderr, "usage: planload MIB WAIT_MS PASSES\n");
		return 64;
	}
	pages = strtoul(argv[1], NULL, 10) * 256;
	ms = strtol(argv[2], NULL, 10);
	passes = strtoul(argv[3], NULL, 10);
	/* page-aligned, then grown: every page of it is in [heap] */
	if (sbrk(PAGE - (uintptr_t)sbrk(0) % PAGE) == (void *)-1 ||
	    (mem = sbrk(pages * PAGE)) == (void *)-1) {
		perror("planload: sbrk");
		return 1;
	}
	for (p = 0; p < pages; p++)
		for (w = 0; w < WORDS; w++)
			mem[p * WORDS + w] = planload_word(p, w, 0);
	printf("ready %p %zu\n", (void *)mem, pages);
	fflush(stdout);
	wait.tv_sec = ms / 1000;
	wait.tv_nsec = ms % 1000 * 1000000;
	nanosleep(&wait, NULL);
	for (pass = 1; pass <= passes; pass++)
		for (p = 0; p < pages; p++)
			for (w = 0; w < WORDS; w++) {
				if (mem[p * WORDS + w] !=
				    planload_word(p, w, pass - 1)) {
					printf("corrupt page=%zu\n", p);
					return 3;
				}
				mem[p * WORDS + w] = planload_word(p, w, pass);
			}
	printf("intact pages=%zu passes=%lu\n", pages, passes);
	return 0;
}
