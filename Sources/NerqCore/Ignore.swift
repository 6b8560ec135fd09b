import NerqJSON

/// An advisory the policy says not to count: its id (or an alias), why, until when, and where the
/// entry was written.
///
/// Matching: an entry matches an advisory whose id **or alias** it names, exactly (case matters,
/// as in cargo-audit). cargo-audit and cargo-deny match only the advisory's own id, so an entry
/// naming a CVE or GHSA alias silently does nothing there; nerq honours it (as osv-scanner does)
/// and says so: the match carries `via: "alias"`, and an assessment lists it with the id that was
/// meant (docs/configuration.md).
///
/// Expiry: an entry with `expires` applies while `now` is before it. A bare date means midnight
/// UTC at the start of that day (osv-scanner's `ignoreUntil`). An expired entry stops applying on
/// its own, and the assessment says that it expired, so a deferred fix cannot be forgotten.
public struct IgnoreRule: Sendable, Equatable {
    public var id: String
    public var reason: String?
    public var expires: Timestamp?
    /// Where the entry was written: `deny.toml:7`, `--ignore`, `$.policy.ignore[2]`.
    public var source: String?

    public init(id: String, reason: String? = nil, expires: Timestamp? = nil, source: String? = nil) {
        self.id = id
        self.reason = reason
        self.expires = expires
        self.source = source
    }

    public enum Match: String, Sendable {
        /// The entry names the advisory's id.
        case id
        /// The entry names one of the advisory's aliases (CVE, GHSA, another RUSTSEC id).
        case alias
    }

    public func isActive(at now: Timestamp) -> Bool { expires.map { now < $0 } ?? true }

    public func match(_ advisory: Advisory) -> Match? {
        if advisory.id == id { return .id }
        return advisory.aliases.contains(id) ? .alias : nil
    }

    /// A string (the id) or `{"id", "reason", "expires"}`; `source` defaults to the JSON path.
    /// A malformed RUSTSEC, CVE or TALOS id is an error (`AdvisoryID`).
    public static func read(_ reader: JSONReader) throws(NerqError) -> IgnoreRule {
        if case .string = reader.value {
            return IgnoreRule(id: try checked(reader), source: reader.path)
        }
        let o = try reader.object()
        try o.rejectUnknownKeys(known: ["id", "reason", "expires", "source"])
        guard let id = o.optional("id") else {
            throw NerqError(.missingField, "an ignore entry needs \"id\" (an advisory id or alias)", path: reader.path)
        }
        return IgnoreRule(id: try checked(id), reason: try o.optional("reason")?.string(),
                          expires: try o.optional("expires")?.timestamp(),
                          source: try o.optional("source")?.string() ?? reader.path)
    }

    static func checked(_ reader: JSONReader) throws(NerqError) -> String {
        let id = try reader.nonEmptyString()
        if let problem = AdvisoryID.problem(id) { throw NerqError(.invalidValue, problem, path: reader.path) }
        return id
    }

    public static func readList(_ reader: JSONReader) throws(NerqError) -> [IgnoreRule] {
        try reader.array().map { r throws(NerqError) in try IgnoreRule.read(r) }
    }

    public var json: JSONValue {
        var o = JSONObject(capacity: 4)
        o.append("id", .string(id))
        o.append("reason", .optional(reason))
        o.append("expires", .optional(expires?.description))
        o.append("source", .optional(source))
        return .object(o)
    }
}

/// An advisory that did not count, and why: withdrawn, or an ignore entry matched it.
public struct IgnoredAdvisory: Sendable, Equatable {
    public var id: String
    /// One sentence: "withdrawn on 2024-01-02", "ignored by policy (CVE-2024-1234, an alias)".
    public var reason: String
    /// The entry that matched (nil for a withdrawn advisory).
    public var rule: IgnoreRule?
    public var via: IgnoreRule.Match?
    /// The advisory's id and aliases: every entry naming one of them ignores it too (an
    /// assessment counts each such entry as applied, not only the one credited here).
    public var names: [String]

    public init(id: String, reason: String, rule: IgnoreRule? = nil, via: IgnoreRule.Match? = nil, names: [String] = []) {
        self.id = id
        self.reason = reason
        self.rule = rule
        self.via = via
        self.names = names.isEmpty ? [id] : names
    }

    public var json: JSONValue {
        var o = JSONObject(capacity: 6)
        o.append("id", .string(id))
        o.append("reason", .string(reason))
        if let rule {
            o.append("ignore", .string(rule.id))
            o.append("via", .string((via ?? .id).rawValue))
            if let r = rule.reason { o.append("ignore_reason", .string(r)) }
            if let e = rule.expires { o.append("expires", .string(e.description)) }
            if let s = rule.source { o.append("source", .string(s)) }
        }
        return .object(o)
    }
}

/// Advisory ids as cargo-audit parses them (rustsec `advisory::Id`): RUSTSEC-, CVE- and TALOS-
/// ids must be `PREFIX-YEAR-NUMBER` with a year from 2000 to 2100; anything else (GHSA ids, other
/// namespaces) is taken as written. A typo in a known namespace is an error rather than an entry
/// that silently matches nothing.
public enum AdvisoryID {
    public static func problem(_ id: String) -> String? {
        guard !id.isEmpty else { return "an advisory id cannot be empty" }
        guard ["RUSTSEC-", "CVE-", "TALOS-"].contains(where: { id.hasPrefix($0) }), id != "RUSTSEC-0000-0000" else { return nil }
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 2, let year = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { return "malformed year in advisory ID: \(id)" }
        guard (2000...2100).contains(year) else { return "out-of-range year in advisory ID: \(id)" }
        guard parts.count >= 3 else { return "incomplete advisory ID: \(id)" }
        guard parts.count == 3, !parts[2].isEmpty, parts[2].allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return "malformed advisory ID: \(id)"
        }
        return nil
    }
}
