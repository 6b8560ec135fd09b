import NerqCore
import NerqJSON
import NerqTOML

/// A crate's Cargo.toml, read with the TOML parser: the one reader of manifests in nerq (the
/// locator checks name and version with it, the scanner finds its targets with it, the engine
/// takes manifest signals from it).
public struct CargoManifest: Sendable, Equatable {
    public var name: String?
    public var version: String?
    /// `[lib] path`.
    public var libPath: String?
    /// `[lib] proc-macro = true`.
    public var procMacro = false
    /// `build = "path"` in [package].
    public var buildPath: String?
    /// `build = false` in [package].
    public var buildDisabled = false
    /// `readme = "path"` in [package].
    public var readmePath: String?
    /// Paths of the crate's declared test, bench and example targets (`[[test]] path = ...`).
    /// Cargo also finds `tests/`, `benches/` and `examples/` on its own; these are the ones a
    /// manifest names elsewhere (nix keeps its tests under `test/`).
    public var testTargetPaths: [String] = []
    /// What the manifest declares, as the `manifest` signal group.
    public var signals = ManifestSignals()
    /// `[lib] name` (the crate name code uses; cargo's default is the package name with `_`).
    public var libName: String?
    /// `[package] edition` as written (nil: none given, which cargo reads as 2015).
    public var edition: String?
    /// Every dependency declared, plain and per target (`workspace = true` rows unresolved: see
    /// `CargoDependency.inheriting`).
    public var dependencies: [CargoDependency] = []
    /// `[features]` in document order.
    public var features: [CargoFeature] = []
    /// `[workspace]`, when this manifest is a workspace root.
    public var workspace: CargoWorkspace?
    /// What could not be used as written (each names the file and line).
    public var issues: [String] = []

    public init() {}

    /// Parses a Cargo.toml. A file that is not TOML, or has no `[package]` table, is a
    /// `parse_error` naming `file` and the line.
    public static func parse(_ bytes: [UInt8], file: String = "Cargo.toml") throws(NerqError) -> CargoManifest {
        let root = try CargoTOML.parse(bytes, file: file)
        guard let package = root.table("package") else {
            throw NerqError(.parseError, "\(file): no [package] table", path: file)
        }
        var m = CargoManifest()
        m.name = package.string("name")
        m.version = package.string("version")
        switch package["build"] {
        case .string(let path)?: m.buildPath = path
        case .bool(false)?: m.buildDisabled = true
        default: break
        }
        m.readmePath = package.string("readme")
        if let lib = root.table("lib") {
            m.libPath = lib.string("path")
            m.libName = lib.string("name")
            m.procMacro = (lib["proc-macro"] ?? lib["proc_macro"])?.boolValue ?? false
        }
        m.edition = package.string("edition")
        m.dependencies = DependencyTables.read(root, file: file, issues: &m.issues)
        m.features = DependencyTables.features(root)
        m.workspace = CargoWorkspace.read(root, file: file, issues: &m.issues)
        for kind in ["test", "bench", "example"] {
            for target in root[kind]?.arrayValue ?? [] {
                if let path = target.tableValue?.string("path") { m.testTargetPaths.append(path) }
            }
        }
        m.signals = signals(package)
        return m
    }

    /// The manifest signals of a Cargo.toml (used when cargo metadata is not available: a bare
    /// lockfile, a single crate).
    public static func signals(_ bytes: [UInt8], file: String = "Cargo.toml") throws(NerqError) -> ManifestSignals {
        try parse(bytes, file: file).signals
    }

    static func signals(_ package: TOMLTable) -> ManifestSignals {
        var m = ManifestSignals()
        // Values inherited from a workspace (`license.workspace = true`) are tables: not known here.
        m.license = package.string("license")
        if let edition = package.string("edition"), ["2015", "2018", "2021", "2024"].contains(edition) {
            m.edition = edition
        } else if package["edition"] == nil {
            m.edition = "2015"  // cargo's default when a manifest names none
        }
        m.rustVersion = package.string("rust-version")
        m.description = package.string("description")
        m.repository = package.string("repository")
        m.documentation = package.string("documentation")
        m.homepage = package.string("homepage")
        switch package["readme"] {
        case .string?: m.readme = true
        case .bool(let b)?: m.readme = b
        default: break
        }
        m.keywords = package.strings("keywords")
        m.categories = package.strings("categories")
        return m
    }
}

/// A workspace root's `[workspace]` table: the resolver and the dependencies members inherit.
public struct CargoWorkspace: Sendable, Equatable {
    /// `resolver = "1" | "2" | "3"` as written.
    public var resolver: String?
    public var members: [String] = []
    /// `[workspace.dependencies]`.
    public var dependencies: [CargoDependency] = []

    public init(resolver: String? = nil, members: [String] = [], dependencies: [CargoDependency] = []) {
        self.resolver = resolver
        self.members = members
        self.dependencies = dependencies
    }

    static func read(_ root: TOMLTable, file: String, issues: inout [String]) -> CargoWorkspace? {
        guard let w = root.table("workspace") else { return nil }
        var ws = CargoWorkspace(resolver: w.string("resolver"), members: w.strings("members") ?? [])
        if let deps = w.table("dependencies") {
            for e in deps.entries {
                if let d = DependencyTables.dependency(key: e.key, value: e.value, kind: .normal, target: nil) {
                    ws.dependencies.append(d)
                } else {
                    issues.append("\(file):\(deps.line(forKey: e.key) ?? deps.line): workspace dependency \(e.key) is neither a version nor a table; ignored")
                }
            }
        }
        return ws
    }

    /// The root manifest of a workspace, which may have no `[package]` (a virtual workspace):
    /// its `[workspace]` and, when there is one, the root package's edition (cargo's default
    /// resolver follows it). A file that is not TOML is a `parse_error`.
    public static func parseRoot(_ bytes: [UInt8], file: String = "Cargo.toml") throws(NerqError) -> (workspace: CargoWorkspace?, edition: String?, hasPackage: Bool) {
        let root = try CargoTOML.parse(bytes, file: file)
        var issues: [String] = []
        let package = root.table("package")
        return (read(root, file: file, issues: &issues), package?.string("edition"), package != nil)
    }

    /// The feature resolver cargo uses: `resolver` when given, else "2" for a root package of
    /// edition 2021 and "3" for 2024, else "1" (a virtual workspace without `resolver` too).
    public static func resolver(declared: String?, rootEdition: String?) -> Int {
        switch declared {
        case "1"?: return 1
        case "2"?: return 2
        case "3"?: return 3
        default: break
        }
        switch rootEdition {
        case "2021"?: return 2
        case "2024"?: return 3
        default: return 1
        }
    }
}
