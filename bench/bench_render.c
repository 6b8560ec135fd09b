/*
 * Rendering speed against printing the JSON, on the same document in the same run.
 *
 *   bench_render ADVISORY_DB LOCKFILE [RUNS]
 *
 * Assesses LOCKFILE once (e.g. deno's: 1,128 packages), then times, best of RUNS (default 9):
 *   floor   jansson's json_loads + json_dumps of the assessment text (what "print the JSON" costs)
 *   FORMAT  nerq_render_str(text, {"format": FORMAT}) for human (every package), markdown, sarif,
 *           html and json: parse, read, render, escape, all in one call
 * and prints each with its ratio to the floor. Rendering must stay linear: the ratios are what to
 * watch (the README quotes them).
 */
#define _POSIX_C_SOURCE 200809L
#include <nerq.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ADVISORY_DB LOCKFILE [RUNS]\n", argv[0]);
        return 2;
    }
    int runs = argc > 3 ? atoi(argv[3]) : 9;
    if (runs < 1) runs = 1;
    json_t *config = json_pack("{s:s, s:s}", "advisory_db", argv[1], "now", "2026-11-21T00:00:00Z");
    json_t *error = NULL;
    nerq_engine *engine = nerq_engine_new(config, &error);
    json_decref(config);
    if (!engine) {
        fprintf(stderr, "engine: %s\n", json_string_value(json_object_get(json_object_get(error, "error"), "message")));
        json_decref(error);
        return 2;
    }
    json_t *request = json_pack("{s:s}", "lockfile", argv[2]);
    char *request_text = json_dumps(request, JSON_COMPACT);
    char *text = nerq_assess_str(engine, request_text);
    free(request_text);
    json_decref(request);
    nerq_engine_free(engine);
    if (!text || strncmp(text, "{\"error\"", 8) == 0) {
        fprintf(stderr, "assess: %s\n", text ? text : "out of memory");
        nerq_free(text);
        return 2;
    }
    size_t size = strlen(text);
    json_t *doc = json_loads(text, 0, NULL);
    size_t packages = json_array_size(json_object_get(doc, "packages"));
    json_decref(doc);

    double floor = 1e30;
    size_t floor_bytes = 0;
    for (int i = 0; i < runs; i++) {
        double t = now_ms();
        json_t *d = json_loads(text, 0, NULL);
        char *out = json_dumps(d, JSON_COMPACT);
        double dt = now_ms() - t;
        floor_bytes = out ? strlen(out) : 0;
        free(out);
        json_decref(d);
        if (dt < floor) floor = dt;
    }
    printf("render bench: %s, %zu packages, %.1f MB of JSON, best of %d\n", argv[2], packages, size / 1e6, runs);
    printf("  %-14s %8.1f ms  %9zu bytes  (floor: jansson json_loads + json_dumps)\n", "print JSON", floor, floor_bytes);
    const char *formats[] = {"human", "markdown", "sarif", "html", "json"};
    const char *options[] = {"{\"format\":\"human\",\"all\":true}", "{\"format\":\"markdown\"}", "{\"format\":\"sarif\"}",
                             "{\"format\":\"html\"}", "{\"format\":\"json\"}"};
    int status = 0;
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        double best = 1e30;
        size_t bytes = 0;
        for (int i = 0; i < runs; i++) {
            char *err = NULL;
            double t = now_ms();
            char *out = nerq_render_str(text, options[f], &err);
            double dt = now_ms() - t;
            if (!out) {
                fprintf(stderr, "render %s: %s\n", formats[f], err ? err : "out of memory");
                nerq_free(err);
                status = 1;
                break;
            }
            bytes = strlen(out);
            nerq_free(out);
            if (dt < best) best = dt;
        }
        printf("  %-14s %8.1f ms  %9zu bytes  ratio %.2f\n", formats[f], best, bytes, best / floor);
    }
    nerq_free(text);
    return status;
}
