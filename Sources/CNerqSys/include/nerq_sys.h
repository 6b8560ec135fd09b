/* System calls Swift's Glibc module does not declare. Not named nerq_*: only the C API is exported
 * (exports.map keeps every other symbol local). */
#ifndef NERQ_SYS_H
#define NERQ_SYS_H

#include <stddef.h>

/* getdents64(2): reads directory entries (struct linux_dirent64 records) from the open directory
 * fd into buf. Returns the number of bytes read, 0 at the end, -1 with errno on error. Unlike
 * fdopendir/readdir it costs no fstat/fcntl calls per directory. */
long cnerqsys_getdents64(int fd, void *buf, size_t size);

/* NERQ_VERSION and NERQ_ABI_VERSION of include/nerq_version.h: the library reports the version its
 * header declares (one place for the number). */
const char *cnerqsys_version(void);
int cnerqsys_abi_version(void);

#endif
