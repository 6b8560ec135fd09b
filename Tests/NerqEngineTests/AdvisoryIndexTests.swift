import Foundation
import NerqIO
import NerqJSON
import NerqTestSupport
import Testing
@testable import NerqEngine

/// The advisory index cache (NerqAdvisories' AdvisoryIndexCache) changes nothing an assessment
/// says: every report of a real lockfile, byte for byte, with and without it.
@Suite struct AdvisoryIndexTests {
    @Test(arguments: ["deno", "tauri-2024-10"])
    func sameAssessmentWithAndWithoutIndex(_ name: String) throws {
        guard let db = required(SharedData.path("advisory-db"), "shared data advisory-db"),
              let lock = required(SharedData.path("lockfiles/\(name).Cargo.lock"), "shared lockfile \(name)") else { return }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("nerq-index-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let request: JSONValue = ["lockfile": .string(lock), "options": ["scan_sources": false, "reports": "all"]]
        func assess(cacheDir: String?) throws -> [UInt8] {
            var config: [(String, JSONValue)] = [("advisory_db", .string(db)), ("now", "2026-11-21T00:00:00Z")]
            if let cacheDir { config.append(("cache_dir", .string(cacheDir))) }
            // No HOME: without cache_dir the engine has no cache directory, so no index.
            let engine = try Engine(config: .object(JSONObject(config)), environment: Environment())
            return JSONText.encode(try engine.assess(request))
        }
        let plain = try assess(cacheDir: nil)
        #expect(!FileManager.default.fileExists(atPath: tmp))
        let writing = try assess(cacheDir: tmp)
        let index = (try? FileManager.default.contentsOfDirectory(atPath: tmp + "/advisory-index")) ?? []
        #expect(index.contains { $0.hasSuffix(".idx") }, "the first engine wrote an index: \(index)")
        let reading = try assess(cacheDir: tmp)
        #expect(writing == plain)
        #expect(reading == plain, "the engine reading the index says the same")
    }
}
