@testable import NerqAdvisories
import NerqTestSupport
import Testing
@testable import NerqSemver

// Differential check against the real cargo-audit 0.22.2: the fixtures are
// written by tools/gen_bounds.py, which runs cargo-audit on synthetic
// Cargo.lock files holding versions just below / at / above every bound of
// every advisory in /work/shared/data/advisory-db. Each cell records what
// cargo-audit reported for (advisory, package, version); here the same cell
// is recomputed with AdvisoryVersions.affects + RustSecScope.

@Suite struct DifferentialTests {
    @Test func advisoryMatchingEqualsCargoAudit() throws {
        var packages: [String: [String]] = [:]
        for row in try fixtureRows("differential_packages.tsv") {
            guard row.count == 2, let name = row.first, let versions = row.last else {
                Issue.record("bad package row \(row)")
                continue
            }
            packages[name] = versions.split(separator: " ").map(String.init)
        }

        var parsedVersions: [String: Version] = [:]
        var pairs = 0
        var reported = 0
        var withdrawnPairs = 0
        var differences: [String] = []
        var advisories = 0
        for row in try fixtureRows("differential_advisories.tsv") {
            guard row.count == 8 else {
                Issue.record("bad advisory row \(row)")
                continue
            }
            let id = row[0], package = row[1], collection = row[2]
            let withdrawn = row[3] == "1"
            let informational: String? = row[4] == "-" ? nil : row[4]
            let patched = row[5].isEmpty ? [] : row[5].components(separatedBy: " | ")
            let unaffected = row[6].isEmpty ? [] : row[6].components(separatedBy: " | ")
            let expected = Array(row[7])
            guard let versions = packages[package], versions.count == expected.count else {
                Issue.record("\(id): version list of \(package) does not fit the expectation cells")
                continue
            }
            advisories += 1
            let ranges = try AdvisoryVersions(patched: patched, unaffected: unaffected)
            let kind = RustSecScope.reportKind(collection: collection, withdrawn: withdrawn,
                                               informational: informational)
            for (i, text) in versions.enumerated() {
                let version: Version
                if let cached = parsedVersions[text] {
                    version = cached
                } else {
                    version = try Version.parse(text)
                    parsedVersions[text] = version
                }
                var got: Character = "0"
                if let kind, ranges.affects(version) {
                    switch kind {
                    case .vulnerability: got = "V"
                    case .warning(let k):
                        got = k == "unmaintained" ? "U" : (k == "unsound" ? "S" : "N")
                    }
                }
                pairs += 1
                if withdrawn { withdrawnPairs += 1 }
                if expected[i] != "0" { reported += 1 }
                if got != expected[i] {
                    differences.append("\(id) \(package) \(text): cargo-audit \(expected[i]), nerq \(got)")
                }
            }
        }
        print("differential: \(advisories) advisories, \(pairs) (advisory, version) pairs, "
              + "\(reported) reported by cargo-audit, \(withdrawnPairs) pairs on withdrawn advisories, "
              + "\(differences.count) differences")
        for d in differences.prefix(50) {
            print("  DIFF \(d)")
        }
        #expect(advisories == 1225)
        #expect(pairs > 80_000)
        #expect(differences.isEmpty)
    }

    @Test func packageSourcesEqualCargoAudit() throws {
        let rows = try fixtureRows("differential_sources.tsv")
        #expect(rows.count == 5)
        for row in rows where row.count == 3 {
            let source: String? = row[1] == "-" ? nil : row[1]
            #expect(RustSecScope.packageSourceMatches(source) == (row[2] == "1"), "source \(row[0])")
        }
    }
}
