/// Methodology v2: from dimension scores to the Trust Score, grade, verdict and findings.
public enum Methodology {
    public static let version = "2"
    static func tenths(_ score: Double) -> Int { Grade.tenths(score) }

    public struct Verdict: Sendable, Equatable {
        public var level: VerdictLevel
        public var label: String { level.label }
        public var recommendation: Recommendation { level.recommendation }

        public init(_ level: VerdictLevel) { self.level = level }
    }

    public static func verdict(_ score: Double, thresholds: Policy.Thresholds) -> Verdict {
        let t = tenths(score)
        if t >= tenths(thresholds.safe) { return Verdict(.safe) }
        if t >= tenths(thresholds.caution) { return Verdict(.caution) }
        if t >= tenths(thresholds.warning) { return Verdict(.warning) }
        return Verdict(.avoid)
    }

    public static let unknownVerdict = Verdict(.unknown)

    public static func confidence(_ coverage: Double) -> String {
        coverage >= 0.8 ? "high" : coverage >= 0.5 ? "medium" : "low"
    }

    /// Scores one package. `now` is the moment the report speaks of (an input, never the clock).
    public static func score(_ signals: Signals, policy: Policy, now: Timestamp) -> Report {
        let advisories = signals.advisories.map { CountedAdvisories($0, policy: policy, now: now) }
        let dims = Dimension.allCases.map { DimensionScorer.score($0, signals, advisories: advisories, now: now) }

        var weightSum = 0.0
        var scoredWeight = 0.0
        var weighted = 0.0
        for d in dims {
            let w = policy.weight(d.dimension)
            weightSum += w
            if let s = d.score {
                scoredWeight += w
                weighted += w * s
            }
        }
        let coverage = weightSum > 0 ? (scoredWeight / weightSum * 10000).rounded() / 10000 : 0
        let scoredCount = dims.filter { $0.score != nil }.count

        let uncapped: Double? = scoredWeight > 0 ? roundTenth(weighted / scoredWeight) : nil
        let caps = Caps.applicable(signals, advisories, policy: policy)
        var trust = uncapped
        var lowering: [Cap] = []
        if let u = uncapped {
            lowering = caps.filter { $0.max < u }
            if let lowest = lowering.map(\.max).min() { trust = roundTenth(lowest) }
        }

        let findings = Findings.collect(signals, advisories, dims: dims)
        let gaps = EvidenceGaps(signals, coverage: coverage, policy: policy)
        let verdict = Self.verdict(trust: trust, gaps: gaps, thresholds: policy.thresholds)
        let blocking = findings.contains { $0.kind.blocksVerification }
        let verified = verdict.level == .safe && (trust.map { tenths($0) >= tenths(policy.thresholds.verifiedScore) } ?? false)
            && coverage >= policy.thresholds.verifiedCoverage && !blocking

        // Strongest/weakest: ties go to the earlier dimension in the fixed order.
        var strongest: DimensionScore?
        var weakest: DimensionScore?
        for d in dims where policy.weight(d.dimension) > 0 {
            guard let s = d.score else { continue }
            if let best = strongest?.score, best >= s {} else { strongest = d }
            if let worst = weakest?.score, worst <= s {} else { weakest = d }
        }

        let grade = trust.map { Grade(score: $0) }
        let summary = Self.summary(signals.package, trust: trust, grade: grade, verdict: verdict, scored: scoredCount,
                                   confidence: confidence(coverage), caps: lowering, verified: verified, gaps: gaps)
        return Report(package: signals.package, trustScore: trust, uncappedScore: uncapped, grade: grade, verdict: verdict,
                      summary: summary, verified: verified, dimensions: dims, coverage: coverage,
                      confidence: confidence(coverage), caps: lowering, findings: findings,
                      strongest: strongest?.dimension, weakest: weakest?.dimension, policy: policy, signals: signals,
                      ignoredAdvisories: advisories?.ignored ?? [], now: now, gaps: gaps)
    }

    /// The verdict: from the score, except that what is not known is never safe. A score that
    /// would be safe becomes `unknown` when the package is not known to exist, its advisories
    /// were not checked, or too little of the weight had data. A package the registry data does
    /// not list is `unknown` whatever its score, unless an advisory already says to avoid it.
    /// Caution, warning and avoid stand on their own evidence (a finding or weak dimensions).
    static func verdict(trust: Double?, gaps: EvidenceGaps, thresholds: Policy.Thresholds) -> Verdict {
        guard let trust else { return unknownVerdict }
        let scored = verdict(trust, thresholds: thresholds)
        if gaps.notFound && scored.level != .avoid { return unknownVerdict }
        if scored.level == .safe && !gaps.reasons.isEmpty { return unknownVerdict }
        return scored
    }

    static func summary(_ p: PackageID, trust: Double?, grade: Grade?, verdict: Verdict, scored: Int, confidence: String,
                        caps: [Cap], verified: Bool, gaps: EvidenceGaps) -> String {
        let basis = "based on \(scored) of 8 dimensions (\(confidence) confidence)"
        var text: String
        if let trust, let grade {
            text = "\(p.display) scores \(trust) (\(grade.rawValue)), \(verdict.label), \(basis)"
            if let cap = caps.min(by: { $0.max < $1.max }) {
                text += "; capped at \(Int(cap.max.rounded())) because \(cap.reason)"
            }
        } else {
            text = "\(p.display): no evidence for any dimension, so there is no Trust Score (\(verdict.label)); \(basis)"
        }
        if verdict.level == .unknown, !gaps.reasons.isEmpty {
            text += "; not enough evidence to call it safe: \(gaps.reasons.joined(separator: "; "))"
        }
        text += verified ? "; verified." : "."
        return text
    }
}

/// What a report could not establish, each a reason it cannot be called safe.
public struct EvidenceGaps: Sendable, Equatable {
    /// The registry data that was consulted does not list the package.
    public var notFound: Bool
    /// Nothing checked this version against an advisory database.
    public var advisoriesNotChecked: Bool
    /// Nothing shows that the package exists (no registry data, source or lockfile checksum).
    public var existenceUnknown: Bool
    /// The share of the weights with data is below the policy's minimum.
    public var lowCoverage: Bool
    public var reasons: [String]

    init(_ s: Signals, coverage: Double, policy: Policy) {
        notFound = s.existence?.known == false
        existenceUnknown = s.existence == nil
        advisoriesNotChecked = s.advisories == nil && s.fromRegistry
        lowCoverage = coverage < policy.thresholds.minimumCoverage
        reasons = []
        if notFound, let e = s.existence { reasons.append("not found in \(e.via)") }
        if existenceUnknown { reasons.append("nothing shows that it exists (no registry data, no source on disk)") }
        if advisoriesNotChecked { reasons.append("advisories not checked") }
        if lowCoverage {
            reasons.append("only \(Int((coverage * 100).rounded()))% of the weight has data (at least \(Int((policy.thresholds.minimumCoverage * 100).rounded()))% needed)")
        }
    }
}

/// A ceiling on the Trust Score and why.
public struct Cap: Sendable, Equatable {
    public var max: Double
    public var reason: String
    public var id: String?
}

enum Caps {
    static func applicable(_ s: Signals, _ adv: CountedAdvisories?, policy: Policy) -> [Cap] {
        var caps: [Cap] = []
        let c = policy.caps
        for a in adv?.counted ?? [] {
            switch a.kind {
            case .vulnerability:
                switch a.severity {
                case .critical: caps.append(Cap(max: c.critical, reason: "\(a.id) is a critical vulnerability", id: a.id))
                case .high: caps.append(Cap(max: c.high, reason: "\(a.id) is a high-severity vulnerability", id: a.id))
                default: caps.append(Cap(max: c.vulnerability, reason: "\(a.id) is a vulnerability", id: a.id))
                }
            case .unsound: caps.append(Cap(max: c.unsound, reason: "\(a.id) reports unsound code", id: a.id))
            case .unmaintained: caps.append(Cap(max: c.unmaintained, reason: "\(a.id) reports the crate unmaintained", id: a.id))
            case .yanked: caps.append(Cap(max: c.yanked, reason: "\(a.id) reports this version yanked", id: a.id))
            case .malicious: caps.append(Cap(max: c.malicious, reason: "\(a.id) reports the crate malicious", id: a.id))
            case .notice: break
            }
        }
        if s.registry?.yanked == true {
            caps.append(Cap(max: c.yanked, reason: "this version is yanked from the registry", id: nil))
        }
        return caps.sorted { ($0.max, $0.id ?? "", $0.reason) < ($1.max, $1.id ?? "", $1.reason) }
    }
}
