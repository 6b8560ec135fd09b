import Foundation
import NerqCore
import NerqIO
import NerqJSON
import NerqTestSupport
import Testing
@testable import NerqEngine

/// The habits users bring from cargo-audit and cargo-deny, through `assess` on the demo project's
/// lockfile and the shared advisory snapshot: ignore entries and what became of each, expiry by
/// `now`, what a configuration reports, the gates, baselines, fixes, counts that add up and the
/// dependents graph. (cargo nerq's tests run the same files through cargo-audit and cargo-deny.)
@Suite struct HabitsTests {
    static let demoLock: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/demo/Cargo.lock")
            .standardized.path
    }()

    static let engine: Engine? = {
        guard let db = SharedData.path("advisory-db") else { return nil }
        return try? Engine(config: ["advisory_db": .string(db), "now": "2026-12-01T00:00:00Z"], environment: Environment())
    }()

    static func temp(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "nerq-habits-\(getpid())-\(name)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The demo assessed with these options (and `now`, when given).
    static func assess(_ options: [(String, JSONValue)], now: String? = nil, lockfile: String? = nil) throws -> [String: Any]? {
        guard let engine else { return nil }
        var request = JSONObject([("lockfile", .string(lockfile ?? demoLock)), ("options", .object(JSONObject(options)))])
        if let now { request.append("now", .string(now)) }
        let doc = try engine.assess(.object(request))
        return try JSONSerialization.jsonObject(with: Data(JSONText.encode(doc))) as? [String: Any]
    }

    static func file(_ dir: String, _ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func findings(_ doc: [String: Any]) -> [String] {
        (doc["findings"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "") \($0["package"] ?? "")" }.sorted()
    }

    static func ignores(_ doc: [String: Any]) -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for i in doc["ignores"] as? [[String: Any]] ?? [] { out[i["id"] as? String ?? ""] = i }
        return out
    }

    static func gate(_ doc: [String: Any]) -> [String: Any] { doc["gate"] as? [String: Any] ?? [:] }

    // MARK: ignores

    @Test func everyIgnoreEntryIsReportedWithWhatBecameOfIt() throws {
        let dir = try Self.temp("ignores")
        let audit = try Self.file(dir, "audit.toml", """
            [advisories]
            ignore = ["RUSTSEC-2026-0009", "CVE-2024-58266", "RUSTSEC-2099-9999", "RUSTSEC-2020-0071"]
            """)
        guard let doc = try Self.assess([("config_files", [["path": .string(audit), "format": "cargo-audit"]])]) else { return }
        let i = Self.ignores(doc)
        #expect(i["RUSTSEC-2026-0009"]?["status"] as? String == "applied")
        #expect((i["RUSTSEC-2026-0009"]?["matches"] as? [[String: Any]])?.first?["via"] as? String == "id")
        // An alias: applied in nerq, and said, because cargo-audit and cargo-deny would not honour it.
        let alias = try #require(i["CVE-2024-58266"])
        #expect(alias["status"] as? String == "applied")
        #expect((alias["matches"] as? [[String: Any]])?.first?["advisory"] as? String == "RUSTSEC-2024-0006")
        #expect((alias["matches"] as? [[String: Any]])?.first?["via"] as? String == "alias")
        #expect(alias["alias_of"] as? [String] == ["RUSTSEC-2024-0006"])
        #expect((alias["message"] as? String)?.contains("cargo-audit and cargo-deny match only") == true)
        #expect(i["RUSTSEC-2099-9999"]?["status"] as? String == "unknown")
        #expect(i["RUSTSEC-2020-0071"]?["status"] as? String == "unused")
        #expect(i["RUSTSEC-2026-0009"]?["source"] as? String == audit + ":2")
        // The ignored findings are gone from the list, and counted.
        #expect(!Self.findings(doc).contains("RUSTSEC-2026-0009 time"))
        #expect(!Self.findings(doc).contains("RUSTSEC-2024-0006 shlex"))
        #expect((doc["summary"] as? [String: Any])?["ignored"] as? Int == 2)
        // Each package's report still says which entry kept the advisory from counting.
        let time = (doc["packages"] as? [[String: Any]] ?? []).first { ($0["package"] as? [String: Any])?["name"] as? String == "time" }
        let ignored = (time?["ignored_advisories"] as? [[String: Any]])?.first
        #expect(ignored?["ignore"] as? String == "RUSTSEC-2026-0009" && ignored?["source"] as? String == audit + ":2")
    }

    @Test func twoFilesIgnoringTheSameAdvisoryAreBothApplied() throws {
        let dir = try Self.temp("twice")
        let audit = try Self.file(dir, "audit.toml", "[advisories]\nignore = [\"RUSTSEC-2026-0009\"]\n")
        let deny = try Self.file(dir, "deny.toml", "[advisories]\nignore = [{ id = \"RUSTSEC-2026-0009\", reason = \"r\" }]\nunsound = \"all\"\n")
        guard let doc = try Self.assess([("config_files", [["path": .string(audit), "format": "cargo-audit"],
                                                           ["path": .string(deny), "format": "cargo-deny"]]),
                                         ("gates", ["unused_ignores": "deny"])]) else { return }
        let entries = doc["ignores"] as? [[String: Any]] ?? []
        #expect(entries.map { $0["status"] as? String } == ["applied", "applied"])
        #expect(!(Self.gate(doc)["failures"] as? [[String: Any]] ?? []).contains { $0["gate"] as? String == "unused_ignores" })
    }

    @Test func expiryIsComparedWithNow() throws {
        let dir = try Self.temp("expiry")
        let nerq = try Self.file(dir, "nerq.toml", """
            [[ignore]]
            id = "RUSTSEC-2026-0007"
            reason = "BytesMut::reserve is never called with untrusted sizes"
            expires = 2026-11-01
            """)
        let options: [(String, JSONValue)] = [("config_files", [["path": .string(nerq), "format": "nerq"]])]
        guard let before = try Self.assess(options, now: "2026-10-31T23:59:59Z"),
              let after = try Self.assess(options, now: "2026-11-01T00:00:00Z") else { return }
        #expect(Self.ignores(before)["RUSTSEC-2026-0007"]?["status"] as? String == "applied")
        #expect(!Self.findings(before).contains("RUSTSEC-2026-0007 bytes"))
        let expired = try #require(Self.ignores(after)["RUSTSEC-2026-0007"])
        #expect(expired["status"] as? String == "expired")
        #expect(expired["expires"] as? String == "2026-11-01T00:00:00Z")
        #expect((expired["message"] as? String)?.contains("reported again: RUSTSEC-2026-0007 in bytes 1.2.1") == true)
        #expect(Self.findings(after).contains("RUSTSEC-2026-0007 bytes"))
        // Expired, the finding counts again: in the score too.
        let bytes = { (d: [String: Any]) in
            (d["packages"] as? [[String: Any]] ?? []).first { ($0["package"] as? [String: Any])?["name"] as? String == "bytes" }?["trust_score"] as? Double
        }
        #expect((bytes(before) ?? 0) > (bytes(after) ?? 100))
    }

    // MARK: what is reported

    @Test func informationalWarningsDecideWhatIsReportedNotTheScore() throws {
        let dir = try Self.temp("informational")
        let audit = try Self.file(dir, "audit.toml", "[advisories]\ninformational_warnings = []\n")
        guard let plain = try Self.assess([]),
              let doc = try Self.assess([("config_files", [["path": .string(audit), "format": "cargo-audit"]])]) else { return }
        let kinds = Set((doc["findings"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String })
        #expect(kinds == ["vulnerability"])
        let hidden = doc["not_reported"] as? [[String: Any]] ?? []
        #expect(hidden.count == 5)
        #expect(hidden.allSatisfy { ($0["reason"] as? String)?.hasPrefix(audit + " does not report") == true })
        // Scores are the methodology's, whatever is reported.
        #expect((doc["summary"] as? [String: Any])?["by_verdict"] as? NSDictionary == (plain["summary"] as? [String: Any])?["by_verdict"] as? NSDictionary)
    }

    // MARK: gates

    @Test func gatesAndTheirExitCodes() throws {
        guard let plain = try Self.assess([]) else { return }
        // cargo-audit's default: a vulnerability fails the run.
        #expect(Self.gate(plain)["exit_code"] as? Int == 1)
        #expect((Self.gate(plain)["message"] as? String)?.hasPrefix("4 vulnerability findings (denied by default)") == true)
        guard let allowed = try Self.assess([("gates", ["allow": ["vulnerability"]])]) else { return }
        #expect(Self.gate(allowed)["exit_code"] as? Int == 0)
        #expect(Self.gate(allowed)["passed"] as? Bool == true)
        guard let warnings = try Self.assess([("gates", ["allow": ["vulnerability"], "deny": ["warnings"]])]) else { return }
        let failed = (Self.gate(warnings)["failures"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(failed == ["unsound", "unmaintained"])
        guard let under = try Self.assess([("gates", ["allow": ["vulnerability"], "fail_under": 40])]) else { return }
        let scoreFailure = (Self.gate(under)["failures"] as? [[String: Any]] ?? []).first
        #expect(scoreFailure?["gate"] as? String == "fail_under")
        #expect((scoreFailure?["packages"] as? [[String: Any]])?.map { $0["name"] as? String } == ["bytes"])
        guard let unused = try Self.assess([("ignores", [["id": "RUSTSEC-2020-0071"]]), ("gates", ["allow": ["vulnerability"], "unused_ignores": "deny"])])
        else { return }
        #expect((Self.gate(unused)["failures"] as? [[String: Any]])?.first?["gate"] as? String == "unused_ignores")
        #expect(Self.gate(unused)["exit_code"] as? Int == 1)
    }

    @Test func nerqTomlReplacesTheDefaultListAndOtherToolsAddTheirs() throws {
        let dir = try Self.temp("gates")
        let nerq = try Self.file(dir, "nerq.toml", "[gates]\ndeny = []\n")
        guard let quiet = try Self.assess([("config_files", [["path": .string(nerq), "format": "nerq"]])]) else { return }
        #expect(Self.gate(quiet)["exit_code"] as? Int == 0)
        let audit = try Self.file(dir, "audit.toml", "")
        guard let withAudit = try Self.assess([("config_files", [["path": .string(nerq), "format": "nerq"],
                                                                 ["path": .string(audit), "format": "cargo-audit"]])]) else { return }
        // cargo-audit fails on every vulnerability: reading its file brings that along.
        #expect(Self.gate(withAudit)["exit_code"] as? Int == 1)
        #expect((Self.gate(withAudit)["deny"] as? [[String: Any]])?.map { $0["source"] as? String } == [audit])
    }

    // MARK: baseline

    @Test func baselineRoundTrip() throws {
        let dir = try Self.temp("baseline")
        let path = dir + "/nerq-baseline.json"
        guard let first = try Self.assess([("baseline", ["path": .string(path)])]) else { return }
        let b1 = try #require(first["baseline"] as? [String: Any])
        #expect(b1["status"] as? String == "written" && b1["known"] as? Int == 9 && b1["new"] as? Int == 0)
        #expect(Self.gate(first)["exit_code"] as? Int == 0)  // recorded today: nothing is new
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("{\"kind\":\"nerq.baseline\",\"version\":1,\"recorded\":\"2026-12-01T00:00:00Z\",\"findings\":[\n"))
        #expect(text.split(separator: "\n").count == 11)  // one finding per line

        // A project with one finding more (a second vulnerable crate) and one fewer (bytes fixed).
        var lock = try String(contentsOfFile: Self.demoLock, encoding: .utf8)
        lock = lock.replacingOccurrences(of: "name = \"bytes\"\nversion = \"1.2.1\"", with: "name = \"bytes\"\nversion = \"1.11.1\"")
        lock += "\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        let changed = try Self.file(dir, "Cargo.lock", lock)
        guard let second = try Self.assess([("baseline", ["path": .string(path)])], lockfile: changed) else { return }
        let b2 = try #require(second["baseline"] as? [String: Any])
        #expect(b2["status"] as? String == "compared")
        #expect((b2["gone"] as? [[String: Any]])?.map { $0["package"] as? String } == ["bytes"])
        let new = (second["findings"] as? [[String: Any]] ?? []).filter { $0["baseline"] as? String == "new" }
        #expect(!new.isEmpty && new.allSatisfy { $0["package"] as? String == "smallvec" })
        #expect(Self.gate(second)["exit_code"] as? Int == 1)
        #expect((Self.gate(second)["message"] as? String)?.contains("new vulnerability") == true)
        // The known ones do not fail the run; recorded again, nothing is new.
        guard let third = try Self.assess([("baseline", ["path": .string(path), "update": true])], lockfile: changed) else { return }
        #expect((third["baseline"] as? [String: Any])?["status"] as? String == "updated")
        #expect(Self.gate(third)["exit_code"] as? Int == 0)
        try "{\"kind\": \"nerq.assessment\"}".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: NerqError.self) { _ = try Self.assess([("baseline", ["path": .string(path)])]) }
    }

    // MARK: explanations

    @Test func findingsCarryTextAlternativesFixAndCountsAddUp() throws {
        guard let doc = try Self.assess([("tree", true)]) else { return }
        let findings = doc["findings"] as? [[String: Any]] ?? []
        let summary = try #require(doc["summary"] as? [String: Any])
        let byKind = (summary["by_finding_kind"] as? [String: Int] ?? [:]).values.reduce(0, +)
        #expect(summary["findings"] as? Int == findings.count && byKind == findings.count)
        #expect(summary["advisories"] as? Int == Set(findings.compactMap { $0["id"] as? String }).count)
        let time = try #require(findings.first { $0["package"] as? String == "time" })
        #expect((time["fix"] as? [String: Any])?["command"] as? String == "cargo update -p time --precise 0.3.47")
        #expect((time["description"] as? String)?.contains("stack exhaustion") == true)
        let atty = try #require(findings.first { $0["id"] as? String == "RUSTSEC-2024-0375" })
        #expect((atty["alternatives"] as? [[String: Any]])?.first?["name"] as? String == "std::io::IsTerminal")
        #expect(((atty["fix"] as? [String: Any])?["text"] as? String)?.hasPrefix("no fix will come") == true)
        let serialize = try #require(findings.first { $0["id"] as? String == "RUSTSEC-2022-0004" })
        #expect(((serialize["fix"] as? [String: Any])?["text"] as? String)?.hasPrefix("no fixed version of rustc-serialize exists") == true)
        #expect(serialize["dev_only"] as? Bool == false)  // a bare lockfile has no dependency kinds
        // The dependents graph: each finding's package, and who pulls it in.
        let graph = try #require(doc["dependents"] as? [String: Any])
        let nodes = graph["nodes"] as? [[String: Any]] ?? []
        let node = try #require(time["tree_node"] as? Int)
        #expect(nodes[node]["name"] as? String == "time")
        let up = (graph["dependents"] as? [[Int]] ?? [])[node]
        #expect(up.map { nodes[$0]["name"] as? String } == ["nerq-demo"])
        // From a bare lockfile the members are a guess, and the assessment says so.
        #expect((doc["project"] as? [String: Any])?["members_guessed"] as? Bool == true)
        #expect((doc["notes"] as? [String] ?? []).contains { $0.hasPrefix("workspace members guessed from the lockfile alone (nerq-demo)") })
    }

    @Test func severalVersionsOfANameGetAPackageIDSpec() throws {
        var lock = try String(contentsOfFile: Self.demoLock, encoding: .utf8)
        lock += "\n[[package]]\nname = \"time\"\nversion = \"0.1.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        let dir = try Self.temp("spec")
        guard let doc = try Self.assess([], lockfile: try Self.file(dir, "Cargo.lock", lock)) else { return }
        let time = (doc["findings"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "RUSTSEC-2026-0009" }
        #expect((time?["fix"] as? [String: Any])?["command"] as? String == "cargo update -p time@0.3.9 --precise 0.3.47")
    }
}
