import Foundation
import NerqTestSupport
import Testing
import NerqTOML

@Suite struct ConformanceTests {
    @Test func tomlTest_1_0_0() throws {
        guard let root = SharedData.path("toml-test/tests"), let listBytes = SharedData.bytes("toml-test/tests/files-toml-1.0.0") else {
            return
        }
        let list = String(decoding: listBytes, as: UTF8.self).split(separator: "\n").map(String.init)
        var validTotal = 0, validPassed = 0, invalidTotal = 0, invalidRejected = 0
        var failures: [String] = []
        for entry in list where entry.hasSuffix(".toml") {
            guard let bytes = readBytes(root + "/" + entry) else {
                failures.append("\(entry): cannot read")
                continue
            }
            if entry.hasPrefix("valid/") {
                validTotal += 1
                let jsonPath = root + "/" + entry.dropLast(5) + ".json"
                guard let jsonBytes = readBytes(jsonPath),
                    let json = try? JSONSerialization.jsonObject(with: Data(jsonBytes), options: [.fragmentsAllowed])
                else {
                    failures.append("\(entry): cannot read expected JSON")
                    continue
                }
                do {
                    let table = try TOML.parse(bytes)
                    if let diff = compareToTomlTest(.table(table), json) {
                        failures.append("\(entry): \(diff)")
                    } else {
                        validPassed += 1
                    }
                } catch {
                    failures.append("\(entry): unexpected error \(error)")
                }
            } else if entry.hasPrefix("invalid/") {
                invalidTotal += 1
                do {
                    let t = try TOML.parse(bytes)
                    failures.append("\(entry): accepted invalid document (\(t.count) keys)")
                } catch {
                    invalidRejected += 1
                }
            }
        }
        print("toml-test 1.0: valid \(validPassed)/\(validTotal) passed, invalid \(invalidRejected)/\(invalidTotal) rejected")
        for f in failures { print("  FAIL " + f) }
        #expect(failures.isEmpty, "\(failures.count) toml-test cases failed")
        #expect(validTotal == 210)
        #expect(invalidTotal == 499)
    }
}
