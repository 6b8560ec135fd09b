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
    }

    public struct Edge: Sendable {
        public var to: String
        /// "normal", "dev" or "build", one per kind the dependency is used as.
        public var kinds: [String]
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
            for t in try po.optional("targets")?.array() ?? [] {
                let kinds = try t.object().optional("kind")?.strings() ?? []
                if kinds.contains("proc-macro") { procMacro = true }
            }
            packages.append(Package(id: id, name: try po.required("name").string(), version: try po.required("version").string(),
                                    source: try po.optional("source")?.string(), manifestPath: try po.optional("manifest_path")?.string(),
                                    manifest: m, procMacro: procMacro))
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
                        edges.append(Edge(to: try dobj.required("pkg").string(), kinds: kinds.isEmpty ? ["normal"] : kinds))
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
}
