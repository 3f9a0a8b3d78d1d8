// SPDX-License-Identifier: GPL-2.0-only
/*
 * sf-run.c: run PLAN -- COMMAND..., an experiment in one command.
 *
 * It reads the plan (sf-plan.c) and checks each of its verbs' command
 * lines; sets up what the plan names (sf-setup.c: the device, over a disk
 * or a loop file, swap on it, the command's memory cgroup, sysctls);
 * starts COMMAND in that cgroup; does each verb of the timeline at its
 * time (as "swapfail VERB DEVICE ..." run by itself, so that a plan does
 * exactly what the same command typed would) and undoes it after "for T";
 * samples the device's status and reads every traced fault (sf-trace.c)
 * and the kernel's log as it goes; and, whatever ends it (COMMAND's end,
 * the plan's timeout, SIGINT, SIGTERM, SIGHUP, an error), tears everything
 * down, newest first, and says what happened: what was injected, how
 * COMMAND ended, what the kernel logged, and whether each of the plan's
 * expectations held.
 *
 * COMMAND is traced (ptrace, PTRACE_SEIZE: signals only, nothing else
 * stops it) so that a fault signal's address and code are known: the
 * parent of a process sees the signal that killed it, not where.  Only its
 * main thread is traced: the signals of other threads and processes are
 * known by the exit status alone.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "swapfail.h"

#define SF_RUN_MAX_SIGNALS	16
#define SF_RUN_MAX_KLINES	50
#define SF_RUN_GRACE		(5 * SF_NS_PER_SEC)	/* SIGTERM, then KILL */

struct sf_step_res {
	bool ran;
	u64 ran_at, undone_at;		/* ns after the start; 0: not */
	int exit;			/* the verb's exit status */
	char *out;			/* its JSON, if it printed any */
	char **added;			/* add, target: the extents it made */
	unsigned int nr_added;
};

static struct sf_run {
	struct sf_plan plan;
	const char *record;		/* --record FILE */
	FILE *rec;
	char **cmd;
	char self[PATH_MAX];
	char dev_path[PATH_MAX];
	char cgroup[PATH_MAX];
	char swap_area[PATH_MAX];
	struct sf_table t;
	bool have_table, created;
	char *list_before;		/* an existing device's table at start */
	struct sf_info info0;		/* ...and its status */
	struct sf_tracer *tr;
	struct sf_step_res *res;
	int sigfd, kmsg;
	pid_t pid;
	u64 t0, end;			/* ns, CLOCK_MONOTONIC */
	int wstatus;
	bool exited, timed_out;
	int interrupted;		/* the signal that ended the run */
	u64 term_at;			/* COMMAND asked to end then */
	struct {
		int sig, code;
		u64 addr, at;
	} signals[SF_RUN_MAX_SIGNALS];
	unsigned int nr_signals;
	u64 faults, read_faults, write_faults, corruptions;
	u64 next_sample;
	char *status_json;		/* the last status sample */
	u64 status_num[SF_I_NR];
	bool status_has[SF_I_NR];
	u64 oom_kills;
	char *klines[SF_RUN_MAX_KLINES];
	u64 nr_klines;
	bool *kernel_seen;		/* per expectation */
} sf_run;

static int sf_run_opt(int c, const char *arg)
{
	if (c != SF_OPT_LOCAL)
		return 1;
	sf_run.record = arg;
	return 0;
}

static const struct option sf_run_opts[] = {
	{ "record", required_argument, NULL, SF_OPT_LOCAL },
	{ NULL, 0, NULL, 0 }
};

const struct sf_optset sf_run_optset = { "", sf_run_opts, sf_run_opt };

static u64 sf_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * SF_NS_PER_SEC + ts.tv_nsec;
}

/* ns since COMMAND started (0 before it did). */
static u64 sf_run_now(void)
{
	return sf_run.t0 ? sf_mono() - sf_run.t0 : 0;
}

/* The record: one JSON object a line, {"time": S, "record": KIND, ...}. */
static bool sf_rec_open(const char *kind)
{
	if (!sf_run.rec)
		return false;
	sf_json_to(sf_run.rec);
	sf_jopen(NULL, '{');
	sf_jsec("time", sf_run_now());
	sf_jstr("record", kind);
	return true;
}

static void sf_rec_close(void)
{
	sf_jclose();
	sf_json_to(NULL);
}

/* Our own JSON, from a verb run as a child: as is if it is one object. */
static void sf_jverbatim(const char *key, const char *out)
{
	size_t len = out ? strlen(out) : 0;

	while (len && out[len - 1] == '\n')
		len--;
	if (len && out[0] == '{' && out[len - 1] == '}' &&
	    !memchr(out, '\n', len)) {
		char *copy = strndup(out, len);

		if (copy) {
			sf_jraw(key, copy);
			free(copy);
			return;
		}
	}
	sf_jnull(key);
}

/* Steps: each verb as "swapfail VERB DEVICE [--pid PID] ARG... [--json]" */

static bool sf_step_json(const struct sf_step *st)
{
	return !strcmp(st->argv[0], "target") || !strcmp(st->argv[0], "pageout");
}

/* The command line of @st; check: the device's name, no pid yet. */
static char **sf_step_argv(const struct sf_step *st, bool check)
{
	char **argv = calloc(st->argc + 8, sizeof(*argv));
	static char pid[24];
	int n = 0, i;

	if (!argv)
		return NULL;
	argv[n++] = sf_run.self;
	if (check)
		argv[n++] = "--check";
	argv[n++] = st->argv[0];
	if (strcmp(st->argv[0], "pageout"))
		argv[n++] = sf_run.plan.device;
	if (st->pid) {
		snprintf(pid, sizeof(pid), "%d", check ? 1 : (int)sf_run.pid);
		argv[n++] = "--pid";
		argv[n++] = pid;
	}
	for (i = 1; i < st->argc; i++)
		argv[n++] = st->argv[i];
	if (sf_step_json(st))
		argv[n++] = "--json";
	return argv;
}

/* Every verb's command line, checked before anything is set up. */
static int sf_run_check_steps(void)
{
	const struct sf_plan *p = &sf_run.plan;
	unsigned int i;
	int status, r = 0;
	char **argv, *out;
	const char *msg;

	for (i = 0; !r && i < p->nr_steps; i++) {
		if (!strcmp(p->steps[i].argv[0], "signal"))
			continue;
		argv = sf_step_argv(&p->steps[i], true);
		if (!argv)
			return -ENOMEM;
		r = sf_capture(argv, true, &out, &status);
		free(argv);
		/* "swapfail VERB: what is wrong", the child's first line */
		msg = !out ? "" : strncmp(out, "swapfail ", 9) ? out : out + 9;
		if (!r && (!WIFEXITED(status) || WEXITSTATUS(status)))
			r = sf_usage_err("%s:%d: %.*s", p->path,
					 p->steps[i].line,
					 (int)strcspn(msg, "\n"), msg);
		free(out);
	}
	return r;
}

/* The table's extents, "A-B" each, from a list message. */
static char *sf_run_list(void)
{
	char *answer = NULL;

	if (sf_sendf(&sf_run.t, &answer, "list"))
		return NULL;
	return answer ? answer : strdup("");
}

/* The first words ("A-B") of the lines of @after that @before has not. */
static void sf_run_added(struct sf_step_res *res, const char *before,
			 char *after)
{
	char *line, *save = NULL, key[64], **more;

	for (line = strtok_r(after, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		snprintf(key, sizeof(key), "%.*s", (int)strcspn(line, " "),
			 line);
		if (before && strstr(before, line))
			continue;
		more = realloc(res->added, (res->nr_added + 1) * sizeof(*more));
		if (!more)
			return;
		res->added = more;
		res->added[res->nr_added] = strdup(key);
		if (res->added[res->nr_added])
			res->nr_added++;
	}
}

static void sf_rec_step(const struct sf_step *st, const struct sf_step_res *res,
			const char *kind)
{
	int i;

	if (!sf_rec_open(kind))
		return;
	sf_ju64("line", st->line);
	sf_jopen("argv", '[');
	for (i = 0; i < st->argc; i++)
		sf_jstr(NULL, st->argv[i]);
	sf_jclose();
	sf_jint("exit", res->exit);
	sf_jverbatim("output", res->out);
	sf_rec_close();
}

static int sf_wait_exit(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

/* Do @st now. */
static void sf_run_step(const struct sf_step *st, struct sf_step_res *res)
{
	bool diff = st->undo_after && (!strcmp(st->argv[0], "add") ||
				       !strcmp(st->argv[0], "target"));
	char *before = NULL, *after, **argv;
	int status = 0, sig;

	res->ran = true;
	res->ran_at = sf_run_now();
	if (!strcmp(st->argv[0], "signal")) {
		sig = sf_signal_number(st->argv[1]);
		res->exit = kill(sf_run.pid, sig) ? 1 : 0;
		sf_rec_step(st, res, "step");
		return;
	}
	if (diff)
		before = sf_run_list();
	argv = sf_step_argv(st, false);
	if (!argv || sf_capture(argv, false, &res->out, &status))
		status = 1 << 8;
	free(argv);
	res->exit = sf_wait_exit(status);
	if (diff && !res->exit) {
		after = sf_run_list();
		if (after)
			sf_run_added(res, before, after);
		free(after);
	}
	free(before);
	sf_rec_step(st, res, "step");
}

/* Is anything held?  Then send it on: the undo of a hold. */
static void sf_run_release_held(void)
{
	char *answer = NULL;

	if (!sf_sendf(&sf_run.t, &answer, "held") && answer && *answer)
		sf_sendf(&sf_run.t, NULL, "release");
	free(answer);
}

/* Remove the extents of @added that still hold blocks. */
static void sf_run_remove(char **added, unsigned int nr)
{
	unsigned long long bad;
	char *answer;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		answer = NULL;
		if (!sf_sendf(&sf_run.t, &answer, "query %s", added[i]) &&
		    answer && sscanf(answer, "%*s bad=%llu", &bad) == 1 && bad)
			sf_sendf(&sf_run.t, NULL, "remove %s", added[i]);
		free(answer);
	}
}

/* Undo @st: what "for T" asks for. */
static void sf_run_undo(const struct sf_step *st, struct sf_step_res *res)
{
	const char *verb = st->argv[0];
	int r = 0;

	res->undone_at = sf_run_now();
	if (!strcmp(verb, "add") || !strcmp(verb, "target")) {
		sf_run_remove(res->added, res->nr_added);
	} else if (!strcmp(verb, "every-nth") || !strcmp(verb, "probability")) {
		r = sf_sendf(&sf_run.t, NULL, "%s_%s 0",
			     !strcmp(verb, "every-nth") ? "every_nth" :
			     "probability", st->argv[1]);
		sf_run_release_held();
	} else if (!strcmp(verb, "enable") || !strcmp(verb, "disable")) {
		r = sf_sendf(&sf_run.t, NULL, "%s",
			     !strcmp(verb, "enable") ? "disable" : "enable");
	}
	if (sf_rec_open("undo")) {
		sf_ju64("line", st->line);
		sf_jstr("verb", verb);
		sf_jint("exit", sf_exit_code(r));
		sf_rec_close();
	}
}

/* Status, faults, the kernel log */

static void sf_run_status(void)
{
	struct sf_info in;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int i;

	if (!sf_run.have_table || sf_info_get(&sf_run.t, &in))
		return;
	for (i = 0; i < SF_I_NR; i++) {
		sf_run.status_num[i] = in.num[i];
		sf_run.status_has[i] = in.val[i] != NULL;
	}
	/* kept as text: the summary's "status" is the last sample */
	mem = open_memstream(&buf, &len);
	if (mem) {
		sf_json_to(mem);
		sf_jopen(NULL, '{');
		sf_info_json(&sf_run.t, &in);
		sf_jclose();
		sf_json_to(NULL);
		fclose(mem);
		free(sf_run.status_json);
		sf_run.status_json = buf;
	}
	if (sf_rec_open("status")) {
		sf_jopen("status", '{');
		sf_info_json(&sf_run.t, &in);
		sf_jclose();
		sf_rec_close();
	}
	sf_info_free(&in);
}

static int sf_run_event(const struct sf_event *e, void *ctx)
{
	if (e->corrupt) {
		sf_run.corruptions++;
	} else {
		sf_run.faults++;
		if (e->dir)
			sf_run.write_faults++;
		else
			sf_run.read_faults++;
	}
	if (sf_rec_open(e->corrupt ? "corrupt" : "fault")) {
		sf_jopen("event", '{');
		sf_event_json(e);
		sf_jclose();
		sf_rec_close();
	}
	return 0;
}

/* The kernel's log from the start of the run: /dev/kmsg, not waiting. */
static int sf_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Lines worth a summary: a warning or worse, or of swap and OOM. */
static bool sf_kline_matters(int prio, const char *text)
{
	static const char * const words[] = {
		"swap", "oom", "Out of memory", "Killed process",
		"blocked for more than",
	};
	unsigned int i;

	/* IMA measures every table load: not what the run is about */
	if (!strncmp(text, "audit: ", 7))
		return false;
	if ((prio & 7) <= 4)
		return true;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strcasestr(text, words[i]))
			return true;
	return false;
}

static void sf_run_kline(const char *text)
{
	const struct sf_plan *p = &sf_run.plan;
	unsigned int i;
	regex_t re;

	for (i = 0; i < p->nr_expects; i++) {
		if (p->expects[i].kind != SF_EXPECT_KERNEL ||
		    sf_run.kernel_seen[i])
			continue;
		if (regcomp(&re, p->expects[i].what, REG_EXTENDED | REG_NOSUB))
			continue;
		sf_run.kernel_seen[i] = !regexec(&re, text, 0, NULL, 0);
		regfree(&re);
	}
	if (sf_rec_open("kernel")) {
		sf_jstr("line", text);
		sf_rec_close();
	}
	if (sf_run.nr_klines < SF_RUN_MAX_KLINES)
		sf_run.klines[sf_run.nr_klines] = strdup(text);
	sf_run.nr_klines++;
}

static void sf_run_kmsg(void)
{
	char rec[2048], *text;
	ssize_t n;
	int prio;

	while (sf_run.kmsg >= 0) {
		n = read(sf_run.kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten before we read: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text || sscanf(rec, "%d", &prio) != 1)
			continue;
		text++;
		text[strcspn(text, "\n")] = '\0';
		if (sf_kline_matters(prio, text))
			sf_run_kline(text);
	}
}

static void sf_run_oom_kills(void)
{
	char path[PATH_MAX + 16], key[64];
	unsigned long long v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.events", sf_run.cgroup);
	f = *sf_run.cgroup ? fopen(path, "re") : NULL;
	while (f && fscanf(f, "%63s %llu", key, &v) == 2)
		if (!strcmp(key, "oom_kill"))
			sf_run.oom_kills = v;
	if (f)
		fclose(f);
}

/* Setting up */

static int sf_run_device(void)
{
	struct sf_plan *p = &sf_run.plan;
	const char *under = p->over;
	char loop[64];
	int r;

	snprintf(sf_run.dev_path, sizeof(sf_run.dev_path), "%s/%s",
		 sf_dm_dir(), p->device);
	if (!under && !p->loop_size) {
		r = sf_table_get(p->device, &sf_run.t);
		sf_run.have_table = !r;
		if (!r)
			r = sf_info_get(&sf_run.t, &sf_run.info0);
		if (!r)
			sf_run.list_before = sf_run_list();
		return r;
	}
	if (!sf_table_any(p->device, &sf_run.t)) {
		sf_table_free(&sf_run.t);
		sf_err("%s exists: a plan creates its device (or give 'device %s' alone to use it)",
		       p->device, p->device);
		return -EEXIST;
	}
	if (p->loop_size) {
		r = sf_loop_create(p->loop_size, loop, sizeof(loop));
		if (r)
			return r;
		under = loop;
	}
	r = sf_create_device(p->device, under, p->block_size, p->quiet);
	if (r)
		return r;
	sf_undo_device(p->device);
	sf_run.created = true;
	r = sf_table_get(p->device, &sf_run.t);
	sf_run.have_table = !r;
	return r;
}

static int sf_run_swap(void)
{
	struct sf_plan *p = &sf_run.plan;
	char dir[PATH_MAX];
	int r;

	if (p->swap == SF_SWAP_PARTITION) {
		snprintf(sf_run.swap_area, sizeof(sf_run.swap_area), "%s",
			 sf_run.dev_path);
		return sf_swap_on(sf_run.dev_path);
	}
	if (p->swap != SF_SWAP_FILE)
		return 0;
	r = sf_mkfs_mount(p->fs, sf_run.dev_path, dir, sizeof(dir));
	if (!r)
		r = sf_swapfile_make(dir, p->fs, p->swap_size, sf_run.swap_area,
				     sizeof(sf_run.swap_area));
	return r;
}

static int sf_run_setup(void)
{
	struct sf_plan *p = &sf_run.plan;
	char name[64];
	unsigned int i;
	int r = 0;

	for (i = 0; !r && i < p->nr_sysctl; i++)
		r = sf_sysctl_set(p->sysctl[i].key, p->sysctl[i].value);
	if (!r)
		r = sf_run_device();
	if (!r)
		r = sf_trace_open(&sf_run.tr, &sf_run.t);
	if (!r)
		r = sf_run_swap();
	snprintf(name, sizeof(name), "swapfail-run-%d", (int)getpid());
	if (!r)
		r = sf_cgroup_make(name, p->memory_max, p->swap_max,
				   p->has_swap_max, sf_run.cgroup,
				   sizeof(sf_run.cgroup));
	return r;
}

/* The command */

/*
 * Start COMMAND in the cgroup, traced; it waits on a pipe until it is
 * in the cgroup and traced, so that no page of it is charged elsewhere
 * and no signal of it is missed.
 */
static int sf_run_spawn(const sigset_t *old)
{
	int go[2], r;
	char c;

	if (pipe2(go, O_CLOEXEC))
		return -errno;
	sf_run.pid = fork();
	if (sf_run.pid < 0) {
		r = -errno;
		close(go[0]);
		close(go[1]);
		return r;
	}
	if (!sf_run.pid) {
		close(go[1]);
		sigprocmask(SIG_SETMASK, old, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (sf_write_file(sf_run.cgroup, "cgroup.procs", "0"))
			_exit(126);
		if (read(go[0], &c, 1) != 1)
			_exit(126);
		/* with --json, stdout is the summary's alone */
		if (sf_opts.json)
			dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(sf_run.cmd[0], sf_run.cmd);
		fprintf(stderr, "swapfail: run: cannot run %s: %s\n",
			sf_run.cmd[0], strerror(errno));
		_exit(127);
	}
	close(go[0]);
	r = ptrace(PTRACE_SEIZE, sf_run.pid, 0, PTRACE_O_EXITKILL) ? -errno : 0;
	if (r)
		sf_warn("cannot trace %s (%s): its fault signals' addresses are unknown",
			sf_run.cmd[0], strerror(-r));
	sf_run.t0 = sf_mono();
	r = write(go[1], "g", 1) == 1 ? 0 : -errno;
	close(go[1]);
	if (sf_rec_open("start")) {
		sf_jint("pid", sf_run.pid);
		sf_rec_close();
	}
	return r;
}

/* "SIGBUS", as a plan and the summary name a signal. */
static const char *sf_signame(int sig)
{
	return sf_intern("SIG%s", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
}

static bool sf_fault_signal(int sig)
{
	return sig == SIGBUS || sig == SIGSEGV || sig == SIGILL ||
	       sig == SIGFPE;
}

/* COMMAND stopped for a signal: note a fault's address, deliver it. */
static void sf_run_stopped(int status)
{
	int sig = WSTOPSIG(status);
	siginfo_t si;

	if (status >> 16 == PTRACE_EVENT_STOP) {
		/* a group stop (SIGSTOP, SIGTSTP): let it stay stopped */
		ptrace(PTRACE_LISTEN, sf_run.pid, 0, 0);
		return;
	}
	if (sf_fault_signal(sig) &&
	    !ptrace(PTRACE_GETSIGINFO, sf_run.pid, 0, &si) && si.si_code > 0 &&
	    sf_run.nr_signals < SF_RUN_MAX_SIGNALS) {
		sf_run.signals[sf_run.nr_signals].sig = sig;
		sf_run.signals[sf_run.nr_signals].code = si.si_code;
		sf_run.signals[sf_run.nr_signals].addr =
			(u64)(uintptr_t)si.si_addr;
		sf_run.signals[sf_run.nr_signals].at = sf_run_now();
		sf_run.nr_signals++;
		if (sf_rec_open("signal")) {
			sf_jstr("signal", sf_signame(sig));
			sf_jint("code", si.si_code);
			sf_jaddr("addr", (u64)(uintptr_t)si.si_addr);
			sf_rec_close();
		}
	}
	ptrace(PTRACE_CONT, sf_run.pid, 0, sig);
}

/* Until COMMAND has ended (@block) or for what it has done (not). */
static void sf_run_reap(bool block)
{
	int status;
	pid_t w;

	while (sf_run.pid > 0 && !sf_run.exited) {
		w = waitpid(sf_run.pid, &status, (block ? 0 : WNOHANG) | __WALL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		if (WIFSTOPPED(status)) {
			sf_run_stopped(status);
			continue;
		}
		sf_run.wstatus = status;
		sf_run.exited = true;
		sf_run.end = sf_run_now();
		if (sf_rec_open("end")) {
			if (WIFEXITED(status))
				sf_jint("exit", WEXITSTATUS(status));
			else
				sf_jnull("exit");
			sf_jstr("signal", WIFSIGNALED(status) ?
				sf_signame(WTERMSIG(status)) : NULL);
			sf_rec_close();
		}
	}
}

/* Ask COMMAND to end (SIGTERM); after a grace, kill its cgroup. */
static void sf_run_terminate(void)
{
	if (!sf_run.term_at) {
		sf_run.term_at = sf_mono();
		kill(sf_run.pid, SIGTERM);
	} else if (sf_mono() - sf_run.term_at > SF_RUN_GRACE) {
		sf_write_file(sf_run.cgroup, "cgroup.kill", "1");
	}
}

/* The next thing to do: a step, an undo, a sample; at most 100ms away. */
static u64 sf_run_next(u64 now)
{
	const struct sf_plan *p = &sf_run.plan;
	u64 next = now + SF_NS_PER_SEC / 10, t;
	unsigned int i;

	for (i = 0; i < p->nr_steps; i++) {
		t = !sf_run.res[i].ran ? p->steps[i].at :
		    p->steps[i].undo_after && !sf_run.res[i].undone_at ?
		    sf_run.res[i].ran_at + p->steps[i].undo_after : UINT64_MAX;
		next = min(next, max(t, now));
	}
	return min(next, max(sf_run.next_sample, now));
}

static void sf_run_due(u64 now)
{
	const struct sf_plan *p = &sf_run.plan;
	unsigned int i;

	for (i = 0; i < p->nr_steps; i++) {
		if (!sf_run.res[i].ran && p->steps[i].at <= now)
			sf_run_step(&p->steps[i], &sf_run.res[i]);
		else if (sf_run.res[i].ran && p->steps[i].undo_after &&
			 !sf_run.res[i].undone_at &&
			 sf_run.res[i].ran_at + p->steps[i].undo_after <= now)
			sf_run_undo(&p->steps[i], &sf_run.res[i]);
	}
	if (now >= sf_run.next_sample) {
		sf_run_status();
		sf_run.next_sample = now + p->sample;
	}
}

static void sf_run_signalfd(void)
{
	struct signalfd_siginfo si;

	while (read(sf_run.sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		sf_run.interrupted = si.ssi_signo;
		sf_run_terminate();
	}
	sf_run_reap(false);
}

/* Until COMMAND has ended: the timeline, samples, faults, the log. */
static void sf_run_loop(void)
{
	struct pollfd pfd = { .fd = sf_run.sigfd, .events = POLLIN };
	u64 now, next;

	while (!sf_run.exited) {
		now = sf_run_now();
		if (!sf_run.interrupted && !sf_run.term_at)
			sf_run_due(now);
		if (sf_run.plan.timeout && now >= sf_run.plan.timeout &&
		    !sf_run.interrupted) {
			sf_run.timed_out = true;
			sf_run_terminate();
		}
		if (sf_run.term_at)
			sf_run_terminate();
		if (sf_run.tr)
			sf_trace_read(sf_run.tr, sf_run_event, NULL);
		sf_run_kmsg();
		next = sf_run_next(sf_run_now());
		if (sf_run.plan.timeout && !sf_run.timed_out)
			next = min(next, sf_run.plan.timeout);
		now = sf_run_now();
		poll(&pfd, 1, next > now ? (next - now) / 1000000 + 1 : 0);
		sf_run_signalfd();
	}
	/* what COMMAND's end left: the last faults, log lines, counters */
	if (sf_run.tr)
		sf_trace_read(sf_run.tr, sf_run_event, NULL);
	sf_run_kmsg();
	sf_run_status();
	sf_run_oom_kills();
}

/* Tearing down */

/*
 * Stop failing I/O first (disable sends on what is held: a process in D
 * state on a held swap-in could not die), end whatever is left of the
 * command, put back an existing device as it was, then undo the rest.
 */
static void sf_run_teardown(void)
{
	char *after, *line, *save = NULL, key[64], *one[1] = { key };

	if (sf_run.have_table)
		sf_sendf(&sf_run.t, NULL, "disable");
	if (*sf_run.cgroup)
		sf_write_file(sf_run.cgroup, "cgroup.kill", "1");
	sf_run_reap(true);
	if (sf_run.have_table && !sf_run.created) {
		after = sf_run_list();
		for (line = after ? strtok_r(after, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (sf_run.list_before && strstr(sf_run.list_before, line))
				continue;
			snprintf(key, sizeof(key), "%.*s",
				 (int)strcspn(line, " "), line);
			sf_run_remove(one, 1);
		}
		free(after);
		sf_sendf(&sf_run.t, NULL, "every_nth_read %llu",
			 (unsigned long long)sf_run.info0.num[SF_I_NTH_READ]);
		sf_sendf(&sf_run.t, NULL, "every_nth_write %llu",
			 (unsigned long long)sf_run.info0.num[SF_I_NTH_WRITE]);
		if (sf_run.info0.val[SF_I_PROB_READ])
			sf_sendf(&sf_run.t, NULL, "probability_read %s",
				 sf_run.info0.val[SF_I_PROB_READ]);
		if (sf_run.info0.val[SF_I_PROB_WRITE])
			sf_sendf(&sf_run.t, NULL, "probability_write %s",
				 sf_run.info0.val[SF_I_PROB_WRITE]);
		if (strcmp(sf_run.info0.val[SF_I_MODE], "bypass"))
			sf_sendf(&sf_run.t, NULL, "enable");
	}
	sf_trace_close(sf_run.tr);
	sf_run.tr = NULL;
	if (sf_run.have_table)
		sf_table_free(&sf_run.t);
	sf_run.have_table = false;
	sf_undo_all();
}

/* The summary */

static bool sf_compare(u64 a, int op, u64 b)
{
	switch (op) {
	case 0: return a == b;
	case 1: return a != b;
	case 2: return a >= b;
	case 3: return a <= b;
	case 4: return a > b;
	}
	return a < b;
}

/* A count of expect count: -1 if the module does not count it. */
static long long sf_run_count(const char *name)
{
	static const struct {
		const char *name;
		enum sf_field f;
	} status[] = {
		{ "reads", SF_I_READS }, { "writes", SF_I_WRITES },
		{ "read_errors", SF_I_READ_ERRORS },
		{ "write_errors", SF_I_WRITE_ERRORS },
		{ "healed", SF_I_HEALED }, { "delayed", SF_I_DELAYED },
		{ "held", SF_I_HELD }, { "dropped", SF_I_DROPPED },
		{ "corrupted", SF_I_CORRUPTED },
	};
	unsigned int i;

	if (!strcmp(name, "faults"))
		return sf_run.faults;
	if (!strcmp(name, "read-faults"))
		return sf_run.read_faults;
	if (!strcmp(name, "write-faults"))
		return sf_run.write_faults;
	if (!strcmp(name, "corruptions"))
		return sf_run.corruptions;
	if (!strcmp(name, "oom-kills"))
		return sf_run.oom_kills;
	for (i = 0; i < ARRAY_SIZE(status); i++)
		if (!strcmp(name, status[i].name))
			return sf_run.status_has[status[i].f] ?
			       (long long)sf_run.status_num[status[i].f] : -1;
	return -1;
}

/* Did expectation @i hold?  *@got: what there was. */
static bool sf_run_held(unsigned int i, char *got, size_t size)
{
	const struct sf_expect *e = &sf_run.plan.expects[i];
	int st = sf_run.wstatus;
	unsigned int k;
	long long n;

	switch (e->kind) {
	case SF_EXPECT_EXIT:
		if (WIFEXITED(st))
			snprintf(got, size, "exit %d", WEXITSTATUS(st));
		else
			snprintf(got, size, "killed by SIG%s",
				 sigabbrev_np(WTERMSIG(st)));
		return WIFEXITED(st) && WEXITSTATUS(st) == (int)e->value;
	case SF_EXPECT_SIGNAL:
		for (k = 0; k < sf_run.nr_signals; k++)
			if (sf_run.signals[k].sig == (int)e->value) {
				snprintf(got, size, "SIG%s at %#llx",
					 sigabbrev_np(e->value),
					 (unsigned long long)sf_run.signals[k].addr);
				return true;
			}
		if (WIFSIGNALED(st))
			snprintf(got, size, "killed by SIG%s",
				 sigabbrev_np(WTERMSIG(st)));
		else
			snprintf(got, size, "exit %d", WEXITSTATUS(st));
		return WIFSIGNALED(st) && WTERMSIG(st) == (int)e->value;
	case SF_EXPECT_KERNEL:
		snprintf(got, size, "%s", sf_run.kernel_seen[i] ?
			 "a line matches" : "no line matches");
		return sf_run.kernel_seen[i];
	case SF_EXPECT_COUNT:
		n = sf_run_count(e->what);
		if (n < 0) {
			snprintf(got, size, "%s: not counted by this module",
				 e->what);
			return false;
		}
		snprintf(got, size, "%s %lld", e->what, n);
		return sf_compare(n, e->op, e->value);
	}
	return false;
}

static const char *sf_code_name(int sig, int code)
{
	static const char * const bus[] = { "?", "BUS_ADRALN", "BUS_ADRERR",
					     "BUS_OBJERR", "BUS_MCEERR_AR",
					     "BUS_MCEERR_AO" };
	static const char * const segv[] = { "?", "SEGV_MAPERR",
					      "SEGV_ACCERR" };

	if (sig == SIGBUS && code > 0 && code < (int)ARRAY_SIZE(bus))
		return bus[code];
	if (sig == SIGSEGV && code > 0 && code < (int)ARRAY_SIZE(segv))
		return segv[code];
	return NULL;
}

/* The added extents of a step: "add" and its ranges, or the target's. */
static void sf_step_message(const struct sf_step_res *res, char *buf,
			    size_t size)
{
	const char *m = res->out ? strstr(res->out, "\"message\": \"") : NULL;

	*buf = '\0';
	if (m)
		snprintf(buf, size, "%.*s", (int)strcspn(m + 12, "\""), m + 12);
}

/* The summary as a JSON object, the value of @key (NULL: on its own). */
static void sf_run_json(const char *key, int r, bool passed)
{
	const struct sf_plan *p = &sf_run.plan;
	const char *const *undone;
	unsigned int i, n;
	char got[256];
	int st = sf_run.wstatus;

	sf_jopen(key, '{');
	sf_jstr("plan", p->path);
	sf_jstr("device", p->device);
	sf_jbool("created", sf_run.created);
	sf_jstr("swap", *sf_run.swap_area ? sf_run.swap_area : NULL);
	sf_jstr("cgroup", *sf_run.cgroup ? sf_run.cgroup : NULL);
	sf_jopen("command", '[');
	for (i = 0; sf_run.cmd && sf_run.cmd[i]; i++)
		sf_jstr(NULL, sf_run.cmd[i]);
	sf_jclose();
	if (sf_run.pid > 0)
		sf_jint("pid", sf_run.pid);
	else
		sf_jnull("pid");
	sf_jsec("duration", sf_run.end);
	if (sf_run.pid > 0 && WIFEXITED(st))
		sf_jint("exit", WEXITSTATUS(st));
	else
		sf_jnull("exit");
	sf_jstr("signal", sf_run.pid > 0 && WIFSIGNALED(st) ?
		sf_signame(WTERMSIG(st)) : NULL);
	sf_jbool("core_dumped", sf_run.pid > 0 && WIFSIGNALED(st) &&
		 WCOREDUMP(st));
	sf_jopen("fault_signals", '[');
	for (i = 0; i < sf_run.nr_signals; i++) {
		sf_jopen(NULL, '{');
		sf_jsec("time", sf_run.signals[i].at);
		sf_jstr("signal", sf_signame(sf_run.signals[i].sig));
		sf_jint("code", sf_run.signals[i].code);
		sf_jstr("code_name", sf_code_name(sf_run.signals[i].sig,
						  sf_run.signals[i].code));
		sf_jaddr("addr", sf_run.signals[i].addr);
		sf_jclose();
	}
	sf_jclose();
	sf_jbool("timed_out", sf_run.timed_out);
	sf_jstr("interrupted", sf_run.interrupted ?
		sf_signame(sf_run.interrupted) : NULL);
	sf_jopen("steps", '[');
	for (i = 0; i < p->nr_steps; i++) {
		sf_jopen(NULL, '{');
		sf_ju64("line", p->steps[i].line);
		sf_jsec("at", p->steps[i].at);
		sf_jstr("verb", p->steps[i].argv[0]);
		if (sf_run.res[i].ran) {
			sf_jsec("ran", sf_run.res[i].ran_at);
			sf_jint("exit", sf_run.res[i].exit);
		} else {
			sf_jnull("ran");
			sf_jnull("exit");
		}
		sf_step_message(&sf_run.res[i], got, sizeof(got));
		sf_jstr("message", *got ? got : NULL);
		if (sf_run.res[i].undone_at)
			sf_jsec("undone", sf_run.res[i].undone_at);
		else
			sf_jnull("undone");
		sf_jclose();
	}
	sf_jclose();
	sf_jopen("faults", '{');
	sf_ju64("total", sf_run.faults);
	sf_ju64("read", sf_run.read_faults);
	sf_ju64("write", sf_run.write_faults);
	sf_ju64("corruptions", sf_run.corruptions);
	sf_jclose();
	sf_ju64("oom_kills", sf_run.oom_kills);
	if (sf_run.status_json)
		sf_jverbatim("status", sf_run.status_json);
	else
		sf_jnull("status");
	sf_ju64("kernel_lines", sf_run.nr_klines);
	sf_jopen("kernel", '[');
	for (i = 0; i < min_t(u64, sf_run.nr_klines, SF_RUN_MAX_KLINES); i++)
		sf_jstr(NULL, sf_run.klines[i]);
	sf_jclose();
	sf_jopen("expectations", '[');
	for (i = 0; (!r || r == -ECANCELED) && i < p->nr_expects; i++) {
		sf_jopen(NULL, '{');
		sf_jstr("expect", p->expects[i].text);
		sf_jbool("held", sf_run_held(i, got, sizeof(got)));
		sf_jstr("got", got);
		sf_jclose();
	}
	sf_jclose();
	sf_jbool("passed", passed);
	n = sf_undo_failures(&undone);
	sf_jopen("left_behind", '[');
	for (i = 0; i < n; i++)
		sf_jstr(NULL, undone[i]);
	sf_jclose();
	sf_jint("exit_status", sf_exit_code(r));
	sf_jstr("error", r && r != -ECANCELED ? sf_last_err() : NULL);
	sf_jclose();
}

static void sf_run_text(int r, bool passed)
{
	const struct sf_plan *p = &sf_run.plan;
	const char *const *undone;
	unsigned int i, n, held = 0;
	char got[256], at[32];
	int st = sf_run.wstatus, k;

	printf("%-12s%s\n", "plan", p->path);
	printf("%-12s%s%s%s%s\n", "device", sf_run.dev_path,
	       sf_run.created ? " (created)" : "",
	       *sf_run.swap_area ? ", swap on " : "", sf_run.swap_area);
	if (sf_run.pid > 0)
		printf("%-12spid %d in %s\n", "command", (int)sf_run.pid,
		       sf_run.cgroup);
	for (i = 0; i < p->nr_steps; i++) {
		sf_format_ns(at, sizeof(at), p->steps[i].at);
		printf("  at %-7s", at);
		for (k = 0; k < p->steps[i].argc; k++)
			printf(" %s", p->steps[i].argv[k]);
		if (!sf_run.res[i].ran) {
			printf(": not done\n");
			continue;
		}
		sf_step_message(&sf_run.res[i], got, sizeof(got));
		printf(": %s%s%s\n", sf_run.res[i].exit ? "failed" : "done",
		       *got ? ", " : "", got);
	}
	if (sf_run.pid > 0) {
		if (WIFEXITED(st))
			printf("%-12sexit %d", "ended", WEXITSTATUS(st));
		else
			printf("%-12skilled by SIG%s%s", "ended",
			       sigabbrev_np(WTERMSIG(st)),
			       WCOREDUMP(st) ? " (core dumped)" : "");
		sf_format_ns(at, sizeof(at), sf_run.end / 1000000 * 1000000);
		printf(" after %s%s%s\n", at,
		       sf_run.timed_out ? ", timed out" : "",
		       sf_run.interrupted ? ", interrupted" : "");
	}
	for (i = 0; i < sf_run.nr_signals; i++)
		printf("%-12sSIG%s (%s) at %#llx\n", "signal",
		       sigabbrev_np(sf_run.signals[i].sig),
		       sf_code_name(sf_run.signals[i].sig,
				    sf_run.signals[i].code) ?: "?",
		       (unsigned long long)sf_run.signals[i].addr);
	printf("%-12s%llu (%llu read, %llu write), %llu corruptions; %llu OOM kills\n",
	       "faults", (unsigned long long)sf_run.faults,
	       (unsigned long long)sf_run.read_faults,
	       (unsigned long long)sf_run.write_faults,
	       (unsigned long long)sf_run.corruptions,
	       (unsigned long long)sf_run.oom_kills);
	for (i = 0; i < min_t(u64, sf_run.nr_klines, 10); i++)
		printf("%-12s%s\n", i ? "" : "kernel", sf_run.klines[i]);
	if (sf_run.nr_klines > 10)
		printf("%-12s... %llu lines in all\n", "",
		       (unsigned long long)sf_run.nr_klines);
	for (i = 0; (!r || r == -ECANCELED) && i < p->nr_expects; i++) {
		bool ok = sf_run_held(i, got, sizeof(got));

		held += ok;
		printf("%-12s%s: %s (%s)\n", "expect", p->expects[i].text,
		       ok ? "held" : "FAILED", got);
	}
	n = sf_undo_failures(&undone);
	for (i = 0; i < n; i++)
		printf("%-12s%s\n", "left behind", undone[i]);
	if (r && r != -ECANCELED)
		printf("%-12sERROR: %s\n", "result", sf_last_err());
	else
		printf("%-12s%s (%u of %u expectations held)\n", "result",
		       passed ? "PASS" : "FAIL", held, p->nr_expects);
}

static bool sf_run_passed(void)
{
	const char *const *undone;
	unsigned int i;
	char got[256];

	if (sf_run.interrupted || sf_undo_failures(&undone))
		return false;
	for (i = 0; i < sf_run.plan.nr_expects; i++)
		if (!sf_run_held(i, got, sizeof(got)))
			return false;
	return true;
}

/* run PLAN [--record FILE] -- COMMAND [ARG...] */
int sf_cmd_run(struct sf_cmd *c)
{
	sigset_t mask, old;
	bool passed;
	int r;

	if (c->argc < 2 && !sf_opts.check)
		return sf_usage_err("give the command to run after the plan: run PLAN -- COMMAND [ARG...]");
	r = sf_plan_load(c->argv[0], &sf_run.plan);
	if (r)
		return r;
	sf_run.cmd = c->argv + 1;
	if (readlink("/proc/self/exe", sf_run.self, sizeof(sf_run.self) - 1) < 0)
		snprintf(sf_run.self, sizeof(sf_run.self), "swapfail");
	r = sf_run_check_steps();
	if (r || sf_opts.check) {
		if (!r && sf_opts.json)
			sf_plan_json(&sf_run.plan);
		else if (!r)
			printf("%s: %u step(s), %u expectation(s): good\n",
			       sf_run.plan.path, sf_run.plan.nr_steps,
			       sf_run.plan.nr_expects);
		goto out;
	}
	sf_run.res = calloc(sf_run.plan.nr_steps + 1, sizeof(*sf_run.res));
	sf_run.kernel_seen = calloc(sf_run.plan.nr_expects + 1, sizeof(bool));
	if (!sf_run.res || !sf_run.kernel_seen) {
		r = -ENOMEM;
		goto out;
	}
	if (sf_run.record) {
		sf_run.rec = fopen(sf_run.record, "we");
		if (!sf_run.rec) {
			r = -errno;
			sf_err("--record %s: %s", sf_run.record, strerror(-r));
			goto out;
		}
	}
	/*
	 * The signals that end a run come through the loop, not a handler;
	 * a shell starts a background job with SIGINT ignored, which would
	 * then never arrive.
	 */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sf_run.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	sf_run.kmsg = sf_kmsg_open();
	r = sf_run.sigfd < 0 ? -errno : sf_run_setup();
	if (!r)
		r = sf_run_spawn(&old);
	if (!r)
		sf_run_loop();
	sf_run_signalfd();
	sf_run_teardown();
	sigprocmask(SIG_SETMASK, &old, NULL);
	passed = !r && sf_run_passed();
	if (!r && !passed)
		r = -ECANCELED;		/* exit 1: the plan did not hold */
	/* the record's last line: the summary, as --json prints it */
	if (sf_rec_open("summary")) {
		sf_run_json("summary", r, passed);
		sf_rec_close();
	}
	if (sf_opts.json)
		sf_run_json(NULL, r, passed);
	else
		sf_run_text(r, passed);
out:
	if (sf_run.rec)
		fclose(sf_run.rec);
	return r;
}
