// SPDX-License-Identifier: GPL-2.0-only
/*
 * failnth: one device-mapper call with its Nth allocation failed, and the
 * device's state before and after it.
 *
 *   failnth [-n N | -a] [-t TABLE] [-s MESSAGE]... [-r SECTOR] [-w DIR | -c DIR]
 *           NAME message WORD...
 *   failnth [-n N | -a] [-t TABLE] [-s MESSAGE]... [-r SECTOR] [-w DIR | -c DIR]
 *           NAME load TABLE
 *
 * The call: "message" sends WORD... to the target at sector 0 of device
 * NAME (DM_TARGET_MSG); "load" loads the one-line TABLE ("START LEN TARGET
 * ARGS") into NAME (DM_TABLE_LOAD) and, if that succeeded, resumes NAME,
 * as "dmsetup reload" then "dmsetup resume" do.
 *
 * With -n N, N is written to /proc/thread-self/fail-nth just before the
 * call's one ioctl and read back just after it: the Nth point where this
 * thread could fail an allocation (failslab, fail_page_alloc: the kernel's
 * Documentation/fault-injection/fault-injection.rst) fails, and 0 read back
 * means that the Nth point was reached.  The resume after a load runs
 * without failures.
 *
 * Before the call, without failures: -t loads TABLE into NAME and resumes
 * it; with -r, unless the target's status says it holds an I/O, a child
 * process reads 4 KiB at SECTOR of /dev/mapper/NAME (O_DIRECT), and
 * failnth waits until the target holds that read (its table must hold
 * it); then each -s MESSAGE is sent in turn (each must succeed).  The state
 * of NAME is taken before and after the call: whether it is suspended and
 * has a live and an inactive table, both tables, its status, and the
 * swapfail target's answers to "list", "stats" and "held" (without the
 * held times, which run on; the same for the answer of a "held" call).
 *
 * Prints one line, "fired=0|1 result=OK|ENOMEM|EINVAL|...".  -w DIR writes
 * the states and the call's answer into DIR/before, DIR/after and
 * DIR/answer; -c DIR compares with them: the state before must be
 * DIR/before, a call that succeeded must leave DIR/after and answer
 * DIR/answer, and one that failed must leave the state as it was before.
 *
 * -a: all of it in one process: the call without failures (the reference),
 * then with N = 1, 2, ... until the Nth point is not reached, each from
 * the same state (-t and -s again before each; -t only after a load that
 * succeeded, since one that failed must have changed nothing), each
 * compared with the reference as -c does; a call that fails must fail
 * with ENOMEM.  Prints "points=P refused=R absorbed=A": P failures
 * injected, of which R made the call fail and A did not (the caller had
 * another way, or it was not the call's own allocation, e.g. kmemleak's).
 *
 * Exit status: 0; 1 if a comparison failed, or (-a) a call failed with
 * another error (details on stderr); 2 if the device could not be set up
 * or read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The parameter block of the call: small, so that its copy is one kmalloc. */
#define CALL_SIZE	4096
/* The first size of the others'; doubled until the answer fits. */
#define READ_SIZE	65536
#define HEADER		((sizeof(struct dm_ioctl) + 7) & ~(size_t)7)

struct text {
	char *p;
	size_t len, cap;
};

static int control = -1;	/* /dev/mapper/control */
static int fail_nth = -1;	/* /proc/thread-self/fail-nth */

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "failnth: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!t->p) {
		t->cap = 4096;
		t->p = calloc(1, t->cap);
		if (!t->p)
			die("out of memory");
	}
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + (n > 0 ? n : 0);
		t->p = realloc(t->p, t->cap);
		if (!t->p)
			die("out of memory");
	}
	t->len += n;
}

static const char *errno_name(int e)
{
	static char buf[16];

	switch (e) {
	case 0: return "OK";
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case ENXIO: return "ENXIO";
	case ENODEV: return "ENODEV";
	case EIO: return "EIO";
	case EFAULT: return "EFAULT";
	case ENOSPC: return "ENOSPC";
	case EEXIST: return "EEXIST";
	case EPERM: return "EPERM";
	case ENOTTY: return "ENOTTY";
	}
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

/* Arms fail-nth for the next N points of this thread (0: disarms it). */
static void arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_nth, buf, len, 0) != len)
		die("/proc/thread-self/fail-nth: %s", strerror(errno));
}

/* What is left of the countdown: 0 once the Nth point was reached. */
static unsigned int left(void)
{
	char buf[16];
	ssize_t n = pread(fail_nth, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		die("/proc/thread-self/fail-nth: %s", strerror(errno));
	buf[n] = '\0';
	return strtoul(buf, NULL, 10);
}

/*
 * One ioctl CMD on device NAME, PAYLOAD after the header, in a block of
 * SIZE bytes; with NTH, under fail-nth NTH, *fired set to whether its Nth
 * point was reached.  Returns the reply (free() it) and sets *err (0 or
 * the errno).
 */
static struct dm_ioctl *dm_call(unsigned long cmd, const char *name,
				uint32_t flags, const void *payload,
				size_t payload_len, uint32_t targets, size_t size,
				unsigned int nth, int *fired, int *err)
{
	struct dm_ioctl *dmi;
	int r;

	if (size < HEADER + payload_len)
		size = HEADER + payload_len;
	dmi = calloc(1, size);
	if (!dmi)
		die("out of memory");
	dmi->version[0] = DM_VERSION_MAJOR;
	dmi->data_size = size;
	dmi->data_start = HEADER;
	dmi->flags = flags;
	dmi->target_count = targets;
	if (name)
		snprintf(dmi->name, sizeof(dmi->name), "%s", name);
	if (payload_len)
		memcpy((char *)dmi + HEADER, payload, payload_len);
	if (nth)
		arm(nth);
	r = ioctl(control, cmd, dmi);
	*err = r ? errno : 0;
	if (nth) {
		*fired = !left();
		arm(0);
	}
	return dmi;
}

/* An uninjected call that must succeed; the reply grows until it fits. */
static struct dm_ioctl *dm_must(unsigned long cmd, const char *name,
				uint32_t flags, const void *payload,
				size_t payload_len, uint32_t targets,
				const char *what)
{
	size_t size = READ_SIZE;
	struct dm_ioctl *dmi;
	int err, fired;

	for (;;) {
		dmi = dm_call(cmd, name, flags, payload, payload_len, targets,
			      size, 0, &fired, &err);
		if (err)
			die("%s %s: %s", what, name, strerror(err));
		if (!(dmi->flags & DM_BUFFER_FULL_FLAG))
			return dmi;
		free(dmi);
		size *= 2;
	}
}

/* The payload of DM_TARGET_MSG: the sector, then the words joined by spaces. */
static void *message_payload(const char *const *words, int n, size_t *len)
{
	struct dm_target_msg *msg;
	size_t size = sizeof(*msg) + 1;
	char *p;
	int i;

	for (i = 0; i < n; i++)
		size += strlen(words[i]) + 1;
	msg = calloc(1, size);
	if (!msg)
		die("out of memory");
	p = msg->message;
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? " " : "", words[i]);
	*len = size;
	return msg;
}

/* The payload of DM_TABLE_LOAD for one line "START LEN TARGET ARGS". */
static void *table_payload(const char *line, size_t *len)
{
	unsigned long long start, length;
	struct dm_target_spec *spec;
	char type[DM_MAX_TYPE_NAME];
	int args = 0;

	if (sscanf(line, "%llu %llu %15s %n", &start, &length, type, &args) < 3 ||
	    !args)
		die("bad table line '%s'", line);
	*len = (sizeof(*spec) + strlen(line + args) + 1 + 7) & ~(size_t)7;
	spec = calloc(1, *len);
	if (!spec)
		die("out of memory");
	spec->sector_start = start;
	spec->length = length;
	snprintf(spec->target_type, sizeof(spec->target_type), "%s", type);
	strcpy((char *)(spec + 1), line + args);
	return spec;
}

/* The answer of a message, or "" if there is none. */
static const char *answer_of(const struct dm_ioctl *dmi)
{
	return dmi->flags & DM_DATA_OUT_FLAG ? (const char *)dmi + dmi->data_start :
					       "";
}

/* "A+N read|write MS BY" lines of "held", without the MS. */
static void add_held(struct text *t, const char *answer)
{
	const char *line = answer, *end, *ms, *by;

	while (*line) {
		end = strchrnul(line, '\n');
		ms = memchr(line, ' ', end - line);
		ms = ms ? memchr(ms + 1, ' ', end - ms - 1) : NULL;
		by = ms ? memchr(ms + 1, ' ', end - ms - 1) : NULL;
		if (by)
			add(t, "%.*s%.*s\n", (int)(ms - line), line,
			    (int)(end - by), by);
		else
			add(t, "%.*s\n", (int)(end - line), line);
		line = *end ? end + 1 : end;
	}
}

static void send_message(const char *name, const char *const *words, int n,
			 struct text *t, const char *label)
{
	struct dm_ioctl *dmi;
	size_t len;
	void *msg;

	msg = message_payload(words, n, &len);
	dmi = dm_must(DM_TARGET_MSG, name, 0, msg, len, 0, words[0]);
	if (t && !strcmp(words[0], "held")) {
		add(t, "%s:\n", label);
		add_held(t, answer_of(dmi));
	} else if (t) {
		add(t, "%s:\n%s", label, answer_of(dmi));
		if (*answer_of(dmi) && answer_of(dmi)[strlen(answer_of(dmi)) - 1] != '\n')
			add(t, "\n");
	}
	free(dmi);
	free(msg);
}

/*
 * The table (DM_STATUS_TABLE_FLAG) or status of NAME, one line per target;
 * with TYPE, also the device's flags, and the first target's type in TYPE.
 */
static void add_targets(struct text *t, const char *name, uint32_t flags,
			const char *label, char *type)
{
	struct dm_target_spec *spec;
	struct dm_ioctl *dmi;
	uint32_t i, next = 0;
	char *out;

	dmi = dm_must(DM_TABLE_STATUS, name, flags, NULL, 0, 0, label);
	out = (char *)dmi + dmi->data_start;
	add(t, "%s: %u target(s)\n", label, dmi->target_count);
	if (type)
		*type = '\0';
	for (i = 0; i < dmi->target_count; i++) {
		spec = (struct dm_target_spec *)(out + next);
		add(t, "%llu %llu %s %s\n", (unsigned long long)spec->sector_start,
		    (unsigned long long)spec->length, spec->target_type,
		    (char *)(spec + 1));
		if (type && !i)
			snprintf(type, DM_MAX_TYPE_NAME, "%s", spec->target_type);
		next = spec->next;
	}
	if (type) {
		add(t, "device: suspended=%d live=%d inactive=%d\n",
		    !!(dmi->flags & DM_SUSPEND_FLAG),
		    !!(dmi->flags & DM_ACTIVE_PRESENT_FLAG),
		    !!(dmi->flags & DM_INACTIVE_PRESENT_FLAG));
	}
	free(dmi);
}

static void snapshot(struct text *t, const char *name)
{
	char type[DM_MAX_TYPE_NAME];
	static const char *const list[] = { "list" }, *const stats[] = { "stats" };
	static const char *const held[] = { "held" };

	add_targets(t, name, DM_STATUS_TABLE_FLAG, "table", type);
	add_targets(t, name, DM_STATUS_TABLE_FLAG | DM_QUERY_INACTIVE_TABLE_FLAG,
		    "inactive", NULL);
	add_targets(t, name, 0, "status", NULL);
	if (strcmp(type, "swapfail"))
		return;
	send_message(name, list, 1, t, "list");
	send_message(name, stats, 1, t, "stats");
	send_message(name, held, 1, t, "held");
}

/* The target's "holding" count, from its status. */
static unsigned long holding(const char *name)
{
	struct dm_ioctl *dmi;
	unsigned long n = 0;
	const char *p;

	dmi = dm_must(DM_TABLE_STATUS, name, 0, NULL, 0, 0, "status");
	p = (char *)dmi + dmi->data_start + sizeof(struct dm_target_spec);
	p = dmi->target_count ? strstr(p, " holding=") : NULL;
	if (p)
		n = strtoul(p + 9, NULL, 10);
	free(dmi);
	return n;
}

/* -r: a read of SECTOR held by the target, unless one already is. */
static void hold_read(const char *name, unsigned long long sector)
{
	char path[300];
	void *buf;
	int fd, i;
	pid_t pid;

	if (holding(name))
		return;
	snprintf(path, sizeof(path), "/dev/mapper/%s", name);
	/* the children are reaped by the kernel */
	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		/* held maybe for long: not on the output a caller reads to its end */
		close(1);
		close(2);
		fd = open(path, O_RDONLY | O_DIRECT);
		if (fd < 0 || posix_memalign(&buf, 4096, 4096) ||
		    pread(fd, buf, 4096, sector * 512) < 0)
			_exit(1);
		_exit(0);
	}
	for (i = 0; i < 1000 && !holding(name); i++)
		usleep(10000);
	if (i == 1000)
		die("no read of sector %llu held after 10 s", sector);
}

static void load_and_resume(const char *name, const char *line)
{
	void *spec;
	size_t len;

	spec = table_payload(line, &len);
	free(dm_must(DM_TABLE_LOAD, name, 0, spec, len, 1, "load"));
	free(dm_must(DM_DEV_SUSPEND, name, 0, NULL, 0, 0, "resume"));
	free(spec);
}

static char *slurp(const char *dir, const char *file)
{
	char path[4096], *p;
	long size;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		die("%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	p = calloc(1, size + 1);
	if (!p || fread(p, 1, size, f) != (size_t)size)
		die("%s: cannot read", path);
	fclose(f);
	return p;
}

static void spill(const char *dir, const char *file, const struct text *t)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f || fwrite(t->p, 1, t->len, f) != t->len || fclose(f))
		die("%s: cannot write", path);
}

/* 0 if T is WANT; else both on stderr, and 1. */
static int same(const char *what, const struct text *t, const char *want)
{
	if (!strcmp(t->p, want))
		return 0;
	fprintf(stderr, "failnth: %s differs; expected:\n%s-- got:\n%s--\n", what,
		want, t->p);
	return 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: failnth [-n N | -a] [-t TABLE] [-s MESSAGE]... [-r SECTOR] [-w DIR | -c DIR]\n"
		"               NAME message WORD...\n"
		"       failnth [-n N | -a] [-t TABLE] [-s MESSAGE]... [-r SECTOR] [-w DIR | -c DIR]\n"
		"               NAME load TABLE\n");
	exit(64);
}

/* What the call is, and the state it starts from. */
struct job {
	const char *name;
	bool load;		/* a table load, else a message */
	const char *table;	/* -t */
	long long hold;		/* -r, or -1 */
	char **setup;		/* -s */
	int nr_setup;
	const char *const *words;	/* the message's, or the table line */
	int nr_words;
};

/* What one try saw. */
struct try {
	struct text before, after, answer;
	int fired, err;
};

/* The setup, the state before, the call under fail-nth NTH, the state after. */
static void run(const struct job *job, unsigned int nth, bool reload,
		struct try *t)
{
	const char *words[64];
	struct dm_ioctl *dmi;
	void *payload;
	size_t len;
	int i, n;

	t->before.len = t->after.len = t->answer.len = 0;
	add(&t->before, "%s", "");
	add(&t->answer, "%s", "");
	if (job->table && reload)
		load_and_resume(job->name, job->table);
	if (job->hold >= 0)
		hold_read(job->name, job->hold);
	for (i = 0; i < job->nr_setup; i++) {
		char *copy = strdup(job->setup[i]), *w;

		for (n = 0, w = strtok(copy, " "); w && n < 64; w = strtok(NULL, " "))
			words[n++] = w;
		if (!n)
			usage();
		send_message(job->name, words, n, NULL, NULL);
		free(copy);
	}
	snapshot(&t->before, job->name);

	t->fired = 0;
	if (!job->load) {
		payload = message_payload(job->words, job->nr_words, &len);
		dmi = dm_call(DM_TARGET_MSG, job->name, 0, payload, len, 0,
			      CALL_SIZE, nth, &t->fired, &t->err);
		if (!t->err && (dmi->flags & DM_BUFFER_FULL_FLAG))
			die("the answer does not fit in %d bytes", CALL_SIZE);
		if (!t->err && !strcmp(job->words[0], "held"))
			add_held(&t->answer, answer_of(dmi));
		else if (!t->err)
			add(&t->answer, "%s", answer_of(dmi));
	} else {
		payload = table_payload(job->words[0], &len);
		dmi = dm_call(DM_TABLE_LOAD, job->name, 0, payload, len, 1,
			      CALL_SIZE, nth, &t->fired, &t->err);
		if (!t->err)
			free(dm_must(DM_DEV_SUSPEND, job->name, 0, NULL, 0, 0,
				     "resume"));
	}
	free(dmi);
	free(payload);
	t->after.len = 0;
	snapshot(&t->after, job->name);
}

/* 0 if try T agrees with the reference (states and answer); else 1. */
static int check(const struct try *t, const char *before, const char *after,
		 const char *answer)
{
	int bad = same("the state before the call", &t->before, before);

	if (t->err)
		return bad | same("the state after the failed call", &t->after,
				  t->before.p);
	return bad | same("the state after the call", &t->after, after) |
	       same("the answer", &t->answer, answer);
}

/* -a: N = 1, 2, ... until the Nth point is not reached. */
static int run_all(const struct job *job)
{
	unsigned int n, refused = 0, absorbed = 0;
	struct try ref = { }, t = { };
	bool reload = true;

	run(job, 0, true, &ref);
	if (ref.err)
		die("without failures: %s", errno_name(ref.err));
	for (n = 1; ; n++) {
		run(job, n, reload, &t);
		if (check(&t, ref.before.p, ref.after.p, ref.answer.p) ||
		    (t.err && (t.err != ENOMEM || !t.fired))) {
			printf("N=%u: fired=%d result=%s\n", n, t.fired,
			       errno_name(t.err));
			return 1;
		}
		if (!t.fired)
			break;
		if (t.err)
			refused++;
		else
			absorbed++;
		reload = !t.err;
	}
	printf("points=%u refused=%u absorbed=%u\n", n - 1, refused, absorbed);
	return 0;
}

int main(int argc, char **argv)
{
	const char *write_dir = NULL, *check_dir = NULL, *op;
	struct job job = { .setup = calloc(argc, sizeof(char *)), .hold = -1 };
	unsigned int nth = 0;
	struct try t = { };
	bool all = false;
	int opt, bad = 0;

	while ((opt = getopt(argc, argv, "n:at:s:r:w:c:")) != -1) {
		switch (opt) {
		case 'n':
			nth = strtoul(optarg, NULL, 10);
			break;
		case 'a':
			all = true;
			break;
		case 't':
			job.table = optarg;
			break;
		case 's':
			job.setup[job.nr_setup++] = optarg;
			break;
		case 'r':
			job.hold = strtoll(optarg, NULL, 10);
			break;
		case 'w':
			write_dir = optarg;
			break;
		case 'c':
			check_dir = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 3 || (write_dir && check_dir) ||
	    (all && (nth || write_dir || check_dir)))
		usage();
	job.name = argv[optind];
	op = argv[optind + 1];
	job.words = (const char *const *)argv + optind + 2;
	job.nr_words = argc - optind - 2;
	job.load = !strcmp(op, "load");
	if ((!job.load && strcmp(op, "message")) || (job.load && job.nr_words != 1))
		usage();

	control = open("/dev/mapper/control", O_RDWR);
	if (control < 0)
		die("/dev/mapper/control: %s", strerror(errno));
	if (nth || all) {
		fail_nth = open("/proc/thread-self/fail-nth", O_RDWR);
		if (fail_nth < 0)
			die("/proc/thread-self/fail-nth: %s", strerror(errno));
	}
	if (all)
		return run_all(&job);

	run(&job, nth, true, &t);
	printf("fired=%d result=%s\n", t.fired, errno_name(t.err));
	if (write_dir) {
		spill(write_dir, "before", &t.before);
		spill(write_dir, "after", &t.after);
		spill(write_dir, "answer", &t.answer);
	}
	if (check_dir)
		bad = check(&t, slurp(check_dir, "before"),
			    slurp(check_dir, "after"), slurp(check_dir, "answer"));
	return bad;
}
