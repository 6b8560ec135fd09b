import Foundation
import Testing
import NerqCore
import NerqTestSupport
@testable import NerqEngine
import NerqJSON

/// nerq's advisory matching, end to end through `assess`, against cargo-audit 0.22.2's recorded
/// output on the same lockfiles and database (../shared/data/lockfiles/expected).
@Suite struct DifferentialTests {
    static let engine: Engine? = {
        guard let db = SharedData.path("advisory-db") else { return nil }
        return try? Engine(config: ["advisory_db": .string(db), "now": "2026-11-21T00:00:00Z"])
    }()

    /// (id, package, version) of every advisory cargo-audit reported, vulnerabilities and warnings.
    static func expected(_ name: String) -> Set<String>? {
        guard let bytes = SharedData.bytes("lockfiles/expected/\(name).cargo-audit.json"),
              let json = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        var out = Set<String>()
        let vulns = (json["vulnerabilities"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        for v in vulns {
            let a = v["advisory"] as? [String: Any] ?? [:]
            let p = v["package"] as? [String: Any] ?? [:]
            out.insert("\(a["id"] ?? "") \(p["name"] ?? "") \(p["version"] ?? "") vulnerability")
        }
        for (kind, list) in json["warnings"] as? [String: Any] ?? [:] {
            for w in list as? [[String: Any]] ?? [] {
                let a = w["advisory"] as? [String: Any] ?? [:]
                let p = w["package"] as? [String: Any] ?? [:]
                out.insert("\(a["id"] ?? "") \(p["name"] ?? "") \(p["version"] ?? "") \(kind)")
            }
        }
        return out
    }

    @Test(arguments: SharedData.lockfiles)
    func sameFindingsAsCargoAudit(_ name: String) throws {
        guard let engine = Self.engine, let expected = Self.expected(name),
              let lock = SharedData.path("lockfiles/\(name).Cargo.lock") else {
            return
        }
        let doc = try engine.assess(["lockfile": .string(lock)])
        guard case .array(let findings)? = doc.objectValue?["findings"] else {
            Issue.record("no findings array")
            return
        }
        var got = Set<String>()
        for case .object(let f) in findings {
            guard case .string(let id)? = f["id"], case .string(let pkg)? = f["package"], case .string(let v)? = f["version"],
                  case .string(let kind)? = f["kind"] else { continue }
            got.insert("\(id) \(pkg) \(v) \(kind)")
        }
        #expect(got.subtracting(expected).sorted() == [], "nerq only")
        #expect(expected.subtracting(got).sorted() == [], "cargo-audit only")
        print("differential \(name): nerq \(got.count), cargo-audit \(expected.count)")
    }

    @Test func workspaceAndPathPackagesAreNeverMatched() throws {
        // ripgrep 0.10.0's own grep-cli 0.1.1 is a path package: not RUSTSEC-2021-0071.
        guard let engine = Self.engine else { return }
        let lock = """
        [[package]]
        name = "grep-cli"
        version = "0.1.1"

        [[package]]
        name = "ripgrep"
        version = "0.10.0"
        dependencies = ["grep-cli"]
        """
        let doc = try engine.assess(["lockfile_text": .string(lock)])
        guard case .array(let findings)? = doc.objectValue?["findings"] else { return }
        #expect(findings.isEmpty)
        // The same crate from crates.io is matched (the guard is the source, not the name).
        let registry = lock.replacingOccurrences(of: "version = \"0.1.1\"",
                                                 with: "version = \"0.1.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"")
        let doc2 = try engine.assess(["lockfile_text": .string(registry)])
        guard case .array(let f2)? = doc2.objectValue?["findings"] else { return }
        #expect(f2.contains { $0.objectValue?["id"] == .string("RUSTSEC-2021-0071") })
        // ... unless the target OS is one the advisory does not apply to ([affected] os = windows).
        let doc3 = try engine.assess(["lockfile_text": .string(registry), "options": ["target_os": "linux"]])
        guard case .array(let f3)? = doc3.objectValue?["findings"] else { return }
        #expect(f3.isEmpty)
    }

    @Test func pathsComeFromWorkspaceMembers() throws {
        guard let engine = Self.engine, let lock = SharedData.path("lockfiles/zellij.Cargo.lock") else { return }
        let doc = try engine.assess(["lockfile": .string(lock)])
        guard case .array(let findings)? = doc.objectValue?["findings"] else { return }
        for case .object(let f) in findings {
            guard case .array(let paths)? = f["paths"], case .array(let first)? = paths.first else {
                Issue.record("finding without a path: \(f)")
                continue
            }
            // A path ends at the affected package.
            #expect(first.last == .string("\(f["package"].map { if case .string(let s) = $0 { s } else { "" } } ?? "") \(f["version"].map { if case .string(let s) = $0 { s } else { "" } } ?? "")"))
        }
    }
}

/// `options.reports`: every package is scored either way; "flagged" keeps the full reports of the
/// packages a CI gate acts on.
@Suite struct ReportScopeTests {
    @Test func flaggedKeepsTheReportsOfFlaggedPackagesOnly() throws {
        guard let engine = DifferentialTests.engine, let lock = SharedData.path("lockfiles/deno.Cargo.lock") else {
            return
        }
        let all = try engine.assess(["lockfile": .string(lock), "options": ["scan_sources": false]])
        let flagged = try engine.assess(["lockfile": .string(lock), "options": ["scan_sources": false, "reports": "flagged"]])
        guard case .array(let allReports)? = all.objectValue?["packages"],
              case .array(let flaggedReports)? = flagged.objectValue?["packages"] else {
            Issue.record("no packages array")
            return
        }
        func level(_ r: JSONValue) -> String? {
            if case .object(let v)? = r.objectValue?["verdict"], case .string(let l)? = v["level"] { return l }
            return nil
        }
        func hasAdvisory(_ r: JSONValue) -> Bool {
            guard case .array(let fs)? = r.objectValue?["findings"] else { return false }
            return fs.contains { $0.objectValue?["paths"] != nil }
        }
        let expected = allReports.filter { r in hasAdvisory(r) || ["caution", "warning", "avoid"].contains(level(r) ?? "") }
        #expect(allReports.count == 1128)
        #expect(!expected.isEmpty && expected.count < 100)
        // The same reports, byte for byte, in the same order.
        #expect(flaggedReports == expected)
        // Summary, findings and database are about every package in both.
        for key in ["summary", "findings", "database", "project"] {
            #expect(all.objectValue?[key] == flagged.objectValue?[key], "\(key)")
        }
        #expect(flagged.objectValue?["options"]?.objectValue?["reports"] == .string("flagged"))
    }

    @Test func unknownScopeIsRefusedWithItsPath() {
        let engine = try? Engine(config: [:])
        #expect(throws: NerqError.self) { try engine?.assess(["lockfile_text": "", "options": ["reports": "some"]]) }
        do {
            _ = try engine?.assess(["lockfile_text": "", "options": ["reports": "some"]])
        } catch {
            #expect(error.code == .invalidValue && error.path == "$.options.reports")
        }
    }
}
