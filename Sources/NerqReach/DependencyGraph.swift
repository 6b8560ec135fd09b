import NerqCargo
import NerqSemver

/// A resolved project as the feature resolver needs it: every package of the lockfile (or of
/// `cargo metadata`), and for each the dependencies its manifest declares, each linked to the
/// package the lockfile resolved it to. Built from cargo metadata's `packages` (declarations) and
/// `resolve` (resolution), or from Cargo.lock plus each crate's own Cargo.toml; never by running
/// cargo.
public struct DependencyGraph: Sendable {
    public struct Package: Sendable {
        public var name: String
        public var version: String
        public var isMember: Bool
        public var procMacro: Bool
        /// What the manifest declares; nil when it is not known (its dependencies and features
        /// cannot be followed: what only it pulls in is `unknown`, never `no`).
        public var manifest: Declared?
        /// The packages the lockfile resolved its dependencies to (all kinds, all platforms).
        public var resolved: [Int]

        public var label: String { "\(name) \(version)" }

        public init(name: String, version: String, isMember: Bool, procMacro: Bool, manifest: Declared?, resolved: [Int]) {
            self.name = name
            self.version = version
            self.isMember = isMember
            self.procMacro = procMacro
            self.manifest = manifest
            self.resolved = resolved
        }
    }

    /// A manifest's dependency declarations and features.
    public struct Declared: Sendable {
        public var dependencies: [CargoDependency]
        public var features: [CargoFeature]
        /// Where they come from (`Cargo.toml`, `cargo metadata`), for the reasons given.
        public var source: String

        public init(dependencies: [CargoDependency], features: [CargoFeature], source: String) {
            self.dependencies = dependencies
            self.features = features
            self.source = source
        }
    }

    /// A declaration linked to the package it resolved to.
    public struct Edge: Sendable {
        public var to: Int
        public var declaration: CargoDependency
        /// The `[target.X]` key, parsed; nil for every platform.
        public var platform: PlatformSpec?
    }

    public private(set) var packages: [Package]
    /// `dependents[i]`: the packages whose resolution lists package i (the reverse of `resolved`),
    /// built once: every "why not compiled" walks it.
    public private(set) var dependents: [[Int]]
    /// `edges[i]`: package i's declarations that resolved (dev-dependencies only for members:
    /// cargo never resolves those of other packages).
    public private(set) var edges: [[Edge]]
    /// Per package, its feature table with cargo's implicit features of optional dependencies.
    private(set) var featureMaps: [[String: [FeatureValue]]]
    /// What could not be linked (a declaration without a resolved package, a cfg that does not
    /// parse), each naming the package.
    public private(set) var issues: [String]

    public init(packages: [Package]) {
        self.packages = packages
        var reverse = [[Int]](repeating: [], count: packages.count)
        for (from, p) in packages.enumerated() {
            for to in p.resolved where to >= 0 && to < packages.count { reverse[to].append(from) }
        }
        dependents = reverse
        edges = Array(repeating: [], count: packages.count)
        featureMaps = Array(repeating: [:], count: packages.count)
        issues = []
        for i in packages.indices { link(i) }
    }

    public var members: [Int] { packages.indices.filter { packages[$0].isMember } }

    private mutating func link(_ i: Int) {
        let p = packages[i]
        guard let declared = p.manifest else { return }
        var out: [Edge] = []
        for d in declared.dependencies {
            if d.kind == .dev && !p.isMember { continue }
            let candidates = p.resolved.filter { j in j >= 0 && j < packages.count && Self.sameName(packages[j].name, d.package) }
            guard let to = choose(candidates, d) else {
                // The lockfile is resolved for every feature and platform: only a dependency it
                // could not satisfy (or a dev-dependency of a path package nerq took for a
                // non-member) is missing.
                if !d.optional && d.kind != .dev {
                    issues.append("\(p.label): \(d.kind == .normal ? "" : d.kind.rawValue + "-")dependency \(d.nameInToml) is not in the resolved graph")
                }
                continue
            }
            var platform: PlatformSpec?
            if let t = d.target {
                do {
                    platform = try PlatformSpec.parse(t)
                } catch {
                    issues.append("\(p.label): target \"\(t)\" of \(d.nameInToml): \(error.message); taken as every platform")
                }
            }
            out.append(Edge(to: to, declaration: d, platform: platform))
        }
        edges[i] = out
        featureMaps[i] = Self.featureMap(declared)
    }

    /// Of the resolved packages with the declared name, the one whose version meets the
    /// requirement (several versions of one crate can be dependencies of one package).
    private func choose(_ candidates: [Int], _ d: CargoDependency) -> Int? {
        if candidates.count <= 1 { return candidates.first }
        if let req = d.requirement, let parsed = try? VersionReq.parse(req) {
            let meeting = candidates.filter { j in (try? Version.parse(packages[j].version)).map { parsed.matches($0) } ?? false }
            if meeting.count == 1 { return meeting.first }
            if let best = meeting.max(by: { a, b in
                guard let va = try? Version.parse(packages[a].version), let vb = try? Version.parse(packages[b].version) else { return false }
                return va < vb
            }) { return best }
        }
        if d.path != nil, let member = candidates.first(where: { packages[$0].isMember }) { return member }
        return candidates.first
    }

    /// crates.io names compare with `-` == `_`.
    public static func sameName(_ a: String, _ b: String) -> Bool {
        a == b || a.replacingDashes == b.replacingDashes
    }

    /// The feature table cargo builds (`build_feature_map`): the declared features, and for every
    /// optional dependency that no `dep:` names, an implicit feature of its name enabling it.
    static func featureMap(_ declared: Declared) -> [String: [FeatureValue]] {
        var map: [String: [FeatureValue]] = [:]
        var explicitDeps = Set<String>()
        for f in declared.features {
            let values = f.enables.map(FeatureValue.init)
            for v in values { if case .dep(let n) = v { explicitDeps.insert(n) } }
            map[f.name] = values
        }
        for d in declared.dependencies where d.optional {
            let n = d.nameInToml
            if !explicitDeps.contains(n) && map[n] == nil { map[n] = [.dep(n)] }
        }
        return map
    }

    func features(of i: Int) -> [String: [FeatureValue]] { i >= 0 && i < featureMaps.count ? featureMaps[i] : [:] }
}

/// One value of a feature list (`FeatureValue` in cargo): a feature, `dep:x`, `x/y` or `x?/y`.
enum FeatureValue: Sendable, Equatable {
    case feature(String)
    case dep(String)
    case depFeature(dep: String, feature: String, weak: Bool)

    init(_ text: String) {
        if let slash = text.firstIndex(of: "/") {
            var dep = String(text[..<slash])
            let weak = dep.hasSuffix("?")
            if weak { dep.removeLast() }
            self = .depFeature(dep: dep, feature: String(text[text.index(after: slash)...]), weak: weak)
        } else if text.hasPrefix("dep:") {
            self = .dep(String(text.dropFirst(4)))
        } else {
            self = .feature(text)
        }
    }
}

extension String {
    var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}

extension DependencyGraph {
    /// The graph of a `cargo metadata` document: its packages with their declarations, linked by
    /// its `resolve` (metadata's own per-node `features` are not used: they are unified across
    /// targets and dev-dependencies, which is what nerq must not do).
    public init(metadata: CargoMetadata) {
        var index: [String: Int] = [:]
        for (i, p) in metadata.packages.enumerated() { index[p.id] = i }
        let members = Set(metadata.workspaceMembers)
        let packages = metadata.packages.map { p in
            Package(name: p.name, version: p.version, isMember: members.contains(p.id), procMacro: p.procMacro,
                    manifest: Declared(dependencies: p.dependencies, features: p.features, source: "cargo metadata"),
                    resolved: (metadata.resolve?[p.id] ?? []).compactMap { index[$0.to] })
        }
        self.init(packages: packages)
    }
}
