import NerqCargo
import NerqCore
import NerqJSON
import NerqReach

/// Whether the affected functions of each finding's advisory are referenced on the paths from
/// the workspace members to the vulnerable package (docs/reachability.md). Only findings whose
/// advisory lists functions are searched, and only the crates on their paths are read.
struct ReferenceResults {
    private var results: [String: ReferenceResult] = [:]

    func result(node: Int, advisory: String) -> ReferenceResult? { results["\(node)\u{0}\(advisory)"] }

    var isEmpty: Bool { results.isEmpty }

    /// `findings`: each advisory finding with the package it is about. `manifests`: the project's
    /// manifests, when already gathered (the compiled set); else those of the paths are read.
    static func run(graph: ProjectGraph, lockfile: Lockfile?, manifests given: ProjectManifests?,
                    gather: (Set<Int>) -> ProjectManifests, findings: [(node: Int, finding: Finding)]) -> ReferenceResults {
        var out = ReferenceResults()
        let wanted = findings.filter { !functions(of: $0.finding).isEmpty }
        guard !wanted.isEmpty else { return out }
        let n = graph.nodes.count
        var successors = [[Int]](repeating: [], count: n)
        for i in 0..<n {
            var list = graph.edges[i].map(\.to)
            if let lockfile, i < lockfile.dependencies.count {
                for d in lockfile.dependencies[i] where !list.contains(d) { list.append(d) }
            }
            successors[i] = list.filter { $0 >= 0 && $0 < n }
        }
        var predecessors = [[Int]](repeating: [], count: n)
        for (i, list) in successors.enumerated() { for j in list { predecessors[j].append(i) } }
        var fromMembers = [Bool](repeating: false, count: n)
        var queue = graph.roots.filter { $0 >= 0 && $0 < n }
        for r in queue { fromMembers[r] = true }
        while let x = queue.popLast() {
            for y in successors[x] where !fromMembers[y] {
                fromMembers[y] = true
                queue.append(y)
            }
        }
        // The crates on the paths to each vulnerable package, and their manifests (read once).
        var onPaths: [Int: [Int]] = [:]
        for v in Set(wanted.map(\.node)).sorted() {
            var seen = [Bool](repeating: false, count: n)
            var stack = [v]
            seen[v] = true
            var nodes: [Int] = []
            while let x = stack.popLast() {
                if fromMembers[x] { nodes.append(x) }
                for p in predecessors[x] where !seen[p] {
                    seen[p] = true
                    stack.append(p)
                }
            }
            onPaths[v] = nodes.sorted()
        }
        let manifests = given ?? gather(Set(onPaths.values.flatMap { $0 }))
        let analyzer = ReferenceAnalyzer()
        for (node, finding) in wanted {
            guard let id = finding.id else { continue }
            let key = "\(node)\u{0}\(id)"
            if out.results[key] != nil { continue }
            let q = query(graph: graph, successors: successors, manifests: manifests, nodes: onPaths[node] ?? [node], vulnerable: node,
                          functions: functions(of: finding))
            out.results[key] = analyzer.analyze(q)
        }
        return out
    }

    /// The advisory's affected functions that apply to the package's version (the finding carries
    /// them as `affected_functions`).
    static func functions(of f: Finding) -> [(path: String, versions: [String])] {
        guard case .array(let items)? = f.details["affected_functions"] else { return [] }
        return items.compactMap { item in
            guard case .object(let o) = item, case .string(let path)? = o["path"] else { return nil }
            return (path, FindingReach.strings(o["versions"]))
        }
    }

    static func query(graph: ProjectGraph, successors: [[Int]], manifests: ProjectManifests, nodes: [Int], vulnerable: Int,
                      functions listed: [(path: String, versions: [String])]) -> ReferenceQuery {
        var position: [Int: Int] = [:]
        for (k, i) in nodes.enumerated() { position[i] = k }
        var crates: [ReferenceQuery.Crate] = nodes.map { i in
            let node = graph.nodes[i]
            return ReferenceQuery.Crate(name: node.name, version: node.version, directory: manifests.directory[i], isRoot: manifests.members[i])
        }
        for (k, i) in nodes.enumerated() {
            let declarations = manifests.declared[i]?.dependencies ?? []
            var kinds: [CargoDependency.Kind] = []
            for j in successors[i] {
                guard let target = position[j] else { continue }
                let dep = graph.nodes[j]
                // cargo metadata names each edge as the code does; otherwise the declarations say.
                var names: [String] = []
                if let edgeName = graph.edges[i].first(where: { $0.to == j })?.name { names.append(edgeName) }
                for name in ReferenceQuery.externNames(declarations: declarations, package: dep.name, version: dep.version,
                                                       libName: manifests.libName[j] ?? dep.name) where !names.contains(name) {
                    names.append(name)
                }
                let matching = declarations.filter { DependencyGraph.sameName($0.package, dep.name) }
                var edgeKinds = matching.map(\.kind)
                if matching.isEmpty { edgeKinds = [graph.edges[i].first(where: { $0.to == j })?.dev == true ? .dev : .normal] }
                kinds += edgeKinds
                for name in names {
                    for kind in CargoDependency.Kind.allCases where edgeKinds.contains(kind) {
                        let d = ReferenceQuery.Dependency(crate: target, externName: name, kind: kind)
                        if !crates[k].dependencies.contains(d) { crates[k].dependencies.append(d) }
                    }
                }
            }
            // A member that reaches the vulnerable crate only through dev-dependencies: only its
            // test build compiles it, so its test code is what counts.
            if crates[k].isRoot && !kinds.isEmpty && kinds.allSatisfy({ $0 == .dev }) { crates[k].tests = true }
        }
        return ReferenceQuery(crates: crates, vulnerable: position[vulnerable] ?? 0,
                              functions: ReferenceQuery.functions(listed, version: graph.nodes[vulnerable].version))
    }
}
