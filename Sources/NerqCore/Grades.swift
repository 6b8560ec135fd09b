/// The letter grade of a Trust Score: one scale, highest first.
public enum Grade: String, Sendable, CaseIterable, Comparable {
    case aPlus = "A+", a = "A", aMinus = "A-", bPlus = "B+", b = "B", bMinus = "B-"
    case cPlus = "C+", c = "C", cMinus = "C-", d = "D", e = "E", f = "F"

    /// The lowest score of each grade, in tenths of a point so that 37.9 and 38.0 never meet a
    /// floating-point edge. F is everything below E.
    var floorTenths: Int {
        switch self {
        case .aPlus: return 900
        case .a: return 850
        case .aMinus: return 800
        case .bPlus: return 760
        case .b: return 720
        case .bMinus: return 680
        case .cPlus: return 600
        case .c: return 550
        case .cMinus: return 500
        case .d: return 450
        case .e: return 380
        case .f: return 0
        }
    }

    /// The grade of a score (clamped to 0–100).
    public init(score: Double) {
        let t = Grade.tenths(score)
        self = Grade.allCases.first { t >= $0.floorTenths } ?? .f
    }

    static func tenths(_ score: Double) -> Int {
        // The clamp keeps Int() total.
        Int((min(100, max(0, score)) * 10).rounded(.toNearestOrAwayFromZero))
    }

    /// Best first.
    public static func < (a: Grade, b: Grade) -> Bool { a.floorTenths > b.floorTenths }
}

/// What a report tells its reader to do.
public enum VerdictLevel: String, Sendable, CaseIterable {
    case safe, caution, warning, avoid, unknown

    public var label: String {
        switch self {
        case .safe: return "YES — SAFE"
        case .caution: return "CAUTION"
        case .warning: return "NO — USE WITH CAUTION"
        case .avoid: return "NO — AVOID"
        case .unknown: return "UNKNOWN — NOT ENOUGH EVIDENCE"
        }
    }

    public var recommendation: Recommendation {
        switch self {
        case .safe: return .proceed
        case .caution, .warning: return .caution
        case .avoid: return .deny
        case .unknown: return .unknown
        }
    }

    /// The levels that found something against a package (unknown found nothing either way).
    public var needsAttention: Bool { self == .caution || self == .warning || self == .avoid }
}

/// The one-word answer for a gate or an agent. UNKNOWN: there is not enough evidence to say
/// (never read it as PROCEED).
public enum Recommendation: String, Sendable, CaseIterable {
    case proceed = "PROCEED", caution = "CAUTION", deny = "DENY", unknown = "UNKNOWN"
}

/// What a finding is about: an advisory's kind, or something nerq observed itself.
public enum FindingKind: String, Sendable, CaseIterable {
    // Advisories (RustSec / OSV), most serious first: the order summaries count them in.
    case malicious, vulnerability, unsound, unmaintained, yanked, notice
    // Observed by nerq.
    case archived, stale, unsafeCode = "unsafe_code", capability
    // What nerq could not establish.
    case notFound = "not_found", advisoriesNotChecked = "advisories_not_checked"

    public init(_ kind: Advisory.Kind) {
        switch kind {
        case .vulnerability: self = .vulnerability
        case .unmaintained: self = .unmaintained
        case .unsound: self = .unsound
        case .notice: self = .notice
        case .yanked: self = .yanked
        case .malicious: self = .malicious
        }
    }

    /// The advisory kinds, in the order summaries count them.
    public static let advisoryKinds: [FindingKind] = [.malicious, .vulnerability, .unsound, .unmaintained, .yanked, .notice]

    /// Kinds that keep a package from being `verified`, whatever its score.
    public var blocksVerification: Bool {
        self == .vulnerability || self == .unsound || self == .unmaintained || self == .malicious
    }
}

/// A number as people write it: the shortest form that reads back as `d`, without a trailing
/// ".0" ("0.25", "100", "1e+21"); "–" for what is not finite.
public func shortNumber(_ d: Double) -> String {
    guard d.isFinite else { return "–" }
    let s = (d == 0 ? 0.0 : d).description
    return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
}
