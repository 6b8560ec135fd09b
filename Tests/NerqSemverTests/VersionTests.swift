@testable import NerqSemver
import Testing

// Cases ported from dtolnay/semver tests/test_version.rs (semver 1.x).

private func v(_ s: String) throws -> Version {
    try Version.parse(s)
}

private func parseError(_ s: String) -> String? {
    do {
        _ = try Version.parse(s)
        return nil
    } catch {
        return error.message
    }
}

@Suite struct VersionTests {
    @Test func parseErrorsMatchSemverCrate() {
        #expect(parseError("") == "empty string, expected a semver version")
        #expect(parseError("  ") == "unexpected character ' ' while parsing major version number")
        #expect(parseError("1") == "unexpected end of input while parsing major version number")
        #expect(parseError("1.2") == "unexpected end of input while parsing minor version number")
        #expect(parseError("1.2.3-") == "empty identifier segment in pre-release identifier")
        #expect(parseError("a.b.c") == "unexpected character 'a' while parsing major version number")
        #expect(parseError("1.2.3 abc") == "unexpected character ' ' after patch version number")
        #expect(parseError("1.2.3-01") == "invalid leading zero in pre-release identifier")
        #expect(parseError("5.1.5++") == "empty identifier segment in build metadata")
        #expect(parseError("07") == "invalid leading zero in major version number")
        #expect(parseError("75774777777757777757") == "value of major version number exceeds u64::MAX")
        #expect(parseError("8\0") == "unexpected character '\\0' after major version number")
    }

    @Test func strictness() {
        let rejected = [
            "v1.2.3", "=1.2.3", " 1.2.3", "1.2.3 ", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03",
            "1.2.3-", "1.2.3+", "1.2.3-a..b", "1.2.3-a.", "1.2.3-.a", "1.2.3-00", "1.2.3-a_b",
            "1.2.3+a_b", "1.2.3-ä", "-1.2.3", "1.-2.3", "1.2.3\n", "1.2.x", "*",
            "99999999999999999999.0.0", "0.99999999999999999999.0", "0.0.99999999999999999999",
            "18446744073709551616.0.0",
        ]
        for s in rejected {
            #expect(parseError(s) != nil, "\(s) should be rejected")
        }
        let accepted = [
            "0.0.0", "1.2.3-0", "1.2.3-0a", "1.2.3-a0", "1.2.3--", "1.2.3-a-b.c-d",
            "1.2.3+001", "1.2.3+0a.-.b", "1.2.3-1.alpha1.9+build5.7.3aedf",
            "18446744073709551615.18446744073709551615.18446744073709551615",
            "1.0.0-99999999999999999999999999",
        ]
        for s in accepted {
            #expect(parseError(s) == nil, "\(s) should be accepted")
        }
    }

    @Test func overflowIsAnErrorNotACrash() {
        #expect(parseError("99999999999999999999.0.0") == "value of major version number exceeds u64::MAX")
        #expect(parseError("0.99999999999999999999.0") == "value of minor version number exceeds u64::MAX")
        #expect(parseError("0.0.99999999999999999999") == "value of patch version number exceeds u64::MAX")
    }

    @Test func components() throws {
        let a = try v("1.2.3-0a.alpha1.9+05build.7.3aedf")
        #expect(a.major == 1 && a.minor == 2 && a.patch == 3)
        #expect(a.pre == [.alphanumeric("0a"), .alphanumeric("alpha1"), .numeric("9")])
        #expect(a.build == "05build.7.3aedf")
        let b = try v("1.1.0-beta-10")
        #expect(b.pre == [.alphanumeric("beta-10")])
        let c = try v("0.4.0-beta.1+0851523")
        #expect(c.pre == [.alphanumeric("beta"), .numeric("1")])
        #expect(c.build == "0851523")
        #expect(Identifier.numeric("42").numericValue == 42)
        #expect(Identifier.numeric("99999999999999999999").numericValue == nil)
    }

    @Test func display() throws {
        for s in ["1.2.3", "1.2.3-alpha1", "1.2.3+build.42", "1.2.3-alpha1+42", "0.0.0-0.a.1-b+x.01"] {
            #expect(try v(s).description == s)
        }
    }

    @Test func ordering() throws {
        #expect(try v("0.0.0") < v("1.2.3-alpha2"))
        #expect(try v("1.0.0") < v("1.2.3-alpha2"))
        #expect(try v("1.2.0") < v("1.2.3-alpha2"))
        #expect(try v("1.2.3-alpha1") < v("1.2.3"))
        #expect(try v("1.2.3-alpha1") < v("1.2.3-alpha2"))
        #expect(try !(v("1.2.3-alpha2") < v("1.2.3-alpha2")))
        #expect(try v("1.2.3-alpha2") >= v("1.2.3-alpha2"))
        #expect(try v("1.0.0-2") < v("1.0.0-10"))
        #expect(try v("1.0.0-99999999999999999999") < v("1.0.0-100000000000000000000"))
        #expect(try v("1.0.0-999") < v("1.0.0-a"))
        #expect(try v("1.0.0-A") < v("1.0.0-a"))
        #expect(try v("1.0.0-a") < v("1.0.0-a.0"))
        #expect(try v("1.0.0-alpha1") < v("1.0.0-alpha1.0"))
        #expect(try v("1.0.0-alpha1.0") < v("1.0.0-alpha1-"))
    }

    @Test func specOrder() throws {
        let vs = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                  "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]
        for i in 1..<vs.count {
            #expect(try v(vs[i - 1]) < v(vs[i]), "\(vs[i - 1]) < \(vs[i])")
        }
    }

    @Test func buildMetadataIgnoredByPrecedence() throws {
        #expect(try v("1.2.3+23") == v("1.2.3+42"))
        #expect(try v("1.2.3+23").hashValue == v("1.2.3+42").hashValue)
        #expect(try !(v("1.2.3+23") < v("1.2.3+42")))
        // semver crate's derived Ord does tie-break on build metadata:
        #expect(try Version.compareIncludingBuild(v("1.2.3+23"), v("1.2.3+42")) == -1)
        #expect(try Version.compareIncludingBuild(v("1.2.3"), v("1.2.3+0")) == -1)
        #expect(try Version.compareIncludingBuild(v("1.2.3+0"), v("1.2.3+00")) == -1)
        #expect(try Version.compareIncludingBuild(v("1.2.3+00"), v("1.2.3+1")) == -1)
        #expect(try Version.compareIncludingBuild(v("1.2.3+9"), v("1.2.3+a")) == -1)
        #expect(try Version.compareIncludingBuild(v("1.2.3+a"), v("1.2.3+a.0")) == -1)
        #expect(try Version.compareIncludingBuild(v("1.2.4"), v("1.2.3+z")) == 1)
    }
}
