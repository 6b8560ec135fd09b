import NerqCore
import NerqJSON

/// What `cargo metadata --format-version 1` says about the project: workspace members, each
/// package's manifest (license, repository, edition, ...), and the resolved graph with dependency
/// kinds.
public struct CargoMetadata: Sendable {
    public struct Package: Sendable {
        public var id: String
        public var name: String
        public var version: String
        public var source: String?
        public var manifestPath: String?
        public var manifest: ManifestSignals
        public var procMacro: Bool
        /// `dependencies[]`: what the package declares (kinds, platforms, optional, features).
        public var dependencies: [CargoDependency] = []
        /// `features`: the package's feature table (cargo lists the implicit features of optional
        /// dependencies too).
        public var features: [CargoFeature] = []
        /// The lib target's name, when the package has one.
        public var libName: String?
        /// It has a `custom-build` target (a build script).
        public var buildScript = false
        /// `edition` as written.
        public var edition: String?
    }

    public struct Edge: Sendable {
        public var to: String
        /// "normal", "dev" or "build", one per kind the dependency is used as.
        public var kinds: [String]
        /// The name the code uses (`deps[].name`), when given.
        public var name: String? = nil
    }

    public var packages: [Package]
    public var workspaceMembers: [String]
    public var workspaceRoot: String?
    /// Resolved graph: package id → its dependencies (nil when metadata was taken with --no-deps).
    public var resolve: [String: [Edge]]?
    /// What could not be used as given: duplicate package ids and resolve nodes (the first is
    /// kept), each with its JSON path.
    public var issues: [String] = []

    public static func read(_ value: JSONValue, path: String = "$") throws(NerqError) -> CargoMetadata {
        let o = try JSONReader(value, path: path).object()
        if let v = o.optional("version") {
            let n = try v.int(in: 0...Int64.max)
            guard n == 1 else {
                throw NerqError(.unsupportedVersion, "cargo metadata format version \(n) is not supported (expected 1)", path: v.path)
            }
        }
        var packages: [Package] = []
        var issues: [String] = []
        var ids = Set<String>()
        for p in try o.required("packages").array() {
            let po = try p.object()
            let id = try po.required("id").string()
            guard ids.insert(id).inserted else {
                issues.append("\(p.path): duplicate package id \"\(id)\"; the first is kept")
                continue
            }
            var m = ManifestSignals()
            m.license = try po.optional("license")?.string()
            if let e = po.optional("edition") {
                let edition = try e.string()
                m.edition = ["2015", "2018", "2021", "2024"].contains(edition) ? edition : nil
            }
            m.rustVersion = try po.optional("rust_version")?.string()
            m.description = try po.optional("description")?.string()
            m.repository = try po.optional("repository")?.string()
            m.documentation = try po.optional("documentation")?.string()
            m.homepage = try po.optional("homepage")?.string()
            m.readme = po.optional("readme").map { _ in true }
            m.keywords = try po.optional("keywords")?.strings()
            m.categories = try po.optional("categories")?.strings()
            var procMacro = false
            var libName: String?
            var buildScript = false
            for t in try po.optional("targets")?.array() ?? [] {
                let to = try t.object()
                let kinds = try to.optional("kind")?.strings() ?? []
                if kinds.contains("proc-macro") { procMacro = true }
                if kinds.contains("custom-build") { buildScript = true }
                if kinds.contains(where: { ["lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro"].contains($0) }) {
                    libName = try to.optional("name")?.string()
                }
            }
            var package = Package(id: id, name: try po.required("name").string(), version: try po.required("version").string(),
                                  source: try po.optional("source")?.string(), manifestPath: try po.optional("manifest_path")?.string(),
                                  manifest: m, procMacro: procMacro)
            package.libName = libName
            package.buildScript = buildScript
            package.edition = try po.optional("edition")?.string()
            package.dependencies = try dependencies(po.optional("dependencies"))
            if let f = po.optional("features") {
                let fo = try f.object()
                for e in fo.object.entries {
                    package.features.append(CargoFeature(name: e.key, enables: try JSONReader(e.value, path: fo.childPath(e.key)).strings()))
                }
            }
            packages.append(package)
        }
        let members = try o.optional("workspace_members")?.strings() ?? []
        var resolve: [String: [Edge]]?
        if let r = o.optional("resolve") {
            var graph: [String: [Edge]] = [:]
            for node in try r.object().required("nodes").array() {
                let no = try node.object()
                let id = try no.required("id").string()
                guard graph[id] == nil else {
                    issues.append("\(node.path): duplicate resolve node \"\(id)\"; the first is kept")
                    continue
                }
                var edges: [Edge] = []
                if let deps = no.optional("deps") {
                    for d in try deps.array() {
                        let dobj = try d.object()
                        var kinds: [String] = []
                        for k in try dobj.optional("dep_kinds")?.array() ?? [] {
                            kinds.append(try k.object().optional("kind")?.string() ?? "normal")
                        }
                        edges.append(Edge(to: try dobj.required("pkg").string(), kinds: kinds.isEmpty ? ["normal"] : kinds,
                                          name: try dobj.optional("name")?.string()))
                    }
                } else {
                    for d in try no.optional("dependencies")?.strings() ?? [] { edges.append(Edge(to: d, kinds: ["normal"])) }
                }
                graph[id] = edges
            }
            resolve = graph
        }
        return CargoMetadata(packages: packages, workspaceMembers: members,
                             workspaceRoot: try o.optional("workspace_root")?.string(), resolve: resolve, issues: issues)
    }

    /// `packages[].dependencies[]`: `{name, rename, req, kind, target, optional,
    /// uses_default_features, features, path}` (kind null is a normal dependency).
    static func dependencies(_ reader: JSONReader?) throws(NerqError) -> [CargoDependency] {
        guard let reader else { return [] }
        var out: [CargoDependency] = []
        for d in try reader.array() {
            let o = try d.object()
            let kind: CargoDependency.Kind
            switch try o.optional("kind")?.string() {
            case nil, "normal"?: kind = .normal
            case "dev"?: kind = .dev
            case "build"?: kind = .build
            case let other?:
                throw NerqError(.invalidValue, "unknown dependency kind \"\(other)\"", path: o.childPath("kind"))
            }
            out.append(CargoDependency(package: try o.required("name").string(), rename: try o.optional("rename")?.string(),
                                       requirement: try o.optional("req")?.string(), kind: kind,
                                       target: try o.optional("target")?.string(),
                                       optional: try o.optional("optional")?.bool() ?? false,
                                       defaultFeatures: try o.optional("uses_default_features")?.bool() ?? true,
                                       features: try o.optional("features")?.strings() ?? [],
                                       path: try o.optional("path")?.string()))
        }
        return out
    }
}
