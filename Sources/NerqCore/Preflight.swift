/// The `nerq.preflight` answer: the few fields a CI gate or an agent needs before adding a dependency.
import NerqJSON
import NerqSemver
public enum Preflight {
    /// How long a preflight answer may be cached, in seconds.
    public static let ttlSeconds: Int64 = 86_400

    /// Splits `name@version` (or a bare `name`).
    public static func parseTarget(_ target: String, path: String) throws(NerqError) -> PackageID {
        let parts = target.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        guard !name.isEmpty, name.utf8.allSatisfy(isCrateNameByte) else {
            throw NerqError(.invalidValue, "expected NAME or NAME@VERSION with a crate name of letters, digits, '-' and '_', found \"\(target)\"", path: path)
        }
        var version: String?
        if parts.count == 2 {
            let v = String(parts[1])
            guard (try? Version.parse(v)) != nil else {
                throw NerqError(.invalidValue, "\"\(v)\" is not a semantic version (MAJOR.MINOR.PATCH)", path: path)
            }
            version = v
        }
        return PackageID(name: name, version: version)
    }

    static func isCrateNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
    }

    public static func document(target: String, report: Report) -> JSONValue {
        var flags: [String] = []
        var cves: [String] = []
        for f in report.findings {
            switch f.kind {
            case .vulnerability:
                flags.append(f.severity == .critical ? "critical_vulnerability" : "vulnerability")
            case .capability: if let id = f.id { flags.append(id) }
            default: flags.append(f.kind.rawValue)
            }
            if case .array(let aliases)? = f.details["aliases"] {
                for case .string(let a) in aliases where a.hasPrefix("CVE-") { cves.append(a) }
            }
        }
        if report.confidence == "low" { flags.append("low_confidence") }
        var o = JSONObject()
        o.append("kind", "nerq.preflight")
        o.append("version", 1)
        o.append("target", .string(target))
        o.append("package", report.package.json)
        o.append("trust_score", .optional(report.trustScore))
        o.append("trust_grade", .optional(report.grade?.rawValue))
        o.append("recommendation", .string(report.verdict.recommendation.rawValue))
        o.append("verdict", .string(report.verdict.level.rawValue))
        o.append("verified", .bool(report.verified))
        o.append("advisories_checked", .bool(report.signals.advisories != nil))
        o.append("exists", report.signals.existence.map { .bool($0.known) } ?? .null)
        o.append("risk_flags", .strings(Array(Set(flags)).sorted()))
        o.append("known_cves", .strings(Array(Set(cves)).sorted()))
        o.append("license", .optional(report.signals.manifest?.license))
        o.append("coverage", .double(report.coverage))
        o.append("confidence", .string(report.confidence))
        o.append("checked_at", .string(report.now.description))
        o.append("ttl", .int(ttlSeconds))
        o.append("summary", .string(report.summary))
        return .object(o)
    }
}
