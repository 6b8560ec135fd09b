/*
 * Memory stays flat over many calls: calls the C API CALLS times (default 1,000,000: make soak;
 * make test runs 100,000) and samples the resident set size from /proc/self/statm every SAMPLE
 * calls (default 100,000, or CALLS/10). The first sample is taken after a warm-up; the test fails
 * when any later sample exceeds it by more than BOUND_KB (default 4096 KB). Prints every sample,
 * then "soak: N passed, N failed".
 *
 * Each round of 100 calls: 80 nerq_score_str (two requests, one with advisories and CVSS), 8
 * nerq_preflight_str, 4 nerq_score (json_t), 4 error requests (invalid JSON, wrong type, deep
 * nesting, bad version), 2 nerq_assess_str (a small lockfile text), 1 nerq_preflight (json_t) and
 * 1 nerq_engine_new_str + nerq_engine_free.
 *
 *   test_soak [CALLS [BOUND_KB]]
 */
#define _POSIX_C_SOURCE 200809L
#include <nerq.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, resident = 0;
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static const char *SCORE1 =
    "{\"package\":{\"ecosystem\":\"crates.io\",\"name\":\"nix\",\"version\":\"0.22.1\"},"
    "\"advisories\":[{\"id\":\"RUSTSEC-2021-0119\",\"kind\":\"vulnerability\",\"severity\":\"high\","
    "\"cvss\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\",\"title\":\"Out-of-bounds write\","
    "\"aliases\":[\"CVE-2021-45707\"],\"patched\":[\"^0.20.2\",\"^0.21.2\",\"^0.22.2\",\">= 0.23.0\"]}],"
    "\"registry\":{\"downloads\":250000000,\"reverse_dependencies\":4200,\"versions\":70,\"latest_release\":\"2026-06-01\"},"
    "\"repository\":{\"url\":\"https://github.com/nix-rust/nix\",\"stars\":2800},"
    "\"manifest\":{\"license\":\"MIT\",\"edition\":\"2021\"}}";
static const char *SCORE2 = "{\"package\":{\"name\":\"serde\",\"version\":\"1.0.210\"},\"dimensions\":{\"quality\":93.5},\"extra\":1}";
static const char *PREFLIGHT = "{\"target\":\"nix@0.22.1\"}";
static const char *ASSESS =
    "{\"lockfile_text\":\"version = 3\\n[[package]]\\nname = \\\"demo\\\"\\nversion = \\\"0.1.0\\\"\\n"
    "dependencies = [\\\"atty\\\"]\\n[[package]]\\nname = \\\"atty\\\"\\nversion = \\\"0.2.14\\\"\\n"
    "source = \\\"registry+https://github.com/rust-lang/crates.io-index\\\"\\n\",\"options\":{\"scan_sources\":false}}";
static const char *BAD[] = {
    "{\"package\":",
    "{\"package\":{\"name\":42}}",
    "{\"package\":{\"name\":\"x\"},\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
    "{\"target\":\"nix@01.2\"}",
};

static int failures;

/* Every result must be non-NULL; counts a failure otherwise. */
static void take(char *s) {
    if (!s) failures++;
    nerq_free(s);
}

static void round100(nerq_engine *engine, json_t *score_req, json_t *pf_req) {
    for (int k = 0; k < 40; k++) {
        take(nerq_score_str(engine, SCORE1));
        take(nerq_score_str(engine, SCORE2));
    }
    for (int k = 0; k < 8; k++) take(nerq_preflight_str(engine, PREFLIGHT));
    for (int k = 0; k < 4; k++) {
        json_t *r = nerq_score(engine, score_req);
        if (!r) failures++;
        json_decref(r);
    }
    take(nerq_score_str(engine, BAD[0]));
    take(nerq_score_str(engine, BAD[1]));
    take(nerq_score_str(engine, BAD[2]));
    take(nerq_preflight_str(engine, BAD[3]));
    take(nerq_assess_str(engine, ASSESS));
    take(nerq_assess_str(engine, ASSESS));
    json_t *r = nerq_preflight(engine, pf_req);
    if (!r) failures++;
    json_decref(r);
    char *err = NULL;
    nerq_engine *e = nerq_engine_new_str("{\"now\":\"2026-11-21T00:00:00Z\",\"policy\":{\"ignore\":[\"X\"]}}", &err);
    if (!e) failures++;
    nerq_free(err);
    nerq_engine_free(e);
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 1000000;
    long bound_kb = argc > 2 ? atol(argv[2]) : 4096;
    if (calls < 1000) calls = 1000;
    long sample = calls >= 1000000 ? 100000 : calls / 10;
    nerq_engine *engine = nerq_engine_new_str("{\"now\":\"2026-11-21T00:00:00Z\"}", NULL);
    json_error_t jerr;
    json_t *score_req = json_loads(SCORE1, 0, &jerr);
    json_t *pf_req = json_loads(PREFLIGHT, 0, &jerr);
    if (!engine || !score_req || !pf_req) {
        fprintf(stderr, "setup failed\n");
        return 2;
    }
    int passed = 0, failed = 0;
    long baseline = -1, peak = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    printf("soak: %ld calls, RSS sampled every %ld (KB):", calls, sample);
    for (long done = 0; done < calls; done += 100) {
        round100(engine, score_req, pf_req);
        if ((done + 100) % sample == 0) {
            long kb = rss_kb();
            printf(" %ld", kb);
            fflush(stdout);
            if (baseline < 0) baseline = kb; /* the first sample, after a warm-up of SAMPLE calls */
            if (kb > peak) peak = kb;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("\nsoak: baseline %ld KB after warm-up, peak %ld KB, growth %ld KB (bound %ld KB); %.1f s, %.1f us/call\n",
           baseline, peak, peak - baseline, bound_kb, secs, secs * 1e6 / (double)calls);
    if (failures == 0) passed++;
    else {
        failed++;
        fprintf(stderr, "FAIL: %d NULL results\n", failures);
    }
    if (baseline > 0 && peak - baseline <= bound_kb) passed++;
    else {
        failed++;
        fprintf(stderr, "FAIL: RSS grew by %ld KB after warm-up (bound %ld KB)\n", peak - baseline, bound_kb);
    }
    json_decref(score_req);
    json_decref(pf_req);
    nerq_engine_free(engine);
    printf("soak: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
