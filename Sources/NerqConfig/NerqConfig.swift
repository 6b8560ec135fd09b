import NerqCore
import NerqJSON
import NerqTOML

/// nerq's own configuration: `nerq.toml`, or the same keys under `[workspace.metadata.nerq]`
/// (or `[package.metadata.nerq]`) of the workspace's Cargo.toml (docs/configuration.md):
///
///     [[ignore]]                       # or: ignore = ["RUSTSEC-…", { id = "…", reason = "…" }]
///     id = "RUSTSEC-2026-0009"
///     reason = "we never parse untrusted dates"
///     expires = 2027-01-31             # stops applying at the start of that day (UTC)
///
///     [gates]
///     deny = ["vulnerability", "malicious"]   # replaces the default list; "warnings" = unmaintained, unsound, yanked
///     allow = ["unmaintained"]                # reported, never failing
///     fail_under = 50                         # a dependency scoring below fails the run
///     unused_ignores = "warn"                 # allow | warn | deny
///     scope = "compiled"                      # all | compiled | referenced: which findings deny counts
///
///     [policy]                         # the engine's policy: weights, caps, thresholds
///     weights = { security = 0.6, maintenance = 0.2 }
///
/// Unknown keys are errors naming the file and line.
enum NerqConfigReader {
    static let tool = "nerq.toml"

    static func readManifest(_ source: TOMLSource, into config: inout ProjectConfig) throws(NerqError) {
        let root = source.table(source.root, named: "")
        let workspace = try root.subtable("workspace").flatMap { w throws(NerqError) in try w.subtable("metadata") }
        let package = try root.subtable("package").flatMap { p throws(NerqError) in try p.subtable("metadata") }
        let inWorkspace = try workspace?.subtable("nerq")
        let inPackage = try package?.subtable("nerq")
        if inWorkspace != nil, let p = inPackage {
            throw source.error(.invalidValue, p.table.line,
                               "nerq's configuration is in both [workspace.metadata.nerq] and [package.metadata.nerq]; keep one")
        }
        guard let table = inWorkspace ?? inPackage else { return }
        try read(source, table: table, format: .cargoManifest, into: &config)
    }

    static func read(_ source: TOMLSource, table: TableReader, format: ConfigFormat, into config: inout ProjectConfig) throws(NerqError) {
        let file = source.file
        try table.rejectUnknownKeys(["ignore", "gates", "policy"], tool: tool)
        try readIgnores(table, source, into: &config)
        if let gates = try table.subtable("gates") {
            try gates.rejectUnknownKeys(["deny", "allow", "fail_under", "unused_ignores", "scope"], tool: tool)
            if let deny = try gates.strings("deny") {
                config.baseDeny = (try kinds(deny, gates.key("deny"), source), source.location(gates.line("deny")))
            }
            for kind in try kinds(try gates.strings("allow") ?? [], gates.key("allow"), source) {
                config.allow.append((kind, source.location(gates.line("allow"))))
            }
            if let score = try gates.number("fail_under", in: 0...100) {
                config.failUnder = (score, source.location(gates.line("fail_under")))
            }
            if let level = try gates.choice("unused_ignores", UnusedIgnores.allCases.map(\.rawValue)).flatMap(UnusedIgnores.init) {
                config.stricterUnused(level, source.location(gates.line("unused_ignores")))
            }
            if let scope = try gates.choice("scope", GateScope.allCases.map(\.rawValue)).flatMap(GateScope.init) {
                config.broaderScope(scope, source.location(gates.line("scope")))
            }
        }
        if let policy = try table.subtable("policy") {
            let json = try TOMLJSON.value(.table(policy.table), source, at: policy.table.line)
            // Checked now, so a mistake names this file and line (the engine reads it again).
            do {
                _ = try Policy.read(JSONReader(json, path: "$"))
            } catch {
                throw source.error(error.code, TOMLJSON.line(of: error.path, in: policy.table), "`\(policy.name)`: \(error.message)")
            }
            config.policy = (json, source.location(policy.table.line))
        }
        config.files.append(ProjectConfig.File(path: file, format: format, notes: []))
    }

    static func readIgnores(_ table: TableReader, _ source: TOMLSource, into config: inout ProjectConfig) throws(NerqError) {
        guard let value = table.table["ignore"] else { return }
        guard let items = value.arrayValue else { throw table.typeError("ignore", "a list of advisory ids or [[ignore]] tables", value) }
        var from = table.line("ignore")
        for (i, item) in items.enumerated() {
            let name = table.key("ignore") + "[\(i)]"
            if let id = item.stringValue {
                from = source.line(of: id, from: from)
                if let problem = AdvisoryID.problem(id) { throw source.error(.invalidValue, from, "`\(name)`: \(problem)") }
                config.ignores.append(IgnoreRule(id: id, source: source.location(from)))
                continue
            }
            guard let t = item.tableValue else {
                throw source.error(.invalidType, from, "`\(name)` must be an advisory id or a table with `id`, found \(item.typeName)")
            }
            let entry = source.table(t, named: name)
            try entry.rejectUnknownKeys(["id", "reason", "expires"], tool: tool)
            guard let id = try entry.string("id") else {
                throw source.error(.missingField, t.line, "`\(name)` needs `id` (an advisory id or alias)")
            }
            if let problem = AdvisoryID.problem(id) { throw source.error(.invalidValue, entry.line("id"), "`\(name).id`: \(problem)") }
            config.ignores.append(IgnoreRule(id: id, reason: try entry.string("reason"), expires: try entry.timestamp("expires"),
                                             source: source.location(entry.line("id"))))
        }
    }

    /// Finding kinds, with `warnings` as cargo-audit means it (unmaintained, unsound, yanked).
    static func kinds(_ words: [(value: String, line: Int)], _ key: String, _ source: TOMLSource) throws(NerqError) -> [String] {
        var out: [String] = []
        for (word, line) in words {
            let expanded = word == "warnings" ? ["unmaintained", "unsound", "yanked"] : [word]
            for k in expanded {
                guard ProjectConfig.kinds.contains(k) else {
                    throw source.error(.invalidValue, line, "`\(key)`: \"\(word)\" is not a finding kind (\(ProjectConfig.kinds.joined(separator: ", ")) or warnings)")
                }
                if !out.contains(k) { out.append(k) }
            }
        }
        return out
    }
}

/// TOML values as the JSON the engine's readers take (the policy object).
enum TOMLJSON {
    static func value(_ v: TOMLValue, _ source: TOMLSource, at line: Int) throws(NerqError) -> JSONValue {
        if let s = v.stringValue { return .string(s) }
        if let b = v.boolValue { return .bool(b) }
        if let i = v.integerValue { return .int(i) }
        if let f = v.floatValue {
            guard f.isFinite else { throw source.error(.invalidValue, line, "a policy number must be finite") }
            return .double(f)
        }
        if let d = v.dateTimeValue { return .string(d.rfc3339) }
        if let items = v.arrayValue {
            var out: [JSONValue] = []
            for item in items { out.append(try value(item, source, at: line)) }
            return .array(out)
        }
        if let t = v.tableValue {
            var o = JSONObject(capacity: t.count)
            for (i, e) in t.entries.enumerated() {
                o.append(e.key, try value(e.value, source, at: i < t.lines.count ? t.lines[i] : t.line))
            }
            return .object(o)
        }
        return .null
    }

    /// The line of the key a JSON path (`$.weights.security`) names in `table`, else the table's.
    static func line(of path: String?, in table: TOMLTable) -> Int {
        guard let path, path.hasPrefix("$") else { return table.line }
        var current = table
        var line = table.line
        for part in path.dropFirst().split(separator: ".") {
            let key = String(part.prefix { $0 != "[" })
            guard let l = current.line(forKey: key) else { break }
            line = l
            guard let next = current.table(key) else { break }
            current = next
        }
        return line
    }
}
