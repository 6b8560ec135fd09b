import Foundation
@testable import NerqAdvisories
import NerqIO
import NerqJSON
import NerqTestSupport
import Testing
@testable import NerqEngine

/// `Engine.assessText` (what nerq_assess_str returns) writes every package report straight into
/// text as it is built: its bytes are those of the tree `assess` gives, encoded; and an engine
/// created from an advisory index checks the index when it first needs the database, so a
/// database changed (or gone) between creation and use is read as it is then.
@Suite struct TextAssessmentTests {
    static func engine(_ db: String, cacheDir: String? = nil) throws -> Engine {
        var config: [(String, JSONValue)] = [("advisory_db", .string(db)), ("now", "2026-11-21T00:00:00Z")]
        if let cacheDir { config.append(("cache_dir", .string(cacheDir))) }
        return try Engine(config: .object(JSONObject(config)), environment: Environment())
    }

    static func text(_ engine: Engine, _ request: JSONValue) throws -> [UInt8] {
        guard let c = try engine.assessText(request) else {
            Issue.record("assessText ran out of memory")
            return []
        }
        defer { free(c) }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(c).assumingMemoryBound(to: UInt8.self), count: strlen(c)))
    }

    /// Every report of real lockfiles, with every report or only flagged ones, and with the
    /// compiled status for three targets (which annotates every package and every finding).
    @Test(arguments: [("deno", "all", false), ("tauri-2024-10", "all", false), ("zellij", "flagged", false),
                      ("starship", "all", true)])
    func textIsTheTreeEncoded(_ name: String, _ reports: String, _ targets: Bool) throws {
        guard let db = required(SharedData.path("advisory-db"), "shared data advisory-db"),
              let lock = required(SharedData.path("lockfiles/\(name).Cargo.lock"), "shared lockfile \(name)") else { return }
        var options: [(String, JSONValue)] = [("scan_sources", false), ("reports", .string(reports))]
        if targets {
            options.append(("targets", .strings(["x86_64-unknown-linux-gnu", "x86_64-pc-windows-msvc", "aarch64-apple-darwin"])))
        }
        let request: JSONValue = .object(JSONObject([("lockfile", .string(lock)), ("options", .object(JSONObject(options)))]))
        let engine = try Self.engine(db)
        let tree = try engine.assess(request)
        let text = try Self.text(engine, request)
        #expect(text == JSONText.encode(tree))
        guard case .array(let packages)? = tree.objectValue?["packages"] else {
            Issue.record("no packages")
            return
        }
        #expect(packages.count > (reports == "all" ? 100 : 0), "\(packages.count) reports")
    }

    /// A lockfile with one package, `time` 0.1.40, which the test's advisory below affects.
    static let lockfile = """
        version = 3

        [[package]]
        name = "time"
        version = "0.1.40"
        source = "registry+https://github.com/rust-lang/crates.io-index"
        checksum = "d825be0eb33fda1a7e68012d51e9c7f451dc1a69391e7fdc197060bb8c56667b"
        """

    /// A copy of the shared database, its index written, and an engine created from that index.
    func withIndexedEngine(_ label: String, _ body: (_ db: String, _ engine: Engine) throws -> Void) throws {
        guard let shared = required(SharedData.path("advisory-db"), "shared data advisory-db (\(label))") else { return }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("nerq-text-\(label)-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let db = tmp + "/advisory-db"
        try FileManager.default.copyItem(atPath: shared, toPath: db)
        // An hour ahead: the files just copied count as settled, so this read writes the index.
        let cache = AdvisoryIndexCache(directory: tmp + "/cache/advisory-index", clock: { AdvisoryIndexCache.realtime() &+ 3_600_000_000_000 })
        _ = try AdvisoryDatabase.find(path: db).read(cache: cache)
        #expect(cache.load(path: db) != nil, "an index was written")
        let engine = try Self.engine(db, cacheDir: tmp + "/cache")
        try body(db, engine)
    }

    static func findingIDs(_ doc: JSONValue) -> [String] {
        guard case .array(let findings)? = doc.objectValue?["findings"] else { return [] }
        return findings.compactMap { if case .string(let id)? = $0.objectValue?["id"] { id } else { nil } }
    }

    @Test func databaseChangedAfterCreationIsReadAtFirstUse() throws {
        try withIndexedEngine("changed") { db, engine in
            let advisory = "```toml\n[advisory]\nid = \"RUSTSEC-2099-0001\"\npackage = \"time\"\ndate = \"2026-01-01\"\n\n"
                + "[versions]\npatched = [\">= 9.0.0\"]\n```\n\n# Added after the engine was created\n\nText.\n"
            try advisory.write(toFile: db + "/crates/time/RUSTSEC-2099-0001.md", atomically: false, encoding: .utf8)
            let doc = try engine.assess(["lockfile_text": .string(Self.lockfile), "options": ["scan_sources": false]])
            #expect(Self.findingIDs(doc).contains("RUSTSEC-2099-0001"), "\(Self.findingIDs(doc))")
        }
    }

    @Test func databaseRemovedAfterCreationChecksNothing() throws {
        try withIndexedEngine("removed") { db, engine in
            try FileManager.default.removeItem(atPath: db)
            let doc = try engine.assess(["lockfile_text": .string(Self.lockfile), "options": ["scan_sources": false]])
            #expect(Self.findingIDs(doc).isEmpty)
            // Not "no vulnerabilities": the package says it was not checked, and the notes why.
            guard case .array(let packages)? = doc.objectValue?["packages"], let report = packages.first?.objectValue else {
                Issue.record("no package report")
                return
            }
            #expect(report["advisories_checked"] == .bool(false))
            let notes = JSONText.string(doc.objectValue?["notes"] ?? .null)
            #expect(notes.contains("no advisory database"), "\(notes)")
        }
    }
}
