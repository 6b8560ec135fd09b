import Glibc
import NerqCargo
import NerqCore
import NerqIO
import NerqThreads

public struct ScanOptions: Sendable {
    /// .rs files larger than this are skipped and counted as `huge`.
    public var maxFileSize: Int = 8 << 20
    /// Evidence items kept per kind (counts are always complete).
    public var maxEvidence: Int = 20
    /// Declared SPDX expression to check license files against. When nil,
    /// the `license = "..."` line of Cargo.toml is used if present.
    public var licenseExpression: String?
    /// Caller's knowledge (from a real TOML parse) of `[lib] proc-macro`.
    /// When nil, a line-based look at Cargo.toml decides.
    public var procMacro: Bool?
    /// Caller's `[lib] path`; when nil Cargo.toml's line, else src/lib.rs.
    public var libPath: String?
    /// Caller's `package.build` path; when nil Cargo.toml's line, else build.rs.
    public var buildScriptPath: String?

    public init(maxFileSize: Int = 8 << 20, maxEvidence: Int = 20, licenseExpression: String? = nil,
                procMacro: Bool? = nil, libPath: String? = nil, buildScriptPath: String? = nil) {
        self.maxFileSize = maxFileSize
        self.maxEvidence = maxEvidence
        self.licenseExpression = licenseExpression
        self.procMacro = procMacro
        self.libPath = libPath
        self.buildScriptPath = buildScriptPath
    }
}

/// One crate directory plus its own options (for batch scans).
public struct ScanRequest: Sendable {
    public var directory: String
    public var options: ScanOptions
    public init(directory: String, options: ScanOptions = ScanOptions()) {
        self.directory = directory
        self.options = options
    }
}

public enum CrateScanner {
    /// Scan one crate directory (a directory containing Cargo.toml).
    /// Never traps; problems are reported in the result.
    public static func scan(directory: String, options: ScanOptions = ScanOptions()) -> CrateScan {
        return scan(directory: directory, options: options, tokenStorage: TokenStorage())
    }

    /// Scan many crate directories on `threads` worker threads (default: the
    /// number of online CPUs). Results are in input order.
    public static func scan(directories: [String], options: ScanOptions = ScanOptions(), threads: Int? = nil) -> [CrateScan] {
        scan(requests: directories.map { ScanRequest(directory: $0, options: options) }, threads: threads)
    }

    /// `threads` defaults to `fileReaderThreads` (more than the cores: crate sources that are not in
    /// the page cache are read while other workers wait on the disk).
    /// `finished` is called (from the worker's thread) as each crate is done: a host's progress.
    public static func scan(requests: [ScanRequest], threads: Int? = nil, finished: (@Sendable () -> Void)? = nil) -> [CrateScan] {
        parallelMap(requests, threads: max(1, min(threads ?? fileReaderThreads, 256)), workerState: { TokenStorage() }) { tokens, req in
            let result = scan(directory: req.directory, options: req.options, tokenStorage: tokens)
            finished?()
            return result
        }
    }

    // MARK: - single crate

    /// Scans one crate: its root files, then every .rs file on its own, then the evidence merged
    /// across files once the test-only module files are known.
    static func scan(directory: String, options: ScanOptions, tokenStorage tokens: TokenStorage) -> CrateScan {
        var r = CrateScan()
        r.directory = directory
        guard let real = Files.realPath(directory), Files.isDirectory(real) else {
            r.error = "not a readable directory"
            return r
        }
        guard let rootNames = try? Files.list(real) else {
            r.error = "cannot list directory"
            return r
        }
        let root = CrateRoot(real: real, names: rootNames)
        let manifest = root.manifest()
        r.proc_macro = options.procMacro ?? manifest.procMacro
        r.has_readme = root.hasReadme(manifest)
        checkLicenses(root, declared: options.licenseExpression ?? manifest.signals.license, into: &r)

        let walk = Walk.tree(realRoot: real, wantFile: { $0.hasSuffix(".rs") })
        r.skipped_files.symlink_outside = walk.symlinkOutside
        r.skipped_files.unreadable = walk.unreadable
        let layout = CrateLayout(present: Set(walk.files.map { $0.relative }), manifest: manifest, options: options)
        r.crate_root = layout.crateRoot
        r.build_script = layout.buildScript != nil
        countTargets(walk.files, into: &r)

        let analyzed = analyzeFiles(walk.files, layout: layout, options: options, tokens: tokens, into: &r)
        tokens.shrink(above: 1 << 20)  // do not keep huge buffers around
        let testModules = TestModuleFiles(analyzed.testModuleDecls, crateRoot: r.crate_root)
        var ev = EvidenceCollector(cap: options.maxEvidence)
        for (rel, fev, productLines) in analyzed.perFile {
            // A `#[cfg(test)] mod NAME;` file is test code: its capabilities are not the product's,
            // its unsafe code and its lines are counted as the tests'.
            guard testModules.contains(rel) else {
                ev.merge(fev)
                continue
            }
            r.lines_code_tests &+= productLines
            ev.merge(fev) { k in k.isProductCapabilityEvidence ? nil : (k.isProductUnsafe ? .unsafeTest : k) }
        }
        report(ev, buildWritesOutDir: analyzed.buildWritesOutDir, into: &r)
        if r.pub_items > 0 {
            r.doc_coverage = Double(r.documented_pub_items) / Double(r.pub_items)
        }
        return r
    }

    /// The license files, the ids recognized in them, and whether they cover `declared` (the
    /// caller's SPDX expression, else Cargo.toml's).
    private static func checkLicenses(_ root: CrateRoot, declared expr: String?, into r: inout CrateScan) {
        let (names, detected) = root.licenseFiles()
        r.license_files = names
        r.licenses_detected = detected.sorted()
        r.license_expression = expr
        if let e = expr, let m = LicenseDetector.matches(expression: e, detected: r.licenses_detected, licenseFileCount: r.license_files.count) {
            r.license_matches = m.ok
            r.license_missing = m.missing
        }
    }

    /// Test, example and bench targets: `dir/*.rs` and `dir/*/main.rs`.
    private static func countTargets(_ files: [Walk.File], into r: inout CrateScan) {
        for f in files {
            let parts = f.relative.split(separator: "/", omittingEmptySubsequences: false)
            let isTarget = parts.count == 2 || (parts.count == 3 && parts.last == "main.rs")
            guard isTarget, let top = parts.first else { continue }
            switch top {
            case "tests": r.tests &+= 1
            case "examples": r.examples &+= 1
            case "benches": r.benches &+= 1
            default: break
            }
        }
    }

    /// What the per-file pass leaves for the crate-wide merge.
    private struct AnalyzedFiles {
        /// Each file's own evidence and the code lines that are not already test code, in walk
        /// order: merged only once the test modules are known.
        var perFile: [(rel: String, ev: EvidenceCollector, productLines: Int)] = []
        var testModuleDecls: [(declaringFile: String, name: String)] = []
        var buildWritesOutDir = false
    }

    /// Lexes and analyzes every .rs file that can be read as text, adding its counts to `r`.
    private static func analyzeFiles(_ files: [Walk.File], layout: CrateLayout, options: ScanOptions, tokens: TokenStorage,
                                     into r: inout CrateScan) -> AnalyzedFiles {
        var out = AnalyzedFiles()
        var lexErrors: [LexErrorEntry] = []
        for f in files {
            guard let bytes = readSource(f, limit: options.maxFileSize, skipped: &r.skipped_files) else { continue }
            r.files &+= 1
            r.bytes &+= bytes.count
            let fileRole = layout.role(f.relative)
            let isRoot = f.relative == r.crate_root
            var ev = EvidenceCollector(cap: options.maxEvidence)
            let (facts, codeLines): (FileFacts, Int) = bytes.withUnsafeBufferPointer { src in
                let stats = RustLexer.tokenize(src, into: tokens)
                r.lines_code &+= stats.codeLines
                r.lines_comment &+= stats.commentLines
                r.lines_blank &+= stats.blankLines
                r.lex_error_count &+= stats.errorCount
                for e in stats.errors where lexErrors.count < RustLexer.maxStoredErrors {
                    lexErrors.append(LexErrorEntry(file: f.relative, line: e.line, kind: e.kind.rawValue))
                }
                var a = FileAnalyzer(tokens: tokens.tokens, source: src, role: fileRole, isCrateRoot: isRoot, file: f.relative)
                a.run(&ev)
                return (a.facts, stats.codeLines)
            }
            // Test, bench and example targets are test code whole; product files hold some in
            // `#[cfg(test)]` and `#[test]` items.
            let isTestTarget = fileRole == .test || fileRole == .example || fileRole == .bench
            let testLines = isTestTarget ? codeLines : min(facts.testCodeLines, codeLines)
            r.lines_code_tests &+= testLines
            out.perFile.append((f.relative, ev, isTestTarget || fileRole == .build ? 0 : codeLines &- testLines))
            for name in facts.cfgTestModules { out.testModuleDecls.append((f.relative, name)) }
            r.test_fns &+= facts.testFns
            r.pub_items &+= facts.pubItems
            r.documented_pub_items &+= facts.documentedPubItems
            if isRoot {
                r.forbids_unsafe = r.forbids_unsafe || facts.forbidsUnsafe
                r.denies_unsafe = r.denies_unsafe || facts.deniesUnsafe
                r.denies_unsafe_op_in_unsafe_fn = r.denies_unsafe_op_in_unsafe_fn || facts.deniesUnsafeOpInUnsafeFn
            }
            if fileRole == .build && facts.mentionsOutDir { out.buildWritesOutDir = true }
        }
        r.lex_errors = lexErrors
        return out
    }

    /// A file's bytes, or nil (counted in `skipped`) when it is too large, unreadable, or binary.
    private static func readSource(_ f: Walk.File, limit: Int, skipped: inout SkippedFiles) -> [UInt8]? {
        if f.size > limit {
            skipped.huge &+= 1
            return nil
        }
        let bytes: [UInt8]
        switch Files.readBytes(f.absolute, limit: limit) {
        case .success(let b): bytes = b
        case .failure(.tooLarge):
            skipped.huge &+= 1
            return nil
        case .failure:
            skipped.unreadable &+= 1
            return nil
        }
        if containsNul(bytes) {
            skipped.binary &+= 1
            return nil
        }
        return bytes
    }

    /// The crate's unsafe counts, evidence and counts per kind, and capabilities.
    private static func report(_ ev: EvidenceCollector, buildWritesOutDir: Bool, into r: inout CrateScan) {
        r.unsafe_blocks = ev.count(.unsafeBlock)
        r.unsafe_fns = ev.count(.unsafeFn)
        r.unsafe_impls = ev.count(.unsafeImpl)
        r.unsafe_traits = ev.count(.unsafeTrait)
        r.unsafe_externs = ev.count(.unsafeExtern)
        r.unsafe_in_tests = ev.count(.unsafeTest)
        var caps: [String] = []
        for k in EvidenceKind.allCases {
            let c = ev.count(k)
            if c > 0 {
                r.evidence_counts[k.name] = c
                r.evidence[k.name] = k.rawValue < ev.items.count ? ev.items[k.rawValue] : []
                if k.isCapability { caps.append(k.name) }
            }
        }
        // Build-script writes that cannot target OUT_DIR: the build script
        // writes files and never mentions "OUT_DIR" in any string literal.
        if ev.count(.buildScriptFilesystemWrite) > 0 && !buildWritesOutDir {
            caps.append("build_script_write_outside_out_dir")
        }
        r.capabilities = caps.sorted()
    }
}

extension CrateScanner {
    /// Directory in which `mod x;` declared in `file` looks for x.rs / x/mod.rs.
    static func moduleBaseDirectory(ofFile file: String, isCrateRoot: Bool) -> String {
        let dir: String
        let base: String
        if let slash = file.lastIndex(of: "/") {
            dir = String(file[..<slash])
            base = String(file[file.index(after: slash)...])
        } else {
            dir = ""
            base = file
        }
        if isCrateRoot || base == "mod.rs" || base == "lib.rs" || base == "main.rs" { return dir }
        let stem = base.hasSuffix(".rs") ? String(base.dropLast(3)) : base
        return dir.isEmpty ? stem : dir + "/" + stem
    }
}

/// Whether a file holds a NUL byte (a binary file named `.rs`): memchr, not a byte-by-byte loop.
func containsNul(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
        guard let b = raw.baseAddress, raw.count > 0 else { return false }
        return memchr(b, 0, raw.count) != nil
    }
}
