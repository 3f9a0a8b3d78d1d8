/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for the argument helpers of <linux/device-mapper.h>
 * (dm-table.c's), with their rules: a number is plain decimal within the
 * given bounds, and a group's count may not exceed the words left.
 */
#ifndef SWAPFAIL_TOOLS_LINUX_DEVICE_MAPPER_H
#define SWAPFAIL_TOOLS_LINUX_DEVICE_MAPPER_H

#include <errno.h>
#include <stddef.h>

#include <linux/kstrtox.h>

struct dm_arg_set {
	unsigned int argc;
	char **argv;
};

struct dm_arg {
	unsigned int min;
	unsigned int max;
	char *error;
};

static inline const char *dm_shift_arg(struct dm_arg_set *as)
{
	if (!as->argc)
		return NULL;
	as->argc--;
	return *as->argv++;
}

static inline void dm_consume_args(struct dm_arg_set *as,
				   unsigned int num_args)
{
	as->argc -= num_args;
	as->argv += num_args;
}

static inline int dm_validate_next_arg(const struct dm_arg *arg,
				       struct dm_arg_set *as,
				       unsigned int *value, char **error,
				       int grouped)
{
	const char *s = dm_shift_arg(as);

	if (!s || *s < '0' || *s > '9' || kstrtouint(s, 10, value) ||
	    *value < arg->min || *value > arg->max ||
	    (grouped && as->argc < *value)) {
		*error = arg->error;
		return -EINVAL;
	}
	return 0;
}

static inline int dm_read_arg(const struct dm_arg *arg, struct dm_arg_set *as,
			      unsigned int *value, char **error)
{
	return dm_validate_next_arg(arg, as, value, error, 0);
}

static inline int dm_read_arg_group(const struct dm_arg *arg,
				    struct dm_arg_set *as,
				    unsigned int *num_args, char **error)
{
	return dm_validate_next_arg(arg, as, num_args, error, 1);
}

#endif /* SWAPFAIL_TOOLS_LINUX_DEVICE_MAPPER_H */
