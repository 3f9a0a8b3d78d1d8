// SPDX-License-Identifier: GPL-2.0-only
#include "swapfail.h"
static int sf_run_opt(int c, const char *arg) { return 1; }
static const struct option sf_run_opts[] = { { NULL, 0, NULL, 0 } };
const struct sf_optset sf_run_optset = { "", sf_run_opts, sf_run_opt };
int sf_cmd_run(struct sf_cmd *c) { return -ENOSYS; }
