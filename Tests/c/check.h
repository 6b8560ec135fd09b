/* The C tests' check: counts passes and failures; a failure prints file:line, the condition and a
 * printf-style message. Each test prints its counts and exits non-zero when anything failed. */
#ifndef NERQ_TEST_CHECK_H
#define NERQ_TEST_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...)                                                                            \
    do {                                                                                            \
        if (cond) {                                                                                 \
            passed++;                                                                               \
        } else {                                                                                    \
            failed++;                                                                               \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                        \
            fprintf(stderr, __VA_ARGS__);                                                           \
            fputc('\n', stderr);                                                                    \
        }                                                                                           \
    } while (0)

#endif
