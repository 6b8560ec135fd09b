import Foundation
@testable import NerqCVSS
import NerqTestSupport
import Testing

// Expected scores come from the Python `cvss` package (3.6), computed by
// tools/gen_cvss_fixtures.py into Fixtures/cvss_*.tsv.

/// Parses a `#metrics AV:N,A,L,P AC:L,H ...` header into vector bodies in
/// the generator's enumeration order (last metric varies fastest).
private func enumerate(header: String) -> [String] {
    let groups = header.split(separator: " ").dropFirst().map { group -> (String, [String]) in
        let parts = group.split(separator: ":")
        let key = String(parts.first ?? "")
        let values = (parts.last ?? "").split(separator: ",").map(String.init)
        return (key, values)
    }
    var bodies = [""]
    for (key, values) in groups {
        var next: [String] = []
        next.reserveCapacity(bodies.count * values.count)
        for body in bodies {
            for value in values {
                next.append(body.isEmpty ? "\(key):\(value)" : "\(body)/\(key):\(value)")
            }
        }
        bodies = next
    }
    return bodies
}

private func score(_ vector: String) -> Double? {
    try? CVSS.baseScore(vector).score
}

@Suite struct CVSSTests {
    @Test func advisoryDatabaseVectors() throws {
        var checked: [String: Int] = [:]
        var mismatches: [String] = []
        for row in try fixtureRows("cvss_advisory_db.tsv") {
            guard row.count == 3, let expected = Double(row[1]) else {
                Issue.record("bad row \(row)")
                continue
            }
            let vector = row[0]
            checked[String(vector.prefix(8)), default: 0] += 1
            do {
                let result = try CVSS.baseScore(vector)
                if result.score != expected || result.severity != row[2] {
                    mismatches.append("\(vector): expected \(expected) \(row[2]), got \(result.score) \(result.severity)")
                }
            } catch {
                mismatches.append("\(vector): \(error.message)")
            }
        }
        print("cvss advisory-db vectors checked: \(checked.sorted { $0.key < $1.key }), mismatches: \(mismatches.count)")
        for m in mismatches { print("  MISMATCH \(m)") }
        #expect(mismatches.isEmpty)
        #expect((checked["CVSS:3.0"] ?? 0) > 0 && (checked["CVSS:3.1"] ?? 0) > 0 && (checked["CVSS:4.0"] ?? 0) > 0)
    }

    @Test func allCVSS3BaseCombinations() throws {
        let lines = try readFixture("cvss3_all_base.tsv").split(separator: "\n").map(String.init)
        guard let header = lines.first else {
            Issue.record("empty fixture")
            return
        }
        let bodies = enumerate(header: header)
        let rows = lines.dropFirst()
        #expect(bodies.count == 2592 && rows.count == bodies.count)
        var mismatches30: [String] = []
        var mismatches31: [String] = []
        for (body, row) in zip(bodies, rows) {
            let cells = row.split(separator: "\t").compactMap { Double($0) }
            guard cells.count == 2 else {
                Issue.record("bad row \(row)")
                continue
            }
            if score("CVSS:3.0/" + body) != cells[0] { mismatches30.append("CVSS:3.0/\(body) expected \(cells[0]) got \(score("CVSS:3.0/" + body) ?? -1)") }
            if score("CVSS:3.1/" + body) != cells[1] { mismatches31.append("CVSS:3.1/\(body) expected \(cells[1]) got \(score("CVSS:3.1/" + body) ?? -1)") }
        }
        print("cvss3 exhaustive: \(bodies.count) base combinations x 2 versions, mismatches 3.0: \(mismatches30.count), 3.1: \(mismatches31.count)")
        for m in (mismatches30 + mismatches31).prefix(20) { print("  MISMATCH \(m)") }
        #expect(mismatches30.isEmpty)
        #expect(mismatches31.isEmpty)
    }

    @Test func allCVSS4BaseCombinations() throws {
        let lines = try readFixture("cvss4_all_base.tsv").split(separator: "\n").map(String.init)
        guard let header = lines.first else {
            Issue.record("empty fixture")
            return
        }
        let bodies = enumerate(header: header)
        let rows = lines.dropFirst()
        #expect(bodies.count == 104_976 && rows.count == bodies.count)
        var mismatches: [String] = []
        for (body, row) in zip(bodies, rows) {
            let vector = "CVSS:4.0/" + body
            let got = score(vector)
            if got != Double(row) {
                mismatches.append("\(vector) expected \(row) got \(got ?? -1)")
            }
        }
        print("cvss4 exhaustive: \(bodies.count) base combinations, mismatches: \(mismatches.count)")
        for m in mismatches.prefix(20) { print("  MISMATCH \(m)") }
        #expect(mismatches.isEmpty)
    }

    @Test func randomVectorsWithOptionalMetrics() throws {
        var mismatches: [String] = []
        var count = 0
        for row in try fixtureRows("cvss_random.tsv") {
            guard row.count == 2, let expected = Double(row[1]) else {
                Issue.record("bad row \(row)")
                continue
            }
            count += 1
            let got = score(row[0])
            if got != expected {
                mismatches.append("\(row[0]) expected \(expected) got \(got ?? -1)")
            }
        }
        print("cvss random vectors (temporal/threat/environmental/supplemental): \(count), mismatches: \(mismatches.count)")
        for m in mismatches.prefix(20) { print("  MISMATCH \(m)") }
        #expect(count == 4000)
        #expect(mismatches.isEmpty)
    }

    @Test func malformedVectorsAreRejected() throws {
        let rows = try fixtureRows("cvss_malformed.tsv")
        #expect(rows.count >= 39)
        for row in rows {
            guard let vector = row.first else { continue }
            #expect(throws: CVSSError.self, "\(vector) must be rejected") {
                _ = try CVSS.baseScore(vector)
            }
        }
    }

    /// `validate` checks vectors on their bytes and runs the metric parser only for the error: the
    /// two must agree on every vector, valid or not. Real vectors, the malformed fixtures, and every
    /// vector from cutting, doubling or corrupting a real one at each position.
    @Test func validateAgreesWithTheMetricParser() throws {
        var vectors = try fixtureRows("cvss_advisory_db.tsv").compactMap(\.first)
        let real = Array(Set(vectors)).sorted().prefix(40)
        vectors += try fixtureRows("cvss_malformed.tsv").compactMap(\.first)
        for v in real {
            let b = Array(v.utf8)
            for i in 0...b.count {
                vectors.append(String(decoding: b[..<i], as: UTF8.self))            // cut
                for c in ["/", ":", "N", "X", "//"] {                                 // insert
                    vectors.append(String(decoding: b[..<i] + Array(c.utf8) + b[i...], as: UTF8.self))
                }
                if i < b.count {                                                      // drop one byte
                    vectors.append(String(decoding: b[..<i] + b[(i + 1)...], as: UTF8.self))
                }
            }
            vectors.append(v + "/" + (v.split(separator: "/").last.map(String.init) ?? ""))  // a metric twice
        }
        var disagreements: [String] = []
        for v in vectors {
            var viaParser: String? = nil
            do throws(CVSSError) {
                _ = try CVSS.metrics(v, CVSS.version(of: v))
            } catch {
                viaParser = error.message
            }
            var viaValidate: String? = nil
            do throws(CVSSError) { try CVSS.validate(v) } catch { viaValidate = error.message }
            if viaParser != viaValidate { disagreements.append("\(v): parser \(viaParser ?? "ok"), validate \(viaValidate ?? "ok")") }
        }
        print("cvss validate vs parser: \(vectors.count) vectors, \(disagreements.count) disagreements")
        for d in disagreements.prefix(10) { print("  \(d)") }
        #expect(vectors.count > 10_000)
        #expect(disagreements.isEmpty)
    }

    @Test func errorKindsAndMessages() {
        func kind(_ v: String) -> CVSSError.Kind? {
            do {
                _ = try CVSS.baseScore(v)
                return nil
            } catch {
                return error.kind
            }
        }
        let base3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
        let base4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
        #expect(kind("") == .empty)
        #expect(kind("AV:N/AC:L/Au:N/C:P/I:P/A:P") == .unsupportedVersion)
        #expect(kind("CVSS:2.0/AV:N") == .unsupportedVersion)
        #expect(kind(base3.replacingOccurrences(of: "/A:H", with: "")) == .missingMetric)
        #expect(kind(base4.replacingOccurrences(of: "AT:N/", with: "")) == .missingMetric)
        #expect(kind(base3 + "/A:L") == .duplicateMetric)
        #expect(kind(base4 + "/VC:L") == .duplicateMetric)
        #expect(kind(base3.replacingOccurrences(of: "C:H", with: "C:Q")) == .unknownValue)
        #expect(kind(base4 + "/U:red") == .unknownValue)
        #expect(kind(base3 + "/ZZ:H") == .unknownMetric)
        #expect(kind(base3 + "/") == .malformed)
        #expect(kind(base4.replacingOccurrences(of: "AV:N/", with: "AV:N//")) == .malformed)
        #expect(kind(base3.replacingOccurrences(of: "AV:N", with: "AV:N:N")) == .malformed)
        do {
            _ = try CVSS.baseScore(base3.replacingOccurrences(of: "/A:H", with: "").replacingOccurrences(of: "/I:H", with: ""))
        } catch {
            #expect(error.message.contains("I, A"))
        }
    }

    @Test func knownScores() throws {
        #expect(try CVSS.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == (9.8, "critical"))
        #expect(try CVSS.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N") == (0.0, "none"))
        #expect(try CVSS.baseScore("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N") == (1.8, "low"))
        #expect(try CVSS.baseScore("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N") == (5.9, "medium"))
        #expect(try CVSS.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H") == (10.0, "critical"))
        #expect(try CVSS.baseScore("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N") == (9.3, "critical"))
        #expect(try CVSS.baseScore("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N") == (0.0, "none"))
        // Metric order is free, as in the Python package.
        #expect(try CVSS.baseScore("CVSS:4.0/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N").score == 9.3)
    }

    @Test func severityBands() {
        #expect(CVSS.severity(0.0) == "none")
        #expect(CVSS.severity(0.1) == "low")
        #expect(CVSS.severity(3.9) == "low")
        #expect(CVSS.severity(4.0) == "medium")
        #expect(CVSS.severity(6.9) == "medium")
        #expect(CVSS.severity(7.0) == "high")
        #expect(CVSS.severity(8.9) == "high")
        #expect(CVSS.severity(9.0) == "critical")
        #expect(CVSS.severity(10.0) == "critical")
    }
}
