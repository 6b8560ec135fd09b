@testable import NerqSemver
import Testing

// Cases ported from dtolnay/semver tests/test_version_req.rs (semver 1.x).

private func req(_ s: String) throws -> VersionReq {
    try VersionReq.parse(s)
}

private func reqError(_ s: String) -> String? {
    do {
        _ = try VersionReq.parse(s)
        return nil
    } catch {
        return error.message
    }
}

private func expectAll(_ r: VersionReq, _ versions: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
    for s in versions {
        #expect(r.matches(try Version.parse(s)), "\(r) should match \(s)", sourceLocation: sourceLocation)
    }
}

private func expectNone(_ r: VersionReq, _ versions: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
    for s in versions {
        #expect(!r.matches(try Version.parse(s)), "\(r) should not match \(s)", sourceLocation: sourceLocation)
    }
}

@Suite struct VersionReqTests {
    @Test func basic() throws {
        let r = try req("1.0.0")
        #expect(r.description == "^1.0.0")
        try expectAll(r, ["1.0.0", "1.1.0", "1.0.1"])
        try expectNone(r, ["0.9.9", "0.10.0", "0.1.0", "1.0.0-pre", "1.0.1-pre"])
    }

    @Test func exact() throws {
        var r = try req("=1.0.0")
        #expect(r.description == "=1.0.0")
        try expectAll(r, ["1.0.0"])
        try expectNone(r, ["1.0.1", "0.9.9", "0.10.0", "0.1.0", "1.0.0-pre"])

        r = try req("=0.9.0")
        try expectAll(r, ["0.9.0"])
        try expectNone(r, ["0.9.1", "1.9.0", "0.0.9", "0.9.0-pre"])

        r = try req("=0.0.2")
        try expectAll(r, ["0.0.2"])
        try expectNone(r, ["0.0.1", "0.0.3", "0.0.2-pre"])

        r = try req("=0.1.0-beta2.a")
        #expect(r.description == "=0.1.0-beta2.a")
        try expectAll(r, ["0.1.0-beta2.a"])
        try expectNone(r, ["0.9.1", "0.1.0", "0.1.1-beta2.a", "0.1.0-beta2"])

        r = try req("=0.1.0+meta")
        #expect(r.description == "=0.1.0")
        try expectAll(r, ["0.1.0", "0.1.0+meta", "0.1.0+any"])
    }

    @Test func greaterThan() throws {
        var r = try req(">= 1.0.0")
        #expect(r.description == ">=1.0.0")
        try expectAll(r, ["1.0.0", "2.0.0"])
        try expectNone(r, ["0.1.0", "0.0.1", "1.0.0-pre", "2.0.0-pre"])

        r = try req(">= 2.1.0-alpha2")
        #expect(r.description == ">=2.1.0-alpha2")
        try expectAll(r, ["2.1.0-alpha2", "2.1.0-alpha3", "2.1.0", "3.0.0"])
        try expectNone(r, ["2.0.0", "2.1.0-alpha1", "2.0.0-alpha2", "3.0.0-alpha2"])
    }

    @Test func lessThan() throws {
        var r = try req("< 1.0.0")
        #expect(r.description == "<1.0.0")
        try expectAll(r, ["0.1.0", "0.0.1"])
        try expectNone(r, ["1.0.0", "1.0.0-beta", "1.0.1", "0.9.9-alpha"])

        r = try req("<= 2.1.0-alpha2")
        try expectAll(r, ["2.1.0-alpha2", "2.1.0-alpha1", "2.0.0", "1.0.0"])
        try expectNone(r, ["2.1.0", "2.2.0-alpha1", "2.0.0-alpha2", "1.0.0-alpha2"])

        try expectAll(try req(">1.0.0-alpha, <1.0.0"), ["1.0.0-beta"])
        try expectNone(try req(">1.0.0-alpha, <1.0"), ["1.0.0-beta"])
        try expectNone(try req(">1.0.0-alpha, <1"), ["1.0.0-beta"])
    }

    @Test func multiple() throws {
        var r = try req("> 0.0.9, <= 2.5.3")
        #expect(r.description == ">0.0.9, <=2.5.3")
        try expectAll(r, ["0.0.10", "1.0.0", "2.5.3"])
        try expectNone(r, ["0.0.8", "2.5.4"])

        r = try req("0.3.0, 0.4.0")
        #expect(r.description == "^0.3.0, ^0.4.0")
        try expectNone(r, ["0.0.8", "0.3.0", "0.4.0"])

        r = try req("<= 0.2.0, >= 0.5.0")
        #expect(r.description == "<=0.2.0, >=0.5.0")
        try expectNone(r, ["0.0.8", "0.3.0", "0.5.1"])

        r = try req("0.1.0, 0.1.4, 0.1.6")
        #expect(r.description == "^0.1.0, ^0.1.4, ^0.1.6")
        try expectAll(r, ["0.1.6", "0.1.9"])
        try expectNone(r, ["0.1.0", "0.1.4", "0.2.0"])

        #expect(reqError("> 0.1.0,") == "unexpected end of input while parsing major version number")
        #expect(reqError("> 0.3.0, ,") == "unexpected character ',' while parsing major version number")

        r = try req(">=0.5.1-alpha3, <0.6")
        #expect(r.description == ">=0.5.1-alpha3, <0.6")
        try expectAll(r, ["0.5.1-alpha3", "0.5.1-alpha4", "0.5.1-beta", "0.5.1", "0.5.5"])
        try expectNone(r, ["0.5.1-alpha1", "0.5.2-alpha3", "0.5.5-pre", "0.5.0-pre"])
        try expectNone(r, ["0.6.0", "0.6.0-pre"])

        #expect(reqError("1.2.3 - 2.3.4") == "expected comma after patch version number, found '-'")
        let many = (1...33).map { ">\($0)" }.joined(separator: ", ")
        #expect(reqError(many) == "excessive number of version comparators")
        let max = (1...32).map { ">\($0)" }.joined(separator: ", ")
        #expect(try req(max).comparators.count == 32)
    }

    @Test func whitespaceDelimitedComparatorSets() {
        #expect(reqError("> 0.0.9 <= 2.5.3") == "expected comma after patch version number, found '<'")
    }

    @Test func tilde() throws {
        try expectAll(try req("~1"), ["1.0.0", "1.0.1", "1.1.1"])
        try expectNone(try req("~1"), ["0.9.1", "2.9.0", "0.0.9"])
        try expectAll(try req("~1.2"), ["1.2.0", "1.2.1"])
        try expectNone(try req("~1.2"), ["1.1.1", "1.3.0", "0.0.9"])
        try expectAll(try req("~1.2.2"), ["1.2.2", "1.2.4"])
        try expectNone(try req("~1.2.2"), ["1.2.1", "1.9.0", "1.0.9", "2.0.1", "0.1.3"])
        try expectAll(try req("~1.2.3-beta.2"), ["1.2.3", "1.2.4", "1.2.3-beta.2", "1.2.3-beta.4"])
        try expectNone(try req("~1.2.3-beta.2"), ["1.3.3", "1.1.4", "1.2.3-beta.1", "1.2.4-beta.2"])
    }

    @Test func caret() throws {
        var r = try req("^1")
        try expectAll(r, ["1.1.2", "1.1.0", "1.2.1", "1.0.1"])
        try expectNone(r, ["0.9.1", "2.9.0", "0.1.4"])
        try expectNone(r, ["1.0.0-beta1", "0.1.0-alpha", "1.0.1-pre"])

        r = try req("^1.1")
        try expectAll(r, ["1.1.2", "1.1.0", "1.2.1"])
        try expectNone(r, ["0.9.1", "2.9.0", "1.0.1", "0.1.4"])

        r = try req("^1.1.2")
        try expectAll(r, ["1.1.2", "1.1.4", "1.2.1"])
        try expectNone(r, ["0.9.1", "2.9.0", "1.1.1", "0.0.1"])
        try expectNone(r, ["1.1.2-alpha1", "1.1.3-alpha1", "2.9.0-alpha1"])

        r = try req("^0.1.2")
        try expectAll(r, ["0.1.2", "0.1.4"])
        try expectNone(r, ["0.9.1", "2.9.0", "1.1.1", "0.0.1"])
        try expectNone(r, ["0.1.2-beta", "0.1.3-alpha", "0.2.0-pre"])

        r = try req("^0.5.1-alpha3")
        try expectAll(r, ["0.5.1-alpha3", "0.5.1-alpha4", "0.5.1-beta", "0.5.1", "0.5.5"])
        try expectNone(r, ["0.5.1-alpha1", "0.5.2-alpha3", "0.5.5-pre", "0.5.0-pre", "0.6.0"])

        r = try req("^0.0.2")
        try expectAll(r, ["0.0.2"])
        try expectNone(r, ["0.9.1", "2.9.0", "1.1.1", "0.0.1", "0.1.4"])

        r = try req("^0.0")
        try expectAll(r, ["0.0.2", "0.0.0"])
        try expectNone(r, ["0.9.1", "2.9.0", "1.1.1", "0.1.4"])

        r = try req("^0")
        try expectAll(r, ["0.9.1", "0.0.2", "0.0.0"])
        try expectNone(r, ["2.9.0", "1.1.1"])

        r = try req("^1.4.2-beta.5")
        try expectAll(r, ["1.4.2", "1.4.3", "1.4.2-beta.5", "1.4.2-beta.6", "1.4.2-c"])
        try expectNone(r, ["0.9.9", "2.0.0", "1.4.2-alpha", "1.4.2-beta.4", "1.4.3-beta.5"])
    }

    @Test func wildcard() throws {
        #expect(reqError("") == "unexpected end of input while parsing major version number")

        let star = try req("*")
        #expect(star == VersionReq.star)
        try expectAll(star, ["0.9.1", "2.9.0", "0.0.9", "1.0.1", "1.1.1"])
        try expectNone(star, ["1.0.0-pre"])
        #expect(try req("x") == star)
        #expect(try req("X") == star)
        #expect(try req("  *  ") == star)

        let r = try req("1.*")
        try expectAll(r, ["1.2.0", "1.2.1", "1.1.1", "1.3.0"])
        try expectNone(r, ["0.0.9", "1.2.0-pre"])
        for s in ["1.x", "1.X", "1.*.*"] {
            #expect(try req(s) == r)
        }

        let r2 = try req("1.2.*")
        try expectAll(r2, ["1.2.0", "1.2.2", "1.2.4"])
        try expectNone(r2, ["1.9.0", "1.0.9", "2.0.1", "0.1.3", "1.2.2-pre"])
        for s in ["1.2.x", "1.2.X"] {
            #expect(try req(s) == r2)
        }
    }

    @Test func logicalOrIsRejected() {
        #expect(reqError("=1.2.3 || =2.3.4") == "expected comma after patch version number, found '|'")
        #expect(reqError("1.1 || =1.2.3") == "expected comma after minor version number, found '|'")
        #expect(reqError("6.* || 8.* || >= 10.*") == "expected comma after minor version number, found '|'")
    }

    @Test func any() throws {
        try expectAll(VersionReq.star, ["0.0.1", "0.1.0", "1.0.0"])
    }

    @Test func pre() throws {
        try expectAll(try req("=2.1.1-really.0"), ["2.1.1-really.0"])
    }

    @Test func parseErrors() {
        #expect(reqError("\0") == "unexpected character '\\0' while parsing major version number")
        #expect(reqError(">= >= 0.0.2") == "unexpected character '>' while parsing major version number")
        #expect(reqError(">== 0.0.2") == "unexpected character '=' while parsing major version number")
        #expect(reqError("a.0.0") == "unexpected character 'a' while parsing major version number")
        #expect(reqError("1.0.0-") == "empty identifier segment in pre-release identifier")
        #expect(reqError(">=") == "unexpected end of input while parsing major version number")
        #expect(reqError("1.2.3-01") == "invalid leading zero in pre-release identifier")
        #expect(reqError("1.2.3+4.") == "empty identifier segment in build metadata")
        #expect(reqError(">") == "unexpected end of input while parsing major version number")
        #expect(reqError("1.") == "unexpected end of input while parsing minor version number")
        #expect(reqError("1.*.") == "unexpected character after wildcard in version req")
        #expect(reqError("1.2.3+4ÿ") == "expected comma after build metadata, found 'ÿ'")
        #expect(reqError("99999999999999999999") == "value of major version number exceeds u64::MAX")
        #expect(reqError(">=1.2.99999999999999999999") == "value of patch version number exceeds u64::MAX")
        #expect(reqError("v1.2.3") == "unexpected character 'v' while parsing major version number")
    }

    @Test func comparatorDisplay() throws {
        #expect(try req("1.2.3-alpha").description == "^1.2.3-alpha")
        #expect(try req("2.X").description == "2.*")
        #expect(try req("2").description == "^2")
        #expect(try req("2.x.x").description == "2.*")
        #expect(try req("0.*.*").description == "0.*")
        #expect(try req("0.0.*").description == "0.0.*")
        #expect(try req(">= 1.2, < 1.5.0").description == ">=1.2, <1.5.0")
        #expect(try req("~ 1.2.3").description == "~1.2.3")
        try expectAll(try req("0.*.*"), ["0.5.0"])
    }

    @Test func digitAfterWildcard() {
        #expect(reqError("*.1") == "unexpected character after wildcard in version req")
        #expect(reqError("1.*.1") == "unexpected character after wildcard in version req")
        #expect(reqError(">=1.*.1") == "unexpected character after wildcard in version req")
    }

    @Test func leadingDigitInPreAndBuild() throws {
        for op in ["=", ">", ">=", "<", "<=", "~", "^"] {
            _ = try req("\(op) 1.2.3-1a")
            _ = try req("\(op) 1.2.3+1a")
            _ = try req("\(op) 1.2.3-01a")
            _ = try req("\(op) 1.2.3+01")
            _ = try req("\(op) 1.2.3-1+1")
            _ = try req("\(op) 1.2.3-1-1+1-1-1")
            _ = try req("\(op) 1.2.3-1a+1a")
            _ = try req("\(op) 1.2.3-1a-1a+1a-1a-1a")
        }
    }

    @Test func wildcardAndAnother() {
        let message = "wildcard req (*) must be the only comparator in the version req"
        #expect(reqError("*, 0.20.0-any") == message)
        #expect(reqError("0.20.0-any, *") == message)
        #expect(reqError("0.20.0-any, *, 1.0") == message)
    }

    @Test func explicitOpWithWildcard() throws {
        // `>=1.*` keeps its operator (only a bare version becomes Op::Wildcard).
        let r = try req(">=1.*")
        #expect(r.comparators.first?.op == .greaterEq)
        #expect(r.comparators.first?.minor == nil)
        try expectAll(r, ["1.0.0", "1.5.0", "2.0.0"])
        try expectNone(r, ["0.9.0"])
        let eq = try req("=1.2.*")
        #expect(eq.comparators.first?.op == .exact)
        try expectAll(eq, ["1.2.0", "1.2.9"])
    }

    @Test func comparatorMatchesAlone() throws {
        let c = Comparator(op: .greaterEq, major: 1, minor: 0, patch: 0)
        #expect(c.matches(try Version.parse("1.5.0")))
        #expect(!c.matches(try Version.parse("1.5.0-alpha")))
        let p = Comparator(op: .greaterEq, major: 1, minor: 5, patch: 0, pre: [.alphanumeric("alpha")])
        #expect(p.matches(try Version.parse("1.5.0-beta")))
    }
}
