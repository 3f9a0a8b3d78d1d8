// SPDX-License-Identifier: GPL-2.0-only
/*
 * victim: a process whose pages go to swap and come back, for tests.
 *
 *   victim PAGES [--thp] [--no-handler]
 *
 * Maps PAGES anonymous pages, fills each with a pattern that is non-zero
 * and depends on the page and the word, prints "ready <addr> <pages>"
 * and then reads commands from stdin, one per line:
 *
 *   check       read every page; for each page that faults print
 *               "sigbus page=<i> addr=<si_addr> code=<si_code>", for each
 *               page that reads back wrong "corrupt page=<i>", then
 *               "checked pages=<n> ok=<n> sigbus=<n> corrupt=<n>"
 *   touch I     read page I: "touch page=<i> ok", "touch page=<i> corrupt"
 *               or "touch page=<i> sigbus addr=<si_addr> code=<si_code>"
 *   write I     pass page I to write(2) on a new pipe and print
 *               "write page=<i> ret=<n> errno=<name> sigbus=<0|1>"
 *   read I      read(2) from /dev/zero into page I and print
 *               "read page=<i> ret=<n> errno=<name> sigbus=<0|1>"
 *   timed I     read page I's first word, timing that access (the page
 *               fault, if any), then check the page: "timed page=<i> ok
 *               ns=<n>" (or corrupt, or sigbus ...)
 *   exit        exit 0
 *
 * --thp maps the pages 2 MiB-aligned with MADV_HUGEPAGE (PAGES should be a
 * multiple of 512); --no-handler leaves SIGBUS to its default action.
 *
 * The stack and the program stay resident (mlockall before the pages are
 * mapped) and SIGBUS runs on an alternate stack, so that the only page
 * that can fail to come back is one of the PAGES.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096UL
#define WORDS		(PAGE / sizeof(uint64_t))
#define HUGE		(2UL << 20)

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

static void victim_touch(uint64_t *mem, size_t pages, size_t p)
{
	if (p >= pages) {
		printf("touch page=%zu none\n", p);
		return;
	}
	switch (victim_check_page(mem + p * WORDS, p)) {
	case 0:
		printf("touch page=%zu ok\n", p);
		break;
	case 1:
		printf("touch page=%zu corrupt\n", p);
		break;
	default:
		printf("touch page=%zu sigbus addr=%p code=%d\n", p,
		       victim_info.si_addr, victim_info.si_code);
	}
}

static long long victim_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Touch page @p as victim_touch, timing the first access to it. */
static void victim_timed(uint64_t *mem, size_t pages, size_t p)
{
	static const char *const what[] = { "ok", "corrupt", "sigbus" };
	volatile uint64_t *page = mem + p * WORDS;
	volatile long long ns = -1;
	long long start;
	int r;

	if (p >= pages) {
		printf("timed page=%zu none\n", p);
		return;
	}
	victim_faulted = 0;
	if (!sigsetjmp(victim_recover, 1)) {
		start = victim_ns();
		(void)page[0];
		ns = victim_ns() - start;
	}
	r = victim_faulted ? 2 : victim_check_page(page, p);
	printf("timed page=%zu %s ns=%lld\n", p, what[r], ns);
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

/*
 * What the kernel does when it, not the process, touches the page: reads
 * it for write(2) to a pipe, or writes into it for read(2) of /dev/zero.
 */
static void victim_syscall(uint64_t *mem, size_t pages, size_t p, bool into)
{
	int fds[2] = { -1, -1 };
	ssize_t r = -1;

	errno = EINVAL;
	victim_faulted = 0;
	if (p < pages && into) {
		fds[0] = open("/dev/zero", O_RDONLY);
		if (fds[0] >= 0)
			r = read(fds[0], mem + p * WORDS, PAGE);
	} else if (p < pages && !pipe(fds)) {
		r = write(fds[1], mem + p * WORDS, PAGE);
	}
	printf("%s page=%zu ret=%zd errno=%s sigbus=%d\n",
	       into ? "read" : "write", p, r,
	       r < 0 ? strerrorname_np(errno) : "0", victim_faulted);
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

/* PAGES pages, 2 MiB-aligned and huge-page backed with @thp. */
static uint64_t *victim_map(size_t pages, bool thp)
{
	size_t len = pages * PAGE + (thp ? HUGE : 0);
	char *mem;

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return NULL;
	if (thp)
		mem = (char *)(((uintptr_t)mem + HUGE - 1) & ~(HUGE - 1));
	/* a kernel without THP (PREEMPT_RT) has no huge pages to turn off */
	if (madvise(mem, pages * PAGE, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) &&
	    (thp || errno != EINVAL))
		return NULL;
	return (uint64_t *)mem;
}

static void victim_serve(uint64_t *mem, size_t pages)
{
	char line[128];
	size_t page;

	while (fgets(line, sizeof(line), stdin)) {
		if (!strcmp(line, "check\n"))
			victim_check(mem, pages);
		else if (sscanf(line, "touch %zu", &page) == 1)
			victim_touch(mem, pages, page);
		else if (sscanf(line, "write %zu", &page) == 1)
			victim_syscall(mem, pages, page, false);
		else if (sscanf(line, "read %zu", &page) == 1)
			victim_syscall(mem, pages, page, true);
		else if (sscanf(line, "timed %zu", &page) == 1)
			victim_timed(mem, pages, page);
		else if (!strcmp(line, "exit\n"))
			return;
	}
}

int main(int argc, char **argv)
{
	bool thp = false, handler = true;
	uint64_t *mem;
	size_t pages;
	int i;

	pages = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--thp"))
			thp = true;
		else if (!strcmp(argv[i], "--no-handler"))
			handler = false;
		else
			pages = 0;
	}
	if (!pages) {
		fprintf(stderr, "usage: victim PAGES [--thp] [--no-handler]\n");
		return 64;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((handler && victim_setup_signals()) || mlockall(MCL_CURRENT)) {
		perror("victim: setup");
		return 1;
	}
	mem = victim_map(pages, thp);
	if (!mem) {
		perror("victim: mmap");
		return 1;
	}
	victim_fill(mem, pages);
	printf("ready %p %zu\n", (void *)mem, pages);
	victim_serve(mem, pages);
	return 0;
}
