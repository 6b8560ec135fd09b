import NerqConfig
import NerqCore
import NerqJSON

/// The gates of an assessment and whether they passed: what a CI run's exit code comes from, in
/// the document so that every host (cargo nerq, a C program, Python) fails on the same thing.
///
/// - `deny`: finding kinds that fail the run. Default vulnerability and malicious (as cargo-audit
///   fails on every vulnerability); nerq.toml `[gates] deny` replaces the default; each other
///   tool's file adds the kinds that tool fails on; the request (`--deny`) adds; `allow` (nerq.toml
///   or `--allow`) removes. Only reported findings count, and with a baseline only new ones.
/// - `fail_under`: a dependency (not a workspace member) with a Trust Score below it fails the run;
///   the request's value wins over nerq.toml's. A baseline does not change it (it records findings).
/// - `unused_ignores`: `deny` fails the run when an ignore entry is unused or unknown (cargo-deny's
///   `unused-ignored-advisory`); the strictest level any file or the request sets wins.
/// - `scope`: which findings of a denied kind count, by what is known of their code (docs/reachability.md):
///   `compiled` (default) sets apart those compiled for none of the requested targets,
///   `referenced` also those whose affected functions nothing references, `all` none. A finding
///   whose status is unknown always counts. The request's scope wins over nerq.toml's. Findings
///   set apart are still reported, and listed in `set_apart`.
///
/// Every failing gate exits 1 (`exit_code`); `message` is one line saying what failed.
struct Gate {
    var deny: [(kind: String, source: String)]
    var allowed: [(kind: String, source: String)]
    var failUnder: (score: Double, source: String)?
    var unusedIgnores: (level: UnusedIgnores, source: String)
    var scope: (scope: GateScope, source: String)

    static let defaultDeny = ["vulnerability", "malicious"]

    static func settle(_ config: ProjectConfig, _ options: AssessRequest.GateOptions, requestSource: String = "request") -> Gate {
        var deny: [(kind: String, source: String)] = []
        func add(_ kind: String, _ source: String) {
            if !deny.contains(where: { $0.kind == kind }) { deny.append((kind, source)) }
        }
        if let base = config.baseDeny {
            for k in base.kinds { add(k, base.source) }
        } else {
            for k in defaultDeny { add(k, "default") }
        }
        for d in config.deny { add(d.kind, d.source) }
        for k in options.deny { add(k, requestSource) }
        let allowed = config.allow + options.allow.map { ($0, requestSource) }
        deny.removeAll { d in allowed.contains { $0.kind == d.kind } }
        var unused: (level: UnusedIgnores, source: String) = config.unusedIgnores ?? (.warn, "default")
        if let level = options.unusedIgnores, level > unused.level { unused = (level, requestSource) }
        let failUnder = options.failUnder.map { ($0, requestSource) } ?? config.failUnder
        let scope = options.scope.map { ($0, requestSource) } ?? config.gateScope ?? (.compiled, "default")
        return Gate(deny: deny.sorted { ProjectConfig.kinds.firstIndex(of: $0.kind) ?? 99 < ProjectConfig.kinds.firstIndex(of: $1.kind) ?? 99 },
                    allowed: allowed, failUnder: failUnder, unusedIgnores: unused, scope: scope)
    }

    /// `packages`: every scored package (name, version, score, member); `findings`: the reported ones.
    func evaluate(findings: [ProjectFinding], graph: ProjectGraph, packages: [ScoredPackage], members: [Bool],
                  ignores: [IgnoreReport.Entry], baseline: Bool) -> JSONValue {
        var failures: [JSONValue] = []
        var sentences: [String] = []
        var setApart: [JSONValue] = []
        for d in deny {
            let candidates = findings.filter { $0.kind == d.kind && $0.baseline != "known" }
            for h in candidates where !h.gates {
                let n = graph.nodes[h.node]
                setApart.append(.object(JSONObject([("id", .string(h.id)), ("kind", .string(h.kind)), ("package", .string(n.name)),
                                                    ("version", .string(n.version)), ("reason", .optional(h.reach?.note))])))
            }
            let hits = candidates.filter(\.gates)
            guard !hits.isEmpty else { continue }
            failures.append(Gate.failure("deny", d.source, hits.count, [("kind", .string(d.kind)), ("findings", .array(hits.map { h in
                let n = graph.nodes[h.node]
                return .object(JSONObject([("id", .string(h.id)), ("package", .string(n.name)), ("version", .string(n.version))]))
            }))]))
            let new = baseline ? "new " : ""
            sentences.append("\(hits.count) \(new)\(d.kind) \(hits.count == 1 ? "finding" : "findings") (denied by \(d.source)): "
                             + Gate.listing(hits.map { "\($0.id) in \(graph.nodes[$0.node].label)" }))
        }
        if let fu = failUnder {
            let below = packages.indices.filter { i in
                guard !members[i], let s = packages[i].trustScore else { return false }
                return s < fu.score
            }.sorted { (packages[$0].trustScore ?? 0, packages[$0].name) < (packages[$1].trustScore ?? 0, packages[$1].name) }
            if !below.isEmpty {
                failures.append(Gate.failure("fail_under", fu.source, below.count, [("threshold", .double(fu.score)), ("packages", .array(below.map { i in
                    .object(JSONObject([("name", .string(packages[i].name)), ("version", .optional(packages[i].version)),
                                        ("trust_score", .optional(packages[i].trustScore))]))
                }))]))
                sentences.append("\(below.count) \(below.count == 1 ? "package scores" : "packages score") below \(shortNumber(fu.score)) "
                                 + "(fail_under from \(fu.source)): "
                                 + Gate.listing(below.map { i in "\(packages[i].name) \(packages[i].version ?? "") (\(packages[i].trustScore.map { String($0) } ?? "-"))" }))
            }
        }
        if unusedIgnores.level == .deny {
            let unused = ignores.filter { $0.status == .unused || $0.status == .unknown }
            if !unused.isEmpty {
                failures.append(Gate.failure("unused_ignores", unusedIgnores.source, unused.count, [("ignores", .array(unused.map { $0.rule.json }))]))
                sentences.append("\(unused.count) unused ignore \(unused.count == 1 ? "entry" : "entries") (unused_ignores = \"deny\" in \(unusedIgnores.source)): "
                                 + unused.map { "\($0.rule.id)\($0.rule.source.map { " at \($0)" } ?? "")" }.joined(separator: ", "))
            }
        }
        var o = JSONObject(capacity: 11)
        o.append("passed", .bool(failures.isEmpty))
        o.append("exit_code", .int(failures.isEmpty ? 0 : 1))
        o.append("deny", .array(deny.map { .object(JSONObject([("kind", .string($0.kind)), ("source", .string($0.source))])) }))
        o.append("allow", .array(allowed.map { .object(JSONObject([("kind", .string($0.kind)), ("source", .string($0.source))])) }))
        o.append("fail_under", failUnder.map { .object(JSONObject([("score", .double($0.score)), ("source", .string($0.source))])) } ?? .null)
        o.append("unused_ignores", .object(JSONObject([("level", .string(unusedIgnores.level.rawValue)), ("source", .string(unusedIgnores.source))])))
        o.append("scope", .object(JSONObject([("scope", .string(scope.scope.rawValue)), ("source", .string(scope.source))])))
        o.append("baseline", .bool(baseline))
        o.append("failures", .array(failures))
        o.append("set_apart", .array(setApart))
        o.append("message", failures.isEmpty ? .null : .string(sentences.joined(separator: "; ")))
        return .object(o)
    }

    /// `{"gate", "source", "count", ...}`: one failed gate in `failures`.
    static func failure(_ gate: String, _ source: String, _ count: Int, _ extra: [(String, JSONValue)]) -> JSONValue {
        var o = JSONObject(capacity: 3 + extra.count)
        o.append("gate", .string(gate))
        o.append("source", .string(source))
        o.append("count", .int(Int64(count)))
        for (k, v) in extra { o.append(k, v) }
        return .object(o)
    }

    /// The first three, then "and N more": a message stays one readable line.
    static func listing(_ items: [String]) -> String {
        items.prefix(3).joined(separator: ", ") + (items.count > 3 ? " and \(items.count - 3) more" : "")
    }
}
