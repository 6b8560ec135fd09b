// swift-tools-version:6.0
// nerq: trust scores for open-source packages, exported as libnerq.so.
// The link flags that make the shipped library (-z nodelete, a version script exporting
// only nerq_*) live in the Makefile, so `swift build`/`swift test` stay plain.
import PackageDescription

let package = Package(
    name: "nerq",
    products: [
        .library(name: "nerq", type: .dynamic, targets: ["NerqABI"]),
    ],
    targets: [
        .systemLibrary(name: "CJansson", path: "Sources/CJansson", pkgConfig: "jansson",
                       providers: [.apt(["libjansson-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // System calls Swift's Glibc module does not declare (getdents64).
        .target(name: "CNerqSys"),
        // Model, Cargo semver, methodology: pure Swift, no Foundation, no I/O.
        .target(name: "NerqCore"),
        // The @_cdecl exports: json_t <-> model, errors, engine handles. The only C-aware target.
        // TOML 1.0 over bytes (Cargo.lock, advisories): pure Swift, no Foundation.
        .target(name: "NerqTOML"),
        // File access for the collectors (POSIX, no Foundation).
        .target(name: "NerqIO", dependencies: ["NerqCore"]),
        // Collectors: Cargo.lock and cargo metadata; the RustSec/OSV advisory database.
        .target(name: "NerqCargo", dependencies: ["NerqCore", "NerqTOML"]),
        .target(name: "NerqAdvisories", dependencies: ["NerqCore", "NerqTOML", "NerqIO", "CNerqSys"]),
        // Reads each crate's own source: unsafe code, capabilities, tests, docs (a Rust lexer over bytes).
        .target(name: "NerqScan", dependencies: ["NerqCore"]),
        // Registry data: the crates.io database dump (tarball or folder) into a SQLite store, and
        // cargo's local index cache.
        .target(name: "NerqRegistry", dependencies: ["NerqCore", "NerqIO", "CSQLite", "CZlib"]),
        .executableTarget(name: "nerq-registry-bench", dependencies: ["NerqRegistry", "NerqCore", "CSQLite"],
                          path: "Sources/nerq-registry-bench"),
        .executableTarget(name: "nerq-scan-bench", dependencies: ["NerqScan"], path: "Sources/nerq-scan-bench"),
        .executableTarget(name: "nerq-assess-phases", dependencies: ["NerqEngine", "NerqAdvisories", "NerqCargo", "NerqCore", "NerqIO", "NerqTOML"],
                          path: "Sources/nerq-assess-phases"),
        // Loads data through the collectors and answers score/assess/preflight requests.
        .target(name: "NerqEngine", dependencies: ["NerqCore", "NerqIO", "NerqCargo", "NerqAdvisories", "NerqScan", "NerqRegistry"]),
        .target(name: "NerqABI", dependencies: ["NerqEngine", "NerqCore", "CJansson"]),
        // libFuzzer targets (tests/fuzz): real only when built with -DNERQ_FUZZ (make fuzz).
        .executableTarget(name: "nerq-fuzz",
                          dependencies: ["NerqABI", "NerqEngine", "NerqCore", "NerqTOML", "NerqCargo", "NerqAdvisories", "NerqScan", "NerqRegistry",
                                         "CJansson"],
                          path: "tests/fuzz/harness"),
        .testTarget(name: "NerqCoreTests", dependencies: ["NerqCore"], exclude: ["Fixtures"]),
        .testTarget(name: "NerqTOMLTests", dependencies: ["NerqTOML", "NerqTestSupport"]),
        .target(name: "NerqTestSupport", path: "Tests/NerqTestSupport"),
        .testTarget(name: "NerqCargoTests", dependencies: ["NerqCargo", "NerqCore", "NerqTestSupport"]),
        .testTarget(name: "NerqAdvisoriesTests", dependencies: ["NerqAdvisories", "NerqCore", "NerqTOML", "NerqTestSupport"]),
        .testTarget(name: "NerqScanTests", dependencies: ["NerqScan"]),
        .testTarget(name: "NerqRegistryTests", dependencies: ["NerqRegistry", "NerqCore"]),
        .testTarget(name: "NerqEngineTests", dependencies: ["NerqEngine", "NerqCore", "NerqTestSupport"]),
        .testTarget(name: "NerqABITests", dependencies: ["NerqABI", "NerqEngine", "NerqCore", "CJansson"]),
    ]
)
