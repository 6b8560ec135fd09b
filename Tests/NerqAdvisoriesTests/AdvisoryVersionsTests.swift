@testable import NerqAdvisories
import NerqTestSupport
import Testing
@testable import NerqSemver

// Real `[versions]` sections from /work/shared/data/advisory-db (crates/),
// with the expected answers worked out from rustsec's OSV range conversion.

private func adv(_ patched: [String], _ unaffected: [String] = []) throws -> AdvisoryVersions {
    try AdvisoryVersions(patched: patched, unaffected: unaffected)
}

private func expectAffected(_ a: AdvisoryVersions, _ versions: [String],
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
    for s in versions {
        #expect(a.affects(try Version.parse(s)), "\(s) should be affected", sourceLocation: sourceLocation)
    }
}

private func expectNotAffected(_ a: AdvisoryVersions, _ versions: [String],
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
    for s in versions {
        #expect(!a.affects(try Version.parse(s)), "\(s) should not be affected", sourceLocation: sourceLocation)
    }
}

private func rangeError(_ patched: [String], _ unaffected: [String] = []) -> SemverError? {
    do {
        _ = try AdvisoryVersions(patched: patched, unaffected: unaffected)
        return nil
    } catch {
        return error
    }
}

@Suite struct AdvisoryVersionsTests {
    // smallvec RUSTSEC-2021-0003: multiple patched ranges + unaffected.
    @Test func smallvecMultiplePatchedRanges() throws {
        let a = try adv([">= 0.6.14, < 1.0.0", ">= 1.6.1"], ["< 0.6.3"])
        #expect(a.affectedRanges.map(\.description) == ["[0.6.3, 0.6.14)", "[1.0.0, 1.6.1)"])
        try expectAffected(a, ["0.6.3", "0.6.13", "1.0.0", "1.6.0", "1.6.1-alpha", "0.6.14-rc.1"])
        try expectNotAffected(a, ["0.6.2", "0.6.3-alpha", "0.6.14", "0.9.9", "1.0.0-alpha", "1.6.1", "2.0.0-0"])
    }

    // anchor-lang RUSTSEC-2026-0146: pre-release bounds on both sides.
    @Test func anchorPrereleaseBounds() throws {
        let a = try adv([">= 1.0.0-rc.2"], ["< 1.0.0-rc.1"])
        #expect(a.affectedRanges.map(\.description) == ["[1.0.0-rc.1, 1.0.0-rc.2)"])
        try expectAffected(a, ["1.0.0-rc.1", "1.0.0-rc.1.5", "1.0.0-rc.1.0"])
        // "rc.1a" is alphanumeric, which sorts above the numeric "2" of "rc.2".
        try expectNotAffected(a, ["1.0.0-rc.0", "1.0.0-rc.2", "1.0.0-rc.10", "1.0.0-rc.1a", "1.0.0", "0.31.0", "1.0.0-beta"])
    }

    // enum-map RUSTSEC-2022-0010: numeric pre-release bound `< 2.0.0-2`.
    @Test func enumMapNumericPrerelease() throws {
        let a = try adv([">= 2.0.2"], ["< 2.0.0-2"])
        try expectAffected(a, ["2.0.0-2", "2.0.0-10", "2.0.0-a", "2.0.0", "2.0.1", "2.0.2-alpha"])
        try expectNotAffected(a, ["2.0.0-1", "2.0.0-0", "1.9.0", "2.0.2", "3.0.0"])
    }

    // enum-map RUSTSEC-2026-0218: mixed pre-release bound `< 3.0.0-0.gat.0`.
    @Test func enumMapMixedPrerelease() throws {
        let a = try adv([">= 3.1.0"], ["< 3.0.0-0.gat.0"])
        try expectAffected(a, ["3.0.0-0.gat.0", "3.0.0-0.gat.1", "3.0.0-1", "3.0.0", "3.0.9", "3.1.0-rc.1"])
        try expectNotAffected(a, ["3.0.0-0", "3.0.0-0.gat", "2.1.3", "3.1.0"])
    }

    // lettre RUSTSEC-2021-0069: a patched range whose upper bound is a pre-release,
    // comparators written upper-bound first.
    @Test func lettrePatchedPrereleaseWindow() throws {
        let a = try adv([">= 0.10.0-rc.3", "< 0.10.0-alpha.1, >= 0.9.6"], ["< 0.7.0"])
        #expect(a.affectedRanges.map(\.description) == ["[0.7.0, 0.9.6)", "[0.10.0-alpha.1, 0.10.0-rc.3)"])
        try expectAffected(a, ["0.7.0", "0.9.5", "0.10.0-alpha.1", "0.10.0-beta", "0.10.0-rc.2"])
        try expectNotAffected(a, ["0.6.9", "0.9.6", "0.9.99", "0.10.0-alpha.0", "0.10.0-rc.3", "0.10.0"])
    }

    // actix-http RUSTSEC-2021-0081: caret patched range (`^ 2.2.1` ends at 3.0.0-0).
    @Test func actixHttpCaretRange() throws {
        let a = try adv(["^ 2.2.1", ">= 3.0.0-beta.9"])
        #expect(a.affectedRanges.map(\.description) == ["[0, 2.2.1)", "[3.0.0-0, 3.0.0-beta.9)"])
        try expectAffected(a, ["2.2.0", "0.1.0", "3.0.0-0", "3.0.0-alpha", "3.0.0-beta.8"])
        try expectNotAffected(a, ["2.2.1", "2.9.9", "2.9.9-rc.1", "3.0.0-beta.9", "3.0.0", "4.0.0-0"])
    }

    // borsh RUSTSEC-2023-0033 (informational = "unsound"): caret on 0.x.
    @Test func borshZeroCaret() throws {
        let a = try adv([">= 1.0.0-alpha.1", "^0.10.4"])
        try expectAffected(a, ["0.10.3", "0.9.0", "0.11.0-0", "0.11.0", "1.0.0-alpha.0"])
        try expectNotAffected(a, ["0.10.4", "0.10.9", "0.10.99-rc", "1.0.0-alpha.1", "1.0.0"])
    }

    // cgmath RUSTSEC-2026-0197: empty patched list, every version is affected.
    @Test func emptyPatchedMeansEverything() throws {
        let a = try adv([])
        #expect(a.affectedRanges == [OsvRange(introduced: nil, fixed: nil)])
        try expectAffected(a, ["0.0.0", "0.0.0-0", "1.2.3", "99.0.0-alpha", "18446744073709551615.0.0"])
    }

    // actix-web RUSTSEC-2018-0019: `> 0.7.19` (exclusive start -> increment).
    @Test func actixWebExclusiveStart() throws {
        let a = try adv(["> 0.7.19"])
        #expect(a.affectedRanges.map(\.description) == ["[0, 0.7.20-0)"])
        try expectAffected(a, ["0.7.19", "0.7.19-rc", "0.7.19+build", "0.1.0"])
        try expectNotAffected(a, ["0.7.20-0", "0.7.20-alpha", "0.7.20", "1.0.0"])
    }

    // time RUSTSEC-2020-0071: several exact unaffected versions; pre-releases
    // between them are affected because each `=` is a single point.
    @Test func timeExactUnaffected() throws {
        let a = try adv([">= 0.2.23"], ["=0.2.0", "=0.2.1", "=0.2.2", "=0.2.3", "=0.2.4", "=0.2.5", "=0.2.6"])
        #expect(a.affectedRanges.count == 8)
        #expect(a.affectedRanges.first?.description == "[0, 0.2.0)")
        #expect(a.affectedRanges.last?.description == "[0.2.7-0, 0.2.23)")
        try expectAffected(a, ["0.1.44", "0.2.1-alpha", "0.2.0-0.0", "0.2.7", "0.2.22", "0.2.23-rc.1"])
        try expectNotAffected(a, ["0.2.0", "0.2.1", "0.2.6", "0.2.6+meta", "0.2.23", "0.3.0"])
    }

    // append-only-vec RUSTSEC-2026-0262: only `unaffected = ["<= 0.1.8"]`, empty patched.
    @Test func inclusiveUpperUnaffected() throws {
        let a = try adv([], ["<= 0.1.8"])
        #expect(a.affectedRanges.map(\.description) == ["[0.1.9-0, ∞)"])
        try expectAffected(a, ["0.1.9-0", "0.1.9", "1.0.0"])
        try expectNotAffected(a, ["0.1.8", "0.1.8+x", "0.1.8-rc.1", "0.0.1"])
    }

    @Test func tildeAndBareRequirements() throws {
        let t = try adv(["~1.2"])
        #expect(t.affectedRanges.map(\.description) == ["[0, 1.2.0)", "[1.3.0-0, ∞)"])
        let b = try adv(["1.2.3"])
        #expect(b.affectedRanges.map(\.description) == ["[0, 1.2.3)", "[2.0.0-0, ∞)"])
        let z = try adv(["^0.0.3"])
        #expect(z.affectedRanges.map(\.description) == ["[0, 0.0.3)", "[0.0.4-0, ∞)"])
        let zz = try adv(["^0.0"])
        #expect(zz.affectedRanges.map(\.description) == ["[0, 0.0.0)", "[0.1.0-0, ∞)"])
        let zero = try adv(["^0"])
        #expect(zero.affectedRanges.map(\.description) == ["[0, 0.0.0)", "[1.0.0-0, ∞)"])
        let pre = try adv([">= 1.2.3-rc.1, <= 1.2.3-rc.5"])
        #expect(pre.affectedRanges.map(\.description) == ["[0, 1.2.3-rc.1)", "[1.2.3-rc.5.0, ∞)"])
    }

    // Ranges use plain SemVer precedence, not `VersionReq.matches` with its
    // pre-release rule.
    @Test func semverPrereleaseRuleDoesNotApply() throws {
        let ge = try adv([">= 1.2.3"])
        try expectNotAffected(ge, ["1.3.0-alpha", "1.2.4-0"])
        try expectAffected(ge, ["1.2.3-rc.1"])
        #expect(!(try VersionReq.parse(">= 1.2.3").matches(try Version.parse("1.3.0-alpha"))))
        let caret = try adv(["^1.2.3"])
        try expectNotAffected(caret, ["1.9.0-rc.1", "1.2.3"])
        try expectAffected(caret, ["2.0.0-alpha", "2.0.0-0", "1.2.3-rc.1"])
    }

    @Test func starAndAdjacentRanges() throws {
        // "*" covers everything: nothing is affected.
        let star = try adv(["*"])
        #expect(star.affectedRanges.isEmpty)
        try expectNotAffected(star, ["0.0.0", "1.0.0-alpha"])
        // `< 1.0.0` + `>= 1.0.0` leave an empty [1.0.0, 1.0.0) gap.
        let adjacent = try adv([">= 1.0.0"], ["< 1.0.0"])
        try expectNotAffected(adjacent, ["0.9.0", "1.0.0-rc.1", "1.0.0", "2.0.0"])
    }

    @Test func invalidRangesAreRejectedLikeRustsec() {
        #expect(rangeError([">= 1.0.0", ">= 2.0.0"])?.message.hasPrefix("Overlapping version ranges") == true)
        #expect(rangeError(["<= 1.0.0"], [">= 1.0.0"])?.message.hasPrefix("Overlapping version ranges") == true)
        #expect(rangeError(["1.*"])?.message.hasPrefix("Unsupported operator") == true)
        #expect(rangeError([">= 1.0, >= 2.0"])?.message.hasPrefix("More than one lower bound") == true)
        #expect(rangeError(["< 1.0, <= 2.0"])?.message.hasPrefix("More than one upper bound") == true)
        #expect(rangeError([">= 1.0, < 2.0, < 3.0"])?.message.hasPrefix("Too many comparators") == true)
        #expect(rangeError(["=1.0, < 2.0"])?.message.hasPrefix("Selectors that define an exact version") == true)
        #expect(rangeError(["^1.0, < 2.0"])?.message.hasPrefix("Selectors that define both") == true)
        #expect(rangeError(["~1.0, >= 0.5"])?.message.hasPrefix("Selectors that define both") == true)
        #expect(rangeError([">= 2.0.0, < 1.0.0"])?.message.hasPrefix("Invalid range") == true)
        #expect(rangeError([">= 1.0.0, < 1.0.0"])?.message.hasPrefix("Invalid range") == true)
        #expect(rangeError(["=1.0.0", "> 1.0.0, < 2.0.0"])?.kind == .invalidAdvisoryRange)
        #expect(rangeError([], ["<= 1.2.18446744073709551615"])?.kind == .invalidAdvisoryRange)
        #expect(rangeError(["^18446744073709551615.0.0"])?.kind == .invalidAdvisoryRange)
        #expect(rangeError([">= 1.0.0 <"]) != nil)
        // A valid pair of bounds at u64::MAX does not overflow.
        #expect(rangeError([">= 18446744073709551615.0.0"]) == nil)
    }

    @Test func scopeMirrorsCargoAudit() {
        #expect(RustSecScope.reportKind(collection: "crates", withdrawn: false, informational: nil) == .vulnerability)
        #expect(RustSecScope.reportKind(collection: "crates", withdrawn: false, informational: "unsound")
            == .warning(kind: "unsound"))
        #expect(RustSecScope.reportKind(collection: "crates", withdrawn: false, informational: "unmaintained")
            == .warning(kind: "unmaintained"))
        #expect(RustSecScope.reportKind(collection: "crates", withdrawn: false, informational: "notice")
            == .warning(kind: "notice"))
        #expect(RustSecScope.reportKind(collection: "crates", withdrawn: false, informational: "something-else") == nil)
        #expect(RustSecScope.reportKind(collection: "crates", withdrawn: true, informational: nil) == nil)
        #expect(RustSecScope.reportKind(collection: "crates", withdrawn: true, informational: "unmaintained") == nil)
        #expect(RustSecScope.reportKind(collection: "rust", withdrawn: false, informational: nil) == nil)
        #expect(RustSecScope.reportKind(collection: "crates", withdrawn: false, informational: "unsound",
                                        informationalWarnings: ["unmaintained"]) == nil)
        #expect(RustSecScope.packageSourceMatches("registry+https://github.com/rust-lang/crates.io-index"))
        #expect(!RustSecScope.packageSourceMatches(nil))
        #expect(!RustSecScope.packageSourceMatches("sparse+https://index.crates.io/"))
    }
}
