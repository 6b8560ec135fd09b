#define _GNU_SOURCE
#include "nerq_sys.h"

#include <sys/syscall.h>
#include <unistd.h>

long cnerqsys_getdents64(int fd, void *buf, size_t size) {
    return syscall(SYS_getdents64, fd, buf, size);
}
