// SPDX-License-Identifier: GPL-2.0-only
/*
 * timeit: run a command and print its wall time.
 *
 *   timeit COMMAND [ARG...]
 *
 * Runs COMMAND with its own stdin and stdout, then prints
 * "timeit: <seconds>" (microseconds precision) on stderr.  Exits with the
 * command's status; 127 if it could not be run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double start;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: timeit COMMAND [ARG...]\n");
		return 64;
	}
	start = now();
	pid = fork();
	if (pid < 0)
		return 127;
	if (!pid) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 127;
	fprintf(stderr, "timeit: %.6f\n", now() - start);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
