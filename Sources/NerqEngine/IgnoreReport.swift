import NerqAdvisories
import NerqCore
import NerqJSON

/// What became of each ignore entry in one assessment, so that none acts silently:
///
/// - `applied`: it kept an advisory from counting (each match says whether through the id or an
///   alias; an alias match is reported because cargo-audit and cargo-deny would not honour it);
/// - `expired`: its date has passed at `now`; it no longer applies (the findings it hid are back);
/// - `unknown`: no advisory in the database has that id or alias (a typo, or another database);
/// - `unused`: the advisory exists but affects no package of this project (fixed, or removed).
enum IgnoreReport {
    enum Status: String {
        case applied, expired, unknown, unused
    }

    struct Entry {
        var rule: IgnoreRule
        var status: Status
        var matches: [(advisory: String, package: String, version: String, via: IgnoreRule.Match)]
        /// The advisory ids the entry names as an alias (from the database), when it names one.
        var aliasOf: [String]
        var message: String

        var json: JSONValue {
            guard case .object(var o) = rule.json else { return .null }
            o.append("status", .string(status.rawValue))
            o.append("matches", .array(matches.map { m in
                .object(JSONObject([("advisory", .string(m.advisory)), ("package", .string(m.package)),
                                    ("version", .string(m.version)), ("via", .string(m.via.rawValue))]))
            }))
            if !aliasOf.isEmpty { o.append("alias_of", .strings(aliasOf)) }
            o.append("message", .string(message))
            return .object(o)
        }
    }

    /// `ignored`: every advisory an entry kept from counting, per package; `counted`: the findings
    /// that count (an expired entry says which of them it would have hidden).
    static func entries(rules: [IgnoreRule], ignored: [(package: String, version: String, advisory: IgnoredAdvisory)],
                        counted: [(package: String, version: String, finding: Finding)], database: AdvisoryDatabase?,
                        now: Timestamp) -> [Entry] {
        guard !rules.isEmpty else { return [] }
        let aliasIndex = aliases(of: rules, database)
        return rules.map { rule in
            let aliasOf = aliasIndex[rule.id] ?? []
            if !rule.isActive(at: now) {
                let would = counted.filter { c in c.finding.id == rule.id || Self.aliases(c.finding).contains(rule.id) }
                let day = rule.expires.map { $0.dateString } ?? "?"
                var text = "expired on \(day): no longer applies"
                if !would.isEmpty {
                    text += "; reported again: " + would.map { "\($0.finding.id ?? "") in \($0.package) \($0.version)" }.joined(separator: ", ")
                }
                return Entry(rule: rule, status: .expired,
                             matches: would.map { ($0.finding.id ?? "", $0.package, $0.version, $0.finding.id == rule.id ? .id : .alias) },
                             aliasOf: aliasOf, message: text)
            }
            let hits = ignored.filter { $0.advisory.rule != nil && $0.advisory.names.contains(rule.id) }
            if !hits.isEmpty {
                let matches = hits.map { h in (h.advisory.id, h.package, h.version, h.advisory.id == rule.id ? IgnoreRule.Match.id : .alias) }
                var text = "ignores " + matches.map { "\($0.0) in \($0.1) \($0.2)" }.joined(separator: ", ")
                if matches.contains(where: { $0.3 == .alias }) {
                    let ids = Array(Set(matches.filter { $0.3 == .alias }.map(\.0))).sorted().joined(separator: ", ")
                    text += " through its alias \(rule.id): cargo-audit and cargo-deny match only the advisory's own id and still report it (write \(ids) to have all three agree)"
                }
                return Entry(rule: rule, status: .applied, matches: matches, aliasOf: aliasOf, message: text)
            }
            let known = database.map { db in aliasIndex[rule.id] != nil || db.advisories.contains { $0.id == rule.id } } ?? true
            if !known {
                return Entry(rule: rule, status: .unknown, matches: [], aliasOf: [],
                             message: "no advisory in the database has this id or alias (a typo, or an advisory of another database)")
            }
            let alias = aliasOf.isEmpty ? "" : " (an alias of \(aliasOf.joined(separator: ", ")))"
            return Entry(rule: rule, status: .unused, matches: [], aliasOf: aliasOf,
                         message: "matches no package of this project\(alias): the advisory no longer applies here, and the entry can go")
        }
    }

    /// For each entry naming an alias in the database, the ids of the advisories it is an alias of
    /// (one pass over the database).
    static func aliases(of rules: [IgnoreRule], _ database: AdvisoryDatabase?) -> [String: [String]] {
        guard let database else { return [:] }
        let wanted = Set(rules.map(\.id))
        var out: [String: [String]] = [:]
        for a in database.advisories {
            for alias in a.aliases where wanted.contains(alias) && alias != a.id {
                if !(out[alias]?.contains(a.id) ?? false) { out[alias, default: []].append(a.id) }
            }
        }
        return out.mapValues { $0.sorted() }
    }

    static func aliases(_ f: Finding) -> [String] {
        guard case .array(let items)? = f.details["aliases"] else { return [] }
        return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }
}
