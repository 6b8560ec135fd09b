// RustSec advisory version matching exactly as cargo-audit 0.22.2 does it
import NerqSemver
// (rustsec crate 0.31.x).
//
// Upstream call chain for "is this package version affected?":
//
//   rustsec::database::Database::query_vulnerabilities
//     -> rustsec::database::Query::matches
//       -> rustsec::advisory::Versions::is_vulnerable          (advisory/versions.rs)
//         -> rustsec::osv::ranges_for_advisory                  (osv/ranges_for_advisory.rs)
//           -> unaffected_to_osv_ranges(unaffected, patched)
//             -> UnaffectedRange::try_from(&VersionReq)         (osv/unaffected_range.rs)
//           -> OsvRange::affects                                (the `[introduced, fixed)` test)
//
// Notable consequences (all mirrored here):
//   * `patched` and `unaffected` are treated identically: both are "not
//     affected" ranges. Everything not covered by one of them is affected.
//   * An empty `patched` and empty `unaffected` list means every version is
//     affected (a single `(-inf, +inf)` range).
//   * Requirements are NOT evaluated with `VersionReq::matches`; each is
//     converted into an interval under plain SemVer precedence, so the
//     semver crate's pre-release rule does not apply. With
//     `patched = [">= 1.2.3"]`, `1.3.0-alpha` is NOT affected (semver's
//     `matches` would say it is not patched), and with `patched = ["^1.2.3"]`
//     the patched interval is `[1.2.3, 2.0.0-0)`, so `1.9.0-rc.1` is patched
//     while `2.0.0-alpha` is affected.
//   * Upper bounds of `^`/`~` get a `-0` pre-release (`^1.2.3` = `[1.2.3, 2.0.0-0)`).
//   * Exclusive bounds are turned into inclusive ones with `increment`
//     (`1.2.3` -> `1.2.4-0`, `1.2.3-rc.1` -> `1.2.3-rc.1.0`).
//   * Only `>`, `>=`, `<`, `<=`, `=`, `^`, `~` (and bare = caret) are
//     supported, at most two comparators per requirement with at most one
//     lower and one upper bound; `=`, `^`, `~` must stand alone; wildcards
//     (`1.*`) are rejected; ranges must not overlap. rustsec validates this
//     when an advisory is deserialized (`Versions: TryFrom<RawVersions>`),
//     so an advisory violating it fails to load; here `init` throws.
//
// Top-level filters applied by cargo-audit before/around `is_vulnerable`
// (see `RustSecScope` below): only the `crates` collection is matched
// against Cargo.lock packages (`rust/` std/cargo/rustdoc advisories never
// are), withdrawn advisories are skipped, informational advisories are only
// reported as warnings, and `[affected]` os/arch only filter when a target
// is given on the command line (`[affected] functions` never filters).

/// An OSV affected range `[introduced, fixed)`; a missing bound is
/// unbounded. Mirrors `rustsec::osv::OsvRange`.
public struct OsvRange: Sendable, Hashable, CustomStringConvertible {
    /// Inclusive lower bound.
    public let introduced: Version?
    /// Exclusive upper bound.
    public let fixed: Version?

    public init(introduced: Version?, fixed: Version?) {
        self.introduced = introduced
        self.fixed = fixed
    }

    /// `OsvRange::affects`.
    public func affects(_ v: Version) -> Bool {
        if let introduced, v < introduced { return false }
        if let fixed, !(v < fixed) { return false }
        return true
    }

    public var description: String {
        "[\(introduced?.description ?? "0"), \(fixed?.description ?? "∞"))"
    }
}

/// The `[versions]` section of a RustSec advisory.
public struct AdvisoryVersions: Sendable, Hashable {
    /// Versions which are patched (not vulnerable).
    public let patched: [VersionReq]
    /// Versions which were never affected.
    public let unaffected: [VersionReq]
    /// The affected OSV ranges derived from `patched` + `unaffected`
    /// (`rustsec::osv::ranges_for_advisory`), in ascending order.
    public let affectedRanges: [OsvRange]

    /// Validates the requirements the way rustsec does when it deserializes
    /// an advisory (`Versions: TryFrom<RawVersions>` ->
    /// `ranges_for_unvalidated_advisory`) and precomputes the ranges.
    public init(patched: [VersionReq], unaffected: [VersionReq] = []) throws(SemverError) {
        self.patched = patched
        self.unaffected = unaffected
        self.affectedRanges = try unaffectedToOsvRanges(unaffected: unaffected, patched: patched)
    }

    /// The parts as `init(patched:unaffected:)` computed them (read back from the advisory index).
    init(patched: [VersionReq], unaffected: [VersionReq], affectedRanges: [OsvRange]) {
        self.patched = patched
        self.unaffected = unaffected
        self.affectedRanges = affectedRanges
    }

    /// Convenience: parse the requirement strings as they appear in the
    /// advisory TOML (`patched = [">= 1.2.3"]`).
    public init(patched: [String], unaffected: [String] = []) throws(SemverError) {
        var p: [VersionReq] = []
        for s in patched {
            p.append(try VersionReq.parse(s))
        }
        var u: [VersionReq] = []
        for s in unaffected {
            u.append(try VersionReq.parse(s))
        }
        try self.init(patched: p, unaffected: u)
    }

    /// `rustsec::advisory::Versions::is_vulnerable`: true when the version
    /// lies in any affected OSV range.
    public func affects(_ v: Version) -> Bool {
        for range in affectedRanges where range.affects(v) {
            return true
        }
        return false
    }
}

/// How cargo-audit 0.22.2 reports an advisory that matches a package.
public enum AdvisoryReport: Sendable, Hashable {
    /// Listed under `vulnerabilities` (exit code 1).
    case vulnerability
    /// Listed under `warnings.<kind>` (`unmaintained`, `unsound`, `notice`).
    case warning(kind: String)
}

/// The advisory-level filters cargo-audit 0.22.2 applies on top of
/// `AdvisoryVersions.affects`, with its default settings (no `--target-os`,
/// `--target-arch`, `--ignore`, severity threshold).
///
/// Mirrors `rustsec::report::Report::generate` + `find_warnings` and
/// `rustsec::database::Query::{crate_scope, matches}`:
/// * vulnerabilities use `Query::crate_scope()` = collection `crates`,
///   not withdrawn, not informational;
/// * warnings use the same query with `informational(true)`, and keep only
///   the informational kinds listed in `informational_warnings`, whose
///   cargo-audit default is `[unmaintained, unsound, notice]`; other
///   informational kinds (`Other(..)`) produce nothing.
public enum RustSecScope {
    /// Default `informational_warnings` of cargo-audit 0.22.2.
    public static let defaultInformationalWarnings: [String] = ["unmaintained", "unsound", "notice"]

    /// The `source` of crates.io packages in Cargo.lock.
    public static let cratesIoSource = "registry+https://github.com/rust-lang/crates.io-index"

    /// Whether cargo-audit 0.22.2 matches advisories (none of which names
    /// another registry) against a Cargo.lock package with this `source`.
    /// Observed with the real binary (tools/gen_bounds.py source probe): only
    /// the crates.io registry source matches; packages without a source
    /// (path / workspace members), git sources, other registries and a
    /// `sparse+https://index.crates.io/` source are never reported.
    public static func packageSourceMatches(_ source: String?) -> Bool {
        source == cratesIoSource
    }

    /// - Parameters:
    ///   - collection: `"crates"` for `crates/<name>/RUSTSEC-*.md`, `"rust"` for `rust/...`.
    ///   - withdrawn: the advisory has `withdrawn = "..."`.
    ///   - informational: the advisory's `informational` value, if any.
    /// - Returns: how a matching package is reported, or nil when the advisory
    ///   is never reported against Cargo.lock packages.
    public static func reportKind(collection: String, withdrawn: Bool, informational: String?,
                                  informationalWarnings: [String] = defaultInformationalWarnings) -> AdvisoryReport? {
        guard collection == "crates", !withdrawn else { return nil }
        guard let informational else { return .vulnerability }
        guard informationalWarnings.contains(informational),
              defaultInformationalWarnings.contains(informational) else { return nil }
        return .warning(kind: informational)
    }
}

// MARK: - rustsec osv/unaffected_range.rs

enum Bound: Hashable {
    case unbounded
    case exclusive(Version)
    case inclusive(Version)

    var version: Version? {
        switch self {
        case .unbounded: return nil
        case .exclusive(let v), .inclusive(let v): return v
        }
    }

    /// `Bound::less_or_equal`: `self` is the start of a range, `end` the end
    /// of a (possibly different) range.
    func lessOrEqual(_ end: Bound) -> Bool {
        guard let s = self.version, let e = end.version else { return true }
        if s < e { return true }
        if case .inclusive(let vs) = self, case .inclusive(let ve) = end {
            return vs == ve
        }
        return false
    }

    var display: String {
        switch self {
        case .unbounded: return "unbounded"
        case .exclusive(let v): return "exclusive \(v)"
        case .inclusive(let v): return "inclusive \(v)"
        }
    }
}

/// `UnaffectedRange`: a range of versions that are not affected.
struct UnaffectedRange: Hashable {
    let start: Bound
    let end: Bound

    init(start: Bound, end: Bound) throws(SemverError) {
        guard start.lessOrEqual(end) else {
            throw SemverError(.invalidAdvisoryRange,
                              message: "Invalid range: start must be <= end; if equal, both bounds must be inclusive")
        }
        self.start = start
        self.end = end
    }

    func overlaps(_ other: UnaffectedRange) -> Bool {
        start.lessOrEqual(other.end) && other.start.lessOrEqual(end)
    }

    var display: String {
        let s: String
        switch start {
        case .unbounded: s = "[0"
        case .exclusive(let v): s = "(\(v)"
        case .inclusive(let v): s = "[\(v)"
        }
        let e: String
        switch end {
        case .unbounded: e = "∞)"
        case .exclusive(let v): e = "\(v))"
        case .inclusive(let v): e = "\(v)]"
        }
        return s + ", " + e
    }

    /// `impl TryFrom<&VersionReq> for UnaffectedRange`.
    init(_ req: VersionReq) throws(SemverError) {
        let comparators = req.comparators
        if comparators.count > 2 {
            throw SemverError(.invalidAdvisoryRange,
                              message: "Too many comparators in version specification: \(req)")
        }
        var start = Bound.unbounded
        var end = Bound.unbounded
        for c in comparators {
            switch c.op {
            case .greater:
                guard start == .unbounded else {
                    throw SemverError(.invalidAdvisoryRange, message: "More than one lower bound in the same range: \(req)")
                }
                start = .exclusive(compToVer(c))
            case .greaterEq:
                guard start == .unbounded else {
                    throw SemverError(.invalidAdvisoryRange, message: "More than one lower bound in the same range: \(req)")
                }
                start = .inclusive(compToVer(c))
            case .less:
                guard end == .unbounded else {
                    throw SemverError(.invalidAdvisoryRange, message: "More than one upper bound in the same range: \(req)")
                }
                end = .exclusive(compToVer(c))
            case .lessEq:
                guard end == .unbounded else {
                    throw SemverError(.invalidAdvisoryRange, message: "More than one upper bound in the same range: \(req)")
                }
                end = .inclusive(compToVer(c))
            case .exact:
                guard comparators.count == 1 else {
                    throw SemverError(.invalidAdvisoryRange,
                                      message: "Selectors that define an exact version (e.g. '=1.0') must be alone in their range: \(req)")
                }
                start = .inclusive(compToVer(c))
                end = .inclusive(compToVer(c))
            case .caret:
                guard comparators.count == 1 else {
                    throw SemverError(.invalidAdvisoryRange,
                                      message: "Selectors that define both the upper and lower bound (e.g. '^1.0') must be alone in their range: \(req)")
                }
                let startVersion = compToVer(c)
                var endVersion: Version
                if startVersion.major == 0 {
                    switch (c.minor, c.patch) {
                    case (.some(0), .some(let patch)):
                        // ^0.0.x
                        endVersion = Version(0, 0, try bump(patch, req))
                    case (.some(let minor), _):
                        // ^0.x and ^0.x.x
                        endVersion = Version(0, try bump(minor, req), 0)
                    case (.none, .none):
                        // ^0
                        endVersion = Version(1, 0, 0)
                    case (.none, .some):
                        throw SemverError(.invalidAdvisoryRange,
                                          message: "Comparator specifies patch version but not minor version: \(req)")
                    }
                } else {
                    endVersion = Version(try bump(startVersion.major, req), 0, 0)
                }
                // -0 is the lowest possible prerelease.
                endVersion.pre = [.numeric("0")]
                start = .inclusive(startVersion)
                end = .exclusive(endVersion)
            case .tilde:
                guard comparators.count == 1 else {
                    throw SemverError(.invalidAdvisoryRange,
                                      message: "Selectors that define both the upper and lower bound (e.g. '~1.0') must be alone in their range: \(req)")
                }
                let startVersion = compToVer(c)
                var endVersion: Version
                switch (c.minor, c.patch) {
                case (.none, .none):
                    endVersion = Version(try bump(c.major, req), 0, 0)
                case (.some(let minor), _):
                    endVersion = Version(c.major, try bump(minor, req), 0)
                case (.none, .some):
                    throw SemverError(.invalidAdvisoryRange,
                                      message: "Comparator specifies patch version but not minor version: \(req)")
                }
                endVersion.pre = [.numeric("0")]
                start = .inclusive(startVersion)
                end = .exclusive(endVersion)
            case .wildcard:
                throw SemverError(.invalidAdvisoryRange,
                                  message: "Unsupported operator in version specification: '\(c)'")
            }
        }
        try self.init(start: start, end: end)
    }
}

/// `comp_to_ver`: strip the operator; missing minor/patch become 0.
func compToVer(_ c: Comparator) -> Version {
    Version(c.major, c.minor ?? 0, c.patch ?? 0, pre: c.pre)
}

/// `x + 1` for a bound component. rustsec uses plain `+ 1` (a panic in a
/// debug build, a wrap-around in release); we reject the requirement instead.
func bump(_ x: UInt64, _ req: VersionReq) throws(SemverError) -> UInt64 {
    let (r, overflow) = x.addingReportingOverflow(1)
    if overflow {
        throw SemverError(.invalidAdvisoryRange, message: "Version component overflows u64 in: \(req)")
    }
    return r
}

// MARK: - rustsec osv/ranges_for_advisory.rs

/// `unaffected_to_osv_ranges`: negate the union of all unaffected ranges
/// (`unaffected` first, then `patched`) into affected `[introduced, fixed)`
/// ranges.
func unaffectedToOsvRanges(unaffected unaffectedReqs: [VersionReq],
                           patched patchedReqs: [VersionReq]) throws(SemverError) -> [OsvRange] {
    var unaffected: [UnaffectedRange] = []
    for req in unaffectedReqs {
        unaffected.append(try UnaffectedRange(req))
    }
    for req in patchedReqs {
        unaffected.append(try UnaffectedRange(req))
    }

    // Edge case: no unaffected ranges specified. That means that ALL versions are affected.
    if unaffected.isEmpty {
        return [OsvRange(introduced: nil, fixed: nil)]
    }

    // The incoming ranges must not overlap.
    for a in 0..<unaffected.count {
        for b in (a + 1)..<max(a + 1, unaffected.count) where unaffected[a].overlaps(unaffected[b]) {
            throw SemverError(.invalidAdvisoryRange,
                              message: "Overlapping version ranges: \(unaffected[a].display) and \(unaffected[b].display)")
        }
    }

    // Order by start bound (unbounded first). rustsec asserts that no two
    // starts are equal (a panic); we report it as an error.
    for a in 0..<unaffected.count {
        for b in (a + 1)..<max(a + 1, unaffected.count) {
            if let va = unaffected[a].start.version, let vb = unaffected[b].start.version, va == vb {
                throw SemverError(.invalidAdvisoryRange,
                                  message: "Version ranges start at the same version: \(unaffected[a].display) and \(unaffected[b].display)")
            }
        }
    }
    let sorted = unaffected.sorted { a, b in
        switch (a.start.version, b.start.version) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case (let va?, let vb?): return va < vb
        }
    }
    guard let first = sorted.first, let last = sorted.last else {
        return [OsvRange(introduced: nil, fixed: nil)]
    }

    var result: [OsvRange] = []

    // Start bound of the first element.
    switch first.start {
    case .unbounded:
        break
    case .exclusive(let v):
        result.append(OsvRange(introduced: nil, fixed: try increment(v)))
    case .inclusive(let v):
        result.append(OsvRange(introduced: nil, fixed: v))
    }

    // The space between each consecutive pair.
    var k = 0
    while k + 1 < sorted.count {
        let lower = sorted[k], upper = sorted[k + 1]
        let start: Version
        switch lower.end {
        case .unbounded:
            throw SemverError(.invalidAdvisoryRange, message: "Unbounded range end in the middle of the ranges: \(lower.display)")
        case .exclusive(let v):
            start = v
        case .inclusive(let v):
            start = try increment(v)
        }
        let end: Version
        switch upper.start {
        case .unbounded:
            throw SemverError(.invalidAdvisoryRange, message: "Unbounded range start in the middle of the ranges: \(upper.display)")
        case .exclusive(let v):
            end = try increment(v)
        case .inclusive(let v):
            end = v
        }
        result.append(OsvRange(introduced: start, fixed: end))
        k += 1
    }

    // End bound of the last element.
    switch last.end {
    case .unbounded:
        break
    case .exclusive(let v):
        result.append(OsvRange(introduced: v, fixed: nil))
    case .inclusive(let v):
        result.append(OsvRange(introduced: try increment(v), fixed: nil))
    }

    return result
}

/// `increment`: the lowest version greater than `v` under SemVer precedence:
/// `1.2.3` -> `1.2.4-0`, `1.2.3-alpha.1` -> `1.2.3-alpha.1.0`.
/// rustsec's `v.patch += 1` panics (debug) or wraps (release) at `u64::MAX`;
/// we reject such a bound instead.
func increment(_ v: Version) throws(SemverError) -> Version {
    var v = v
    v.build = ""
    if v.pre.isEmpty {
        let (p, overflow) = v.patch.addingReportingOverflow(1)
        if overflow {
            throw SemverError(.invalidAdvisoryRange, message: "Patch version overflows u64 when incrementing bound \(v)")
        }
        v.patch = p
        v.pre = [.numeric("0")]
    } else {
        v.pre.append(.numeric("0"))
    }
    return v
}
