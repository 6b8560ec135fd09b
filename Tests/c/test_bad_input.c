/*
 * The bad-input catalogue (docs/bad-input.md) as tests of the C API: each kind of hostile input
 * and the error document it must get (code, message shape, path). Built like test_api.c (-Wall
 * -Wextra -Werror -pedantic), run under valgrind by make test (any definite leak fails) and under
 * ASan/TSan by make sanitize. Prints "N passed, N failed".
 *
 *   test_bad_input          every case (files go to a fresh directory under $TMPDIR or /tmp)
 *   test_bad_input --huge   also a 50 MB lockfile of 222,000 packages (about 16 s: make soak)
 *
 * $NERQ_TEST_ADVISORY_DB, when set, adds the cases that need the shared advisory snapshot.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <nerq.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static const char *NOW = "2026-11-21T00:00:00Z";
static char tmpdir[512];

static int streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }
static int startswith(const char *s, const char *prefix) { return s && strncmp(s, prefix, strlen(prefix)) == 0; }

/* A heap string built like printf (freed by the caller). */
static char *fmt(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (!s) abort();
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/* Parses a text result (and frees it). NULL if it is not JSON. */
static json_t *take(char *text) {
    json_error_t e;
    json_t *doc = text ? json_loads(text, 0, &e) : NULL;
    nerq_free(text);
    return doc;
}

static json_t *err_of(const json_t *doc) { return json_object_get(doc, "error"); }
static const char *code_of(const json_t *doc) { return json_string_value(json_object_get(err_of(doc), "code")); }
static const char *msg_of(const json_t *doc) { return json_string_value(json_object_get(err_of(doc), "message")); }
static const char *path_of(const json_t *doc) { return json_string_value(json_object_get(err_of(doc), "path")); }

/* Checks an error document: code, path (NULL: do not check; "null": must be JSON null), and that
 * the message contains `msg` (NULL: do not check). Consumes doc. */
static void expect(json_t *doc, const char *code, const char *path, const char *msg, const char *what) {
    CHECK(doc != NULL, "%s: a JSON result", what);
    if (!doc) return;
    CHECK(streq(code_of(doc), code), "%s: code %s, got %s (%s)", what, code, code_of(doc), msg_of(doc));
    CHECK(json_object_size(doc) == 1 && json_object_size(err_of(doc)) == 3, "%s: error document shape", what);
    if (path && streq(path, "null")) CHECK(json_is_null(json_object_get(err_of(doc), "path")), "%s: path null", what);
    else if (path) CHECK(streq(path_of(doc), path), "%s: path %s, got %s", what, path, path_of(doc));
    if (msg) CHECK(msg_of(doc) && strstr(msg_of(doc), msg), "%s: message has \"%s\": %s", what, msg, msg_of(doc));
    json_decref(doc);
}

/* Checks a success document of `kind`; returns it (caller frees). */
static json_t *expect_ok(json_t *doc, const char *kind, const char *what) {
    CHECK(doc != NULL, "%s: a JSON result", what);
    CHECK(doc && !err_of(doc), "%s: no error, got %s: %s", what, code_of(doc), msg_of(doc));
    CHECK(doc && streq(json_string_value(json_object_get(doc, "kind")), kind), "%s: kind %s", what, kind);
    return doc;
}

static int write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(data, 1, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

static int write_text(const char *path, const char *text) { return write_file(path, text, strlen(text)); }

/* ---------------------------------------------------------------------------------------------- */

static void null_pointers(nerq_engine *engine) {
    expect(take(nerq_score_str(engine, NULL)), "null_argument", "null", "request", "score_str(engine, NULL)");
    expect(take(nerq_preflight_str(NULL, "{\"target\":\"nix\"}")), "null_argument", "null", "engine", "preflight_str(NULL, ...)");
    expect(take(nerq_preflight_str(engine, NULL)), "null_argument", "null", "request", "preflight_str(engine, NULL)");
    expect(take(nerq_assess_str(NULL, NULL)), "null_argument", "null", NULL, "assess_str(NULL, NULL)");
    expect(nerq_assess(NULL, NULL), "null_argument", "null", NULL, "assess(NULL, NULL)");
    expect(nerq_preflight(engine, NULL), "null_argument", "null", NULL, "preflight(engine, NULL)");
    nerq_engine *e = nerq_engine_new_str(NULL, NULL); /* NULL config and NULL error pointer: defaults */
    CHECK(e != NULL, "engine_new_str(NULL, NULL)");
    nerq_engine_free(e);
    e = nerq_engine_new(NULL, NULL);
    CHECK(e != NULL, "engine_new(NULL, NULL)");
    nerq_engine_free(e);
    nerq_engine_free(NULL);
    nerq_free(NULL);
}

static void invalid_utf8(nerq_engine *engine) {
    const char *bad[] = {
        "{\"package\":{\"name\":\"\xc0\x80\"}}",         /* overlong NUL */
        "{\"package\":{\"name\":\"\xed\xa0\x80\"}}",     /* UTF-16 surrogate encoded in UTF-8 */
        "{\"package\":{\"name\":\"\xf4\x90\x80\x80\"}}", /* beyond U+10FFFF */
        "{\"package\":{\"name\":\"\xe2\x82\"}}",         /* truncated sequence */
        "{\"\xff\":1,\"package\":{\"name\":\"x\"}}",     /* in a key */
        "{\"package\":{\"name\":\"x\"}}\xff",             /* after the document */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *what = fmt("invalid UTF-8 #%zu", i);
        json_t *doc = take(nerq_score_str(engine, bad[i]));
        const char *m = msg_of(doc);
        CHECK(startswith(m, "invalid JSON at line 1, column "), "%s: message names line and column: %s", what, m);
        expect(doc, "invalid_json", "$", NULL, what);
        free(what);
    }
    /* A host can put invalid UTF-8 into a json_t (json_stringn_nocheck): refused, naming the value. */
    json_t *req = json_pack("{s:{s:o}}", "package", "name", json_stringn_nocheck("n\xff\xfe", 3));
    expect(nerq_score(engine, req), "invalid_value", "$.package.name", "not valid UTF-8", "json_t string not UTF-8");
    json_decref(req);
    json_t *pkg = json_pack("{s:s}", "name", "x");
    json_object_setn_nocheck(pkg, "k\xff", 2, json_true());
    req = json_pack("{s:o}", "package", pkg);
    expect(nerq_score(engine, req), "invalid_value", "$.package", "not valid UTF-8", "json_t key not UTF-8");
    json_decref(req);
}

static void truncated_json(nerq_engine *engine) {
    const char *full = "{\"package\":{\"ecosystem\":\"crates.io\",\"name\":\"nix\",\"version\":\"0.22.1\"},"
                       "\"registry\":{\"downloads\":250000000,\"latest_release\":\"2026-06-01\"},\"x\":[1.5e3,true,null]}";
    size_t n = strlen(full);
    char *buf = malloc(n + 1);
    int bad = 0;
    for (size_t len = 0; len < n; len++) { /* every proper prefix */
        memcpy(buf, full, len);
        buf[len] = 0;
        json_t *doc = take(nerq_score_str(engine, buf));
        if (!streq(code_of(doc), "invalid_json") || !streq(path_of(doc), "$") ||
            !startswith(msg_of(doc), "invalid JSON at line 1, column ")) {
            bad++;
            fprintf(stderr, "  prefix %zu: %s %s\n", len, code_of(doc), msg_of(doc));
        }
        json_decref(doc);
    }
    CHECK(bad == 0, "%d of %zu truncations did not give invalid_json at $", bad, n);
    free(buf);
    json_t *doc = expect_ok(take(nerq_score_str(engine, full)), "nerq.report", "the whole document");
    json_decref(doc);
    /* Embedded NUL: a C string ends there, so the request is truncated. */
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"a\0b\"}}")), "invalid_json", "$", "end of input", "embedded NUL");
    expect(take(nerq_score_str(engine, "")), "invalid_json", "$", "unexpected end of input", "empty text");
    expect(take(nerq_score_str(engine, " \n\t ")), "invalid_json", "$", "line 2", "whitespace only");
    expect(take(nerq_score_str(engine, "\xef\xbb\xbf{\"package\":{\"name\":\"x\"}}")), "invalid_json", "$", "unexpected character",
           "byte order mark");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"}} {}")), "invalid_json", "$", "end of file expected",
           "two documents");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"a\tb\"}}")), "invalid_json", "$", "control character",
           "raw tab in a string");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"\\ud800\"}}")), "invalid_json", "$", "lone high surrogate",
           "lone surrogate escape");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"a\\u0000b\"}}")), "invalid_json", "$", "\\u0000",
           "\\u0000 escape");
    expect(take(nerq_score_str(engine, "{'package':{}}")), "invalid_json", "$", NULL, "single quotes");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},}")), "invalid_json", "$", NULL, "trailing comma");
}

/* "[" * n + "]" * n inside a signals document, as text. */
static char *nested_text(int n, char open, char close, const char *inner_key) {
    size_t cap = (size_t)n * 8 + 128;
    char *s = malloc(cap);
    size_t off = (size_t)sprintf(s, "{\"package\":{\"name\":\"x\"},\"x\":");
    for (int i = 0; i < n; i++) off += (size_t)sprintf(s + off, open == '{' ? "{\"%s\":" : "[", inner_key);
    if (open == '{') off += (size_t)sprintf(s + off, "1");
    for (int i = 0; i < n; i++) s[off++] = close;
    s[off++] = '}';
    s[off] = 0;
    return s;
}

static json_t *nested_json(int n) {
    json_t *inner = json_array(), *top = inner;
    for (int i = 1; i < n; i++) {
        json_t *next = json_array();
        json_array_append_new(inner, next);
        inner = next;
    }
    return json_pack("{s:{s:s}, s:o}", "package", "name", "x", "x", top);
}

static void nesting(nerq_engine *engine) {
    /* The document is level 1, so "x" holds 127 more levels at the limit of 128. */
    char *s = nested_text(127, '[', ']', "");
    json_t *doc = expect_ok(take(nerq_score_str(engine, s)), "nerq.report", "text nested 128 deep");
    json_decref(doc);
    free(s);
    s = nested_text(128, '[', ']', "");
    expect(take(nerq_score_str(engine, s)), "invalid_json", "$", "nested deeper than 128 levels", "text nested 129 deep");
    free(s);
    s = nested_text(10000, '{', '}', "k");
    expect(take(nerq_score_str(engine, s)), "invalid_json", "$", "nested deeper than 128 levels", "text objects 10,000 deep");
    free(s);
    s = nested_text(10000, '[', ']', "");
    char *cfg = fmt("{\"now\":%s}", s + strlen("{\"package\":{\"name\":\"x\"},\"x\":"));
    char *err = NULL;
    CHECK(nerq_engine_new_str(cfg, &err) == NULL, "config nested 10,000 deep refused");
    expect(take(err), "invalid_json", "$", "nested deeper", "config nested 10,000 deep");
    free(cfg);
    free(s);
    /* json_t built by a host: the same limit, as too_deep. */
    json_t *req = nested_json(127);
    doc = expect_ok(nerq_score(engine, req), "nerq.report", "json_t nested 128 deep");
    json_decref(doc);
    json_decref(req);
    req = nested_json(128);
    expect(nerq_score(engine, req), "too_deep", NULL, "deeper than 128 levels", "json_t nested 129 deep");
    json_decref(req);
    req = nested_json(10000);
    expect(nerq_preflight(engine, req), "too_deep", NULL, "deeper than 128 levels", "json_t 10,000 deep (preflight)");
    json_decref(req);
}

static void numbers(nerq_engine *engine) {
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"dimensions\":{\"security\":-1e400}}")), "invalid_json", "$",
           "real number overflow", "-1e400");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"registry\":{\"downloads\":99999999999999999999}}")),
           "invalid_json", "$", "too big integer", "integer beyond 64 bits");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"dimensions\":{\"security\":NaN}}")), "invalid_json", "$",
           "unexpected character", "NaN");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"dimensions\":{\"security\":Infinity}}")), "invalid_json",
           "$", NULL, "Infinity");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"dimensions\":{\"security\":01}}")), "invalid_json", "$",
           "leading zero", "leading zero");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"dimensions\":{\"security\":1.}}")), "invalid_json", "$",
           "digit expected", "1.");
    /* 1e-400 underflows to 0, as jansson reads it. */
    json_t *doc = expect_ok(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"now\":\"2026-11-21T00:00:00Z\","
                                                        "\"dimensions\":{\"security\":1e-400}}")),
                            "nerq.report", "1e-400");
    CHECK(json_real_value(json_object_get(doc, "trust_score")) == 0.0, "1e-400 scores 0");
    json_decref(doc);
    /* -0 and -0.0 are zero, and nerq never prints "-0". */
    const char *zeros[] = {"-0", "-0.0", "-0e5"};
    for (size_t i = 0; i < 3; i++) {
        char *req = fmt("{\"package\":{\"name\":\"x\"},\"now\":\"%s\",\"dimensions\":{\"security\":%s}}", NOW, zeros[i]);
        char *out = nerq_score_str(engine, req);
        CHECK(out && !strstr(out, "-0"), "%s: no -0 in the output", zeros[i]);
        json_t *d = take(out);
        CHECK(d && !err_of(d) && json_real_value(json_object_get(d, "trust_score")) == 0.0, "%s scores 0", zeros[i]);
        json_decref(d);
        free(req);
    }
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"registry\":{\"downloads\":1.5}}")), "invalid_type",
           "$.registry.downloads", "expected an integer", "a real where an integer belongs");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"registry\":{\"downloads_percentile\":100.5}}")),
           "invalid_value", "$.registry.downloads_percentile", "0.0...100.0", "percentile out of range");
    char *err = NULL;
    CHECK(nerq_engine_new_str("{\"policy\":{\"weights\":{\"security\":-1}}}", &err) == NULL, "negative weight refused");
    expect(take(err), "invalid_value", "$.policy.weights.security", NULL, "negative weight");
}

static void duplicates_and_types(nerq_engine *engine) {
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"a\",\"name\":\"b\"}}")), "invalid_json", "$", "duplicate object key",
           "duplicate key (nested)");
    /* more than 15 keys: the duplicate check switches to a set */
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,"
                                       "\"i\":1,\"j\":1,\"k\":1,\"l\":1,\"m\":1,\"n\":1,\"o\":1,\"p\":1,\"q\":1,\"c\":2}")),
           "invalid_json", "$", "duplicate object key", "duplicate key in a large object");
    const char *groups[] = {"registry", "repository", "source", "manifest", "dimensions", "advisories"};
    for (size_t i = 0; i < 6; i++) {
        char *req = fmt("{\"package\":{\"name\":\"x\"},\"%s\":\"oops\"}", groups[i]);
        char *path = fmt("$.%s", groups[i]);
        expect(take(nerq_score_str(engine, req)), "invalid_type", path, "expected an", groups[i]);
        free(req);
        free(path);
    }
    expect(take(nerq_score_str(engine, "{\"package\":\"nix\"}")), "invalid_type", "$.package", "expected an object", "package string");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"advisories\":[{\"id\":5}]}")), "invalid_type",
           "$.advisories[0].id", NULL, "advisory id number");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"now\":12}")), "invalid_type", "$.now", NULL, "now number");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"\"}}")), "invalid_value", "$.package.name", "non-empty",
           "empty name");
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"now\":\"2026-02-30T00:00:00Z\"}")), "invalid_value", "$.now",
           "RFC 3339", "February 30th");
    expect(take(nerq_assess_str(engine, "{\"lockfile_text\":\"\",\"options\":{\"include_dev\":\"yes\"}}")), "invalid_type",
           "$.options.include_dev", "expected a boolean", "assess option type");
    expect(take(nerq_assess_str(engine, "{\"metadata\":{\"packages\":5}}")), "invalid_type", "$.metadata.packages",
           "expected an array", "metadata packages type");
    expect(take(nerq_preflight_str(engine, "{\"target\":[\"nix\"]}")), "invalid_type", "$.target", NULL, "target array");
    expect(take(nerq_assess_str(engine, "{\"lockfile\":\"/x\",\"lockfile_text\":\"\"}")), "invalid_value", "$.lockfile_text",
           "not both", "lockfile and lockfile_text");
    expect(take(nerq_assess_str(engine, "{\"lockfile_text\":\"\",\"version\":2}")), "unsupported_version", "$.version", NULL,
           "assess request version 2");
    /* a package version that is not semver: kept as given, not looked up */
    json_t *doc = expect_ok(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\",\"version\":\"01.2.3\"}}")), "nerq.report",
                            "non-semver package version");
    CHECK(streq(json_string_value(json_object_get(json_object_get(doc, "package"), "version")), "01.2.3"), "version kept as given");
    json_decref(doc);
}

/* The registry (crates.io dump or nerq's store built from it): missing, not a dump, not a store, a
   malformed dump. Each refuses the engine with the error at $.registry; nothing is written. */
static void registry_configs(void) {
    struct reg_case {
        const char *what, *code, *msg;
        char *cfg;
    } cases[4];
    char *dump = fmt("%s/fake-dump", tmpdir), *data = fmt("%s/fake-dump/data", tmpdir);
    char *csv = fmt("%s/crates.csv", data), *notdb = fmt("%s/not-a-store.sqlite", tmpdir);
    mkdir(dump, 0755);
    mkdir(data, 0755);
    write_text(csv, "id,name\n1,\"unterminated\n");
    write_text(notdb, "this is not SQLite\n");
    cases[0] = (struct reg_case){"missing registry", "not_found", "no registry store or dump at",
                                      fmt("{\"registry\":\"%s/nope\"}", tmpdir)};
    cases[1] = (struct reg_case){"a directory that is not a dump", "not_found", "is not a crates.io dump",
                                      fmt("{\"registry\":\"%s\",\"registry_store\":\"%s/s1.sqlite\"}", data, tmpdir)};
    cases[2] = (struct reg_case){"a file that is not a store", "io_error", "file is not a database",
                                      fmt("{\"registry\":\"%s\"}", notdb)};
    cases[3] = (struct reg_case){"a dump with a malformed CSV", "parse_error", "crates.csv line 2: unterminated quoted field",
                                      fmt("{\"registry\":\"%s\",\"registry_store\":\"%s/s2.sqlite\"}", dump, tmpdir)};
    for (int i = 0; i < 4; i++) {
        char *err = NULL;
        CHECK(nerq_engine_new_str(cases[i].cfg, &err) == NULL, "%s: refused", cases[i].what);
        expect(take(err), cases[i].code, "$.registry", cases[i].msg, cases[i].what);
        free(cases[i].cfg);
    }
    free(dump);
    free(data);
    free(csv);
    free(notdb);
}

static void unknown_keys(nerq_engine *engine) {
    char *err = NULL;
    CHECK(nerq_engine_new_str("{\"policy\":{\"wieghts\":{}}}", &err) == NULL, "policy typo refused");
    expect(take(err), "unknown_key", "$.policy.wieghts", "wieghts", "policy typo");
    CHECK(nerq_engine_new_str("{\"policy\":{\"weights\":{\"speed\":1}}}", &err) == NULL, "unknown weight refused");
    json_t *d = take(err);
    CHECK(d && json_object_get(d, "error") && streq(path_of(d), "$.policy.weights.speed"), "unknown weight: %s %s", code_of(d),
          path_of(d));
    json_decref(d);
    registry_configs();
    expect(take(nerq_assess_str(engine, "{\"lockfile_text\":\"\",\"bogus\":1}")), "unknown_key", "$.bogus", "known keys",
           "assess unknown key");
    /* signals and preflight documents: unknown keys are ignored and listed */
    json_t *doc = expect_ok(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\",\"colour\":\"red\"},\"bogus\":1}")),
                            "nerq.report", "signals unknown keys");
    json_t *ignored = json_object_get(doc, "ignored_keys");
    CHECK(json_array_size(ignored) == 2, "two ignored keys listed: %zu", json_array_size(ignored));
    json_decref(doc);
}

static void files(nerq_engine *engine) {
    char *path = fmt("%s/missing/Cargo.lock", tmpdir);
    char *req = fmt("{\"lockfile\":\"%s\"}", path);
    expect(take(nerq_assess_str(engine, req)), "not_found", path, "no such file", "missing lockfile");
    free(req);
    req = fmt("{\"metadata_path\":\"%s\"}", path);
    expect(take(nerq_assess_str(engine, req)), "not_found", path, "no such file", "missing metadata");
    free(req);
    free(path);
    req = fmt("{\"lockfile\":\"%s\"}", tmpdir);
    expect(take(nerq_assess_str(engine, req)), "io_error", tmpdir, "not a regular file", "lockfile is a directory");
    free(req);
    expect(take(nerq_assess_str(engine, "{\"lockfile\":\"/dev/zero\"}")), "io_error", "/dev/zero", "not a regular file",
           "lockfile is /dev/zero");
    char *err = NULL;
    char *cfg = fmt("{\"advisory_db\":\"%s/no-such-db\"}", tmpdir);
    CHECK(nerq_engine_new_str(cfg, &err) == NULL, "missing advisory_db refused");
    expect(take(err), "not_found", "$.advisory_db", "advisory_db: advisory database not found", "missing advisory_db");
    free(cfg);
    char *empty = fmt("%s/empty-db", tmpdir);
    mkdir(empty, 0755);
    cfg = fmt("{\"advisory_db\":\"%s\"}", empty);
    CHECK(nerq_engine_new_str(cfg, &err) == NULL, "empty advisory_db refused");
    expect(take(err), "not_found", "$.advisory_db", "no advisories under", "empty advisory_db");
    free(cfg);
    free(empty);
    expect(take(nerq_assess_str(engine, "{\"metadata_path\":\"/etc/hostname\"}")), "invalid_json", "/etc/hostname", "/etc/hostname: ",
           "metadata that is not JSON");
    /* over the 512 MB limit: refused from its size, before reading (a sparse file costs nothing) */
    char *big = fmt("%s/sparse.lock", tmpdir);
    FILE *f = fopen(big, "w");
    CHECK(f && ftruncate(fileno(f), (off_t)513 << 20) == 0, "sparse 513 MB file");
    if (f) fclose(f);
    req = fmt("{\"lockfile\":\"%s\"}", big);
    expect(take(nerq_assess_str(engine, req)), "invalid_value", big, "is larger than 536870912 bytes", "lockfile over 512 MB");
    unlink(big);
    free(req);
    free(big);
}

static const char *LOCK = "version = 3\n[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\ndependencies = [\"atty\"]\n"
                          "[[package]]\nname = \"atty\"\nversion = \"0.2.14\"\n"
                          "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

/* An assess request for a lockfile text (no source scan). */
static char *assess_text(nerq_engine *engine, const char *lock, const char *extra_options) {
    json_t *req = json_pack("{s:s, s:s}", "lockfile_text", lock, "now", NOW);
    json_t *opts = json_pack("{s:b}", "scan_sources", 0);
    if (extra_options) {
        json_error_t e;
        json_t *more = json_loads(extra_options, 0, &e);
        json_object_update(opts, more);
        json_decref(more);
    }
    json_object_set_new(req, "options", opts);
    char *text = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    char *out = nerq_assess_str(engine, text);
    free(text);
    return out;
}

static void lockfiles(nerq_engine *engine) {
    /* binary: random bytes with NULs, as a file (a JSON string cannot carry NUL) */
    unsigned char bin[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof bin; i++) {
        x = x * 1103515245u + 12345u;
        bin[i] = (unsigned char)(x >> 16);
    }
    char *path = fmt("%s/binary.lock", tmpdir);
    CHECK(write_file(path, bin, sizeof bin) == 0, "write %s", path);
    char *req = fmt("{\"lockfile\":\"%s\"}", path);
    json_t *doc = take(nerq_assess_str(engine, req));
    const char *p = path_of(doc);
    CHECK(startswith(p, path) && p[strlen(path)] == ':', "binary lockfile: path is FILE:LINE:COLUMN: %s", p);
    CHECK(startswith(msg_of(doc), path), "binary lockfile: message starts with the file: %s", msg_of(doc));
    expect(doc, "parse_error", NULL, NULL, "binary lockfile");
    free(req);
    free(path);
    expect(take(nerq_assess_str(engine, "{\"lockfile_text\":\"\\u0000\"}")), "invalid_json", "$", "\\u0000", "NUL in lockfile_text");
    expect(take(assess_text(engine, "\x01\x02\x03", NULL)), "parse_error", "Cargo.lock:1:1", "Cargo.lock:1:1: ", "control bytes");

    /* every truncation of a small lockfile: an assessment or a parse_error, nothing else */
    size_t n = strlen(LOCK);
    char *buf = malloc(n + 1);
    int other = 0, errors = 0;
    for (size_t len = 0; len <= n; len++) {
        memcpy(buf, LOCK, len);
        buf[len] = 0;
        json_t *d = take(assess_text(engine, buf, NULL));
        if (err_of(d)) {
            errors++;
            if (!streq(code_of(d), "parse_error") || !startswith(path_of(d), "Cargo.lock")) {
                other++;
                fprintf(stderr, "  truncated at %zu: %s %s %s\n", len, code_of(d), path_of(d), msg_of(d));
            }
        } else if (!streq(json_string_value(json_object_get(d, "kind")), "nerq.assessment")) {
            other++;
        }
        json_decref(d);
    }
    CHECK(other == 0 && errors > 0, "truncated lockfiles: %d parse errors, %d other results", errors, other);
    free(buf);
    expect(take(assess_text(engine, "version = 99\n", NULL)), "parse_error", "Cargo.lock", "unsupported lockfile version",
           "lockfile version 99");
    expect(take(assess_text(engine, "[dependencies]\nserde = \"1\"\n", NULL)), "parse_error", "Cargo.lock", "not a Cargo.lock",
           "a Cargo.toml given as a lockfile");
    expect(take(assess_text(engine, "[[package]]\nversion = \"1.0.0\"\n", NULL)), "parse_error", NULL, NULL, "package without a name");

    /* duplicate packages: counted once, reported in issues */
    doc = expect_ok(take(assess_text(engine,
                                     "version = 3\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n"
                                     "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n",
                                     NULL)),
                    "nerq.assessment", "duplicate packages");
    CHECK(json_array_size(json_object_get(doc, "packages")) == 1, "duplicate package counted once");
    CHECK(json_array_size(json_object_get(doc, "issues")) == 1 &&
              strstr(json_string_value(json_array_get(json_object_get(doc, "issues"), 0)), "duplicate"),
          "duplicate listed in issues");
    json_decref(doc);

    /* a dependency cycle and a dangling reference */
    doc = expect_ok(take(assess_text(engine,
                                     "version = 3\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\ndependencies = [\"b\"]\n"
                                     "[[package]]\nname = \"b\"\nversion = \"1.0.0\"\ndependencies = [\"a\", \"ghost 9.9.9\"]\n",
                                     "{\"max_paths\":50}")),
                    "nerq.assessment", "dependency cycle");
    CHECK(json_array_size(json_object_get(doc, "packages")) == 2, "cycle: two packages");
    CHECK(json_array_size(json_object_get(doc, "issues")) == 1 &&
              strstr(json_string_value(json_array_get(json_object_get(doc, "issues"), 0)), "ghost"),
          "dangling reference listed in issues");
    json_decref(doc);

    /* a version that is not semver: assessed, not matched, noted */
    doc = expect_ok(take(assess_text(engine,
                                     "version = 3\n[[package]]\nname = \"a\"\nversion = \"one\"\n"
                                     "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
                                     NULL)),
                    "nerq.assessment", "non-semver version");
    char *notes = json_dumps(json_object_get(doc, "notes"), 0);
    CHECK(notes && strstr(notes, "version is not semver"), "non-semver noted: %s", notes);
    free(notes);
    json_decref(doc);

    /* 50 MB: a huge comment (the parser's bytes), fast */
    size_t big = 50u << 20;
    char *huge = malloc(big + 200);
    int off = sprintf(huge, "version = 3\n# ");
    memset(huge + off, 'x', big);
    sprintf(huge + off + big, "\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n");
    path = fmt("%s/huge-comment.lock", tmpdir);
    CHECK(write_text(path, huge) == 0, "write %s", path);
    free(huge);
    req = fmt("{\"lockfile\":\"%s\",\"options\":{\"scan_sources\":false}}", path);
    doc = expect_ok(take(nerq_assess_str(engine, req)), "nerq.assessment", "50 MB lockfile (one long comment)");
    CHECK(json_array_size(json_object_get(doc, "packages")) == 1, "50 MB comment: one package");
    json_decref(doc);
    unlink(path);
    free(req);
    free(path);
}

/* 50 MB of 222,000 packages: parses and assesses (about 16 s and a 315 MB result). */
static void huge_lockfile(nerq_engine *engine) {
    char *path = fmt("%s/huge.lock", tmpdir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "open %s", path);
    if (!f) return;
    long size = fprintf(f, "version = 3\n");
    int n = 0;
    while (size < 50L << 20) {
        size += fprintf(f,
                        "\n[[package]]\nname = \"crate-%d\"\nversion = \"1.0.%d\"\n"
                        "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
                        "checksum = \"%064d\"\ndependencies = [\n \"crate-%d\",\n]\n",
                        n, n, 0, n > 0 ? n - 1 : 0);
        n++;
    }
    fclose(f);
    char *req = fmt("{\"lockfile\":\"%s\",\"options\":{\"scan_sources\":false}}", path);
    json_t *doc = expect_ok(take(nerq_assess_str(engine, req)), "nerq.assessment", "50 MB lockfile");
    CHECK(json_array_size(json_object_get(doc, "packages")) == (size_t)n, "50 MB lockfile: %d packages, got %zu", n,
          json_array_size(json_object_get(doc, "packages")));
    json_decref(doc);
    unlink(path);
    free(req);
    free(path);
}

static void advisories(void) {
    /* A database with good, malformed and hostile advisories: the engine loads, the bad ones are
       listed with file, line and message, the good one still matches. */
    char *root = fmt("%s/advisory-db", tmpdir);
    char *dir = fmt("%s/crates/atty", root);
    char *tmp = fmt("%s/crates", root);
    mkdir(root, 0755);
    mkdir(tmp, 0755);
    mkdir(dir, 0755);
    free(tmp);
    struct {
        const char *name, *text;
    } files[] = {
        {"RUSTSEC-2021-0145.md", "```toml\n[advisory]\nid = \"RUSTSEC-2021-0145\"\npackage = \"atty\"\ndate = \"2021-07-04\"\n"
                                 "informational = \"unsound\"\n[versions]\npatched = []\n```\n\n# Potential unaligned read\n"},
        {"RUSTSEC-0000-0001.md", "no front matter at all\n"},
        {"RUSTSEC-0000-0002.md", "```toml\n[advisory]\nid = \"RUSTSEC-0000-0002\"\npackage = \"atty\"\ndate = \"2021-07-04\"\n"
                                 "[versions]\npatched = [\"not a requirement\"]\n```\n\n# Bad requirement\n"},
        {"RUSTSEC-0000-0003.md", "```toml\n[advisory]\nid = \"RUSTSEC-0000-0003\"\npackage = \"atty\"\ndate = \"2021-07-04\"\n"
                                 "cvss = \"CVSS:3.1/AV:Q/AC:L\"\n[versions]\npatched = []\n```\n\n# Bad CVSS\n"},
        {"RUSTSEC-0000-0004.md", "```toml\n[advisory]\nid = \"RUSTSEC-0000-0004\"\npackage = \"atty\"\n"},
        {"RUSTSEC-0000-0005.md", "```toml\n[advisory\n```\n"},
        {"RUSTSEC-0000-0006.md", "\xff\xfe```toml\n"},
        {"RUSTSEC-0000-0007.json", "{\"id\":\"X\",\"affected\":[{\"package\":{\"ecosystem\":\"crates.io\",\"name\":\"atty\"},"
                                   "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"banana\"}]}]}]}"},
        {"RUSTSEC-0000-0008.json", "{\"id\":"},
    };
    size_t nfiles = sizeof files / sizeof files[0];
    for (size_t i = 0; i < nfiles; i++) {
        char *p = fmt("%s/%s", dir, files[i].name);
        CHECK(write_text(p, files[i].text) == 0, "write %s", p);
        free(p);
    }
    char *cfg = fmt("{\"advisory_db\":\"%s\",\"now\":\"%s\"}", root, NOW);
    char *err = NULL;
    nerq_engine *engine = nerq_engine_new_str(cfg, &err);
    CHECK(engine != NULL && err == NULL, "malformed advisories do not fail the load: %s", err ? err : "");
    nerq_free(err);
    free(cfg);
    if (engine) {
        json_t *doc = expect_ok(take(assess_text(engine, LOCK, NULL)), "nerq.assessment", "assess with malformed advisories");
        json_t *db = json_object_get(doc, "database");
        size_t nerr = (size_t)json_integer_value(json_object_get(db, "error_count"));
        CHECK(nerr == nfiles - 1, "every bad file is listed: %zu of %zu", nerr, nfiles - 1);
        json_t *errors = json_object_get(db, "errors");
        size_t k;
        json_t *e;
        int shaped = 1;
        json_array_foreach(errors, k, e) {
            const char *file = json_string_value(json_object_get(e, "file"));
            json_t *line = json_object_get(e, "line");
            if (!startswith(file, "crates/atty/RUSTSEC-0000-000") || !json_string_value(json_object_get(e, "message")) ||
                !(json_is_null(line) || json_integer_value(line) >= 1))
                shaped = 0;
        }
        CHECK(shaped, "errors name file, line and message");
        CHECK(json_integer_value(json_object_get(db, "advisories")) == 1, "the good advisory loads");
        CHECK(json_array_size(json_object_get(doc, "findings")) == 1 &&
                  streq(json_string_value(json_object_get(json_array_get(json_object_get(doc, "findings"), 0), "id")),
                        "RUSTSEC-2021-0145"),
              "the good advisory matches atty 0.2.14");
        json_decref(doc);
        nerq_engine_free(engine);
    }
    free(dir);
    free(root);
}

static void versions_and_cvss(nerq_engine *engine) {
    const char *targets[] = {"nix@01.2.3", "nix@1.2", "nix@1.2.3.4", "nix@", "nix@1.2.3-", "nix@18446744073709551616.0.0",
                             "nix@^1.2.3", "@1.0.0", "a@b@c", " nix", "ni x"};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        char *req = fmt("{\"target\":\"%s\"}", targets[i]);
        char *what = fmt("preflight target \"%s\"", targets[i]);
        expect(take(nerq_preflight_str(engine, req)), "invalid_value", "$.target", NULL, what);
        free(req);
        free(what);
    }
    const char *vectors[] = {"", "CVSS:3.1", "CVSS:3.1/", "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                             "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                             "CVSS:9.9/AV:N", "AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS:4.0/AV:N", "cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h",
                             "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/"};
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        char *req = fmt("{\"package\":{\"name\":\"x\",\"version\":\"1.0.0\"},"
                        "\"advisories\":[{\"id\":\"A\",\"kind\":\"vulnerability\",\"cvss\":\"%s\"}]}",
                        vectors[i]);
        char *what = fmt("CVSS vector \"%s\"", vectors[i]);
        expect(take(nerq_score_str(engine, req)), "invalid_value", "$.advisories[0].cvss", "invalid CVSS vector", what);
        free(req);
        free(what);
    }
    expect(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\"},\"advisories\":[{\"id\":\"A\",\"kind\":\"vulnerability\","
                                       "\"cvss_score\":10.5}]}")),
           "invalid_value", "$.advisories[0].cvss_score", NULL, "CVSS score above 10");
    /* Requirements in a signals document are the host's text: kept, not parsed (no upgrade_to). */
    json_t *doc = expect_ok(take(nerq_score_str(engine, "{\"package\":{\"name\":\"x\",\"version\":\"1.0.0\"},\"advisories\":"
                                                        "[{\"id\":\"A\",\"kind\":\"vulnerability\",\"patched\":[\"not a req\"]}]}")),
                            "nerq.report", "unparsable patched requirement in signals");
    json_t *f = json_array_get(json_object_get(doc, "findings"), 0);
    CHECK(f && !json_object_get(f, "upgrade_to"), "no upgrade_to from an unparsable requirement");
    json_decref(doc);
}

static void rust_sources(nerq_engine *engine) {
    /* A vendored crate full of hostile files, reached through assess's source scan. */
    char *vendor = fmt("%s/vendor", tmpdir);
    char *crate = fmt("%s/evil-0.1.0", vendor);
    char *src = fmt("%s/src", crate);
    mkdir(vendor, 0755);
    mkdir(crate, 0755);
    mkdir(src, 0755);
    char *p = fmt("%s/Cargo.toml", crate);
    write_text(p, "[package]\nname = \"evil\"\nversion = \"0.1.0\"\nlicense = \"MIT\"\n");
    free(p);
    p = fmt("%s/lib.rs", src);
    write_text(p, "pub fn a() { unsafe { } }\nmod s; mod c; mod deep; mod huge; mod out;\n");
    free(p);
    p = fmt("%s/s.rs", src);
    write_text(p, "fn x() { let s = \"never closed\n unsafe { }");
    free(p);
    p = fmt("%s/c.rs", src);
    write_text(p, "/* /* */\nunsafe { }");
    free(p);
    size_t n = 2000000; /* a million nested comment openers */
    char *deep = malloc(n + 1);
    for (size_t i = 0; i < n; i += 2) {
        deep[i] = '/';
        deep[i + 1] = '*';
    }
    p = fmt("%s/deep.rs", src);
    write_file(p, deep, n);
    free(p);
    free(deep);
    size_t hn = 9u << 20; /* above the scanner's 8 MB per-file limit */
    char *h = malloc(hn);
    memset(h, '\n', hn);
    p = fmt("%s/huge.rs", src);
    write_file(p, h, hn);
    free(p);
    free(h);
    p = fmt("%s/out.rs", src);
    CHECK(symlink("/etc/passwd", p) == 0 || errno == EEXIST, "symlink out of the crate");
    free(p);
    p = fmt("%s/bin.rs", src);
    write_file(p, "fn x() {}\0\1\2", 12);
    free(p);

    char *req = fmt("{\"lockfile_text\":\"version = 3\\n[[package]]\\nname = \\\"evil\\\"\\nversion = \\\"0.1.0\\\"\\n"
                    "source = \\\"registry+https://github.com/rust-lang/crates.io-index\\\"\\n\","
                    "\"now\":\"%s\",\"options\":{\"vendor_dirs\":[\"%s\"]}}",
                    NOW, vendor);
    json_t *doc = expect_ok(take(nerq_assess_str(engine, req)), "nerq.assessment", "assess a hostile vendored crate");
    free(req);
    char *text = json_dumps(doc, JSON_COMPACT);
    /* the source group the scanner reported for evil 0.1.0 */
    json_t *pkg = json_array_get(json_object_get(doc, "packages"), 0);
    json_t *source = json_object_get(json_object_get(pkg, "signals"), "source");
    if (!source) source = json_object_get(pkg, "scan");
    json_t *skipped = json_object_get(source, "skipped_files");
    CHECK(source != NULL, "the crate was scanned: %.300s", text);
    CHECK(json_integer_value(json_object_get(skipped, "symlink_outside")) == 1, "symlink out of the crate skipped");
    CHECK(json_integer_value(json_object_get(skipped, "huge")) == 1, "9 MB file skipped as huge");
    CHECK(json_integer_value(json_object_get(skipped, "binary")) == 1, "file with NUL bytes skipped as binary");
    CHECK(json_integer_value(json_object_get(source, "lex_error_count")) == 3,
          "unterminated string, comment and a million nested comments: %lld lex errors",
          (long long)json_integer_value(json_object_get(source, "lex_error_count")));
    CHECK(json_integer_value(json_object_get(source, "unsafe_blocks")) == 1, "unsafe inside strings/comments not counted: %lld",
          (long long)json_integer_value(json_object_get(source, "unsafe_blocks")));
    free(text);
    json_decref(doc);
    free(src);
    free(crate);
    free(vendor);
}

/* nerq_render: hostile documents and options. Values must come out escaped (no ESC, no NUL, no
 * line that is a workflow command); bad types and kinds are errors naming $.document/$.options. */
static json_t *take_render_error(char *out, char *err, const char *what) {
    CHECK(out == NULL, "%s: no text on failure", what);
    nerq_free(out);
    return take(err);
}

static char *render_json(json_t *doc, const char *format) {
    json_t *opts = json_pack("{s:s}", "format", format);
    json_t *err = NULL;
    char *out = nerq_render(doc, opts, &err);
    if (err) fprintf(stderr, "render error: %s\n", code_of(err));
    json_decref(err);
    json_decref(opts);
    return out;
}

static void render_input(void) {
    char *err = NULL;
    char *out = nerq_render_str("{\"kind\":\"nerq.report\",\"package\":{\"name\":\"\xff\"}}", NULL, &err);
    expect(take_render_error(out, err, "invalid UTF-8"), "invalid_json", "$.document", "UTF-8", "render invalid UTF-8");
    char *deep = malloc(300);
    if (!deep) abort();
    memset(deep, '[', 129);
    memset(deep + 129, ']', 129);
    deep[258] = 0;
    out = nerq_render_str(deep, NULL, &err);
    expect(take_render_error(out, err, "nesting"), "invalid_json", "$.document", "nested deeper than 128", "render 129 levels");
    free(deep);
    /* json_t: 129 levels, invalid UTF-8 in a value, an embedded NUL */
    json_t *nest = json_array();
    for (int i = 0; i < 129; i++) {
        json_t *outer = json_array();
        json_array_append_new(outer, nest);
        nest = outer;
    }
    json_t *jerr = NULL;
    CHECK(nerq_render(nest, NULL, &jerr) == NULL, "render json_t 129 levels");
    CHECK(streq(code_of(jerr), "too_deep") && startswith(path_of(jerr), "$.document["), "too_deep under $.document: %s", path_of(jerr));
    json_decref(jerr);
    json_decref(nest);
    json_t *doc = json_pack("{s:s, s:{s:o}}", "kind", "nerq.report", "package", "name", json_stringn_nocheck("\xc0\x80", 2));
    jerr = NULL;
    CHECK(nerq_render(doc, NULL, &jerr) == NULL, "render json_t invalid UTF-8");
    CHECK(streq(code_of(jerr), "invalid_value") && streq(path_of(jerr), "$.document.package.name"), "path %s", path_of(jerr));
    json_decref(jerr);
    json_decref(doc);
    const char hostile[] = "a\0b\x1b[2J\r\n::set-output name=x::y\xe2\x80\xae";
    doc = json_pack("{s:s, s:{s:o}, s:s}", "kind", "nerq.report", "package", "name",
                    json_stringn(hostile, sizeof hostile - 1), "recommendation", "##[add-mask]secret");
    const char *formats[] = {"human", "markdown", "sarif", "html", "json"};
    for (size_t f = 0; f < 5; f++) {
        out = render_json(doc, formats[f]);
        CHECK(out != NULL, "hostile name renders as %s", formats[f]);
        if (!out) continue;
        CHECK(strchr(out, '\x1b') == NULL, "%s: no ESC", formats[f]);
        CHECK(strchr(out, '\r') == NULL, "%s: no CR", formats[f]);
        CHECK(strstr(out, "\xe2\x80\xae") == NULL, "%s: no bidi override", formats[f]);
        CHECK(strstr(out, "##[") == NULL, "%s: no ##[", formats[f]);
        for (const char *line = out; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
            const char *p = line;
            while (*p == ' ' || *p == '\t') p++;
            CHECK(strncmp(p, "::", 2) != 0, "%s: a line starts with ::", formats[f]);
        }
        nerq_free(out);
    }
    json_decref(doc);
    /* options */
    out = nerq_render_str("{\"kind\":\"nerq.preflight\"}", "{\"width\":1e3}", &err);
    expect(take_render_error(out, err, "real width"), "invalid_type", "$.options.width", "integer", "render width 1e3");
    out = nerq_render_str("{\"kind\":\"nerq.preflight\"}", "{\"base\":\"relative/dir\"}", &err);
    expect(take_render_error(out, err, "relative base"), "invalid_value", "$.options.base", "absolute", "render relative base");
    out = nerq_render_str("{\"kind\":\"nerq.report\",\"version\":0,\"package\":{\"name\":\"a\"}}", NULL, &err);
    expect(take_render_error(out, err, "version 0"), "unsupported_version", "$.document.version", NULL, "render version 0");
    out = nerq_render_str("{\"kind\":\"nerq.report\"}", NULL, &err);
    expect(take_render_error(out, err, "no package"), "missing_field", "$.document", "package", "render report without package");
    out = nerq_render_str("{\"kind\":\"nerq.report\",\"package\":{\"name\":\"a\"},\"future_key\":[1,{}],"
                          "\"verdict\":{\"level\":\"brand-new\"},\"findings\":[{\"kind\":\"not_found\",\"severity\":\"info\"}]}",
                          "{\"format\":\"html\"}", &err);
    CHECK(out != NULL && err == NULL, "unknown keys, levels and kinds render");
    nerq_free(out);
}

static void remove_tree(const char *path) {
    char *cmd = fmt("rm -rf '%s'", path);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", path);
    free(cmd);
}

int main(int argc, char **argv) {
    int huge = argc > 1 && strcmp(argv[1], "--huge") == 0;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/nerq-bad-input-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    nerq_engine *engine = nerq_engine_new_str("{\"now\":\"2026-11-21T00:00:00Z\"}", NULL);
    if (!engine) return 2;
    null_pointers(engine);
    invalid_utf8(engine);
    truncated_json(engine);
    nesting(engine);
    numbers(engine);
    duplicates_and_types(engine);
    unknown_keys(engine);
    files(engine);
    lockfiles(engine);
    if (huge) huge_lockfile(engine);
    advisories();
    versions_and_cvss(engine);
    rust_sources(engine);
    render_input();
    nerq_engine_free(engine);
    remove_tree(tmpdir);
    printf("bad-input: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
