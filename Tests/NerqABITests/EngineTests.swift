import Dispatch
import Testing
import NerqCore
import NerqEngine
import NerqJSON

let request: JSONValue = [
    "package": ["name": "nix", "version": "0.26.1"],
    "now": "2026-11-21T00:00:00Z",
    "advisories": [["id": "RUSTSEC-2021-0119", "kind": "vulnerability", "severity": "high", "patched": [">= 0.23.0"]]],
    "registry": ["downloads": 250_000_000, "owners": 4, "latest_release": "2026-06-01"],
    "manifest": ["license": "MIT", "edition": "2021"],
]

@Suite struct EngineTests {
    @Test func sameInputSameBytes() throws {
        let engine = Engine()
        let first = JSONText.encode(try engine.score(request))
        for _ in 0..<50 { #expect(JSONText.encode(try engine.score(request)) == first) }
        // A fresh engine, too.
        #expect(JSONText.encode(try Engine().score(request)) == first)
    }

    @Test func sameBytesAcrossThreads() throws {
        let engine = Engine()
        let expected = JSONText.encode(try engine.score(request))
        // One slot per iteration in a plain buffer. Not `var results: [[UInt8]?]` in a shared box:
        // each `results[i] = …` is then a modify access of the whole array from several threads at
        // once, a data race (ThreadSanitizer reports it) even though the slots differ.
        struct Slots: @unchecked Sendable { let buffer: UnsafeMutableBufferPointer<[UInt8]?> }
        let slots = Slots(buffer: .allocate(capacity: 64))
        slots.buffer.initialize(repeating: nil)
        defer {
            _ = slots.buffer.deinitialize()
            slots.buffer.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            slots.buffer[i] = (try? engine.score(request)).map(JSONText.encode)
        }
        #expect(slots.buffer.allSatisfy { $0 == expected })
    }

    @Test func configRejectsUnknownKeys() {
        #expect(throws: NerqError.self) { try Engine(config: ["polcy": [:]]) }
        do {
            _ = try Engine(config: ["policy": ["weights": ["secrity": 1]]])
            Issue.record("accepted a misspelt dimension")
        } catch {
            #expect(error.code == .unknownKey)
            #expect(error.path == "$.policy.weights.secrity")
        }
    }

    @Test func policyWeightsAreUsedAndReported() throws {
        let engine = try Engine(config: ["policy": ["weights": ["security": 1, "maintenance": 0, "popularity": 0, "quality": 0,
                                                                 "community": 0, "transparency": 0, "reliability": 0, "privacy": 0]]])
        let report = try engine.score(["package": ["name": "x"], "dimensions": ["security": 80, "quality": 10]])
        guard case .object(let o) = report else { Issue.record("not an object"); return }
        #expect(o["trust_score"] == .double(80))
        #expect(o["coverage"] == .double(1))
    }

    @Test func nowComesFromRequestThenEngine() throws {
        let engine = try Engine(config: ["now": "2030-01-01T00:00:00Z"])
        let pf = try engine.preflight(["target": "serde@1.0.0"])
        #expect(pf.objectValue?["checked_at"] == .string("2030-01-01T00:00:00Z"))
        let pf2 = try engine.preflight(["target": "serde@1.0.0", "now": "2031-01-01T00:00:00Z"])
        #expect(pf2.objectValue?["checked_at"] == .string("2031-01-01T00:00:00Z"))
    }
}
