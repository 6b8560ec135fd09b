import NerqCargo
import NerqIO

/// Finds the unpacked source directory of `name`-`version`.
///
/// Search order:
/// 1. `manifestDirectory` (an explicit directory, accepted when it has a
///    Cargo.toml whose `[package]` name/version — if readable by the
///    line-based check — agree),
/// 2. each of `vendorDirectories`: `DIR/NAME-VERSION`, then `DIR/NAME`
///    (cargo vendor's layout) when its Cargo.toml says that exact version,
/// 3. `$CARGO_HOME/registry/src/*/NAME-VERSION` (index directories in sorted
///    order; the engine derives CARGO_HOME from the environment it captured),
/// 4. Debian's `/usr/share/cargo/registry/NAME-VERSION` — exact version only
///    (Debian may ship another patch release under a different directory;
///    that one is never returned), and its Cargo.toml must agree when readable.
public struct CrateLocator: Sendable {
    public enum Source: String, Sendable, Codable {
        case manifest, vendor, cargoRegistry = "cargo_registry", debian
    }

    public struct Location: Sendable, Equatable, Codable {
        public var path: String
        public var source: Source
    }

    public var manifestDirectory: String?
    public var vendorDirectories: [String]
    /// cargo's home (`$CARGO_HOME`, else `~/.cargo`, as the engine resolved it); nil: none.
    public var cargoHome: String?
    /// The directories of `$CARGO_HOME/registry/src`, when the caller listed them already (an
    /// engine lists them once); nil: listed here.
    public var cargoSourceDirectories: [String]?
    public var debianRegistry: String
    /// The entries of search roots listed beforehand (root -> names): a directory missing from
    /// its root's listing is not stat'ed. For a large project, one listing per root is cheaper
    /// than a few stats per crate and spelling; a root without a listing is stat'ed as usual.
    public var listings: [String: Set<String>] = [:]

    /// The listings of `roots` (those that can be listed).
    public static func list(_ roots: [String]) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for root in roots where out[root] == nil {
            if let entries = Directory.list(path: root) { out[root] = Set(entries.map(\.name)) }
        }
        return out
    }

    /// Whether `root/name` may exist: not when the root was listed without it.
    private func mayExist(_ root: String, _ name: String) -> Bool {
        listings[root].map { $0.contains(name) } ?? true
    }

    public init(manifestDirectory: String? = nil, vendorDirectories: [String] = [], cargoHome: String? = nil,
                cargoSourceDirectories: [String]? = nil, debianRegistry: String = "/usr/share/cargo/registry") {
        self.manifestDirectory = manifestDirectory
        self.vendorDirectories = vendorDirectories
        self.cargoHome = cargoHome
        self.cargoSourceDirectories = cargoSourceDirectories
        self.debianRegistry = debianRegistry
    }

    /// `$CARGO_HOME/registry/src/*`, in name order.
    public static func sourceDirectories(cargoHome: String?) -> [String] {
        guard let home = cargoHome, !home.isEmpty else { return [] }
        let src = Files.join(home, "registry/src")
        return ((try? Files.list(src)) ?? []).map { Files.join(src, $0) }
    }

    /// The crate's directory. crates.io treats names that differ only in case or in `-` versus
    /// `_` as one name, so after the name as given, its lower-case spellings are tried too (the
    /// directory's own Cargo.toml must then name the same crate).
    public func locate(name: String, version: String) -> Location? {
        guard CrateLocator.isSafeComponent(name), CrateLocator.isSafeComponent(version) else { return nil }
        if let found = locateExactly(name: name, version: version) { return found }
        let lower = name.lowercased()
        var tried: Set<String> = [name]
        for variant in [lower, String(lower.map { $0 == "_" ? "-" : $0 }), String(lower.map { $0 == "-" ? "_" : $0 })]
        where tried.insert(variant).inserted {
            if let found = locateExactly(name: variant, version: version) { return found }
        }
        return nil
    }

    private func locateExactly(name: String, version: String) -> Location? {
        let dirName = name + "-" + version
        if let m = manifestDirectory, CrateLocator.manifestAgrees(dir: m, name: name, version: version, requireVersion: false) {
            return Location(path: m, source: .manifest)
        }
        for v in vendorDirectories {
            let exact = join(v, dirName)
            if mayExist(v, dirName), CrateLocator.manifestAgrees(dir: exact, name: name, version: version, requireVersion: false) {
                return Location(path: exact, source: .vendor)
            }
            let plain = join(v, name)
            if mayExist(v, name), CrateLocator.manifestAgrees(dir: plain, name: name, version: version, requireVersion: true) {
                return Location(path: plain, source: .vendor)
            }
        }
        for index in cargoSourceDirectories ?? CrateLocator.sourceDirectories(cargoHome: cargoHome) {
            let d = join(index, dirName)
            if mayExist(index, dirName), CrateLocator.manifestAgrees(dir: d, name: name, version: version, requireVersion: false) {
                return Location(path: d, source: .cargoRegistry)
            }
        }
        let deb = join(debianRegistry, dirName)
        if mayExist(debianRegistry, dirName), CrateLocator.manifestAgrees(dir: deb, name: name, version: version, requireVersion: false) {
            return Location(path: deb, source: .debian)
        }
        // Debian names the directory without build metadata (libgit2-sys-0.14.1 holds
        // 0.14.1+1.5.0): accepted only when its Cargo.toml says the exact version.
        if let plus = version.firstIndex(of: "+") {
            let bareName = name + "-" + version[..<plus]
            let bare = join(debianRegistry, bareName)
            if mayExist(debianRegistry, bareName), CrateLocator.manifestAgrees(dir: bare, name: name, version: version, requireVersion: true) {
                return Location(path: bare, source: .debian)
            }
        }
        return nil
    }

    private func join(_ a: String, _ b: String) -> String { Files.join(a, b) }

    /// No path separators, no "..", not empty.
    static func isSafeComponent(_ s: String) -> Bool {
        !s.isEmpty && !s.contains("/") && s != "." && s != ".." && !s.contains("\0")
    }

    /// The directory has a Cargo.toml (a regular file inside it); if it parses, its name and
    /// version must match (crate names compare with `-` == `_`). With `requireVersion`, a
    /// readable version is mandatory.
    static func manifestAgrees(dir: String, name: String, version: String, requireVersion: Bool) -> Bool {
        guard Files.isDirectory(dir) else { return false }
        guard let toml = Files.confined(Files.join(dir, "Cargo.toml"), to: dir), Files.kind(toml) == .file else { return false }
        guard case .success(let bytes) = Files.readBytes(toml, limit: 4 << 20),
              let manifest = try? CargoManifest.parse(bytes, file: toml) else { return !requireVersion }
        if let n = manifest.name, normalizeName(n) != normalizeName(name) { return false }
        if let v = manifest.version { return v == version }
        return !requireVersion
    }

    static func normalizeName(_ s: String) -> String {
        String(s.lowercased().map { $0 == "-" ? "_" : $0 })
    }
}
