import NerqJSON

/// SARIF 2.1.0 (OASIS, errata 01) for code scanning: one rule per finding kind, one result per
/// finding and package version, located in Cargo.lock (a project) or by package name (one crate,
/// a preflight). Valid against the OASIS schema (tests check every output).
struct SARIF {
    let options: RenderOptions
    let version: String

    static let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    struct Rule {
        var name: String
        var level: String
        var short: String
        var help: String
        var helpURI: String?
    }

    /// The advisory kinds, in the order summaries count them.
    static let known: [(kind: String, rule: Rule)] = [
        ("vulnerability", Rule(
            name: "Vulnerability", level: "error", short: "A dependency version has a known security vulnerability",
            help: "A RustSec advisory reports a security vulnerability in this version of the crate. Upgrade to a "
                + "patched version (the result names the smallest one above the locked version) with `cargo update -p "
                + "NAME --precise VERSION`, or remove the dependency. When no patched version exists, check whether "
                + "the affected functions are reachable from your code and consider an alternative crate.",
            helpURI: "https://rustsec.org/advisories/")),
        ("unsound", Rule(
            name: "Unsound", level: "warning", short: "A dependency version has unsound code (undefined behaviour from safe code)",
            help: "A RustSec informational advisory reports that this version lets safe code cause undefined "
                + "behaviour. Upgrade to a patched version when there is one; otherwise avoid the affected API.",
            helpURI: "https://rustsec.org/advisories/")),
        ("unmaintained", Rule(
            name: "Unmaintained", level: "note", short: "A dependency is no longer maintained",
            help: "A RustSec informational advisory reports that the crate is unmaintained: future vulnerabilities "
                + "may never be fixed. Plan a move to the alternatives the advisory suggests.",
            helpURI: "https://rustsec.org/advisories/")),
        ("notice", Rule(
            name: "Notice", level: "note", short: "A RustSec notice concerns a dependency",
            help: "A RustSec informational notice concerns this crate; read the advisory for what to do.",
            helpURI: "https://rustsec.org/advisories/")),
        ("yanked", Rule(
            name: "Yanked", level: "warning", short: "A dependency version was yanked from the registry",
            help: "This version was yanked from crates.io, usually because it is broken or insecure. Move to a "
                + "version that is not yanked (`cargo update -p NAME`).",
            helpURI: "https://rustsec.org/advisories/")),
        ("malicious", Rule(
            name: "Malicious", level: "error", short: "A dependency is a malicious crate",
            help: "A RustSec advisory reports this crate as malicious. Remove it at once, and treat any machine that "
                + "built or ran it as compromised.",
            helpURI: "https://rustsec.org/advisories/")),
    ]

    static func level(_ severity: String?) -> String {
        switch severity {
        case "critical", "high": return "error"
        case "low", "info", "none": return "note"
        default: return "warning"
        }
    }

    /// A kind as a rule id component: only `[a-z0-9_-]` (a kind nerq does not know yet keeps its
    /// name; anything else in it becomes `_`).
    static func ruleKind(_ kind: String?) -> String {
        let k = kind ?? "finding"
        let cleaned = String(k.unicodeScalars.map { s -> Character in
            let v = s.value
            let ok = (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || v == 0x5F || v == 0x2D
            return ok ? Character(s) : "_"
        })
        return cleaned.isEmpty ? "finding" : String(cleaned.prefix(64))
    }

    /// The rules: the six advisory kinds always (a stable list for code scanning), then any other
    /// kind the results use, in order of first use.
    static func rules(for findings: [Finding]) -> (rules: [JSONValue], index: [String: Int]) {
        var kinds = known.map(\.kind)
        var seen = Set(kinds)
        var extra: [(String, String?)] = []
        for f in findings {
            let k = ruleKind(f.kind)
            if !seen.contains(k) {
                seen.insert(k)
                kinds.append(k)
                extra.append((k, f.severity))
            }
        }
        var rules: [JSONValue] = []
        for (kind, rule) in known { rules.append(ruleJSON(kind, rule)) }
        for (kind, severity) in extra {
            let name = Words.capitalized(Words.humanize(kind))
            rules.append(ruleJSON(kind, Rule(name: name, level: level(severity), short: "nerq finding: \(Words.humanize(kind))",
                                             help: "nerq reports a finding of kind \(kind) for this package; its message says what was found.",
                                             helpURI: nil)))
        }
        var index: [String: Int] = [:]
        for (i, k) in kinds.enumerated() { index[k] = i }
        return (rules, index)
    }

    static func ruleJSON(_ kind: String, _ rule: Rule) -> JSONValue {
        var o = JSONObject()
        o.append("id", .string("nerq/\(kind)"))
        o.append("name", .string(rule.name))
        o.append("shortDescription", ["text": .string(rule.short)])
        // The first sentence (up to ". "), as the Python renderer had it.
        var firstSentence = rule.help
        if let stop = rule.help.firstRange(of: ". ") { firstSentence = String(rule.help[..<stop.lowerBound]) + "." }
        o.append("fullDescription", ["text": .string(firstSentence)])
        o.append("help", ["text": .string(rule.help), "markdown": .string(rule.help)])
        if let uri = rule.helpURI { o.append("helpUri", .string(uri)) }
        o.append("defaultConfiguration", ["level": .string(rule.level)])
        o.append("properties", ["tags": .strings(["security", "supply-chain", kind])])
        return .object(o)
    }

    /// A message as SARIF viewers and CI logs show it: one line, no hazard, no workflow command.
    static func message(_ s: String) -> String {
        String(decoding: WorkflowGuard.apply(Array(Escape.terminal(s).utf8), style: .text), as: UTF8.self)
    }

    func document(results: [JSONValue], rules: [JSONValue], properties: JSONObject, baseIDs: JSONObject?,
                  notifications: [JSONValue]) -> [UInt8] {
        var driver = JSONObject()
        driver.append("name", "nerq")
        driver.append("version", .string(version))
        driver.append("semanticVersion", .string(version))
        driver.append("rules", .array(rules))
        driver.append("properties", ["methodology": "1"])
        var invocation = JSONObject()
        invocation.append("executionSuccessful", true)
        if !notifications.isEmpty { invocation.append("toolExecutionNotifications", .array(notifications)) }
        var run = JSONObject()
        run.append("tool", ["driver": .object(driver)])
        run.append("invocations", [.object(invocation)])
        run.append("results", .array(results))
        run.append("columnKind", "utf16CodeUnits")
        run.append("properties", .object(properties))
        if let baseIDs { run.append("originalUriBaseIds", .object(baseIDs)) }
        var sarif = JSONObject()
        sarif.append("$schema", .string(SARIF.schema))
        sarif.append("version", "2.1.0")
        sarif.append("runs", [.object(run)])
        var bytes = JSONOut.pretty(.object(sarif))
        bytes.append(0x0A)
        return WorkflowGuard.apply(bytes, style: .json)
    }

    static func fingerprint(_ id: String?, _ package: String, _ version: String?) -> JSONValue {
        ["nerqFinding/v1": .string(SHA256.hex("\(id ?? "")|\(package)|\(version ?? "")"))]
    }

    // MARK: a project

    /// Cargo.lock's artifactLocation, and run.originalUriBaseIds when it lies below the base
    /// directory (options.base, else the workspace root).
    func artifact(_ lockfile: String?, base: String?) -> (JSONObject, JSONObject?) {
        guard let lockfile else { return (JSONObject([("uri", "Cargo.lock"), ("uriBaseId", "SRCROOT")]), nil) }
        guard let base else {
            if lockfile.hasPrefix("/") { return (JSONObject([("uri", .string(Paths.fileURI(lockfile)))]), nil) }
            return (JSONObject([("uri", .string(Paths.percentEncoded(Paths.normalize(lockfile)))), ("uriBaseId", "SRCROOT")]), nil)
        }
        let path = Paths.join(base, lockfile)
        guard let rel = Paths.relative(path, to: base) else { return (JSONObject([("uri", .string(Paths.fileURI(path)))]), nil) }
        var baseURI = Paths.fileURI(base)
        if !baseURI.hasSuffix("/") { baseURI += "/" }
        let ids = JSONObject([("SRCROOT", ["uri": .string(baseURI), "description": ["text": "The workspace root"]])])
        return (JSONObject([("uri", .string(Paths.percentEncoded(rel))), ("uriBaseId", "SRCROOT")]), ids)
    }

    func assessment(_ doc: Assessment) -> [UInt8] {
        let (rules, ruleIndex) = SARIF.rules(for: doc.findings)
        var byPackage: [String: Int] = [:]
        // A package's own record of an advisory (CVSS, aliases, patched), by package and advisory id.
        var details: [String: Finding] = [:]
        for (i, p) in doc.packages.enumerated() where byPackage[p.package.label] == nil {
            byPackage[p.package.label] = i
            for f in p.findings {
                guard let id = f.id else { continue }
                let key = p.package.label + "\u{0}" + id
                if details[key] == nil { details[key] = f }
            }
        }
        let (artifact, baseIDs) = self.artifact(doc.lockfile, base: options.base ?? doc.workspaceRoot)
        var results: [JSONValue] = []
        for f in doc.findings {
            let kind = SARIF.ruleKind(f.kind)
            let package = f.package ?? "?"
            let label = f.version.map { "\(package) \($0)" } ?? package
            let report = byPackage[label].map { doc.packages[$0] }
            let detail = f.id.flatMap { details[label + "\u{0}" + $0] } ?? f
            var physical = JSONObject()
            physical.append("artifactLocation", .object(artifact))
            if let line = report?.lockfileLine, line >= 1 { physical.append("region", ["startLine": .int(line)]) }
            // What is known of its code closes the message: a code-scanning UI shows only the message.
            let reachText = f.reach.lines.isEmpty ? "" : " (" + f.reach.lines.joined(separator: "; ") + ")"
            let text = SARIF.message("\(label): \(f.text)\(reachText)")
            var markdown = "\(Escape.markdownCode(label, inTable: false)): \(Escape.markdown(f.text))"
            if let id = f.id, let link = Words.advisoryLink(detail) { markdown += " (\(Markdown.link(id, link)))" }
            if !reachText.isEmpty { markdown += Escape.markdown(reachText) }
            var props = JSONObject()
            props.append("advisory", .optional(f.id))
            props.append("package", .string(package))
            props.append("version", .optional(f.version))
            props.append("severity", .optional(f.severity))
            if let cvss = detail.cvss { props.append("cvss", .string(cvss)) }
            if let score = detail.cvssScore { props.append("cvss_score", .double(score)) }
            if !detail.aliases.isEmpty { props.append("aliases", .strings(detail.aliases)) }
            if let url = detail.url { props.append("url", .string(url)) }
            if !detail.patched.isEmpty { props.append("patched", .strings(detail.patched)) }
            if let up = f.upgradeTo ?? detail.upgradeTo { props.append("upgrade_to", .string(up)) }
            if !f.paths.isEmpty { props.append("dependency_paths", .strings(f.paths.map { $0.joined(separator: " > ") })) }
            if let total = f.pathsTotal { props.append("paths_total", .int(total)) }
            if let command = f.fix?.command { props.append("fix_command", .string(command)) }
            if let text = f.fix?.text { props.append("fix", .string(text)) }
            if let score = report?.score { props.append("trust_score", .double(score)) }
            f.reach.properties(into: &props)
            var result = JSONObject()
            result.append("ruleId", .string("nerq/\(kind)"))
            result.append("ruleIndex", .int(Int64(ruleIndex[kind] ?? 0)))
            result.append("level", .string(SARIF.level(f.severity)))
            result.append("message", ["text": .string(text), "markdown": .string(SARIF.message(markdown))])
            result.append("locations", [["physicalLocation": .object(physical),
                                         "logicalLocations": [["name": .string(label), "kind": "package"]]]])
            result.append("partialFingerprints", SARIF.fingerprint(f.id, package, f.version))
            // Against a baseline: new findings are "new", recorded ones "unchanged" (SARIF 3.27.24).
            if let b = f.baseline { result.append("baselineState", .string(b == "new" ? "new" : "unchanged")) }
            result.append("properties", .object(props))
            results.append(.object(result))
        }
        var properties = JSONObject()
        properties.append("database", doc.rawDatabase ?? .null)
        if case .object(let s)? = doc.rawSummary {
            var summary = JSONObject()
            for e in s.entries where e.key != "worst" { summary.append(e.key, e.value) }
            properties.append("summary", .object(summary))
        }
        // Which configuration files were read, each ignore entry and its fate, the gate, the baseline.
        for (key, value) in doc.rawExtras { properties.append(key, value) }
        let notifications: [JSONValue] = (doc.database?.errors ?? []).map { e in
            ["level": "warning", "message": ["text": .string(SARIF.message("\(e.file ?? "?"):\(e.line ?? 0): \(e.message ?? "")"))]]
        }
        return document(results: results, rules: rules, properties: properties, baseIDs: baseIDs, notifications: notifications)
    }

    // MARK: one crate

    /// A result per finding above info, located by package name (no file of the user's project is
    /// involved when one crate is asked about).
    func report(_ r: Report) -> [UInt8] {
        let findings = r.notable
        let (rules, ruleIndex) = SARIF.rules(for: findings)
        let label = r.package.label
        var results: [JSONValue] = []
        for f in findings {
            let kind = SARIF.ruleKind(f.kind)
            var markdown = "\(Escape.markdownCode(label, inTable: false)): \(Escape.markdown(f.text))"
            if let id = f.id, let link = Words.advisoryLink(f) { markdown += " (\(Markdown.link(id, link)))" }
            var props = JSONObject()
            props.append("advisory", .optional(f.id))
            props.append("package", .string(r.package.name))
            props.append("version", .optional(r.package.version))
            props.append("severity", .optional(f.severity))
            if !f.aliases.isEmpty { props.append("aliases", .strings(f.aliases)) }
            if let url = f.url { props.append("url", .string(url)) }
            if !f.patched.isEmpty { props.append("patched", .strings(f.patched)) }
            if let up = f.upgradeTo { props.append("upgrade_to", .string(up)) }
            if let score = r.score { props.append("trust_score", .double(score)) }
            var result = JSONObject()
            result.append("ruleId", .string("nerq/\(kind)"))
            result.append("ruleIndex", .int(Int64(ruleIndex[kind] ?? 0)))
            result.append("level", .string(SARIF.level(f.severity)))
            result.append("message", ["text": .string(SARIF.message("\(label): \(f.text)")), "markdown": .string(SARIF.message(markdown))])
            result.append("locations", [["logicalLocations": [["name": .string(label), "kind": "package"]]]])
            result.append("partialFingerprints", SARIF.fingerprint(f.id ?? f.kind, r.package.name, r.package.version))
            result.append("properties", .object(props))
            results.append(.object(result))
        }
        var properties = JSONObject()
        properties.append("package", .string(label))
        properties.append("trust_score", .optional(r.score))
        properties.append("grade", .optional(r.grade))
        properties.append("verdict", .string(r.level))
        properties.append("recommendation", .optional(r.recommendation))
        return document(results: results, rules: rules, properties: properties, baseIDs: nil, notifications: [])
    }

    // MARK: preflight

    /// A result per risk flag (a preflight names flags and CVE ids, not advisories).
    func preflight(_ p: Preflight) -> [UInt8] {
        let findings = p.riskFlags.map { Finding(severity: $0 == "vulnerability" || $0 == "malicious" ? "high" : "medium", kind: $0) }
        let (rules, ruleIndex) = SARIF.rules(for: findings)
        var results: [JSONValue] = []
        for f in findings {
            let kind = SARIF.ruleKind(f.kind)
            var text = "\(p.name): \(Words.humanize(f.kind ?? "finding"))"
            if f.kind == "vulnerability" && !p.knownCVEs.isEmpty { text += " (\(p.knownCVEs.joined(separator: ", ")))" }
            var result = JSONObject()
            result.append("ruleId", .string("nerq/\(kind)"))
            result.append("ruleIndex", .int(Int64(ruleIndex[kind] ?? 0)))
            result.append("level", .string(SARIF.level(f.severity)))
            result.append("message", ["text": .string(SARIF.message(text))])
            result.append("locations", [["logicalLocations": [["name": .string(p.name), "kind": "package"]]]])
            result.append("partialFingerprints", SARIF.fingerprint(f.kind, p.name, nil))
            results.append(.object(result))
        }
        var properties = JSONObject()
        properties.append("target", .string(p.name))
        properties.append("trust_score", .optional(p.score))
        properties.append("recommendation", .optional(p.recommendation))
        return document(results: results, rules: rules, properties: properties, baseIDs: nil, notifications: [])
    }
}
