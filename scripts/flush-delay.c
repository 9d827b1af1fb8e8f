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
 * Every call is counted.  At exit, if FLUSH_DELAY_COUNT_FILE is set, one
 * line is appended to that file:
 *
 *   fdatasync N fsync N syncfs N sync_file_range N
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
#include <time.h>
#include <unistd.h>

enum {
    FD_FDATASYNC,
    FD_FSYNC,
    FD_SYNCFS,
    FD_SYNC_FILE_RANGE,
    FD_NR,
};

static const char *const fd_names[FD_NR] = {
    [FD_FDATASYNC] = "fdatasync",
    [FD_FSYNC] = "fsync",
    [FD_SYNCFS] = "syncfs",
    [FD_SYNC_FILE_RANGE] = "sync_file_range",
};

static uint64_t fd_counts[FD_NR];
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

static void __attribute__((constructor)) flush_delay_init(void)
{
    const char *env = getenv("FLUSH_DELAY_US");
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
}

static void __attribute__((destructor)) flush_delay_fini(void)
{
    const char *path = getenv("FLUSH_DELAY_COUNT_FILE");
    char line[160];
    int fd, len, i, saved_errno = errno;

    if (!path || !*path) {
        return;
    }
    len = 0;
    for (i = 0; i < FD_NR; i++) {
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
