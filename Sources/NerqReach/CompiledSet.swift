/// What cargo compiles for one target: every package reached from the workspace members along
/// the edges cargo follows (`cargo tree -e features --target T`, equal to cargo's unit graph),
/// each with its features, for the target and/or for the build host. Packages of the graph that
/// are not reached are not compiled, and `whyNot` names the edges that were not followed.
public struct CompiledSet: Sendable {
    /// How one package is built.
    public struct Build: Sendable, Equatable {
        /// Features when built for the target (nil: not built for it).
        public var target: [String]?
        /// Features when built for the host (build scripts, proc-macros and their dependencies).
        public var host: [String]?
    }

    /// Why a package is not compiled, or may not be: one edge from a compiled package that cargo
    /// did not follow, on a route to it.
    public struct Frontier: Sendable, Hashable {
        public enum Reason: String, Sendable, Hashable {
            /// An optional dependency no enabled feature turns on.
            case feature
            /// A `[target.…]` dependency whose cfg does not hold.
            case target
            /// A dev-dependency (only test builds follow it).
            case dev
            /// The package above it is known only from the lockfile (no manifest to read), or its
            /// features may be widened by such a package: nerq cannot say.
            case unknown
        }
        public var reason: Reason
        public var from: String
        public var to: String
        /// What the declaration says: `optional`, the cfg, `dev`.
        public var detail: String

        public var text: String { "\(from) -> \(to) (\(detail))" }
    }

    public let selection: TargetSelection
    public let host: TargetPlatform
    /// Whether dev-dependencies of the members were followed (a test build).
    public let tests: Bool
    public let resolver: Int
    /// Per package of the graph, how it is built; nil when it is not compiled.
    public private(set) var builds: [Build?]
    let graph: DependencyGraph
    let features: FeatureResolver
    /// Per package: reached (through any edges) from a compiled package whose manifest is not
    /// known, so its own features may be wider than computed.
    private var uncertain: [Bool]

    public static func compute(_ graph: DependencyGraph, selection: TargetSelection, host: TargetPlatform, resolver: Int,
                               request: FeatureRequest, tests: Bool) -> CompiledSet {
        var fr = FeatureResolver(graph: graph, selection: selection, host: host, resolver: resolver, devUnits: tests)
        fr.resolve(request)
        var set = CompiledSet(selection: selection, host: host, tests: tests, resolver: resolver,
                              builds: Array(repeating: nil, count: graph.packages.count), graph: graph, features: fr,
                              uncertain: Array(repeating: false, count: graph.packages.count))
        set.walk()
        return set
    }

    public func isCompiled(_ p: Int) -> Bool { p >= 0 && p < builds.count && builds[p] != nil }

    /// The unit walk of `cargo tree` (`tree/graph.rs`): from each member, every declaration whose
    /// platform holds for the kind it is built for, whose kind the build follows, and whose
    /// optional dependency the resolver activated.
    private mutating func walk() {
        let n = graph.packages.count
        var reached = [Bool](repeating: false, count: n * 2)
        var queue: [(Int, FeaturesFor)] = []
        for m in graph.members {
            let fk: FeaturesFor = graph.packages[m].procMacro ? .host : .normal
            if !reached[m * 2 + fk.rawValue] {
                reached[m * 2 + fk.rawValue] = true
                queue.append((m, fk))
            }
        }
        var head = 0
        var unknownManifests: [Int] = []
        while head < queue.count {
            let (p, fk) = queue[head]
            head += 1
            if graph.packages[p].manifest == nil { unknownManifests.append(p) }
            for edge in graph.edges[p] where follows(edge, from: p, fk) {
                let depFk: FeaturesFor = edge.declaration.kind == .build || graph.packages[edge.to].procMacro ? .host : fk
                let k = edge.to * 2 + depFk.rawValue
                if !reached[k] {
                    reached[k] = true
                    queue.append((edge.to, depFk))
                }
            }
        }
        for p in 0..<n {
            let t = reached[p * 2], h = reached[p * 2 + 1]
            guard t || h else { continue }
            builds[p] = Build(target: t ? (features.features(p, .normal) ?? []).sorted() : nil,
                              host: h ? (features.features(p, .host) ?? []).sorted() : nil)
        }
        // What a package of unknown manifest reaches (any edge) may be compiled, with any features.
        var stack = unknownManifests
        while let p = stack.popLast() {
            for q in graph.packages[p].resolved where q >= 0 && q < n && !uncertain[q] {
                uncertain[q] = true
                stack.append(q)
            }
        }
    }

    /// Whether the walk follows `edge` out of `p` built as `fk`, and if not, why.
    func follows(_ edge: DependencyGraph.Edge, from p: Int, _ fk: FeaturesFor) -> Bool {
        blocked(edge, from: p, fk) == nil
    }

    func blocked(_ edge: DependencyGraph.Edge, from p: Int, _ fk: FeaturesFor) -> (Frontier.Reason, String)? {
        let d = edge.declaration
        if selection != .all, let platform = edge.platform {
            let onHost = fk == .host || d.kind == .build
            let holds = onHost ? platform.holds(for: host) : selection.allows(platform)
            if !holds {
                let key = d.target ?? "?"
                return (.target, onHost ? "\(key), not the build host \(host.triple)" : "\(key), not \(selection.name)")
            }
        }
        if d.kind == .dev && !tests { return (.dev, "dev-dependency") }
        if d.optional && !features.isDepActivated(p, fk, d.nameInToml) {
            return (.feature, "optional, \(enabling(d.nameInToml, in: p)) not enabled")
        }
        return nil
    }

    /// The features of `p` that would turn the optional dependency on, for the reason given.
    private func enabling(_ dep: String, in p: Int) -> String {
        let map = graph.features(of: p)
        let names = map.keys.sorted().filter { name in
            (map[name] ?? []).contains { v in
                switch v {
                case .dep(let n): return n == dep
                case .depFeature(let n, _, let weak): return n == dep && !weak
                case .feature: return false
                }
            }
        }
        if names.isEmpty { return "no feature of \(graph.packages[p].name) enabling it" }
        let shown = names.prefix(4).map { "\"\($0)\"" }.joined(separator: ", ")
        return "feature \(shown)\(names.count > 4 ? " …" : "")"
    }

    /// Why a package is not compiled: the first `limit` of the edges from compiled packages that
    /// cargo did not follow on the routes to it (the reverse search stops at compiled packages),
    /// in order; how many there are; and their reasons, in the order they first appear. Empty for
    /// a compiled package, and for one no member reaches at all.
    public struct Explanation: Sendable, Equatable {
        public var edges: [Frontier] = []
        public var total = 0
        public var reasons: [Frontier.Reason] = []
    }

    public func whyNot(_ target: Int, limit: Int = Int.max) -> Explanation {
        let n = graph.packages.count
        guard target >= 0, target < n, builds[target] == nil else { return Explanation() }
        let reverse = graph.dependents
        var visited = [Bool](repeating: false, count: n)
        visited[target] = true
        var stack = [target]
        // Each edge once (two packages may share a label: one name and version from two sources).
        var unique = Set<Frontier>()
        func add(_ reason: Frontier.Reason, _ p: Int, _ q: Int, _ detail: String) {
            unique.insert(Frontier(reason: reason, from: graph.packages[p].label, to: graph.packages[q].label, detail: detail))
        }
        while let q = stack.popLast() {
            for p in reverse[q] {
                if let build = builds[p] {
                    guard graph.packages[p].manifest != nil else {
                        add(.unknown, p, q, "its Cargo.toml is not available")
                        continue
                    }
                    let fks: [FeaturesFor] = (build.target != nil ? [.normal] : []) + (build.host != nil ? [.host] : [])
                    let declared = graph.edges[p].filter { $0.to == q }
                    if declared.isEmpty {
                        add(.unknown, p, q, "not among its declared dependencies")
                        continue
                    }
                    for e in declared {
                        for fk in fks {
                            guard let (reason, detail) = blocked(e, from: p, fk) else { continue }
                            if reason == .feature && uncertain[p] {
                                add(.unknown, p, q, detail + "; a package whose Cargo.toml is not available may enable it")
                            } else {
                                add(reason, p, q, detail)
                            }
                        }
                    }
                } else if !visited[p] {
                    visited[p] = true
                    stack.append(p)
                }
            }
        }
        // A large frontier (every compiled package of unknown manifest above a crate) is counted
        // whole; only the first `limit` are put in order (a bounded insertion, not a full sort).
        func before(_ a: Frontier, _ b: Frontier) -> Bool {
            (a.from, a.to, a.detail, a.reason.rawValue) < (b.from, b.to, b.detail, b.reason.rawValue)
        }
        var out = Explanation(total: unique.count)
        var firstOf: [Frontier.Reason: Frontier] = [:]
        for f in unique {
            if let seen = firstOf[f.reason], !before(f, seen) {} else { firstOf[f.reason] = f }
            guard out.edges.count < limit || out.edges.last.map({ before(f, $0) }) == true else { continue }
            let at = out.edges.firstIndex { before(f, $0) } ?? out.edges.endIndex
            out.edges.insert(f, at: at)
            if out.edges.count > limit { out.edges.removeLast() }
        }
        out.reasons = firstOf.sorted { before($0.value, $1.value) }.map(\.key)
        return out
    }

    /// A package that is not compiled but that a package of unknown manifest reaches.
    public func isUncertain(_ p: Int) -> Bool { p >= 0 && p < uncertain.count && uncertain[p] }
}
