import NerqJSON

// The documents nerq emits, read once for every format: the types of the keys a renderer uses are
// checked here (an error names the JSON path), so the renderers below never fail. Keys nerq does not
// know yet are ignored; values nerq does not know yet (a new verdict level, a new finding kind) are
// kept as text and shown as they are.

struct PackageName {
    var name: String
    var version: String?

    /// `name version`, as Cargo.lock and cargo-audit write a package.
    var label: String { version.map { "\(name) \($0)" } ?? name }
    /// `name@version`, as cargo commands take it.
    var target: String { version.map { "\(name)@\($0)" } ?? name }

    static func read(_ n: Node) throws(NerqError) -> PackageName {
        guard !n.isAbsent else { throw NerqError(.missingField, "missing required key \"package\"", path: parentPath(n)) }
        guard let name = try n["name"].string() else {
            throw NerqError(.missingField, "missing required key \"name\"", path: n.path.text)
        }
        return PackageName(name: name, version: try n["version"].string())
    }

    static func parentPath(_ n: Node) -> String {
        if case .key(let p, _) = n.path { return p.text }
        return n.path.text
    }
}

/// Where the scanner saw something: `{file, line, snippet}`.
struct Evidence {
    var file: String?
    var line: Int64?
    var snippet: String?

    static func list(_ n: Node) throws(NerqError) -> [Evidence] {
        var out: [Evidence] = []
        for item in try n.array() {
            out.append(Evidence(file: try item["file"].string(), line: try item["line"].count(), snippet: try item["snippet"].string()))
        }
        return out
    }

    /// `file:line`.
    var location: String {
        let f = file ?? "?"
        return line.map { "\(f):\($0)" } ?? f
    }
}

struct Finding {
    var severity: String?
    var kind: String?
    var id: String?
    var message: String?
    var title: String?
    var aliases: [String] = []
    var patched: [String] = []
    var upgradeTo: String?
    var url: String?
    var date: String?
    var cvss: String?
    var cvssScore: Double?
    var evidence: [Evidence] = []
    /// The advisory's own text (Markdown) and the replacements it recommends.
    var description: String?
    var recommended: [Recommended] = []
    // The assessment's top-level list names the package, the dependency paths, the fix and
    // what a baseline knew.
    var package: String?
    var version: String?
    var paths: [[String]] = []
    /// How many workspace members pull the package in (`paths` may list fewer).
    var pathsTotal: Int64?
    var devOnly = false
    var fix: Fix?
    /// "known" or "new" when compared with a baseline.
    var baseline: String?
    /// Position of the package in the assessment's `dependents` graph (with `tree`).
    var treeNode: Int64?
    /// Compiled, referenced, counted by the gate (with targets or references asked for).
    var reach = Reach()

    struct Recommended {
        var name: String
        var url: String?
        var note: String?
    }

    struct Fix {
        var to: String?
        var command: String?
        var text: String?
    }

    static func read(_ n: Node) throws(NerqError) -> Finding {
        var f = Finding()
        f.severity = try n["severity"].string()
        f.kind = try n["kind"].string()
        f.id = try n["id"].string()
        f.message = try n["message"].string()
        f.title = try n["title"].string()
        f.aliases = try n["aliases"].strings()
        f.patched = try n["patched"].strings()
        f.upgradeTo = try n["upgrade_to"].string()
        f.url = try n["url"].string()
        f.date = try n["date"].string()
        f.cvss = try n["cvss"].string()
        f.cvssScore = try n["cvss_score"].number()
        f.evidence = try Evidence.list(n["evidence"])
        f.description = try n["description"].string()
        for a in try n["alternatives"].array() {
            guard let name = try a["name"].string() else { continue }
            f.recommended.append(Recommended(name: name, url: try a["url"].string(), note: try a["note"].string()))
        }
        f.package = try n["package"].string()
        f.version = try n["version"].string()
        for p in try n["paths"].array() { f.paths.append(try p.strings()) }
        f.pathsTotal = try n["paths_total"].count()
        f.devOnly = try n["dev_only"].bool() ?? false
        let fix = try n["fix"]
        if !fix.isAbsent {
            f.fix = Fix(to: try fix["to"].string(), command: try fix["command"].string(), text: try fix["text"].string())
        }
        f.baseline = try n["baseline"].string()
        f.treeNode = try n["tree_node"].count()
        f.reach = try Reach.read(n)
        return f
    }

    /// What the finding says, for one line: the message, else the title, else the kind.
    var text: String { message ?? title ?? kind.map(Words.humanize) ?? "finding" }
    var isInformational: Bool { severity == "info" || severity == "none" }
    /// An advisory (RustSec, OSV) rather than something nerq observed in the source.
    var isAdvisory: Bool { id != nil && kind != "capability" && kind != "unsafe_code" }
}

struct SignalRow {
    var signal: String?
    var value: JSONValue?
    var points: Double?
    var reason: String?

    var text: String { reason ?? signal.map(Words.humanize) ?? "signal" }
}

struct DimensionRow {
    var name: String
    var score: Double?
    var weight: Double?
    var base: Double?
    var signals: [SignalRow]
}

struct Cap {
    var max: Double?
    var reason: String?
    var id: String?
}

struct DatabaseInfo {
    var path: String?
    var advisories: Int64?
    var newest: String?
    var errorCount: Int64?
    var errors: [(file: String?, line: Int64?, message: String?)] = []

    static func read(_ n: Node) throws(NerqError) -> DatabaseInfo? {
        guard !n.isAbsent else { return nil }
        var d = DatabaseInfo()
        d.path = try n["path"].string()
        d.advisories = try n["advisories"].count()
        d.newest = try n["newest"].string()
        d.errorCount = try n["error_count"].count()
        for e in try n["errors"].array() {
            d.errors.append((try e["file"].string(), try e["line"].count(), try e["message"].string()))
        }
        return d
    }
}

/// The scanner's `source` group: counts, capabilities, evidence per kind.
struct SourceInfo {
    var path: String?
    var files: Int64?
    var linesCode: Int64?
    var unsafeCounts: [(key: String, count: Int64)] = []
    var forbidsUnsafe: Bool?
    var deniesUnsafe: Bool?
    var buildScript: Bool?
    var procMacro: Bool?
    var capabilities: [String] = []
    /// Per evidence kind, in document order.
    var evidence: [(kind: String, items: [Evidence])] = []
    /// Per evidence kind, the full count (the lists are capped).
    var evidenceCounts: [(key: String, count: Int64)] = []
    var skipped: [(key: String, count: Int64)] = []
    /// First position of each kind in `evidence` and `evidenceCounts` (lookups stay O(1)).
    var evidenceIndex: [String: Int] = [:]
    var countIndex: [String: Int] = [:]

    static let unsafeKeys = ["unsafe_blocks", "unsafe_fns", "unsafe_impls", "unsafe_traits", "unsafe_externs"]

    static func read(_ n: Node) throws(NerqError) -> SourceInfo? {
        guard !n.isAbsent else { return nil }
        var s = SourceInfo()
        s.path = try n["path"].string()
        s.files = try n["files"].count()
        s.linesCode = try n["lines_code"].count()
        for key in unsafeKeys {
            if let c = try n[key].count() { s.unsafeCounts.append((key, c)) }
        }
        s.forbidsUnsafe = try n["forbids_unsafe"].bool()
        s.deniesUnsafe = try n["denies_unsafe"].bool()
        s.buildScript = try n["build_script"].bool()
        s.procMacro = try n["proc_macro"].bool()
        s.capabilities = try n["capabilities"].strings()
        for (kind, items) in try n["evidence"].entries() {
            if s.evidenceIndex[kind] == nil { s.evidenceIndex[kind] = s.evidence.count }
            s.evidence.append((kind, try Evidence.list(items)))
        }
        s.evidenceCounts = try n["evidence_counts"].counts()
        for (i, c) in s.evidenceCounts.enumerated() where s.countIndex[c.key] == nil { s.countIndex[c.key] = i }
        s.skipped = try n["skipped_files"].counts()
        return s
    }

    var unsafeTotal: Int64? {
        guard !unsafeCounts.isEmpty else { return nil }
        // Five counts bounded by Node.countRange: the sum cannot overflow.
        return unsafeCounts.reduce(Int64(0)) { $0 + $1.count }
    }

    func evidence(_ kind: String) -> [Evidence] { evidenceIndex[kind].map { evidence[$0].items } ?? [] }

    /// The full count for an evidence kind: `evidence_counts`, else the items listed.
    func count(_ kind: String) -> Int64 {
        if let i = countIndex[kind] { return evidenceCounts[i].count }
        return Int64(evidence(kind).count)
    }
}

/// Another crate suggested instead (a string, or `{name, reason, trust_score, grade, url}`).
struct Alternative {
    var name: String
    var reason: String?
    var score: Double?
    var grade: String?
    var url: String?

    static func list(_ n: Node) throws(NerqError) -> [Alternative] {
        var out: [Alternative] = []
        for item in try n.array() {
            if case .string(let s)? = item.value {
                out.append(Alternative(name: s))
                continue
            }
            guard let name = try item["name"].string() else {
                throw NerqError(.missingField, "missing required key \"name\"", path: item.path.text)
            }
            out.append(Alternative(name: name, reason: try item["reason"].string(), score: try item["trust_score"].number(),
                                   grade: try item["grade"].string(), url: try item["url"].string()))
        }
        return out
    }
}

struct Report {
    var package: PackageName
    var score: Double?
    var uncappedScore: Double?
    var grade: String?
    var level: String
    var label: String?
    var summary: String?
    var recommendation: String?
    var verified: Bool?
    var dimensions: [DimensionRow] = []
    var coverage: Double?
    var confidence: String?
    var caps: [Cap] = []
    var findings: [Finding] = []
    var strongest: String?
    var weakest: String?
    var methodologyVersion: String?
    var weights: [(name: String, weight: Double)] = []
    /// Methodology keys beyond version and weights (caps, thresholds) as later versions may add them.
    var methodologyExtra: [(key: String, value: JSONValue)] = []
    var now: String?
    var source: SourceInfo?
    /// Signal groups shown as they are (labelled where nerq knows the key).
    var registry: [(key: String, value: JSONValue)]?
    var repository: [(key: String, value: JSONValue)]?
    var manifest: [(key: String, value: JSONValue)]?
    /// Whether advisories were checked at all (methodology v2; absent means not said).
    var advisoriesChecked: Bool?
    var advisoriesGiven: Bool
    /// Whether the package is known to exist (methodology v2; absent means not said).
    var exists: Bool?
    var alternatives: [Alternative] = []
    var database: DatabaseInfo?
    var ignoredKeys: [String] = []
    // In an assessment:
    var lockfileLine: Int64?
    var workspaceMember = false
    var devOnly = false
    var sourceKind: String?

    static func read(_ n: Node) throws(NerqError) -> Report {
        let verdict = try n["verdict"]
        var r = Report(package: try PackageName.read(try n["package"]),
                       level: try verdict["level"].string() ?? "unknown", advisoriesGiven: false)
        r.score = try n["trust_score"].number()
        r.uncappedScore = try n["uncapped_score"].number()
        r.grade = try n["grade"].string()
        r.label = try verdict["label"].string()
        r.summary = try verdict["summary"].string()
        r.recommendation = try n["recommendation"].string()
        r.verified = try n["verified"].bool()
        for d in try n["dimensions"].array() {
            guard let name = try d["name"].string() else {
                throw NerqError(.missingField, "missing required key \"name\"", path: d.path.text)
            }
            var signals: [SignalRow] = []
            for s in try d["signals"].array() {
                signals.append(SignalRow(signal: try s["signal"].string(), value: try s["value"].value,
                                         points: try s["points"].number(), reason: try s["reason"].string()))
            }
            r.dimensions.append(DimensionRow(name: name, score: try d["score"].number(), weight: try d["weight"].number(),
                                             base: try d["base"].number(), signals: signals))
        }
        r.coverage = try n["coverage"].number()
        r.confidence = try n["confidence"].string()
        for c in try n["caps"].array() {
            r.caps.append(Cap(max: try c["max"].number(), reason: try c["reason"].string(), id: try c["id"].string()))
        }
        for f in try n["findings"].array() { r.findings.append(try Finding.read(f)) }
        r.strongest = try n["strongest"].string()
        r.weakest = try n["weakest"].string()
        let methodology = try n["methodology"]
        r.methodologyVersion = try methodology["version"].value.map(displayText)
        for (name, w) in try methodology["weights"].entries() {
            if let x = try w.number() { r.weights.append((name, x)) }
        }
        for (key, v) in try methodology.entries() where key != "version" && key != "weights" {
            if let value = v.value { r.methodologyExtra.append((key, value)) }
        }
        let signals = try n["signals"]
        r.now = try signals["now"].string()
        r.source = try SourceInfo.read(try signals["source"])
        r.registry = try group(signals["registry"])
        r.repository = try group(signals["repository"])
        r.manifest = try group(signals["manifest"])
        r.advisoriesGiven = !(try signals["advisories"]).isAbsent
        r.advisoriesChecked = try n["advisories_checked"].bool()
        r.exists = try n["exists"].bool()
        r.alternatives = try Alternative.list(n["alternatives"])
        r.database = try DatabaseInfo.read(n["database"])
        r.ignoredKeys = try n["ignored_keys"].strings()
        r.lockfileLine = try n["lockfile_line"].count()
        r.workspaceMember = try n["workspace_member"].bool() ?? false
        r.devOnly = try n["dev_only"].bool() ?? false
        // A report in an assessment says where the package comes from: {"kind": "registry", ...}.
        let origin = try n["source"]
        if case .object? = origin.value { r.sourceKind = try origin["kind"].string() }
        return r
    }

    static func group(_ n: Node) throws(NerqError) -> [(key: String, value: JSONValue)]? {
        guard !n.isAbsent else { return nil }
        return try n.entries().compactMap { e in e.value.value.map { (e.key, $0) } }
    }

    /// Findings above info: advisories, yanked, stale, archived... (not the scanner's notes on
    /// capabilities and unsafe code, which nearly every crate has).
    var notable: [Finding] { findings.filter { !$0.isInformational } }

    /// Shown by default: a verdict below safe, or a finding above info.
    var needsAttention: Bool {
        level == "caution" || level == "warning" || level == "avoid" || !notable.isEmpty
    }

    var scoredDimensions: Int { dimensions.filter { $0.score != nil }.count }
}

struct Summary {
    var packages: Int64?
    var skippedDevOnly: Int64?
    var byVerdict: [(key: String, count: Int64)] = []
    var byGrade: [(key: String, count: Int64)] = []
    var byFindingKind: [(key: String, count: Int64)] = []
    var bySource: [(key: String, count: Int64)] = []
    var advisories: Int64?
    /// Reported findings (the sum of `byFindingKind`); absent in documents before nerq 0.2.
    var findings: Int64?
    var notReported: Int64?
    var ignored: Int64?
    var affectedPackages: Int64?
    var verified: Int64?
    var worst: [(name: String, version: String?, score: Double?, grade: String?, verdict: String?, finding: String?)] = []

    static func read(_ n: Node) throws(NerqError) -> Summary {
        var s = Summary()
        s.packages = try n["packages"].count()
        s.skippedDevOnly = try n["skipped_dev_only"].count()
        s.byVerdict = try n["by_verdict"].counts()
        s.byGrade = try n["by_grade"].counts()
        s.byFindingKind = try n["by_finding_kind"].counts()
        s.bySource = try n["by_source"].counts()
        s.advisories = try n["advisories"].count()
        s.affectedPackages = try n["affected_packages"].count()
        s.findings = try n["findings"].count()
        s.notReported = try n["not_reported"].count()
        s.ignored = try n["ignored"].count()
        s.verified = try n["verified"].count()
        for w in try n["worst"].array() {
            s.worst.append((try w["name"].string() ?? "?", try w["version"].string(), try w["trust_score"].number(),
                            try w["grade"].string(), try w["verdict"].string(), try w["worst_finding"].string()))
        }
        return s
    }
}

struct Assessment {
    var now: String?
    var lockfile: String?
    var workspaceRoot: String?
    var workspaceMembers: [String] = []
    var database: DatabaseInfo?
    var advisoriesChecked: Bool?
    var summary: Summary
    var findings: [Finding] = []
    var packages: [Report] = []
    var issues: [String] = []
    var notes: [String] = []
    /// `options.reports`: "flagged" keeps full reports only for packages that need attention.
    var reportsMode: String?
    var membersGuessed = false
    var configFiles: [(path: String, format: String)] = []
    var ignores: [IgnoreEntry] = []
    var notReported: [(id: String?, package: String?, version: String?, reason: String?)] = []
    var gate: Gate?
    var baseline: BaselineInfo?
    var dependents: Dependents?

    struct IgnoreEntry {
        var id: String
        var reason: String?
        var expires: String?
        var source: String?
        var status: String
        var message: String?
    }

    struct Gate {
        var passed: Bool
        var exitCode: Int64?
        var deny: [String] = []
        var failUnder: Double?
        var message: String?
        /// Which findings the deny gate counts (all | compiled | referenced), and how many of a
        /// denied kind it set apart.
        var scope: String?
        var setApart: Int = 0

        /// `3 findings of a denied kind set apart (gate scope "compiled": …)`, or nil when none is.
        var setApartText: String? {
            guard setApart > 0 else { return nil }
            let why = scope == "referenced" ? "not compiled for the requested targets, or their affected functions not referenced"
                : "not compiled for the requested targets"
            return "\(Words.plural(Int64(setApart), "finding")) of a denied kind not counted (gate scope \"\(scope ?? "compiled")\": \(why))"
        }
    }

    struct BaselineInfo {
        var path: String?
        var status: String?
        var recorded: String?
        var known: Int64?
        var new: Int64?
        var gone: [(id: String?, package: String?, version: String?)] = []
    }

    /// The packages that pull in flagged ones, each with its direct dependents (positions).
    struct Dependents {
        var nodes: [(label: String, member: Bool, devOnly: Bool)] = []
        var dependents: [[Int]] = []
    }
    /// As written, for SARIF's run properties.
    var rawDatabase: JSONValue?
    var rawSummary: JSONValue?
    /// `config`, `ignores`, `gate`, `baseline` as written (SARIF carries them as data).
    var rawExtras: [(key: String, value: JSONValue)] = []

    static func read(_ n: Node) throws(NerqError) -> Assessment {
        let project = try n["project"]
        var a = Assessment(summary: try Summary.read(try n["summary"]))
        a.now = try n["now"].string()
        a.lockfile = try project["lockfile"].string()
        a.workspaceRoot = try project["workspace_root"].string()
        a.workspaceMembers = try project["workspace_members"].strings()
        a.database = try DatabaseInfo.read(n["database"])
        a.advisoriesChecked = try n["advisories_checked"].bool()
        for f in try n["findings"].array() { a.findings.append(try Finding.read(f)) }
        let packages = try n["packages"].array()
        a.packages.reserveCapacity(packages.count)
        for p in packages { a.packages.append(try Report.read(p)) }
        for i in try n["issues"].array() { if let v = i.value { a.issues.append(displayText(v)) } }
        for i in try n["notes"].array() { if let v = i.value { a.notes.append(displayText(v)) } }
        a.reportsMode = try n["options"]["reports"].string()
        a.membersGuessed = try project["members_guessed"].bool() ?? false
        for f in try n["config"]["files"].array() {
            a.configFiles.append((try f["path"].string() ?? "?", try f["format"].string() ?? "?"))
        }
        for i in try n["ignores"].array() {
            a.ignores.append(IgnoreEntry(id: try i["id"].string() ?? "?", reason: try i["reason"].string(), expires: try i["expires"].string(),
                                         source: try i["source"].string(), status: try i["status"].string() ?? "?",
                                         message: try i["message"].string()))
        }
        for f in try n["not_reported"].array() {
            a.notReported.append((try f["id"].string(), try f["package"].string(), try f["version"].string(), try f["reason"].string()))
        }
        let gate = try n["gate"]
        if !gate.isAbsent {
            var g = Gate(passed: try gate["passed"].bool() ?? true, exitCode: try gate["exit_code"].count())
            for d in try gate["deny"].array() { if let k = try d["kind"].string() { g.deny.append(k) } }
            g.failUnder = try gate["fail_under"]["score"].number()
            g.message = try gate["message"].string()
            g.scope = try gate["scope"]["scope"].string()
            g.setApart = try gate["set_apart"].array().count
            a.gate = g
        }
        let baseline = try n["baseline"]
        if !baseline.isAbsent {
            var b = BaselineInfo(path: try baseline["path"].string(), status: try baseline["status"].string(),
                                 recorded: try baseline["recorded"].string(), known: try baseline["known"].count(),
                                 new: try baseline["new"].count())
            for g in try baseline["gone"].array() { b.gone.append((try g["id"].string(), try g["package"].string(), try g["version"].string())) }
            a.baseline = b
        }
        let dependents = try n["dependents"]
        if !dependents.isAbsent {
            var d = Dependents()
            for node in try dependents["nodes"].array() {
                let name = try node["name"].string() ?? "?"
                let label = try node["version"].string().map { "\(name) \($0)" } ?? name
                d.nodes.append((label, try node["workspace_member"].bool() ?? false, try node["dev_only"].bool() ?? false))
            }
            for list in try dependents["dependents"].array() {
                var out: [Int] = []
                for item in try list.array() {
                    if let k = try item.count(), k < Int64(d.nodes.count) { out.append(Int(k)) }
                }
                d.dependents.append(out)
            }
            a.dependents = d
        }
        a.rawDatabase = try n["database"].value
        a.rawSummary = try n["summary"].value
        for key in ["config", "ignores", "gate", "baseline"] {
            if let v = try n[key].value { a.rawExtras.append((key, v)) }
        }
        return a
    }

    /// The dependency paths of each advisory finding, by advisory and package: a package's own
    /// findings do not carry them, the top-level list does.
    struct DependencyPaths {
        var byFinding: [String: [[String]]] = [:]

        init(_ findings: [Finding]) {
            for f in findings where !f.paths.isEmpty {
                byFinding[DependencyPaths.key(f.id, f.package, f.version)] = f.paths
            }
        }

        static func key(_ id: String?, _ package: String?, _ version: String?) -> String {
            "\(id ?? "")\u{0}\(package ?? "")\u{0}\(version ?? "")"
        }

        func of(_ f: Finding, in p: Report) -> [[String]] {
            byFinding[DependencyPaths.key(f.id, p.package.name, p.package.version)] ?? []
        }
    }

    /// The packages counted: the summary's number, else the reports present.
    var total: Int64 { summary.packages ?? Int64(packages.count) }

    /// A name for the project: its first workspace member, else the lockfile's folder.
    var title: String {
        if let m = workspaceMembers.first { return m }
        if let l = lockfile { return Paths.parent(l).map(Paths.lastComponent) ?? l }
        return "project"
    }
}

struct Preflight {
    var target: String?
    var package: PackageName?
    var score: Double?
    var grade: String?
    var recommendation: String?
    var level: String
    var verified: Bool?
    var riskFlags: [String] = []
    var knownCVEs: [String] = []
    var license: String?
    var coverage: Double?
    var confidence: String?
    var checkedAt: String?
    var ttl: Int64?
    var summary: String?

    static func read(_ n: Node) throws(NerqError) -> Preflight {
        var p = Preflight(level: try n["verdict"].string() ?? "unknown")
        p.target = try n["target"].string()
        let pkg = try n["package"]
        p.package = pkg.isAbsent ? nil : try PackageName.read(pkg)
        p.score = try n["trust_score"].number()
        p.grade = try n["trust_grade"].string()
        p.recommendation = try n["recommendation"].string()
        p.verified = try n["verified"].bool()
        p.riskFlags = try n["risk_flags"].strings()
        p.knownCVEs = try n["known_cves"].strings()
        p.license = try n["license"].string()
        p.coverage = try n["coverage"].number()
        p.confidence = try n["confidence"].string()
        p.checkedAt = try n["checked_at"].string()
        p.ttl = try n["ttl"].count()
        p.summary = try n["summary"].string()
        return p
    }

    var name: String { package?.target ?? target ?? "?" }
}

/// The three documents nerq_render reads.
enum Document {
    case report(Report)
    case assessment(Assessment)
    case preflight(Preflight)

    static let kinds = ["nerq.report", "nerq.assessment", "nerq.preflight"]

    static func read(_ value: JSONValue, path: String) throws(NerqError) -> Document {
        let n = Node(value, .root(path))
        guard case .object(let o)? = n.value else { throw n.typeError("an object") }
        let kindNode = try n["kind"]
        guard let kind = try kindNode.string() else {
            if o["error"] != nil {
                throw NerqError(.invalidValue, "an error document cannot be rendered: handle the error (its code and message) instead", path: path)
            }
            throw NerqError(.missingField, "missing required key \"kind\" (one of \(kinds.joined(separator: ", ")))", path: path)
        }
        if let v = try n["version"].int(), v < 1 {
            throw NerqError(.unsupportedVersion, "document version \(v) is not supported", path: try n["version"].path.text)
        }
        switch kind {
        case "nerq.report": return .report(try Report.read(n))
        case "nerq.assessment": return .assessment(try Assessment.read(n))
        case "nerq.preflight": return .preflight(try Preflight.read(n))
        default:
            throw NerqError(.unsupportedVersion, "cannot render a \"\(kind)\" document; nerq_render reads \(kinds.joined(separator: ", "))",
                            path: kindNode.path.text)
        }
    }
}
