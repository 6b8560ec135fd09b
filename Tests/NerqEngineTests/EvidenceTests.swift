import Foundation
import NerqCore
import NerqIO
import NerqJSON
import NerqTestSupport
import Testing
@testable import NerqEngine

/// Unknown is not safe: a package nerq knows nothing about, or could not check, is never `safe`
/// and never PROCEED; missing evidence never raises a score (methodology v2).
@Suite struct EvidenceTests {
    static let now: JSONValue = "2026-11-21T00:00:00Z"

    static func engine(_ config: [(String, JSONValue)] = [], environment: Environment = Environment()) throws(NerqError) -> Engine {
        var o = JSONObject([("now", now)])
        for (k, v) in config { o.set(k, v) }
        return try Engine(config: .object(o), environment: environment)
    }

    static func field(_ doc: JSONValue, _ key: String) -> JSONValue? { doc.objectValue?[key] }

    static func findingKinds(_ report: JSONValue) -> [String] {
        guard case .array(let fs)? = field(report, "findings") else { return [] }
        return fs.compactMap { f -> String? in
            if case .string(let k)? = f.objectValue?["kind"] { return k }
            return nil
        }
    }

    /// The part of a report that the one collection path must make equal across calls.
    static func scorePart(_ report: JSONValue) -> String {
        JSONText.string(.object(JSONObject([("dimensions", field(report, "dimensions") ?? .null),
                                            ("trust_score", field(report, "trust_score") ?? .null)])))
    }

    @Test func nonexistentCrateWithoutRegistryDataIsNeverSafe() throws {
        guard let db = SharedData.path("advisory-db") else {
            return
        }
        let engine = try Self.engine([("advisory_db", .string(db))])
        for target in ["nosuchcrate-xyz@1.0.0", "no-such-crate-qq7@1.0.0", "Nosuchcrate_XYZ@1.0.0"] {
            let p = try engine.preflight(["target": .string(target)])
            #expect(Self.field(p, "recommendation") == "UNKNOWN", "\(target)")
            #expect(Self.field(p, "verdict") == "unknown", "\(target)")
            #expect(Self.field(p, "verified") == .bool(false))
            let name = String(target.split(separator: "@")[0])
            let r = try engine.score(["package": ["name": .string(name), "version": "1.0.0"]])
            #expect(Self.field(r, "trust_score") == .null)
            #expect(Self.field(r, "recommendation") == "UNKNOWN")
            #expect(Self.field(r, "exists") == .null)
            #expect(Self.field(r, "advisories_checked") == .bool(true))
        }
    }

    @Test func crateTheRegistryDoesNotListIsNotFound() throws {
        guard let (engine, names) = RegistryEngineTests.setup else {
            Issue.record("could not generate a dump and build the store")
            return
        }
        let r = try engine.score(["package": ["name": "nosuchcrate-xyz", "version": "1.0.0"], "now": Self.now])
        #expect(Self.findingKinds(r).contains("not_found"))
        #expect(Self.field(r, "exists") == .bool(false))
        #expect(Self.field(r, "recommendation") == "UNKNOWN")
        let p = try engine.preflight(["target": "nosuchcrate-xyz", "now": Self.now])
        #expect(Self.field(p, "recommendation") == "UNKNOWN")
        if case .array(let flags)? = Self.field(p, "risk_flags") { #expect(flags.contains("not_found")) }
        // A crate it lists exists, and a version it lacks is not found either.
        let known = try #require(names.first)
        let k = try engine.score(["package": ["name": .string(known)], "now": Self.now])
        #expect(Self.field(k, "exists") == .bool(true))
        let v = try engine.score(["package": ["name": .string(known), "version": "999.0.0"], "now": Self.now])
        #expect(Self.findingKinds(v).contains("not_found"))
    }

    /// crates.io compares names case-insensitively with `-` and `_` alike: so do source and
    /// registry look-ups, and a wrong spelling gets the report of the right one.
    @Test func spellingsOfOneNameGetOneReport() throws {
        guard DebianCrates.require("nix-0.26.1", "serde_json-1.0.87") else { return }
        let engine = try Self.engine([("advisory_db", .string(SharedData.path("advisory-db") ?? "/nonexistent"))])
        let right = try engine.score(["package": ["name": "nix", "version": "0.26.1"]])
        for spelling in ["Nix", "NIX"] {
            let other = try engine.score(["package": ["name": .string(spelling), "version": "0.26.1"]])
            #expect(JSONText.string(other) == JSONText.string(right), "\(spelling)")
        }
        // (librust-serde-json-dev ships serde_json 1.0.87; the dash spelling finds it too.)
        let underscore = try engine.score(["package": ["name": "serde_json", "version": "1.0.87"]])
        #expect(Self.field(underscore, "exists") == .bool(true))
        let dash = try engine.score(["package": ["name": "serde-json", "version": "1.0.87"]])
        #expect(JSONText.string(dash) == JSONText.string(underscore))
    }

    @Test func nullConfigIsEmptyConfigAndFindsTheDatabase() throws {
        guard let db = SharedData.path("advisory-db") else {
            return
        }
        // Through NERQ_ADVISORY_DB ...
        let byVariable = try Engine(config: nil, environment: Environment([("NERQ_ADVISORY_DB", db)]))
        #expect(byVariable.advisories?.advisories.isEmpty == false)
        // ... and through ~/.cargo/advisory-db, as cargo-audit keeps it.
        let home = NSTemporaryDirectory() + "nerq-home-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/.cargo", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: home + "/.cargo/advisory-db", withDestinationPath: db)
        let byHome = try Engine(config: nil, environment: Environment([("HOME", home)]))
        let p = try byHome.preflight(["target": "atty@0.2.14"])
        #expect(Self.field(p, "recommendation") != "PROCEED")
        if case .array(let flags)? = Self.field(p, "risk_flags") { #expect(flags.contains("unmaintained")) }
        #expect(Self.field(p, "advisories_checked") == .bool(true))
        let empty = try Engine(config: .object(JSONObject()), environment: Environment([("HOME", home)]))
        #expect(JSONText.string(try empty.preflight(["target": "atty@0.2.14", "now": Self.now]))
                == JSONText.string(try byHome.preflight(["target": "atty@0.2.14", "now": Self.now])))
    }

    /// `now` is the moment a report speaks of: an advisory published later was not known then, so
    /// it neither affects the version nor counts in its history (what the prospective validity
    /// study relies on).
    @Test func advisoriesPublishedAfterNowDoNotCount() throws {
        guard let db = SharedData.path("advisory-db") else {
            return
        }
        let engine = try Self.engine([("advisory_db", .string(db))])
        let today = try engine.score(["package": ["name": "atty", "version": "0.2.14"]])
        let before = try engine.score(["package": ["name": "atty", "version": "0.2.14"], "now": "2021-01-01T00:00:00Z"])
        // RUSTSEC-2021-0145 (unsound) and RUSTSEC-2024-0375 (unmaintained) came later.
        #expect(JSONText.string(today).contains("RUSTSEC-2021-0145"))
        #expect(!JSONText.string(before).contains("RUSTSEC-2021-0145"))
        #expect(!JSONText.string(before).contains("RUSTSEC-2024-0375"))
    }

    @Test func noDatabaseMeansNotCheckedAndNeverProceed() throws {
        let engine = try Self.engine()  // no database anywhere: the environment is empty
        for target in ["atty@0.2.14", "nix@0.26.1", "libc@0.2.139", "cfg-if@1.0.0"] {
            let p = try engine.preflight(["target": .string(target)])
            #expect(Self.field(p, "recommendation") != "PROCEED", "\(target)")
            #expect(Self.field(p, "advisories_checked") == .bool(false))
            if case .array(let flags)? = Self.field(p, "risk_flags") { #expect(flags.contains("advisories_not_checked")) }
            let r = try engine.score(["package": .object(JSONObject([("name", .string(String(target.split(separator: "@")[0]))),
                                                                       ("version", .string(String(target.split(separator: "@")[1])))]))])
            #expect(Self.findingKinds(r).contains("advisories_not_checked"))
            #expect(Self.field(r, "verified") == .bool(false))
        }
    }

    @Test func databaseWhereNothingLoadsIsAnEngineError() throws {
        let dir = NSTemporaryDirectory() + "nerq-broken-db-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/crates/foo", withIntermediateDirectories: true)
        try "```toml\n[advisory]\nid = \n```\n".write(toFile: dir + "/crates/foo/RUSTSEC-2099-0001.md", atomically: true, encoding: .utf8)
        try "not json".write(toFile: dir + "/stray.json", atomically: true, encoding: .utf8)
        do {
            _ = try Self.engine([("advisory_db", .string(dir))])
            Issue.record("accepted a database where nothing loads")
        } catch {
            #expect(error.code == .parseError)
            #expect(error.path == "$.advisory_db")
            #expect(error.message.contains(dir) && error.message.contains("RUSTSEC-2099-0001.md"))
        }
        // Found through the environment, the same: never a silent empty database.
        do {
            _ = try Engine(config: nil, environment: Environment([("NERQ_ADVISORY_DB", dir)]))
            Issue.record("accepted a database where nothing loads")
        } catch {
            #expect(error.code == .parseError)
        }
        // A directory with no advisory files at all.
        let empty = dir + "-empty"
        try FileManager.default.createDirectory(atPath: empty + "/etc", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: NerqError.self) { _ = try Self.engine([("advisory_db", .string(empty))]) }
    }

    /// score, preflight and assess gather signals through one function: for every package of
    /// the demo, the same dimensions and Trust Score, byte for byte.
    @Test func scorePreflightAndAssessAgree() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lockfile = root.path + "/examples/demo/Cargo.lock"
        guard let db = SharedData.path("advisory-db") else {
            return
        }
        let engine = try Self.engine([("advisory_db", .string(db))])
        let assessment = try engine.assess(["lockfile": .string(lockfile)])
        guard case .array(let packages)? = Self.field(assessment, "packages") else {
            Issue.record("no packages")
            return
        }
        var compared = 0
        for p in packages {
            guard case .object(let source)? = p.objectValue?["source"], source["kind"] == "registry",
                  case .object(let pkg)? = p.objectValue?["package"], case .string(let name)? = pkg["name"],
                  case .string(let version)? = pkg["version"] else { continue }
            let score = try engine.score(["package": ["name": .string(name), "version": .string(version)]])
            #expect(Self.scorePart(score) == Self.scorePart(p), "\(name)@\(version) score")
            let pre = try engine.preflight(["target": .string("\(name)@\(version)")])
            #expect(Self.field(pre, "trust_score") == Self.field(p, "trust_score"), "\(name)@\(version) preflight")
            compared += 1
        }
        #expect(compared >= 15)
    }

    /// An engine scans a crate's source once: the second score of the same crate reuses the scan
    /// (same bytes), and a changed file is seen.
    @Test func sourceScansAreCachedUntilAFileChanges() throws {
        let dir = NSTemporaryDirectory() + "nerq-scan-cache-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let crate = dir + "/democrate-1.0.0"
        try FileManager.default.createDirectory(atPath: crate + "/src", withIntermediateDirectories: true)
        try "[package]\nname = \"democrate\"\nversion = \"1.0.0\"\nedition = \"2021\"\n".write(toFile: crate + "/Cargo.toml", atomically: true, encoding: .utf8)
        try "pub fn f() {}\n".write(toFile: crate + "/src/lib.rs", atomically: true, encoding: .utf8)
        let engine = try Self.engine()
        let request: JSONValue = ["package": ["name": "democrate", "version": "1.0.0"]]
        let lockText = "version = 3\n\n[[package]]\nname = \"democrate\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        let first = try engine.assess(["lockfile_text": .string(lockText), "options": ["vendor_dirs": [.string(dir)]]])
        let second = try engine.assess(["lockfile_text": .string(lockText), "options": ["vendor_dirs": [.string(dir)]]])
        #expect(JSONText.string(first) == JSONText.string(second))
        _ = request
        // A file changes: its size and time differ, so the crate is scanned again.
        try "pub fn f() { unsafe { } }\npub fn g() {}\n".write(toFile: crate + "/src/lib.rs", atomically: true, encoding: .utf8)
        let third = try engine.assess(["lockfile_text": .string(lockText), "options": ["vendor_dirs": [.string(dir)]]])
        #expect(JSONText.string(third).contains("\"unsafe_blocks\":1"))
        #expect(!JSONText.string(second).contains("\"unsafe_blocks\":1"))
    }
}
