/*
 * nerq.h — trust scores for open-source packages (C API, contract v1).
 *
 * This header is the contract: what it does not declare is not API.
 *
 * Documents. Requests and results are JSON: either jansson's json_t (the json_t functions) or the
 * same documents as UTF-8 text (the *_str functions). Every document nerq returns carries "kind" and
 * "version"; readers must ignore keys they do not know. Schemas: the schemas/ folder (JSON Schema).
 *
 * Ownership. Requests are BORROWED: nerq never keeps or modifies them. Results are NEW: a json_t
 * result is a new reference the caller releases with json_decref(); a char* result is a heap string
 * the caller releases with nerq_free() (never free(): do not mix allocators).
 *
 * Failure is a result, not a crash. A function that cannot do what was asked returns an error
 * document instead of its usual one:
 *     {"error": {"code": "invalid_type", "message": "expected a string", "path": "$.package.name"}}
 * "path" is a JSON path into the request (or a file location, or null). A json_t or char* result is
 * NULL only when memory ran out. Error codes are stable snake_case strings:
 *     null_argument        a required pointer was NULL (engine, request)
 *     invalid_json         request text is not JSON, or not UTF-8 (the message names line and column)
 *     invalid_type         a value has the wrong JSON type ("path" names it)
 *     invalid_value        right type, but out of range or malformed (a date, a version, a CVSS vector)
 *     missing_field        a required key is absent ("path" names the object)
 *     unknown_key          engine configuration has a key nerq does not know (a typo must not pass)
 *     unsupported_version  a document "kind" or "version" nerq does not read
 *     too_deep             JSON nested deeper than 128 levels
 *     not_found            a file, directory or package that is not there
 *     io_error             reading a file failed
 *     parse_error          a file (TOML, Cargo.lock, advisory) could not be parsed (path: file:line:column)
 *     network_error        a download failed: connection, timeout, HTTP status, size cap (nerq_fetch)
 *     out_of_memory        an allocation failed while building an error (rare: usually the result is NULL)
 *     internal_error       a bug in nerq; please report it with the request
 * New codes may be added in a minor version; no code is ever renamed. Each is also a named constant
 * (NERQ_ERR_NULL_ARGUMENT is "null_argument", ...), so a host can compare without typing strings.
 *
 * Threads. Every function may be called from any thread at any time. An engine is immutable after
 * nerq_engine_new returns (the calls take it as const nerq_engine *) and may be shared by any number
 * of threads; free it only once no call using it is running. What an engine keeps to answer faster
 * (its advisory database, read on first use; crate sources it scanned) is filled in under a lock and
 * never changes an answer. nerq keeps no mutable global state.
 *
 * Network. Only nerq_fetch uses the network; every other call reads what is on disk.
 *
 * Loading. The library is linked with -z nodelete: dlclose() does not unload it (the Swift runtime
 * keeps pointers into a loaded image). Only nerq_* symbols are exported.
 *
 * Link with:  pkg-config --cflags --libs nerq   (or -lnerq -ljansson)
 */
#ifndef NERQ_H
#define NERQ_H

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time version of this header: NERQ_VERSION_MAJOR/MINOR/PATCH, NERQ_VERSION ("0.2.0"),
 * NERQ_VERSION_NUMBER (MAJOR * 10000 + MINOR * 100 + PATCH) and NERQ_ABI_VERSION, kept in
 * nerq_version.h. Compare with nerq_version() / nerq_abi_version() at run time. */
#include "nerq_version.h"

/* The error codes above as constants, for comparing with an error document's "code" (strcmp). */
#define NERQ_ERR_NULL_ARGUMENT "null_argument"
#define NERQ_ERR_INVALID_JSON "invalid_json"
#define NERQ_ERR_INVALID_TYPE "invalid_type"
#define NERQ_ERR_INVALID_VALUE "invalid_value"
#define NERQ_ERR_MISSING_FIELD "missing_field"
#define NERQ_ERR_UNKNOWN_KEY "unknown_key"
#define NERQ_ERR_UNSUPPORTED_VERSION "unsupported_version"
#define NERQ_ERR_TOO_DEEP "too_deep"
#define NERQ_ERR_NOT_FOUND "not_found"
#define NERQ_ERR_IO_ERROR "io_error"
#define NERQ_ERR_PARSE_ERROR "parse_error"
#define NERQ_ERR_NETWORK_ERROR "network_error"
#define NERQ_ERR_OUT_OF_MEMORY "out_of_memory"
#define NERQ_ERR_INTERNAL_ERROR "internal_error"

/* The library's version, "MAJOR.MINOR.PATCH". Static storage: never free it. Thread-safe. */
const char *nerq_version(void);

/* NERQ_ABI_VERSION of the header the library was built with. A host should refuse to run when it
 * differs from its own NERQ_ABI_VERSION. Thread-safe. */
int nerq_abi_version(void);

/* An engine: loaded data (advisory database, registry snapshot) and scoring policy. Opaque. */
typedef struct nerq_engine nerq_engine;

/*
 * Creates an engine from a configuration object (BORROWED; NULL is exactly {}: all defaults):
 *     {"advisory_db": "/path/to/advisory-db",   RustSec advisory-db directory or OSV records (default:
 *                                               $NERQ_ADVISORY_DB, then $CARGO_HOME/advisory-db or
 *                                               ~/.cargo/advisory-db, then the copy nerq_fetch keeps in
 *                                               the cache; none = advisories not checked, which every
 *                                               result says, and nothing is then "safe")
 *      "osv": "/path/or/[paths]",               OSV records (directories or files), merged with the
 *                                               advisory-db by id and aliases: one finding per
 *                                               vulnerability (default: the OSV export nerq_fetch keeps)
 *      "registry": "/path/to/dump-or-store",    crates.io database dump (folder or .tar.gz) or nerq's store
 *                                               built from it; a dump is ingested once into the store
 *                                               (default: the store nerq_fetch built from a fetched dump)
 *      "registry_store": "/path/store.sqlite",  where that store is kept (default $NERQ_CACHE_DIR, else
 *                                               $XDG_CACHE_HOME/nerq or ~/.cache/nerq)
 *      "cache_dir": "/path",                    where fetched data lives (default $NERQ_CACHE_DIR, then
 *                                               $XDG_CACHE_HOME/nerq, then ~/.cache/nerq)
 *      "index_url": "https://index.crates.io/", the sparse index whose cached files are read (default
 *                                               $NERQ_INDEX_URL); cargo's own index cache is read first
 *      "advisory_db_url", "osv_url", "db_dump_url": accepted so one object configures both the engine
 *                                               and nerq_fetch (the engine does not use them)
 *      "max_staleness_days": 90,                results warn about data older than this (default 90, as
 *                                               cargo-audit and cargo-deny)
 *      "now": "2026-11-21T00:00:00Z",           the moment reports speak of (default: the clock, per call);
 *                                               advisories published after it do not count
 *      "scan_sources": true,                    read a crate's source and Cargo.toml when they are on this
 *                                               machine (default true); each crate is scanned once per
 *                                               engine while its files are unchanged
 *      "policy": {"weights": {"security": 0.55, ...},      per-dimension weights (>= 0)
 *                 "caps": {"critical": 35, "high": 45, "vulnerability": 59, "unsound": 65,
 *                          "unmaintained": 65, "yanked": 50, "malicious": 0},
 *                 "thresholds": {"safe": 70, "caution": 55, "warning": 40, "verified_score": 70,
 *                                "verified_coverage": 0.6, "minimum_coverage": 0.5},
 *                 "ignore": ["RUSTSEC-2020-0071",        advisory ids or aliases, or entries
                            {"id": "CVE-2020-26235", "reason": "...", "expires": "2027-01-31"}]}}
 *                                               (an entry stops applying at `expires`, compared with now;
 *                                               a malformed RUSTSEC/CVE/TALOS id is invalid_value)
 * Unknown keys are an error (unknown_key, naming them). The environment variables nerq reads (HOME,
 * CARGO_HOME, XDG_CACHE_HOME, NERQ_*) are read here, once: the engine never reads them again. The
 * advisory database is found and checked here (a missing one, one without advisory files, or one
 * where no advisory loads is a creation error naming the path and the first errors) and read on
 * first use: the first nerq_assess reads it on other threads while it parses the project's
 * lockfile, and other threads calling meanwhile wait for that one read. Reading files (the
 * database, crate sources) runs on up to max(16, cores) threads the library starts and joins
 * within the call: files not in the page cache are read in parallel. Malformed advisory files
 * among good ones are not creation errors: they are listed in each assessment's database.errors.
 * Returns a new engine (free with nerq_engine_free), or NULL on failure. On failure, if error is not
 * NULL, *error receives a NEW reference to an {"error": ...} document (NULL if memory ran out); on
 * success *error is set to NULL. Thread-safe.
 */
nerq_engine *nerq_engine_new(const json_t *config, json_t **error);

/* As nerq_engine_new, with the configuration as JSON text (NULL is exactly "{}"). On failure *error
 * receives a heap string (free with nerq_free). */
nerq_engine *nerq_engine_new_str(const char *config_json, char **error);

/* Frees an engine. NULL is a no-op. The engine must not be in use by another thread. */
void nerq_engine_free(nerq_engine *engine);

/*
 * Scores one package. request (BORROWED) is a nerq.signals document:
 *     {"package": {"ecosystem": "crates.io", "name": "nix", "version": "0.26.1"},
 *      "now": "...", "advisories": [...], "registry": {...}, "repository": {...},
 *      "source": {...}, "manifest": {...}, "dimensions": {"security": 90}}
 * Returns a NEW reference to a nerq.report document or an error document; NULL only when memory ran
 * out. engine may be NULL: default policy and no data at all: no file is read and no environment
 * variable consulted; the report is computed from the request alone. Thread-safe.
 */
json_t *nerq_score(const nerq_engine *engine, const json_t *request);

/*
 * Assesses a project: request (BORROWED) is {"lockfile": "path/Cargo.lock"} or
 * {"lockfile_text": "..."}, optionally "metadata" (cargo metadata object) or "metadata_path", "now",
 * and "options" (every key optional):
 *     {"include_dev": true, "target_os": "linux", "target_arch": "x86_64", "scan_sources": true,
 *      "vendor_dirs": ["dir"], "reports": "all" | "flagged", "max_paths": 3 (1...1000 paths kept per
 *      finding; paths_total counts them all),
 *      "ignore": ["RUSTSEC-..."], "ignores": [{"id", "reason", "expires", "source"}],
 *      "config_files": [{"path": "deny.toml", "format": "cargo-audit" | "cargo-deny" | "nerq" |
 *                        "cargo-manifest"}],     read in order (docs/configuration.md): ignores,
 *                                                reporting, gates, targets, nerq.toml's policy; errors
 *                                                name the file and line (parse_error, unknown_key,
 *                                                invalid_type, invalid_value, not_found)
 *      "gates": {"deny": ["vulnerability", "warnings", ...], "allow": [...], "fail_under": 50,
 *                "unused_ignores": "allow" | "warn" | "deny"},
 *      "baseline": {"path": "nerq-baseline.json", "update": false},   written (atomically) when absent
 *                                                or with update; else compared
 *      "tree": false,       include `dependents`: every package that pulls in a flagged one
 *      "progress": false}   progress lines with counts on stderr (file descriptor 2) while it works
 * The assessment lists every ignore entry with its status (applied, expired, unknown, unused),
 * `not_reported` findings, `config.files`, and `gate` {passed, exit_code, failures, message}: the
 * exit code a CI host should use (1 when a gate failed). Returns a NEW reference to a
 * nerq.assessment document or an error document. engine must not be NULL (null_argument).
 * Thread-safe.
 *
 * With "render" beside "options" (nerq_render's options, every key optional), the project is
 * assessed and rendered in one call, for a host that only prints the report: the answer is a
 * nerq.rendered document {format, text, gate, config, summary, warnings} instead of the assessment
 * (kilobytes to decode instead of megabytes for a large project). Left out, "format" is the
 * configuration's ([output] format of audit.toml), else "human", and "tree" is the configuration's
 * show_tree; for the human table (without "all") only flagged packages get full reports, unless
 * options.reports says otherwise. The text equals nerq_render's for the assessment. Errors in the
 * options name $.render...
 */
json_t *nerq_assess(const nerq_engine *engine, const json_t *request);

/*
 * Preflight check of one dependency: request (BORROWED) is {"target": "nix@0.26.1"} (a bare name is
 * allowed), optionally with signal groups as in nerq_score. Returns a NEW reference to a
 * nerq.preflight document (target, trust_score, trust_grade, recommendation, risk_flags, known_cves,
 * license, checked_at, ttl) or an error document. recommendation is PROCEED, CAUTION, DENY or
 * UNKNOWN: UNKNOWN when nerq cannot tell (the crate is not known to exist, its advisories were not
 * checked, or too little is known); never treat UNKNOWN as PROCEED. engine must not be NULL.
 * Thread-safe.
 */
json_t *nerq_preflight(const nerq_engine *engine, const json_t *request);

/* The same three calls with JSON text in and out. request_json is NUL-terminated UTF-8 (BORROWED);
 * invalid JSON or invalid UTF-8 gives an invalid_json error document. The result is compact JSON text
 * in a heap string (free with nerq_free); NULL only when memory ran out. Thread-safe. */
char *nerq_score_str(const nerq_engine *engine, const char *request_json);
char *nerq_assess_str(const nerq_engine *engine, const char *request_json);
char *nerq_preflight_str(const nerq_engine *engine, const char *request_json);

/*
 * Fetches data onto disk: the RustSec advisory database, an OSV export, crates.io sparse-index
 * files for named packages, the crates.io database dump. The only function that uses the network.
 * No engine is needed: an engine created afterwards finds what was fetched (with the same
 * cache_dir). request (BORROWED) is a nerq.fetch_request (schemas/nerq.fetch_request.schema.json):
 *     {"sources": {"advisory_db": {}, "osv": {},                    which sources (default: these two)
 *                  "index": {"packages": ["serde"], "lockfile": "Cargo.lock"},   crates.io packages only
 *                  "dump": {}},
 *      "offline": false,              nothing is downloaded; what is on disk is described
 *                                     (CARGO_NET_OFFLINE=true has the same effect)
 *      "update": "always",            "missing": fetch only what is not on disk yet
 *      "progress": false,             progress lines on stderr for long downloads
 *      "cache_dir", "advisory_db",    where data lives (as in the engine configuration)
 *      "advisory_db_url", "osv_url", "index_url", "db_dump_url",   sources (defaults: $NERQ_*_URL, then
 *                                     RustSec's git repository, OSV.dev's crates.io zip, index.crates.io,
 *                                     static.crates.io/db-dump.tar.gz)
 *      "network": {"connect_timeout_s": 30, "low_speed_bytes": 10, "low_speed_time_s": 30, "tries": 3,
 *                  "retry_delay_ms": 1000, "allow_http": false, "git_timeout_s": 900, "lock_timeout_s": 300},
 *      "max_bytes": {"advisory_db": ..., "osv": ..., "index": ..., "dump": ...}}
 * Only https is used (plain http only to loopback hosts, or with allow_http); proxies come from the
 * usual environment variables (https_proxy, all_proxy, no_proxy), as curl and git read them. Each
 * source is replaced atomically under a file lock: a failed or interrupted download never replaces
 * good data. The advisory database is a git checkout kept as cargo-audit keeps it (shared with
 * cargo-audit in ~/.cargo/advisory-db when that exists, under cargo-audit's lock), or a .tar.gz of
 * the same tree. Privacy: the index host learns the package names asked for; nothing else names
 * the project.
 * Returns a NEW reference to a nerq.fetch document: per source its url, path, status (fetched,
 * not_modified, up_to_date, offline, failed), error, bytes, duration_ms, fetched_at, checked_at and
 * newest_entry. A source that fails is reported as failed in the document (the call still returns
 * the document); only a malformed request gives an error document. NULL request: null_argument.
 * NULL only when memory ran out. Thread-safe (concurrent fetches of one source wait for each other).
 */
json_t *nerq_fetch(const json_t *request);

/* nerq_fetch with the request as JSON text; the result is a heap string (free with nerq_free).
 * Thread-safe. */
char *nerq_fetch_str(const char *request_json);

/*
 * Renders a document nerq emitted — a nerq.report (one crate), a nerq.assessment (a project) or a
 * nerq.preflight — for people or tools, so that every host presents the same thing. document and
 * options are BORROWED. options (NULL = all defaults) is an object:
 *     {"format": "human",    "human" (terminal text), "markdown" (GitHub-flavoured: a pull-request
 *                            comment), "sarif" (SARIF 2.1.0 for code scanning), "html" (one
 *                            self-contained page: inline CSS and SVG charts, nothing fetched, readable
 *                            without scripts) or "json" (the document itself); default "human"
 *      "color": false,       human: ANSI colours for verdicts and severities
 *      "width": 100,         human: no line wider than this many columns (20...10000; absent or 0: no limit)
 *      "all": false,         human: list every package of a project, not only those needing attention
 *      "evidence": true,     list the scanner's file:line evidence of unsafe code and capabilities
 *                            (default: on a crate's html page; elsewhere only when true)
 *      "tree": false,        human, markdown: each finding's inverted dependency tree (from an
 *                            assessment made with options.tree), instead of its first paths
 *      "base": "/project"}   sarif: absolute directory that Cargo.lock's location is made relative to
 *                            (default: the assessment's workspace root)
 * Unknown option keys are an error (unknown_key), as in engine configuration.
 * Every value that came from input (crate names, advisory text, file paths, snippets) is escaped for
 * the format it lands in: control characters (ESC included), bidirectional overrides and invisible
 * characters are shown as visible escapes (\x1b, \u{202e}); HTML is entity-escaped and links only
 * http(s) URLs; Markdown is backslash-escaped (no raw HTML, no link, no table cell from input); JSON
 * and SARIF escape those characters as \u sequences. No line of any output can act as a GitHub
 * Actions workflow command (a line starting with "::", or "##[" anywhere). The output holds no NUL.
 * Output depends only on document and options (no clock: dates come from the document).
 * Returns a heap string (UTF-8, NUL-terminated; free with nerq_free), or NULL on failure. On failure,
 * if error is not NULL, *error receives a NEW reference to an {"error": ...} document whose path names
 * the argument: "$.document..." (a key of the wrong type: invalid_type; a document kind it cannot
 * render: unsupported_version; a missing "kind": missing_field) or "$.options..." (an unknown format
 * or an out-of-range width: invalid_value; an unknown key: unknown_key); a NULL document is
 * null_argument. *error is NULL on success, and also when memory ran out. Thread-safe; no engine is
 * needed.
 */
char *nerq_render(const json_t *document, const json_t *options, json_t **error);

/* As nerq_render, with the document and the options as JSON text (options NULL = defaults). Text
 * that is not JSON or not UTF-8 is invalid_json, with the path "$.document" or "$.options". On
 * failure *error receives a heap string (free with nerq_free). A host that holds the document as text
 * (the result of a *_str call) renders it without decoding it first. Thread-safe. */
char *nerq_render_str(const char *document_json, const char *options_json, char **error);

/* Frees any char* nerq returned. NULL is a no-op. Thread-safe. */
void nerq_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* NERQ_H */
