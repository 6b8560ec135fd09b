import Foundation
import NerqCore
import NerqIO
import NerqJSON
import NerqTestSupport
import Testing
@testable import NerqEngine

/// What an outside attack found, one test per class (docs/bad-input.md names them): hangs,
/// reading outside what was given, silent drops, memory. How the costs grow is measured by
/// bench/bench_scaling.py.
@Suite struct HardeningTests {
    static let now: JSONValue = "2026-11-21T00:00:00Z"

    static func temp(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "nerq-hardening-\(getpid())-\(name)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func engine(_ config: [(String, JSONValue)] = []) throws(NerqError) -> Engine {
        var o = JSONObject([("now", now)])
        for (k, v) in config { o.set(k, v) }
        return try Engine(config: .object(o), environment: Environment())
    }

    static func expectError(_ code: NerqError.Code, path: String? = nil, containing text: String? = nil,
                            _ body: () throws(NerqError) -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("no error", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            if let path { #expect(error.path == path, "\(error)", sourceLocation: sourceLocation) }
            if let text { #expect(error.message.contains(text), "\(error)", sourceLocation: sourceLocation) }
        }
    }

    // MARK: hangs

    /// A FIFO named as a lockfile or metadata file is opened without blocking and refused.
    @Test func fifosAreRefusedNotWaitedOn() throws {
        let dir = try Self.temp("fifo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/Cargo.lock"
        #expect(mkfifo(fifo, 0o644) == 0)
        let engine = try Self.engine()
        Self.expectError(.ioError, containing: "not a regular file") { () throws(NerqError) in _ = try engine.assess(["lockfile": .string(fifo)]) }
        Self.expectError(.ioError, containing: "not a regular file") { () throws(NerqError) in _ = try engine.assess(["metadata_path": .string(fifo)]) }
        Self.expectError(.ioError, containing: "not a regular file") { () throws(NerqError) in _ = try engine.assess(["lockfile": "/dev/zero"]) }
    }

    /// An advisory directory full of symlinks to itself: links are never followed (each is an
    /// error of the load), so creating the engine lists a handful of directories, not N^4.
    @Test func symlinkLoopsInTheDatabaseAreNotFollowed() throws {
        guard let db = SharedData.path("advisory-db") else {
            return
        }
        let dir = try Self.temp("loops")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/crates/atty", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: db + "/crates/atty/RUSTSEC-2021-0145.md", toPath: dir + "/crates/atty/RUSTSEC-2021-0145.md")
        for k in 0..<80 {
            try FileManager.default.createSymbolicLink(atPath: dir + "/loop\(k)", withDestinationPath: dir)
            try FileManager.default.createSymbolicLink(atPath: dir + "/crates/loop\(k)", withDestinationPath: dir)
        }
        // And a link out of the database, to a file whose bytes must never be quoted.
        try "SECRET-CONTENT-1234".write(toFile: dir + "-secret", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dir + "-secret") }
        try FileManager.default.createSymbolicLink(atPath: dir + "/crates/atty/RUSTSEC-2099-0001.md", withDestinationPath: dir + "-secret")
        let engine = try Self.engine([("advisory_db", .string(dir))])
        let database = try #require(engine.advisories)
        #expect(database.advisories.map(\.id) == ["RUSTSEC-2021-0145"])
        #expect(database.errors.allSatisfy { $0.message.contains("symbolic link") })
        #expect(database.errors.count == 161)
        let doc = try engine.assess(["lockfile_text": "version = 3\n[[package]]\nname = \"atty\"\nversion = \"0.2.14\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"])
        #expect(!JSONText.string(doc).contains("SECRET"))
    }

    // MARK: reading outside what was given

    /// A crate whose Cargo.toml is a link out of the crate: the outside file is never read.
    @Test func manifestLinkOutOfTheCrateIsNotRead() throws {
        let dir = try Self.temp("manifest")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let crate = dir + "/vendor/democrate-1.0.0"
        try FileManager.default.createDirectory(atPath: crate + "/src", withIntermediateDirectories: true)
        try "[package]\nname = \"democrate\"\nversion = \"1.0.0\"\ndescription = \"OUTSIDE-DESCRIPTION\"\nrepository = \"https://outside.example\"\n"
            .write(toFile: dir + "/outside.toml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: crate + "/Cargo.toml", withDestinationPath: dir + "/outside.toml")
        try "pub fn f() {}\n".write(toFile: crate + "/src/lib.rs", atomically: true, encoding: .utf8)
        let engine = try Self.engine()
        let doc = try engine.assess(["lockfile_text": "version = 3\n[[package]]\nname = \"democrate\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
                                     "options": ["vendor_dirs": [.string(dir + "/vendor")]]])
        let text = JSONText.string(doc)
        #expect(!text.contains("OUTSIDE-DESCRIPTION") && !text.contains("outside.example"))
    }

    /// A path with a NUL byte would open the part before it: refused in every path input.
    @Test func pathsWithNulAreRefused() throws {
        let engine = try Self.engine()
        Self.expectError(.invalidValue, path: "$.lockfile") { () throws(NerqError) in _ = try engine.assess(["lockfile": "/etc/passwd\u{0}Cargo.lock"]) }
        Self.expectError(.invalidValue, path: "$.metadata_path") { () throws(NerqError) in _ = try engine.assess(["metadata_path": "/etc\u{0}/x"]) }
        Self.expectError(.invalidValue, path: "$.options.vendor_dirs[0]") { () throws(NerqError) in
            _ = try engine.assess(["lockfile_text": "", "options": ["vendor_dirs": ["/tmp\u{0}x"]]])
        }
        Self.expectError(.invalidValue, path: "$.advisory_db") { () throws(NerqError) in _ = try Self.engine([("advisory_db", "/etc\u{0}x")]) }
        Self.expectError(.invalidValue, path: "$.registry") { () throws(NerqError) in _ = try Self.engine([("registry", "/etc\u{0}x")]) }
    }

    // MARK: silent drops

    @Test func nonStringSourceIsAnError() throws {
        let engine = try Self.engine()
        Self.expectError(.parseError, containing: "source of serde must be a string") { () throws(NerqError) in
            _ = try engine.assess(["lockfile_text": "version = 3\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = 1\n"])
        }
    }

    /// Unknown members, dependencies on unknown ids, duplicate ids and resolve nodes are counted
    /// in `issues`, never dropped silently.
    @Test func metadataDropsAreReported() throws {
        let engine = try Self.engine()
        let pkg: (String, String) -> JSONValue = { id, name in ["id": .string(id), "name": .string(name), "version": "1.0.0"] }
        let metadata: JSONValue = [
            "version": 1,
            "packages": [pkg("a 1.0.0", "a"), pkg("b 1.0.0", "b"), pkg("a 1.0.0", "a")],
            "workspace_members": ["a 1.0.0", "ghost 1.0.0"],
            "resolve": ["nodes": [
                ["id": "a 1.0.0", "deps": [["pkg": "b 1.0.0"], ["pkg": "nowhere 9.9.9"]]],
                ["id": "a 1.0.0", "deps": []],
            ]],
        ]
        let doc = try engine.assess(["metadata": metadata])
        guard case .array(let issues)? = doc.objectValue?["issues"] else {
            Issue.record("no issues")
            return
        }
        let text = JSONText.string(.array(issues))
        #expect(text.contains("duplicate package id"))
        #expect(text.contains("duplicate resolve node"))
        #expect(text.contains("ghost 1.0.0"))
        #expect(text.contains("nowhere 9.9.9"))
    }

    /// Files that report no size (/proc) are read to their end, not taken as empty.
    @Test func procFilesAreNotEmpty() throws {
        let engine = try Self.engine()
        Self.expectError(.parseError) { () throws(NerqError) in _ = try engine.assess(["lockfile": "/proc/self/status"]) }
    }

    // MARK: memory

    /// A sparse advisory file that claims 250 MB is refused before any memory is committed.
    @Test func hugeSparseAdvisoryFilesAreNotRead() throws {
        guard let db = SharedData.path("advisory-db") else {
            return
        }
        let dir = try Self.temp("sparse")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/crates/atty", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: db + "/crates/atty/RUSTSEC-2021-0145.md", toPath: dir + "/crates/atty/RUSTSEC-2021-0145.md")
        for k in 0..<4 {
            let path = dir + "/crates/atty/RUSTSEC-2099-000\(k).md"
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            #expect(truncate(path, 250 << 20) == 0)
        }
        let engine = try Self.engine([("advisory_db", .string(dir))])
        let database = try #require(engine.advisories)
        #expect(database.advisories.count == 1)
        #expect(database.errors.filter { $0.message.contains("larger than") }.count == 4)
    }

    // MARK: costs

    /// R workspace members over a shared chain of M packages ending in a flagged one: every
    /// member is counted, only `max_paths` paths are built.
    @Test func manyMembersOverOneChainAreCountedNotListed() throws {
        guard let db = SharedData.path("advisory-db") else {
            return
        }
        let members = 300, chain = 200
        var lock = "version = 3\n"
        for r in 0..<members { lock += "[[package]]\nname = \"member\(r)\"\nversion = \"0.1.0\"\ndependencies = [\"link0\"]\n" }
        for m in 0..<chain {
            let next = m + 1 < chain ? "link\(m + 1)" : "atty"
            lock += "[[package]]\nname = \"link\(m)\"\nversion = \"0.1.0\"\ndependencies = [\"\(next)\"]\n"
        }
        lock += "[[package]]\nname = \"atty\"\nversion = \"0.2.14\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        let engine = try Self.engine([("advisory_db", .string(db))])
        let doc = try engine.assess(["lockfile_text": .string(lock), "options": ["max_paths": 1, "scan_sources": false]])
        guard case .array(let findings)? = doc.objectValue?["findings"], let first = findings.first?.objectValue else {
            Issue.record("no finding")
            return
        }
        #expect(first["paths_total"] == .int(Int64(members)))
        if case .array(let paths)? = first["paths"] {
            #expect(paths.count == 1)
            if case .array(let path)? = paths.first { #expect(path.count == chain + 2) }
        }
    }
}
