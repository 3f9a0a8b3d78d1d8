// SPDX-License-Identifier: GPL-2.0-only
/*
 * iolat: the completion latency of single 4 KiB direct reads or writes, one
 * at a time (queue depth 1).
 *
 *   iolat read|write DEV COUNT [-s SPAN_MIB] [-w WARMUP] [-r]
 *
 * Does WARMUP (default 2) untimed I/Os, then COUNT timed ones, each one
 * pread or pwrite of 4096 bytes on an O_DIRECT descriptor at a 4 KiB
 * offset drawn from a fixed-seed generator within the first SPAN_MIB MiB
 * of DEV (default 16), so that every run sends the same offsets.  Each I/O
 * is timed with clock_gettime(CLOCK_MONOTONIC) around the system call;
 * under QEMU's -icount shift=0 one nanosecond is one guest instruction.
 * Prints one line:
 *
 *   ios=N min_ns=A p50_ns=M p90_ns=P p99_ns=Q max_ns=Z mean_ns=X
 *
 * percentiles by nearest rank.  -r first prints every latency, "lat NS",
 * in the order of the I/Os.  Locks itself in memory, so that no page fault
 * of its own lands in a measurement.  Exits 1 at the first failed I/O.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define IO_SIZE		4096
#define MAX_COUNT	1000000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* xorshift64: the same offsets in every run, without libc's state. */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least pct% of them at or below. */
static uint64_t percentile(const uint64_t *sorted, long n, int pct)
{
	long rank = (n * pct + 99) / 100;

	return sorted[rank > 0 ? rank - 1 : 0];
}

static int usage(void)
{
	fprintf(stderr, "usage: iolat read|write DEV COUNT [-s SPAN_MIB] [-w WARMUP] [-r]\n");
	return 64;
}

int main(int argc, char **argv)
{
	long count, span_mib = 16, warmup = 2, blocks, i;
	uint64_t *lat, *sorted, state = 0x9e3779b97f4a7c15ULL, sum = 0, t0;
	int write_io, fd, opt, raw = 0;
	ssize_t done;
	void *buf;

	if (argc < 4)
		return usage();
	write_io = !strcmp(argv[1], "write");
	if (!write_io && strcmp(argv[1], "read"))
		return usage();
	count = atol(argv[3]);
	optind = 4;
	while ((opt = getopt(argc, argv, "s:w:r")) != -1) {
		switch (opt) {
		case 's': span_mib = atol(optarg); break;
		case 'w': warmup = atol(optarg); break;
		case 'r': raw = 1; break;
		default: return usage();
		}
	}
	if (optind != argc || count < 1 || count > MAX_COUNT || span_mib < 1 ||
	    warmup < 0)
		return usage();
	blocks = span_mib * (1024 * 1024 / IO_SIZE);

	lat = calloc(count, sizeof(*lat));
	sorted = calloc(count, sizeof(*sorted));
	if (!lat || !sorted || posix_memalign(&buf, IO_SIZE, IO_SIZE)) {
		perror("iolat: memory");
		return 1;
	}
	/* not zeroes: a device may treat a page of zeroes apart */
	memset(buf, 0x5a, IO_SIZE);
	if (mlockall(MCL_CURRENT | MCL_FUTURE)) {
		perror("iolat: mlockall");
		return 1;
	}
	fd = open(argv[2], (write_io ? O_WRONLY : O_RDONLY) | O_DIRECT);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	for (i = -warmup; i < count; i++) {
		off_t off = (off_t)(next_random(&state) % blocks) * IO_SIZE;

		t0 = now_ns();
		done = write_io ? pwrite(fd, buf, IO_SIZE, off) :
				  pread(fd, buf, IO_SIZE, off);
		if (done != IO_SIZE) {
			fprintf(stderr, "iolat: %s at %lld: %s\n", argv[1],
				(long long)off, done < 0 ? strerror(errno) : "short");
			return 1;
		}
		if (i >= 0)
			lat[i] = now_ns() - t0;
	}
	for (i = 0; i < count; i++) {
		if (raw)
			printf("lat %" PRIu64 "\n", lat[i]);
		sum += lat[i];
	}
	memcpy(sorted, lat, count * sizeof(*lat));
	qsort(sorted, count, sizeof(*sorted), cmp_u64);
	printf("ios=%ld min_ns=%" PRIu64 " p50_ns=%" PRIu64 " p90_ns=%" PRIu64
	       " p99_ns=%" PRIu64 " max_ns=%" PRIu64 " mean_ns=%" PRIu64 "\n",
	       count, sorted[0], percentile(sorted, count, 50),
	       percentile(sorted, count, 90), percentile(sorted, count, 99),
	       sorted[count - 1], sum / count);
	return 0;
}
