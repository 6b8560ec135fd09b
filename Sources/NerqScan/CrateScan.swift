import NerqCore
import NerqJSON

/// One piece of evidence: where something was found.
public struct Evidence: Sendable, Equatable {
    /// Crate-relative path, "/"-separated.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// The trimmed source line (at most `Evidence.maxSnippetBytes` bytes,
    /// invalid UTF-8 replaced).
    public var snippet: String
    /// What matched: a path such as "std::net::TcpStream", or a construct
    /// such as "unsafe {" / "unsafe fn" / "extern \"C\" {".
    public var matched: String

    public static let maxSnippetBytes = 160

    public init(file: String, line: Int, snippet: String, matched: String) {
        self.file = file
        self.line = line
        self.snippet = snippet
        self.matched = matched
    }
}

/// A string-keyed map whose iteration and encoding order is always sorted by
/// key (Dictionary order never reaches a result).
public struct SortedMap<Value: Sendable & Equatable>: Sendable, Equatable {
    public private(set) var keys: [String] = []
    public private(set) var values: [Value] = []

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public subscript(key: String) -> Value? {
        get {
            guard let i = index(of: key) else { return nil }
            return values[i]
        }
        set {
            let pos = insertionPoint(key)
            if pos < keys.count && keys[pos] == key {
                if let v = newValue { values[pos] = v } else {
                    keys.remove(at: pos)
                    values.remove(at: pos)
                }
            } else if let v = newValue {
                keys.insert(key, at: pos)
                values.insert(v, at: pos)
            }
        }
    }

    public var entries: [(key: String, value: Value)] { Array(zip(keys, values)).map { (key: $0.0, value: $0.1) } }
    public var isEmpty: Bool { keys.isEmpty }
    public var count: Int { keys.count }

    private func insertionPoint(_ key: String) -> Int {
        var lo = 0
        var hi = keys.count
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if keys[mid].utf8.lexicographicallyPrecedes(key.utf8) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private func index(of key: String) -> Int? {
        let p = insertionPoint(key)
        return (p < keys.count && keys[p] == key) ? p : nil
    }
}

public struct SkippedFiles: Sendable, Equatable {
    /// .rs files containing a NUL byte.
    public var binary = 0
    /// .rs files larger than `ScanOptions.maxFileSize`.
    public var huge = 0
    /// Entries that could not be listed, stat'ed, opened or read (incl.
    /// dangling symlinks and names that are not valid UTF-8).
    public var unreadable = 0
    /// Symlinks whose resolved target lies outside the crate directory.
    public var symlink_outside = 0
    public init() {}
}

public struct LexErrorEntry: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var kind: String
    public init(file: String, line: Int, kind: String) {
        self.file = file
        self.line = line
        self.kind = kind
    }
}

/// The `source` group of a nerq report for one crate directory.
///
/// Field names are the JSON keys (snake_case on purpose).
///
/// Scope of the counts:
/// * "product code" = every scanned .rs file except those under `tests/`,
///   `examples/`, `benches/` and the build script (and its directory when it
///   is not at the crate root). `unsafe_*` counts, `capabilities`
///   (non-build-script ones) and doc coverage come from product code only.
///   Capabilities inside `#[cfg(test)]` items of product code are ignored;
///   unsafe inside them is still counted.
/// * `files` and the line counts cover every scanned .rs file.
/// * `unsafe` tokens inside `macro_rules!` *matchers* (the patterns) are not
///   counted; those inside *transcribers* (the expansion bodies) are counted
///   like any other code, because that is real unsafe code the macro emits.
///   `unsafe fn $name` in a transcriber counts as an unsafe fn.
///   `pub` items inside `macro_rules!` bodies are not counted for doc coverage.
public struct CrateScan: Sendable, Equatable {
    public var directory: String = ""
    /// Set when the directory could not be scanned at all.
    public var error: String?

    public var files = 0
    public var bytes = 0
    public var lines_code = 0
    /// Code lines that are test code: test, bench and example targets (`tests/`, `benches/`,
    /// `examples/` and the paths Cargo.toml declares for them), `#[cfg(test)]` module files, and
    /// `#[cfg(test)]` / `#[test]` items inside other files. Included in `lines_code`.
    public var lines_code_tests = 0
    public var lines_comment = 0
    public var lines_blank = 0

    public var unsafe_blocks = 0
    public var unsafe_fns = 0
    public var unsafe_impls = 0
    public var unsafe_traits = 0
    /// `unsafe extern "ABI" { ... }` blocks (Rust 2024 style foreign modules).
    public var unsafe_externs = 0
    /// Unsafe keywords in test code (where `lines_code_tests` counts): not in the counts above.
    public var unsafe_in_tests = 0
    /// `#![forbid(unsafe_code)]` at the crate root (also inside `cfg_attr`).
    public var forbids_unsafe = false
    /// `#![deny(unsafe_code)]` at the crate root (also inside `cfg_attr`).
    /// Independent of `forbids_unsafe` (a crate may have either or both).
    public var denies_unsafe = false
    /// `#![deny(unsafe_op_in_unsafe_fn)]` (or forbid) at the crate root: the body of an unsafe fn
    /// is not one implicit unsafe block, each unsafe operation is marked and can be reviewed.
    public var denies_unsafe_op_in_unsafe_fn = false
    /// The crate-root file examined for those attributes (crate-relative).
    public var crate_root: String?

    public var build_script = false
    public var proc_macro = false
    /// Sorted. Possible values: "network", "filesystem_write", "process",
    /// "env", "ffi", "build_script_process", "build_script_network",
    /// "build_script_env", "build_script_write_outside_out_dir".
    public var capabilities: [String] = []
    /// Per kind (capabilities, "unsafe_block", "unsafe_fn", "unsafe_impl",
    /// "unsafe_trait", "unsafe_extern", "env_compile_time",
    /// "build_script_filesystem_write", "build_script_env_cargo",
    /// "forbid_unsafe_code", "deny_unsafe_code"): the first
    /// `ScanOptions.maxEvidence` findings in (file, line) order.
    public var evidence = SortedMap<[Evidence]>()
    /// Per kind: the full number of findings (evidence lists are capped).
    public var evidence_counts = SortedMap<Int>()

    /// Integration test targets: `tests/*.rs` plus `tests/*/main.rs`.
    public var tests = 0
    /// `#[test]`-like attributes (`#[test]`, `#[tokio::test]`, any attribute
    /// path ending in `test`) in all scanned files.
    public var test_fns = 0
    /// `examples/*.rs` plus `examples/*/main.rs`.
    public var examples = 0
    /// `benches/*.rs` plus `benches/*/main.rs`.
    public var benches = 0
    public var has_readme = false
    /// Crate-root file names starting with LICENSE, LICENCE, COPYING or
    /// UNLICENSE (case-insensitive), sorted.
    public var license_files: [String] = []
    /// SPDX ids recognized in those files (by characteristic phrases), sorted.
    public var licenses_detected: [String] = []
    /// The SPDX expression checked (caller's, else Cargo.toml's), if any.
    public var license_expression: String?
    /// Whether every license in `license_expression` has a recognized text
    /// (nil when there is no expression).
    public var license_matches: Bool?
    /// Licenses named in the expression without a recognized text.
    public var license_missing: [String] = []

    /// Approximate documentation coverage of public items:
    /// `documented_pub_items / pub_items`, nil when there are no pub items.
    /// A pub item is `pub` (not `pub(crate)`/`pub(super)`/`pub(in ..)`)
    /// followed by optional qualifiers (`const`, `async`, `unsafe`,
    /// `extern "ABI"`, `default`) and one of fn/struct/enum/trait/type/const/
    /// static/mod/union, anywhere in product code (methods in impl blocks
    /// included, `macro_rules!` bodies excluded). It is documented when an
    /// outer doc comment (`///`, `/** */`) or `#[doc = ...]` (also inside
    /// `cfg_attr`) appears between the previous item-level token and it
    /// (attributes in between are fine). `#[doc(hidden)]` items are not
    /// counted. Inner docs (`//!`) of `pub mod x;` files are not considered.
    public var doc_coverage: Double?
    public var pub_items = 0
    public var documented_pub_items = 0

    public var skipped_files = SkippedFiles()
    /// First 100 lexical errors (unterminated strings/comments/chars).
    public var lex_errors: [LexErrorEntry] = []
    public var lex_error_count = 0

    public init() {}

    /// The `source` signal group: what the report ships of this scan (the one conversion; its
    /// JSON form is `SourceSignals.json`).
    public var signals: SourceSignals {
        var s = SourceSignals()
        func n(_ v: Int) -> Int64 { Int64(v) }
        s.path = directory
        s.error = error
        s.files = n(files)
        s.linesCode = n(lines_code)
        s.linesCodeTests = n(lines_code_tests)
        s.linesComment = n(lines_comment)
        s.linesBlank = n(lines_blank)
        s.unsafeBlocks = n(unsafe_blocks)
        s.unsafeFns = n(unsafe_fns)
        s.unsafeImpls = n(unsafe_impls)
        s.unsafeTraits = n(unsafe_traits)
        s.unsafeExterns = n(unsafe_externs)
        s.unsafeInTests = n(unsafe_in_tests)
        s.forbidsUnsafe = forbids_unsafe
        s.deniesUnsafe = denies_unsafe
        s.deniesUnsafeOpInUnsafeFn = denies_unsafe_op_in_unsafe_fn
        s.buildScript = build_script
        s.procMacro = proc_macro
        s.capabilities = capabilities
        s.tests = n(tests)
        s.testFns = n(test_fns)
        s.examples = n(examples)
        s.benches = n(benches)
        s.hasReadme = has_readme
        s.licenseFiles = n(license_files.count)
        s.licenseFileNames = license_files
        s.licensesDetected = licenses_detected
        s.licenseMatches = license_matches
        s.docCoverage = doc_coverage.map { roundTenth($0 * 1000) / 1000 }
        s.pubItems = n(pub_items)
        s.documentedPubItems = n(documented_pub_items)
        s.evidence = evidence.entries.map { kind, items in
            (kind, items.map { e in
                JSONValue.object(JSONObject([("file", .string(e.file)), ("line", .int(Int64(e.line))), ("snippet", .string(e.snippet))]))
            })
        }
        s.evidenceCounts = evidence_counts.entries.map { ($0.key, n($0.value)) }
        s.skippedFiles = [("binary", n(skipped_files.binary)), ("huge", n(skipped_files.huge)),
                          ("unreadable", n(skipped_files.unreadable)), ("symlink_outside", n(skipped_files.symlink_outside))]
        s.lexErrorCount = n(lex_error_count)
        return s
    }
}
