/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for <linux/kstrtox.h>, with the kernel's rules: an
 * optional '+', digits of the base (10, or 16 with an optional 0x), an
 * optional trailing newline; -EINVAL for anything else, -ERANGE on
 * overflow.
 */
#ifndef SWAPFAIL_TOOLS_LINUX_KSTRTOX_H
#define SWAPFAIL_TOOLS_LINUX_KSTRTOX_H

#include <errno.h>
#include <limits.h>

static inline int kstrtoull(const char *s, unsigned int base,
			    unsigned long long *res)
{
	unsigned long long v = 0;
	const char *p;
	unsigned int d;

	if (*s == '+')
		s++;
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			d = (*p | 0x20) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (p == s || (*p && !(*p == '\n' && !p[1])))
		return -EINVAL;
	*res = v;
	return 0;
}

static inline int kstrtou64(const char *s, unsigned int base,
			    unsigned long long *res)
{
	return kstrtoull(s, base, res);
}

static inline int kstrtouint(const char *s, unsigned int base,
			     unsigned int *res)
{
	unsigned long long v;
	int r = kstrtoull(s, base, &v);

	if (r)
		return r;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

#define kstrtou32	kstrtouint

static inline int kstrtou8(const char *s, unsigned int base, unsigned char *res)
{
	unsigned long long v;
	int r = kstrtoull(s, base, &v);

	if (r)
		return r;
	if (v > 255)
		return -ERANGE;
	*res = v;
	return 0;
}

#endif /* SWAPFAIL_TOOLS_LINUX_KSTRTOX_H */
