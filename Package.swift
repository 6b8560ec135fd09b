// swift-tools-version:6.0
// nerq: trust scores for open-source packages, exported as libnerq.so.
// The link flags that make the shipped library (-z nodelete, a version script exporting
// only nerq_*) live in the Makefile, so `swift build`/`swift test` stay plain.
//
// Targets are listed in the order data flows (docs/architecture.md draws the map): C shims, the
// foundations every layer shares, the scoring core, the collectors that read data from disk, the
// engine that joins them, and the C API on top. A target imports only targets listed above it.
import PackageDescription

let package = Package(
    name: "nerq",
    products: [
        .library(name: "nerq", type: .dynamic, targets: ["NerqABI"]),
        // cargo nerq: the engine linked in (built with -static-stdlib for the wheel and make install).
        .executable(name: "cargo-nerq", targets: ["cargo-nerq"]),
    ],
    targets: [
        // MARK: - C shims (system libraries from Debian; a small C target for system calls)
        .systemLibrary(name: "CJansson", path: "Sources/CJansson", pkgConfig: "jansson",
                       providers: [.apt(["libjansson-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // HTTP for the fetchers (Debian's libcurl, OpenSSL flavour).
        // Its headers only: libcurl is opened on first use (Sources/CCurl/shim.h), not linked.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        // System calls Swift's Glibc module does not declare (getdents64, renameat2, syncfs, pipe2),
        // and the version of include/nerq_version.h.
        .target(name: "CNerqSys", cSettings: [.headerSearchPath("../../include")]),

        // MARK: - Foundations (pure Swift, no Foundation, no I/O)
        // JSON values, parser, writer and typed reader; NerqError, the one error model.
        .target(name: "NerqJSON", dependencies: ["NerqThreads"]),
        // Cargo's semver: versions and requirements, equal to the semver crate.
        .target(name: "NerqSemver"),
        // CVSS 3.0, 3.1 and 4.0 base scores and vector validation.
        .target(name: "NerqCVSS"),
        // TOML 1.0 over bytes (Cargo.lock, Cargo.toml, advisories).
        .target(name: "NerqTOML"),
        // Worker threads: a parallel map over the cores, or over threads of its own for work that
        // waits on the disk.
        .target(name: "NerqThreads"),

        // MARK: - Core: the model and the methodology (pure Swift, no I/O)
        .target(name: "NerqCore", dependencies: ["NerqJSON", "NerqSemver", "NerqCVSS"]),

        // MARK: - I/O: the one file-access layer every collector uses
        .target(name: "NerqIO", dependencies: ["NerqJSON", "NerqThreads", "CNerqSys"]),
        // Archives: streaming gzip and tar, a strict zip reader, and extraction into a directory.
        .target(name: "NerqArchive", dependencies: ["NerqJSON", "NerqIO", "CZlib", "CNerqSys"]),

        // MARK: - Collectors: each reads one kind of data from disk into the model
        // Cargo.lock, cargo metadata and Cargo.toml.
        .target(name: "NerqCargo", dependencies: ["NerqCore", "NerqJSON", "NerqSemver", "NerqTOML", "NerqIO"]),
        // The RustSec advisory-db and OSV records, and advisory version ranges.
        .target(name: "NerqAdvisories", dependencies: ["NerqCore", "NerqJSON", "NerqSemver", "NerqCVSS", "NerqTOML", "NerqIO", "NerqThreads", "CNerqSys"]),
        // Each crate's own source: unsafe code, capabilities, tests, docs (a Rust lexer over bytes).
        .target(name: "NerqScan", dependencies: ["NerqCore", "NerqJSON", "NerqIO", "NerqThreads", "NerqCargo"]),
        // What is compiled (features, targets, host) and what is referenced (affected functions),
        // from manifests and sources alone: cfg, cargo's feature resolver, a Rust item index.
        .target(name: "NerqReach", dependencies: ["NerqCore", "NerqJSON", "NerqSemver", "NerqIO", "NerqThreads", "NerqCargo", "NerqScan"]),
        // What users configure: cargo-audit's audit.toml, cargo-deny's deny.toml [advisories], nerq.toml
        // and [workspace.metadata.nerq] (ignores, gates, reporting, policy), errors naming file and line.
        .target(name: "NerqConfig", dependencies: ["NerqCore", "NerqJSON", "NerqTOML", "NerqIO"]),
        // Registry data: the crates.io database dump in a SQLite store, and cargo's index cache.
        .target(name: "NerqRegistry", dependencies: ["NerqCore", "NerqJSON", "NerqSemver", "NerqIO", "NerqArchive", "CSQLite"]),

        // MARK: - Fetchers: bring data onto disk (the only network code), with freshness recorded
        // HTTP (libcurl) and git (the `git` program), the advisory database, OSV exports, the
        // crates.io sparse index and database dump; `nerq_fetch` runs here.
        .target(name: "NerqFetch", dependencies: ["NerqCore", "NerqJSON", "NerqIO", "NerqThreads", "NerqArchive",
                                                  "NerqCargo", "NerqAdvisories", "NerqRegistry", "CCurl", "CNerqSys"]),

        // MARK: - Engine: loads data through the collectors; answers score, assess and preflight
        .target(name: "NerqEngine", dependencies: ["NerqCore", "NerqJSON", "NerqSemver", "NerqIO", "NerqThreads", "NerqCargo",
                                                   "NerqAdvisories", "NerqScan", "NerqReach", "NerqRegistry", "NerqFetch", "NerqConfig"]),

        // MARK: - Rendering: any emitted document as human text, Markdown, SARIF, HTML or JSON
        // (pure Swift, no I/O; reads documents, not the engine, so every host presents the same thing).
        .target(name: "NerqRender", dependencies: ["NerqJSON", "NerqCore"]),

        // MARK: - The C API: json_t <-> model, errors, engine handles. The only C-aware target.
        .target(name: "NerqABI", dependencies: ["NerqEngine", "NerqFetch", "NerqRender", "NerqCore", "NerqJSON", "NerqIO", "CJansson", "CNerqSys"]),

        // MARK: - cargo nerq: the command line over the engine (arguments, files found as cargo-audit
        // and cargo-deny find theirs, cargo metadata, output and exit codes); not part of the library.
        .target(name: "NerqCLI", dependencies: ["NerqABI", "NerqEngine", "NerqFetch", "NerqRender", "NerqCore", "NerqJSON",
                                                "NerqIO", "NerqTOML", "CNerqSys"]),
        .executableTarget(name: "cargo-nerq", dependencies: ["NerqCLI"], path: "Sources/cargo-nerq"),

        // MARK: - Benchmarks and the fuzz harness (not part of the library)
        .executableTarget(name: "nerq-registry-bench", dependencies: ["NerqRegistry", "NerqCore", "NerqJSON", "CSQLite"],
                          path: "bench/nerq-registry-bench"),
        .executableTarget(name: "nerq-scan-bench", dependencies: ["NerqScan"], path: "bench/nerq-scan-bench"),
        .executableTarget(name: "nerq-assess-phases",
                          dependencies: ["NerqEngine", "NerqAdvisories", "NerqCargo", "NerqCore", "NerqJSON", "NerqIO", "NerqTOML"],
                          path: "bench/nerq-assess-phases"),
        // libFuzzer targets (Tests/fuzz): real only when built with -DNERQ_FUZZ (make fuzz).
        .executableTarget(name: "nerq-fuzz",
                          dependencies: ["NerqABI", "NerqEngine", "NerqCore", "NerqJSON", "NerqSemver", "NerqCVSS", "NerqTOML",
                                         "NerqCargo", "NerqAdvisories", "NerqScan", "NerqRegistry", "NerqArchive", "NerqConfig", "CJansson"],
                          path: "Tests/fuzz/harness"),

        // MARK: - Tests: one target per module, and the helpers they share
        .target(name: "NerqTestSupport", path: "Tests/NerqTestSupport"),
        .testTarget(name: "NerqJSONTests", dependencies: ["NerqJSON"]),
        .testTarget(name: "NerqArchiveTests", dependencies: ["NerqArchive", "NerqIO", "NerqJSON", "NerqTestSupport"]),
        .testTarget(name: "NerqSemverTests", dependencies: ["NerqSemver"]),
        .testTarget(name: "NerqCVSSTests", dependencies: ["NerqCVSS", "NerqTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "NerqTOMLTests", dependencies: ["NerqTOML", "NerqTestSupport"]),
        .testTarget(name: "NerqCoreTests", dependencies: ["NerqCore", "NerqJSON", "NerqSemver"]),
        .testTarget(name: "NerqThreadsTests", dependencies: ["NerqThreads"]),
        .testTarget(name: "NerqCargoTests", dependencies: ["NerqCargo", "NerqCore", "NerqJSON", "NerqTestSupport"]),
        .testTarget(name: "NerqAdvisoriesTests",
                    dependencies: ["NerqAdvisories", "NerqCore", "NerqJSON", "NerqSemver", "NerqCVSS", "NerqTOML", "NerqIO", "NerqTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "NerqReachTests", dependencies: ["NerqReach", "NerqCargo", "NerqCore", "NerqJSON", "NerqScan", "NerqTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "NerqConfigTests", dependencies: ["NerqConfig", "NerqCore", "NerqJSON", "NerqTestSupport"]),
        .testTarget(name: "NerqScanTests", dependencies: ["NerqScan", "NerqCore", "NerqJSON", "NerqTestSupport"]),
        .testTarget(name: "NerqRegistryTests", dependencies: ["NerqRegistry", "NerqCore", "NerqJSON", "NerqIO", "NerqTestSupport"]),
        // Their fixtures are shared with the Python tests: Tests/fixtures/fetch, served by Tests/fetch_server.py.
        .testTarget(name: "NerqFetchTests",
                    dependencies: ["NerqFetch", "NerqEngine", "NerqAdvisories", "NerqRegistry", "NerqCore", "NerqJSON", "NerqIO",
                                   "NerqTestSupport"]),
        .testTarget(name: "NerqEngineTests", dependencies: ["NerqEngine", "NerqCore", "NerqJSON", "NerqIO", "NerqTestSupport"]),
        .testTarget(name: "NerqRenderTests", dependencies: ["NerqRender", "NerqJSON", "NerqTestSupport"]),
        .testTarget(name: "NerqCLITests", dependencies: ["NerqCLI", "NerqJSON", "NerqTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "NerqABITests", dependencies: ["NerqABI", "NerqEngine", "NerqCore", "NerqJSON", "NerqRender", "CJansson", "NerqTestSupport"]),
    ]
)
