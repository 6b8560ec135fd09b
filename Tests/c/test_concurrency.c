/*
 * One engine shared by 8 threads making thousands of mixed calls through the C API: score,
 * preflight and assess (a small lockfile text), text and json_t forms, good and bad requests, with
 * the shared advisory snapshot when $NERQ_TEST_ADVISORY_DB names it. Every result must be
 * byte-identical to the single-threaded one, also when the threads all start on a fresh engine (whose
 * advisory database is read on first use). Built like test_api.c (-Wall -Wextra -Werror); run
 * plain, under ThreadSanitizer (make sanitize) and with a shorter count under valgrind's helgrind
 * if wanted. Prints "concurrency: N passed, N failed".
 *
 *   test_concurrency [CALLS_PER_THREAD]      default 2000 (8 threads: 16,000 calls, and 4,000 more beside engines made and freed)
 */
#define _POSIX_C_SOURCE 200809L
#include <nerq.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8

#include "check.h"

enum call { SCORE, PREFLIGHT, ASSESS, SCORE_JSON, PREFLIGHT_JSON, ASSESS_JSON };

struct request {
    enum call call;
    const char *text;
    char *expected; /* the single-threaded result (text form, or json_dumps of the json_t form) */
};

#define LOCK                                                                                         \
    "version = 3\\n[[package]]\\nname = \\\"demo\\\"\\nversion = \\\"0.1.0\\\"\\n"                   \
    "dependencies = [\\\"atty\\\", \\\"smallvec\\\"]\\n[[package]]\\nname = \\\"atty\\\"\\nversion = \\\"0.2.14\\\"\\n" \
    "source = \\\"registry+https://github.com/rust-lang/crates.io-index\\\"\\n"                       \
    "[[package]]\\nname = \\\"smallvec\\\"\\nversion = \\\"0.6.9\\\"\\n"                             \
    "source = \\\"registry+https://github.com/rust-lang/crates.io-index\\\"\\n"

static struct request requests[] = {
    {SCORE,
     "{\"kind\":\"nerq.signals\",\"version\":1,\"package\":{\"ecosystem\":\"crates.io\",\"name\":\"nix\",\"version\":\"0.22.1\"},"
     "\"registry\":{\"downloads\":250000000,\"downloads_percentile\":99.2,\"reverse_dependencies\":4200,\"versions\":70,"
     "\"yanked_versions\":3,\"latest_release\":\"2026-06-01\",\"owners\":4},"
     "\"repository\":{\"url\":\"https://github.com/nix-rust/nix\",\"stars\":2800,\"contributors\":300},"
     "\"manifest\":{\"license\":\"MIT\",\"edition\":\"2021\",\"rust_version\":\"1.69\"}}",
     NULL},
    {SCORE, "{\"package\":{\"name\":\"smallvec\",\"version\":\"0.6.9\"},\"dimensions\":{\"quality\":72.3}}", NULL},
    {SCORE, "{\"package\":{\"name\":\"nix\"},\"dimensions\":{\"security\":1e400}}", NULL}, /* invalid_json */
    {SCORE, "{\"package\":{\"name\":42}}", NULL},                                          /* invalid_type */
    {PREFLIGHT, "{\"target\":\"nix@0.22.1\"}", NULL},
    {PREFLIGHT, "{\"target\":\"atty@0.2.14\",\"registry\":{\"downloads\":1000}}", NULL},
    {PREFLIGHT, "{\"target\":\"nix@not-a-version\"}", NULL},
    {ASSESS, "{\"lockfile_text\":\"" LOCK "\",\"options\":{\"scan_sources\":false}}", NULL},
    {ASSESS, "{\"lockfile_text\":\"[[package]]\\nname = \\\"a\"}", NULL}, /* parse_error */
    {SCORE_JSON, "{\"package\":{\"name\":\"atty\",\"version\":\"0.2.14\"}}", NULL},
    {PREFLIGHT_JSON, "{\"target\":\"smallvec@0.6.9\"}", NULL},
    {ASSESS_JSON, "{\"lockfile_text\":\"" LOCK "\",\"options\":{\"scan_sources\":false,\"max_paths\":2}}", NULL},
};
#define NREQ (sizeof requests / sizeof requests[0])

/* One call; the result as a heap string (malloc'd for the json_t forms, nerq's for text). */
static char *run(nerq_engine *engine, const struct request *r, int *is_nerq_string) {
    *is_nerq_string = 0;
    switch (r->call) {
    case SCORE: *is_nerq_string = 1; return nerq_score_str(engine, r->text);
    case PREFLIGHT: *is_nerq_string = 1; return nerq_preflight_str(engine, r->text);
    case ASSESS: *is_nerq_string = 1; return nerq_assess_str(engine, r->text);
    default: break;
    }
    json_error_t err;
    json_t *req = json_loads(r->text, 0, &err); /* each call its own request: nothing shared */
    if (!req) return NULL;
    json_t *res = r->call == SCORE_JSON ? nerq_score(engine, req)
                  : r->call == PREFLIGHT_JSON ? nerq_preflight(engine, req)
                                              : nerq_assess(engine, req);
    json_decref(req);
    char *out = res ? json_dumps(res, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(res);
    return out;
}

static void release(char *s, int is_nerq_string) {
    if (is_nerq_string) nerq_free(s);
    else free(s);
}

struct worker_arg {
    nerq_engine *engine;
    int id, calls, mismatches, nulls;
};

static void *worker(void *p) {
    struct worker_arg *a = p;
    for (int i = 0; i < a->calls; i++) {
        const struct request *r = &requests[(size_t)(i * 7 + a->id * 3) % NREQ]; /* threads interleave differently */
        int mine;
        char *out = run(a->engine, r, &mine);
        if (!out) a->nulls++;
        else if (strcmp(out, r->expected) != 0) a->mismatches++;
        release(out, mine);
    }
    return NULL;
}

int main(int argc, char **argv) {
    int calls = argc > 1 ? atoi(argv[1]) : 2000;
    if (calls <= 0) calls = 2000;
    const char *db = getenv("NERQ_TEST_ADVISORY_DB");
    json_t *cfg = db ? json_pack("{s:s, s:s}", "advisory_db", db, "now", "2026-11-21T00:00:00Z")
                     : json_pack("{s:s}", "now", "2026-11-21T00:00:00Z");
    json_t *err = NULL;
    nerq_engine *engine = nerq_engine_new(cfg, &err);
    json_decref(cfg);
    if (!engine) {
        char *e = err ? json_dumps(err, 0) : NULL;
        fprintf(stderr, "cannot create engine: %s\n", e ? e : "?");
        free(e);
        json_decref(err);
        return 2;
    }
    printf("concurrency: %s advisory snapshot, %d threads x %d calls\n", db ? "with the" : "without the", THREADS, calls);

    /* Single-threaded reference results (taken twice: they must already agree). */
    for (size_t k = 0; k < NREQ; k++) {
        int mine, mine2;
        char *a = run(engine, &requests[k], &mine);
        char *b = run(engine, &requests[k], &mine2);
        CHECK(a && b && strcmp(a, b) == 0, "request %zu: same result twice in one thread", k);
        release(b, mine2);
        requests[k].expected = a ? strdup(a) : strdup("(null)");
        release(a, mine);
    }
    /* Sanity: the good requests succeed and the bad ones fail, as intended. */
    for (size_t k = 0; k < NREQ; k++) {
        int is_error = strstr(requests[k].expected, "{\"error\":") == requests[k].expected;
        int meant_bad = k == 2 || k == 3 || k == 6 || k == 8;
        CHECK(is_error == meant_bad, "request %zu: %.200s", k, requests[k].expected);
    }
    if (db) CHECK(strstr(requests[7].expected, "RUSTSEC-") != NULL, "the assessment finds advisories in the snapshot");

    /* The reference of an engine without data, for the engines made alongside below. */
    nerq_engine *plain = nerq_engine_new_str("{\"now\":\"2026-11-21T00:00:00Z\"}", NULL);
    char *plain_expected = nerq_score_str(plain, requests[1].text);
    nerq_engine_free(plain);
    CHECK(plain_expected != NULL, "reference of a plain engine");
    if (!plain_expected) return 1;

    pthread_t threads[THREADS];
    struct worker_arg args[THREADS];

    /* First use from every thread at once: a fresh engine reads its advisory database on first
       use, once, whichever call comes first; every thread must still get the reference results. */
    for (int round = 0; round < 5; round++) {
        json_t *fresh_cfg = db ? json_pack("{s:s, s:s}", "advisory_db", db, "now", "2026-11-21T00:00:00Z")
                               : json_pack("{s:s}", "now", "2026-11-21T00:00:00Z");
        nerq_engine *fresh = nerq_engine_new(fresh_cfg, NULL);
        json_decref(fresh_cfg);
        CHECK(fresh != NULL, "fresh engine %d", round);
        if (!fresh) break;
        for (int t = 0; t < THREADS; t++) args[t] = (struct worker_arg){fresh, t, (int)NREQ * 2, 0, 0};
        for (int t = 0; t < THREADS; t++) pthread_create(&threads[t], NULL, worker, &args[t]);
        int first_use_mismatches = 0;
        for (int t = 0; t < THREADS; t++) {
            pthread_join(threads[t], NULL);
            first_use_mismatches += args[t].mismatches + args[t].nulls;
        }
        CHECK(first_use_mismatches == 0, "round %d: %d results differed when %d threads used a fresh engine at once",
              round, first_use_mismatches, THREADS);
        nerq_engine_free(fresh);
    }

    for (int t = 0; t < THREADS; t++) {
        args[t] = (struct worker_arg){engine, t, calls, 0, 0};
        CHECK(pthread_create(&threads[t], NULL, worker, &args[t]) == 0, "thread %d starts", t);
    }
    int mismatches = 0, nulls = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        mismatches += args[t].mismatches;
        nulls += args[t].nulls;
    }
    CHECK(mismatches == 0, "%d of %d results differed from the single-threaded ones", mismatches, THREADS * calls);
    CHECK(nulls == 0, "%d NULL results", nulls);

    /* Engines created and freed concurrently while the shared one is in use. */
    for (int t = 0; t < THREADS; t++) {
        args[t].calls = calls / 4 > 0 ? calls / 4 : 1;
        args[t].mismatches = 0;
    }
    for (int t = 0; t < THREADS; t++) pthread_create(&threads[t], NULL, worker, &args[t]);
    int made = 0;
    for (int i = 0; i < 50; i++) {
        nerq_engine *e = nerq_engine_new_str("{\"now\":\"2026-11-21T00:00:00Z\"}", NULL);
        char *r = nerq_score_str(e, requests[1].text);
        made += e != NULL && r != NULL && strcmp(r, plain_expected) == 0;
        nerq_free(r);
        nerq_engine_free(e);
    }
    mismatches = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        mismatches += args[t].mismatches;
    }
    CHECK(made == 50, "engines made alongside: %d of 50 gave the reference result", made);
    CHECK(mismatches == 0, "%d results differed while other engines came and went", mismatches);

    for (size_t k = 0; k < NREQ; k++) free(requests[k].expected);
    nerq_free(plain_expected);
    nerq_engine_free(engine);
    printf("concurrency: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
