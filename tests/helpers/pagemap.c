// SPDX-License-Identifier: GPL-2.0-only
/*
 * pagemap: where the pages of a process are, for tests.
 *
 *   pagemap PID ADDR PAGES
 *
 * Prints one line per page from ADDR (hex): "<addr> swap <type> <slot>"
 * for a page in swap, "<addr> present" for one in memory, "<addr> none"
 * otherwise.  The swap type and slot are read from /proc/PID/pagemap,
 * which shows them to CAP_SYS_ADMIN only: bits 0-4 are the type (the swap
 * area's index in swapon order), bits 5-54 the slot, bit 62 "swapped",
 * bit 63 "present".
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PAGE		4096UL
#define PM_PRESENT	(1ULL << 63)
#define PM_SWAP		(1ULL << 62)
#define PM_SWAP_TYPE(e)	((unsigned int)((e) & 0x1f))
#define PM_SWAP_SLOT(e)	((unsigned long long)((e) >> 5) & ((1ULL << 50) - 1))

int main(int argc, char **argv)
{
	unsigned long addr, pages, i;
	char path[64];
	uint64_t e;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: pagemap PID ADDR PAGES\n");
		return 64;
	}
	addr = strtoul(argv[2], NULL, 16) & ~(PAGE - 1);
	pages = strtoul(argv[3], NULL, 10);
	snprintf(path, sizeof(path), "/proc/%s/pagemap", argv[1]);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (i = 0; i < pages; i++, addr += PAGE) {
		if (pread(fd, &e, sizeof(e), addr / PAGE * sizeof(e)) !=
		    sizeof(e)) {
			perror("pagemap: read");
			return 1;
		}
		if (e & PM_SWAP)
			printf("%#lx swap %u %llu\n", addr, PM_SWAP_TYPE(e),
			       PM_SWAP_SLOT(e));
		else if (e & PM_PRESENT)
			printf("%#lx present\n", addr);
		else
			printf("%#lx none\n", addr);
	}
	close(fd);
	return 0;
}
