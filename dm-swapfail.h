/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-swapfail's public definitions: what its table line, messages, status
 * and trace events speak of, shared by the target, its core
 * (swapfail-core.h) and the tools.
 *
 * Units: the table and every message count in blocks of the device's
 * block size, numbered from the start of the target.
 */
#ifndef DM_SWAPFAIL_H
#define DM_SWAPFAIL_H

#include <linux/types.h>

#define SWAPFAIL_VERSION_MAJOR	2
#define SWAPFAIL_VERSION_MINOR	1
#define SWAPFAIL_VERSION_PATCH	0

#define SWAPFAIL_MIN_BLOCK_SIZE	512U
#define SWAPFAIL_MAX_BLOCK_SIZE	(1024U * 1024 * 1024)
/* One table may not hold more extents than this. */
#define SWAPFAIL_MAX_EXTENTS	(16U * 1024 * 1024)
/* dm-dust's limit for a block's write-fail count. */
#define SWAPFAIL_MAX_WR_FAIL	255U
/* The largest answer device-mapper can return (DM_MAX_TARGETS * 1024). */
#define SWAPFAIL_MAX_ANSWER	(1024ULL * 1024 * 1024)

enum swapfail_dir {
	SWAPFAIL_DIR_READ,
	SWAPFAIL_DIR_WRITE,
	SWAPFAIL_NR_DIRS
};

/* Which directions an extent fails: bit (1 << SWAPFAIL_DIR_*). */
enum swapfail_mode {
	SWAPFAIL_MODE_READ = 1,		/* dm-dust semantics: writes heal */
	SWAPFAIL_MODE_WRITE = 2,	/* writes fail, reads pass */
	SWAPFAIL_MODE_RW = 3,		/* both fail, never healed */
};

/* Error an injected failure completes with; names are the errno names. */
enum swapfail_error {
	SWAPFAIL_ERR_DEFAULT,		/* extent: use the device's default */
	SWAPFAIL_ERR_EIO,		/* BLK_STS_IOERR */
	SWAPFAIL_ERR_ENODATA,		/* BLK_STS_MEDIUM */
	SWAPFAIL_ERR_ENOLINK,		/* BLK_STS_TRANSPORT */
	SWAPFAIL_ERR_ETIMEDOUT,		/* BLK_STS_TIMEOUT */
	SWAPFAIL_ERR_ENOSPC,		/* BLK_STS_NOSPC */
	SWAPFAIL_ERR_EILSEQ,		/* BLK_STS_PROTECTION */
	SWAPFAIL_ERR_EREMOTEIO,		/* BLK_STS_TARGET */
	SWAPFAIL_NR_ERRORS
};

/* Bytes one corruption may change (and its trace event shows). */
#define SWAPFAIL_MAX_CORRUPT	64U

/* What a fault does to the I/O it hits. */
enum swapfail_action {
	SWAPFAIL_ACT_ERROR,		/* completes with an error (the default) */
	SWAPFAIL_ACT_DELAY,		/* goes on normally, later */
	SWAPFAIL_ACT_HOLD,		/* waits until released */
	SWAPFAIL_ACT_DROP,		/* a write completes, writing nothing */
	SWAPFAIL_ACT_CORRUPT,		/* its data changes on the way */
	SWAPFAIL_NR_ACTIONS
};

/* What made a fault: an extent of the table, or a trigger. */
enum swapfail_trigger {
	SWAPFAIL_BY_EXTENT,
	SWAPFAIL_BY_NTH,
	SWAPFAIL_BY_PROBABILITY,
	SWAPFAIL_BY_RELEASE,		/* a held I/O failed by release fail */
};

/* Which I/O an extent or a trigger applies to. */
enum swapfail_match {
	SWAPFAIL_MATCH_ALL,
	SWAPFAIL_MATCH_SWAP,		/* writes: only swap-outs (REQ_SWAP) */
};

/* How data is corrupted. */
enum swapfail_corrupt {
	SWAPFAIL_CORRUPT_XOR,		/* bytes XORed with one mask */
	SWAPFAIL_CORRUPT_RANDOM,	/* bytes replaced by seeded random ones */
};

/* Counters, in the order status and the stats message print them. */
enum swapfail_counter {
	SWAPFAIL_READS,			/* + dir: I/Os seen */
	SWAPFAIL_WRITES,
	SWAPFAIL_READ_ERRORS,		/* + dir: I/Os failed */
	SWAPFAIL_WRITE_ERRORS,
	SWAPFAIL_HEALED,		/* blocks healed by writes */
	SWAPFAIL_DEFERRED,		/* writes that waited for nodes to heal */
	SWAPFAIL_DELAYED,		/* I/Os delayed */
	SWAPFAIL_HELD,			/* I/Os held */
	SWAPFAIL_DROPPED,		/* writes dropped */
	SWAPFAIL_CORRUPTED,		/* I/Os whose data was corrupted */
	SWAPFAIL_NR_COUNTERS
};

#endif /* DM_SWAPFAIL_H */
