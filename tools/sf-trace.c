// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-trace.c: the faults a device injects, as they happen, from the
 * target's tracepoints (dm_swapfail:swapfail_fault and, for corruptions,
 * dm_swapfail:swapfail_corrupt), for trace and for run.
 *
 * The events are read as binary records (libtracefs, libtraceevent) from
 * a trace instance of the tool's own, so that whatever else uses tracefs
 * is left alone, filtered in the kernel to the device's dev_t.  Each field
 * is read by its name from the event's format: the pid that issued the
 * I/O (for a swap-in, the process that faulted) is exact whatever the
 * task's name, and a field the module does not have (fault, delay_ns
 * before the second edition's) is null, not a guess.  The instance is
 * removed on every way out: the end of the verb, an error, SIGINT, SIGTERM,
 * SIGHUP, a reader gone (SIGPIPE is ignored: the write fails with EPIPE),
 * and at exit; one left by a swapfail killed with SIGKILL is removed the
 * next time (its name holds a pid that no longer runs).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <event-parse.h>
#include <kbuffer.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <tracefs.h>
#include <unistd.h>

#include "swapfail.h"

#define SF_TRACE_SYSTEM	"dm_swapfail"
#define SF_INSTANCE	"swapfail-"

struct sf_tracer {
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	struct tep_event *fault, *corrupt;
	struct tracefs_cpu **cpu;
	int nr_cpus;
	void *page;
	int page_size;
	u64 sector0;			/* the target's start... */
	unsigned int shift;		/* ...and its block shift */
	struct {			/* the last faults' tasks, by number */
		u64 fault;
		int pid;
		bool waited;		/* a delay or a hold: more to come */
		char comm[32];
	} recent[64];
};

/* The one open tracer, for the exit and signal paths' cleanup. */
static struct sf_tracer *sf_tracer_open;

static const char * const sf_action_names[] = {
	"error", "delay", "hold", "drop", "corrupt",
};

static const char * const sf_by_names[] = {
	"extent", "every_nth", "probability", "release",
};

static const char *sf_name_of(const char * const *names, unsigned int nr,
			      u64 v)
{
	return v < nr ? names[v] : "?";
}

/*
 * An instance left by a swapfail that did not end (SIGKILL): its name
 * holds a pid that no longer runs.  Removed with everything in it.
 */
static void sf_trace_sweep(void)
{
	char *dir = tracefs_instance_get_dir(NULL), path[PATH_MAX];
	struct dirent *de;
	char *end;
	long pid;
	DIR *d;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/instances", dir);
	tracefs_put_tracing_file(dir);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, SF_INSTANCE, strlen(SF_INSTANCE)))
			continue;
		pid = strtol(de->d_name + strlen(SF_INSTANCE), &end, 10);
		if (*end || pid <= 0 || !kill(pid, 0) || errno != ESRCH)
			continue;
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
			 "/%s", de->d_name);
		if (rmdir(path) && sf_opts.verbose)
			sf_note("cannot remove %s: %s", path, strerror(errno));
		*strrchr(path, '/') = '\0';
	}
	if (d)
		closedir(d);
}

void sf_trace_close(struct sf_tracer *tr)
{
	int i;

	if (!tr)
		return;
	/* an instance whose buffers are open cannot be removed: close them */
	for (i = 0; tr->cpu && i < tr->nr_cpus; i++)
		if (tr->cpu[i])
			tracefs_cpu_close(tr->cpu[i]);
	free(tr->cpu);
	if (tr->inst) {
		tracefs_event_disable(tr->inst, SF_TRACE_SYSTEM, NULL);
		if (tracefs_instance_destroy(tr->inst))
			sf_err("cannot remove trace instance %s: %s",
			       tracefs_instance_get_name(tr->inst),
			       strerror(errno));
		tracefs_instance_free(tr->inst);
	}
	free(tr->page);
	tep_free(tr->tep);
	if (sf_tracer_open == tr)
		sf_tracer_open = NULL;
	free(tr);
}

static void sf_trace_atexit(void)
{
	sf_trace_close(sf_tracer_open);
}

/* Parse one format file of tracefs (NULL @event: the ring buffer's page). */
static int sf_trace_parse(struct tep_handle *tep, const char *event)
{
	char *buf;
	int size, r;

	if (event)
		buf = tracefs_event_file_read(NULL, SF_TRACE_SYSTEM, event,
					      "format", &size);
	else
		buf = tracefs_instance_file_read(NULL, "events/header_page",
						 &size);
	if (!buf)
		return -ENOENT;
	if (event)
		r = tep_parse_event(tep, buf, size, SF_TRACE_SYSTEM) ? -EPROTO : 0;
	else
		r = tep_parse_header_page(tep, buf, size, sizeof(long)) ?
		    -EPROTO : 0;
	free(buf);
	return r;
}

/*
 * The events' formats, for reading their fields by name, and the ring
 * buffer's page layout, for reading the records.  Only those: what
 * tracefs_local_events() reads besides (every event, /proc/kallsyms)
 * takes minutes under an emulator and nothing here needs it.
 */
static int sf_trace_formats(struct sf_tracer *tr)
{
	int r;

	tr->tep = tep_alloc();
	if (!tr->tep)
		return -ENOMEM;
	tep_set_long_size(tr->tep, sizeof(long));
	tep_set_page_size(tr->tep, getpagesize());
	tep_set_file_bigendian(tr->tep, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ?
			       TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tr->tep, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ?
				TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	r = sf_trace_parse(tr->tep, NULL);
	if (!r)
		r = sf_trace_parse(tr->tep, "swapfail_fault");
	if (!r) {
		/* the first edition's module has no swapfail_corrupt */
		sf_trace_parse(tr->tep, "swapfail_corrupt");
		tr->fault = tep_find_event_by_name(tr->tep, SF_TRACE_SYSTEM,
						   "swapfail_fault");
		tr->corrupt = tep_find_event_by_name(tr->tep, SF_TRACE_SYSTEM,
						     "swapfail_corrupt");
	}
	if (!tr->fault) {
		sf_err("no %s events in tracefs (is it mounted, and the module loaded?)",
		       SF_TRACE_SYSTEM);
		return -ENOENT;
	}
	return 0;
}

/* The instance: its clock CLOCK_MONOTONIC's, the events for @dev only. */
static int sf_trace_instance(struct sf_tracer *tr, dev_t dev)
{
	char name[32], filter[64];
	int r = 0;

	snprintf(name, sizeof(name), SF_INSTANCE "%d", (int)getpid());
	tr->inst = tracefs_instance_create(name);
	if (!tr->inst) {
		r = -errno ? -errno : -ENOMEM;
		sf_err("cannot create trace instance %s: %s", name,
		       strerror(-r));
		return r;
	}
	/* the kernel's dev_t: major << 20 | minor */
	snprintf(filter, sizeof(filter), "dev == %u",
		 major(dev) << 20 | minor(dev));
	if (tracefs_instance_file_write(tr->inst, "trace_clock", "mono") < 0 ||
	    tracefs_event_file_write(tr->inst, SF_TRACE_SYSTEM,
				     "swapfail_fault", "filter", filter) < 0 ||
	    (tr->corrupt &&
	     tracefs_event_file_write(tr->inst, SF_TRACE_SYSTEM,
				      "swapfail_corrupt", "filter", filter) < 0) ||
	    tracefs_event_enable(tr->inst, SF_TRACE_SYSTEM, NULL)) {
		r = errno ? -errno : -EIO;
		sf_err("cannot set up trace instance %s: %s", name,
		       strerror(-r));
	}
	return r;
}

/* Its per-CPU buffers, read without blocking. */
static int sf_trace_cpus(struct sf_tracer *tr)
{
	int i;

	tr->nr_cpus = sysconf(_SC_NPROCESSORS_CONF);
	tr->cpu = calloc(tr->nr_cpus, sizeof(*tr->cpu));
	if (!tr->cpu)
		return -ENOMEM;
	for (i = 0; i < tr->nr_cpus; i++) {
		/* an offline CPU has no buffer */
		tr->cpu[i] = tracefs_cpu_open(tr->inst, i, true);
		if (tr->cpu[i] && !tr->page_size)
			tr->page_size = tracefs_cpu_read_size(tr->cpu[i]);
	}
	if (tr->page_size <= 0) {
		sf_err("cannot read the trace buffers of %s",
		       tracefs_instance_get_name(tr->inst));
		return -EIO;
	}
	tr->page = malloc(tr->page_size);
	return tr->page ? 0 : -ENOMEM;
}

/*
 * Trace the faults of @t's swapfail target; sf_trace_close() undoes it.
 * Needs tracefs mounted (/sys/kernel/tracing) and CAP_SYS_ADMIN.
 */
int sf_trace_open(struct sf_tracer **trp, const struct sf_table *t)
{
	struct sf_tracer *tr = calloc(1, sizeof(*tr));
	static bool registered;
	int r;

	*trp = NULL;
	if (!tr)
		return -ENOMEM;
	tr->sector0 = t->sf->start;
	tr->shift = t->sf->args.block_shift;
	if (!registered && !atexit(sf_trace_atexit))
		registered = true;
	sf_trace_sweep();
	r = sf_trace_formats(tr);
	if (!r) {
		sf_tracer_open = tr;
		r = sf_trace_instance(tr, t->dev);
	}
	if (!r)
		r = sf_trace_cpus(tr);
	if (r) {
		sf_trace_close(tr);
		return r;
	}
	*trp = tr;
	return 0;
}

static int sf_field(struct tep_event *ev, struct tep_record *rec,
		    const char *name, u64 *v)
{
	struct tep_format_field *f = tep_find_field(ev, name);
	unsigned long long n;

	if (!f || tep_read_number_field(f, rec->data, &n))
		return -ENOENT;
	*v = n;
	return 0;
}

/*
 * Who issued the I/O: the name its record holds (a module from 2.1.0 on),
 * else its name from /proc, or from the kernel's list.
 */
static void sf_event_comm(struct sf_tracer *tr, struct tep_event *ev,
			  struct tep_record *rec, struct sf_event *e)
{
	const char *comm;
	char path[64];
	int len;

	e->comm[0] = '\0';
	if (e->pid <= 0)
		return;		/* an interrupt, no task (see sf_event_task()) */
	comm = tep_get_field_raw(NULL, ev, "comm", rec, &len, 0);
	if (comm && len > 0 && *comm) {
		snprintf(e->comm, sizeof(e->comm), "%.*s", len, comm);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", e->pid);
	if (!sf_read_line(path, e->comm, sizeof(e->comm)))
		return;
	tracefs_load_cmdlines(NULL, tr->tep);
	comm = tep_data_comm_from_pid(tr->tep, e->pid);
	if (comm && strcmp(comm, "<...>"))
		snprintf(e->comm, sizeof(e->comm), "%s", comm);
}

/* One record as an event, every field by its name. */
static int sf_event_fill(struct sf_tracer *tr, struct tep_record *rec,
			 struct sf_event *e)
{
	struct tep_event *ev = tep_find_event_by_record(tr->tep, rec);
	void *raw;
	int len;
	u64 v;

	if (!ev || (ev != tr->fault && ev != tr->corrupt))
		return -ENOENT;
	memset(e, 0, sizeof(*e));
	e->corrupt = ev == tr->corrupt;
	e->ns = rec->ts;
	e->pid = tep_data_pid(tr->tep, rec);
	sf_event_comm(tr, ev, rec, e);
	if (!sf_field(ev, rec, "dev", &v))
		e->dev = makedev(v >> 20, v & ((1U << 20) - 1));
	sf_field(ev, rec, "sector", &e->sector);
	sf_field(ev, rec, "dir", &e->dir);
	e->has_fault = !sf_field(ev, rec, "fault", &e->fault);
	e->block = e->sector >= tr->sector0 ?
		   (e->sector - tr->sector0) >> tr->shift : 0;
	if (e->corrupt) {
		sf_field(ev, rec, "offset", &e->offset);
		sf_field(ev, rec, "bytes", &e->bytes);
		e->bytes = min_t(u64, e->bytes, SWAPFAIL_MAX_CORRUPT);
		raw = tep_get_field_raw(NULL, ev, "before", rec, &len, 0);
		if (raw)
			memcpy(e->before, raw, min_t(u64, len, e->bytes));
		raw = tep_get_field_raw(NULL, ev, "after", rec, &len, 0);
		if (raw)
			memcpy(e->after, raw, min_t(u64, len, e->bytes));
		return 0;
	}
	sf_field(ev, rec, "sectors", &e->sectors);
	sf_field(ev, rec, "action", &e->action);
	sf_field(ev, rec, "error", &e->error);
	sf_field(ev, rec, "by", &e->by);
	e->has_delay = !sf_field(ev, rec, "delay_ns", &e->delay_ns);
	if (e->sectors)
		e->last_block = e->sector + e->sectors - 1 >= tr->sector0 ?
			(e->sector + e->sectors - 1 - tr->sector0) >> tr->shift :
			0;
	return 0;
}

/*
 * A fault's first record is made in the task that sent the I/O.  What
 * comes after it in another context has the fault's number: a read's
 * corruption, recorded when the read completes (an interrupt: no task),
 * and the verdict that follows a delay or a hold, made by the worker
 * that sends the I/O on.  Both are the first record's task's.
 */
static void sf_event_task(struct sf_tracer *tr, struct sf_event *e)
{
	unsigned int i = e->fault % ARRAY_SIZE(tr->recent);
	bool follows;

	if (!e->has_fault)
		return;
	/*
	 * (A pure delay has no follow-up: after a "seed", which numbers
	 * faults from 1 again, a new I/O's first record could meet its
	 * number; it is the follow-up only if another task made it.)
	 */
	follows = tr->recent[i].fault == e->fault && tr->recent[i].pid &&
		  (e->corrupt ||
		   (tr->recent[i].waited && e->pid != tr->recent[i].pid));
	if (follows) {
		e->pid = tr->recent[i].pid;
		memcpy(e->comm, tr->recent[i].comm, sizeof(e->comm));
	}
	if (e->corrupt)
		return;
	tr->recent[i].fault = e->fault;
	tr->recent[i].pid = e->pid;
	tr->recent[i].waited = e->action == SWAPFAIL_ACT_DELAY ||
			       e->action == SWAPFAIL_ACT_HOLD;
	memcpy(tr->recent[i].comm, e->comm, sizeof(e->comm));
}

static int sf_event_cmp(const void *a, const void *b)
{
	const struct sf_event *x = a, *y = b;

	return x->ns < y->ns ? -1 : x->ns > y->ns;
}

/*
 * Read what the buffers hold now, without waiting, and hand @fn the
 * events in time order; @fn's non-zero return stops it.
 */
int sf_trace_read(struct sf_tracer *tr,
		  int (*fn)(const struct sf_event *e, void *ctx), void *ctx)
{
	struct kbuffer *kbuf = tep_kbuffer(tr->tep);
	struct sf_event *ev = NULL, *more;
	struct tep_record rec;
	unsigned long long ts;
	unsigned int nr = 0, cap = 0, i;
	int cpu, r = 0;
	void *data;

	for (cpu = 0; cpu < tr->nr_cpus; cpu++) {
		while (tr->cpu[cpu] &&
		       tracefs_cpu_read(tr->cpu[cpu], tr->page, true) > 0) {
			if (kbuffer_load_subbuffer(kbuf, tr->page))
				break;
			for (data = kbuffer_read_event(kbuf, &ts); data;
			     data = kbuffer_next_event(kbuf, &ts)) {
				memset(&rec, 0, sizeof(rec));
				rec.ts = ts;
				rec.data = data;
				rec.size = kbuffer_event_size(kbuf);
				rec.cpu = cpu;
				if (nr == cap) {
					cap = 2 * cap + 16;
					more = realloc(ev, cap * sizeof(*ev));
					if (!more) {
						free(ev);
						return -ENOMEM;
					}
					ev = more;
				}
				if (!sf_event_fill(tr, &rec, &ev[nr]))
					nr++;
			}
		}
	}
	qsort(ev, nr, sizeof(*ev), sf_event_cmp);
	for (i = 0; !r && i < nr; i++) {
		sf_event_task(tr, &ev[i]);
		r = fn(&ev[i], ctx);
	}
	free(ev);
	return r;
}

static void sf_hex(char *buf, const u8 *b, u64 n)
{
	u64 i;

	for (i = 0; i < n; i++)
		sprintf(buf + 2 * i, "%02x", b[i]);
	buf[2 * n] = '\0';
}

/* The members of an event's JSON object (the caller opened it). */
void sf_event_json(const struct sf_event *e)
{
	char buf[2 * SWAPFAIL_MAX_CORRUPT + 1];

	snprintf(buf, sizeof(buf), "%llu.%09llu",
		 (unsigned long long)(e->ns / SF_NS_PER_SEC),
		 (unsigned long long)(e->ns % SF_NS_PER_SEC));
	sf_jraw("time", buf);
	sf_jstr("event", e->corrupt ? "corrupt" : "fault");
	sf_jint("pid", e->pid);
	sf_jstr("comm", *e->comm ? e->comm : NULL);
	sf_jdev("dev", e->dev);
	sf_ju64("sector", e->sector);
	sf_ju64("block", e->block);
	sf_jstr("dir", e->dir ? "write" : "read");
	if (e->has_fault)
		sf_ju64("fault", e->fault);
	else
		sf_jnull("fault");
	if (e->corrupt) {
		sf_ju64("offset", e->offset);
		sf_ju64("bytes", e->bytes);
		sf_hex(buf, e->before, e->bytes);
		sf_jstr("before", buf);
		sf_hex(buf, e->after, e->bytes);
		sf_jstr("after", buf);
		return;
	}
	sf_ju64("sectors", e->sectors);
	sf_ju64("last_block", e->last_block);
	sf_jstr("action", sf_name_of(sf_action_names,
				     ARRAY_SIZE(sf_action_names), e->action));
	/* the error of an error fault; "-" in the format: none, or default */
	sf_jstr("error", e->action || !e->error ? NULL :
		swapfail_error_name(e->error));
	sf_jstr("by", sf_name_of(sf_by_names, ARRAY_SIZE(sf_by_names), e->by));
	if (e->has_delay)
		sf_ju64("delay_ns", e->delay_ns);
	else
		sf_jnull("delay_ns");
}

/* A task's name in a text line: one word, whatever the name holds. */
static void sf_put_word(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '\\' || *s == 0x7f)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
}

/* One line: TIME EVENT pid=PID comm=NAME key=value... */
void sf_event_text(const struct sf_event *e)
{
	char buf[2 * SWAPFAIL_MAX_CORRUPT + 1];

	printf("%llu.%06llu %s pid=%d comm=",
	       (unsigned long long)(e->ns / SF_NS_PER_SEC),
	       (unsigned long long)(e->ns % SF_NS_PER_SEC / 1000),
	       e->corrupt ? "corrupt" : "fault", e->pid);
	sf_put_word(*e->comm ? e->comm : "?");
	printf(" sector=%llu block=%llu dir=%s",
	       (unsigned long long)e->sector, (unsigned long long)e->block,
	       e->dir ? "write" : "read");
	if (e->corrupt) {
		sf_hex(buf, e->before, e->bytes);
		printf(" offset=%llu bytes=%llu before=%s",
		       (unsigned long long)e->offset,
		       (unsigned long long)e->bytes, buf);
		sf_hex(buf, e->after, e->bytes);
		printf(" after=%s", buf);
	} else {
		printf(" sectors=%llu action=%s", (unsigned long long)e->sectors,
		       sf_name_of(sf_action_names, ARRAY_SIZE(sf_action_names),
				  e->action));
		if (!e->action && e->error)
			printf(" error=%s", swapfail_error_name(e->error));
		printf(" by=%s", sf_name_of(sf_by_names, ARRAY_SIZE(sf_by_names),
					    e->by));
		if (e->has_delay && e->delay_ns) {
			sf_format_ns(buf, sizeof(buf), e->delay_ns);
			printf(" delay=%s", buf);
		}
	}
	if (e->has_fault)
		printf(" fault=%llu", (unsigned long long)e->fault);
	putchar('\n');
}

/* trace */

/* Set by SIGINT, SIGTERM or SIGHUP: stop reading and clean up. */
static volatile sig_atomic_t sf_trace_stop;

static void sf_trace_signal(int sig)
{
	sf_trace_stop = sig;
}

static struct {
	u64 count;			/* faults to print; 0: until stopped */
	u64 seen;
	u64 last;			/* the last fault's number... */
	bool corrupt_due;		/* ...a corruption: its event is due */
} sf_trace_verb;

static int sf_trace_print(const struct sf_event *e, void *ctx)
{
	if (sf_opts.json) {
		sf_jopen(NULL, '{');
		sf_event_json(e);
		sf_jclose();
	} else {
		sf_event_text(e);
		sf_stdout_flush();
	}
	if (sf_stdout_broken())
		return -EPIPE;
	/* a corruption comes with its fault: only faults are counted */
	if (e->corrupt) {
		sf_trace_verb.corrupt_due = false;
	} else {
		sf_trace_verb.seen++;
		sf_trace_verb.last = e->fault;
		sf_trace_verb.corrupt_due = e->action == 4 && e->has_fault;
	}
	if (sf_trace_verb.count && sf_trace_verb.seen >= sf_trace_verb.count &&
	    !sf_trace_verb.corrupt_due)
		return 1;
	return 0;
}

static int sf_trace_opt(int c, const char *arg)
{
	if (c != 'c')
		return 1;
	return sf_parse_num("--count", arg, 0, UINT64_MAX, &sf_trace_verb.count);
}

static const struct option sf_trace_opts[] = {
	{ "count", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 }
};

const struct sf_optset sf_trace_optset = { "c:", sf_trace_opts,
					   sf_trace_opt };

/*
 * The signals that end a tracer, caught (no SA_RESTART: the wait ends),
 * so that the instance is removed.
 */
void sf_trace_signals(void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* trace NAME [--count N] */
int sf_cmd_trace(struct sf_cmd *c)
{
	struct sf_tracer *tr;
	int wait = 20;			/* x 50ms, for the last corruption */
	int r;

	sf_trace_signals(sf_trace_signal);
	r = sf_trace_open(&tr, c->t);
	while (!r && !sf_trace_stop) {
		/* the buffers wake a reader only when half full: look often */
		usleep(50 * 1000);
		r = sf_trace_read(tr, sf_trace_print, NULL);
		/*
		 * The count is reached but for the corruption of its last
		 * fault, which a read records when it completes: a second.
		 */
		if (!r && sf_trace_verb.count &&
		    sf_trace_verb.seen >= sf_trace_verb.count && !wait--)
			r = 1;
	}
	sf_trace_close(tr);
	/* done with --count, or the reader went away: no failure */
	return r > 0 || r == -EPIPE ? 0 : r;
}
