#define _GNU_SOURCE
#include "nerq_sys.h"

#include <sys/syscall.h>
#include <unistd.h>

#include "nerq_version.h"

long cnerqsys_getdents64(int fd, void *buf, size_t size) {
    return syscall(SYS_getdents64, fd, buf, size);
}

const char *cnerqsys_version(void) { return NERQ_VERSION; }

int cnerqsys_abi_version(void) { return NERQ_ABI_VERSION; }
