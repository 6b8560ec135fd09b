import NerqCore
import NerqJSON

/// cargo-audit 0.22.2's `audit.toml`, with its meaning (cargo-audit `src/config.rs`; observed runs
/// in docs/configuration.md):
///
/// - `[advisories] ignore`: advisory ids, strings only; a malformed RUSTSEC/CVE/TALOS id is an
///   error there and here. cargo-audit matches only the primary id; nerq also matches aliases and
///   says so (`IgnoreRule`).
/// - `[advisories] informational_warnings` (default unmaintained, unsound, notice): the
///   informational kinds reported at all; `[output] deny` adds its kinds back.
/// - `[advisories] severity_threshold`: vulnerabilities with a CVSS score rated below it are not
///   reported (those without a score are).
/// - `[output] deny`: `warnings` (= unmaintained, unsound, yanked: never notice), `unmaintained`,
///   `unsound`, `yanked` fail the run; cargo-audit always fails on a vulnerability, and so does a
///   run that reads its file.
/// - `[output] format/quiet/show_tree`, `[target] os/arch`, `[yanked] enabled`: as in cargo-audit.
/// - `[database]`, `[binary]`, `[yanked] update_index`: read, no effect in nerq (said in `notes`).
///
/// Unknown keys are errors, as in cargo-audit (`deny_unknown_fields`).
enum AuditConfigReader {
    static let tool = "cargo-audit's audit.toml"

    static func read(_ source: TOMLSource, into config: inout ProjectConfig) throws(NerqError) {
        let root = source.table(source.root, named: "")
        try root.rejectUnknownKeys(["advisories", "database", "output", "binary", "target", "yanked"], tool: tool)
        var notes: [String] = []
        let file = source.file
        // cargo-audit fails on every vulnerability, whatever the file says.
        config.addDeny("vulnerability", file)

        var informational = ["unmaintained", "unsound", "notice"]
        var threshold: Severity?
        if let adv = try root.subtable("advisories") {
            try adv.rejectUnknownKeys(["ignore", "informational_warnings", "severity_threshold"], tool: tool)
            for (id, line) in try adv.strings("ignore") ?? [] {
                if let problem = AdvisoryID.problem(id) { throw source.error(.invalidValue, line, "`advisories.ignore`: \(problem)") }
                config.ignores.append(IgnoreRule(id: id, source: source.location(line)))
            }
            if let kinds = try adv.strings("informational_warnings") {
                informational = kinds.map(\.value)
                for (kind, _) in kinds where !["unmaintained", "unsound", "notice"].contains(kind) {
                    notes.append("informational_warnings: \"\(kind)\" is not an informational kind (unmaintained, unsound, notice); cargo-audit accepts it and it has no effect")
                }
            }
            if let s = try adv.choice("severity_threshold", ["none", "low", "medium", "high", "critical"]) {
                threshold = Severity(rawValue: s)
            }
        }

        var yankedReported = true
        if let output = try root.subtable("output") {
            try output.rejectUnknownKeys(["deny", "format", "quiet", "show_tree"], tool: tool)
            for (word, line) in try output.strings("deny") ?? [] {
                let kinds: [String]
                switch word {
                case "warnings": kinds = ["unmaintained", "unsound", "yanked"]
                case "unmaintained", "unsound", "yanked": kinds = [word]
                default:
                    throw source.error(.invalidValue, line, "`output.deny`: \"\(word)\" is not one of \"warnings\", \"unmaintained\", \"unsound\", \"yanked\"")
                }
                for k in kinds {
                    config.addDeny(k, file)
                    if k != "yanked" && !informational.contains(k) { informational.append(k) }
                }
                // cargo-audit: `deny = ["warnings"]` also shows notices (they are never denied).
                if word == "warnings" && !informational.contains("notice") { informational.append("notice") }
            }
            let format = try output.choice("format", ["terminal", "json", "sarif"])
            config.output.format = format.map { $0 == "terminal" ? "human" : $0 }
            config.output.quiet = try output.bool("quiet")
            config.output.showTree = try output.bool("show_tree")
            config.output.source = file
            if output.table["quiet"] == nil {
                notes.append("[output] has no `quiet`: cargo-audit 0.22.2 refuses the file (\"missing field `quiet`\"); nerq reads it")
            }
        }
        if let target = try root.subtable("target") {
            try target.rejectUnknownKeys(["arch", "os"], tool: tool)
            config.targetOS += try target.stringOrStrings("os") ?? []
            config.targetArch += try target.stringOrStrings("arch") ?? []
        }
        if let yanked = try root.subtable("yanked") {
            try yanked.rejectUnknownKeys(["enabled", "update_index"], tool: tool)
            yankedReported = try yanked.bool("enabled") ?? true
            if try yanked.bool("update_index") != nil {
                notes.append("[yanked] update_index: no effect (nerq reads yanked releases from registry data it is given, never the index)")
            }
        }
        if let db = try root.subtable("database") {
            try db.rejectUnknownKeys(["path", "url", "fetch", "stale"], tool: tool)
            notes.append("[database]: no effect (nerq's advisory database is --advisory-db, NERQ_ADVISORY_DB or ~/.cargo/advisory-db)")
            if db.table["stale"] == nil {
                notes.append("[database] has no `stale`: cargo-audit 0.22.2 refuses the file (\"missing field `stale`\"); nerq reads it")
            }
        }
        if let binary = try root.subtable("binary") {
            try binary.rejectUnknownKeys(["max_binary_size", "audit_data_size_limit"], tool: tool)
            notes.append("[binary]: no effect (nerq does not scan binaries)")
        }

        var scopes: [(kind: String, scope: Reporting.Scope)] = []
        for kind in ["unmaintained", "unsound", "notice"] {
            scopes.append((kind, informational.contains(kind) ? .all : .none))
        }
        scopes.append(("yanked", yankedReported ? .all : .none))
        config.reporting.append(Reporting(source: file, scopes: scopes, severityThreshold: threshold))
        config.files.append(ProjectConfig.File(path: file, format: .cargoAudit, notes: notes))
    }
}
