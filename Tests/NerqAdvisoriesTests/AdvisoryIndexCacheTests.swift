import Foundation
@testable import NerqAdvisories
import NerqIO
import NerqTestSupport
import Testing

/// The advisory index cache on a copy of the real snapshot (shared/data/advisory-db): an index is
/// used only while every file of the database is as it was, and a damaged index is rebuilt.
@Suite(.serialized) struct AdvisoryIndexCacheTests {
    /// A clock an hour ahead: the files just copied count as settled, so the first read writes an
    /// index (the real clock would wait `settleSeconds` after the copy).
    static let later: @Sendable () -> Int64 = { AdvisoryIndexCache.realtime() &+ 3_600_000_000_000 }

    /// A copy of the shared snapshot and an empty cache directory, removed by `body`'s end.
    func withCopy(_ label: String, _ body: (String, AdvisoryIndexCache) throws -> Void) throws {
        guard let shared = required(SharedData.path("advisory-db"), "shared data advisory-db (\(label))") else { return }
        let tmp = try makeTempDirectory("index-\(label)")
        defer { removeTree(tmp) }
        try FileManager.default.copyItem(atPath: shared, toPath: tmp + "/advisory-db")
        try body(tmp + "/advisory-db", AdvisoryIndexCache(directory: tmp + "/index", clock: Self.later))
    }

    func read(_ path: String, _ cache: AdvisoryIndexCache) throws -> AdvisoryDatabase {
        try AdvisoryDatabase.find(path: path).read(cache: cache)
    }

    func indexFile(_ cache: AdvisoryIndexCache, _ path: String) -> String? {
        guard let build = AdvisoryIndexCache.build, let real = Files.realPath(path) else { return nil }
        return cache.file(forRealPath: real, build: build)
    }

    func expectSame(_ a: AdvisoryDatabase, _ b: AdvisoryDatabase, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.advisories == b.advisories, sourceLocation: sourceLocation)
        #expect(a.errors == b.errors, sourceLocation: sourceLocation)
        #expect(a.unknownKeyCount == b.unknownKeyCount, sourceLocation: sourceLocation)
        #expect(a.skippedRecords == b.skippedRecords, sourceLocation: sourceLocation)
        #expect(a.fileCount == b.fileCount, sourceLocation: sourceLocation)
    }

    /// The index reads back exactly what parsing the files gives, on both real snapshots.
    @Test(arguments: ["advisory-db", "advisory-db-osv"])
    func indexEqualsParse(_ name: String) throws {
        guard let shared = required(SharedData.path(name), "shared data \(name)") else { return }
        let tmp = try makeTempDirectory("index-equal")
        defer { removeTree(tmp) }
        let cache = AdvisoryIndexCache(directory: tmp, clock: Self.later)
        let parsed = try AdvisoryDatabase.load(path: shared)
        #expect(cache.load(path: shared) == nil, "no index yet")
        expectSame(try read(shared, cache), parsed)
        guard let indexed = cache.load(path: shared) else {
            Issue.record("no index written for \(name)")
            return
        }
        #expect(indexed.advisories.count > 500)
        expectSame(indexed, parsed)
    }

    @Test func changedFileIsSeen() throws {
        try withCopy("changed") { db, cache in
            let first = try read(db, cache)
            #expect(cache.load(path: db) != nil)
            guard let target = first.advisories.first(where: { $0.id == "RUSTSEC-2020-0071" }) else {
                Issue.record("RUSTSEC-2020-0071 not loaded")
                return
            }
            // A new word in the title (the Markdown heading), then one letter of it changed: the
            // second rewrite keeps the size, so only the file's times and inode tell.
            let path = db + "/" + target.file
            let text = try #require(readText(path))
            let changed = text.replacingOccurrences(of: "```\n\n# ", with: "```\n\n# Y ")
            #expect(changed.utf8.count == text.utf8.count + 2)
            try write(db, target.file, changed)
            #expect(cache.load(path: db) == nil, "the index of the old file is not used")
            let second = try read(db, cache)
            #expect(second.advisories.first { $0.id == "RUSTSEC-2020-0071" }?.title?.hasPrefix("Y") == true)
            // A rewrite to the very same size is seen too.
            let sameSize = changed.replacingOccurrences(of: "```\n\n# Y ", with: "```\n\n# Z ")
            #expect(sameSize.utf8.count == changed.utf8.count)
            try write(db, target.file, sameSize)
            #expect(cache.load(path: db) == nil)
            #expect(try read(db, cache).advisories.first { $0.id == "RUSTSEC-2020-0071" }?.title?.hasPrefix("Z") == true)
            #expect(cache.load(path: db)?.advisories.first { $0.id == "RUSTSEC-2020-0071" }?.title?.hasPrefix("Z") == true)
        }
    }

    @Test func addedFileIsSeen() throws {
        try withCopy("added") { db, cache in
            let before = try read(db, cache).advisories.count
            #expect(cache.load(path: db) != nil)
            // A new advisory in an existing crate's folder, and one in a new crate's folder.
            let advisory = { (id: String, crate: String) in
                "```toml\n[advisory]\nid = \"\(id)\"\npackage = \"\(crate)\"\ndate = \"2026-01-01\"\n\n[versions]\npatched = [\">= 9.0.0\"]\n```\n\n# Added in a test\n\nText.\n"
            }
            try write(db, "crates/time/RUSTSEC-2099-0001.md", advisory("RUSTSEC-2099-0001", "time"))
            #expect(cache.load(path: db) == nil)
            #expect(try read(db, cache).advisories.contains { $0.id == "RUSTSEC-2099-0001" })
            try write(db, "crates/nerq-made-up/RUSTSEC-2099-0002.md", advisory("RUSTSEC-2099-0002", "nerq-made-up"))
            #expect(cache.load(path: db) == nil)
            let after = try read(db, cache)
            #expect(after.advisories.contains { $0.id == "RUSTSEC-2099-0002" })
            #expect(after.advisories.count == before + 2)
            #expect(cache.load(path: db)?.advisories.count == before + 2)
        }
    }

    @Test func removedFileIsSeen() throws {
        try withCopy("removed") { db, cache in
            let first = try read(db, cache)
            #expect(cache.load(path: db) != nil)
            let target = try #require(first.advisories.first { $0.id == "RUSTSEC-2020-0071" })
            try FileManager.default.removeItem(atPath: db + "/" + target.file)
            #expect(cache.load(path: db) == nil)
            let second = try read(db, cache)
            #expect(!second.advisories.contains { $0.id == "RUSTSEC-2020-0071" })
            #expect(second.advisories.count == first.advisories.count - 1)
        }
    }

    /// Every way an index file can be damaged: a flipped byte anywhere, cut short anywhere, empty,
    /// garbage of the same length. Each is a miss, and the next read writes a good index again.
    @Test func damagedIndexIsRebuilt() throws {
        try withCopy("damaged") { db, cache in
            let parsed = try read(db, cache)
            let file = try #require(indexFile(cache, db))
            let good = try #require(FileManager.default.contents(atPath: file))
            var damaged: [(String, Data)] = []
            for offset in [0, good.count / 2, good.count - 1] {
                var d = good
                d[offset] ^= 0x40
                damaged.append(("byte \(offset) flipped", d))
            }
            for length in [0, good.count / 2, good.count - 1] {
                damaged.append(("truncated to \(length)", good.prefix(length)))
            }
            damaged.append(("longer", good + Data([0])))
            for (what, bytes) in damaged {
                try bytes.write(to: URL(fileURLWithPath: file))
                #expect(cache.load(path: db) == nil, "\(what): not trusted")
                expectSame(try read(db, cache), parsed)
                #expect(FileManager.default.contents(atPath: file) == good, "\(what): rebuilt")
                guard let again = cache.load(path: db) else {
                    Issue.record("\(what): the rebuilt index is not used")
                    continue
                }
                expectSame(again, parsed)
            }
        }
    }

    /// A cache that cannot be written (its directory would be under a file) costs nothing but time.
    @Test func unwritableCacheStillLoads() throws {
        try withCopy("unwritable") { db, _ in
            let tmp = try makeTempDirectory("index-unwritable")
            defer { removeTree(tmp) }
            try write(tmp, "file", "not a directory")
            let cache = AdvisoryIndexCache(directory: tmp + "/file/index", clock: Self.later)
            let db1 = try read(db, cache)
            #expect(cache.load(path: db) == nil)
            expectSame(try read(db, cache), db1)
            expectSame(db1, try AdvisoryDatabase.load(path: db))
        }
    }

    /// Files changed in the last few seconds may still change within one tick of the file
    /// system's clock: no index is written from them.
    @Test func unsettledFilesWriteNoIndex() throws {
        try withCopy("unsettled") { db, _ in
            let tmp = try makeTempDirectory("index-unsettled")
            defer { removeTree(tmp) }
            let cache = AdvisoryIndexCache(directory: tmp, clock: AdvisoryIndexCache.realtime)
            try write(db, "crates/time/RUSTSEC-2099-0003.md", "fresh")
            _ = try read(db, cache)
            #expect(cache.load(path: db) == nil)
        }
    }
}
