/// The eight dimensions of a Trust Score, in their fixed report order.
import NerqJSON
public enum Dimension: String, Sendable, CaseIterable, Hashable {
    case security, maintenance, popularity, quality, community, transparency, reliability, privacy

    /// The position in `allCases`.
    var order: Int {
        switch self {
        case .security: return 0
        case .maintenance: return 1
        case .popularity: return 2
        case .quality: return 3
        case .community: return 4
        case .transparency: return 5
        case .reliability: return 6
        case .privacy: return 7
        }
    }
}

/// What the engine scores by: weights, caps, thresholds and advisories to ignore.
/// The defaults are methodology v2 as published in docs/methodology.md.
public struct Policy: Sendable, Equatable {
    public var weights: [Dimension: Double] { didSet { weightTable = Policy.table(weights) } }
    /// `weights` in dimension order, for `weight(_:)`: a report reads every weight twice, and a
    /// lookup by hash (of the dimension's name) cost more than writing the report's numbers.
    private var weightTable: [Double]
    public var caps: Caps
    public var thresholds: Thresholds
    /// Advisories that do not count: by id or alias, each with an optional reason and expiry
    /// (`IgnoreRule`: matching and expiry are defined there).
    public var ignore: [IgnoreRule]

    public struct Caps: Sendable, Equatable {
        public var critical = 35.0
        public var high = 45.0
        public var vulnerability = 59.0
        public var unsound = 65.0
        public var unmaintained = 65.0
        public var yanked = 50.0
        public var malicious = 0.0
        public init() {}
    }

    public struct Thresholds: Sendable, Equatable {
        public var safe = 70.0
        public var caution = 55.0
        public var warning = 40.0
        public var verifiedScore = 70.0
        public var verifiedCoverage = 0.6
        /// The least coverage (share of the weights with data) a `safe` verdict needs.
        public var minimumCoverage = 0.5
        public init() {}
    }

    /// Methodology v2 (docs/validity.md): security carries most weight because it is the one
    /// dimension shown to predict advisories on held-out data; quality, transparency and privacy
    /// pointed the wrong way or at chance and are reported but weigh nothing; maintenance,
    /// popularity, community and reliability keep v1's weights as policy (registry data could
    /// not be tested offline).
    public static let defaultWeights: [Dimension: Double] = [
        .security: 0.55, .maintenance: 0.20, .popularity: 0.10, .quality: 0,
        .community: 0.10, .transparency: 0, .reliability: 0.05, .privacy: 0,
    ]

    public init(weights: [Dimension: Double] = Policy.defaultWeights, caps: Caps = Caps(),
                thresholds: Thresholds = Thresholds(), ignore: [IgnoreRule] = []) {
        self.weights = weights
        weightTable = Policy.table(weights)
        self.caps = caps
        self.thresholds = thresholds
        self.ignore = ignore
    }

    public func weight(_ d: Dimension) -> Double { weightTable[d.order] }

    static func table(_ weights: [Dimension: Double]) -> [Double] { Dimension.allCases.map { weights[$0] ?? 0 } }

    /// Reads the `policy` object of the engine configuration over `base` (the defaults, or the
    /// engine's policy when a project's nerq.toml changes some of it). Unknown keys are errors.
    public static func read(_ reader: JSONReader, base: Policy = Policy()) throws(NerqError) -> Policy {
        let o = try reader.object()
        try o.rejectUnknownKeys(known: ["weights", "caps", "thresholds", "ignore"])
        var policy = base
        if let w = o.optional("weights") {
            let wo = try w.object()
            try wo.rejectUnknownKeys(known: Dimension.allCases.map(\.rawValue))
            for d in Dimension.allCases {
                if let v = wo.optional(d.rawValue) { policy.weights[d] = try v.number(in: 0...1000) }
            }
            guard Dimension.allCases.contains(where: { policy.weight($0) > 0 }) else {
                throw NerqError(.invalidValue, "at least one weight must be above zero", path: w.path)
            }
        }
        if let c = o.optional("caps") {
            let co = try c.object()
            try co.rejectUnknownKeys(known: ["critical", "high", "vulnerability", "unsound", "unmaintained", "yanked", "malicious"])
            func cap(_ key: String, _ into: inout Double) throws(NerqError) {
                if let v = co.optional(key) { into = try v.number(in: 0...100) }
            }
            try cap("critical", &policy.caps.critical)
            try cap("high", &policy.caps.high)
            try cap("vulnerability", &policy.caps.vulnerability)
            try cap("unsound", &policy.caps.unsound)
            try cap("unmaintained", &policy.caps.unmaintained)
            try cap("yanked", &policy.caps.yanked)
            try cap("malicious", &policy.caps.malicious)
        }
        if let t = o.optional("thresholds") {
            let to = try t.object()
            try to.rejectUnknownKeys(known: ["safe", "caution", "warning", "verified_score", "verified_coverage", "minimum_coverage"])
            if let v = to.optional("safe") { policy.thresholds.safe = try v.number(in: 0...100) }
            if let v = to.optional("caution") { policy.thresholds.caution = try v.number(in: 0...100) }
            if let v = to.optional("warning") { policy.thresholds.warning = try v.number(in: 0...100) }
            if let v = to.optional("verified_score") { policy.thresholds.verifiedScore = try v.number(in: 0...100) }
            if let v = to.optional("verified_coverage") { policy.thresholds.verifiedCoverage = try v.number(in: 0...1) }
            if let v = to.optional("minimum_coverage") { policy.thresholds.minimumCoverage = try v.number(in: 0...1) }
            let th = policy.thresholds
            guard th.safe >= th.caution, th.caution >= th.warning else {
                throw NerqError(.invalidValue, "thresholds must satisfy safe >= caution >= warning", path: t.path)
            }
        }
        if let i = o.optional("ignore") {
            policy.ignore += try IgnoreRule.readList(i)
        }
        return policy
    }

    /// The `methodology.weights` object of a report, in dimension order.
    func writeWeights<S: JSONSink>(to s: inout S) {
        s.beginObject(capacity: Dimension.allCases.count)
        for d in Dimension.allCases { s.member(d.rawValue, .double(weight(d))) }
        s.endObject()
    }
}
