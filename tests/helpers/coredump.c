// SPDX-License-Identifier: GPL-2.0-only
/*
 * coredump: run a command that may dump core, and read a victim's core.
 *
 *   coredump run COMMAND [ARG...]
 *   coredump pages CORE ADDR PAGES
 *
 * run: runs COMMAND as its child, with the same stdin, stdout and stderr.
 * Prints "coredump: pid <pid>" on stderr once the child is started and,
 * when it ends, "coredump: exit=<status> at=<seconds>" or
 * "coredump: signal=<name> core=<yes|no> at=<seconds>": core= is the wait
 * status's core flag (WCOREDUMP), which the kernel sets only when the dump
 * was written to its end; <seconds> is CLOCK_BOOTTIME, the clock of
 * /proc/uptime.  Exits as a shell reports the child: its exit status, or
 * 128 + the signal; 127 if it could not be run.
 *
 * pages: finds the PAGES pages of tests/helpers/victim that start at ADDR
 * in the ELF core CORE, through its PT_LOAD program headers, and prints
 * one "page=<i> <state>" line per page, then "pages=<n>" and the count of
 * each state:
 *
 *   intact     the victim's pattern
 *   zero       zeros, written
 *   hole       in a hole of the file (reads as zeros): the dump skipped it
 *   other      anything else
 *   absent     no PT_LOAD segment covers the address
 *   unsaved    a segment covers it, but its p_filesz ends before the page
 *   truncated  the page lies (partly) past the end of the file
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE	4096UL
#define WORDS	(PAGE / sizeof(uint64_t))

enum state { INTACT, ZERO, HOLE, OTHER, ABSENT, UNSAVED, TRUNCATED, STATES };

static const char *const state_name[STATES] = {
	"intact", "zero", "hole", "other", "absent", "unsaved", "truncated",
};

/* victim_word() of tests/helpers/victim.c */
static uint64_t victim_word(size_t page, size_t word)
{
	return 0x5377617046616c6cULL ^ ((uint64_t)page << 24) ^ word ^ 1;
}

static double boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int coredump_run(char **argv)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		perror("coredump: fork");
		return 127;
	}
	if (!pid) {
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	fprintf(stderr, "coredump: pid %d\n", (int)pid);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("coredump: waitpid");
			return 127;
		}
	if (WIFEXITED(status)) {
		fprintf(stderr, "coredump: exit=%d at=%.3f\n", WEXITSTATUS(status),
			boottime());
		return WEXITSTATUS(status);
	}
	fprintf(stderr, "coredump: signal=SIG%s core=%s at=%.3f\n",
		sigabbrev_np(WTERMSIG(status)) ?: "?",
		WCOREDUMP(status) ? "yes" : "no", boottime());
	return 128 + WTERMSIG(status);
}

static int read_at(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
}

/* The program headers of the core open on @fd; NULL if it is not one. */
static Elf64_Phdr *core_phdrs(int fd, size_t *count)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh;
	Elf64_Phdr *ph;

	if (read_at(fd, &eh, sizeof(eh), 0) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_type != ET_CORE ||
	    eh.e_phentsize != sizeof(*ph)) {
		fprintf(stderr, "coredump: not a 64-bit ELF core\n");
		return NULL;
	}
	*count = eh.e_phnum;
	/* more than 65534 segments: the count is in section header 0 */
	if (eh.e_phnum == PN_XNUM) {
		if (read_at(fd, &sh, sizeof(sh), eh.e_shoff)) {
			fprintf(stderr, "coredump: no section header 0\n");
			return NULL;
		}
		*count = sh.sh_info;
	}
	ph = calloc(*count, sizeof(*ph));
	if (!ph || read_at(fd, ph, *count * sizeof(*ph), eh.e_phoff)) {
		fprintf(stderr, "coredump: cannot read the program headers\n");
		free(ph);
		return NULL;
	}
	return ph;
}

static enum state page_state(int fd, off_t size, const Elf64_Phdr *ph,
			     size_t count, uint64_t addr, size_t page)
{
	uint64_t buf[WORDS], in;
	off_t off, data;
	size_t i, w;
	int zero = 1, intact = 1;

	for (i = 0; i < count; i++)
		if (ph[i].p_type == PT_LOAD && addr >= ph[i].p_vaddr &&
		    addr + PAGE <= ph[i].p_vaddr + ph[i].p_memsz)
			break;
	if (i == count)
		return ABSENT;
	in = addr - ph[i].p_vaddr;
	if (in + PAGE > ph[i].p_filesz)
		return UNSAVED;
	off = ph[i].p_offset + in;
	if (size - off < (off_t)PAGE)
		return TRUNCATED;
	data = lseek(fd, off, SEEK_DATA);
	if ((data < 0 && errno == ENXIO) || data >= off + (off_t)PAGE)
		return HOLE;
	if (read_at(fd, buf, PAGE, off))
		return TRUNCATED;
	for (w = 0; w < WORDS; w++) {
		zero &= !buf[w];
		intact &= buf[w] == victim_word(page, w);
	}
	return intact ? INTACT : zero ? ZERO : OTHER;
}

static int coredump_pages(const char *core, const char *addr_arg,
			  const char *pages_arg)
{
	size_t count, page, pages, n[STATES] = { 0 };
	Elf64_Phdr *ph;
	struct stat st;
	uint64_t addr;
	enum state s;
	int fd;

	addr = strtoull(addr_arg, NULL, 0);
	pages = strtoul(pages_arg, NULL, 0);
	fd = open(core, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(core);
		return 1;
	}
	ph = core_phdrs(fd, &count);
	if (!ph)
		return 1;
	for (page = 0; page < pages; page++) {
		s = page_state(fd, st.st_size, ph, count, addr + page * PAGE,
			       page);
		n[s]++;
		printf("page=%zu %s\n", page, state_name[s]);
	}
	printf("pages=%zu", pages);
	for (s = 0; s < STATES; s++)
		printf(" %s=%zu", state_name[s], n[s]);
	printf("\n");
	free(ph);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "run"))
		return coredump_run(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "pages"))
		return coredump_pages(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: coredump run COMMAND [ARG...]\n"
			"       coredump pages CORE ADDR PAGES\n");
	return 64;
}
