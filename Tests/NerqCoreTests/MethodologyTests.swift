import Testing
@testable import NerqCore

let now = Timestamp.parse("2026-11-21T00:00:00Z") ?? Timestamp(seconds: 0)

func signals(_ name: String = "demo", version: String? = "1.2.3", _ build: (inout Signals) -> Void = { _ in }) -> Signals {
    var s = Signals(package: PackageID(name: name, version: version))
    build(&s)
    return s
}

func score(_ s: Signals, policy: Policy = Policy()) -> Report {
    Methodology.score(s, policy: policy, now: now)
}

@Suite struct GradeTests {
    @Test(arguments: [
        (100.0, "A+"), (90.0, "A+"), (89.9, "A"), (85.0, "A"), (84.9, "A-"), (80.0, "A-"), (79.9, "B+"),
        (76.0, "B+"), (75.9, "B"), (72.0, "B"), (71.9, "B-"), (68.0, "B-"), (67.9, "C+"), (63.2, "C+"),
        (60.0, "C+"), (59.9, "C"), (55.0, "C"), (54.9, "C-"), (50.0, "C-"), (49.9, "D"), (48.2, "D"),
        (45.0, "D"), (44.9, "E"), (38.0, "E"), (37.9, "F"), (0.0, "F"),
    ])
    func boundary(score: Double, grade: String) {
        #expect(Grade(score: score).rawValue == grade, "\(score)")
    }

    @Test(arguments: [
        (70.0, "safe", "YES — SAFE", "PROCEED"), (69.9, "caution", "CAUTION", "CAUTION"),
        (55.0, "caution", "CAUTION", "CAUTION"), (54.9, "warning", "NO — USE WITH CAUTION", "CAUTION"),
        (40.0, "warning", "NO — USE WITH CAUTION", "CAUTION"), (39.9, "avoid", "NO — AVOID", "DENY"),
    ])
    func verdicts(score: Double, level: String, label: String, recommendation: String) {
        let v = Methodology.verdict(score, thresholds: Policy.Thresholds())
        #expect(v.level.rawValue == level && v.label == label && v.recommendation.rawValue == recommendation, "\(score)")
    }

    @Test func confidence() {
        #expect(Methodology.confidence(0.8) == "high")
        #expect(Methodology.confidence(0.79) == "medium")
        #expect(Methodology.confidence(0.5) == "medium")
        #expect(Methodology.confidence(0.49) == "low")
    }
}

@Suite struct ScoreTests {
    @Test func noDataIsNullNotZero() {
        let r = score(signals())
        #expect(r.trustScore == nil)
        #expect(r.grade == nil)
        #expect(r.coverage == 0)
        #expect(r.confidence == "low")
        #expect(r.dimensions.count == 8)
        #expect(r.dimensions.allSatisfy { $0.score == nil })
        #expect(r.verdict.level.rawValue == "unknown")
        // v2: not knowing is its own answer, never PROCEED and not a softened CAUTION either.
        #expect(r.verdict.recommendation.rawValue == "UNKNOWN")
        #expect(r.strongest == nil && r.weakest == nil)
        #expect(r.summary.contains("0 of 8 dimensions"))
    }

    @Test func dimensionsInFixedOrder() {
        let r = score(signals())
        #expect(r.dimensions.map(\.dimension) == [.security, .maintenance, .popularity, .quality, .community,
                                                   .transparency, .reliability, .privacy])
    }

    @Test func weightedMeanOverScoredDimensionsOnly() {
        let r = score(signals { $0.dimensions = [.security: 80, .popularity: 40] })
        // v2 weights: (0.55*80 + 0.10*40) / 0.65 = 73.846... -> 73.8
        #expect(r.trustScore == 73.8)
        #expect(r.coverage == 0.65)
        #expect(r.confidence == "medium")
        #expect(r.strongest == .security && r.weakest == .popularity)
        #expect(r.summary.contains("2 of 8 dimensions"))
    }

    @Test func coverageWithMissingDimensions() {
        var dims: [Dimension: Double] = [:]
        for d in Dimension.allCases where d != .privacy && d != .reliability { dims[d] = 90 }
        let r = score(signals { $0.dimensions = dims })
        // v2 weights: reliability 0.05 missing (privacy weighs nothing).
        #expect(r.coverage == 0.95)
        #expect(r.confidence == "high")
        #expect(r.trustScore == 90)
        #expect(r.grade?.rawValue == "A+")
    }

    /// v2: an empty advisory list says the database was checked, and the report says so, but
    /// finding nothing is no evidence of safety: no dimension is scored from it alone.
    @Test func emptyAdvisoryListIsCheckedButScoresNothing() {
        let r = score(signals { $0.advisories = [] })
        #expect(r.dimensions.allSatisfy { $0.score == nil })
        #expect(r.trustScore == nil)
        #expect(r.coverage == 0)
        #expect(r.verdict.level == .unknown)
        #expect(!r.verified)
        #expect(!r.findings.contains { $0.kind == .advisoriesNotChecked })
        let security = r.dimensions.first { $0.dimension == .security }
        #expect(security?.contributions.map(\.signal) == ["advisories"])
    }

    /// v2: a notice or the crate's earlier advisories adjust a security score that evidence about
    /// the code made, but do not make one from base 100 on their own.
    @Test func historyAndNoticesAloneScoreNothing() {
        let r = score(signals {
            $0.advisories = [Advisory(id: "N", kind: .notice)]
            $0.history = AdvisoryHistory(ids: ["RUSTSEC-2020-0001", "RUSTSEC-2021-0001"])
        })
        #expect(r.dimensions.first { $0.dimension == .security }?.score == nil)
        #expect(r.trustScore == nil)
        var source = SourceSignals()
        source.linesCode = 100
        source.unsafeBlocks = 0
        let withSource = score(signals {
            $0.source = source
            $0.history = AdvisoryHistory(ids: ["RUSTSEC-2020-0001"])
        })
        // 100 - 5 x log2(1 + 1) = 95; no unsafe code, 100 lines: no size points.
        #expect(withSource.dimensions.first { $0.dimension == .security }?.score == 95)
    }

    func capped(_ advisory: Advisory) -> Report {
        score(signals {
            $0.advisories = [advisory]
            $0.dimensions = [.popularity: 100, .quality: 100, .community: 100, .transparency: 100, .privacy: 100]
        })
    }

    @Test func criticalCap() {
        let r = capped(Advisory(id: "RUSTSEC-1", kind: .vulnerability, severity: .critical))
        #expect(r.trustScore == 35)
        #expect(r.caps.map(\.max) == [35])
        #expect(r.caps.first?.id == "RUSTSEC-1")
        #expect(r.verdict.level.rawValue == "avoid")
        #expect(!r.verified)
    }

    @Test func highCap() {
        #expect(capped(Advisory(id: "R", kind: .vulnerability, severity: .high)).trustScore == 45)
    }

    @Test func cvssScoreDecidesSeverityWhenNoneGiven() {
        var a = Advisory(id: "R", kind: .vulnerability, cvssScore: 9.8)
        a.severity = Severity.fromCVSSScore(9.8)
        #expect(capped(a).trustScore == 35)
        #expect(Severity.fromCVSSScore(7.0) == .high && Severity.fromCVSSScore(6.9) == .medium)
    }

    @Test func otherVulnerabilityCap() {
        #expect(capped(Advisory(id: "R", kind: .vulnerability, severity: .medium)).trustScore == 59)
        #expect(capped(Advisory(id: "R", kind: .vulnerability)).trustScore == 59)
    }

    @Test func unsoundAndUnmaintainedCap() {
        #expect(capped(Advisory(id: "R", kind: .unsound)).trustScore == 65)
        #expect(capped(Advisory(id: "R", kind: .unmaintained)).trustScore == 65)
    }

    @Test func yankedCap() {
        #expect(capped(Advisory(id: "R", kind: .yanked)).trustScore == 50)
        let r = score(signals {
            $0.registry = RegistrySignals()
            $0.registry?.yanked = true
            $0.dimensions = [.security: 100, .quality: 100]
        })
        #expect(r.trustScore == 50)
        #expect(r.findings.contains { $0.kind.rawValue == "yanked" })
    }

    @Test func maliciousCapsAtZero() {
        let r = capped(Advisory(id: "R", kind: .malicious))
        #expect(r.trustScore == 0)
        #expect(r.grade?.rawValue == "F")
        #expect(r.verdict.recommendation.rawValue == "DENY")
    }

    @Test func capNotListedWhenScoreAlreadyBelow() {
        let r = score(signals {
            $0.advisories = [Advisory(id: "R", kind: .unmaintained)]
            $0.dimensions = [.security: 30, .maintenance: 30, .reliability: 30]
        })
        #expect(r.trustScore == 30)
        #expect(r.caps.isEmpty)
    }

    @Test func withdrawnAndIgnoredAdvisoriesNeverCount() {
        let withdrawn = Advisory(id: "R1", kind: .vulnerability, severity: .critical, withdrawn: "2024-01-01")
        let ignored = Advisory(id: "R2", kind: .vulnerability, severity: .critical, aliases: ["CVE-2024-1"])
        let r = score(signals {
            $0.advisories = [withdrawn, ignored]
            $0.dimensions = [.popularity: 100]
        }, policy: Policy(ignore: [IgnoreRule(id: "CVE-2024-1")]))
        #expect(r.trustScore == 100)
        #expect(r.caps.isEmpty)
        #expect(r.findings.isEmpty)
        #expect(r.ignoredAdvisories.map(\.id) == ["R1", "R2"])
    }

    @Test func verifiedNeedsScoreCoverageAndNoBlockingFinding() {
        var dims: [Dimension: Double] = [:]
        for d in Dimension.allCases { dims[d] = 80 }
        // v2: verified also needs the package known to exist and its advisories checked.
        let known = Existence(known: true, via: "test")
        func signals(_ build: (inout Signals) -> Void) -> Signals {
            NerqCoreTests.signals {
                $0.existence = known
                $0.advisories = []
                build(&$0)
            }
        }
        #expect(score(signals { $0.dimensions = dims }).verified)
        #expect(!score(NerqCoreTests.signals { $0.dimensions = dims }).verified)
        // Score just below the threshold.
        for d in Dimension.allCases { dims[d] = 69.9 }
        #expect(!score(signals { $0.dimensions = dims }).verified)
        // Coverage below 0.6 (maintenance 0.2 + popularity 0.1 = 0.3).
        #expect(!score(signals { $0.dimensions = [.maintenance: 100, .popularity: 100] }).verified)
        // An unsound finding blocks it even when the score stays high.
        for d in Dimension.allCases { dims[d] = 100 }
        let unsound = score(signals {
            $0.dimensions = dims
            $0.advisories = [Advisory(id: "R", kind: .unsound)]
        }, policy: Policy(caps: { var c = Policy.Caps(); c.unsound = 100; return c }()))
        #expect(unsound.trustScore == 100)
        #expect(!unsound.verified)
        // A notice does not block.
        let notice = score(signals {
            $0.dimensions = dims
            $0.advisories = [Advisory(id: "N", kind: .notice)]
        })
        #expect(notice.verified)
    }

    @Test func trustScoreRecomputesFromReport() {
        let r = score(signals {
            $0.advisories = [Advisory(id: "R", kind: .unsound)]
            $0.registry = RegistrySignals()
            $0.registry?.downloadsPercentile = 73.4
            $0.registry?.owners = 1
            $0.manifest = ManifestSignals()
            $0.manifest?.license = "MIT"
            $0.manifest?.edition = "2018"
        })
        var num = 0.0, den = 0.0
        for d in r.dimensions {
            guard let s = d.score else { continue }
            let w = r.policy.weight(d.dimension)
            num += w * s
            den += w
            // Each dimension recomputes from its base and listed points.
            let total = d.contributions.reduce(d.base ?? 0) { $0 + $1.points }
            #expect(roundTenth(min(100, max(0, total))) == s)
        }
        let recomputed = min(roundTenth(num / den), r.caps.map(\.max).min() ?? 100)
        #expect(r.trustScore == recomputed)
    }

    @Test func quietStableCrateIsNotPunished() {
        let quiet = score(signals {
            $0.registry = RegistrySignals()
            $0.registry?.latestRelease = Timestamp.parse("2021-01-01")
            $0.advisories = []
        })
        let m = quiet.dimensions[1]
        #expect(m.score == 100)
        let neglected = score(signals {
            $0.registry = RegistrySignals()
            $0.registry?.latestRelease = Timestamp.parse("2021-01-01")
            $0.advisories = [Advisory(id: "R", kind: .unsound)]
        })
        #expect((neglected.dimensions[1].score ?? 100) < 100)
        #expect(neglected.findings.contains { $0.kind.rawValue == "stale" })
    }

    @Test func precomputedDimensionWins() {
        let r = score(signals {
            $0.advisories = [Advisory(id: "R", kind: .vulnerability, severity: .low)]
            $0.dimensions = [.security: 12.34]
        })
        #expect(r.dimensions[0].score == 12.3)
        #expect(r.dimensions[0].contributions.first?.signal == "precomputed")
    }

    @Test func findingsAreOrderedBySeverity() {
        let r = score(signals {
            $0.advisories = [Advisory(id: "B", kind: .unmaintained), Advisory(id: "A", kind: .vulnerability, severity: .critical),
                             Advisory(id: "C", kind: .notice)]
        })
        #expect(r.findings.map(\.id) == ["A", "B", "C"])
    }
}

@Suite struct TimestampTests {
    @Test func parsesAndFormats() {
        #expect(Timestamp.parse("1970-01-01T00:00:00Z")?.seconds == 0)
        #expect(Timestamp.parse("2026-11-21T00:00:00Z")?.description == "2026-11-21T00:00:00Z")
        #expect(Timestamp.parse("2026-11-21T01:30:00+01:30")?.description == "2026-11-21T00:00:00Z")
        #expect(Timestamp.parse("2024-02-29")?.dateString == "2024-02-29")
        #expect(Timestamp.parse("2023-02-29") == nil)
        #expect(Timestamp.parse("2026-11-21T00:00:00") == nil)
        #expect(Timestamp.parse("2026-11-21T00:00:00.123456Z")?.seconds == Timestamp.parse("2026-11-21T00:00:00Z")?.seconds)
        #expect(Timestamp.parse("") == nil)
        #expect(Timestamp.parse("99999-01-01") == nil)
        #expect(Timestamp.parse("1969-12-31T23:59:59Z")?.description == "1969-12-31T23:59:59Z")
    }

    /// Four-digit years are written digit by digit: the text parses back to the same second, at
    /// the ends of the range and across it; other years take the general form.
    @Test func formatsEveryFourDigitYear() {
        let first = Timestamp.parse("0000-01-01T00:00:00Z")?.seconds ?? 0, last = Timestamp.parse("9999-12-31T23:59:59Z")?.seconds ?? 0
        #expect(Timestamp(seconds: first).description == "0000-01-01T00:00:00Z")
        #expect(Timestamp(seconds: last).description == "9999-12-31T23:59:59Z")
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let t = Timestamp(seconds: first + Int64(x >> 1) % (last - first + 1))
            #expect(Timestamp.parse(t.description)?.seconds == t.seconds, "\(t.seconds) -> \(t.description)")
            #expect(t.dateString == String(t.description.prefix(10)))
        }
        #expect(Timestamp(seconds: last + 1).description == "10000-01-01T00:00:00Z")
        #expect(Timestamp(seconds: first - 1).description.hasSuffix("-12-31T23:59:59Z"))
    }
}
