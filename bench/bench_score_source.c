/*
 * nerq_score of a crate whose source is on disk, with an engine: the first call scans the source,
 * every later call must reuse that scan (the engine keeps it while the crate's files are
 * unchanged; it still checks their sizes and times on every call).
 *
 * floor      = json_loads + json_dumps(JSON_COMPACT) of the report the call returns (what any
 *              JSON-in, JSON-out call that hands back this report pays at least)
 * score_str  = nerq_score_str(engine, {"package": {"name": NAME, "version": VERSION}})
 * null_str   = nerq_score_str(NULL, same request): no engine, so no file is read at all (the report
 *              has no source group), against the floor of its own (smaller) report
 *
 * A new process per run is not needed: the point is the second call onward. Rounds alternate
 * between the measurements; the median round is reported.
 * Usage: bench_score_source NAME VERSION [iterations-per-round] [rounds]
 */
#define _POSIX_C_SOURCE 200809L
#include <nerq.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"


static double score_round(nerq_engine *engine, const char *request, int iters) {
    double t0 = now_ns();
    for (int i = 0; i < iters; i++) {
        char *out = nerq_score_str(engine, request);
        sink += strlen(out);
        nerq_free(out);
    }
    return (now_ns() - t0) / iters;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s NAME VERSION [iterations] [rounds]\n", argv[0]);
        return 2;
    }
    int iters = argc > 3 ? atoi(argv[3]) : 300;
    int rounds = argc > 4 ? atoi(argv[4]) : 9;
    char request[512];
    snprintf(request, sizeof request, "{\"package\":{\"name\":\"%s\",\"version\":\"%s\"},\"now\":\"2026-11-21T00:00:00Z\"}",
             argv[1], argv[2]);
    char *error = NULL;
    nerq_engine *engine = nerq_engine_new_str("{\"now\":\"2026-11-21T00:00:00Z\"}", &error);
    if (!engine) {
        fprintf(stderr, "engine: %s\n", error ? error : "out of memory");
        return 2;
    }
    double t0 = now_ns();
    char *report = nerq_score_str(engine, request);
    double first = now_ns() - t0;
    if (!report || !strstr(report, "\"source\":{")) {
        fprintf(stderr, "%s@%s: no source scanned (is its source on this machine?): %.200s\n", argv[1], argv[2], report ? report : "");
        return 2;
    }
    char *bare = nerq_score_str(NULL, request);
    if (!bare || strstr(bare, "\"source\":{")) {
        fprintf(stderr, "the NULL engine read the crate's source\n");
        return 1;
    }

    double *f = calloc((size_t)rounds, sizeof(double)), *s = calloc((size_t)rounds, sizeof(double));
    double *fb = calloc((size_t)rounds, sizeof(double)), *sb = calloc((size_t)rounds, sizeof(double));
    for (int r = 0; r < rounds; r++) {
        f[r] = floor_round(report, iters);
        s[r] = score_round(engine, request, iters);
        fb[r] = floor_round(bare, iters);
        sb[r] = score_round(NULL, request, iters);
    }
    double mf = median(f, rounds), ms = median(s, rounds), mfb = median(fb, rounds), msb = median(sb, rounds);
    printf("bench_score_source %s@%s (%d calls x %d rounds, medians; one process, the scan cached after the first call)\n",
           argv[1], argv[2], iters, rounds);
    printf("  first call (scans the source)            : %10.0f us\n", first / 1000);
    printf("  report: %zu bytes\n", strlen(report));
    printf("  floor  json_loads+json_dumps of the report: %10.1f us\n", mf / 1000);
    printf("  nerq_score_str, engine, 2nd call onward   : %10.1f us   ratio %.2fx floor (target <= 1.5x)\n", ms / 1000, ms / mf);
    printf("  NULL engine report: %zu bytes (no source group: no file read)\n", strlen(bare));
    printf("  floor of that report                      : %10.1f us\n", mfb / 1000);
    printf("  nerq_score_str, NULL engine               : %10.1f us   ratio %.2fx floor\n", msb / 1000, msb / mfb);
    nerq_free(report);
    nerq_free(bare);
    nerq_engine_free(engine);
    free(f);
    free(s);
    free(fb);
    free(sb);
    return 0;
}
