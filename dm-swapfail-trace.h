/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-swapfail's tracepoints: one event for every fault it injects (a delay
 * or a hold, then an error, a drop or a corruption: one event each), and
 * one for every corruption with the bytes it changed, so that a test,
 * bpftrace or perf can check exactly what a process was given.  Under
 * /sys/kernel/tracing/events/dm_swapfail/.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dm_swapfail

#if !defined(DM_SWAPFAIL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define DM_SWAPFAIL_TRACE_H

#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "dm-swapfail.h"

/*
 * The enums' values, not their names, in the events' format files: perf,
 * trace-cmd and libtraceevent decode the symbols from there.
 */
TRACE_DEFINE_ENUM(SWAPFAIL_ACT_ERROR);
TRACE_DEFINE_ENUM(SWAPFAIL_ACT_DELAY);
TRACE_DEFINE_ENUM(SWAPFAIL_ACT_HOLD);
TRACE_DEFINE_ENUM(SWAPFAIL_ACT_DROP);
TRACE_DEFINE_ENUM(SWAPFAIL_ACT_CORRUPT);
TRACE_DEFINE_ENUM(SWAPFAIL_ERR_DEFAULT);
TRACE_DEFINE_ENUM(SWAPFAIL_ERR_EIO);
TRACE_DEFINE_ENUM(SWAPFAIL_ERR_ENODATA);
TRACE_DEFINE_ENUM(SWAPFAIL_ERR_ENOLINK);
TRACE_DEFINE_ENUM(SWAPFAIL_ERR_ETIMEDOUT);
TRACE_DEFINE_ENUM(SWAPFAIL_ERR_ENOSPC);
TRACE_DEFINE_ENUM(SWAPFAIL_ERR_EILSEQ);
TRACE_DEFINE_ENUM(SWAPFAIL_ERR_EREMOTEIO);
TRACE_DEFINE_ENUM(SWAPFAIL_BY_EXTENT);
TRACE_DEFINE_ENUM(SWAPFAIL_BY_NTH);
TRACE_DEFINE_ENUM(SWAPFAIL_BY_PROBABILITY);
TRACE_DEFINE_ENUM(SWAPFAIL_BY_RELEASE);

TRACE_EVENT(swapfail_fault,
	TP_PROTO(dev_t dev, sector_t sector, unsigned int sectors,
		 unsigned int dir, unsigned int action, unsigned int error,
		 unsigned int by, u64 fault, u64 delay_ns),
	TP_ARGS(dev, sector, sectors, dir, action, error, by, fault, delay_ns),
	TP_STRUCT__entry(
		__field(dev_t, dev)
		__field(sector_t, sector)
		__field(unsigned int, sectors)
		__field(unsigned int, dir)
		__field(unsigned int, action)
		__field(unsigned int, error)
		__field(unsigned int, by)
		__field(u64, fault)
		__field(u64, delay_ns)
		/*
		 * The recording task's name in the record itself (the sender,
		 * or the worker that sends a delayed or held I/O on): a
		 * short-lived sender is gone from /proc when a reader gets to
		 * the event, and the kernel keeps too few saved names to be
		 * sure of it.
		 */
		__array(char, comm, TASK_COMM_LEN)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->sector = sector;
		__entry->sectors = sectors;
		__entry->dir = dir;
		__entry->action = action;
		__entry->error = error;
		__entry->by = by;
		__entry->fault = fault;
		__entry->delay_ns = delay_ns;
		memcpy(__entry->comm, current->comm, TASK_COMM_LEN);
	),
	TP_printk("%d:%d sector=%llu sectors=%u %s action=%s error=%s by=%s fault=%llu delay_ns=%llu comm=%s",
		  MAJOR(__entry->dev), MINOR(__entry->dev),
		  (unsigned long long)__entry->sector, __entry->sectors,
		  __entry->dir ? "write" : "read",
		  __print_symbolic(__entry->action,
				   { SWAPFAIL_ACT_ERROR, "error" },
				   { SWAPFAIL_ACT_DELAY, "delay" },
				   { SWAPFAIL_ACT_HOLD, "hold" },
				   { SWAPFAIL_ACT_DROP, "drop" },
				   { SWAPFAIL_ACT_CORRUPT, "corrupt" }),
		  __print_symbolic(__entry->error,
				   { SWAPFAIL_ERR_DEFAULT, "-" },
				   { SWAPFAIL_ERR_EIO, "EIO" },
				   { SWAPFAIL_ERR_ENODATA, "ENODATA" },
				   { SWAPFAIL_ERR_ENOLINK, "ENOLINK" },
				   { SWAPFAIL_ERR_ETIMEDOUT, "ETIMEDOUT" },
				   { SWAPFAIL_ERR_ENOSPC, "ENOSPC" },
				   { SWAPFAIL_ERR_EILSEQ, "EILSEQ" },
				   { SWAPFAIL_ERR_EREMOTEIO, "EREMOTEIO" }),
		  __print_symbolic(__entry->by,
				   { SWAPFAIL_BY_EXTENT, "extent" },
				   { SWAPFAIL_BY_NTH, "every_nth" },
				   { SWAPFAIL_BY_PROBABILITY, "probability" },
				   { SWAPFAIL_BY_RELEASE, "release" }),
		  (unsigned long long)__entry->fault,
		  (unsigned long long)__entry->delay_ns, __entry->comm)
);

TRACE_EVENT(swapfail_corrupt,
	TP_PROTO(dev_t dev, sector_t sector, unsigned int dir, u32 offset,
		 u32 bytes, const u8 *before, const u8 *after, u64 fault),
	TP_ARGS(dev, sector, dir, offset, bytes, before, after, fault),
	TP_STRUCT__entry(
		__field(dev_t, dev)
		__field(sector_t, sector)
		__field(unsigned int, dir)
		__field(u32, offset)
		__field(u32, bytes)
		__array(u8, before, SWAPFAIL_MAX_CORRUPT)
		__array(u8, after, SWAPFAIL_MAX_CORRUPT)
		__field(u64, fault)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->sector = sector;
		__entry->dir = dir;
		__entry->offset = offset;
		__entry->bytes = bytes;
		memcpy(__entry->before, before, bytes);
		memcpy(__entry->after, after, bytes);
		__entry->fault = fault;
	),
	TP_printk("%d:%d sector=%llu %s offset=%u bytes=%u before=%s after=%s fault=%llu",
		  MAJOR(__entry->dev), MINOR(__entry->dev),
		  (unsigned long long)__entry->sector,
		  __entry->dir ? "write" : "read", __entry->offset,
		  __entry->bytes,
		  __print_hex_str(__entry->before, __entry->bytes),
		  __print_hex_str(__entry->after, __entry->bytes),
		  (unsigned long long)__entry->fault)
);

#endif /* DM_SWAPFAIL_TRACE_H */

/* The module is built out of tree: the trace header is found beside it. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dm-swapfail-trace
#include <trace/define_trace.h>
