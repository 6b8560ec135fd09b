/// Methodology v1: how signals become the eight dimension scores.
#if canImport(Glibc)
import Glibc  // log10 and log2 only: the core does no I/O
#elseif canImport(Musl)
import Musl
#endif
import NerqJSON
import NerqSemver
///
/// Every dimension works the same way: a documented base plus the points of each signal, clamped
/// to 0–100 and rounded to one decimal. Each signal's points are listed in the report, so the
/// score of a dimension can be recomputed from the report alone. A dimension with no signal at all
/// is null ("no data"), never zero. docs/methodology.md is the prose version of this file.

/// One signal's part in a dimension score.
public struct Contribution: Sendable, Equatable {
    public var signal: String
    public var value: JSONValue
    public var points: Double
    public var reason: String

    public init(_ signal: String, _ value: JSONValue, _ points: Double, _ reason: String) {
        self.signal = signal
        self.value = value
        self.points = points
        self.reason = reason
    }

    func write<S: JSONSink>(to s: inout S) {
        s.beginObject(capacity: 4)
        s.member("signal", .string(signal))
        s.member("value", value)
        s.member("points", .double(points))
        s.member("reason", .string(reason))
        s.endObject()
    }
}

public struct DimensionScore: Sendable, Equatable {
    public var dimension: Dimension
    public var score: Double?
    public var base: Double?
    public var contributions: [Contribution]
}

/// Rounds half away from zero to one decimal: the only rounding nerq applies to scores.
@inlinable public func roundTenth(_ x: Double) -> Double { (x * 10).rounded(.toNearestOrAwayFromZero) / 10 }

/// The advisories that count for a score: neither withdrawn nor ignored by an entry of the policy
/// that is still active at `now`.
public struct CountedAdvisories: Sendable {
    public var counted: [Advisory]
    public var ignored: [IgnoredAdvisory]

    public init(_ advisories: [Advisory], policy: Policy, now: Timestamp) {
        counted = []
        ignored = []
        let active = policy.ignore.filter { $0.isActive(at: now) }
        for a in advisories {
            if let w = a.withdrawn {
                ignored.append(IgnoredAdvisory(id: a.id, reason: "withdrawn on \(w)"))
            } else if let (rule, via) = Self.firstMatch(a, active) {
                let how = via == .alias ? ", an alias of \(a.id)" : ""
                ignored.append(IgnoredAdvisory(id: a.id, reason: "ignored by policy (\(rule.id)\(how))", rule: rule, via: via,
                                               names: a.names))
            } else {
                counted.append(a)
            }
        }
    }

    /// The entry that ignores `a`: one naming its id wins over one naming an alias (so the report
    /// credits the entry the user wrote for this advisory), else the first in policy order.
    static func firstMatch(_ a: Advisory, _ rules: [IgnoreRule]) -> (IgnoreRule, IgnoreRule.Match)? {
        var byAlias: IgnoreRule?
        for r in rules {
            switch r.match(a) {
            case .id?: return (r, .id)
            case .alias?: if byAlias == nil { byAlias = r }
            case nil: break
            }
        }
        return byAlias.map { ($0, .alias) }
    }

    public func of(_ kind: Advisory.Kind) -> [Advisory] { counted.filter { $0.kind == kind } }
}

enum DimensionScorer {
    static func score(_ d: Dimension, _ s: Signals, advisories: CountedAdvisories?, now: Timestamp) -> DimensionScore {
        if let given = s.dimensions[d] {
            return DimensionScore(dimension: d, score: roundTenth(given), base: nil,
                                  contributions: [Contribution("precomputed", .double(given), 0, "score given in the request's dimensions")])
        }
        let result: Scored?
        switch d {
        case .security: result = security(s, advisories)
        case .maintenance: result = maintenance(s, advisories, now: now)
        case .popularity: result = popularity(s)
        case .quality: result = quality(s)
        case .community: result = community(s)
        case .transparency: result = transparency(s)
        case .reliability: result = reliability(s, advisories)
        case .privacy: result = privacy(s)
        }
        guard let result else { return DimensionScore(dimension: d, score: nil, base: nil, contributions: []) }
        // What was checked and found nothing is listed, but scores nothing on its own.
        guard result.evidence else {
            // Listed for what they say, but with nothing to adjust they carry no points.
            let listed = result.parts.map { c in
                c.points == 0 ? c : Contribution(c.signal, c.value, 0, c.reason + " (no points: the dimension has no other evidence)")
            }
            return DimensionScore(dimension: d, score: nil, base: nil, contributions: listed)
        }
        let total = result.parts.reduce(result.base) { $0 + $1.points }
        return DimensionScore(dimension: d, score: roundTenth(min(100, max(0, total))), base: result.base, contributions: result.parts)
    }

    /// A scorer's answer: its base and signals, and whether any of them is evidence about the
    /// dimension (rather than a record that nothing was found where nerq looked).
    struct Scored {
        var base: Double
        var parts: [Contribution]
        var evidence = true
    }

    // MARK: security

    static func vulnerabilityPoints(_ severity: Severity?) -> Double {
        switch severity {
        case .critical: return -70
        case .high: return -50
        case .medium, nil: return -30
        case .low: return -15
        case .some(.none), .info: return -5
        }
    }

    /// Source-based security points (methodology v2), fitted on held-out folds of 1,489 Debian
    /// crates against their RustSec history (docs/validity.md) and halved so that the verdict
    /// thresholds separate the crates well (the ranking, and so its AUC, does not depend on the
    /// scale): any unsafe code, unsafe impls (log), and size as attack surface (log of lines of
    /// code above 100).
    static let anyUnsafePoints = -8.5
    static let unsafeImplsPerDecade = -11.0
    static let sizePerDecade = -7.5

    /// Scored from the crate's own source, or from a vulnerability or malicious advisory that
    /// affects this version. Notices and the crate's earlier advisories adjust the score but do
    /// not make it on their own (base 100 would then stand for code nobody looked at).
    static func security(_ s: Signals, _ adv: CountedAdvisories?) -> Scored? {
        var parts: [Contribution] = []
        var evidence = false
        if let adv {
            for a in adv.of(.vulnerability) {
                let sev = a.severity?.rawValue ?? "unknown"
                parts.append(Contribution("advisory", .string(a.id), vulnerabilityPoints(a.severity), "\(sev) vulnerability affects this version"))
            }
            for a in adv.of(.malicious) {
                parts.append(Contribution("advisory", .string(a.id), -100, "the crate is malicious"))
            }
            // A vulnerability or a malicious crate is evidence about security on its own; a notice
            // (like the history below) only adjusts a dimension that other evidence scores.
            evidence = !parts.isEmpty
            for a in adv.of(.notice) {
                parts.append(Contribution("advisory", .string(a.id), -5, "informational notice"))
            }
            if parts.isEmpty {
                parts.append(Contribution("advisories", .int(0), 0, "no known vulnerability affects this version (not evidence of safety by itself)"))
            }
        }
        if let h = s.history, !h.ids.isEmpty {
            // Earlier advisories of the crate: where bugs were found, more tend to be found.
            let points = -roundTenth(5 * log2(1 + Double(h.ids.count)))
            parts.append(Contribution("advisory_history", .int(Int64(h.ids.count)), points,
                                      "\(h.ids.count) earlier advisor\(h.ids.count == 1 ? "y" : "ies") for other versions of the crate"))
        }
        if let src = s.source, src.error == nil {
            let items = src.forbidsUnsafe == true ? 0 : (src.unsafeItems ?? 0)
            if src.forbidsUnsafe == true {
                parts.append(Contribution("forbids_unsafe", .bool(true), 0, "#![forbid(unsafe_code)] at the crate root"))
            }
            if src.unsafeItems != nil || src.forbidsUnsafe == true {
                parts.append(Contribution("unsafe_code", .int(items), items > 0 ? anyUnsafePoints : 0,
                                          items > 0 ? "\(items) unsafe item\(items == 1 ? "" : "s") (blocks, functions, impls, traits)" : "no unsafe code"))
                evidence = true
            }
            if let impls = src.unsafeImpls, src.forbidsUnsafe != true {
                parts.append(Contribution("unsafe_impls", .int(impls), impls > 0 ? roundTenth(unsafeImplsPerDecade * log10(1 + Double(impls))) : 0,
                                          "\(impls) unsafe impl\(impls == 1 ? "" : "s") (Send, Sync and other unsafe traits implemented by hand)"))
                evidence = true
            }
            if let lines = src.productLinesCode {
                let decades = max(0, log10(Double(max(lines, 1)) / 100))
                parts.append(Contribution("size", .int(lines), roundTenth(sizePerDecade * decades),
                                          "\(lines) lines of code outside tests: attack surface grows with size"))
                evidence = true
            }
        }
        return parts.isEmpty ? nil : Scored(base: 100, parts: parts, evidence: evidence)
    }

    // MARK: maintenance

    static func maintenance(_ s: Signals, _ adv: CountedAdvisories?, now: Timestamp) -> Scored? {
        var parts: [Contribution] = []
        var evidence = false
        if let adv {
            let unmaintained = adv.of(.unmaintained)
            for a in unmaintained {
                parts.append(Contribution("advisory", .string(a.id), -50, "reported unmaintained"))
            }
            if unmaintained.isEmpty {
                parts.append(Contribution("advisories", .int(0), 0, "no unmaintained advisory (not evidence of care by itself)"))
            } else {
                evidence = true
            }
        }
        if s.repository?.archived == true {
            parts.append(Contribution("archived", .bool(true), -40, "the source repository is archived"))
            evidence = true
        }
        let activity = [s.registry?.latestRelease, s.repository?.lastCommit].compactMap { $0 }.max()
        // The edition says something about upkeep only beside the crate's activity.
        if s.manifest?.edition == "2015", activity != nil || evidence {
            parts.append(Contribution("edition", .string("2015"), -10, "still on edition 2015"))
        }
        if let last = activity {
            evidence = true
            let months = max(0, last.days(until: now) / 30)
            if months <= 12 {
                parts.append(Contribution("last_activity", .string(last.dateString), 0, "active within the last year"))
            } else if let finished = finished(s, adv) {
                parts.append(Contribution("last_activity", .string(last.dateString), 0,
                                          "quiet for \(months) months, but finished (\(finished)): not counted"))
            } else {
                var neglect: [String] = []
                if openAdvisory(adv) { neglect.append("open advisories") }
                if s.manifest?.edition == "2015" { neglect.append("edition 2015") }
                if s.registry?.yanked == true || yankedShare(s) > 0.25 { neglect.append("yanked releases") }
                if s.repository?.archived == true { neglect.append("archived repository") }
                if ownerless(s) { neglect.append("no owner on the registry") }
                if neglect.isEmpty {
                    parts.append(Contribution("last_activity", .string(last.dateString), 0,
                                              "quiet for \(months) months, with no sign of neglect: not counted"))
                } else {
                    parts.append(Contribution("last_activity", .string(last.dateString), -Double(min(40, months - 12)),
                                              "quiet for \(months) months, with \(neglect.joined(separator: ", "))"))
                }
            }
        }
        return parts.isEmpty ? nil : Scored(base: 100, parts: parts, evidence: evidence)
    }

    /// A counted vulnerability, unsound or unmaintained advisory.
    static func openAdvisory(_ adv: CountedAdvisories?) -> Bool {
        adv?.counted.contains { $0.kind == .vulnerability || $0.kind == .unsound || $0.kind == .unmaintained } ?? false
    }

    /// Both owner counts known and zero: nobody can publish a fix.
    static func ownerless(_ s: Signals) -> Bool {
        guard let r = s.registry, let owners = r.owners, let teams = r.teamOwners else { return false }
        return owners == 0 && teams == 0
    }

    /// Why a quiet crate is finished rather than neglected, or nil: its latest version (else the
    /// scored one) is a stable 1.0 or later, other crates still depend on it, no vulnerability,
    /// unsound or unmaintained advisory counts, its repository is not archived and it has an owner.
    /// Edition 2015 and yanked releases in its history do not make a finished crate neglected.
    static func finished(_ s: Signals, _ adv: CountedAdvisories?) -> String? {
        guard let r = s.registry, let text = r.latestVersion ?? s.package.version,
              let v = try? Version.parse(text), v.major >= 1, v.pre.isEmpty else { return nil }
        let dependents = r.reverseDependencies ?? 0
        guard dependents >= 1 || (r.reverseDependenciesPercentile ?? 0) > 0 else { return nil }
        guard !openAdvisory(adv), s.repository?.archived != true, !ownerless(s) else { return nil }
        var reason = "stable \(v.major).x"
        if let n = r.reverseDependencies { reason += ", \(n) dependent crate\(n == 1 ? "" : "s")" } else { reason += ", depended upon" }
        if adv != nil { reason += ", no open advisory" }
        return reason
    }

    static func yankedShare(_ s: Signals) -> Double {
        guard let versions = s.registry?.versions, versions > 0, let yanked = s.registry?.yankedVersions else { return 0 }
        return Double(yanked) / Double(versions)
    }

    // MARK: popularity

    static func popularity(_ s: Signals) -> Scored? {
        guard let r = s.registry else { return nil }
        var parts: [(signal: String, value: JSONValue, level: Double, reason: String)] = []
        if let p = r.downloadsPercentile {
            parts.append(("downloads_percentile", .double(p), p, "more downloads than \(roundTenth(p))% of crates"))
        } else if let d = r.downloads {
            parts.append(("downloads", .int(d), downloadsLevel(d), "\(d) downloads (fixed scale: no ecosystem percentile given)"))
        }
        if let p = r.reverseDependenciesPercentile {
            parts.append(("reverse_dependencies_percentile", .double(p), p, "more dependents than \(roundTenth(p))% of crates"))
        } else if let n = r.reverseDependencies {
            parts.append(("reverse_dependencies", .int(n), reverseDependenciesLevel(n), "\(n) crates depend on it (fixed scale)"))
        }
        guard !parts.isEmpty else { return nil }
        // Downloads weigh 0.6 and dependents 0.4 when both are known; a lone signal counts fully.
        let shares: [Double] = parts.count == 2 ? [0.6, 0.4] : [1.0]
        let contributions = zip(parts, shares).map { part, share in
            Contribution(part.signal, part.value, roundTenth(part.level * share), part.reason)
        }
        return Scored(base: 0, parts: contributions)
    }

    static func downloadsLevel(_ d: Int64) -> Double {
        switch d {
        case 100_000_000...: return 100
        case 10_000_000...: return 90
        case 1_000_000...: return 75
        case 100_000...: return 60
        case 10_000...: return 40
        case 1_000...: return 20
        default: return 5
        }
    }

    static func reverseDependenciesLevel(_ n: Int64) -> Double {
        switch n {
        case 1_000...: return 100
        case 100...: return 80
        case 10...: return 50
        case 1...: return 25
        default: return 0
        }
    }

    // MARK: quality

    static func quality(_ s: Signals) -> Scored? {
        var parts: [Contribution] = []
        if let src = s.source {
            if src.tests != nil || src.testFns != nil {
                let n = (src.testFns ?? 0) + (src.tests ?? 0)
                parts.append(Contribution("tests", .int(src.testFns ?? src.tests ?? 0), n > 0 ? 20 : 0,
                                          n > 0 ? "has tests" : "no tests found"))
            }
            if let e = src.examples {
                parts.append(Contribution("examples", .int(e), e > 0 ? 5 : 0, e > 0 ? "has examples" : "no examples"))
            }
            if let c = src.docCoverage {
                parts.append(Contribution("doc_coverage", .double(c), roundTenth(20 * c), "\(roundTenth(c * 100))% of public items documented"))
            }
        }
        if let m = s.manifest {
            if let rv = m.rustVersion {
                parts.append(Contribution("rust_version", .string(rv), 5, "declares its minimum Rust version"))
            }
            if let e = m.edition {
                let points: Double = (e == "2021" || e == "2024") ? 10 : (e == "2018" ? 5 : 0)
                parts.append(Contribution("edition", .string(e), points, "edition \(e)"))
            }
        }
        return parts.isEmpty ? nil : Scored(base: 40, parts: parts)
    }

    // MARK: community

    static func community(_ s: Signals) -> Scored? {
        var parts: [Contribution] = []
        if let r = s.registry, r.owners != nil || r.teamOwners != nil {
            let owners = r.owners ?? 0
            let teams = r.teamOwners ?? 0
            let shared = owners >= 2 || teams >= 1
            let reason = shared ? "more than one owner (bus factor above one)"
                : owners + teams == 0 ? "no owner on the registry: nobody can publish a release" : "a single owner"
            parts.append(Contribution("owners", .int(owners + teams), shared ? 20 : 0, reason))
        }
        if let repo = s.repository {
            if let c = repo.contributors {
                let points: Double = c >= 20 ? 25 : c >= 5 ? 15 : c >= 2 ? 5 : 0
                parts.append(Contribution("contributors", .int(c), points, "\(c) contributors"))
            }
            if let st = repo.stars {
                let points: Double = st >= 1000 ? 15 : st >= 100 ? 10 : st >= 10 ? 5 : 0
                parts.append(Contribution("stars", .int(st), points, "\(st) stars"))
            }
            if let f = repo.forks {
                let points: Double = f >= 100 ? 10 : f >= 10 ? 5 : 0
                parts.append(Contribution("forks", .int(f), points, "\(f) forks"))
            }
        }
        return parts.isEmpty ? nil : Scored(base: 30, parts: parts)
    }

    // MARK: transparency

    static func transparency(_ s: Signals) -> Scored? {
        let m = s.manifest
        let repo = s.repository
        let src = s.source
        guard m != nil || repo?.url != nil || repo?.securityPolicy != nil || src?.hasReadme != nil || src?.licenseFiles != nil else {
            return nil
        }
        var parts: [Contribution] = []
        func flag(_ signal: String, _ present: Bool, _ points: Double, _ yes: String, _ no: String) {
            parts.append(Contribution(signal, .bool(present), present ? points : 0, present ? yes : no))
        }
        // The registry's links complete the manifest's (a later release may have added them); on
        // their own they do not make this dimension scored.
        let registry = s.registry
        let repositoryURL = m?.repository ?? repo?.url
        flag("repository", repositoryURL != nil || registry?.repository == true, 25, "links its source repository", "no source repository declared")
        if let m {
            flag("license", m.license != nil, 20, "declares a license", "no license declared")
            flag("description", m.description != nil, 10, "has a description", "no description")
            flag("documentation", m.documentation != nil || m.homepage != nil || registry?.documentation == true || registry?.homepage == true,
                 10, "links documentation", "no documentation link")
        }
        if let files = src?.licenseFiles {
            let matches = src?.licenseMatches == true
            let points: Double = files == 0 ? 0 : (matches ? 15 : 5)
            let reason = files == 0 ? "no license file" : (matches ? "license files match the declared license" : "license files do not match the declared license")
            parts.append(Contribution("license_files", .int(files), points, reason))
        }
        if m?.readme != nil || src?.hasReadme != nil {
            flag("readme", m?.readme == true || src?.hasReadme == true, 10, "has a README", "no README")
        }
        if let policy = repo?.securityPolicy {
            flag("security_policy", policy, 10, "publishes a security policy", "no security policy")
        }
        return Scored(base: 0, parts: parts)
    }

    // MARK: reliability

    static func reliability(_ s: Signals, _ adv: CountedAdvisories?) -> Scored? {
        var parts: [Contribution] = []
        var evidence = false
        if let adv {
            let unsound = adv.of(.unsound)
            for a in unsound {
                parts.append(Contribution("advisory", .string(a.id), -40, "unsound: safe code can cause undefined behaviour"))
            }
            for a in adv.of(.yanked) {
                parts.append(Contribution("advisory", .string(a.id), -60, "advisory says this version is yanked"))
            }
            if unsound.isEmpty, adv.of(.yanked).isEmpty {
                parts.append(Contribution("advisories", .int(0), 0, "no unsound or yanked advisory (not evidence of soundness by itself)"))
            } else {
                evidence = true
            }
        }
        if let r = s.registry {
            if let y = r.yanked {
                parts.append(Contribution("yanked", .bool(y), y ? -60 : 0, y ? "this version is yanked" : "this version is not yanked"))
                evidence = true
            }
            if let yv = r.yankedVersions, let v = r.versions, v > 0 {
                let share = Double(yv) / Double(v)
                parts.append(Contribution("yanked_versions", .int(yv), share > 0.25 ? -10 : 0,
                                          "\(yv) of \(v) versions yanked"))
                evidence = true
            }
        }
        return parts.isEmpty ? nil : Scored(base: 100, parts: parts, evidence: evidence)
    }

    // MARK: privacy

    static let capabilityPoints: [(name: String, points: Double, reason: String)] = [
        ("network", -20, "opens network connections"),
        ("process", -10, "spawns processes"),
        ("filesystem_write", -10, "writes to the filesystem"),
        ("env", -5, "reads environment variables"),
        ("ffi", -5, "calls foreign code"),
        ("build_script_network", -30, "build script reaches the network"),
        ("build_script_process", -15, "build script runs commands"),
        ("build_script_env", -5, "build script reads the environment"),
        ("build_script_write_outside_out_dir", -10, "build script writes files outside OUT_DIR"),
    ]

    static func privacy(_ s: Signals) -> Scored? {
        guard let caps = s.source?.capabilities else { return nil }
        var parts: [Contribution] = []
        for c in capabilityPoints where caps.contains(c.name) {
            parts.append(Contribution("capability", .string(c.name), c.points, c.reason))
        }
        if parts.isEmpty {
            parts.append(Contribution("capabilities", .int(0), 0, "no network, process, filesystem-write, environment or FFI use found"))
        }
        return Scored(base: 100, parts: parts)
    }
}
