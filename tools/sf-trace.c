// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-trace.c: swapfail trace NAME, one line per fault the target injects
 * on NAME, read from its tracepoints (dm_swapfail:swapfail_fault and, for
 * corruptions, swapfail_corrupt) in a trace instance of its own, so that
 * whatever else uses tracefs is left alone.  Each line names the task that
 * the I/O was issued from: for a swap-in, the process that faulted.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "swapfail.h"

static const char * const sf_tracefs_dirs[] = {
	"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
};

/* Set by SIGINT or SIGTERM: stop reading and clean up. */
static volatile sig_atomic_t sf_trace_stop;

static void sf_trace_signal(int sig)
{
	sf_trace_stop = 1;
}

struct sf_trace {
	char dir[128];			/* the instance */
	u64 count;			/* faults to print; 0: until stopped */
	dev_t dev;
};

static int sf_write_file(const char *dir, const char *file, const char *s)
{
	char path[PATH_MAX];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		r = -errno;
	if (fd >= 0)
		close(fd);
	if (r)
		sf_err("%s: %s", path, strerror(-r));
	return r;
}

/* A trace instance with the target's events, for @tr->dev only. */
static int sf_trace_setup(struct sf_trace *tr)
{
	char filter[64];
	struct stat st;
	unsigned int i;
	int r;

	for (i = 0; i < ARRAY_SIZE(sf_tracefs_dirs); i++) {
		snprintf(tr->dir, sizeof(tr->dir), "%s/events/dm_swapfail",
			 sf_tracefs_dirs[i]);
		if (!stat(tr->dir, &st))
			break;
	}
	if (i == ARRAY_SIZE(sf_tracefs_dirs)) {
		sf_err("no dm_swapfail events in tracefs (is it mounted, and the module loaded?)");
		return -ENOENT;
	}
	snprintf(tr->dir, sizeof(tr->dir), "%s/instances/swapfail-%d",
		 sf_tracefs_dirs[i], (int)getpid());
	if (mkdir(tr->dir, 0700)) {
		r = -errno;
		sf_err("%s: %s", tr->dir, strerror(-r));
		return r;
	}
	/* the kernel's dev_t: major << 20 | minor */
	snprintf(filter, sizeof(filter), "dev == %u",
		 major(tr->dev) << 20 | minor(tr->dev));
	r = sf_write_file(tr->dir, "events/dm_swapfail/filter", filter);
	if (!r)
		r = sf_write_file(tr->dir, "events/dm_swapfail/enable", "1");
	if (r)
		rmdir(tr->dir);
	return r;
}

/*
 * The tracer names a task it has not seen switch in as "<...>-PID": its
 * name from /proc, while it lives.
 */
static void sf_trace_task(char *task, size_t size)
{
	char path[64], comm[32] = "", *pid = task + strlen("<...>-");
	FILE *f;

	if (strncmp(task, "<...>-", strlen("<...>-")))
		return;
	snprintf(path, sizeof(path), "/proc/%.16s/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(comm, sizeof(comm), f) && strchr(comm, '\n')) {
		*strchr(comm, '\n') = '\0';
		snprintf(path, sizeof(path), "%s-%.16s", comm, pid);
		snprintf(task, size, "%s", path);
	}
	fclose(f);
}

/*
 * One trace_pipe line, "TASK-PID [CPU] FLAGS TIME: EVENT: MAJ:MIN REST",
 * as "TIME TASK-PID EVENT REST"; true for a fault.
 */
static bool sf_trace_line(char *line)
{
	char *ev = strstr(line, ": swapfail_"), *task, *time, *rest;
	char name[64];

	if (!ev)
		return false;
	*ev = '\0';
	ev += 2;
	rest = strchr(ev, ' ');
	time = strrchr(line, ' ');
	task = line + strspn(line, " ");
	if (!rest || !time)
		return false;
	*strchr(ev, ':') = '\0';
	rest = strchr(rest + 1, ' ');	/* past MAJ:MIN: the device is NAME */
	*time++ = '\0';
	*strchr(task, ' ') = '\0';
	snprintf(name, sizeof(name), "%s", task);
	sf_trace_task(name, sizeof(name));
	printf("%s %s %s%s", time, name, ev + strlen("swapfail_"),
	       rest ? rest : "\n");
	fflush(stdout);
	return !strcmp(ev, "swapfail_fault");
}

static int sf_trace_run(struct sf_trace *tr)
{
	char path[PATH_MAX], *line = NULL;
	size_t size = 0;
	u64 seen = 0;
	FILE *f;
	int r = 0;

	snprintf(path, sizeof(path), "%s/trace_pipe", tr->dir);
	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		sf_err("%s: %s", path, strerror(-r));
		return r;
	}
	while (!sf_trace_stop && (!tr->count || seen < tr->count) &&
	       getline(&line, &size, f) > 0)
		seen += sf_trace_line(line);
	free(line);
	fclose(f);
	return 0;
}

static int sf_trace_opt(int c, const char *arg, void *ctx)
{
	struct sf_trace *tr = ctx;

	if (c != 'c')
		return 1;
	return sf_parse_u64_arg("--count", arg, &tr->count);
}

/* trace NAME [--count N] */
int sf_cmd_trace(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		SF_OPTS_COMMON
	};
	struct sigaction sa = { .sa_handler = sf_trace_signal };
	struct sf_trace tr = { .count = 0 };
	struct sf_table t;
	int r;

	r = sf_getopt(argc, argv, SF_SHORT_COMMON "c:", opts, sf_trace_opt,
		      &tr, 1, 1);
	if (r)
		return r;
	r = sf_table_get(argv[optind], &t);
	if (r)
		return r;
	tr.dev = t.dev;
	sf_table_free(&t);
	r = sf_trace_setup(&tr);
	if (r)
		return r;
	/* no SA_RESTART: a signal ends the read, and the instance goes */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	r = sf_trace_run(&tr);
	sf_write_file(tr.dir, "events/dm_swapfail/enable", "0");
	if (rmdir(tr.dir))
		sf_err("%s: %s", tr.dir, strerror(errno));
	return r;
}
