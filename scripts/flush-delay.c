/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * flush-delay: make flushes cost time, for benchmarks (LD_PRELOAD)
 *
 * The scratch disks of the benchmark machines acknowledge a flush at once,
 * so a write path that adds flushes looks free there.  Preloaded into a
 * program, this library wraps fdatasync(), fsync(), syncfs() and
 * sync_file_range(): each calls the real function, then sleeps
 * FLUSH_DELAY_US microseconds (default 0), as a disk with a volatile
 * write cache would take to empty it.  sync_file_range() only sleeps when
 * it waits for the writeback (SYNC_FILE_RANGE_WAIT_AFTER); starting
 * writeback costs nothing on such a disk either.
 *
 * QEMU's file-posix driver flushes with fdatasync() in a thread-pool
 * worker, so the sleep delays that flush request, not the whole process.
 *
 * Every call is counted, and so are the calls of pwrite(), pwritev() and
 * pwritev2() (and their *64 names: file-posix writes with them) and the
 * bytes they wrote.  At exit, if FLUSH_DELAY_COUNT_FILE is set, one line is
 * appended to that file:
 *
 *   fdatasync N fsync N syncfs N sync_file_range N pwrite N pwrite_bytes N
 *
 * To read the counts while the program runs, set FLUSH_DELAY_COUNT_MAP to
 * a path: the library creates that file and keeps the six counts there as
 * little-endian uint64_t, in that order, in a shared mapping.
 *
 * Build and use:
 *
 *   gcc -shared -fPIC -O2 -o flush-delay.so flush-delay.c -ldl
 *   FLUSH_DELAY_US=1000 FLUSH_DELAY_COUNT_FILE=counts \
 *       LD_PRELOAD=./flush-delay.so qemu-img bench -w ... --flush-interval 8
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum {
    FD_FDATASYNC,
    FD_FSYNC,
    FD_SYNCFS,
    FD_SYNC_FILE_RANGE,
    FD_NR,
    /* Counted, not delayed; no wrapper of that name */
    FD_PWRITE = FD_NR,
    FD_PWRITE_BYTES,
    FD_NR_COUNTS,
};

static const char *const fd_names[FD_NR_COUNTS] = {
    [FD_FDATASYNC] = "fdatasync",
    [FD_FSYNC] = "fsync",
    [FD_SYNCFS] = "syncfs",
    [FD_SYNC_FILE_RANGE] = "sync_file_range",
    [FD_PWRITE] = "pwrite",
    [FD_PWRITE_BYTES] = "pwrite_bytes",
};

/* In a shared mapping of FLUSH_DELAY_COUNT_MAP once the constructor ran */
static uint64_t fd_counts_local[FD_NR_COUNTS];
static uint64_t *fd_counts = fd_counts_local;
static void *fd_real[FD_NR];
static struct timespec fd_delay;

/* The real function; resolved at load, or at first use if called earlier */
static void *real_fn(int which)
{
    void *fn = __atomic_load_n(&fd_real[which], __ATOMIC_ACQUIRE);

    if (!fn) {
        fn = dlsym(RTLD_NEXT, fd_names[which]);
        if (!fn) {
            fprintf(stderr, "flush-delay: no %s: %s\n", fd_names[which],
                    dlerror());
            abort();
        }
        __atomic_store_n(&fd_real[which], fn, __ATOMIC_RELEASE);
    }
    return fn;
}

/* Count the call and sleep; errno stays what the real function left */
static void after_flush(int which, int delay)
{
    int saved_errno = errno;
    struct timespec left = fd_delay;

    __atomic_fetch_add(&fd_counts[which], 1, __ATOMIC_RELAXED);
    if (delay && (left.tv_sec || left.tv_nsec)) {
        while (nanosleep(&left, &left) < 0 && errno == EINTR) {
            /* go on sleeping what is left */
        }
    }
    errno = saved_errno;
}

int fdatasync(int fd)
{
    int (*fn)(int) = real_fn(FD_FDATASYNC);
    int ret = fn(fd);

    after_flush(FD_FDATASYNC, 1);
    return ret;
}

int fsync(int fd)
{
    int (*fn)(int) = real_fn(FD_FSYNC);
    int ret = fn(fd);

    after_flush(FD_FSYNC, 1);
    return ret;
}

int syncfs(int fd)
{
    int (*fn)(int) = real_fn(FD_SYNCFS);
    int ret = fn(fd);

    after_flush(FD_SYNCFS, 1);
    return ret;
}

int sync_file_range(int fd, off_t offset, off_t nbytes, unsigned int flags)
{
    int (*fn)(int, off_t, off_t, unsigned int) =
        real_fn(FD_SYNC_FILE_RANGE);
    int ret = fn(fd, offset, nbytes, flags);

    after_flush(FD_SYNC_FILE_RANGE,
                !!(flags & SYNC_FILE_RANGE_WAIT_AFTER));
    return ret;
}

/* The pwrite family: call the real one, count the call and its bytes */
static void *real_next(const char *name)
{
    void *fn = dlsym(RTLD_NEXT, name);

    if (!fn) {
        fprintf(stderr, "flush-delay: no %s: %s\n", name, dlerror());
        abort();
    }
    return fn;
}

static ssize_t count_write(ssize_t ret)
{
    __atomic_fetch_add(&fd_counts[FD_PWRITE], 1, __ATOMIC_RELAXED);
    if (ret > 0) {
        __atomic_fetch_add(&fd_counts[FD_PWRITE_BYTES], ret,
                           __ATOMIC_RELAXED);
    }
    return ret;
}

#define WRAP_PWRITE(name, params, args)                                  \
    ssize_t name params                                                  \
    {                                                                    \
        static ssize_t (*fn) params;                                     \
        if (!fn) {                                                       \
            fn = real_next(#name);                                       \
        }                                                                \
        return count_write(fn args);                                     \
    }

WRAP_PWRITE(pwrite, (int fd, const void *buf, size_t n, off_t o),
            (fd, buf, n, o))
WRAP_PWRITE(pwrite64, (int fd, const void *buf, size_t n, off64_t o),
            (fd, buf, n, o))
WRAP_PWRITE(pwritev, (int fd, const struct iovec *iov, int cnt, off_t o),
            (fd, iov, cnt, o))
WRAP_PWRITE(pwritev64, (int fd, const struct iovec *iov, int cnt, off64_t o),
            (fd, iov, cnt, o))
WRAP_PWRITE(pwritev2, (int fd, const struct iovec *iov, int cnt, off_t o,
                       int flags), (fd, iov, cnt, o, flags))
WRAP_PWRITE(pwritev64v2, (int fd, const struct iovec *iov, int cnt,
                          off64_t o, int flags), (fd, iov, cnt, o, flags))

/* Move the counts into a shared mapping of @path, for readers outside */
static void map_counts(const char *path)
{
    size_t len = sizeof(fd_counts_local);
    uint64_t *map;
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0 || ftruncate(fd, len) < 0) {
        fprintf(stderr, "flush-delay: cannot create %s: %s\n", path,
                strerror(errno));
        abort();
    }
    map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        fprintf(stderr, "flush-delay: cannot map %s: %s\n", path,
                strerror(errno));
        abort();
    }
    close(fd);
    memcpy(map, fd_counts_local, len);
    __atomic_store_n(&fd_counts, map, __ATOMIC_RELEASE);
}

static void __attribute__((constructor)) flush_delay_init(void)
{
    const char *env = getenv("FLUSH_DELAY_US");
    const char *map = getenv("FLUSH_DELAY_COUNT_MAP");
    int i;

    if (env && *env) {
        char *end;
        unsigned long long us;

        errno = 0;
        us = strtoull(env, &end, 10);
        if (errno || *end || env[0] == '-') {
            fprintf(stderr, "flush-delay: bad FLUSH_DELAY_US '%s'\n", env);
            abort();
        }
        fd_delay.tv_sec = us / 1000000;
        fd_delay.tv_nsec = (us % 1000000) * 1000;
    }
    for (i = 0; i < FD_NR; i++) {
        real_fn(i);
    }
    if (map && *map) {
        map_counts(map);
    }
}

static void __attribute__((destructor)) flush_delay_fini(void)
{
    const char *path = getenv("FLUSH_DELAY_COUNT_FILE");
    char line[256];
    int fd, len, i, saved_errno = errno;

    if (!path || !*path) {
        return;
    }
    len = 0;
    for (i = 0; i < FD_NR_COUNTS; i++) {
        len += snprintf(line + len, sizeof(line) - len, "%s%s %" PRIu64,
                        i ? " " : "", fd_names[i],
                        __atomic_load_n(&fd_counts[i], __ATOMIC_RELAXED));
    }
    len += snprintf(line + len, sizeof(line) - len, "\n");

    /* One write(2) with O_APPEND: lines of concurrent processes stay whole */
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, line, len) != len) {
        fprintf(stderr, "flush-delay: cannot write %s: %s\n", path,
                strerror(errno));
    }
    if (fd >= 0) {
        close(fd);
    }
    errno = saved_errno;
}
