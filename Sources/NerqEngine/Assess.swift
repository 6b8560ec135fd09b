import NerqAdvisories
import NerqCargo
import NerqConfig
import NerqCore
import NerqIO
import NerqScan
import NerqJSON
import NerqSemver
import NerqThreads

extension Engine {
    /// `nerq_assess`: a project's Cargo.lock (and/or cargo metadata) in, a `nerq.assessment` out.
    public func assess(_ request: JSONValue) throws(NerqError) -> JSONValue {
        .object(try assessment(request, encodingPackages: false).document)
    }

    /// `nerq_assess_str`: the same document as compact JSON text (`JSONText.cString`), in malloc'd
    /// memory the caller frees; nil when memory ran out. The package reports are written straight
    /// into text on all cores (`Report.encode`), with no tree of them built.
    public func assessText(_ request: JSONValue) throws(NerqError) -> UnsafeMutablePointer<CChar>? {
        let (document, runs, fill) = try assessment(request, encodingPackages: true)
        return JSONText.cString(document, splicing: "packages", runs: runs, fill: fill)
    }

    /// The assessment document; with `encodingPackages`, its `packages` member is left empty and
    /// the package reports come encoded beside it, in order, a run of consecutive ones at a time
    /// (`runs`, whose holes `fill`'s items fill).
    func assessment(_ request: JSONValue, encodingPackages: Bool) throws(NerqError)
        -> (document: JSONObject, runs: [JSONText.EncodedItems], fill: [JSONText.EncodedItems]) {
        let req = try AssessRequest.read(request)
        // The advisory files are read on other cores while this thread reads the project (first
        // use only). Every exit waits for that read, so none of this call's work outlives it.
        advisorySource?.startReading()
        defer { _ = advisorySource?.database }
        let config = try ProjectConfig.read(req.configFiles)
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
        let baselineBefore = try req.baseline.flatMap { b throws(NerqError) in b.update ? nil : try Baseline.read(b.path) }
        let database = advisories
        let now = resolveNow(req.now)
        let policy = try projectPolicy(config, req)
        let targetOS = req.targetOS.map { [$0] } ?? config.targetOS
        let targetArch = req.targetArch.map { [$0] } ?? config.targetArch

        let included = graph.nodes.indices.filter { req.includeDev || !graph.nodes[$0].devOnly }
        var notes: [String] = []
        if graph.membersGuessed {
            notes.append("workspace members guessed from the lockfile alone (\(graph.roots.map { graph.nodes[$0].name }.joined(separator: ", "))): "
                         + "without cargo metadata nerq takes the path packages nothing depends on; run it in the project (or pass metadata) to know them")
        }
        // The index caches that hold files, checked once per request: an absent cache (nerq's,
        // before anything was fetched) cost three failed stats per package (~3,400 on deno).
        let indexDirectories = data.indexDirectories.filter { Files.isDirectory($0 + "/.cache") }
        @Sendable func context(_ node: ProjectGraph.Node) -> PackageContext {
            PackageContext(manifestPath: node.manifestPath, manifest: node.manifest, lockfileChecksum: node.hasRegistryChecksum,
                           fromRegistry: node.source == .cratesIO, targetOS: targetOS, targetArch: targetArch,
                           vendorDirs: req.vendorDirs, indexDirectories: indexDirectories)
        }
        // Every package's source is found and scanned first, on many threads (the files may not be
        // in the page cache); each package is then collected and scored like a single one.
        let scans: [LocalSources.Found?] = req.scanSources ? scanCache.scan(included.map { i in
            let node = graph.nodes[i]
            return LocalSources.Wanted(name: node.name, version: node.version, manifestPath: node.manifestPath,
                                       license: node.manifest?.license)
        }, vendorDirs: req.vendorDirs, cargoSources: cargoSourceDirectories, progress: req.progress) : []
        if req.scanSources {
            notes.append("source scanned for \(scans.compactMap { $0 }.count) of \(included.count) packages (found on disk: manifest paths, vendor directories, ~/.cargo/registry/src, /usr/share/cargo/registry)")
        }
        let scoring = Progress(enabled: req.progress, verb: "Scoring", total: included.count, noun: "packages")
        @Sendable func scorePackage(_ k: Int) -> (Report, String?) {
            let node = graph.nodes[included[k]]
            let local: LocalSources.Found?? = .some(k < scans.count ? scans[k] : nil)
            let signals = self.collect(Signals(package: PackageID(name: node.name, version: node.version)),
                                       context: context(node), local: local, now: now)
            defer { scoring.tick() }
            return (Methodology.score(signals, policy: policy, now: now), Engine.indexFile(of: signals))
        }
        // With every report wanted and nothing to add that needs the whole project scored first
        // (dependency paths, the compiled set, references), a package without advisory findings
        // has its document written as soon as it is scored, on the core that scored it, and its
        // report freed there; the others are holes in those runs, written once their paths are
        // known. (The same bytes as writing them all afterwards: TextAssessmentTests.)
        let direct = encodingPackages && req.reports == .all && req.reach.targets.isEmpty && !(req.reach.references && req.scanSources)
        var results: [(ScoredPackage, String?)] = []
        var directRuns: [JSONText.EncodedItems] = []
        if direct {
            let runCount = min(included.count, cpuCount * 8)
            let perRun = parallelMap(Array(0..<runCount)) { r -> ([(ScoredPackage, String?)], JSONText.EncodedItems) in
                let range = (r * included.count / runCount)..<((r + 1) * included.count / runCount)
                var out: [(ScoredPackage, String?)] = []
                out.reserveCapacity(range.count)
                let items = JSONText.items(range) { sink, k in
                    let (report, indexFile) = scorePackage(k)
                    let package = ScoredPackage(report, keeping: .withAdvisoryFindings)
                    out.append((package, indexFile))
                    guard !package.hasReport else { return false }
                    let (_, tail) = Self.packageAdditions(report, graph.nodes[included[k]], paths: nil, reach: nil, flagged: false,
                                                          alternatives: nil)
                    report.encode(into: &sink, tail: tail)
                    return true
                }
                return (out, items)
            }
            results.reserveCapacity(included.count)
            for (out, items) in perRun {
                results += out
                directRuns.append(items)
            }
        } else {
            results = parallelMap(Array(included.indices)) { k in
                let (report, indexFile) = scorePackage(k)
                return (ScoredPackage(report, keeping: .scope(req.reports)), indexFile)
            }
        }
        let scored = results.map(\.0)
        let indexFiles = results.compactMap(\.1)
        if database == nil {
            notes.append("no advisory database: packages were not checked for advisories (run `cargo nerq fetch`, or set advisory_db, NERQ_ADVISORY_DB or ~/.cargo/advisory-db)")
        }
        for i in included where graph.nodes[i].source == .cratesIO && (try? Version.parse(graph.nodes[i].version)) == nil {
            notes.append("\(graph.nodes[i].label): version is not semver; not checked for advisories")
        }
        for file in config.files {
            for note in file.notes { notes.append("\(file.path): \(note)") }
        }

        // What is compiled for the requested targets (nothing is computed when none are asked for).
        var scanned: [Int: LocalSources.Found] = [:]
        for (k, found) in scans.enumerated() where k < included.count { if let found { scanned[included[k]] = found } }
        // Manifests are read for the compiled set even when the engine scans no sources.
        let manifestSources = scanSources ? cargoSourceDirectories : CrateLocator.sourceDirectories(cargoHome: environment.cargoHome)
        func gather(_ only: Set<Int>?) -> ProjectManifests {
            ProjectManifests.gather(graph: graph, lockfilePath: req.lockfilePath, metadata: metadata, scanned: scanned,
                                    vendorDirs: req.vendorDirs, cargoSources: manifestSources, only: only)
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

        // Dependency paths and dependents, for the packages that have advisory findings.
        var flaggedNodes = Set<Int>()
        for (k, p) in scored.enumerated() where !p.advisoryFindings.isEmpty { flaggedNodes.insert(included[k]) }
        let flagged = flaggedNodes
        // What keeps each flagged package out of a build, searched once for its report, its
        // document and each of its findings.
        let compiled = compiledAnalysis?.explaining(flagged)
        let reverse = graph.reverseEdges()
        let paths = graph.paths(to: flagged, limit: req.maxPaths, reverse: reverse)
        let treeNodes = req.tree ? graph.pullingIn(flagged, reverse: reverse) : []

        // The gates, settled before the findings: whether each counts depends on the gate's scope.
        let gate = Gate.settle(config, req.gates)

        // Each package's report document, built on all cores (input order kept).
        let reported = scored.indices.filter { scored[$0].hasReport }
        // Each report is handed over, written with what the assessment adds, and freed on the core
        // that wrote it: as a tree, or (`encodingPackages`) straight into text.
        typealias Additions = (annotate: ((Int, inout JSONObject) -> Void)?, tail: JSONObject)
        @Sendable func packageReport(_ k: Int) -> (Report, Additions)? {
            guard let report = scored[k].takeReport() else { return nil }
            let node = included[k]
            let reach = FindingReach(compiled: compiled, node: node, scope: gate.scope.scope, references: references)
            // Safer crates for the packages an advisory keeps from being verified (with a registry).
            let alternatives = flagged.contains(node) ? self.alternatives(for: report, now: now) : nil
            return (report, Self.packageAdditions(report, graph.nodes[node], paths: paths[node], reach: reach,
                                                  flagged: flagged.contains(node), alternatives: alternatives))
        }
        let packageDocs: [JSONValue] = encodingPackages ? [] : parallelMap(reported) { k in
            guard let (report, additions) = packageReport(k) else { return .null }
            return report.document(annotatingFindings: additions.annotate, tail: additions.tail)
        }
        // A few runs per core: enough to balance, few enough that their buffers cost nothing.
        let runs = min(reported.count, cpuCount * 8)
        let encodedDocs: [JSONText.EncodedItems] = encodingPackages ? parallelMap(Array(0..<runs)) { r in
            JSONText.items((r * reported.count / runs)..<((r + 1) * reported.count / runs)) { sink, j in
                if let (report, additions) = packageReport(reported[j]) {
                    report.encode(into: &sink, annotatingFindings: additions.annotate, tail: additions.tail)
                } else {
                    sink.value(.null)
                }
                return true
            }
        } : []

        // The project's findings: which the configuration reports, what a baseline knew, the fix.
        var versionsOfName: [String: Int] = [:]
        for n in graph.nodes { versionsOfName[n.name, default: 0] += 1 }
        var findings: [ProjectFinding] = []
        for (k, p) in scored.enumerated() {
            let i = included[k]
            let node = graph.nodes[i]
            for f in p.advisoryFindings {
                var pf = ProjectFinding(finding: f, node: i, paths: paths[i])
                // With several versions of the name in Cargo.lock, cargo needs `-p name@version`.
                if (versionsOfName[node.name] ?? 1) > 1, case .object(var fix)? = f.details["fix"], case .string? = fix["command"],
                   case .string(let to)? = fix["to"] {
                    fix.set("command", .string("cargo update -p \(node.name)@\(node.version) --precise \(to)"))
                    pf.finding.details.set("fix", .object(fix))
                }
                pf.reach = FindingReach(compiled: compiled, node: i, scope: gate.scope.scope, references: references)
                    .annotation(id: f.id, details: f.details)
                pf.notReported = FindingScope.reason(pf, config.reporting, graph: graph, dependents: reverse)
                findings.append(pf)
            }
        }
        findings.sort { ProjectFinding.ordered($0, $1, graph) }
        var shown = findings.filter { $0.notReported == nil }
        let hidden = findings.filter { $0.notReported != nil }
        let entries = shown.map { f in Baseline.Entry(id: f.id, kind: f.kind, package: graph.nodes[f.node].name, version: graph.nodes[f.node].version) }
        var baselineDoc: JSONValue = .null
        if let b = req.baseline {
            baselineDoc = try Self.baseline(b, before: baselineBefore, current: entries, findings: &shown, now: now)
        }

        // Ignore entries: the engine's policy, the files', the request's; each with its fate.
        var ignoredHits: [(package: String, version: String, advisory: IgnoredAdvisory)] = []
        var counted: [(package: String, version: String, finding: Finding)] = []
        for (k, p) in scored.enumerated() {
            let node = graph.nodes[included[k]]
            for a in p.ignored where a.rule != nil { ignoredHits.append((node.name, node.version, a)) }
            for f in p.advisoryFindings { counted.append((node.name, node.version, f)) }
        }
        let ignoreEntries = IgnoreReport.entries(rules: policy.ignore, ignored: ignoredHits, counted: counted, database: database, now: now)

        let members = included.map { graph.nodes[$0].isMember }
        let gateDoc = gate.evaluate(findings: shown, graph: graph, packages: scored, members: members, ignores: ignoreEntries,
                                    baseline: req.baseline != nil)

        var doc = JSONObject(capacity: 20)
        doc.append("kind", "nerq.assessment")
        doc.append("version", 1)
        doc.append("now", .string(now.description))
        var project = JSONObject()
        project.append("lockfile", .optional(req.lockfilePath))
        project.append("lockfile_format", lockfile.map { .int(Int64($0.format)) } ?? .null)
        project.append("metadata", .bool(metadata != nil))
        project.append("workspace_root", .optional(metadata?.workspaceRoot))
        project.append("workspace_members", .strings(graph.roots.map { graph.nodes[$0].label }))
        project.append("members_guessed", .bool(graph.membersGuessed))
        project.append("packages", .int(Int64(graph.nodes.count)))
        doc.append("project", .object(project))
        let (sources, warnings) = freshnessJSON(now: now, indexFiles: indexFiles)
        doc.append("database", databaseJSON(database, now: now))
        doc.append("options", .object(JSONObject([
            ("include_dev", .bool(req.includeDev)), ("target_os", .optional(req.targetOS)),
            ("target_arch", .optional(req.targetArch)), ("ignore", .strings(req.ignores.map(\.id))),
            ("reports", .string(req.reports.rawValue)), ("max_paths", .int(Int64(req.maxPaths))),
            // The platforms advisories were matched for: the request's, else the config files'.
            ("targets", .object(JSONObject([("os", .strings(targetOS)), ("arch", .strings(targetArch))]))),
            // What is compiled and referenced (docs/reachability.md): the request's reach options.
            ("reach", .object(JSONObject(req.reach.json))),
        ])))
        if let compiled { doc.append("compiled", compiled.json) }
        doc.append("config", Self.configJSON(config))
        doc.append("summary", Self.summary(scored, graph: graph, included: included, findings: shown, hidden: hidden.count,
                                           ignored: ignoredHits.count))
        let treeIndex = Self.indexOf(treeNodes, count: graph.nodes.count)
        doc.append("findings", .array(shown.map { f in f.json(graph, treeNode: req.tree ? treeIndex[f.node] : nil) }))
        doc.append("not_reported", .array(hidden.map { f in
            var o = f.reference
            o.append("package", .string(graph.nodes[f.node].name))
            o.append("version", .string(graph.nodes[f.node].version))
            o.append("reason", .optional(f.notReported))
            return .object(o)
        }))
        doc.append("ignores", .array(ignoreEntries.map(\.json)))
        if req.baseline != nil { doc.append("baseline", baselineDoc) }
        doc.append("gate", gateDoc)
        if req.tree { doc.append("dependents", Self.dependentsJSON(treeNodes, treeIndex, graph: graph, reverse: reverse)) }
        doc.append("packages", .array(packageDocs))
        doc.append("issues", .strings(graph.issues))
        doc.append("notes", .strings(notes))
        doc.append("sources", sources)
        doc.append("warnings", .strings(warnings))
        return direct ? (doc, directRuns, encodedDocs) : (doc, encodedDocs, [])
    }

    /// The engine's policy with a project's nerq.toml `[policy]` over it, and every ignore entry:
    /// the engine's, the files', the request's (in that order).
    func projectPolicy(_ config: ProjectConfig, _ req: AssessRequest) throws(NerqError) -> Policy {
        var policy = self.policy
        if let p = config.policy {
            do {
                policy = try Policy.read(JSONReader(p.json, path: "$"), base: policy)
            } catch {
                throw NerqError(error.code, "\(p.source): [policy]: \(error.message)", path: p.source)
            }
        }
        policy.ignore += config.ignores + req.ignores
        return policy
    }

    /// Compares with the recorded baseline (or records one) and marks each shown finding known or new.
    static func baseline(_ b: AssessRequest.BaselineOptions, before: (entries: [Baseline.Entry], recorded: String?)?,
                         current: [Baseline.Entry], findings: inout [ProjectFinding], now: Timestamp) throws(NerqError) -> JSONValue {
        var o = JSONObject(capacity: 8)
        o.append("path", .string(b.path))
        guard let before else {
            let existed = Files.exists(b.path)
            try Baseline.write(b.path, current, now: now)
            for i in findings.indices { findings[i].baseline = "known" }
            o.append("status", .string(existed ? "updated" : "written"))
            o.append("recorded", .string(now.description))
            o.append("known", .int(Int64(findings.count)))
            o.append("new", .int(0))
            o.append("gone", .array([]))
            return .object(o)
        }
        let recordedKeys = Set(before.entries.map(\.key))
        let currentKeys = Set(current.map(\.key))
        for i in findings.indices { findings[i].baseline = recordedKeys.contains(current[i].key) ? "known" : "new" }
        let gone = before.entries.filter { !currentKeys.contains($0.key) }.sorted()
        o.append("status", .string("compared"))
        o.append("recorded", .optional(before.recorded))
        o.append("known", .int(Int64(findings.filter { $0.baseline == "known" }.count)))
        o.append("new", .int(Int64(findings.filter { $0.baseline == "new" }.count)))
        o.append("gone", .array(gone.map(\.json)))
        return .object(o)
    }

    static func configJSON(_ config: ProjectConfig) -> JSONValue {
        var o = JSONObject(capacity: 3)
        o.append("files", .array(config.files.map { f in
            .object(JSONObject([("path", .string(f.path)), ("format", .string(f.format.rawValue)), ("notes", .strings(f.notes))]))
        }))
        var output = JSONObject(capacity: 4)
        output.append("format", .optional(config.output.format))
        output.append("quiet", config.output.quiet.map { .bool($0) } ?? .null)
        output.append("show_tree", config.output.showTree.map { .bool($0) } ?? .null)
        output.append("source", .optional(config.output.source))
        o.append("output", .object(output))
        return .object(o)
    }

    /// Position of each graph index in `nodes` (-1 where absent), for O(1) lookups.
    static func indexOf(_ nodes: [Int], count: Int) -> [Int: Int] {
        var out: [Int: Int] = [:]
        for (k, n) in nodes.enumerated() where n >= 0 && n < count { out[n] = k }
        return out
    }

    /// `{"nodes": [{"name", "version", "workspace_member", "dev_only"}], "dependents": [[k, ...]]}`:
    /// every package that pulls in a flagged one, and each one's direct dependents among them (by
    /// position in `nodes`). A finding's `tree_node` is its package's position: the inverted tree
    /// is the walk up `dependents` from there.
    static func dependentsJSON(_ nodes: [Int], _ index: [Int: Int], graph: ProjectGraph, reverse: [[Int]]) -> JSONValue {
        var o = JSONObject(capacity: 2)
        o.append("nodes", .array(nodes.map { i in
            let n = graph.nodes[i]
            return .object(JSONObject([("name", .string(n.name)), ("version", .string(n.version)),
                                       ("workspace_member", .bool(n.isMember)), ("dev_only", .bool(n.devOnly))]))
        }))
        var stamp = [Int](repeating: -1, count: graph.nodes.count)
        o.append("dependents", .array(nodes.enumerated().map { k, i in
            var list: [JSONValue] = []
            for from in reverse[i] where stamp[from] != k {
                stamp[from] = k
                if let pos = index[from] { list.append(.int(Int64(pos))) }
            }
            return .array(list)
        }))
        return .object(o)
    }

    /// A package's `nerq.report` inside an assessment: where it comes from, and the dependency
    /// paths that pull in each advisory finding.
    /// `paths` (at most `max_paths`, shortest first) and `paths_total`: how many workspace members
    /// pull the package in, so a capped list still says how many there were.
    static func appendPaths(_ paths: ProjectGraph.Paths?, to o: inout JSONObject) {
        o.append("paths", .array((paths?.kept ?? []).map { .strings($0) }))
        o.append("paths_total", .int(Int64(paths?.members ?? 0)))
    }

    /// What an assessment adds to a package's report: each advisory finding's dependency paths
    /// and reach (`annotate`, by index in `report.findings`), then (`tail`) the package's compiled
    /// status, where it comes from, and safer crates for a flagged one.
    static func packageAdditions(_ report: Report, _ node: ProjectGraph.Node, paths nodePaths: ProjectGraph.Paths?,
                                 reach: FindingReach?, flagged: Bool, alternatives: JSONValue?)
        -> (annotate: ((Int, inout JSONObject) -> Void)?, tail: JSONObject) {
        var tail = JSONObject(capacity: 8)
        reach?.annotatePackage(&tail, detail: flagged)
        var src = JSONObject(capacity: 2)
        src.append("kind", .string(node.source.kind))
        if let raw = node.source.raw { src.append("url", .string(raw)) }
        tail.append("source", .object(src))
        if let line = node.lockfileLine { tail.append("lockfile_line", .int(Int64(line))) }
        tail.append("workspace_member", .bool(node.isMember))
        tail.append("dev_only", .bool(node.devOnly))
        if case .git = node.source {
            tail.append("note", .string("pulled from git: not matched against registry advisories"))
        }
        if let alternatives { tail.append("alternatives", alternatives) }
        guard (nodePaths.map { !$0.kept.isEmpty } ?? false) || reach?.active == true else { return (nil, tail) }
        let annotate = { (j: Int, f: inout JSONObject) in
            guard j < report.findings.count, report.findings[j].isAdvisory else { return }
            if let nodePaths, !nodePaths.kept.isEmpty { appendPaths(nodePaths, to: &f) }
            reach?.annotate(&f, finding: report.findings[j].details)
        }
        return (annotate, tail)
    }

    /// The advisory data an assessment used: the database's path, size, newest advisory and load
    /// errors, then where it came from and how old it is, and the OSV data merged into it.
    func databaseJSON(_ database: AdvisoryDatabase?, now: Timestamp) -> JSONValue {
        guard let db = database, let state = advisorySource?.state else { return .null }
        var o = JSONObject(capacity: 16)
        o.append("path", .string(db.path))
        o.append("advisories", .int(Int64(db.advisories.count)))
        o.append("newest", .optional(state.newestRustSec ?? db.newestDate))
        o.append("error_count", .int(Int64(db.errors.count)))
        o.append("errors", .array(db.errors.map { e in
            .object(JSONObject([("file", .string(e.file)), ("line", e.line.map { .int(Int64($0)) } ?? .null), ("message", .string(e.message))]))
        }))
        let freshness = advisoryFreshness()
        let main = freshness.first(where: { $0.source == "advisory_db" })?.json(now: now, maxDays: data.maxStalenessDays).objectValue
        for key in ["origin", "url", "fetched_at", "checked_at", "age_days", "stale"] { o.append(key, main?[key] ?? .null) }
        o.append("max_staleness_days", .int(data.maxStalenessDays))
        o.append("osv", .array(freshness.filter { $0.source == "osv" }.map { $0.json(now: now, maxDays: data.maxStalenessDays) }))
        if let m = state.merge {
            o.append("merged", .object(JSONObject([
                ("osv_records", .int(Int64(m.osvRecords))), ("merged_into_rustsec", .int(Int64(m.mergedIntoRustSec))),
                ("merged_into_osv", .int(Int64(m.mergedIntoOSV))), ("added", .int(Int64(m.added))),
            ])))
        }
        return .object(o)
    }


    /// Counts that add up: `findings` (reported) is the sum of `by_finding_kind`; `advisories`
    /// counts distinct advisory ids among them; `affected_packages` the packages they are in;
    /// `not_reported` and `ignored` what the configuration left out.
    static func summary(_ packages: [ScoredPackage], graph: ProjectGraph, included: [Int], findings: [ProjectFinding],
                        hidden: Int, ignored: Int) -> JSONValue {
        func counts(_ order: [String], _ values: [String]) -> JSONValue {
            var o = JSONObject(capacity: order.count)
            for k in order { o.append(k, .int(Int64(values.filter { $0 == k }.count))) }
            for extra in Set(values).subtracting(order).sorted() { o.append(extra, .int(Int64(values.filter { $0 == extra }.count))) }
            return .object(o)
        }
        var o = JSONObject(capacity: 14)
        o.append("packages", .int(Int64(packages.count)))
        o.append("skipped_dev_only", .int(Int64(graph.nodes.count - included.count)))
        o.append("by_source", counts(["registry", "git", "path"], included.map { graph.nodes[$0].source.kind }))
        o.append("by_grade", counts(Grade.allCases.map(\.rawValue) + ["none"], packages.map { $0.grade?.rawValue ?? "none" }))
        o.append("by_verdict", counts(VerdictLevel.allCases.map(\.rawValue), packages.map(\.verdict.rawValue)))
        o.append("findings", .int(Int64(findings.count)))
        o.append("by_finding_kind", counts(FindingKind.advisoryKinds.map(\.rawValue), findings.map(\.kind)))
        o.append("advisories", .int(Int64(Set(findings.map(\.id)).count)))
        o.append("affected_packages", .int(Int64(Set(findings.map(\.node)).count)))
        o.append("not_reported", .int(Int64(hidden)))
        o.append("ignored", .int(Int64(ignored)))
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
    /// Advisories that did not count (withdrawn, or an ignore entry matched them).
    var ignored: [IgnoredAdvisory]
    /// Boxed: a report is a large value, and an array of a thousand inline optionals of it would be
    /// megabytes of mostly empty slots.
    var hasReport: Bool { kept != nil }
    private let kept: KeptReport?

    /// The report, handed over once: its document is built from it, and it is freed on the core
    /// that built the document rather than with all the others at the end.
    func takeReport() -> Report? { kept?.take() }

    /// Written only by `take`, which the one worker that builds this package's document calls once.
    final class KeptReport: @unchecked Sendable {
        private var report: Report?
        init(_ report: Report) { self.report = report }

        func take() -> Report? {
            var taken: Report?
            swap(&taken, &report)  // moved out, not copied
            return taken
        }
    }

    /// Which reports are kept: the request's scope, or (an assessment writing the others as they
    /// are scored) only those with advisory findings.
    enum Keeping {
        case scope(AssessRequest.ReportScope)
        case withAdvisoryFindings
    }

    init(_ report: Report, keeping: Keeping) {
        name = report.package.name
        version = report.package.version
        trustScore = report.trustScore
        grade = report.grade
        verdict = report.verdict.level
        verified = report.verified
        worstFinding = report.findings.first?.message
        advisoryFindings = report.findings.filter(\.isAdvisory)
        ignored = report.ignoredAdvisories
        let keep: Bool
        switch keeping {
        case .scope(let scope): keep = scope == .all || !advisoryFindings.isEmpty || verdict.needsAttention
        case .withAdvisoryFindings: keep = !advisoryFindings.isEmpty
        }
        kept = keep ? KeptReport(report) : nil
    }
}
