import NerqCore
import NerqTOML
import NerqJSON

/// cargo-deny 0.20.2's `deny.toml`: only the `[advisories]` table concerns nerq (bans, licenses
/// and sources are cargo-deny's own checks). Its meaning (cargo-deny `src/advisories/cfg.rs`,
/// observed runs in docs/configuration.md):
///
/// - `ignore`: advisory ids (`"RUSTSEC-…"` or `{ id = "…", reason = "…" }`); a string whose part
///   before the first `-` is not all upper-case ASCII, or a `{ crate = … }` table, is a yanked-crate
///   ignore, which nerq does not act on (noted). Tables take only `id`/`crate` and `reason`, as in
///   cargo-deny: an `expires` there would break cargo-deny, so expiry lives in nerq.toml.
/// - every advisory cargo-deny reports is an error: vulnerabilities and notices always,
///   `unmaintained` (default `all`) and `unsound` (default `workspace`) within their scope;
///   `yanked = "deny"` fails on yanked crates, `"allow"` does not report them.
/// - `unused-ignored-advisory` (allow, warn, deny): what an ignore that matched nothing does.
/// - `vulnerability`, `notice`, `severity-threshold` were removed in cargo-deny 0.14 and are
///   errors there and here; `db-path`, `db-urls`, `version`, `git-fetch-with-cli`,
///   `disable-yank-checking`, `maximum-db-staleness` have no effect in nerq (noted).
enum DenyConfigReader {
    static let tool = "cargo-deny's [advisories]"
    static let keys = ["version", "db-path", "db-urls", "vulnerability", "notice", "unmaintained", "unsound", "yanked",
                       "ignore", "severity-threshold", "git-fetch-with-cli", "disable-yank-checking",
                       "maximum-db-staleness", "unused-ignored-advisory"]

    static func read(_ source: TOMLSource, into config: inout ProjectConfig) throws(NerqError) {
        let file = source.file
        var notes: [String] = []
        let root = source.table(source.root, named: "")
        let adv = try root.subtable("advisories") ?? source.table(.init(), named: "advisories")
        try adv.rejectUnknownKeys(keys, tool: tool)
        for removed in ["vulnerability", "notice", "severity-threshold"] where adv.table[removed] != nil {
            throw source.error(.invalidValue, adv.line(removed),
                               "`advisories.\(removed)` has been removed from cargo-deny (see https://github.com/EmbarkStudios/cargo-deny/pull/611)")
        }
        let scopes = Reporting.Scope.allCases.map(\.rawValue)
        let unmaintained = Reporting.Scope(rawValue: try adv.choice("unmaintained", scopes) ?? "all") ?? .all
        let unsound = Reporting.Scope(rawValue: try adv.choice("unsound", scopes) ?? "workspace") ?? .workspace
        let yanked = try adv.choice("yanked", ["deny", "warn", "allow"]) ?? "warn"
        if let level = try adv.choice("unused-ignored-advisory", UnusedIgnores.allCases.map(\.rawValue)).flatMap(UnusedIgnores.init) {
            config.stricterUnused(level, file)
        }
        try readIgnores(adv, source, into: &config, notes: &notes)
        for key in ["db-path", "db-urls", "version", "git-fetch-with-cli", "disable-yank-checking", "maximum-db-staleness"]
        where adv.table[key] != nil {
            notes.append("advisories.\(key): no effect in nerq")
        }

        // cargo-deny makes every advisory it reports an error.
        config.addDeny("vulnerability", file)
        config.addDeny("notice", file)
        if unmaintained != .none { config.addDeny("unmaintained", file) }
        if unsound != .none { config.addDeny("unsound", file) }
        if yanked == "deny" { config.addDeny("yanked", file) }
        config.reporting.append(Reporting(source: file, scopes: [("unmaintained", unmaintained), ("unsound", unsound),
                                                                  ("yanked", yanked == "allow" ? .none : .all)]))
        config.files.append(ProjectConfig.File(path: file, format: .cargoDeny, notes: notes))
    }

    static func readIgnores(_ adv: TableReader, _ source: TOMLSource, into config: inout ProjectConfig, notes: inout [String]) throws(NerqError) {
        guard let value = adv.table["ignore"] else { return }
        guard let items = value.arrayValue else { throw adv.typeError("ignore", "a list", value) }
        var from = adv.line("ignore")
        for (i, item) in items.enumerated() {
            if let s = item.stringValue {
                from = source.line(of: s, from: from)
                if isAdvisoryID(s) {
                    if let problem = AdvisoryID.problem(s) { throw source.error(.invalidValue, from, "`advisories.ignore[\(i)]`: \(problem)") }
                    config.ignores.append(IgnoreRule(id: s, source: source.location(from)))
                } else {
                    notes.append("ignore \"\(s)\" (\(source.location(from))): a yanked-crate ignore in cargo-deny; nerq does not act on it")
                }
                continue
            }
            guard let t = item.tableValue else {
                throw source.error(.invalidType, from, "`advisories.ignore[\(i)]` must be a string or a table, found \(item.typeName)")
            }
            let entry = source.table(t, named: "advisories.ignore[\(i)]")
            let line = t.line
            if t["id"] != nil {
                try entry.rejectUnknownKeys(["id", "reason"], tool: "cargo-deny (an advisory ignore takes `id` and `reason`; expiry goes in nerq.toml)")
                guard let id = try entry.string("id") else { continue }
                if let problem = AdvisoryID.problem(id) { throw source.error(.invalidValue, line, "`advisories.ignore[\(i)].id`: \(problem)") }
                config.ignores.append(IgnoreRule(id: id, reason: try entry.string("reason"), source: source.location(line)))
            } else if t["crate"] != nil {
                try entry.rejectUnknownKeys(["crate", "reason"], tool: "cargo-deny (a yanked-crate ignore takes `crate` and `reason`)")
                notes.append("ignore { crate = \"\(try entry.string("crate") ?? "")\" } (\(source.location(line))): a yanked-crate ignore in cargo-deny; nerq does not act on it")
            } else {
                throw source.error(.missingField, line, "`advisories.ignore[\(i)]` needs `id` (an advisory) or `crate` (a yanked crate)")
            }
        }
    }

    /// cargo-deny's rule: an advisory id when the part before the first `-` is upper-case ASCII
    /// letters (RUSTSEC, CVE, GHSA); `rustsec-2026-0009` is taken as a crate name.
    static func isAdvisoryID(_ s: String) -> Bool {
        guard let dash = s.firstIndex(of: "-"), dash != s.startIndex else { return false }
        return s[..<dash].allSatisfy { $0.isASCII && $0.isUppercase }
    }
}
