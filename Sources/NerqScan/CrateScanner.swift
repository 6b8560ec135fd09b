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

        /// A crate-root entry we may read: a regular file, or a symlink that resolves inside the
        /// crate. Returns the path to open.
        func rootFile(_ name: String) -> String? {
            guard let t = Files.confined(Files.join(real, name), toReal: real), Files.kind(t) == .file else { return nil }
            return t
        }

        // The crate's own Cargo.toml (what it declares about its targets)
        var manifest = CargoManifest()
        if rootNames.contains("Cargo.toml"), let p = rootFile("Cargo.toml"),
           case .success(let bytes) = Files.readBytes(p, limit: 4 << 20), let parsed = try? CargoManifest.parse(bytes, file: p) {
            manifest = parsed
        }
        r.proc_macro = options.procMacro ?? manifest.procMacro

        // README
        r.has_readme = rootNames.contains { $0.uppercased().hasPrefix("README") && rootFile($0) != nil }
        if !r.has_readme, let rp = manifest.readmePath, !rp.contains(".."), rootFile(rp) != nil { r.has_readme = true }

        // license files
        var detected = Set<String>()
        for name in rootNames where LicenseDetector.isLicenseFileName(name) {
            guard let p = rootFile(name) else { continue }
            r.license_files.append(name)
            if case .success(let bytes) = Files.readBytes(p, limit: 1 << 20) {
                for id in LicenseDetector.detect(bytes) { detected.insert(id) }
            }
        }
        r.license_files.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        r.licenses_detected = detected.sorted()
        let expr = options.licenseExpression ?? manifest.signals.license
        r.license_expression = expr
        if let e = expr, let m = LicenseDetector.matches(expression: e, detected: r.licenses_detected, licenseFileCount: r.license_files.count) {
            r.license_matches = m.ok
            r.license_missing = m.missing
        }

        // walk
        let walk = Walk.tree(realRoot: real, wantFile: { $0.hasSuffix(".rs") })
        r.skipped_files.symlink_outside = walk.symlinkOutside
        r.skipped_files.unreadable = walk.unreadable
        let present = Set(walk.files.map { $0.relative })

        func normalizeRel(_ p: String) -> String {
            var s = p
            while s.hasPrefix("./") { s.removeFirst(2) }
            return s
        }
        var libRoot: String? = (options.libPath ?? manifest.libPath).map(normalizeRel)
        if libRoot == nil && present.contains("src/lib.rs") { libRoot = "src/lib.rs" }
        if let l = libRoot, present.contains(l) {
            r.crate_root = l
        } else if present.contains("src/main.rs") {
            r.crate_root = "src/main.rs"
        }
        var buildPath: String? = nil
        if !manifest.buildDisabled || options.buildScriptPath != nil {
            buildPath = normalizeRel(options.buildScriptPath ?? manifest.buildPath ?? "build.rs")
        }
        var buildDir: String? = nil
        if let b = buildPath, present.contains(b) {
            r.build_script = true
            if let slash = b.lastIndex(of: "/") { buildDir = String(b[...slash]) }
        } else {
            buildPath = nil
        }

        func role(_ rel: String) -> FileRole {
            if let b = buildPath, rel == b { return .build }
            if let d = buildDir, rel.hasPrefix(d) { return .build }
            if rel.hasPrefix("tests/") { return .test }
            if rel.hasPrefix("examples/") { return .example }
            if rel.hasPrefix("benches/") { return .bench }
            return .product
        }

        // targets: dir/*.rs and dir/*/main.rs
        for f in walk.files {
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

        // lex + analyze every .rs file (each with its own evidence collector;
        // merged below once `#[cfg(test)] mod x;` files are known)
        var perFile: [(rel: String, ev: EvidenceCollector)] = []
        var testModuleDecls: [(declaringFile: String, name: String)] = []
        var buildWritesOutDir = false
        var lexErrors: [LexErrorEntry] = []
        for f in walk.files {
            if f.size > options.maxFileSize {
                r.skipped_files.huge &+= 1
                continue
            }
            let bytes: [UInt8]
            switch Files.readBytes(f.absolute, limit: options.maxFileSize) {
            case .success(let b): bytes = b
            case .failure(.tooLarge):
                r.skipped_files.huge &+= 1
                continue
            case .failure:
                r.skipped_files.unreadable &+= 1
                continue
            }
            if containsNul(bytes) {
                r.skipped_files.binary &+= 1
                continue
            }
            r.files &+= 1
            r.bytes &+= bytes.count
            let fileRole = role(f.relative)
            let isRoot = f.relative == r.crate_root
            var ev = EvidenceCollector(cap: options.maxEvidence)
            let facts: FileFacts = bytes.withUnsafeBufferPointer { src in
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
                return a.facts
            }
            perFile.append((f.relative, ev))
            for name in facts.cfgTestModules { testModuleDecls.append((f.relative, name)) }
            r.test_fns &+= facts.testFns
            r.pub_items &+= facts.pubItems
            r.documented_pub_items &+= facts.documentedPubItems
            if isRoot {
                r.forbids_unsafe = r.forbids_unsafe || facts.forbidsUnsafe
                r.denies_unsafe = r.denies_unsafe || facts.deniesUnsafe
            }
            if fileRole == .build && facts.mentionsOutDir { buildWritesOutDir = true }
        }
        r.lex_errors = lexErrors
        tokens.shrink(above: 1 << 20)  // do not keep huge buffers around

        // Files of `#[cfg(test)] mod NAME;` modules: capabilities found there
        // are test-only (unsafe counts still include them).
        var testFiles = Set<String>()
        var testDirs = Set<String>()
        for (decl, name) in testModuleDecls {
            let base = CrateScanner.moduleBaseDirectory(ofFile: decl, isCrateRoot: decl == r.crate_root)
            let b = base.isEmpty ? "" : base + "/"
            testFiles.insert(b + name + ".rs")
            testDirs.insert(b + name)
        }
        func underTestDir(_ rel: String) -> Bool {
            if testDirs.isEmpty { return false }
            var i = rel.startIndex
            while let slash = rel[i...].firstIndex(of: "/") {
                if testDirs.contains(String(rel[..<slash])) { return true }
                i = rel.index(after: slash)
            }
            return false
        }
        var ev = EvidenceCollector(cap: options.maxEvidence)
        for (rel, fev) in perFile {
            let isTestModule = testFiles.contains(rel) || underTestDir(rel)
            ev.merge(fev) { isTestModule && $0.isProductCapabilityEvidence }
        }

        r.unsafe_blocks = ev.count(.unsafeBlock)
        r.unsafe_fns = ev.count(.unsafeFn)
        r.unsafe_impls = ev.count(.unsafeImpl)
        r.unsafe_traits = ev.count(.unsafeTrait)
        r.unsafe_externs = ev.count(.unsafeExtern)
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
        if r.pub_items > 0 {
            r.doc_coverage = Double(r.documented_pub_items) / Double(r.pub_items)
        }
        return r
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
