/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for the few atomic_t operations the core uses. */
#ifndef SWAPFAIL_TOOLS_LINUX_ATOMIC_H
#define SWAPFAIL_TOOLS_LINUX_ATOMIC_H

typedef struct {
	int counter;
} atomic_t;

static inline int atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

/* Decrements @v unless that makes it negative; returns the new value. */
static inline int atomic_dec_if_positive(atomic_t *v)
{
	int old = atomic_read(v);

	while (old > 0 &&
	       !__atomic_compare_exchange_n(&v->counter, &old, old - 1, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old - 1;
}

typedef struct {
	long long counter;
} atomic64_t;

static inline long long atomic64_read(const atomic64_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic64_set(atomic64_t *v, long long i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline long long atomic64_dec_if_positive(atomic64_t *v)
{
	long long old = atomic64_read(v);

	while (old > 0 &&
	       !__atomic_compare_exchange_n(&v->counter, &old, old - 1, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old - 1;
}

static inline long long atomic64_inc_return(atomic64_t *v)
{
	return __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST);
}

#endif /* SWAPFAIL_TOOLS_LINUX_ATOMIC_H */
