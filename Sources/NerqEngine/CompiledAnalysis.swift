import NerqCargo
import NerqJSON
import NerqReach
import NerqThreads

/// The compiled set of a project for each requested target (a build, and a test build that also
/// follows the members' dev-dependencies), and what it says about each package: compiled for
/// which targets, for the target or the build host, with which features, and, when not, the
/// edges cargo does not follow (docs/reachability.md).
struct CompiledAnalysis {
    struct PerTarget {
        var selection: TargetSelection
        var build: CompiledSet
        var tests: CompiledSet
    }

    let graph: DependencyGraph
    let resolver: Int
    let targets: [PerTarget]
    let includeDev: Bool
    var notes: [String]
    /// Why each package given to `explaining` is not compiled, per target (a reverse search each),
    /// computed once for its report, its package document and every finding on it.
    private(set) var explanations: [Int: [CompiledSet.Explanation]] = [:]

    static func run(project: ProjectGraph, lockfile: Lockfile?, manifests: ProjectManifests, options: ReachOptions,
                    includeDev: Bool) -> CompiledAnalysis {
        let n = project.nodes.count
        var packages: [DependencyGraph.Package] = []
        packages.reserveCapacity(n)
        for i in 0..<n {
            // Cargo.lock holds every package resolved for every feature and platform; cargo
            // metadata's resolve only those of the features it was run with. Both are used.
            var resolved = project.edges[i].map(\.to)
            if let lockfile, i < lockfile.dependencies.count {
                for d in lockfile.dependencies[i] where !resolved.contains(d) { resolved.append(d) }
            }
            let node = project.nodes[i]
            packages.append(DependencyGraph.Package(name: node.name, version: node.version, isMember: manifests.members[i],
                                                    procMacro: manifests.procMacro[i], manifest: manifests.declared[i],
                                                    resolved: resolved))
        }
        let graph = DependencyGraph(packages: packages)
        let resolver = options.resolver ?? CargoWorkspace.resolver(declared: manifests.resolverDeclared, rootEdition: manifests.rootEdition)
        var notes = manifests.notes
        if options.resolver == nil && !manifests.rootRead {
            notes.append("compiled set: the workspace's Cargo.toml was not found; feature resolver \(resolver) assumed (option resolver)")
        }
        notes += graph.issues.prefix(20).map { "compiled set: \($0)" }
        // A build and a test build per target, each its own resolver pass: on the cores.
        let passes = options.targets.flatMap { selection in [(selection, false), (selection, true)] }
        let sets = parallelMap(passes) { pass in
            CompiledSet.compute(graph, selection: pass.0, host: options.host, resolver: resolver, request: options.features, tests: pass.1)
        }
        let targets = options.targets.indices.map { k in
            PerTarget(selection: options.targets[k], build: sets[2 * k], tests: sets[2 * k + 1])
        }
        return CompiledAnalysis(graph: graph, resolver: resolver, targets: targets, includeDev: includeDev, notes: notes)
    }

    /// This analysis with the explanations of `nodes` computed (on the cores).
    func explaining(_ nodes: Set<Int>) -> CompiledAnalysis {
        let list = nodes.sorted()
        let computed = parallelMap(list) { i in
            targets.map { t in (includeDev ? t.tests : t.build).whyNot(i, limit: Self.maxEdges) }
        }
        var copy = self
        for (i, e) in zip(list, computed) { copy.explanations[i] = e }
        return copy
    }

    enum Status: String {
        case yes, no, unknown
    }

    /// Whether the advisory applies on a target (its `[affected] os`/`arch`, read against the
    /// target's `target_os`/`target_arch`): nil when it says nothing or the target is `all`.
    static func advisoryApplies(os: [String], arch: [String], on selection: TargetSelection) -> Bool? {
        guard case .platform(let p) = selection, !os.isEmpty || !arch.isEmpty else { return nil }
        if !os.isEmpty && !os.contains(where: { p.has("target_os", $0) }) { return false }
        if !arch.isEmpty && !arch.contains(where: { p.has("target_arch", $0) }) { return false }
        return true
    }

    /// Package `i` on one target: its status, and the JSON for it. `detail` adds the edges cargo
    /// does not follow (a search per package: only for findings). `os`/`arch`: the advisory's
    /// platforms, for a finding.
    func target(_ t: PerTarget, _ i: Int, detail: Bool, os: [String] = [], arch: [String] = [],
                explained: CompiledSet.Explanation? = nil) -> (Status, JSONValue) {
        var o = JSONObject(capacity: 8)
        o.append("target", .string(t.selection.name))
        let status: Status
        let chosen = t.build.isCompiled(i) ? t.build : (includeDev && t.tests.isCompiled(i) ? t.tests : nil)
        if let set = chosen, let b = set.builds[i] {
            var built: [JSONValue] = []
            if b.target != nil { built.append("target") }
            if b.host != nil { built.append("host") }
            if Self.advisoryApplies(os: os, arch: arch, on: t.selection) == false {
                status = .no
                o.append("status", .string(status.rawValue))
                o.append("reasons", .strings(["advisory_platform"]))
                o.append("note", .string("compiled, but the advisory affects only \((os + arch).joined(separator: ", "))"))
            } else {
                status = .yes
                o.append("status", .string(status.rawValue))
            }
            o.append("build", .string(set.tests ? "test" : "normal"))
            o.append("for", .array(built))
            if let f = b.target { o.append("features", .strings(f)) }
            if let f = b.host { o.append("host_features", .strings(f)) }
            // A test build unifies the members' dev-dependencies' features in (resolver 2 too).
            if !set.tests, includeDev, let tb = t.tests.builds[i], tb != b {
                if let f = tb.target { o.append("test_features", .strings(f)) }
                if let f = tb.host { o.append("test_host_features", .strings(f)) }
            }
            return (status, .object(o))
        }
        let set = includeDev ? t.tests : t.build
        status = set.isUncertain(i) ? .unknown : .no
        o.append("status", .string(status.rawValue))
        if detail {
            let why = explained ?? set.whyNot(i, limit: Self.maxEdges)
            var reasons = why.reasons.map(\.rawValue)
            if why.total == 0 { reasons = [status == .unknown ? "unknown" : "unreached"] }
            o.append("reasons", .strings(reasons))
            o.append("edges", .array(why.edges.map { .string($0.text) }))
            if why.total > Self.maxEdges { o.append("edges_total", .int(Int64(why.total))) }
        }
        return (status, .object(o))
    }

    static let maxEdges = 8

    /// Package `i` across the requested targets: yes on any, no on all, else unknown.
    func package(_ i: Int, detail: Bool, os: [String] = [], arch: [String] = []) -> (Status, JSONValue) {
        var statuses: [Status] = []
        var per: [JSONValue] = []
        for (k, t) in targets.enumerated() {
            let explained = explanations[i].flatMap { k < $0.count ? $0[k] : nil }
            let (s, j) = target(t, i, detail: detail, os: os, arch: arch, explained: explained)
            statuses.append(s)
            per.append(j)
        }
        let overall: Status = statuses.contains(.yes) ? .yes : (statuses.allSatisfy { $0 == .no } ? .no : .unknown)
        var o = JSONObject(capacity: 3)
        o.append("status", .string(overall.rawValue))
        o.append("summary", .string(Self.summary(overall, targets.map(\.selection.name), statuses)))
        o.append("targets", .array(per))
        return (overall, .object(o))
    }

    static func summary(_ overall: Status, _ names: [String], _ statuses: [Status]) -> String {
        func list(_ s: Status) -> String { zip(names, statuses).filter { $0.1 == s }.map(\.0).joined(separator: ", ") }
        switch overall {
        case .yes:
            let no = list(.no)
            return "compiled for \(list(.yes))" + (no.isEmpty ? "" : "; not for \(no)") + (list(.unknown).isEmpty ? "" : "; unknown for \(list(.unknown))")
        case .no:
            return "not compiled for \(list(.no))"
        case .unknown:
            return "unknown for \(list(.unknown))" + (list(.no).isEmpty ? "" : "; not compiled for \(list(.no))")
        }
    }

    /// What the assessment says about the analysis as a whole.
    var json: JSONValue {
        var o = JSONObject(capacity: 4)
        o.append("resolver", .int(Int64(resolver)))
        o.append("targets", .array(targets.map { t in
            .object(JSONObject([("target", .string(t.selection.name)),
                                ("packages", .int(Int64(t.build.builds.compactMap { $0 }.count))),
                                ("packages_with_tests", .int(Int64(t.tests.builds.compactMap { $0 }.count)))]))
        }))
        return .object(o)
    }
}
