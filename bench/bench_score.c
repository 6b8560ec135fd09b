/*
 * Benchmark of nerq_score against its floor, measured in the same run.
 *
 * floor       = json_loads + json_dumps(JSON_COMPACT) of the same signals text (what any JSON-in,
 *               JSON-out call must pay at least)
 * score_str   = nerq_score_str on that text (parse, score, write the report)
 * score_json  = nerq_score on an already-parsed json_t (convert, score, build the json_t report)
 *
 * Rounds alternate between the three so that a noisy neighbour hits all of them alike; the median
 * round is reported. Usage: bench_score SIGNALS.json [iterations-per-round] [rounds]
 */
#define _POSIX_C_SOURCE 200809L
#include <nerq.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf) buf[n] = 0;
    fclose(f);
    return buf;
}


int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s SIGNALS.json [iterations] [rounds]\n", argv[0]);
        return 2;
    }
    int iters = argc > 2 ? atoi(argv[2]) : 2000;
    int rounds = argc > 3 ? atoi(argv[3]) : 9;
    char *text = read_file(argv[1]);
    if (!text) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    nerq_engine *engine = nerq_engine_new_str(NULL, NULL);
    json_error_t err;
    json_t *parsed = json_loads(text, 0, &err);
    char *check = nerq_score_str(engine, text);
    if (!parsed || !check || strstr(check, "\"error\"") == check + 1) {
        fprintf(stderr, "bad input: %s\n", check ? check : err.text);
        return 2;
    }
    size_t report_bytes = strlen(check);
    nerq_free(check);

    double *floor_ns = calloc((size_t)rounds, sizeof(double));
    double *str_ns = calloc((size_t)rounds, sizeof(double));
    double *json_ns = calloc((size_t)rounds, sizeof(double));
    for (int r = 0; r < rounds; r++) {
        floor_ns[r] = floor_round(text, iters);
        double t1 = now_ns();
        for (int i = 0; i < iters; i++) {
            char *out = nerq_score_str(engine, text);
            sink += strlen(out);
            nerq_free(out);
        }
        double t2 = now_ns();
        for (int i = 0; i < iters; i++) {
            json_t *rep = nerq_score(engine, parsed);
            sink += json_object_size(rep);
            json_decref(rep);
        }
        double t3 = now_ns();
        str_ns[r] = (t2 - t1) / iters;
        json_ns[r] = (t3 - t2) / iters;
    }
    qsort(floor_ns, (size_t)rounds, sizeof(double), cmp_double);
    qsort(str_ns, (size_t)rounds, sizeof(double), cmp_double);
    qsort(json_ns, (size_t)rounds, sizeof(double), cmp_double);
    double f = floor_ns[rounds / 2], s = str_ns[rounds / 2], j = json_ns[rounds / 2];
    printf("bench_score: %s (%zu bytes in, %zu bytes of report out), %d rounds x %d calls, median round\n", argv[1],
           strlen(text), report_bytes, rounds, iters);
    printf("  floor  json_loads+json_dumps of the request : %8.2f us/call\n", f / 1000);
    printf("  nerq_score_str (text in, report text out)   : %8.2f us/call   ratio %.2fx floor (target <= 1.5x)\n",
           s / 1000, s / f);
    printf("  nerq_score (parsed json_t in, json_t out)   : %8.2f us/call   ratio %.2fx floor\n", j / 1000, j / f);
    json_decref(parsed);
    nerq_engine_free(engine);
    free(text);
    free(floor_ns);
    free(str_ns);
    free(json_ns);
    return 0;
}
