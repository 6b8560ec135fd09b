#define _GNU_SOURCE
#include "nerq_sys.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nerq_version.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

long cnerqsys_getdents64(int fd, void *buf, size_t size) {
    return syscall(SYS_getdents64, fd, buf, size);
}

int cnerqsys_exchange(const char *a, const char *b) {
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

int cnerqsys_syncfs(int fd) {
    return syncfs(fd);
}

int cnerqsys_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

const char *cnerqsys_version(void) { return NERQ_VERSION; }

int cnerqsys_abi_version(void) { return NERQ_ABI_VERSION; }
