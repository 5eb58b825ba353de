/*
 * LD_PRELOAD shim for profiling mmetl under valgrind 3.19 (Debian 12), used by the bench's callgrind phase (scripts/bench/phases/callgrind.py).
 *
 * libdispatch's main thread parks in sigsuspend() with a pointer to a const sigset_t in its
 * read-only data; valgrind 3.19 sanitizes that mask in place and dies with SIGSEGV ("the
 * 'impossible' happened", syscall 130). Passing a writable copy avoids it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>

int sigsuspend(const sigset_t *mask) {
    static int (*real)(const sigset_t *);
    if (!real) {
        real = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
    }
    sigset_t copy = *mask;
    return real(&copy);
}
