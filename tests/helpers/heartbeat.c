// SPDX-License-Identifier: GPL-2.0-only
/*
 * heartbeat: how long a sleeping process waits to run again.
 *
 *   heartbeat [MS [LONG_MS]]
 *
 * Locks itself in memory, so that its own page faults never delay it,
 * then sleeps MS milliseconds (default 10) again and again and times each
 * gap between two wake-ups on CLOCK_BOOTTIME, the clock of /proc/uptime.
 * On SIGTERM or SIGINT it prints every gap longer than LONG_MS (default
 * 100) as "gap end=<seconds> len=<seconds>" (the first 10000 of them),
 * then "beats=<n> long=<n> max=<seconds> end=<seconds>": the wake-ups, the
 * long gaps, the longest gap and when it ended; and exits 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define KEPT	10000

static struct gap {
	double end, len;
} gaps[KEPT];

static volatile sig_atomic_t stop;

static void heartbeat_stop(int sig)
{
	stop = 1;
}

static double boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double ms = argc > 1 ? atof(argv[1]) : 10;
	double long_ms = argc > 2 ? atof(argv[2]) : 100;
	struct sigaction sa = { .sa_handler = heartbeat_stop };
	struct timespec nap = { .tv_sec = ms / 1000,
				.tv_nsec = (long)(ms * 1e6) % 1000000000 };
	unsigned long beats = 0, long_gaps = 0, i;
	double last, now, max = 0, max_end = 0;

	if (argc > 3 || ms <= 0 || long_ms <= 0) {
		fprintf(stderr, "usage: heartbeat [MS [LONG_MS]]\n");
		return 64;
	}
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) ||
	    mlockall(MCL_CURRENT | MCL_FUTURE)) {
		perror("heartbeat: setup");
		return 1;
	}
	last = boottime();
	while (!stop) {
		nanosleep(&nap, NULL);
		now = boottime();
		beats++;
		if (now - last > max) {
			max = now - last;
			max_end = now;
		}
		if ((now - last) * 1000 > long_ms) {
			if (long_gaps < KEPT)
				gaps[long_gaps] = (struct gap){ now, now - last };
			long_gaps++;
		}
		last = now;
	}
	for (i = 0; i < long_gaps && i < KEPT; i++)
		printf("gap end=%.3f len=%.3f\n", gaps[i].end, gaps[i].len);
	printf("beats=%lu long=%lu max=%.3f end=%.3f\n", beats, long_gaps, max,
	       max_end);
	return 0;
}
