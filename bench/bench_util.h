/* What the C benchmarks share: a monotonic clock and the median of a round's timings. */
#ifndef NERQ_BENCH_UTIL_H
#define NERQ_BENCH_UTIL_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Keeps the compiler from dropping the work being timed. */
static volatile size_t sink;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v in place and returns its middle element. */
static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return v[n / 2];
}

/* The floor any JSON-in, JSON-out call pays: json_loads + json_dumps(JSON_COMPACT) of `text`,
 * `iters` times; ns per iteration. */
static double floor_round(const char *text, int iters) {
    json_error_t err;
    double t0 = now_ns();
    for (int i = 0; i < iters; i++) {
        json_t *doc = json_loads(text, 0, &err);
        char *out = json_dumps(doc, JSON_COMPACT);
        sink += strlen(out);
        free(out);
        json_decref(doc);
    }
    return (now_ns() - t0) / iters;
}

#endif
