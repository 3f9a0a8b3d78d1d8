// SPDX-License-Identifier: GPL-2.0-only
/*
 * sfio - exact block I/O for tests: ONE pread or pwrite of whole 512-byte sectors,
 * on an O_DIRECT descriptor unless --buffered.
 *
 *   sfio read  DEV SECTOR NR_SECTORS [--expect-pattern P] [--dump OFFSET LEN]
 *              [--buffered]
 *   sfio write DEV SECTOR NR_SECTORS --pattern P [--buffered]
 *   sfio zeroout DEV SECTOR NR_SECTORS     (one BLKZEROOUT ioctl)
 *
 * Sector S (counted from the start of DEV) holds the 32-bit value P + S, repeated.
 * Prints "ok" and exits 0; on an I/O error prints the errno name (EIO, ...,
 * or errno=N) and exits 1; on a data mismatch prints "mismatch at sector S" and
 * exits 2. Usage errors exit 64. Buffered writes are followed by fsync.
 * --dump first prints "dump HEX": LEN bytes read, from byte OFFSET of the read.
 * A write checks that its buffer still holds what it wrote ("buffer changed at
 * byte N", exit 2): what the device stores must never reach the writer's pages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

#define SECTOR_SIZE	512
#define BUF_ALIGN	4096
/* Linux transfers at most this much in one read or write call. */
#define MAX_IO_BYTES	0x7ffff000ULL
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum { EXIT_OK = 0, EXIT_IO_ERROR = 1, EXIT_MISMATCH = 2, EXIT_USAGE = 64 };

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ EIO, "EIO" },
	{ ENODATA, "ENODATA" },
	{ ENOLINK, "ENOLINK" },
	{ ETIMEDOUT, "ETIMEDOUT" },
	{ ENOSPC, "ENOSPC" },
	{ EILSEQ, "EILSEQ" },
	{ EREMOTEIO, "EREMOTEIO" },
};

static int print_usage(void)
{
	fprintf(stderr,
		"usage: sfio read DEV SECTOR NR_SECTORS [--expect-pattern P] [--dump OFF LEN]\n"
		"                 [--buffered]\n"
		"       sfio write DEV SECTOR NR_SECTORS --pattern P [--buffered]\n"
		"       sfio zeroout DEV SECTOR NR_SECTORS\n");
	return EXIT_USAGE;
}

static int report_errno(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++) {
		if (errno_names[i].err == err) {
			printf("%s\n", errno_names[i].name);
			return EXIT_IO_ERROR;
		}
	}
	printf("errno=%d\n", err);
	return EXIT_IO_ERROR;
}

static bool parse_ull(const char *s, unsigned long long max, unsigned long long *val)
{
	char *end;

	errno = 0;
	*val = strtoull(s, &end, 0);
	return s[0] != '-' && *s && !*end && !errno && *val <= max;
}

static void fill_sector(uint32_t *words, uint32_t value)
{
	size_t i;

	for (i = 0; i < SECTOR_SIZE / sizeof(*words); i++)
		words[i] = value;
}

static bool sector_matches(const uint32_t *words, uint32_t value)
{
	size_t i;

	for (i = 0; i < SECTOR_SIZE / sizeof(*words); i++)
		if (words[i] != value)
			return false;
	return true;
}

/* "dump HEX": @len bytes of @buf from @off, as far as it reaches. */
static void dump_bytes(const unsigned char *buf, size_t bytes, size_t off, size_t len)
{
	size_t i;

	printf("dump ");
	for (i = off; i < off + len && i < bytes; i++)
		printf("%02x", buf[i]);
	printf("\n");
}

/* The first byte of a written buffer that no longer holds the pattern, or -1. */
static long long buffer_changed(const char *buf, unsigned long long sector,
				unsigned long long nr_sectors, unsigned long long pattern)
{
	const uint32_t *words;
	unsigned long long i;
	size_t w;

	for (i = 0; i < nr_sectors; i++) {
		words = (const uint32_t *)(buf + i * SECTOR_SIZE);
		for (w = 0; w < SECTOR_SIZE / sizeof(*words); w++)
			if (words[w] != (uint32_t)(pattern + sector + i))
				return i * SECTOR_SIZE + w * sizeof(*words);
	}
	return -1;
}

/* Zeroes sectors with one BLKZEROOUT: a write-zeroes bio where supported. */
static int zeroout(int argc, char **argv)
{
	unsigned long long sector, nr_sectors, range[2];
	int fd;

	if (argc != 5 ||
	    !parse_ull(argv[3], ULLONG_MAX / SECTOR_SIZE, &sector) ||
	    !parse_ull(argv[4], ULLONG_MAX / SECTOR_SIZE, &nr_sectors) ||
	    !nr_sectors)
		return print_usage();
	fd = open(argv[2], O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "sfio: open %s: %s\n", argv[2], strerror(errno));
		return report_errno(errno);
	}
	range[0] = sector * SECTOR_SIZE;
	range[1] = nr_sectors * SECTOR_SIZE;
	if (ioctl(fd, BLKZEROOUT, range))
		return report_errno(errno);
	close(fd);
	printf("ok\n");
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	unsigned long long sector, nr_sectors, pattern = 0, i, dump_off = 0, dump_len = 0;
	bool write_mode, buffered = false, have_pattern = false;
	long long changed;
	size_t bytes;
	ssize_t done;
	char *buf;
	int fd, arg;

	if (argc < 5)
		return print_usage();
	if (!strcmp(argv[1], "zeroout"))
		return zeroout(argc, argv);
	if (!strcmp(argv[1], "read"))
		write_mode = false;
	else if (!strcmp(argv[1], "write"))
		write_mode = true;
	else
		return print_usage();
	if (!parse_ull(argv[3], ULLONG_MAX / SECTOR_SIZE, &sector) ||
	    !parse_ull(argv[4], MAX_IO_BYTES / SECTOR_SIZE, &nr_sectors) ||
	    !nr_sectors)
		return print_usage();

	for (arg = 5; arg < argc; arg++) {
		if (!strcmp(argv[arg], "--buffered")) {
			buffered = true;
		} else if (!write_mode && !strcmp(argv[arg], "--dump") && arg + 2 < argc) {
			if (!parse_ull(argv[arg + 1], MAX_IO_BYTES, &dump_off) ||
			    !parse_ull(argv[arg + 2], MAX_IO_BYTES, &dump_len))
				return print_usage();
			arg += 2;
		} else if (!strcmp(argv[arg], write_mode ? "--pattern" : "--expect-pattern") &&
			   arg + 1 < argc) {
			if (!parse_ull(argv[++arg], UINT32_MAX, &pattern))
				return print_usage();
			have_pattern = true;
		} else {
			return print_usage();
		}
	}
	if (write_mode && !have_pattern)
		return print_usage();

	bytes = nr_sectors * SECTOR_SIZE;
	if (posix_memalign((void **)&buf, BUF_ALIGN, bytes)) {
		fprintf(stderr, "sfio: cannot allocate %zu bytes\n", bytes);
		return EXIT_USAGE;
	}

	fd = open(argv[2], (write_mode ? O_WRONLY : O_RDONLY) | (buffered ? 0 : O_DIRECT));
	if (fd < 0) {
		fprintf(stderr, "sfio: open %s: %s\n", argv[2], strerror(errno));
		return report_errno(errno);
	}

	if (write_mode) {
		for (i = 0; i < nr_sectors; i++)
			fill_sector((uint32_t *)(buf + i * SECTOR_SIZE),
				    (uint32_t)(pattern + sector + i));
		done = pwrite(fd, buf, bytes, (off_t)(sector * SECTOR_SIZE));
		if (done >= 0 && buffered && fsync(fd))
			done = -1;
	} else {
		done = pread(fd, buf, bytes, (off_t)(sector * SECTOR_SIZE));
	}
	if (done < 0)
		return report_errno(errno);
	if ((size_t)done != bytes) {
		printf("short %s: %zd of %zu bytes\n", write_mode ? "write" : "read", done, bytes);
		return EXIT_IO_ERROR;
	}

	if (write_mode) {
		changed = buffer_changed(buf, sector, nr_sectors, pattern);
		if (changed >= 0) {
			printf("buffer changed at byte %lld\n", changed);
			return EXIT_MISMATCH;
		}
	}
	if (dump_len)
		dump_bytes((const unsigned char *)buf, bytes, dump_off, dump_len);
	if (!write_mode && have_pattern) {
		for (i = 0; i < nr_sectors; i++) {
			if (!sector_matches((uint32_t *)(buf + i * SECTOR_SIZE),
					    (uint32_t)(pattern + sector + i))) {
				printf("mismatch at sector %llu\n", sector + i);
				return EXIT_MISMATCH;
			}
		}
	}
	close(fd);
	free(buf);
	printf("ok\n");
	return EXIT_OK;
}
