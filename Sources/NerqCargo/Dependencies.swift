import NerqTOML

/// One dependency as a package declares it: a row of `[dependencies]`, `[dev-dependencies]`,
/// `[build-dependencies]` or their `[target.'cfg(…)'.…]` forms. The same shape comes from a
/// Cargo.toml, from `cargo metadata` (`packages[].dependencies[]`) and from a crates.io index
/// entry (`deps[]`), so the feature resolver reads one model whatever the source.
public struct CargoDependency: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case normal, build, dev
    }

    /// The package depended on (`package = "…"` when renamed, else the key).
    public var package: String
    /// The key, when it differs from the package (`words = { package = "shlex" }`): the name the
    /// features table and the code use.
    public var rename: String?
    /// The version requirement as written; nil when none is given (a path or git dependency).
    public var requirement: String?
    public var kind: Kind
    /// `cfg(…)` expression or target triple of a `[target.X.…]` table; nil for every platform.
    public var target: String?
    public var optional: Bool
    public var defaultFeatures: Bool
    public var features: [String]
    /// `path = "…"` (a path dependency, such as another workspace member).
    public var path: String?
    /// `workspace = true`: the rest comes from `[workspace.dependencies]` of the workspace root.
    public var inheritsWorkspace: Bool

    public init(package: String, rename: String? = nil, requirement: String? = nil, kind: Kind = .normal, target: String? = nil,
                optional: Bool = false, defaultFeatures: Bool = true, features: [String] = [], path: String? = nil,
                inheritsWorkspace: Bool = false) {
        self.package = package
        self.rename = rename
        self.requirement = requirement
        self.kind = kind
        self.target = target
        self.optional = optional
        self.defaultFeatures = defaultFeatures
        self.features = features
        self.path = path
        self.inheritsWorkspace = inheritsWorkspace
    }

    /// The name features (`dep:NAME`, `NAME/feat`) and `is_dep_activated` use: the key.
    public var nameInToml: String { rename ?? package }

    /// The declaration with what `[workspace.dependencies]` gives it (cargo's inheritance: the
    /// member keeps `optional` and adds its `features`; the rest is the workspace's).
    public func inheriting(from workspace: [CargoDependency]) -> CargoDependency? {
        guard inheritsWorkspace else { return self }
        guard let w = workspace.first(where: { $0.nameInToml == nameInToml }) else { return nil }
        var d = w
        d.kind = kind
        d.target = target
        d.optional = optional
        d.features = w.features + features.filter { !w.features.contains($0) }
        d.inheritsWorkspace = false
        return d
    }
}

/// One `[features]` entry: the feature and what it enables, as written (`"dep:x"`, `"x/y"`,
/// `"x?/y"`, another feature).
public struct CargoFeature: Sendable, Equatable {
    public var name: String
    public var enables: [String]

    public init(name: String, enables: [String]) {
        self.name = name
        self.enables = enables
    }
}

enum DependencyTables {
    static let tableKeys: [(key: String, alternate: String?, kind: CargoDependency.Kind)] = [
        ("dependencies", nil, .normal), ("build-dependencies", "build_dependencies", .build),
        ("dev-dependencies", "dev_dependencies", .dev),
    ]

    /// Every dependency a manifest declares, in document order: the plain tables, then each
    /// `[target.X]`'s. A value cargo would refuse (not a string or table) is named in `issues`.
    static func read(_ root: TOMLTable, file: String, issues: inout [String]) -> [CargoDependency] {
        var out: [CargoDependency] = []
        func tables(_ t: TOMLTable, target: String?) {
            for spec in tableKeys {
                // cargo reads the dashed key and takes the underscored one when the dashed is absent.
                guard let table = t.table(spec.key) ?? spec.alternate.flatMap({ t.table($0) }) else { continue }
                for e in table.entries {
                    if let d = dependency(key: e.key, value: e.value, kind: spec.kind, target: target) {
                        out.append(d)
                    } else {
                        issues.append("\(file):\(table.line(forKey: e.key) ?? table.line): dependency \(e.key) is neither a version nor a table; ignored")
                    }
                }
            }
        }
        tables(root, target: nil)
        if let targets = root.table("target") {
            for e in targets.entries {
                if let t = e.value.tableValue { tables(t, target: e.key) }
            }
        }
        return out
    }

    /// `key = "req"` or `key = { version, package, optional, default-features, features, path,
    /// workspace }`; nil for any other value.
    static func dependency(key: String, value: TOMLValue, kind: CargoDependency.Kind, target: String?) -> CargoDependency? {
        switch value {
        case .string(let req):
            return CargoDependency(package: key, requirement: req, kind: kind, target: target)
        case .table(let t):
            let package = t.string("package")
            let defaultFeatures = t.bool("default-features") ?? t.bool("default_features") ?? true
            return CargoDependency(package: package ?? key, rename: package == nil || package == key ? nil : key,
                                   requirement: t.string("version"), kind: kind, target: target,
                                   optional: t.bool("optional") ?? false, defaultFeatures: defaultFeatures,
                                   features: t.strings("features") ?? [], path: t.string("path"),
                                   inheritsWorkspace: t.bool("workspace") ?? false)
        default:
            return nil
        }
    }

    /// `[features]`, in document order (values that are not arrays of strings keep what they can).
    static func features(_ root: TOMLTable) -> [CargoFeature] {
        guard let t = root.table("features") else { return [] }
        return t.entries.map { e in
            CargoFeature(name: e.key, enables: (e.value.arrayValue ?? []).compactMap(\.stringValue))
        }
    }
}
