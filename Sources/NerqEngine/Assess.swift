import NerqAdvisories
import NerqCargo
import NerqCore
import NerqIO
import NerqScan
import NerqJSON
import NerqSemver
import NerqThreads

/// A `nerq_assess` request, validated.
struct AssessRequest {
    var lockfilePath: String?
    var lockfileText: String?
    var metadata: JSONValue?
    var metadataPath: String?
    var now: Timestamp?
    var includeDev = true
    var targetOS: String?
    var targetArch: String?
    var ignore: [String] = []
    var maxPaths = 3
    var scanSources = true
    var vendorDirs: [String] = []
    var reports = ReportScope.all
    /// What is compiled and referenced, and which findings the deny gates count.
    var reach = ReachOptions()

    /// Which packages get their full `nerq.report` in `packages[]` (every package is scored and
    /// counted in the summary either way).
    enum ReportScope: String, CaseIterable {
        /// Every package.
        case all
        /// Packages with an advisory finding or a verdict of caution, warning or avoid: what a CI
        /// gate acts on, without a report for each of a thousand clean packages.
        case flagged
    }

    static let keys = ["kind", "version", "lockfile", "lockfile_text", "metadata", "metadata_path", "options", "now"]
    static let optionKeys = ["include_dev", "target_os", "target_arch", "ignore", "max_paths", "scan_sources", "vendor_dirs",
                             "reports"] + ReachOptions.keys

    static func read(_ value: JSONValue) throws(NerqError) -> AssessRequest {
        let o = try JSONReader(value).object()
        try o.checkHeader(kind: "nerq.assess_request", version: 1)
        try o.rejectUnknownKeys(known: keys)
        var r = AssessRequest()
        r.lockfilePath = try o.optional("lockfile").map { v throws(NerqError) in try Files.path(v) }
        r.lockfileText = try o.optional("lockfile_text")?.string()
        if r.lockfilePath != nil, r.lockfileText != nil {
            throw NerqError(.invalidValue, "give either \"lockfile\" or \"lockfile_text\", not both", path: o.childPath("lockfile_text"))
        }
        if let m = o.optional("metadata") {
            _ = try m.object()
            r.metadata = m.value
        }
        r.metadataPath = try o.optional("metadata_path").map { v throws(NerqError) in try Files.path(v) }
        guard r.lockfilePath != nil || r.lockfileText != nil || r.metadata != nil || r.metadataPath != nil else {
            throw NerqError(.missingField, "an assess request needs \"lockfile\", \"lockfile_text\", \"metadata\" or \"metadata_path\"", path: "$")
        }
        r.now = try o.optional("now")?.timestamp()
        if let opts = o.optional("options") {
            let oo = try opts.object()
            try oo.rejectUnknownKeys(known: optionKeys)
            r.includeDev = try oo.optional("include_dev")?.bool() ?? true
            r.targetOS = try oo.optional("target_os")?.nonEmptyString()
            r.targetArch = try oo.optional("target_arch")?.nonEmptyString()
            r.ignore = try oo.optional("ignore")?.strings() ?? []
            r.maxPaths = Int(try oo.optional("max_paths")?.int(in: 1...50) ?? 3)
            r.scanSources = try oo.optional("scan_sources")?.bool() ?? true
            if let dirs = oo.optional("vendor_dirs") {
                r.vendorDirs = try dirs.array().map { v throws(NerqError) in try Files.path(v) }
            }
            if let scope = oo.optional("reports") {
                let name = try scope.string()
                guard let parsed = ReportScope(rawValue: name) else {
                    throw NerqError(.invalidValue, "expected one of \(ReportScope.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), found \"\(name)\"",
                                    path: scope.path)
                }
                r.reports = parsed
            }
            r.reach = try ReachOptions.read(oo)
        }
        return r
    }
}

extension Engine {
    /// `nerq_assess`: a project's Cargo.lock (and/or cargo metadata) in, a `nerq.assessment` out.
    public func assess(_ request: JSONValue) throws(NerqError) -> JSONValue {
        let req = try AssessRequest.read(request)
        // The advisory files are read on other cores while this thread reads the project (first
        // use only). Every exit waits for that read, so none of this call's work outlives it.
        advisorySource?.startReading()
        defer { _ = advisorySource?.database }
        var lockfile: Lockfile?
        if let path = req.lockfilePath {
            lockfile = try Lockfile.parse(try Files.read(path), file: path)
        } else if let text = req.lockfileText {
            lockfile = try Lockfile.parse(Array(text.utf8), file: "Cargo.lock")
        }
        var metadata: CargoMetadata?
        if let m = req.metadata {
            metadata = try CargoMetadata.read(m, path: "$.metadata")
        } else if let path = req.metadataPath {
            let json: JSONValue
            do {
                json = try JSONParser.parse(try Files.read(path))
            } catch {
                throw NerqError(error.code, "\(path): \(error.message)", path: path)
            }
            metadata = try CargoMetadata.read(json, path: path)
        }
        let graph = ProjectGraph.build(lockfile: lockfile, metadata: metadata)
        let database = advisories
        let now = resolveNow(req.now)
        var requestPolicy = self.policy
        requestPolicy.ignore += req.ignore
        let policy = requestPolicy

        let included = graph.nodes.indices.filter { req.includeDev || !graph.nodes[$0].devOnly }
        var notes: [String] = []
        @Sendable func context(_ node: ProjectGraph.Node) -> PackageContext {
            PackageContext(manifestPath: node.manifestPath, manifest: node.manifest, lockfileChecksum: node.hasRegistryChecksum,
                           fromRegistry: node.source == .cratesIO, targetOS: req.targetOS, targetArch: req.targetArch,
                           vendorDirs: req.vendorDirs)
        }
        // Every package's source is found and scanned first, on many threads (the files may not be
        // in the page cache); each package is then collected and scored like a single one.
        let scans: [LocalSources.Found?] = req.scanSources ? scanCache.scan(included.map { i in
            let node = graph.nodes[i]
            return LocalSources.Wanted(name: node.name, version: node.version, manifestPath: node.manifestPath,
                                       license: node.manifest?.license)
        }, vendorDirs: req.vendorDirs, cargoHome: environment.cargoHome) : []
        if req.scanSources {
            notes.append("source scanned for \(scans.compactMap { $0 }.count) of \(included.count) packages (found on disk: manifest paths, vendor directories, ~/.cargo/registry/src, /usr/share/cargo/registry)")
        }
        let scored: [ScoredPackage] = parallelMap(Array(included.enumerated())) { k, i in
            let node = graph.nodes[i]
            let local: LocalSources.Found?? = .some(k < scans.count ? scans[k] : nil)
            let signals = self.collect(Signals(package: PackageID(name: node.name, version: node.version)),
                                       context: context(node), local: local, now: now)
            return ScoredPackage(Methodology.score(signals, policy: policy, now: now), keepReport: req.reports)
        }
        if database == nil {
            notes.append("no advisory database: packages were not checked for advisories (set advisory_db, NERQ_ADVISORY_DB or ~/.cargo/advisory-db)")
        }
        for i in included where graph.nodes[i].source == .cratesIO && (try? Version.parse(graph.nodes[i].version)) == nil {
            notes.append("\(graph.nodes[i].label): version is not semver; not checked for advisories")
        }

        // What is compiled for the requested targets (nothing is computed when none are asked for).
        var scanned: [Int: LocalSources.Found] = [:]
        for (k, found) in scans.enumerated() where k < included.count { if let found { scanned[included[k]] = found } }
        func gather(_ only: Set<Int>?) -> ProjectManifests {
            ProjectManifests.gather(graph: graph, lockfilePath: req.lockfilePath, metadata: metadata, scanned: scanned,
                                    vendorDirs: req.vendorDirs, cargoHome: environment.cargoHome, only: only)
        }
        var compiledAnalysis: CompiledAnalysis?
        var manifests: ProjectManifests?
        if !req.reach.targets.isEmpty {
            let all = gather(nil)
            let analysis = CompiledAnalysis.run(project: graph, lockfile: lockfile, manifests: all, options: req.reach,
                                                includeDev: req.includeDev)
            notes += analysis.notes
            compiledAnalysis = analysis
            manifests = all
        }
        let compiled = compiledAnalysis
        // Whether the affected functions are referenced: only for findings whose advisory lists
        // functions, only when sources are read at all.
        var referenceResults: ReferenceResults?
        if req.reach.references && req.scanSources {
            var advisoryFindings: [(node: Int, finding: Finding)] = []
            for (k, p) in scored.enumerated() { for f in p.advisoryFindings { advisoryFindings.append((included[k], f)) } }
            let results = ReferenceResults.run(graph: graph, lockfile: lockfile, manifests: manifests, gather: { gather($0) },
                                               findings: advisoryFindings)
            if !results.isEmpty { referenceResults = results }
        }
        let references = referenceResults

        // Dependency paths, for the packages that have advisory findings.
        var flagged = Set<Int>()
        for (k, p) in scored.enumerated() where !p.advisoryFindings.isEmpty { flagged.insert(included[k]) }
        let paths = graph.paths(to: flagged, limit: req.maxPaths)
        let withAdvisories = flagged

        // Each package's report document, built on all cores (input order kept).
        let reported = scored.indices.filter { scored[$0].report != nil }
        let packageDocs: [JSONValue] = parallelMap(reported) { k in
            guard let report = scored[k].report else { return .null }
            let reach = FindingReach(compiled: compiled, node: included[k], scope: req.reach.denyScope, references: references)
            let doc = Self.packageDocument(report, graph.nodes[included[k]], paths: paths[included[k]], reach: reach,
                                           flagged: withAdvisories.contains(included[k]))
            // Safer crates for the packages an advisory keeps from being verified (with a registry).
            guard withAdvisories.contains(included[k]), let alternatives = self.alternatives(for: report, now: now),
                  case .object(var o) = doc else { return doc }
            o.append("alternatives", alternatives)
            return .object(o)
        }
        var findings: [(Finding, ProjectGraph.Node, ProjectGraph.Paths?)] = []
        var findingNodes: [Int] = []
        for (k, p) in scored.enumerated() {
            let node = graph.nodes[included[k]]
            for f in p.advisoryFindings {
                findings.append((f, node, paths[included[k]]))
                findingNodes.append(included[k])
            }
        }
        let findingOrder = findings.indices.sorted { i, j in
            let a = findings[i], b = findings[j]
            return (a.0.severity.rank, a.0.id ?? "", a.1.name, a.1.version, i) < (b.0.severity.rank, b.0.id ?? "", b.1.name, b.1.version, j)
        }
        findingNodes = findingOrder.map { findingNodes[$0] }
        findings = findingOrder.map { findings[$0] }

        var doc = JSONObject(capacity: 12)
        doc.append("kind", "nerq.assessment")
        doc.append("version", 1)
        doc.append("now", .string(now.description))
        var project = JSONObject()
        project.append("lockfile", .optional(req.lockfilePath))
        project.append("lockfile_format", lockfile.map { .int(Int64($0.format)) } ?? .null)
        project.append("metadata", .bool(metadata != nil))
        project.append("workspace_root", .optional(metadata?.workspaceRoot))
        project.append("workspace_members", .strings(graph.roots.map { graph.nodes[$0].label }))
        project.append("packages", .int(Int64(graph.nodes.count)))
        doc.append("project", .object(project))
        doc.append("database", Self.databaseJSON(database))
        doc.append("options", .object(JSONObject([
            ("include_dev", .bool(req.includeDev)), ("target_os", .optional(req.targetOS)),
            ("target_arch", .optional(req.targetArch)), ("ignore", .strings(req.ignore)),
            ("reports", .string(req.reports.rawValue)),
        ] + req.reach.json)))
        if let compiled { doc.append("compiled", compiled.json) }
        doc.append("summary", Self.summary(scored, graph: graph, included: included, findings: findings.map(\.0)))
        doc.append("findings", .array(zip(findings, findingNodes).map { item, nodeIndex in
            let (f, node, nodePaths) = item
            var o = JSONObject(capacity: 12)
            o.append("id", .optional(f.id))
            o.append("kind", .string(f.kind.rawValue))
            o.append("severity", .string(f.severity.rawValue))
            o.append("package", .string(node.name))
            o.append("version", .string(node.version))
            o.append("message", .string(f.message))
            if let u = f.details["upgrade_to"] { o.append("upgrade_to", u) }
            Self.appendPaths(nodePaths, to: &o)
            FindingReach(compiled: compiled, node: nodeIndex, scope: req.reach.denyScope, references: references).annotate(&o, finding: f.details)
            return .object(o)
        }))
        doc.append("packages", .array(packageDocs))
        doc.append("issues", .strings(graph.issues))
        doc.append("notes", .strings(notes))
        return .object(doc)
    }

    /// A package's `nerq.report` inside an assessment: where it comes from, and the dependency
    /// paths that pull in each advisory finding.
    /// `paths` (at most `max_paths`, shortest first) and `paths_total`: how many workspace members
    /// pull the package in, so a capped list still says how many there were.
    static func appendPaths(_ paths: ProjectGraph.Paths?, to o: inout JSONObject) {
        o.append("paths", .array((paths?.kept ?? []).map { .strings($0) }))
        o.append("paths_total", .int(Int64(paths?.members ?? 0)))
    }

    static func packageDocument(_ report: Report, _ node: ProjectGraph.Node, paths nodePaths: ProjectGraph.Paths?,
                                reach: FindingReach? = nil, flagged: Bool = false) -> JSONValue {
        guard case .object(var o) = report.json else { return report.json }
        reach?.annotatePackage(&o, detail: flagged)
        var src = JSONObject(capacity: 2)
        src.append("kind", .string(node.source.kind))
        if let raw = node.source.raw { src.append("url", .string(raw)) }
        o.append("source", .object(src))
        if let line = node.lockfileLine { o.append("lockfile_line", .int(Int64(line))) }
        o.append("workspace_member", .bool(node.isMember))
        o.append("dev_only", .bool(node.devOnly))
        if (nodePaths.map { !$0.kept.isEmpty } ?? false) || reach?.active == true, case .array(var fs)? = o["findings"] {
            for j in fs.indices where j < report.findings.count && report.findings[j].isAdvisory {
                if case .object(var f) = fs[j] {
                    if let nodePaths, !nodePaths.kept.isEmpty { appendPaths(nodePaths, to: &f) }
                    reach?.annotate(&f, finding: report.findings[j].details)
                    fs[j] = .object(f)
                }
            }
            o.set("findings", .array(fs))
        }
        if case .git = node.source {
            o.append("note", .string("pulled from git: not matched against registry advisories"))
        }
        return .object(o)
    }

    static func databaseJSON(_ database: AdvisoryDatabase?) -> JSONValue {
        guard let db = database else { return .null }
        var o = JSONObject(capacity: 5)
        o.append("path", .string(db.path))
        o.append("advisories", .int(Int64(db.advisories.count)))
        o.append("newest", .optional(db.newestDate))
        o.append("error_count", .int(Int64(db.errors.count)))
        o.append("errors", .array(db.errors.map { e in
            .object(JSONObject([("file", .string(e.file)), ("line", e.line.map { .int(Int64($0)) } ?? .null), ("message", .string(e.message))]))
        }))
        return .object(o)
    }


    static func summary(_ packages: [ScoredPackage], graph: ProjectGraph, included: [Int], findings: [Finding]) -> JSONValue {
        func counts(_ order: [String], _ values: [String]) -> JSONValue {
            var o = JSONObject(capacity: order.count)
            for k in order { o.append(k, .int(Int64(values.filter { $0 == k }.count))) }
            for extra in Set(values).subtracting(order).sorted() { o.append(extra, .int(Int64(values.filter { $0 == extra }.count))) }
            return .object(o)
        }
        var o = JSONObject(capacity: 10)
        o.append("packages", .int(Int64(packages.count)))
        o.append("skipped_dev_only", .int(Int64(graph.nodes.count - included.count)))
        o.append("by_source", counts(["registry", "git", "path"], included.map { graph.nodes[$0].source.kind }))
        o.append("by_grade", counts(Grade.allCases.map(\.rawValue) + ["none"], packages.map { $0.grade?.rawValue ?? "none" }))
        o.append("by_verdict", counts(VerdictLevel.allCases.map(\.rawValue), packages.map(\.verdict.rawValue)))
        o.append("by_finding_kind", counts(FindingKind.advisoryKinds.map(\.rawValue), findings.map(\.kind.rawValue)))
        o.append("advisories", .int(Int64(Set(findings.compactMap(\.id)).count)))
        o.append("affected_packages", .int(Int64(packages.reduce(0) { $0 + ($1.advisoryFindings.isEmpty ? 0 : 1) })))
        o.append("verified", .int(Int64(packages.reduce(0) { $0 + ($1.verified ? 1 : 0) })))
        let worst = packages.indices
            .compactMap { i in packages[i].trustScore.map { (score: $0, name: packages[i].name, version: packages[i].version ?? "", index: i) } }
            .sorted { a, b in (a.score, a.name, a.version, a.index) < (b.score, b.name, b.version, b.index) }
            .prefix(10)
        o.append("worst", .array(worst.map { key in
            let p = packages[key.index]
            var w = JSONObject(capacity: 6)
            w.append("name", .string(p.name))
            w.append("version", .optional(p.version))
            w.append("trust_score", .optional(p.trustScore))
            w.append("grade", .optional(p.grade?.rawValue))
            w.append("verdict", .string(p.verdict.rawValue))
            w.append("worst_finding", .optional(p.worstFinding))
            return .object(w)
        }))
        return .object(o)
    }
}

/// What an assessment keeps of a package's report: the facts its summary and finding list use,
/// and the full report only when its document goes into `packages[]` (with `reports: "flagged"`,
/// the reports of clean packages are dropped as soon as they are scored, so their memory is
/// reused for the next package).
struct ScoredPackage: Sendable {
    var name: String
    var version: String?
    var trustScore: Double?
    var grade: Grade?
    var verdict: VerdictLevel
    var verified: Bool
    var worstFinding: String?
    var advisoryFindings: [Finding]
    /// Boxed: a report is a large value, and an array of a thousand inline optionals of it would be
    /// megabytes of mostly empty slots.
    var report: Report? { kept?.report }
    private let kept: KeptReport?

    final class KeptReport: Sendable {
        let report: Report
        init(_ report: Report) { self.report = report }
    }

    init(_ report: Report, keepReport scope: AssessRequest.ReportScope) {
        name = report.package.name
        version = report.package.version
        trustScore = report.trustScore
        grade = report.grade
        verdict = report.verdict.level
        verified = report.verified
        worstFinding = report.findings.first?.message
        advisoryFindings = report.findings.filter(\.isAdvisory)
        let flagged = !advisoryFindings.isEmpty || verdict.needsAttention
        kept = scope == .all || flagged ? KeptReport(report) : nil
    }
}
