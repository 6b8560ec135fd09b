/// Finds the unpacked source directory of `name`-`version`.
///
/// Search order:
/// 1. `manifestDirectory` (an explicit directory, accepted when it has a
///    Cargo.toml whose `[package]` name/version — if readable by the
///    line-based check — agree),
/// 2. each of `vendorDirectories`: `DIR/NAME-VERSION`, then `DIR/NAME`
///    (cargo vendor's layout) when its Cargo.toml says that exact version,
/// 3. `$CARGO_HOME/registry/src/*/NAME-VERSION` (index directories in sorted
///    order; CARGO_HOME defaults to `$HOME/.cargo`),
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
    /// nil: `$CARGO_HOME`, else `$HOME/.cargo`.
    public var cargoHome: String?
    public var debianRegistry: String

    public init(manifestDirectory: String? = nil, vendorDirectories: [String] = [], cargoHome: String? = nil,
                debianRegistry: String = "/usr/share/cargo/registry") {
        self.manifestDirectory = manifestDirectory
        self.vendorDirectories = vendorDirectories
        self.cargoHome = cargoHome
        self.debianRegistry = debianRegistry
    }

    public var effectiveCargoHome: String? {
        if let c = cargoHome, !c.isEmpty { return c }
        if let c = FS.getenv("CARGO_HOME"), !c.isEmpty { return c }
        if let h = FS.getenv("HOME"), !h.isEmpty { return h + "/.cargo" }
        return nil
    }

    public func locate(name: String, version: String) -> Location? {
        guard CrateLocator.isSafeComponent(name), CrateLocator.isSafeComponent(version) else { return nil }
        let dirName = name + "-" + version
        if let m = manifestDirectory, CrateLocator.manifestAgrees(dir: m, name: name, version: version, requireVersion: false) {
            return Location(path: m, source: .manifest)
        }
        for v in vendorDirectories {
            let exact = join(v, dirName)
            if CrateLocator.manifestAgrees(dir: exact, name: name, version: version, requireVersion: false) {
                return Location(path: exact, source: .vendor)
            }
            let plain = join(v, name)
            if CrateLocator.manifestAgrees(dir: plain, name: name, version: version, requireVersion: true) {
                return Location(path: plain, source: .vendor)
            }
        }
        if let home = effectiveCargoHome {
            let src = join(home, "registry/src")
            if let listing = FS.listDirectory(src) {
                for index in listing.names {
                    let d = join(join(src, index), dirName)
                    if CrateLocator.manifestAgrees(dir: d, name: name, version: version, requireVersion: false) {
                        return Location(path: d, source: .cargoRegistry)
                    }
                }
            }
        }
        let deb = join(debianRegistry, dirName)
        if CrateLocator.manifestAgrees(dir: deb, name: name, version: version, requireVersion: false) {
            return Location(path: deb, source: .debian)
        }
        return nil
    }

    private func join(_ a: String, _ b: String) -> String {
        a.hasSuffix("/") ? a + b : a + "/" + b
    }

    /// No path separators, no "..", not empty.
    static func isSafeComponent(_ s: String) -> Bool {
        !s.isEmpty && !s.contains("/") && s != "." && s != ".." && !s.contains("\0")
    }

    /// The directory has a Cargo.toml; if the line-based check reads a
    /// name/version they must match (crate names compare with `-` == `_`).
    /// With `requireVersion`, a readable version is mandatory.
    static func manifestAgrees(dir: String, name: String, version: String, requireVersion: Bool) -> Bool {
        let toml = dir.hasSuffix("/") ? dir + "Cargo.toml" : dir + "/Cargo.toml"
        guard FS.isDirectory(dir), FS.statInfo(toml)?.kind == .regular else { return false }
        guard case .ok(let bytes) = FS.readFile(FS.realPath(toml) ?? toml, maxSize: 4 << 20) else { return !requireVersion }
        let h = ManifestHints(text: bytes)
        if let n = h.name, normalizeName(n) != normalizeName(name) { return false }
        if let v = h.version { return v == version }
        return !requireVersion
    }

    static func normalizeName(_ s: String) -> String {
        String(s.lowercased().map { $0 == "-" ? "_" : $0 })
    }
}
