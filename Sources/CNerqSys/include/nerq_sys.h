/* System calls Swift's Glibc module does not declare. Not named nerq_*: only the C API is exported
 * (exports.map keeps every other symbol local). */
#ifndef NERQ_SYS_H
#define NERQ_SYS_H

#include <stddef.h>

/* getdents64(2): reads directory entries (struct linux_dirent64 records) from the open directory
 * fd into buf. Returns the number of bytes read, 0 at the end, -1 with errno on error. Unlike
 * fdopendir/readdir it costs no fstat/fcntl calls per directory. */
long cnerqsys_getdents64(int fd, void *buf, size_t size);

/* renameat2(2) with RENAME_EXCHANGE: swaps two paths atomically (a fetched directory tree
 * replaces the old one in one step, so a reader sees the old tree or the new one, never neither).
 * Returns 0, or -1 with errno (EINVAL where the file system cannot exchange). */
int cnerqsys_exchange(const char *a, const char *b);

/* syncfs(2): flushes the file system holding fd (one call for a whole extracted tree instead of an
 * fsync per file). */
int cnerqsys_syncfs(int fd);

/* pipe2(2) with O_CLOEXEC (Swift's Glibc module does not declare pipe2). */
int cnerqsys_pipe_cloexec(int fds[2]);

/* NERQ_VERSION and NERQ_ABI_VERSION of include/nerq_version.h: the library reports the version its
 * header declares (one place for the number). */
const char *cnerqsys_version(void);
int cnerqsys_abi_version(void);

#endif
