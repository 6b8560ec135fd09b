/// The features requested for the workspace members (cargo's `--features`, `--all-features`,
/// `--no-default-features`).
public struct FeatureRequest: Sendable, Equatable {
    /// `feat` (every member that has it), `member/feat`, or `dep/feat`.
    public var features: [String]
    public var allFeatures: Bool
    public var defaultFeatures: Bool

    public init(features: [String] = [], allFeatures: Bool = false, defaultFeatures: Bool = true) {
        self.features = features
        self.allFeatures = allFeatures
        self.defaultFeatures = defaultFeatures
    }
}

/// Whether a package is built for the target (a normal or dev dependency) or for the build host
/// (a build-dependency, a proc-macro, and everything below them): cargo's `FeaturesFor`.
enum FeaturesFor: Int, Sendable {
    case normal = 0
    case host = 1
}

/// Cargo's feature resolver (`core/resolver/features.rs`), over a `DependencyGraph`: which
/// features, and which optional dependencies, each package has when built for `selection` from
/// `host`. Resolver 2 (and 3) keep host and target features apart, leave out the features of
/// platforms not built for, and of dev-dependencies when nothing is built for tests; resolver 1
/// unifies all of them. The recursion of cargo's resolver is a work list here, so no input can
/// run the stack out; the result is the same fixed point.
struct FeatureResolver {
    struct Options {
        var decoupleHostDeps: Bool
        var decoupleDevDeps: Bool
        var ignoreInactiveTargets: Bool

        /// cargo's `FeatureOpts::new` for a resolver version, whether dev units are built, and
        /// whether every target is shown (`--target all` forces all targets in).
        init(resolver: Int, devUnits: Bool, allTargets: Bool) {
            let v2 = resolver >= 2
            decoupleHostDeps = v2
            decoupleDevDeps = v2 && !devUnits
            ignoreInactiveTargets = v2 && !allTargets
        }
    }

    let graph: DependencyGraph
    let selection: TargetSelection
    let host: TargetPlatform
    let opts: Options
    let trackForHost: Bool

    /// Indexed by `package * 2 + FeaturesFor` (after `applyOpts`).
    private(set) var activatedFeatures: [Set<String>]
    private(set) var activatedDependencies: [Set<String>]
    private var seen: [Bool]
    private var processed: [Bool]
    private var deferredWeak: [String: Set<String>] = [:]

    private enum Task {
        case package(Int, FeaturesFor, [FeatureValue])
        case value(Int, FeaturesFor, FeatureValue)
    }
    private var work: [Task] = []

    init(graph: DependencyGraph, selection: TargetSelection, host: TargetPlatform, resolver: Int, devUnits: Bool) {
        self.graph = graph
        self.selection = selection
        self.host = host
        opts = Options(resolver: resolver, devUnits: devUnits, allTargets: selection == .all)
        trackForHost = opts.decoupleHostDeps || opts.ignoreInactiveTargets
        let n = graph.packages.count * 2
        activatedFeatures = Array(repeating: [], count: n)
        activatedDependencies = Array(repeating: [], count: n)
        seen = Array(repeating: false, count: n)
        processed = Array(repeating: false, count: n)
    }

    func applyOpts(_ fk: FeaturesFor) -> FeaturesFor { opts.decoupleHostDeps ? fk : .normal }
    func key(_ p: Int, _ fk: FeaturesFor) -> Int { p &* 2 &+ fk.rawValue }

    // MARK: - Results

    /// The features of `p` built as `fk`; nil when the resolver never reached it that way.
    func features(_ p: Int, _ fk: FeaturesFor) -> Set<String>? {
        let k = key(p, applyOpts(fk))
        return seen[k] ? activatedFeatures[k] : nil
    }

    func isDepActivated(_ p: Int, _ fk: FeaturesFor, _ name: String) -> Bool {
        activatedDependencies[key(p, applyOpts(fk))].contains(name)
    }

    // MARK: - Resolution

    /// Activates every member with the requested features, then follows the work list to its end.
    mutating func resolve(_ request: FeatureRequest) {
        let memberNames = Set(graph.members.map { graph.packages[$0].name })
        for m in graph.members {
            let fvs = requested(m, request, memberNames: memberNames)
            if trackForHost && graph.packages[m].procMacro {
                work.append(.package(m, .normal, fvs))
                work.append(.package(m, .host, fvs))
            } else {
                work.append(.package(m, .normal, fvs))
            }
        }
        while let task = work.popLast() {
            switch task {
            case .package(let p, let fk, let fvs): activatePackage(p, fk, fvs)
            case .value(let p, let fk, let fv): activateValue(p, fk, fv)
            }
        }
    }

    /// `fvs_from_requested` with `members_with_features`: a plain feature goes to every member
    /// that has it, `member/feat` to that member, `dep/feat` to members with that dependency.
    private func requested(_ m: Int, _ request: FeatureRequest, memberNames: Set<String>) -> [FeatureValue] {
        let map = graph.features(of: m)
        let name = graph.packages[m].name
        var out: [FeatureValue] = []
        for f in request.features {
            switch FeatureValue(f) {
            case .feature(let x):
                if map[x] != nil { out.append(.feature(x)) }
            case .depFeature(let dep, let feat, let weak):
                if dep == name {
                    out.append(FeatureValue(feat))
                } else if !memberNames.contains(dep), graph.edges[m].contains(where: { $0.declaration.nameInToml == dep }) {
                    out.append(.depFeature(dep: dep, feature: feat, weak: weak))
                }
            case .dep:
                break  // cargo refuses `dep:` on the command line
            }
        }
        if request.defaultFeatures && map["default"] != nil { out.append(.feature("default")) }
        if request.allFeatures { out += map.keys.sorted().map { .feature($0) } }
        return out
    }

    private mutating func activatePackage(_ p: Int, _ fk: FeaturesFor, _ fvs: [FeatureValue]) {
        seen[key(p, applyOpts(fk))] = true
        for fv in fvs { activateValue(p, fk, fv) }
        let k = key(p, fk)
        guard !processed[k] else { return }
        processed[k] = true
        for (edge, depFk) in deps(p, fk) where !edge.declaration.optional {
            work.append(.package(edge.to, depFk, fromDependency(edge)))
        }
    }

    private mutating func activateValue(_ p: Int, _ fk: FeaturesFor, _ fv: FeatureValue) {
        switch fv {
        case .feature(let f): activateFeature(p, fk, f)
        case .dep(let name): activateDependency(p, fk, name)
        case .depFeature(let dep, let feature, let weak): activateDepFeature(p, fk, dep, feature, weak)
        }
    }

    private mutating func activateFeature(_ p: Int, _ fk: FeaturesFor, _ f: String) {
        let k = key(p, applyOpts(fk))
        seen[k] = true
        guard activatedFeatures[k].insert(f).inserted else { return }
        guard let fvs = graph.features(of: p)[f] else { return }
        for fv in fvs { work.append(.value(p, fk, fv)) }
    }

    private mutating func activateDependency(_ p: Int, _ fk: FeaturesFor, _ name: String) {
        activatedDependencies[key(p, applyOpts(fk))].insert(name)
        let toEnable = deferredWeak.removeValue(forKey: weakKey(p, fk, name))
        for (edge, depFk) in deps(p, fk) where edge.declaration.nameInToml == name {
            for f in (toEnable ?? []).sorted() { work.append(.value(edge.to, depFk, FeatureValue(f))) }
            work.append(.package(edge.to, depFk, fromDependency(edge)))
        }
    }

    private mutating func activateDepFeature(_ p: Int, _ fk: FeaturesFor, _ dep: String, _ feature: String, _ weak: Bool) {
        for (edge, depFk) in deps(p, fk) where edge.declaration.nameInToml == dep {
            if edge.declaration.optional {
                if weak && !activatedDependencies[key(p, applyOpts(fk))].contains(dep) {
                    deferredWeak[weakKey(p, fk, dep), default: []].insert(feature)
                    continue
                }
                activateDependency(p, fk, dep)
                // Without `dep:` hiding it, `x/y` also turns on the feature named after x.
                if !weak && graph.features(of: p)[dep] != nil { activateFeature(p, fk, dep) }
            }
            work.append(.value(edge.to, depFk, FeatureValue(feature)))
        }
    }

    private func weakKey(_ p: Int, _ fk: FeaturesFor, _ dep: String) -> String { "\(key(p, fk))\u{0}\(dep)" }

    private func fromDependency(_ edge: DependencyGraph.Edge) -> [FeatureValue] {
        var out = edge.declaration.features.map(FeatureValue.init)
        if edge.declaration.defaultFeatures && graph.features(of: edge.to)["default"] != nil { out.append(.feature("default")) }
        return out
    }

    /// The package's declarations the resolver follows for `fk`, each with the `FeaturesFor` its
    /// package is built as (cargo's `deps`).
    private func deps(_ p: Int, _ fk: FeaturesFor) -> [(DependencyGraph.Edge, FeaturesFor)] {
        var out: [(DependencyGraph.Edge, FeaturesFor)] = []
        for edge in graph.edges[p] {
            let d = edge.declaration
            if edge.platform != nil && opts.ignoreInactiveTargets && !platformActivated(edge, fk) { continue }
            if opts.decoupleDevDeps && d.kind == .dev { continue }
            var depFk = fk
            if fk == .normal {
                depFk = trackForHost && (d.kind == .build || graph.packages[edge.to].procMacro) ? .host : .normal
            }
            out.append((edge, depFk))
        }
        return out
    }

    /// A build-dependency, or anything built for the host, is filtered with the host's cfg;
    /// the rest with the requested target's.
    private func platformActivated(_ edge: DependencyGraph.Edge, _ fk: FeaturesFor) -> Bool {
        if edge.declaration.kind == .build || fk == .host { return edge.platform.map { $0.holds(for: host) } ?? true }
        return selection.allows(edge.platform)
    }
}
