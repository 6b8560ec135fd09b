/*
 * One cold nerq assessment as its own process, for bench_assess.py: create an engine on the
 * advisory database (loads it), assess the lockfile, write the nerq.assessment JSON to stdout.
 *   nerq_assess_cli DB LOCKFILE        full run
 *   nerq_assess_cli DB --load-only     database load alone (an engine reads its database on first use:
 *                                      here a preflight of one crate, which reads it all)
 *   nerq_assess_cli DB LOCKFILE [--no-scan] [--flagged] [--targets] [--no-references]
 *       --no-scan        without reading crate sources (what cargo-audit does)
 *       --flagged        full reports only for flagged packages (options.reports = "flagged")
 *       --targets        the compiled set for Linux, Windows and macOS (docs/reachability.md)
 *       --no-references  no search for the affected functions (on by default when sources are scanned)
 */
#include <nerq.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ADVISORY_DB LOCKFILE|--load-only\n", argv[0]);
        return 2;
    }
    json_t *config = json_pack("{s:s}", "advisory_db", argv[1]);
    const char *now = getenv("NERQ_NOW"); /* fixed "now" for reproducible output */
    if (now) json_object_set_new(config, "now", json_string(now));
    json_t *error = NULL;
    nerq_engine *engine = nerq_engine_new(config, &error);
    json_decref(config);
    if (!engine) {
        char *text = json_dumps(error, JSON_COMPACT);
        fprintf(stderr, "%s\n", text ? text : "out of memory");
        free(text);
        json_decref(error);
        return 2;
    }
    int status = 0;
    if (strcmp(argv[2], "--load-only") == 0) {
        char *out = nerq_preflight_str(engine, "{\"target\": \"nerq-bench-none@0.0.0\"}");
        if (!out || strncmp(out, "{\"error\"", 8) == 0) status = 2;
        nerq_free(out);
    } else {
        int scan = 1, flagged = 0, targets = 0, references = 1;
        for (int i = 3; i < argc; i++) {
            if (strcmp(argv[i], "--no-scan") == 0) scan = 0;
            else if (strcmp(argv[i], "--flagged") == 0) flagged = 1;
            else if (strcmp(argv[i], "--targets") == 0) targets = 1;
            else if (strcmp(argv[i], "--no-references") == 0) references = 0;
            else {
                fprintf(stderr, "unknown option %s\n", argv[i]);
                return 2;
            }
        }
        json_t *request = json_pack("{s:s, s:{s:b, s:s, s:b}}", "lockfile", argv[2], "options", "scan_sources", scan,
                                    "reports", flagged ? "flagged" : "all", "references", references);
        if (targets) {
            json_object_set_new(json_object_get(request, "options"), "targets",
                                json_pack("[s,s,s]", "x86_64-unknown-linux-gnu", "x86_64-pc-windows-msvc", "aarch64-apple-darwin"));
        }
        char *request_text = json_dumps(request, JSON_COMPACT);
        char *out = nerq_assess_str(engine, request_text);
        if (!out || strncmp(out, "{\"error\"", 8) == 0) status = 2;
        if (out) fwrite(out, 1, strlen(out), stdout);
        nerq_free(out);
        free(request_text);
        json_decref(request);
    }
    nerq_engine_free(engine);
    return status;
}
