// SPDX-License-Identifier: GPL-2.0-only
/*
 * sfaio - many 4 KiB O_DIRECT I/Os in flight at once (Linux native AIO, by
 * syscall), for tests of held and racing I/O.
 *
 *   sfaio burst DEV SECTOR --count N [--span B] [--expect-pattern P]
 *               [--timeout S]
 *   sfaio stream DEV SECTOR [--span B] [--depth D] [--write P |
 *               --expect-pattern P] [--drain S]
 *
 * Each I/O is 4 KiB (8 sectors) at SECTOR + 8 * k, k = 0 .. B-1 (--span,
 * default 1) in turn; sectors hold the 32-bit value P + sector (tests/helpers/
 * sfio's pattern).
 *
 * burst: submits N reads (io_submit, 256 at a time), prints "submitted N
 * SECONDS" once all are in, then waits for them (at most S seconds, default
 * 600) and prints "completed C ok=K errors=E [ERRNO=n]...", and with
 * --expect-pattern "data ok" or "data mismatch block k". I/Os to the same
 * block share one 4 KiB buffer: memory stays small however large N is
 * (raise /proc/sys/fs/aio-max-nr above 2 N first). Exits 0 if every I/O
 * completed, succeeded and read the pattern; else 1.
 *
 * stream: until SIGTERM or SIGINT keeps up to D (default 16) I/Os in flight,
 * submitting one per io_submit, so that the process is nearly always in the
 * block layer's submission path; reads (checked with --expect-pattern) or,
 * with --write P, writes of the pattern. I/Os of one block share its buffer,
 * so D can be large (tens of thousands: raise /proc/sys/fs/aio-max-nr).
 * Then it stops submitting and waits
 * up to S seconds (default 30) for what is in flight, and prints
 * "submitted=N completed=C ok=K errors=E mismatch=M inflight=I" and one
 * "errno NAME COUNT" line per error seen. Exits 0 if nothing is left in flight,
 * no I/O failed and none read wrong; else 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define IO_SIZE		4096
#define IO_SECTORS	(IO_SIZE / 512)
#define BATCH		256
#define MAX_ERRNO	4096

static volatile sig_atomic_t stop;
static unsigned long errors_by[MAX_ERRNO];

static void on_signal(int sig)
{
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: sfaio burst DEV SECTOR --count N [--span B] [--expect-pattern P] [--timeout S]\n"
		"       sfaio stream DEV SECTOR [--span B] [--depth D] [--write P | --expect-pattern P]\n"
		"                    [--drain S]\n");
	return 64;
}

static long io_setup(unsigned int nr, aio_context_t *ctx)
{
	return syscall(SYS_io_setup, nr, ctx);
}

static long io_submit(aio_context_t ctx, long n, struct iocb **iocbs)
{
	return syscall(SYS_io_submit, ctx, n, iocbs);
}

static long io_getevents(aio_context_t ctx, long min, long max,
			 struct io_event *events, struct timespec *timeout)
{
	return syscall(SYS_io_getevents, ctx, min, max, events, timeout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool parse_ul(const char *s, unsigned long *val)
{
	char *end;

	errno = 0;
	*val = strtoul(s, &end, 0);
	return s[0] != '-' && *s && !*end && !errno;
}

static void fill(uint32_t *w, unsigned long sector, unsigned long pattern)
{
	size_t i;

	for (i = 0; i < IO_SIZE / sizeof(*w); i++)
		w[i] = (uint32_t)(pattern + sector + i / (512 / sizeof(*w)));
}

static bool matches(const uint32_t *w, unsigned long sector, unsigned long pattern)
{
	size_t i;

	for (i = 0; i < IO_SIZE / sizeof(*w); i++)
		if (w[i] != (uint32_t)(pattern + sector + i / (512 / sizeof(*w))))
			return false;
	return true;
}

static void count_error(long res)
{
	long e = -res;

	errors_by[e > 0 && e < MAX_ERRNO ? e : 0]++;
}

static void print_errors(const char *prefix)
{
	const char *name;
	long e;

	for (e = 0; e < MAX_ERRNO; e++) {
		if (!errors_by[e])
			continue;
		name = e ? strerrorname_np(e) : "other";
		printf("%s%s %lu", prefix, name ? name : "?", errors_by[e]);
		if (!*prefix)
			printf("\n");
	}
}

static void *buffers(unsigned long n)
{
	void *buf;

	if (posix_memalign(&buf, IO_SIZE, n * IO_SIZE))
		return NULL;
	memset(buf, 0, n * IO_SIZE);
	return buf;
}

static int burst(int fd, unsigned long sector, unsigned long count,
		 unsigned long span, bool check, unsigned long pattern,
		 unsigned long timeout)
{
	struct io_event *events = calloc(BATCH, sizeof(*events));
	struct iocb *iocbs = calloc(count, sizeof(*iocbs));
	struct iocb **ptrs = calloc(count, sizeof(*ptrs));
	unsigned long i, submitted = 0, completed = 0, ok = 0, k;
	char *buf = buffers(span);
	bool data_ok = true;
	struct timespec ts;
	aio_context_t ctx = 0;
	double start, deadline;
	long r;

	if (!events || !iocbs || !ptrs || !buf) {
		perror("sfaio: memory");
		return 1;
	}
	if (io_setup(count, &ctx)) {
		perror("sfaio: io_setup (raise /proc/sys/fs/aio-max-nr)");
		return 1;
	}
	for (i = 0; i < count; i++) {
		k = i % span;
		iocbs[i].aio_lio_opcode = IOCB_CMD_PREAD;
		iocbs[i].aio_fildes = fd;
		iocbs[i].aio_buf = (uintptr_t)(buf + k * IO_SIZE);
		iocbs[i].aio_nbytes = IO_SIZE;
		iocbs[i].aio_offset = (sector + k * IO_SECTORS) * 512ULL;
		ptrs[i] = &iocbs[i];
	}
	start = now();
	while (submitted < count) {
		r = io_submit(ctx, count - submitted < BATCH ? count - submitted : BATCH,
			      ptrs + submitted);
		if (r <= 0) {
			fprintf(stderr, "sfaio: io_submit: %s after %lu\n",
				r ? strerror(errno) : "none taken", submitted);
			break;
		}
		submitted += r;
	}
	printf("submitted %lu %.3f\n", submitted, now() - start);
	fflush(stdout);
	deadline = now() + timeout;
	while (completed < submitted && now() < deadline) {
		ts.tv_sec = 0;
		ts.tv_nsec = 200 * 1000 * 1000;
		r = io_getevents(ctx, 1, BATCH, events, &ts);
		if (r < 0 && errno != EINTR) {
			perror("sfaio: io_getevents");
			break;
		}
		for (i = 0; r > 0 && i < (unsigned long)r; i++) {
			completed++;
			if (events[i].res == IO_SIZE)
				ok++;
			else
				count_error(events[i].res);
		}
	}
	printf("completed %lu ok=%lu errors=%lu", completed, ok, completed - ok);
	print_errors(" ");
	printf("\n");
	if (check) {
		for (k = 0; k < span; k++) {
			if (!matches((uint32_t *)(buf + k * IO_SIZE),
				     sector + k * IO_SECTORS, pattern)) {
				printf("data mismatch block %lu\n", k);
				data_ok = false;
				break;
			}
		}
		if (data_ok)
			printf("data ok\n");
	}
	return completed == count && ok == count && data_ok ? 0 : 1;
}

static int stream(int fd, unsigned long sector, unsigned long span,
		  unsigned long depth, bool write, bool check,
		  unsigned long pattern, unsigned long drain)
{
	struct io_event *events = calloc(depth, sizeof(*events));
	struct iocb *iocbs = calloc(depth, sizeof(*iocbs));
	unsigned long *free_slots = calloc(depth, sizeof(*free_slots));
	unsigned long submitted = 0, completed = 0, ok = 0, mismatch = 0;
	unsigned long nfree = depth, next = 0, i, slot, k;
	char *buf = buffers(span);
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec ts;
	struct iocb *one;
	aio_context_t ctx = 0;
	double deadline = 0;
	long r;

	if (!events || !iocbs || !free_slots || !buf) {
		perror("sfaio: memory");
		return 1;
	}
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) ||
	    io_setup(depth, &ctx)) {
		perror("sfaio: setup (raise /proc/sys/fs/aio-max-nr?)");
		return 1;
	}
	for (i = 0; i < depth; i++)
		free_slots[i] = i;
	/* a block's buffer: what a write sends, what a read of it must find */
	for (k = 0; write && k < span; k++)
		fill((uint32_t *)(buf + k * IO_SIZE), sector + k * IO_SECTORS, pattern);
	printf("streaming\n");
	fflush(stdout);
	for (;;) {
		if (stop && !deadline)
			deadline = now() + drain;
		if (stop && (completed == submitted || now() > deadline))
			break;
		if (!stop && nfree) {
			slot = free_slots[--nfree];
			one = &iocbs[slot];
			memset(one, 0, sizeof(*one));
			one->aio_data = next;
			one->aio_lio_opcode = write ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
			one->aio_fildes = fd;
			one->aio_buf = (uintptr_t)(buf + next * IO_SIZE);
			one->aio_nbytes = IO_SIZE;
			one->aio_offset = (sector + next * IO_SECTORS) * 512ULL;
			next = (next + 1) % span;
			r = io_submit(ctx, 1, &one);
			if (r == 1) {
				submitted++;
			} else {
				fprintf(stderr, "sfaio: io_submit: %s\n",
					r ? strerror(errno) : "none taken");
				free_slots[nfree++] = slot;
				stop = 1;
			}
		}
		ts.tv_sec = 0;
		ts.tv_nsec = nfree && !stop ? 0 : 100 * 1000 * 1000;
		r = io_getevents(ctx, nfree && !stop ? 0 : 1, depth, events, &ts);
		for (i = 0; r > 0 && i < (unsigned long)r; i++) {
			struct iocb *done = (struct iocb *)(uintptr_t)events[i].obj;

			completed++;
			k = events[i].data;
			if (events[i].res != IO_SIZE) {
				count_error(events[i].res);
			} else {
				ok++;
				/* reads of one block share its buffer: all read the same */
				if (check && !matches((uint32_t *)(buf + k * IO_SIZE),
						      sector + k * IO_SECTORS, pattern))
					mismatch++;
			}
			free_slots[nfree++] = done - iocbs;
		}
	}
	printf("submitted=%lu completed=%lu ok=%lu errors=%lu mismatch=%lu inflight=%lu\n",
	       submitted, completed, ok, completed - ok, mismatch,
	       submitted - completed);
	print_errors("");
	fflush(stdout);
	if (submitted != completed) {
		/* exit would wait for them in the kernel: let the test see us */
		fprintf(stderr, "sfaio: %lu I/Os never completed\n",
			submitted - completed);
	}
	return submitted == completed && ok == completed && !mismatch ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long sector, count = 0, span = 1, depth = 16, pattern = 0;
	unsigned long drain = 30, timeout = 600;
	bool check = false, write = false, is_burst;
	int fd, arg;

	if (argc < 4)
		return usage();
	if (!strcmp(argv[1], "burst"))
		is_burst = true;
	else if (!strcmp(argv[1], "stream"))
		is_burst = false;
	else
		return usage();
	if (!parse_ul(argv[3], &sector))
		return usage();
	for (arg = 4; arg < argc; arg++) {
		unsigned long *val = NULL;

		if (!strcmp(argv[arg], "--count"))
			val = &count;
		else if (!strcmp(argv[arg], "--span"))
			val = &span;
		else if (!strcmp(argv[arg], "--depth"))
			val = &depth;
		else if (!strcmp(argv[arg], "--drain"))
			val = &drain;
		else if (!strcmp(argv[arg], "--timeout"))
			val = &timeout;
		else if (!strcmp(argv[arg], "--expect-pattern"))
			val = &pattern, check = true;
		else if (!strcmp(argv[arg], "--write"))
			val = &pattern, write = true;
		if (!val || arg + 1 >= argc || !parse_ul(argv[++arg], val))
			return usage();
	}
	if (!span || !depth || (is_burst && (!count || write)) || (write && check) ||
	    pattern > UINT32_MAX)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(argv[2], (write ? O_WRONLY : O_RDONLY) | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "sfaio: open %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (is_burst)
		return burst(fd, sector, count, span, check, pattern, timeout);
	return stream(fd, sector, span, depth, write, check, pattern, drain);
}
