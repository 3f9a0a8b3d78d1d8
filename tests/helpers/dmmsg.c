// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmmsg: send many target messages through libdevmapper from one process,
 * and time them.
 *
 *   dmmsg [-b PER] [-u UNDO] [-t NS] NAME COUNT FIRST STEP VERB [WORD...]
 *
 * Sends "VERB B [WORD...]" to the target at sector 0 of device NAME for
 * COUNT blocks B = FIRST, FIRST + STEP, ..., the way "dmsetup message" does
 * (one dm_task per message), without a process per message: what is timed
 * is the message, libdevmapper and the ioctl, not exec and the dynamic
 * loader.
 *
 *   -b PER    PER blocks per message ("VERB B1 B2 ... [WORD...]"): fills a
 *             dm-swapfail table, whose add takes many ranges, in few messages
 *   -u UNDO   after each timed message, send "UNDO B" untimed (e.g.
 *             removebadblock), so that every timed message sees the same
 *             table, whatever COUNT is
 *   -t NS     stop once the loop has taken NS nanoseconds and sent at least
 *             10 messages (or COUNT blocks): measures a cost that may be
 *             60 thousand or 100 million instructions in about NS of time
 *
 * libdevmapper's first ioctl checks the driver's version: that is done
 * before the loop, so that the first message costs what the others do.
 * Each message is timed with clock_gettime(CLOCK_MONOTONIC); under QEMU's
 * -icount shift=0 one nanosecond is one guest instruction.  Prints one line:
 *
 *   messages=N blocks=N sent=N loop_ns=T timed_ns=S mean_ns=M median_ns=D min_ns=A max_ns=Z
 *
 * messages: the timed messages; sent: those and the undo messages;
 * loop_ns: the whole loop, the undo messages and the loop's own work
 * included, and whatever the kernel did meanwhile (loop_ns / sent is the
 * all-in cost of a message); timed_ns: the sum of the timed messages,
 * mean_ns its mean.  Exits 1 at the first message the kernel refuses.
 */
#include <inttypes.h>
#include <libdevmapper.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* One message, as dmsetup message sends it; 0 on success. */
static int send_message(const char *name, const char *message)
{
	struct dm_task *dmt;
	int ok;

	dmt = dm_task_create(DM_DEVICE_TARGET_MSG);
	if (!dmt)
		return -1;
	ok = dm_task_set_name(dmt, name) && dm_task_set_sector(dmt, 0) &&
	     dm_task_set_message(dmt, message) && dm_task_run(dmt);
	dm_task_destroy(dmt);
	return ok ? 0 : -1;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: dmmsg [-b PER] [-u UNDO] [-t NS] NAME COUNT FIRST STEP VERB [WORD...]\n");
	exit(64);
}

int main(int argc, char **argv)
{
	unsigned long long count, first, step, per = 1, done, i, sent = 0;
	const char *undo = NULL, *name, *verb;
	size_t words_len = 0, cap, n, len;
	uint64_t *times, loop_start, start, sum = 0, budget = 0;
	char *message, *words = NULL, *p, version[64];
	int opt, w;

	while ((opt = getopt(argc, argv, "b:u:t:")) != -1) {
		switch (opt) {
		case 'b':
			per = strtoull(optarg, NULL, 10);
			break;
		case 'u':
			undo = optarg;
			break;
		case 't':
			budget = strtoull(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 5 || !per || (undo && per != 1))
		usage();
	name = argv[optind];
	count = strtoull(argv[optind + 1], NULL, 10);
	first = strtoull(argv[optind + 2], NULL, 10);
	step = strtoull(argv[optind + 3], NULL, 10);
	verb = argv[optind + 4];
	if (!count)
		usage();

	/* the trailing words, each with its leading space */
	for (w = optind + 5; w < argc; w++)
		words_len += strlen(argv[w]) + 1;
	words = calloc(1, words_len + 1);
	for (w = optind + 5; w < argc; w++) {
		strcat(words, " ");
		strcat(words, argv[w]);
	}
	/* a block number is at most 20 digits and a space */
	cap = strlen(verb) + per * 21 + words_len + 32;
	message = malloc(cap);
	times = malloc(sizeof(*times) * ((count + per - 1) / per));
	if (!words || !message || !times) {
		perror("dmmsg");
		return 1;
	}

	if (!dm_driver_version(version, sizeof(version))) {
		fprintf(stderr, "dmmsg: no device-mapper driver\n");
		return 1;
	}
	loop_start = now_ns();
	for (done = 0, n = 0; done < count; n++) {
		if (budget && n >= 10 && now_ns() - loop_start >= budget)
			break;
		len = snprintf(message, cap, "%s", verb);
		for (i = 0; i < per && done < count; i++, done++)
			len += snprintf(message + len, cap - len, " %llu",
					first + done * step);
		p = message + len;
		snprintf(p, cap - len, "%s", words);

		start = now_ns();
		if (send_message(name, message)) {
			fprintf(stderr, "dmmsg: %s: message %zu refused\n", name, n);
			return 1;
		}
		times[n] = now_ns() - start;
		sum += times[n];
		sent++;

		if (undo) {
			snprintf(message, cap, "%s %llu", undo, first + (done - 1) * step);
			if (send_message(name, message)) {
				fprintf(stderr, "dmmsg: %s: '%s' refused\n", name, message);
				return 1;
			}
			sent++;
		}
	}
	start = now_ns() - loop_start;

	qsort(times, n, sizeof(*times), compare_u64);
	printf("messages=%zu blocks=%llu sent=%llu loop_ns=%" PRIu64 " timed_ns=%" PRIu64
	       " mean_ns=%.0f median_ns=%" PRIu64 " min_ns=%" PRIu64 " max_ns=%" PRIu64 "\n",
	       n, done, sent, start, sum, (double)sum / n,
	       n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2,
	       times[0], times[n - 1]);
	return 0;
}
