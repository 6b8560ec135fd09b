/// One finding behind a score: an advisory, a yanked release, a risky capability.
import NerqJSON
import NerqSemver
public struct Finding: Sendable, Equatable {
    public var severity: Severity
    public var kind: FindingKind
    public var id: String?
    public var message: String
    /// Extra keys (title, aliases, patched, url, evidence, ...), in a fixed order.
    public var details: JSONObject

    public init(severity: Severity, kind: FindingKind, id: String? = nil, message: String, details: JSONObject = JSONObject()) {
        self.severity = severity
        self.kind = kind
        self.id = id
        self.message = message
        self.details = details
    }

    public var json: JSONValue {
        var o = JSONObject()
        o.append("severity", .string(severity.rawValue))
        o.append("kind", .string(kind.rawValue))
        if let id { o.append("id", .string(id)) }
        o.append("message", .string(message))
        for (k, v) in details.entries { o.set(k, v) }
        return .object(o)
    }

    /// Whether this finding is an advisory (RustSec/OSV) rather than something nerq observed.
    public var isAdvisory: Bool { Advisory.Kind(rawValue: kind.rawValue) != nil && id != nil }

    /// Most severe first; then kind, id and message, so the order never depends on input order.
    public static func ordered(_ a: Finding, _ b: Finding) -> Bool {
        (a.severity.rank, a.kind.rawValue, a.id ?? "", a.message) < (b.severity.rank, b.kind.rawValue, b.id ?? "", b.message)
    }
}

enum Findings {
    static func collect(_ s: Signals, _ adv: CountedAdvisories?, dims: [DimensionScore]) -> [Finding] {
        var out: [Finding] = []
        if let e = s.existence, !e.known {
            out.append(Finding(severity: .high, kind: .notFound,
                               message: "\(s.package.display) is not in \(e.via): a typo, a made-up or a removed name or version",
                               details: JSONObject([("checked", .string(e.via))])))
        }
        if s.advisories == nil && s.fromRegistry {
            out.append(Finding(severity: .medium, kind: .advisoriesNotChecked,
                               message: "not checked against any advisory database: known vulnerabilities would not show here"))
        }
        for a in adv?.counted ?? [] { out.append(advisoryFinding(a, package: s.package)) }
        if s.registry?.yanked == true {
            out.append(Finding(severity: .medium, kind: .yanked, message: "\(s.package.display) is yanked from \(s.package.ecosystem)"))
        }
        if s.repository?.archived == true {
            out.append(Finding(severity: .medium, kind: .archived, message: "the source repository is archived"))
        }
        if let src = s.source {
            if src.forbidsUnsafe != true, let items = src.unsafeItems, items > 0 {
                let evidence = ["unsafe_block", "unsafe_fn", "unsafe_impl", "unsafe_trait"].flatMap { src.evidence(for: $0) }
                out.append(Finding(severity: .info, kind: .unsafeCode, message: "\(items) unsafe \(items == 1 ? "item" : "items") in the crate's source",
                                   details: evidence.isEmpty ? JSONObject() : JSONObject([("evidence", .array(Array(evidence.prefix(20))))])))
            }
            for c in DimensionScorer.capabilityPoints where src.capabilities?.contains(c.name) == true {
                let severity: Severity = c.name == "build_script_network" ? .medium : .info
                let evidence = src.evidence(for: c.name)
                out.append(Finding(severity: severity, kind: .capability, id: c.name, message: c.reason,
                                   details: evidence.isEmpty ? JSONObject() : JSONObject([("evidence", .array(evidence))])))
            }
        }
        if let m = dims.first(where: { $0.dimension == .maintenance }),
           let stale = m.contributions.first(where: { $0.signal == "last_activity" && $0.points < 0 }) {
            out.append(Finding(severity: .low, kind: .stale, message: stale.reason))
        }
        return out.sorted(by: Finding.ordered)
    }

    static func advisoryFinding(_ a: Advisory, package: PackageID) -> Finding {
        let severity: Severity
        switch a.kind {
        case .vulnerability: severity = a.severity ?? .medium
        case .malicious: severity = .critical
        case .unsound, .yanked: severity = .medium
        case .unmaintained: severity = .low
        case .notice: severity = .info
        }
        var message = "\(a.id)"
        if let t = a.title { message += ": \(t)" }
        var d = JSONObject()
        if let t = a.title { d.append("title", .string(t)) }
        if let text = a.description { d.append("description", .string(text)) }
        let recommended = AdvisoryText.alternatives(a.description)
        if !recommended.isEmpty {
            d.append("alternatives", .array(recommended.map { alt in
                var o = JSONObject(capacity: 3)
                o.append("name", .string(alt.name))
                o.append("url", .optional(alt.url))
                o.append("note", .optional(alt.note))
                return .object(o)
            }))
        }
        if a.kind == .vulnerability, let sev = a.severity { d.append("advisory_severity", .string(sev.rawValue)) }
        if let c = a.cvss { d.append("cvss", .string(c)) }
        if let sc = a.cvssScore { d.append("cvss_score", .double(sc)) }
        d.append("aliases", .strings(a.aliases))
        d.append("patched", .strings(a.patched))
        if a.kind == .vulnerability || a.kind == .unsound {
            if let current = package.version.flatMap({ try? Version.parse($0) }),
               let target = Upgrade.smallestPatched(above: current, patched: a.patched) {
                d.append("upgrade_to", .string(target.description))
                message += "; upgrade to \(target) or later"
            } else if a.patched.isEmpty {
                message += "; no patched version is available"
            } else {
                message += "; patched: \(a.patched.joined(separator: " or "))"
            }
        }
        if let u = a.url { d.append("url", .string(u)) }
        if let date = a.date { d.append("date", .string(date)) }
        if !a.functions.isEmpty { d.append("affected_functions", .array(a.functions.map(\.json))) }
        if !a.os.isEmpty { d.append("affected_os", .strings(a.os)) }
        if !a.arch.isEmpty { d.append("affected_arch", .strings(a.arch)) }
        if let version = package.version,
           let fix = Fix.json(kind: FindingKind(a.kind), package: package.name, version: version,
                              upgradeTo: d["upgrade_to"].flatMap { if case .string(let s) = $0 { s } else { nil } },
                              patched: a.patched, hasAlternatives: !recommended.isEmpty) {
            d.append("fix", fix)
        }
        return Finding(severity: severity, kind: FindingKind(a.kind), id: a.id, message: message, details: d)
    }
}

/// The `nerq.report` document for one package.
public struct Report: Sendable {
    public var package: PackageID
    public var trustScore: Double?
    public var uncappedScore: Double?
    public var grade: Grade?
    public var verdict: Methodology.Verdict
    public var summary: String
    public var verified: Bool
    public var dimensions: [DimensionScore]
    public var coverage: Double
    public var confidence: String
    public var caps: [Cap]
    public var findings: [Finding]
    public var strongest: Dimension?
    public var weakest: Dimension?
    public var policy: Policy
    public var signals: Signals
    public var ignoredAdvisories: [IgnoredAdvisory]
    public var now: Timestamp
    /// What the report could not establish.
    public var gaps: EvidenceGaps

    public var json: JSONValue { document() }

    /// The report as a tree, with what an assessment adds to it (see `write`).
    public func document(annotatingFindings annotate: ((Int, inout JSONObject) -> Void)? = nil,
                         tail: JSONObject = JSONObject()) -> JSONValue {
        var sink = JSONTreeSink()
        write(to: &sink, annotatingFindings: annotate, tail: tail)
        return sink.result
    }

    /// The same document as compact text, straight into `sink` (no tree is built).
    public func encode(into sink: inout JSONTextSink, annotatingFindings annotate: ((Int, inout JSONObject) -> Void)? = nil,
                       tail: JSONObject = JSONObject()) {
        write(to: &sink, annotatingFindings: annotate, tail: tail)
    }

    /// The `nerq.report` layout, for both: `annotate` adds to the object of the finding at that
    /// index of `findings` (an assessment's paths and reach), and `tail`'s members follow the
    /// report's own (where the package comes from).
    func write<S: JSONSink>(to s: inout S, annotatingFindings annotate: ((Int, inout JSONObject) -> Void)?, tail: JSONObject) {
        s.beginObject(capacity: 24 + tail.count)
        s.member("kind", "nerq.report")
        s.member("version", 1)
        s.key("package")
        package.write(to: &s)
        s.member("trust_score", .optional(trustScore))
        s.member("grade", .optional(grade?.rawValue))
        s.object("verdict", capacity: 3) { s in
            s.member("level", .string(verdict.level.rawValue))
            s.member("label", .string(verdict.label))
            s.member("summary", .string(summary))
        }
        s.member("recommendation", .string(verdict.recommendation.rawValue))
        s.member("verified", .bool(verified))
        s.member("advisories_checked", .bool(signals.advisories != nil))
        s.member("exists", signals.existence.map { .bool($0.known) } ?? .null)
        s.array("dimensions", dimensions) { s, d in
            s.beginObject(capacity: 5)
            s.member("name", .string(d.dimension.rawValue))
            s.member("score", .optional(d.score))
            s.member("weight", .double(policy.weight(d.dimension)))
            s.member("base", .optional(d.base))
            s.array("signals", d.contributions) { s, c in c.write(to: &s) }
            s.endObject()
        }
        s.member("coverage", .double(coverage))
        s.member("confidence", .string(confidence))
        s.member("uncapped_score", .optional(uncappedScore))
        s.array("caps", caps) { s, c in
            s.beginObject(capacity: 3)
            s.member("max", .double(c.max))
            s.member("reason", .string(c.reason))
            if let id = c.id { s.member("id", .string(id)) }
            s.endObject()
        }
        s.array("findings", findings.indices) { s, j in
            guard let annotate, case .object(var f) = findings[j].json else { return s.value(findings[j].json) }
            annotate(j, &f)
            s.value(.object(f))
        }
        s.member("strongest", .optional(strongest?.rawValue))
        s.member("weakest", .optional(weakest?.rawValue))
        let t = policy.thresholds
        s.object("methodology", capacity: 3) { s in
            s.member("version", .string(Methodology.version))
            s.key("weights")
            policy.writeWeights(to: &s)
            // The verdict bands the score was read against, so a report says what "safe" meant.
            s.object("thresholds") { s in
                s.member("safe", .double(t.safe))
                s.member("caution", .double(t.caution))
                s.member("warning", .double(t.warning))
                s.member("minimum_coverage", .double(t.minimumCoverage))
            }
        }
        s.object("signals", capacity: 8) { s in
            s.member("now", .string(now.description))
            s.members(of: signals.groupsJSON)
        }
        if !ignoredAdvisories.isEmpty {
            s.array("ignored_advisories", ignoredAdvisories) { s, a in s.value(a.json) }
        }
        if !signals.ignoredKeys.isEmpty { s.member("ignored_keys", .strings(signals.ignoredKeys)) }
        s.members(of: tail)
        s.endObject()
    }
}
