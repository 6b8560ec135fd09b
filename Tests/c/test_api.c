/*
 * Tests of the C API as a host sees it: every function, good input and every kind of bad input.
 * Built with -Wall -Wextra -Werror -pedantic against include/nerq.h and jansson; run under valgrind
 * (any definite leak fails). Prints "N passed, N failed" and exits non-zero on any failure.
 *
 *   test_api            run the tests
 *   test_api --dump     print the reports of the fixed requests (to compare two runs byte for byte)
 *   test_api --dump-rendered   print the fixed report in every render format (likewise)
 */
#define _POSIX_C_SOURCE 200809L
#include <nerq.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static const char *SIGNALS =
    "{\"kind\":\"nerq.signals\",\"version\":1,"
    "\"package\":{\"ecosystem\":\"crates.io\",\"name\":\"nix\",\"version\":\"0.22.1\"},"
    "\"now\":\"2026-11-21T00:00:00Z\","
    "\"advisories\":[{\"id\":\"RUSTSEC-2021-0119\",\"kind\":\"vulnerability\",\"severity\":\"high\","
    "\"title\":\"Out-of-bounds write in nix::unistd::getgrouplist\",\"aliases\":[\"CVE-2021-45707\"],"
    "\"patched\":[\"^0.20.2\",\"^0.21.2\",\"^0.22.2\",\">= 0.23.0\"]}],"
    "\"registry\":{\"downloads\":250000000,\"downloads_percentile\":99.2,\"reverse_dependencies\":4200,"
    "\"versions\":70,\"yanked_versions\":3,\"latest_release\":\"2026-06-01\",\"owners\":4},"
    "\"repository\":{\"url\":\"https://github.com/nix-rust/nix\",\"stars\":2800,\"contributors\":300},"
    "\"manifest\":{\"license\":\"MIT\",\"edition\":\"2021\",\"description\":\"Rust friendly bindings to *nix APIs\","
    "\"repository\":\"https://github.com/nix-rust/nix\",\"rust_version\":\"1.69\"}}";

/* Appends every document nerq returns to $NERQ_TEST_DOCS (NDJSON) for schema validation. */
static json_t *rec(json_t *doc) {
    const char *path = getenv("NERQ_TEST_DOCS");
    if (doc && path) {
        FILE *f = fopen(path, "a");
        if (f) {
            json_dumpf(doc, f, JSON_COMPACT);
            fputc('\n', f);
            fclose(f);
        }
    }
    return doc;
}

/* The error code of an {"error": ...} document, or NULL when it is not one. Borrowed. */
static const char *error_code(const json_t *doc) {
    json_t *err = json_object_get(doc, "error");
    return err ? json_string_value(json_object_get(err, "code")) : NULL;
}

static const char *error_path(const json_t *doc) {
    json_t *err = json_object_get(doc, "error");
    return err ? json_string_value(json_object_get(err, "path")) : NULL;
}

static int streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* Parses a text result, checks its error code (NULL = expect success), frees the text. */
static json_t *take_text(char *text) {
    json_error_t e;
    json_t *doc = text ? json_loads(text, 0, &e) : NULL;
    nerq_free(text);
    return rec(doc);
}

static void expect_error_text(char *text, const char *code, const char *path, const char *what) {
    json_t *doc = take_text(text);
    CHECK(doc != NULL, "%s: result is valid JSON", what);
    CHECK(streq(error_code(doc), code), "%s: expected code %s, got %s", what, code, error_code(doc));
    if (path) CHECK(streq(error_path(doc), path), "%s: expected path %s, got %s", what, path, error_path(doc));
    json_decref(doc);
}

static void expect_error(json_t *doc, const char *code, const char *path, const char *what) {
    CHECK(doc != NULL, "%s: non-NULL result", what);
    CHECK(streq(error_code(doc), code), "%s: expected code %s, got %s", what, code, error_code(doc));
    if (path) CHECK(streq(error_path(doc), path), "%s: expected path %s, got %s", what, path, error_path(doc));
    json_decref(doc);
}

static void test_versions(void) {
    CHECK(streq(nerq_version(), NERQ_VERSION), "version %s", nerq_version());
    CHECK(nerq_abi_version() == NERQ_ABI_VERSION, "abi %d", nerq_abi_version());
}

static void test_engine(void) {
    json_t *err = (json_t *)1;
    nerq_engine *e = nerq_engine_new(NULL, &err);
    CHECK(e != NULL && err == NULL, "defaults");
    nerq_engine_free(e);
    nerq_engine_free(NULL); /* no-op */

    json_t *cfg = json_pack("{s:s, s:{s:{s:f}, s:[s]}}", "now", "2026-11-21T00:00:00Z", "policy", "weights",
                            "security", 0.5, "ignore", "RUSTSEC-2020-0071");
    e = nerq_engine_new(cfg, &err);
    CHECK(e != NULL && err == NULL, "config with policy");
    nerq_engine_free(e);
    json_decref(cfg);

    cfg = json_pack("{s:s, s:i}", "now", "2026-11-21T00:00:00Z", "bogus", 1);
    e = nerq_engine_new(cfg, &err);
    CHECK(e == NULL, "unknown key refused");
    CHECK(streq(error_code(err), "unknown_key") && streq(error_path(err), "$.bogus"), "unknown key named: %s %s",
          error_code(err), error_path(err));
    json_decref(err);
    e = nerq_engine_new(cfg, NULL); /* error pointer may be NULL */
    CHECK(e == NULL, "unknown key refused without error out");
    json_decref(cfg);

    cfg = json_array();
    e = nerq_engine_new(cfg, &err);
    CHECK(e == NULL && streq(error_code(err), "invalid_type"), "config must be an object");
    json_decref(err);
    json_decref(cfg);

    cfg = json_pack("{s:{s:{s:s}}}", "policy", "weights", "security", "high");
    e = nerq_engine_new(cfg, &err);
    CHECK(e == NULL && streq(error_path(err), "$.policy.weights.security"), "weight type path %s", error_path(err));
    json_decref(err);
    json_decref(cfg);

    cfg = json_pack("{s:s}", "now", "yesterday");
    e = nerq_engine_new(cfg, &err);
    CHECK(e == NULL && streq(error_code(err), "invalid_value") && streq(error_path(err), "$.now"), "bad now");
    json_decref(err);
    json_decref(cfg);

    char *serr = (char *)1;
    e = nerq_engine_new_str(NULL, &serr);
    CHECK(e != NULL && serr == NULL, "text defaults");
    nerq_engine_free(e);
    e = nerq_engine_new_str("{\"now\":\"2026-11-21T00:00:00Z\"}", &serr);
    CHECK(e != NULL && serr == NULL, "text config");
    nerq_engine_free(e);
    e = nerq_engine_new_str("{\"now\":", &serr);
    CHECK(e == NULL, "truncated config refused");
    expect_error_text(serr, "invalid_json", "$", "truncated config");
    e = nerq_engine_new_str("{\"polcy\":{}}", &serr);
    CHECK(e == NULL, "typo refused");
    expect_error_text(serr, "unknown_key", "$.polcy", "typo in config");
    e = nerq_engine_new_str("{\"policy\":{\"thresholds\":{\"safe\":1e400}}}", &serr);
    CHECK(e == NULL, "1e400 refused");
    expect_error_text(serr, "invalid_json", "$", "1e400");
}

static void test_score(nerq_engine *engine) {
    json_error_t jerr;
    json_t *req = json_loads(SIGNALS, 0, &jerr);
    CHECK(req != NULL, "fixture parses: %s", jerr.text);

    json_t *rep = rec(nerq_score(engine, req));
    CHECK(rep != NULL && error_code(rep) == NULL, "score ok: %s", error_code(rep));
    CHECK(streq(json_string_value(json_object_get(rep, "kind")), "nerq.report"), "kind");
    CHECK(json_integer_value(json_object_get(rep, "version")) == 1, "version");
    /* high vulnerability caps at 45 */
    CHECK(json_real_value(json_object_get(rep, "trust_score")) == 45.0, "capped at 45: %f",
          json_real_value(json_object_get(rep, "trust_score")));
    CHECK(streq(json_string_value(json_object_get(rep, "grade")), "D"), "grade D");
    CHECK(streq(json_string_value(json_object_get(rep, "recommendation")), "CAUTION"), "recommendation");
    CHECK(json_array_size(json_object_get(rep, "dimensions")) == 8, "eight dimensions");
    CHECK(json_is_false(json_object_get(rep, "verified")), "not verified with a vulnerability");
    json_t *finding = json_array_get(json_object_get(rep, "findings"), 0);
    CHECK(streq(json_string_value(json_object_get(finding, "id")), "RUSTSEC-2021-0119"), "finding id");
    CHECK(streq(json_string_value(json_object_get(finding, "upgrade_to")), "0.22.2"), "upgrade_to %s",
          json_string_value(json_object_get(finding, "upgrade_to")));
    json_decref(rep);

    /* the request is borrowed: still intact, refcount unchanged */
    CHECK(req->refcount == 1, "request refcount %zu", req->refcount);
    json_decref(req);

    /* NULL engine: default policy */
    req = json_loads(SIGNALS, 0, &jerr);
    rep = rec(nerq_score(NULL, req));
    CHECK(rep != NULL && error_code(rep) == NULL, "score with NULL engine");
    json_decref(rep);
    json_decref(req);

    expect_error(rec(nerq_score(engine, NULL)), "null_argument", NULL, "NULL request");
    expect_error(rec(nerq_score(NULL, NULL)), "null_argument", NULL, "NULL engine and request");

    req = json_object();
    expect_error(rec(nerq_score(engine, req)), "missing_field", "$", "empty object");
    json_decref(req);

    req = json_string("nix");
    expect_error(rec(nerq_score(engine, req)), "invalid_type", "$", "string request");
    json_decref(req);

    req = json_pack("{s:{s:i}}", "package", "name", 42);
    expect_error(rec(nerq_score(engine, req)), "invalid_type", "$.package.name", "name is a number");
    json_decref(req);

    req = json_pack("{s:{s:s}, s:{s:s}}", "package", "name", "nix", "registry", "downloads", "many");
    expect_error(rec(nerq_score(engine, req)), "invalid_type", "$.registry.downloads", "downloads is a string");
    json_decref(req);

    req = json_pack("{s:{s:s}, s:{s:I}}", "package", "name", "nix", "registry", "downloads", (json_int_t)-5);
    expect_error(rec(nerq_score(engine, req)), "invalid_value", "$.registry.downloads", "negative downloads");
    json_decref(req);

    req = json_pack("{s:{s:s}, s:[{s:s, s:s}]}", "package", "name", "nix", "advisories", "id", "X", "kind", "rumour");
    expect_error(rec(nerq_score(engine, req)), "invalid_value", "$.advisories[0].kind", "unknown advisory kind");
    json_decref(req);

    req = json_pack("{s:{s:s}, s:s}", "package", "name", "nix", "kind", "nerq.report");
    expect_error(rec(nerq_score(engine, req)), "unsupported_version", "$.kind", "wrong kind");
    json_decref(req);

    req = json_pack("{s:{s:s}, s:i}", "package", "name", "nix", "version", 2);
    expect_error(rec(nerq_score(engine, req)), "unsupported_version", "$.version", "future version");
    json_decref(req);

    /* -0 is zero; unknown keys are ignored and listed */
    req = json_pack("{s:{s:s}, s:{s:f}, s:i, s:s}", "package", "name", "nix", "dimensions", "security", -0.0,
                    "extra", 1, "now", "2026-11-21T00:00:00Z");
    rep = rec(nerq_score(engine, req));
    CHECK(rep && error_code(rep) == NULL, "-0 accepted: %s", error_code(rep));
    CHECK(json_real_value(json_object_get(rep, "trust_score")) == 0.0, "-0 scores 0");
    CHECK(streq(json_string_value(json_array_get(json_object_get(rep, "ignored_keys"), 0)), "$.extra"), "ignored key listed");
    json_decref(rep);
    json_decref(req);

    /* JSON nested 10,000 deep, built by a host (jansson's parser would refuse it as text) */
    json_t *deep = json_array();
    json_t *cur = deep;
    for (int i = 0; i < 10000; i++) {
        json_t *next = json_array();
        json_array_append_new(cur, next);
        cur = next;
    }
    req = json_pack("{s:{s:s}, s:o}", "package", "name", "nix", "registry", deep);
    expect_error(rec(nerq_score(engine, req)), "too_deep", NULL, "arrays 10,000 deep");
    json_decref(req);
    deep = json_object();
    cur = deep;
    for (int i = 0; i < 10000; i++) {
        json_t *next = json_object();
        json_object_set_new(cur, "x", next);
        cur = next;
    }
    req = json_pack("{s:{s:s}, s:o}", "package", "name", "nix", "extra", deep);
    expect_error(rec(nerq_score(engine, req)), "too_deep", NULL, "objects 10,000 deep");
    json_decref(req);
}

static void test_score_text(nerq_engine *engine) {
    json_t *rep = take_text(nerq_score_str(engine, SIGNALS));
    CHECK(rep && error_code(rep) == NULL, "text score ok");
    CHECK(json_real_value(json_object_get(rep, "trust_score")) == 45.0, "text score 45");
    json_decref(rep);

    expect_error_text(nerq_score_str(engine, NULL), "null_argument", NULL, "text NULL");
    expect_error_text(nerq_score_str(engine, ""), "invalid_json", "$", "empty text");
    expect_error_text(nerq_score_str(engine, "{\"package\":"), "invalid_json", "$", "truncated");
    expect_error_text(nerq_score_str(engine, "{\"package\":{\"name\":\"n\xff\xfe\"}}"), "invalid_json", "$", "invalid UTF-8");
    expect_error_text(nerq_score_str(engine, "{\"package\":{\"name\":\"\xc3\x28\"}}"), "invalid_json", "$", "bad continuation");
    expect_error_text(nerq_score_str(engine, "{\"package\":{\"name\":\"nix\"},\"dimensions\":{\"security\":1e400}}"),
                      "invalid_json", "$", "1e400");
    expect_error_text(nerq_score_str(engine, "{\"package\":{\"name\":\"a\"},\"package\":{\"name\":\"b\"}}"), "invalid_json",
                      "$", "duplicate key");
    expect_error_text(nerq_score_str(engine, "{}"), "missing_field", "$", "text empty object");
    expect_error_text(nerq_score_str(engine, "[]"), "invalid_type", "$", "text array");
    expect_error_text(nerq_score_str(engine, "null"), "invalid_type", "$", "text null");
    expect_error_text(nerq_score_str(engine, "{\"package\":{\"name\":\"nix\"},\"dimensions\":{\"security\":101}}"),
                      "invalid_value", "$.dimensions.security", "score above 100");
    expect_error_text(nerq_score_str(engine, "{\"package\":{\"name\":\"nix\"},\"dimensions\":{\"speed\":50}}"),
                      "invalid_value", "$.dimensions.speed", "unknown dimension");

    /* 10,000 nested arrays as text */
    size_t n = 10000;
    char *deep = malloc(2 * n + 64);
    CHECK(deep != NULL, "malloc");
    if (deep) {
        size_t off = (size_t)sprintf(deep, "{\"package\":{\"name\":\"nix\"},\"x\":");
        for (size_t i = 0; i < n; i++) deep[off++] = '[';
        for (size_t i = 0; i < n; i++) deep[off++] = ']';
        deep[off++] = '}';
        deep[off] = 0;
        expect_error_text(nerq_score_str(engine, deep), "invalid_json", "$", "text 10,000 deep");
        free(deep);
    }
    nerq_free(NULL);
}

static void test_preflight(nerq_engine *engine) {
    json_t *req = json_pack("{s:s, s:s}", "target", "nix@0.22.1", "now", "2026-11-21T00:00:00Z");
    json_t *pf = rec(nerq_preflight(engine, req));
    CHECK(pf && error_code(pf) == NULL, "preflight ok: %s", error_code(pf));
    CHECK(streq(json_string_value(json_object_get(pf, "kind")), "nerq.preflight"), "preflight kind");
    CHECK(streq(json_string_value(json_object_get(pf, "target")), "nix@0.22.1"), "target");
    CHECK(json_object_get(pf, "ttl") && json_integer_value(json_object_get(pf, "ttl")) > 0, "ttl");
    json_decref(pf);
    expect_error(rec(nerq_preflight(NULL, req)), "null_argument", NULL, "preflight NULL engine");
    json_decref(req);

    req = json_pack("{s:s}", "target", "nix@not-a-version");
    expect_error(rec(nerq_preflight(engine, req)), "invalid_value", "$.target", "bad target version");
    json_decref(req);
    req = json_pack("{s:s}", "target", "");
    expect_error(rec(nerq_preflight(engine, req)), "invalid_value", "$.target", "empty target");
    json_decref(req);
    req = json_object();
    expect_error(rec(nerq_preflight(engine, req)), "missing_field", "$", "no target");
    json_decref(req);

    json_t *doc = take_text(nerq_preflight_str(engine, "{\"target\":\"serde\",\"now\":\"2026-11-21T00:00:00Z\"}"));
    CHECK(doc && error_code(doc) == NULL, "text preflight");
    CHECK(json_is_null(json_object_get(doc, "trust_score")), "no data, no score");
    json_decref(doc);
    expect_error_text(nerq_preflight_str(engine, "{\"target\":5}"), "invalid_type", "$.target", "target type");
    expect_error_text(nerq_preflight_str(NULL, "{\"target\":\"x\"}"), "null_argument", NULL, "text preflight NULL engine");
}

static void test_assess(nerq_engine *engine) {
    json_t *req = json_object();
    expect_error(rec(nerq_assess(NULL, req)), "null_argument", NULL, "assess NULL engine");
    json_decref(req);
    expect_error(rec(nerq_assess(engine, NULL)), "null_argument", NULL, "assess NULL request");
    expect_error_text(nerq_assess_str(engine, "{\"lockfile\":"), "invalid_json", "$", "assess truncated");
    expect_error_text(nerq_assess_str(engine, "[1]"), "invalid_type", "$", "assess array");
    expect_error_text(nerq_assess_str(engine, "{}"), "missing_field", "$", "assess without a lockfile");
    expect_error_text(nerq_assess_str(engine, "{\"lockfile\":\"/nonexistent/Cargo.lock\"}"), "not_found",
                      "/nonexistent/Cargo.lock", "assess missing lockfile");
    expect_error_text(nerq_assess_str(engine, "{\"lockfile_text\":\"[[package]]\\nname = \\\"a\"}"), "parse_error", NULL,
                      "assess truncated lockfile text");
    expect_error_text(nerq_assess_str(engine, "{\"lockfile_text\":\"\",\"options\":{\"include_dve\":true}}"), "unknown_key",
                      "$.options.include_dve", "assess option typo");

    /* A real assessment: a small lockfile text, and the shared advisory snapshot when the test
       script points at it (NERQ_TEST_ADVISORY_DB). */
    const char *lock = "{\"lockfile_text\":\"version = 3\\n[[package]]\\nname = \\\"demo\\\"\\nversion = \\\"0.1.0\\\"\\n"
                       "dependencies = [\\\"atty\\\"]\\n[[package]]\\nname = \\\"atty\\\"\\nversion = \\\"0.2.14\\\"\\n"
                       "source = \\\"registry+https://github.com/rust-lang/crates.io-index\\\"\\n\",\"now\":\"2026-11-21T00:00:00Z\"}";
    json_t *doc = take_text(nerq_assess_str(engine, lock));
    CHECK(doc && error_code(doc) == NULL, "assess lockfile text: %s", error_code(doc));
    CHECK(streq(json_string_value(json_object_get(doc, "kind")), "nerq.assessment"), "assessment kind");
    CHECK(json_array_size(json_object_get(doc, "packages")) == 2, "two packages");
    json_decref(doc);
    const char *db = getenv("NERQ_TEST_ADVISORY_DB");
    if (db) {
        json_t *cfg = json_pack("{s:s, s:s}", "advisory_db", db, "now", "2026-11-21T00:00:00Z");
        json_t *err = NULL;
        nerq_engine *with_db = nerq_engine_new(cfg, &err);
        CHECK(with_db != NULL, "engine with the advisory snapshot: %s", error_code(err));
        json_decref(err);
        json_decref(cfg);
        doc = take_text(nerq_assess_str(with_db, lock));
        json_t *findings = json_object_get(doc, "findings");
        CHECK(json_array_size(findings) == 2, "atty 0.2.14 has two advisories: %zu", json_array_size(findings));
        json_t *paths = json_object_get(json_array_get(findings, 0), "paths");
        CHECK(json_array_size(paths) == 1 && json_array_size(json_array_get(paths, 0)) == 2, "path demo -> atty");
        json_decref(doc);
        json_t *pf_req = json_pack("{s:s}", "target", "atty@0.2.14");
        json_t *pf = rec(nerq_preflight(with_db, pf_req));
        CHECK(json_array_size(json_object_get(pf, "risk_flags")) >= 2, "preflight from the database");
        json_decref(pf);
        json_decref(pf_req);
        nerq_engine_free(with_db);
        cfg = json_pack("{s:s}", "advisory_db", "/nonexistent/advisory-db");
        CHECK(nerq_engine_new(cfg, &err) == NULL && streq(error_code(err), "not_found"), "missing advisory_db");
        json_decref(err);
        json_decref(cfg);
    }
}

/* NULL configuration is exactly {}: the advisory database is found through NERQ_ADVISORY_DB (as
   through ~/.cargo/advisory-db), so atty is never PROCEED from an engine made with no config. */
static void test_null_config_finds_the_database(void) {
    const char *db = getenv("NERQ_TEST_ADVISORY_DB");
    if (!db) return;
    const char *saved = getenv("NERQ_ADVISORY_DB");
    char *keep = saved ? strdup(saved) : NULL;
    setenv("NERQ_ADVISORY_DB", db, 1);
    json_t *err = NULL;
    nerq_engine *engine = nerq_engine_new(NULL, &err);
    CHECK(engine != NULL, "engine from NULL with NERQ_ADVISORY_DB: %s", error_code(err));
    json_decref(err);
    char *text = nerq_preflight_str(engine, "{\"target\":\"atty@0.2.14\"}");
    json_t *pf = take_text(text);
    CHECK(!streq(json_string_value(json_object_get(pf, "recommendation")), "PROCEED"), "atty is not PROCEED");
    CHECK(json_is_true(json_object_get(pf, "advisories_checked")), "advisories checked with a NULL config");
    json_decref(pf);
    nerq_engine_free(engine);
    if (keep) {
        setenv("NERQ_ADVISORY_DB", keep, 1);
        free(keep);
    } else {
        unsetenv("NERQ_ADVISORY_DB");
    }
}

/* nerq_score with a NULL engine reads no file: a crate whose source is on this machine gets no
   source group, and (nothing known, nothing checked) is never PROCEED. */
static void test_null_engine_reads_nothing(void) {
    if (access("/usr/share/cargo/registry/nix-0.26.1/Cargo.toml", R_OK) != 0) return;
    json_t *r = take_text(nerq_score_str(NULL, "{\"package\":{\"name\":\"nix\",\"version\":\"0.26.1\"}}"));
    CHECK(r && error_code(r) == NULL, "engine-less score: %s", error_code(r));
    CHECK(json_object_get(json_object_get(r, "signals"), "source") == NULL, "no source group without an engine");
    CHECK(streq(json_string_value(json_object_get(r, "recommendation")), "UNKNOWN"), "engine-less: UNKNOWN");
    json_decref(r);
}

/* Eight threads score the same request; every result must equal the single-threaded one. */
struct thread_arg {
    nerq_engine *engine;
    const char *expected;
    int mismatches;
};

static void *worker(void *p) {
    struct thread_arg *arg = p;
    for (int i = 0; i < 200; i++) {
        char *out = nerq_score_str(arg->engine, SIGNALS);
        if (!out || strcmp(out, arg->expected) != 0) arg->mismatches++;
        nerq_free(out);
    }
    return NULL;
}

static void test_threads(nerq_engine *engine) {
    char *expected = nerq_score_str(engine, SIGNALS);
    CHECK(expected != NULL, "reference result");
    if (!expected) return;
    pthread_t threads[8];
    struct thread_arg args[8];
    for (int i = 0; i < 8; i++) {
        args[i] = (struct thread_arg){engine, expected, 0};
        pthread_create(&threads[i], NULL, worker, &args[i]);
    }
    int mismatches = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        mismatches += args[i].mismatches;
    }
    CHECK(mismatches == 0, "%d results differed across threads", mismatches);
    nerq_free(expected);
}

/* The text and json_t forms give the same document. */
static void test_forms_agree(nerq_engine *engine) {
    char *text = nerq_score_str(engine, SIGNALS);
    json_error_t jerr;
    json_t *req = json_loads(SIGNALS, 0, &jerr);
    json_t *rep = rec(nerq_score(engine, req));
    json_t *from_text = take_text(text);
    CHECK(json_equal(rep, from_text), "json_t and text results are equal");
    json_decref(rep);
    json_decref(from_text);
    json_decref(req);
}

/* nerq_fetch needs no engine. Offline, nothing is downloaded (no test needs the network; the
 * fetches themselves are tested against a local server: Tests/NerqFetchTests, test_fetch.py):
 * each source is described as it is on disk, here an empty cache. */
static void test_fetch(void) {
    expect_error(rec(nerq_fetch(NULL)), "null_argument", NULL, "fetch NULL request");
    expect_error_text(nerq_fetch_str(NULL), "null_argument", NULL, "fetch_str NULL request");
    expect_error_text(nerq_fetch_str("{\"update\":1}"), "invalid_type", "$.update", "fetch update type");
    expect_error_text(nerq_fetch_str("{\"sources\":{\"advisory-db\":{}}}"), "unknown_key", "$.sources.advisory-db", "fetch source name");
    char cache[] = "/tmp/nerq-c-fetch-XXXXXX";
    CHECK(mkdtemp(cache) != NULL, "temporary cache");
    json_t *req = json_pack("{s:b, s:s, s:{s:{}, s:{}, s:{s:[s]}}}", "offline", 1, "cache_dir", cache, "sources", "advisory_db", "osv",
                            "index", "packages", "serde");
    json_t *doc = rec(nerq_fetch(req));
    CHECK(doc && error_code(doc) == NULL, "offline fetch: %s", error_code(doc));
    CHECK(streq(json_string_value(json_object_get(doc, "kind")), "nerq.fetch"), "fetch kind");
    CHECK(json_is_true(json_object_get(doc, "offline")), "offline");
    json_t *sources = json_object_get(doc, "sources");
    CHECK(json_array_size(sources) == 3, "three sources");
    for (size_t i = 0; i < json_array_size(sources); i++) {
        json_t *s = json_array_get(sources, i);
        CHECK(streq(json_string_value(json_object_get(s, "status")), "offline"), "source %zu offline", i);
    }
    json_decref(doc);
    /* The text form gives the same statuses. */
    char *text = json_dumps(req, JSON_COMPACT);
    json_t *again = take_text(nerq_fetch_str(text));
    free(text);
    CHECK(again && json_array_size(json_object_get(again, "sources")) == 3, "text fetch");
    json_decref(again);
    json_decref(req);
    rmdir(cache);
}

/* nerq_render: both forms, every format, and the errors that name the argument. */
static const char *FORMATS[] = {"human", "markdown", "sarif", "html", "json"};

static void expect_render_error(const char *document, const char *options, const char *code, const char *path,
                                const char *what) {
    char *err = NULL;
    char *out = nerq_render_str(document, options, &err);
    CHECK(out == NULL, "%s: NULL result", what);
    nerq_free(out);
    expect_error_text(err, code, path, what);
}

static void test_render(nerq_engine *engine) {
    char *report = nerq_score_str(engine, SIGNALS);
    char *preflight = nerq_preflight_str(engine, "{\"target\":\"nix@0.22.1\"}");
    char *assessment = nerq_assess_str(engine, "{\"lockfile_text\":\"version = 3\\n[[package]]\\nname = \\\"demo\\\"\\n"
                                               "version = \\\"0.1.0\\\"\\n\"}");
    const char *docs[] = {report, preflight, assessment};
    for (size_t d = 0; d < 3; d++) {
        json_error_t jerr;
        json_t *doc = json_loads(docs[d], 0, &jerr);
        for (size_t f = 0; f < sizeof FORMATS / sizeof *FORMATS; f++) {
            char options[64];
            snprintf(options, sizeof options, "{\"format\":\"%s\"}", FORMATS[f]);
            char *err = (char *)1;
            char *text = nerq_render_str(docs[d], options, &err);
            CHECK(text != NULL && err == NULL, "render_str %zu as %s", d, FORMATS[f]);
            CHECK(text && strlen(text) > 20, "render_str %zu as %s: some text", d, FORMATS[f]);
            json_t *opts = json_loads(options, 0, &jerr);
            json_t *jerr_doc = NULL;
            char *text2 = nerq_render(doc, opts, &jerr_doc);
            CHECK(text && text2 && strcmp(text, text2) == 0, "json_t and text forms render the same %s", FORMATS[f]);
            CHECK(jerr_doc == NULL, "no error document");
            if (f == 4 && text) {  /* json: the same document back */
                json_t *back = json_loads(text, 0, &jerr);
                CHECK(back && json_equal(back, doc), "json format round-trips document %zu", d);
                json_decref(back);
            }
            nerq_free(text);
            nerq_free(text2);
            json_decref(opts);
        }
        char *plain = nerq_render_str(docs[d], NULL, NULL); /* NULL options: human; NULL error pointer is allowed */
        CHECK(plain != NULL, "default options");
        nerq_free(plain);
        json_decref(doc);
    }
    expect_render_error(NULL, NULL, "null_argument", "$.document", "render NULL document");
    CHECK(nerq_render(NULL, NULL, NULL) == NULL, "render NULL document, NULL error pointer");
    json_t *jerr_doc = NULL;
    CHECK(nerq_render(NULL, NULL, &jerr_doc) == NULL && streq(error_code(jerr_doc), "null_argument"), "json_t NULL document");
    json_decref(jerr_doc);
    expect_render_error("{\"kind\":", NULL, "invalid_json", "$.document", "render truncated");
    expect_render_error(report, "{\"format\":", "invalid_json", "$.options", "options truncated");
    expect_render_error(report, "{\"format\":\"pdf\"}", "invalid_value", "$.options.format", "unknown format");
    expect_render_error(report, "{\"format\":7}", "invalid_type", "$.options.format", "format type");
    expect_render_error(report, "{\"width\":5}", "invalid_value", "$.options.width", "narrow width");
    expect_render_error(report, "{\"colour\":true}", "unknown_key", "$.options.colour", "option typo");
    expect_render_error(report, "[]", "invalid_type", "$.options", "options array");
    expect_render_error("{\"kind\":\"nerq.signals\"}", NULL, "unsupported_version",
                        "$.document.kind", "signals cannot be rendered");
    expect_render_error("{\"package\":{}}", NULL, "missing_field", "$.document", "no kind");
    expect_render_error("{\"error\":{\"code\":\"x\"}}", NULL, "invalid_value", "$.document",
                        "error document");
    expect_render_error("{\"kind\":\"nerq.report\",\"package\":{\"name\":\"a\"},\"trust_score\":\"high\"}",
                        NULL, "invalid_type", "$.document.trust_score", "score of the wrong type");
    expect_render_error("{\"kind\":\"nerq.assessment\",\"packages\":[{\"kind\":\"nerq.report\","
                                        "\"package\":{\"name\":\"a\"},\"findings\":[{\"evidence\":[{\"line\":\"x\"}]}]}]}",
                        NULL, "invalid_type", "$.document.packages[0].findings[0].evidence[0].line",
                        "deep path");
    nerq_free(report);
    nerq_free(preflight);
    nerq_free(assessment);
}

/* nerq_assess with "render": one call gives the text nerq_render gives for the assessment, with
 * the gate; both forms; a bad option names its path under $.render. */
static void test_assess_render(nerq_engine *engine) {
    static const char *LOCK = "\"lockfile_text\":\"version = 3\\n[[package]]\\nname = \\\"demo\\\"\\n"
                              "version = \\\"0.1.0\\\"\\n\"";
    for (size_t f = 0; f < sizeof FORMATS / sizeof *FORMATS; f++) {
        char plain[512], rendered[512], options[64];
        snprintf(plain, sizeof plain, "{%s}", LOCK);
        snprintf(rendered, sizeof rendered, "{%s,\"render\":{\"format\":\"%s\"}}", LOCK, FORMATS[f]);
        snprintf(options, sizeof options, "{\"format\":\"%s\"}", FORMATS[f]);
        char *assessment = nerq_assess_str(engine, plain);
        char *expected = nerq_render_str(assessment, options, NULL);
        json_t *doc = take_text(nerq_assess_str(engine, rendered));
        CHECK(doc && streq(json_string_value(json_object_get(doc, "kind")), "nerq.rendered"), "rendered %s: kind", FORMATS[f]);
        CHECK(streq(json_string_value(json_object_get(doc, "format")), FORMATS[f]), "rendered %s: format", FORMATS[f]);
        CHECK(streq(json_string_value(json_object_get(doc, "text")), expected), "rendered %s: the text of assess + render",
              FORMATS[f]);
        CHECK(json_integer_value(json_object_get(json_object_get(doc, "gate"), "exit_code")) == 0, "rendered %s: gate", FORMATS[f]);
        json_error_t jerr;
        json_t *request = json_loads(rendered, 0, &jerr);
        json_t *same = rec(nerq_assess(engine, request));
        CHECK(same && json_equal(same, doc), "rendered %s: json_t and text forms agree", FORMATS[f]);
        json_decref(same);
        json_decref(request);
        json_decref(doc);
        nerq_free(expected);
        nerq_free(assessment);
    }
    char bad[512];
    snprintf(bad, sizeof bad, "{%s,\"render\":{\"format\":\"pdf\"}}", LOCK);
    expect_error_text(nerq_assess_str(engine, bad), "invalid_value", "$.render.format", "render: unknown format");
    snprintf(bad, sizeof bad, "{%s,\"render\":\"human\"}", LOCK);
    expect_error_text(nerq_assess_str(engine, bad), "invalid_type", "$.render", "render: not an object");
}

int main(int argc, char **argv) {
    nerq_engine *engine = nerq_engine_new_str("{\"now\":\"2026-11-21T00:00:00Z\"}", NULL);
    if (!engine) {
        fprintf(stderr, "cannot create engine\n");
        return 2;
    }
    if (argc > 1 && strcmp(argv[1], "--dump") == 0) {
        char *out = nerq_score_str(engine, SIGNALS);
        char *pf = nerq_preflight_str(engine, "{\"target\":\"nix@0.22.1\"}");
        printf("%s\n%s\n", out ? out : "(null)", pf ? pf : "(null)");
        nerq_free(out);
        nerq_free(pf);
        nerq_engine_free(engine);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--dump-rendered") == 0) {
        char *out = nerq_score_str(engine, SIGNALS);
        for (size_t f = 0; out && f < sizeof FORMATS / sizeof *FORMATS; f++) {
            char options[64];
            snprintf(options, sizeof options, "{\"format\":\"%s\"}", FORMATS[f]);
            char *text = nerq_render_str(out, options, NULL);
            printf("%s\n", text ? text : "(null)");
            nerq_free(text);
        }
        nerq_free(out);
        nerq_engine_free(engine);
        return 0;
    }
    test_versions();
    test_engine();
    test_score(engine);
    test_score_text(engine);
    test_preflight(engine);
    test_assess(engine);
    test_null_config_finds_the_database();
    test_null_engine_reads_nothing();
    test_threads(engine);
    test_forms_agree(engine);
    test_fetch();
    test_render(engine);
    test_assess_render(engine);
    nerq_engine_free(engine);
    printf("c-api: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
