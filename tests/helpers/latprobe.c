// SPDX-License-Identifier: GPL-2.0-only
/*
 * latprobe: how long a process pinned to one CPU waits to run, and how long
 * its I/O to a device takes, while something else runs on that CPU.
 *
 *   latprobe [--cpu N] [--ms M] [--dev DEV]
 *
 * Locks itself in memory, pins itself to CPU N (default: where it runs),
 * then again and again: reads 4 KiB of DEV with O_DIRECT (if given; the
 * first 1 MiB, block after block) and sleeps M milliseconds (default 1).
 * It times each round (the read plus the sleep plus the wait to run again)
 * and each read, on CLOCK_MONOTONIC. Prints "ready" once pinned; on SIGTERM
 * or SIGINT prints "rounds=<n> max_round_ms=<x> max_io_ms=<y> errors=<n>"
 * and exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define IO_SIZE		4096
#define IO_SPAN		(1 << 20)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	double ms = 1, start, io_start, end, max_round = 0, max_io = 0;
	unsigned long rounds = 0, errors = 0;
	const char *dev = NULL;
	struct timespec nap;
	off_t off = 0;
	cpu_set_t set;
	void *buf;
	int cpu = -1, fd = -1, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cpu") && i + 1 < argc)
			cpu = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--ms") && i + 1 < argc)
			ms = atof(argv[++i]);
		else if (!strcmp(argv[i], "--dev") && i + 1 < argc)
			dev = argv[++i];
		else
			break;
	}
	if (i < argc || ms <= 0) {
		fprintf(stderr, "usage: latprobe [--cpu N] [--ms M] [--dev DEV]\n");
		return 64;
	}
	nap.tv_sec = (time_t)(ms / 1000);
	nap.tv_nsec = (long)(ms * 1e6) % 1000000000L;
	if (cpu < 0)
		cpu = sched_getcpu();
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) ||
	    sched_setaffinity(0, sizeof(set), &set) ||
	    posix_memalign(&buf, IO_SIZE, IO_SIZE) ||
	    mlockall(MCL_CURRENT | MCL_FUTURE)) {
		perror("latprobe: setup");
		return 1;
	}
	if (dev) {
		fd = open(dev, O_RDONLY | O_DIRECT);
		if (fd < 0) {
			perror(dev);
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready cpu=%d\n", cpu);
	start = now_ms();
	while (!stop) {
		if (fd >= 0) {
			io_start = now_ms();
			if (pread(fd, buf, IO_SIZE, off) != IO_SIZE)
				errors++;
			end = now_ms();
			if (end - io_start > max_io)
				max_io = end - io_start;
			off = (off + IO_SIZE) % IO_SPAN;
		}
		nanosleep(&nap, NULL);
		end = now_ms();
		if (end - start > max_round)
			max_round = end - start;
		start = end;
		rounds++;
	}
	printf("rounds=%lu max_round_ms=%.1f max_io_ms=%.1f errors=%lu\n", rounds,
	       max_round, max_io, errors);
	return 0;
}
