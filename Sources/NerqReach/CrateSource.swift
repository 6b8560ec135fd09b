import NerqCargo
import NerqIO

/// A crate's source as the reference search reads it: the `.rs` files a build of it compiles,
/// lexed. What a dependent's build never compiles is left out — test, bench and example targets,
/// `#[cfg(test)]` items and modules, and the binaries of a crate used as a library — unless asked
/// for (a workspace member's own tests, when only its dev-dependencies pull the vulnerable crate
/// in; its binaries always). Everything else under `src/` counts, whatever module tree or cfg it
/// sits under: a file is left out only when it surely is not compiled.
struct CrateSource {
    enum Part: String {
        case library, binary, buildScript = "build script", tests
    }

    struct SourceFile {
        var file: RustFile
        /// Relative to the crate directory.
        var relative: String
        var part: Part
    }

    let directory: String
    let name: String
    let version: String
    let manifest: CargoManifest?
    /// Test code counts (test targets and `#[cfg(test)]` items).
    let tests: Bool
    private(set) var files: [SourceFile] = []
    /// Files that could not be read (too big, unreadable): the search cannot say "not referenced"
    /// for a crate with any.
    private(set) var unreadable: [String] = []

    static let maxFileSize = 8 << 20
    static let maxFiles = 20_000

    /// Reads the crate at `directory`. `binaries`: its `src/main.rs` and `src/bin/` count (a root
    /// of the build); `tests`: its test code counts too.
    init(directory: String, name: String, version: String, binaries: Bool, tests: Bool) {
        self.directory = directory
        self.name = name
        self.version = version
        self.tests = tests
        guard let real = Files.realPath(directory) else {
            manifest = nil
            unreadable = ["(the directory)"]
            return
        }
        var m: CargoManifest?
        if case .success(let bytes) = Files.readBytes(Files.join(real, "Cargo.toml"), limit: 4 << 20) {
            m = try? CargoManifest.parse(bytes, file: Files.join(directory, "Cargo.toml"))
        }
        manifest = m
        let walk = Walk.tree(realRoot: real, maxFiles: Self.maxFiles, wantFile: { $0.hasSuffix(".rs") })
        if walk.truncated { unreadable.append("(more than \(Self.maxFiles) files)") }
        let libRoot = m?.libPath.map(Self.normalize) ?? "src/lib.rs"
        let build = m?.buildDisabled == true ? nil : Self.normalize(m?.buildPath ?? "build.rs")
        let declaredTests = Set((m?.testTargetPaths ?? []).map(Self.normalize))
        var read: [SourceFile] = []
        for f in walk.files.sorted(by: { $0.relative.utf8.lexicographicallyPrecedes($1.relative.utf8) }) {
            let rel = f.relative
            let part: Part
            if rel == build || (build.map { b in b.contains("/") && rel.hasPrefix(Files.directory(of: b) + "/") } ?? false) {
                part = .buildScript
            } else if rel.hasPrefix("tests/") || rel.hasPrefix("benches/") || rel.hasPrefix("examples/") || declaredTests.contains(rel) {
                part = .tests
            } else if rel != libRoot && (rel == "src/main.rs" || rel.hasPrefix("src/bin/")) {
                part = .binary
            } else if rel.hasPrefix("src/") || rel == libRoot {
                part = .library
            } else {
                continue  // vendored or generated trees outside src/ that no target names
            }
            if part == .tests && !tests { continue }
            if part == .binary && !binaries { continue }
            guard f.size <= Self.maxFileSize, case .success(let bytes) = Files.readBytes(f.absolute, limit: Self.maxFileSize) else {
                unreadable.append(rel)
                continue
            }
            read.append(SourceFile(file: RustFile(path: Files.join(directory, rel), bytes: bytes), relative: rel, part: part))
        }
        // `#[cfg(test)] mod NAME;` files (NAME.rs, NAME/...) beside the declaring module.
        if !tests {
            var testPaths: [String] = []
            for sf in read {
                let base = Self.moduleDirectory(of: sf.relative, isRoot: sf.relative == libRoot || sf.relative == "src/main.rs" || sf.relative == build)
                for name in sf.file.testModules { testPaths.append(base.isEmpty ? name : base + "/" + name) }
            }
            read.removeAll { sf in
                testPaths.contains { p in sf.relative == p + ".rs" || sf.relative.hasPrefix(p + "/") }
            }
        }
        files = read
    }

    /// The directory a file's `mod x;` declarations resolve against (`src/a.rs` → `src/a`,
    /// `src/a/mod.rs` and crate roots → their own directory).
    static func moduleDirectory(of rel: String, isRoot: Bool) -> String {
        let dir = rel.contains("/") ? Files.directory(of: rel) : ""
        let base = Files.lastComponent(rel)
        if isRoot || base == "mod.rs" { return dir }
        let stem = String(base.dropLast(3))
        return dir.isEmpty ? stem : dir + "/" + stem
    }

    /// The module path of a file from its place under `src/` (`src/x509/verify.rs` → x509::verify).
    /// `#[path]` attributes can move modules anywhere; callers treat it as a hint.
    static func modulePath(of rel: String) -> [String] {
        guard rel.hasPrefix("src/") else { return [] }
        var parts = rel.dropFirst(4).split(separator: "/").map(String.init)
        guard let last = parts.popLast() else { return [] }
        if last == "lib.rs" || last == "main.rs" || last == "mod.rs" {
            if parts.first == "bin" { return [] }
            return parts
        }
        if parts.first == "bin" { return [] }
        return parts + [String(last.dropLast(3))]
    }

    static func normalize(_ p: String) -> String {
        var s = p
        while s.hasPrefix("./") { s.removeFirst(2) }
        return s
    }

    /// The crate name code uses for this package (`[lib] name`, else the name with `_`).
    var libName: String { manifest?.libName ?? name.replacingDashes }
}
