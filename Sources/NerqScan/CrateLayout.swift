// Where things are in a crate directory: the root entries nerq may read (manifest, README,
// licenses), which .rs file is the crate root or the build script, the role each file plays by its
// path, and the files of `#[cfg(test)]` modules.

import NerqCargo
import NerqIO

/// The crate directory's own entries, listed once.
struct CrateRoot {
    /// The directory's real path (confinement is checked against it).
    let real: String
    let names: [String]

    /// A crate-root entry we may read: a regular file, or a symlink that resolves inside the
    /// crate. Returns the path to open.
    func file(_ name: String) -> String? {
        guard let t = Files.confined(Files.join(real, name), toReal: real), Files.kind(t) == .file else { return nil }
        return t
    }

    /// The crate's own Cargo.toml (what it declares about its targets); empty when it is absent or
    /// does not parse.
    func manifest() -> CargoManifest {
        if names.contains("Cargo.toml"), let p = file("Cargo.toml"),
           case .success(let bytes) = Files.readBytes(p, limit: 4 << 20), let parsed = try? CargoManifest.parse(bytes, file: p) {
            return parsed
        }
        return CargoManifest()
    }

    /// A README-named root file, else the manifest's `readme` path (inside the crate).
    func hasReadme(_ manifest: CargoManifest) -> Bool {
        if names.contains(where: { $0.uppercased().hasPrefix("README") && file($0) != nil }) { return true }
        if let rp = manifest.readmePath, !rp.contains(".."), file(rp) != nil { return true }
        return false
    }

    /// The license files (sorted by bytes) and the SPDX ids recognized in them.
    func licenseFiles() -> (names: [String], detected: Set<String>) {
        var found: [String] = []
        var detected = Set<String>()
        for name in names where LicenseDetector.isLicenseFileName(name) {
            guard let p = file(name) else { continue }
            found.append(name)
            if case .success(let bytes) = Files.readBytes(p, limit: 1 << 20) {
                for id in LicenseDetector.detect(bytes) { detected.insert(id) }
            }
        }
        found.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return (found, detected)
    }
}

/// The crate's targets among its .rs files, and the role each file plays.
struct CrateLayout {
    /// The library root (`[lib] path`, else src/lib.rs), else src/main.rs, when present.
    private(set) var crateRoot: String?
    /// The build script, when present.
    private(set) var buildScript: String?
    /// The build script's directory ("/"-terminated) when it is not at the root: the modules it
    /// includes from there are build code too.
    private var buildDir: String?
    /// Test, bench and example targets Cargo.toml declares by path, and their folders (outside
    /// `src/`) whose modules are test code too: nix keeps its tests under `test/`.
    private var declaredTestFiles = Set<String>()
    private var declaredTestDirs: [String] = []

    init(present: Set<String>, manifest: CargoManifest, options: ScanOptions) {
        var libRoot: String? = (options.libPath ?? manifest.libPath).map(CrateLayout.normalize)
        if libRoot == nil && present.contains("src/lib.rs") { libRoot = "src/lib.rs" }
        if let l = libRoot, present.contains(l) {
            crateRoot = l
        } else if present.contains("src/main.rs") {
            crateRoot = "src/main.rs"
        }
        var buildPath: String? = nil
        if !manifest.buildDisabled || options.buildScriptPath != nil {
            buildPath = CrateLayout.normalize(options.buildScriptPath ?? manifest.buildPath ?? "build.rs")
        }
        if let b = buildPath, present.contains(b) {
            buildScript = b
            if let slash = b.lastIndex(of: "/") { buildDir = String(b[...slash]) }
        }
        for path in manifest.testTargetPaths.map(CrateLayout.normalize) where path != crateRoot && path != buildScript {
            declaredTestFiles.insert(path)
            if let slash = path.lastIndex(of: "/") {
                let dir = String(path[...slash])
                if dir != "src/" && !dir.hasPrefix("src/") && !declaredTestDirs.contains(dir) { declaredTestDirs.append(dir) }
            }
        }
    }

    /// Manifest paths may start with "./"; walked paths never do.
    private static func normalize(_ p: String) -> String {
        var s = p
        while s.hasPrefix("./") { s.removeFirst(2) }
        return s
    }

    func role(_ rel: String) -> FileRole {
        if let b = buildScript, rel == b { return .build }
        if let d = buildDir, rel.hasPrefix(d) { return .build }
        if rel.hasPrefix("tests/") || declaredTestFiles.contains(rel) || declaredTestDirs.contains(where: { rel.hasPrefix($0) }) {
            return .test
        }
        if rel.hasPrefix("examples/") { return .example }
        if rel.hasPrefix("benches/") { return .bench }
        return .product
    }
}

/// The files of `#[cfg(test)] mod NAME;` modules: NAME.rs and everything under NAME/ beside the
/// declaring file's module directory.
struct TestModuleFiles {
    private var files = Set<String>()
    private var dirs = Set<String>()

    init(_ declarations: [(declaringFile: String, name: String)], crateRoot: String?) {
        for (decl, name) in declarations {
            let base = CrateScanner.moduleBaseDirectory(ofFile: decl, isCrateRoot: decl == crateRoot)
            let b = base.isEmpty ? "" : base + "/"
            files.insert(b + name + ".rs")
            dirs.insert(b + name)
        }
    }

    func contains(_ rel: String) -> Bool {
        files.contains(rel) || underTestDir(rel)
    }

    private func underTestDir(_ rel: String) -> Bool {
        if dirs.isEmpty { return false }
        var i = rel.startIndex
        while let slash = rel[i...].firstIndex(of: "/") {
            if dirs.contains(String(rel[..<slash])) { return true }
            i = rel.index(after: slash)
        }
        return false
    }
}
