/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for the argument helpers of <linux/device-mapper.h>,
 * with dm-table.c's rules, quirks included: a number is read as the
 * kernel's sscanf("%u%c") reads it, which skips leading spaces and keeps
 * the low 32 bits of a longer number; it must then lie within the bounds,
 * and a group's count may not exceed the words left.
 */
#ifndef SWAPFAIL_TOOLS_LINUX_DEVICE_MAPPER_H
#define SWAPFAIL_TOOLS_LINUX_DEVICE_MAPPER_H

#include <errno.h>
#include <stddef.h>


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

/* sscanf(s, "%u%c", value, &dummy) == 1, as the kernel's vsscanf has it. */
static inline int dm_scan_uint(const char *s, unsigned int *value)
{
	unsigned long long v = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	*value = v;
	return !*s;
}

static inline int dm_validate_next_arg(const struct dm_arg *arg,
				       struct dm_arg_set *as,
				       unsigned int *value, char **error,
				       int grouped)
{
	const char *s = dm_shift_arg(as);

	if (!s || !dm_scan_uint(s, value) || *value < arg->min ||
	    *value > arg->max || (grouped && as->argc < *value)) {
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
