import NerqCargo
import NerqCore

/// A project's dependency graph, from its Cargo.lock and/or `cargo metadata`: every package once,
/// edges with whether they are dev-only, and the workspace members they hang from.
struct ProjectGraph: Sendable {
    struct Node: Sendable {
        var name: String
        var version: String
        var source: PackageSource
        var lockfileLine: Int?
        var manifest: ManifestSignals?
        var manifestPath: String?
        var isMember = false
        /// Reachable from the workspace members only through dev-dependencies.
        var devOnly = false
        /// Cargo.lock records a crates.io checksum (64 hex digits) for it: cargo fetched it.
        var hasRegistryChecksum = false
        /// Its position in cargo metadata's `packages`, when metadata lists it.
        var metadataIndex: Int?

        var label: String { "\(name) \(version)" }
    }

    struct Edge: Sendable {
        var to: Int
        /// Only a dev-dependency (cargo metadata's kinds; the lockfile does not say).
        var dev: Bool
        /// The name the depending crate's code uses (cargo metadata's `deps[].name`).
        var name: String? = nil
    }

    var nodes: [Node]
    var edges: [[Edge]]
    var roots: [Int]
    var issues: [String]

    static func build(lockfile: Lockfile?, metadata: CargoMetadata?) -> ProjectGraph {
        var nodes: [Node] = []
        var edges: [[Edge]] = []
        var issues: [String] = []
        var indexByKey: [String: Int] = [:]
        func key(_ name: String, _ version: String, _ source: String?) -> String { "\(name) \(version) \(source ?? "")" }

        if let lockfile {
            nodes.reserveCapacity(lockfile.packages.count)
            for p in lockfile.packages {
                // Keys only matter for merging cargo metadata in.
                if metadata != nil { indexByKey[key(p.name, p.version, p.source.raw)] = nodes.count }
                var node = Node(name: p.name, version: p.version, source: p.source, lockfileLine: p.line)
                node.hasRegistryChecksum = p.source == .cratesIO && Self.isChecksum(p.checksum)
                nodes.append(node)
            }
            edges = lockfile.dependencies.map { $0.map { Edge(to: $0, dev: false) } }
            issues = lockfile.issues
        }
        var idToIndex: [String: Int] = [:]
        if let metadata {
            for (position, p) in metadata.packages.enumerated() {
                let k = key(p.name, p.version, p.source)
                let index: Int
                if let i = indexByKey[k] {
                    index = i
                } else {
                    index = nodes.count
                    indexByKey[k] = index
                    nodes.append(Node(name: p.name, version: p.version, source: PackageSource(p.source), lockfileLine: nil))
                    edges.append([])
                    if lockfile != nil { issues.append("cargo metadata lists \(p.name) \(p.version), which Cargo.lock does not") }
                }
                idToIndex[p.id] = index
                nodes[index].metadataIndex = position
                nodes[index].manifest = p.manifest
                nodes[index].manifestPath = p.manifestPath
            }
            issues += metadata.issues
            for id in metadata.workspaceMembers {
                if let i = idToIndex[id] { nodes[i].isMember = true } else {
                    issues.append("cargo metadata: workspace member \"\(id)\" is not among its packages; ignored")
                }
            }
            // The resolved graph knows dependency kinds; it replaces the lockfile's kind-less edges.
            if let resolve = metadata.resolve {
                for (i, _) in nodes.enumerated() { edges[i] = [] }
                for p in metadata.packages {
                    guard let from = idToIndex[p.id] else { continue }
                    for e in resolve[p.id] ?? [] {
                        guard let to = idToIndex[e.to] else {
                            issues.append("cargo metadata: \(p.id) depends on \"\(e.to)\", which is not among its packages; edge ignored")
                            continue
                        }
                        edges[from].append(Edge(to: to, dev: e.kinds.allSatisfy { $0 == "dev" }, name: e.name))
                    }
                }
            }
        }
        var roots = nodes.indices.filter { nodes[$0].isMember }
        let guessed = roots.isEmpty && !nodes.isEmpty
        if roots.isEmpty {
            // Without metadata: the path packages nothing depends on are the workspace members.
            var depended = [Bool](repeating: false, count: nodes.count)
            for list in edges { for e in list { depended[e.to] = true } }
            roots = nodes.indices.filter { !depended[$0] && nodes[$0].source == .path }
            if roots.isEmpty { roots = nodes.indices.filter { !depended[$0] } }
            for r in roots where nodes[r].source == .path { nodes[r].isMember = true }
        }
        markDevOnly(&nodes, edges: edges, roots: roots)
        return ProjectGraph(nodes: nodes, edges: edges, roots: roots, issues: issues, membersGuessed: guessed)
    }

    /// A SHA-256 in hex, as cargo writes it (Debian's "Could not get crate checksum" is not one).
    static func isChecksum(_ text: String?) -> Bool {
        guard let b = text?.utf8, b.count == 64 else { return false }
        return b.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// A package is dev-only when every route from a workspace member passes a dev edge.
    /// (On the builder's array, before the graph shares it: marking a shared array would copy it.)
    static func markDevOnly(_ nodes: inout [Node], edges: [[Edge]], roots: [Int]) {
        var normal = [Bool](repeating: false, count: nodes.count)
        var queue = roots
        for r in roots { normal[r] = true }
        var head = 0
        while head < queue.count {
            let n = queue[head]
            head += 1
            for e in edges[n] where !e.dev && !normal[e.to] {
                normal[e.to] = true
                queue.append(e.to)
            }
        }
        var reachable = [Bool](repeating: false, count: nodes.count)
        queue = roots
        head = 0
        for r in roots { reachable[r] = true }
        while head < queue.count {
            let n = queue[head]
            head += 1
            for e in edges[n] where !reachable[e.to] {
                reachable[e.to] = true
                queue.append(e.to)
            }
        }
        for i in nodes.indices { nodes[i].devOnly = reachable[i] && !normal[i] }
    }

    /// The dependency paths to one package: up to `limit` of them, one per workspace member that
    /// reaches it, shortest first, and how many members reach it in all.
    struct Paths: Sendable {
        var kept: [[String]]
        var members: Int
    }

    /// For each of `targets`, its paths from the workspace members. One breadth-first search per
    /// target over the reversed edges (O(packages + edges) each, one shared buffer): the members
    /// come out nearest first, each with a shortest path to the target. Only `limit` paths are
    /// built; the count of members is complete.
    func paths(to targets: Set<Int>, limit: Int, reverse: [[Int]]) -> [Int: Paths] {
        guard !targets.isEmpty else { return [:] }
        var isRoot = [Bool](repeating: false, count: nodes.count)
        for r in roots where r >= 0 && r < nodes.count { isRoot[r] = true }
        // next[n]: the neighbour one step closer to the target; stamp[n]: which search saw n.
        var next = [Int](repeating: -1, count: nodes.count)
        var stamp = [Int](repeating: -1, count: nodes.count)
        var out: [Int: Paths] = [:]
        for (search, target) in targets.sorted().enumerated() where target >= 0 && target < nodes.count {
            stamp[target] = search
            next[target] = target
            var queue = [target]
            var head = 0
            var reached: [Int] = []
            while head < queue.count {
                let n = queue[head]
                head += 1
                if isRoot[n] { reached.append(n) }
                for from in reverse[n] where stamp[from] != search {
                    stamp[from] = search
                    next[from] = n
                    queue.append(from)
                }
            }
            var built: [[Int]] = []
            for root in reached.prefix(limit) {
                var path = [root]
                var cur = root
                while cur != target, path.count <= nodes.count {
                    cur = next[cur]
                    path.append(cur)
                }
                built.append(path)
            }
            built.sort { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
            out[target] = Paths(kept: built.map { $0.map { nodes[$0].label } }, members: reached.count)
        }
        return out
    }

    /// Each package's direct dependents (the reversed edges), each list in package order.
    func reverseEdges() -> [[Int]] {
        var reverse = [[Int]](repeating: [], count: nodes.count)
        for (from, list) in edges.enumerated() {
            for e in list where e.to >= 0 && e.to < nodes.count { reverse[e.to].append(from) }
        }
        return reverse
    }

    /// The packages that pull in any of `targets` (the targets and everything that reaches them),
    /// in package order: the nodes of their inverted dependency trees. One search over the reversed
    /// edges, however many targets.
    func pullingIn(_ targets: Set<Int>, reverse: [[Int]]) -> [Int] {
        var seen = [Bool](repeating: false, count: nodes.count)
        var queue = targets.sorted().filter { $0 >= 0 && $0 < nodes.count }
        for t in queue { seen[t] = true }
        var head = 0
        while head < queue.count {
            let n = queue[head]
            head += 1
            for from in reverse[n] where !seen[from] {
                seen[from] = true
                queue.append(from)
            }
        }
        return nodes.indices.filter { seen[$0] }
    }

    /// Whether a bare lockfile's workspace members were guessed (no cargo metadata said which they
    /// are), and which were taken.
    var membersGuessed = false
}
