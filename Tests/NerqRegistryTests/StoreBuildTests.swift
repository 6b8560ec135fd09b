import Foundation
import NerqCore
import NerqIO
import NerqTestSupport
import Testing
@testable import NerqRegistry

/// Building a store safely: concurrent builders, killed builders, FIFOs in a dump, files outside
/// the dump's folder (docs/bad-input.md, the registry rows).
@Suite struct StoreBuildTests {
    /// Two threads building the same store: each writes its own temporary under the lock; the
    /// second finds the store built and keeps it. Neither fails, and the store opens.
    @Test func concurrentBuildersShareNothing() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let dump = try generateDump(in: dir)
        let store = dir.file("s.sqlite")
        let results = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4)
        defer { results.deallocate() }
        results.initialize(repeating: -1)
        let box = UncheckedBox(results)
        DispatchQueue.concurrentPerform(iterations: 4) { k in
            do {
                let built = try RegistryIngest.buildIfMissing(dump: dump, store: store)
                box.value[k] = built == nil ? 0 : 1
            } catch {
                box.value[k] = 2
            }
        }
        #expect(Array(results).filter { $0 == 1 }.count == 1, "exactly one builder builds: \(Array(results))")
        #expect(!Array(results).contains(2))
        #expect(try RegistryStore(path: store).record(name: try crateNames(folder: dump)[0], version: nil) != nil)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// A builder killed half-way leaves `<store>.tmp-PID-N`: the next build removes it.
    @Test func staleTemporariesAreCleaned() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let dump = try generateDump(in: dir)
        let store = dir.file("s.sqlite")
        let stale = store + ".tmp-999999-0"
        try Data("half a store".utf8).write(to: URL(fileURLWithPath: stale))
        try RegistryIngest.build(dump: dump, store: store)
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    /// A FIFO where a table should be gets an error, never a hang (opened without blocking).
    @Test func fifoTableIsAnError() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let dump = try generateDump(in: dir)
        let table = dump + "/data/keywords.csv"
        try FileManager.default.removeItem(atPath: table)
        #expect(mkfifo(table, 0o644) == 0)
        do {
            try RegistryIngest.build(dump: dump, store: dir.file("s.sqlite"))
            Issue.record("a FIFO was read as a table")
        } catch {
            #expect(error.message.contains("not a regular file"), "\(error.message)")
        }
    }

    /// A tarball holding a second top-level folder: only the dump's own folder is read, and the
    /// summary says how many files were skipped.
    @Test func filesOutsideTheDumpFolderAreSkipped() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let dump = try generateDump(in: dir)
        let parent = Files.directory(of: dump)
        try FileManager.default.createDirectory(atPath: parent + "/zz-other/data", withIntermediateDirectories: true)
        try "id,name\n1,evil\n".write(toFile: parent + "/zz-other/data/crates.csv", atomically: true, encoding: .utf8)
        let tarball = dir.file("dump.tar")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tar", "-C", parent, "-cf", tarball, Files.lastComponent(dump), "zz-other"]
        try p.run()
        p.waitUntilExit()
        let summary = try RegistryIngest.build(dump: tarball, store: dir.file("s.sqlite"))
        #expect(summary.notes.contains { $0.contains("outside the dump's folder") }, "\(summary.notes)")
        #expect(try RegistryStore(path: dir.file("s.sqlite")).record(name: "evil", version: nil) == nil)
    }

    @Test func indexCacheNeverLeavesItsDirectory() {
        for name in ["../../..", "../etc/passwd", "a/b", "", String(repeating: "a", count: 65), "na\u{0}me"] {
            #expect(CargoIndexCache.locate(name: name, cargoHome: "/tmp").isEmpty, "\(name)")
        }
    }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
