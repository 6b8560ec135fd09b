import NerqCargo
import NerqJSON
import NerqSemver

/// The question asked for one finding: which crates lie on the paths from the workspace members to
/// the vulnerable crate, where their sources are, under which names each uses its dependencies,
/// and which functions the advisory lists (those that apply to the resolved version).
public struct ReferenceQuery: Sendable {
    public struct Crate: Sendable {
        public var name: String
        public var version: String
        /// Where its source is; nil when it is not on disk (the search then cannot rule it out).
        public var directory: String?
        /// A workspace member: its binaries are built.
        public var isRoot: Bool
        /// Its test code counts (a member that reaches the vulnerable crate only through its
        /// dev-dependencies: only its test build compiles it).
        public var tests: Bool
        /// Its dependencies among `crates`, each with the name its code uses (`extern crate`
        /// name: the rename, else the library's name) and how it depends on it.
        public var dependencies: [Dependency]

        public var label: String { "\(name) \(version)" }

        public init(name: String, version: String, directory: String?, isRoot: Bool = false, tests: Bool = false,
                    dependencies: [Dependency] = []) {
            self.name = name
            self.version = version
            self.directory = directory
            self.isRoot = isRoot
            self.tests = tests
            self.dependencies = dependencies
        }
    }

    public struct Dependency: Sendable, Equatable {
        public var crate: Int
        public var externName: String
        /// normal (the library and binaries use it), build (the build script does) or dev (tests).
        public var kind: CargoDependency.Kind

        public init(crate: Int, externName: String, kind: CargoDependency.Kind = .normal) {
            self.crate = crate
            self.externName = externName
            self.kind = kind
        }
    }

    public var crates: [Crate]
    /// The vulnerable crate, an index into `crates`.
    public var vulnerable: Int
    /// The affected function paths that apply to its version.
    public var functions: [String]

    public init(crates: [Crate], vulnerable: Int, functions: [String]) {
        self.crates = crates
        self.vulnerable = vulnerable
        self.functions = functions
    }
}

/// The answer for one finding.
public struct ReferenceResult: Sendable, Equatable {
    public enum Status: String, Sendable {
        case referenced
        case notReferenced = "not referenced"
        case unknown
    }

    public struct Evidence: Sendable, Equatable {
        public var crate: String
        public var file: String
        public var line: Int
        public var code: String
        /// What it reaches (`ConnectConfiguration::connect -> into_ssl -> X509VerifyParamRef::set_host`).
        public var reaches: String
        /// Why it is only possible (for unknown), nil for a reference.
        public var why: String?

        public var json: JSONValue {
            var o = JSONObject(capacity: 6)
            o.append("crate", .string(crate))
            o.append("file", .string(file))
            o.append("line", .int(Int64(line)))
            o.append("code", .string(code))
            o.append("reaches", .string(reaches))
            if let why { o.append("why", .string(why)) }
            return .object(o)
        }
    }

    public var status: Status
    /// file:line where a crate on the paths names what leads to an affected function.
    public var evidence: [Evidence]
    /// For `unknown`: what could not be decided (each a sentence), with the places in `possible`.
    public var reasons: [String]
    public var possible: [Evidence]
    /// The crates whose code was searched.
    public var searched: [String]
    /// The affected functions considered, and those not found in the vulnerable crate's source.
    public var functions: [String]
    public var missing: [String]
    /// How many functions of the vulnerable crate lead to an affected one (itself included).
    public var reachingFunctions: Int

    public static let maxEvidence = 10

    public var json: JSONValue {
        var o = JSONObject(capacity: 9)
        o.append("status", .string(status.rawValue))
        o.append("functions", .strings(functions))
        if !missing.isEmpty { o.append("not_found", .strings(missing)) }
        o.append("evidence", .array(evidence.prefix(Self.maxEvidence).map(\.json)))
        if evidence.count > Self.maxEvidence { o.append("evidence_total", .int(Int64(evidence.count))) }
        if status == .unknown {
            o.append("reasons", .strings(reasons))
            o.append("possible", .array(possible.prefix(Self.maxEvidence).map(\.json)))
        }
        o.append("searched", .strings(searched))
        o.append("reaching_functions", .int(Int64(reachingFunctions)))
        return .object(o)
    }
}

/// Answers reference queries (docs/reachability.md). Crate sources are read and indexed once per
/// analyzer, so the findings of one assessment share them. Not thread-safe: one per caller.
public final class ReferenceAnalyzer {
    private var cache: [String: CrateIndex] = [:]

    public init() {}

    private func index(_ dir: String, name: String, version: String, binaries: Bool, tests: Bool) -> CrateIndex {
        let key = "\(dir)\u{0}\(binaries)\u{0}\(tests)"
        if let hit = cache[key] { return hit }
        let idx = CrateIndex(CrateSource(directory: dir, name: name, version: version, binaries: binaries, tests: tests))
        cache[key] = idx
        return idx
    }

    public func analyze(_ q: ReferenceQuery) -> ReferenceResult {
        var result = ReferenceResult(status: .unknown, evidence: [], reasons: [], possible: [], searched: [], functions: q.functions,
                                     missing: [], reachingFunctions: 0)
        guard q.vulnerable >= 0, q.vulnerable < q.crates.count else {
            result.reasons = ["the vulnerable crate is not in the graph"]
            return result
        }
        let v = q.crates[q.vulnerable]
        guard !q.functions.isEmpty else {
            result.reasons = ["none of the advisory's affected functions is listed for \(v.label)"]
            return result
        }
        var vIndex: CrateIndex?
        if let dir = v.directory {
            vIndex = index(dir, name: v.name, version: v.version, binaries: false, tests: false)
        } else {
            result.reasons.append("the source of \(v.label) is not on disk: what calls the affected functions inside it cannot be followed")
        }
        let closure = AffectedClosure(index: vIndex, functions: q.functions)
        result.reachingFunctions = closure.items.count
        for t in closure.targets where !t.found && vIndex != nil {
            result.missing.append(t.path)
            let stand = t.standIns.isEmpty ? "" : "; \(t.name) is defined on \(t.standIns.joined(separator: ", ")) there, searched instead"
            result.reasons.append("\(t.path) is not defined in \(v.label)'s source (renamed, generated by a macro, or not in this version)\(stand)")
        }
        if closure.targets.count < q.functions.count {
            result.reasons.append("an affected function path could not be read")
        }
        if closure.truncated { result.reasons.append("too many functions of \(v.label) lead to the affected ones to follow them all") }
        if let vIndex, !vIndex.source.unreadable.isEmpty {
            result.reasons.append("\(v.label): files not read (\(vIndex.source.unreadable.prefix(3).joined(separator: ", ")))")
        }

        // Dependencies before dependents: what a crate re-exports of the vulnerable crate is known
        // before the crates that use it are searched.
        var exports = [Exports?](repeating: nil, count: q.crates.count)
        exports[q.vulnerable] = Exports(names: [:], globs: [[]], isVulnerable: true)
        for c in Self.order(q) where c != q.vulnerable {
            let crate = q.crates[c]
            var seeds = Exports(names: [:], globs: [], isVulnerable: false)
            var direct = false
            var parts = Set<CrateSource.Part>()
            for dep in crate.dependencies where dep.crate >= 0 && dep.crate < exports.count {
                guard let e = exports[dep.crate] else { continue }
                switch dep.kind {
                case .normal: parts.formUnion([.library, .binary])
                case .build: parts.insert(.buildScript)
                case .dev: parts.formUnion([.library, .binary, .tests])  // their #[cfg(test)] items, and tests/
                }
                if e.isVulnerable {
                    seeds.names[dep.externName, default: []].append([])
                    direct = true
                } else {
                    // A re-exporter: `dep::name` is the vulnerable crate's item.
                    for (name, paths) in e.names { seeds.names[name, default: []] += paths }
                    seeds.globs += e.globs
                }
            }
            guard !seeds.names.isEmpty || !seeds.globs.isEmpty else { continue }
            guard let dir = crate.directory else {
                result.reasons.append("the source of \(crate.label), which can name \(v.name), is not on disk")
                continue
            }
            let idx = index(dir, name: crate.name, version: crate.version, binaries: crate.isRoot, tests: crate.tests)
            if !idx.source.unreadable.isEmpty {
                result.reasons.append("\(crate.label): files not read (\(idx.source.unreadable.prefix(3).joined(separator: ", ")))")
            }
            result.searched.append(crate.label)
            if crate.tests { parts.insert(.tests) }
            var search = CrateSearch(index: idx, crate: crate.label, closure: closure, vulnerable: vIndex, seeds: seeds,
                                     directDependent: direct, parts: parts)
            search.run()
            result.evidence += search.references
            result.possible += search.possible
            result.reasons += search.reasons
            exports[c] = search.exports
        }
        if !result.evidence.isEmpty {
            result.status = .referenced
        } else if !result.reasons.isEmpty || !result.possible.isEmpty {
            result.status = .unknown
        } else {
            result.status = .notReferenced
        }
        var seenReasons = Set<String>()
        result.reasons = result.reasons.filter { seenReasons.insert($0).inserted }
        // One place found twice (a `use` that names both a module and a function of the same
        // name) is one piece of evidence; the order found is kept.
        func distinct(_ list: [ReferenceResult.Evidence]) -> [ReferenceResult.Evidence] {
            var seen = Set<String>()
            return list.filter { seen.insert("\($0.crate)\u{0}\($0.file)\u{0}\($0.line)\u{0}\($0.code)\u{0}\($0.reaches)\u{0}\($0.why ?? "")").inserted }
        }
        result.evidence = distinct(result.evidence)
        result.possible = distinct(result.possible)
        return result
    }

    /// Post-order over the dependency edges from every crate (each crate after its dependencies);
    /// iterative, so no graph can run the stack out.
    static func order(_ q: ReferenceQuery) -> [Int] {
        let n = q.crates.count
        var state = [UInt8](repeating: 0, count: n)  // 0 new, 1 open, 2 done
        var out: [Int] = []
        for start in 0..<n where state[start] == 0 {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last {
                let deps = q.crates[top.node].dependencies
                if top.next < deps.count {
                    stack[stack.count - 1].next += 1
                    let d = deps[top.next].crate
                    if d >= 0 && d < n && state[d] == 0 {
                        state[d] = 1
                        stack.append((d, 0))
                    }
                } else {
                    state[top.node] = 2
                    out.append(top.node)
                    stack.removeLast()
                }
            }
        }
        return out
    }
}

/// What a crate makes of the vulnerable crate's names available to its dependents: names bound to
/// paths inside the vulnerable crate (`pub use time;`, `pub use rustls::Stream as TlsStream`), and
/// glob re-exports.
struct Exports {
    /// Name → paths inside the vulnerable crate ([] = its root).
    var names: [String: [[String]]]
    var globs: [[String]]
    var isVulnerable: Bool
}

extension ReferenceQuery {
    /// The affected functions that apply to `version`: each path with no version list, or with a
    /// requirement the version meets (RustSec's `[affected] functions = { path = [reqs] }`).
    public static func functions(_ listed: [(path: String, versions: [String])], version: String) -> [String] {
        guard let v = try? Version.parse(version) else { return listed.map(\.path) }
        return listed.filter { f in
            f.versions.isEmpty || f.versions.contains { req in (try? VersionReq.parse(req)).map { $0.matches(v) } ?? true }
        }.map(\.path)
    }

    /// The names a crate's code uses for its dependency `package` at `version`: the key of each
    /// renamed declaration that resolves to it (`words = { package = "shlex" }` → `words`), and the
    /// dependency's library name when a declaration does not rename it (or none is known).
    public static func externNames(declarations: [CargoDependency], package: String, version: String, libName: String) -> [String] {
        let v = try? Version.parse(version)
        let matching = declarations.filter { d in
            guard DependencyGraph.sameName(d.package, package) else { return false }
            guard let req = d.requirement, let v, let parsed = try? VersionReq.parse(req) else { return true }
            return parsed.matches(v)
        }
        var names: [String] = []
        for d in matching {
            let n = (d.rename ?? libName).replacingDashes
            if !names.contains(n) { names.append(n) }
        }
        return names.isEmpty ? [libName.replacingDashes] : names
    }
}
