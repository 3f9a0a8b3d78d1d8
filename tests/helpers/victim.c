// SPDX-License-Identifier: GPL-2.0-only
/*
 * victim: a process whose pages go to swap and come back, for tests.
 *
 *   victim PAGES
 *
 * Maps PAGES anonymous pages, fills each with a pattern that is non-zero
 * and depends on the page and the word, prints "ready <addr> <pages>"
 * and then reads commands from stdin, one per line:
 *
 *   check       read every page; for each page that faults print
 *               "sigbus page=<i> addr=<si_addr> code=<si_code>", for each
 *               page that reads back wrong "corrupt page=<i>", then
 *               "checked pages=<n> ok=<n> sigbus=<n> corrupt=<n>"
 *   write FD I  pass page I to write(2) on a new pipe and print
 *               "write page=<i> ret=<n> errno=<name>"
 *   exit        exit 0
 *
 * The stack and the program stay resident (mlockall before the pages are
 * mapped) and SIGBUS runs on an alternate stack, so that the only page
 * that can fail to come back is one of the PAGES.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE		4096UL
#define WORDS		(PAGE / sizeof(uint64_t))

static sigjmp_buf victim_recover;
static volatile sig_atomic_t victim_faulted;
static siginfo_t victim_info;

static uint64_t victim_word(size_t page, size_t word)
{
	return 0x5377617046616c6cULL ^ ((uint64_t)page << 24) ^ word ^ 1;
}

static void victim_sigbus(int sig, siginfo_t *info, void *uc)
{
	victim_info = *info;
	victim_faulted = 1;
	siglongjmp(victim_recover, 1);
}

static void victim_fill(uint64_t *mem, size_t pages)
{
	size_t p, w;

	for (p = 0; p < pages; p++)
		for (w = 0; w < WORDS; w++)
			mem[p * WORDS + w] = victim_word(p, w);
}

/* 0: intact, 1: wrong contents, 2: SIGBUS. */
static int victim_check_page(volatile uint64_t *page, size_t p)
{
	size_t w;

	victim_faulted = 0;
	if (sigsetjmp(victim_recover, 1))
		return 2;
	for (w = 0; w < WORDS; w++)
		if (page[w] != victim_word(p, w))
			return 1;
	return 0;
}

static void victim_check(uint64_t *mem, size_t pages)
{
	size_t p, ok = 0, bus = 0, bad = 0;

	for (p = 0; p < pages; p++) {
		switch (victim_check_page(mem + p * WORDS, p)) {
		case 0:
			ok++;
			break;
		case 1:
			printf("corrupt page=%zu\n", p);
			bad++;
			break;
		default:
			printf("sigbus page=%zu addr=%p code=%d\n", p,
			       victim_info.si_addr, victim_info.si_code);
			bus++;
		}
	}
	printf("checked pages=%zu ok=%zu sigbus=%zu corrupt=%zu\n", pages, ok,
	       bus, bad);
}

/* What the kernel does when it, not the process, touches the page. */
static void victim_write(uint64_t *mem, size_t pages, size_t p)
{
	int fds[2];
	ssize_t r;

	if (p >= pages || pipe(fds)) {
		printf("write page=%zu ret=-1 errno=EINVAL\n", p);
		return;
	}
	r = write(fds[1], mem + p * WORDS, PAGE);
	printf("write page=%zu ret=%zd errno=%s\n", p, r,
	       r < 0 ? strerrorname_np(errno) : "0");
	close(fds[0]);
	close(fds[1]);
}

static int victim_setup_signals(void)
{
	static char altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_sigaction = victim_sigbus,
				.sa_flags = SA_SIGINFO | SA_ONSTACK };

	if (sigaltstack(&ss, NULL) || sigaction(SIGBUS, &sa, NULL))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	char line[128];
	size_t pages, page;
	uint64_t *mem;

	if (argc != 2 || !(pages = strtoul(argv[1], NULL, 10))) {
		fprintf(stderr, "usage: victim PAGES\n");
		return 64;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (victim_setup_signals() || mlockall(MCL_CURRENT)) {
		perror("victim: setup");
		return 1;
	}
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || madvise(mem, pages * PAGE, MADV_NOHUGEPAGE)) {
		perror("victim: mmap");
		return 1;
	}
	victim_fill(mem, pages);
	printf("ready %p %zu\n", (void *)mem, pages);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strcmp(line, "check\n"))
			victim_check(mem, pages);
		else if (sscanf(line, "write %zu", &page) == 1)
			victim_write(mem, pages, page);
		else if (!strcmp(line, "exit\n"))
			return 0;
	}
	return 0;
}
