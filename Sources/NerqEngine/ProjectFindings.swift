import NerqConfig
import NerqCore
import NerqJSON

/// One advisory finding of a project: which package it is in, the paths that pull the package
/// in, whether the project's configuration reports it, whether a baseline knew it, and the fix.
struct ProjectFinding {
    var finding: Finding
    /// The package's index in the project graph.
    var node: Int
    var paths: ProjectGraph.Paths?
    /// Why the configuration does not report it (nil: reported).
    var notReported: String?
    /// With a baseline: "known" (recorded in it) or "new".
    var baseline: String?
    /// Whether it is compiled and referenced, when the request asked (docs/reachability.md).
    var reach: FindingReach.Annotation?

    /// Whether the deny gate counts it: not when the gate's `scope` sets it apart (not
    /// compiled, or its affected functions not referenced).
    var gates: Bool { reach?.gates ?? true }

    var id: String { finding.id ?? "" }
    var kind: String { finding.kind.rawValue }

    /// Most severe first; then by kind (malicious, vulnerability, unsound, unmaintained, yanked,
    /// notice: a vulnerability before an unsound advisory of the same severity), advisory id,
    /// package name and version.
    static func ordered(_ a: ProjectFinding, _ b: ProjectFinding, _ graph: ProjectGraph) -> Bool {
        let x = graph.nodes[a.node], y = graph.nodes[b.node]
        return (a.finding.severity.rank, kindRank(a.kind), a.id, x.name, x.version) < (b.finding.severity.rank, kindRank(b.kind), b.id, y.name, y.version)
    }

    static func kindRank(_ kind: String) -> Int {
        FindingKind.advisoryKinds.firstIndex { $0.rawValue == kind } ?? FindingKind.advisoryKinds.count
    }

    func json(_ graph: ProjectGraph, treeNode: Int?) -> JSONValue {
        let node = graph.nodes[self.node]
        var o = JSONObject(capacity: 24)
        o.append("id", .optional(finding.id))
        o.append("kind", .string(finding.kind.rawValue))
        o.append("severity", .string(finding.severity.rawValue))
        o.append("package", .string(node.name))
        o.append("version", .string(node.version))
        o.append("message", .string(finding.message))
        o.append("dev_only", .bool(node.devOnly))
        for (k, v) in finding.details.entries { o.set(k, v) }
        if let baseline { o.append("baseline", .string(baseline)) }
        Engine.appendPaths(paths, to: &o)
        if let reach { for (k, v) in reach.entries.entries { o.set(k, v) } }
        if let treeNode { o.append("tree_node", .int(Int64(treeNode))) }
        return .object(o)
    }

    /// The short form used in lists (not reported, gone from a baseline, gate failures).
    var reference: JSONObject {
        JSONObject([("id", .string(id)), ("kind", .string(kind))])
    }
}

/// Which findings a project's configuration reports: cargo-audit's `informational_warnings` and
/// `severity_threshold`, cargo-deny's `unmaintained`/`unsound` scopes and `yanked = "allow"`. A
/// finding is reported when no file has a say, or when any file that has one reports it; what is
/// not reported is still scored, and listed under `not_reported` with the reason.
enum FindingScope {
    static func reason(_ f: ProjectFinding, _ rules: [Reporting], graph: ProjectGraph, dependents: [[Int]]) -> String? {
        guard !rules.isEmpty else { return nil }
        var reasons: [String] = []
        for rule in rules {
            guard let why = hidden(f, rule, graph: graph, dependents: dependents) else { return nil }
            reasons.append(why)
        }
        return reasons.joined(separator: "; ")
    }

    /// Why `rule` does not report `f`, or nil when it does.
    static func hidden(_ f: ProjectFinding, _ rule: Reporting, graph: ProjectGraph, dependents: [[Int]]) -> String? {
        let kind = f.kind
        if kind == "vulnerability", let threshold = rule.severityThreshold, case .double(let score)? = f.finding.details["cvss_score"],
           Severity.fromCVSSScore(score).rank > threshold.rank {
            return "\(rule.source): CVSS \(score) is below severity_threshold \"\(threshold.rawValue)\""
        }
        let direct = f.node < dependents.count ? dependents[f.node] : []
        switch rule.scope(of: kind) {
        case .all: return nil
        case .none: return "\(rule.source) does not report \(kind) advisories"
        case .workspace:
            if direct.contains(where: { graph.nodes[$0].isMember }) { return nil }
            return "\(rule.source) reports \(kind) advisories only of direct dependencies of the workspace"
        case .transitive:
            if direct.contains(where: { !graph.nodes[$0].isMember }) { return nil }
            return "\(rule.source) reports \(kind) advisories only of transitive dependencies"
        }
    }
}
