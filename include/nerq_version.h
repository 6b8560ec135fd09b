/*
 * nerq_version.h — the version of nerq, in one place. nerq.h includes it; the Swift library, the
 * Python package and cargo nerq read it from here (or from nerq_version() at run time).
 */
#ifndef NERQ_VERSION_H
#define NERQ_VERSION_H

#define NERQ_VERSION_MAJOR 0
#define NERQ_VERSION_MINOR 2
#define NERQ_VERSION_PATCH 0
/* "MAJOR.MINOR.PATCH" of the three numbers above. */
#define NERQ_VERSION "0.2.0"
/* One number that compares in order: MAJOR * 10000 + MINOR * 100 + PATCH (as ZSTD_VERSION_NUMBER). */
#define NERQ_VERSION_NUMBER (NERQ_VERSION_MAJOR * 10000 + NERQ_VERSION_MINOR * 100 + NERQ_VERSION_PATCH)
/* Bumped only when an exported signature or a document's meaning changes incompatibly. */
#define NERQ_ABI_VERSION 1

#endif /* NERQ_VERSION_H */
