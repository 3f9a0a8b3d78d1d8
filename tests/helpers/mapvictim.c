// SPDX-License-Identifier: GPL-2.0-only
/*
 * mapvictim: like victim, with its pages in a mapping of a chosen kind.
 *
 *   mapvictim KIND PAGES
 *
 * KIND is where the PAGES pages are: "heap" (sbrk: the [heap] mapping),
 * "memfd" (a memfd, MAP_SHARED), "sysv" (System V shared memory), or
 * "shared" (MAP_SHARED | MAP_ANONYMOUS).  The last three are shmem: their
 * swapped pages are not in the page table, and pagemap shows no slot.
 * Fills each page with a non-zero pattern, prints "ready <addr> <pages>",
 * then reads victim's commands from stdin: "check", "touch I", "exit",
 * with victim's answers (tests/helpers/victim.c).  The stack stays
 * resident and SIGBUS runs on an alternate stack, as in victim.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#define PAGE		4096UL
#define WORDS		(PAGE / sizeof(uint64_t))

static sigjmp_buf recover;
static siginfo_t fault;

static uint64_t word(size_t page, size_t w)
{
	return 0x5377617046616c6cULL ^ ((uint64_t)page << 24) ^ w ^ 1;
}

static void on_sigbus(int sig, siginfo_t *info, void *uc)
{
	fault = *info;
	siglongjmp(recover, 1);
}

/* 0: intact, 1: wrong contents, 2: SIGBUS. */
static int check_page(volatile uint64_t *mem, size_t p)
{
	size_t w;

	if (sigsetjmp(recover, 1))
		return 2;
	for (w = 0; w < WORDS; w++)
		if (mem[p * WORDS + w] != word(p, w))
			return 1;
	return 0;
}

static void check(uint64_t *mem, size_t pages)
{
	size_t p, n[3] = { 0 };
	int r;

	for (p = 0; p < pages; p++) {
		r = check_page(mem, p);
		n[r]++;
		if (r == 1)
			printf("corrupt page=%zu\n", p);
		if (r == 2)
			printf("sigbus page=%zu addr=%p code=%d\n", p,
			       fault.si_addr, fault.si_code);
	}
	printf("checked pages=%zu ok=%zu sigbus=%zu corrupt=%zu\n", pages,
	       n[0], n[2], n[1]);
}

static void touch(uint64_t *mem, size_t pages, size_t p)
{
	static const char *const what[] = { "ok", "corrupt", "sigbus" };
	int r = p < pages ? check_page(mem, p) : -1;

	if (r < 0)
		printf("touch page=%zu none\n", p);
	else if (r == 2)
		printf("touch page=%zu sigbus addr=%p code=%d\n", p,
		       fault.si_addr, fault.si_code);
	else
		printf("touch page=%zu %s\n", p, what[r]);
}

static void *map_pages(const char *kind, size_t len)
{
	uintptr_t brk;
	void *mem;
	int fd, id;

	if (!strcmp(kind, "heap")) {
		brk = (uintptr_t)sbrk(len + PAGE);
		if (brk == (uintptr_t)-1)
			return MAP_FAILED;
		return (void *)((brk + PAGE - 1) & ~(PAGE - 1));
	}
	if (!strcmp(kind, "memfd")) {
		fd = memfd_create("mapvictim", 0);
		if (fd < 0 || ftruncate(fd, len))
			return MAP_FAILED;
		return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	}
	if (!strcmp(kind, "sysv")) {
		id = shmget(IPC_PRIVATE, len, IPC_CREAT | 0600);
		if (id < 0)
			return MAP_FAILED;
		mem = shmat(id, NULL, 0);
		shmctl(id, IPC_RMID, NULL);	/* gone when detached */
		return mem == (void *)-1 ? MAP_FAILED : mem;
	}
	if (!strcmp(kind, "shared"))
		return mmap(NULL, len, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return MAP_FAILED;
}

static int setup(void)
{
	static char altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO | SA_ONSTACK };

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sigaltstack(&ss, NULL) || sigaction(SIGBUS, &sa, NULL) ||
	    mlockall(MCL_CURRENT))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	size_t pages = argc == 3 ? strtoul(argv[2], NULL, 10) : 0, p, w;
	char line[128];
	uint64_t *mem;

	if (!pages) {
		fprintf(stderr, "usage: mapvictim heap|memfd|sysv|shared PAGES\n");
		return 64;
	}
	mem = setup() ? MAP_FAILED : map_pages(argv[1], pages * PAGE);
	if (mem == MAP_FAILED) {
		perror("mapvictim");
		return 1;
	}
	for (p = 0; p < pages; p++)
		for (w = 0; w < WORDS; w++)
			mem[p * WORDS + w] = word(p, w);
	printf("ready %p %zu\n", (void *)mem, pages);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strcmp(line, "check\n"))
			check(mem, pages);
		else if (sscanf(line, "touch %zu", &p) == 1)
			touch(mem, pages, p);
		else if (!strcmp(line, "exit\n"))
			break;
	}
	return 0;
}
