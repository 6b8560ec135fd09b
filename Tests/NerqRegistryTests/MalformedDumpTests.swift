import Foundation
import NerqCore
import NerqIO
@testable import NerqRegistry
import NerqTestSupport
import Testing

/// Damaged dumps: each error names the table file and the line, and no store is left behind
/// (an existing one stays as it was).
@Suite struct MalformedDumpTests {
    /// A generated dump copied to `damaged`, a good store built from the original at `store`.
    struct Fixture {
        let dir: TempDir
        let original: String
        let damaged: String
        let store: String
        let storeBytes: Data
    }

    func fixture() throws -> Fixture {
        let dir = try TempDir()
        let original = try generateDump(in: dir)
        let damaged = dir.file("damaged/2026-11-20-020004")
        try copyFolder(original, to: damaged)
        let store = dir.file("store.sqlite")
        try RegistryIngest.build(dump: original, store: store)
        return Fixture(dir: dir, original: original, damaged: damaged, store: store,
                       storeBytes: try Data(contentsOf: URL(fileURLWithPath: store)))
    }

    func expectUntouched(_ f: Fixture) throws {
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.store)) == f.storeBytes, "the existing store was modified")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    /// Damages one line of a table; expects an error naming `data/<table>.csv` and that line.
    func damaged(_ table: String, where match: @escaping (String) -> Bool, _ transform: @escaping (String) -> String,
                 expect fragments: [String]) throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        let line = try editLine(f.damaged + "/data/\(table).csv", where: match, transform)
        let error = try #require(ingestError(dump: f.damaged, store: f.store))
        #expect(error.code == .parseError, "\(error)")
        #expect(error.path == "data/\(table).csv:\(line)", "\(error)")
        #expect(error.message.contains("data/\(table).csv line \(line)"), "\(error.message)")
        #expect(error.message.contains(f.damaged), "names the dump: \(error.message)")
        for fragment in fragments { #expect(error.message.contains(fragment), "\(error.message)") }
        try expectUntouched(f)
        // A fresh destination is not created either.
        let fresh = f.dir.file("fresh.sqlite")
        #expect(ingestError(dump: f.damaged, store: fresh) != nil)
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    @Test func wrongColumnCount() throws {
        try damaged("versions", where: { $0.hasPrefix("100,") }, { String($0.dropLast(3)) + ",extra,field" },
                    expect: ["expected 24 fields", "found 25"])
    }

    @Test func missingField() throws {
        try damaged("dependencies", where: { $0.hasPrefix("5000,") }, { $0.components(separatedBy: ",").dropLast().joined(separator: ",") },
                    expect: ["expected 10 fields", "found 9"])
    }

    @Test func badBoolean() throws {
        func fields(_ l: String) -> [String] { l.components(separatedBy: ",") }
        try damaged("versions", where: { fields($0).count > 9 && fields($0)[7] == "{}" && fields($0)[8] == "f" }, { line in
            var f = fields(line)
            f[8] = "false"
            return f.joined(separator: ",")
        },
                    expect: ["column \"yanked\"", "t or f", "\"false\""])
    }

    @Test func badArrayLiteral() throws {
        try damaged("versions", where: { $0.hasSuffix(",{},{}") }, { String($0.dropLast(6)) + ",{},\"{a,\"\"b}\"" },
                    expect: ["column \"keywords\"", "array literal"])
    }

    @Test func badTimestamp() throws {
        try damaged("versions", where: { $0.hasPrefix("300,") }, { line in
            var fields = line.components(separatedBy: ",")
            fields[5] = "2017-13-45 19:13:05+00"
            return fields.joined(separator: ",")
        }, expect: ["column \"created_at\"", "timestamp", "2017-13-45"])
    }

    @Test func badInteger() throws {
        try damaged("dependencies", where: { $0.hasPrefix("777,") }, { line in
            var fields = line.components(separatedBy: ",")
            fields[2] = "12x"
            return fields.joined(separator: ",")
        }, expect: ["column \"crate_id\"", "integer", "\"12x\""])
    }

    @Test func badDate() throws {
        try damaged("version_downloads", where: { _ in true }, { line in
            var fields = line.components(separatedBy: ",")
            fields[2] = "2026-02-30"
            return fields.joined(separator: ",")
        }, expect: ["column \"date\"", "date"])
    }

    @Test func strayQuote() throws {
        try damaged("dependencies", where: { $0.hasPrefix("42,") }, { $0.replacingOccurrences(of: "^0.", with: "^0\"x.") },
                    expect: ["quote"])
    }

    @Test func unterminatedQuoteAtEndOfFile() throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        let file = f.damaged + "/data/keywords.csv"
        let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }
        try (lines.joined(separator: "\n") + "\n999,\"open,0,2020-01-01 00:00:00+00\n").write(toFile: file, atomically: true, encoding: .utf8)
        let error = try #require(ingestError(dump: f.damaged, store: f.store))
        #expect(error.message.contains("data/keywords.csv line \(lines.count + 1)"), "\(error.message)")
        #expect(error.message.contains("unterminated quoted field"), "\(error.message)")
        try expectUntouched(f)
    }

    @Test func duplicateVersionId() throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        let file = f.damaged + "/data/versions.csv"
        var lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
        lines.insert(lines[5], at: 9)   // the row of id 5 again, on line 10
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let error = try #require(ingestError(dump: f.damaged, store: f.store))
        #expect(error.message.contains("data/versions.csv line 10"), "\(error.message)")
        #expect(error.message.contains("duplicate version id 5"), "\(error.message)")
        try expectUntouched(f)
    }

    @Test func duplicateCrateName() throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        let file = f.damaged + "/data/crates.csv"
        var lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
        // A one-line record (no quoted field), copied under another id at the end of the file.
        let single = try #require(lines.dropFirst().first { l in
            let f = l.components(separatedBy: ",")
            return !l.contains("\"") && f.count == 11 && Int(f[0]) != nil
        })
        var fields = single.components(separatedBy: ",")
        fields[0] = "99999"
        if lines.last == "" { lines.removeLast() }
        lines.append(fields.joined(separator: ","))
        let physical = lines.count
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let error = try #require(ingestError(dump: f.damaged, store: f.store))
        #expect(error.message.contains("data/crates.csv line \(physical): duplicate crate name \"\(fields[1])\""), "\(error.message)")
        try expectUntouched(f)
    }

    @Test(arguments: ["crates", "versions"])
    func requiredTables(table: String) throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        try FileManager.default.removeItem(atPath: f.damaged + "/data/\(table).csv")
        let error = try #require(ingestError(dump: f.damaged, store: f.store))
        #expect(error.code == .notFound)
        #expect(error.message.contains("no \(table).csv"), "\(error.message)")
        #expect(error.message.contains("required: crates and versions"), "\(error.message)")
        try expectUntouched(f)
    }

    @Test func headerWithoutRequiredColumn() throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        let file = f.damaged + "/data/versions.csv"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "id,crate_id,num,", with: "id,crate_id,number,").write(toFile: file, atomically: true, encoding: .utf8)
        let error = try #require(ingestError(dump: f.damaged, store: f.store))
        #expect(error.message.contains("data/versions.csv line 1: missing column \"num\""), "\(error.message)")
        try expectUntouched(f)
    }

    @Test func emptyTableFile() throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        try "".write(toFile: f.damaged + "/data/crate_owners.csv", atomically: true, encoding: .utf8)
        let error = try #require(ingestError(dump: f.damaged, store: f.store))
        #expect(error.message.contains("data/crate_owners.csv: empty file (no header row)"), "\(error.message)")
    }

    // MARK: optional tables

    @Test func optionalTablesAbsent() throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        for t in ["dependencies", "version_downloads", "crate_owners", "crates_keywords", "crate_downloads"] {
            try FileManager.default.removeItem(atPath: f.damaged + "/data/\(t).csv")
        }
        let store = f.dir.file("partial.sqlite")
        let summary = try RegistryIngest.build(dump: f.damaged, store: store)
        #expect(summary.notes.contains("dependencies.csv absent: reverse dependencies unknown"))
        #expect(summary.notes.contains("version_downloads.csv absent: recent downloads unknown"))
        #expect(summary.notes.contains("crate_owners.csv absent: owners unknown"))
        #expect(summary.notes.contains("crate_downloads.csv absent: total downloads summed over versions.downloads"))
        let full = try RegistryStore(path: f.store)
        let partial = try RegistryStore(path: store)
        for name in try crateNames(folder: f.original).prefix(60) {
            let a = try #require(try full.record(name: name, version: nil))
            let b = try #require(try partial.record(name: name, version: nil))
            // No data is not zero: unknown stays unknown.
            #expect(b.signals.reverseDependencies == nil && b.signals.reverseDependenciesPercentile == nil)
            #expect(b.signals.recentDownloads == nil)
            #expect(b.signals.owners == nil && b.signals.teamOwners == nil)
            // The generator's crate_downloads is the sum over versions, so the fallback agrees.
            #expect(b.signals.downloads == a.signals.downloads)
            #expect(b.signals.downloadsPercentile == a.signals.downloadsPercentile)
            // Keywords fall back to the scored version's own list (the generator fills it for
            // versions of the last two years).
            if let own = b.signals.keywords { #expect(Set(own).isSubset(of: Set(a.signals.keywords ?? []))) }
            #expect(b.signals.categories == a.signals.categories)
            #expect(b.signals.versions == a.signals.versions)
        }
    }

    /// Without default_versions, each crate's default is computed with crates.io's rule; it must
    /// agree with the table the generator wrote (itself computed with that rule).
    @Test func defaultVersionsComputed() throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        try FileManager.default.removeItem(atPath: f.damaged + "/data/default_versions.csv")
        let store = f.dir.file("computed.sqlite")
        let summary = try RegistryIngest.build(dump: f.damaged, store: store)
        #expect(summary.notes.contains { $0.hasPrefix("default_versions.csv absent") })
        let full = try RegistryStore(path: f.store)
        let computed = try RegistryStore(path: store)
        for name in try crateNames(folder: f.original) {
            let a = try full.record(name: name, version: nil)
            let b = try computed.record(name: name, version: nil)
            #expect(a?.signals.latestVersion == b?.signals.latestVersion, "\(name)")
            #expect(a?.signals.reverseDependencies == b?.signals.reverseDependencies, "\(name)")
        }
    }

    // MARK: tarballs

    @Test func truncatedTarball() throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        let tarball = f.dir.file("db-dump.tar.gz")
        try generateDump(in: f.dir, name: "again", extra: ["--tarball", tarball])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: tarball))
        for cut in [bytes.count / 3, bytes.count - 20, bytes.count - 1, 100] {
            let short = f.dir.file("short.tar.gz")
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: short))
            let error = try #require(ingestError(dump: short, store: f.store), "cut at \(cut)")
            #expect(error.code == .parseError)
            #expect(error.message.contains("truncated"), "\(cut): \(error.message)")
            #expect(error.message.contains(short), "\(error.message)")
            try expectUntouched(f)
            let fresh = f.dir.file("fresh.sqlite")
            #expect(ingestError(dump: short, store: fresh) != nil)
            #expect(!FileManager.default.fileExists(atPath: fresh))
        }
        // Corrupt data in the middle of the stream.
        var corrupt = bytes
        corrupt[bytes.count / 2] ^= 0xFF
        corrupt[bytes.count / 2 + 1] ^= 0xFF
        try corrupt.write(to: URL(fileURLWithPath: f.dir.file("corrupt.tar.gz")))
        let error = try #require(ingestError(dump: f.dir.file("corrupt.tar.gz"), store: f.store))
        #expect(error.code == .parseError, "\(error)")
        try expectUntouched(f)
        // Not a tarball at all.
        try Data("hello, world\n".utf8).write(to: URL(fileURLWithPath: f.dir.file("text.tar.gz")))
        let notTar = try #require(ingestError(dump: f.dir.file("text.tar.gz"), store: f.store))
        #expect(notTar.message.contains("corrupt tar header") || notTar.message.contains("truncated"), "\(notTar.message)")
    }

    /// A tar stream without the end-of-archive blocks (gzip itself complete) is truncated too.
    @Test func tarWithoutEndBlocks() throws {
        let f = try fixture()
        defer { f.dir.cleanup() }
        let tarball = f.dir.file("plain.tar")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tar", "-C", Files.directory(of: f.original), "-cf", tarball, "2026-11-20-020004"]
        try p.run()
        p.waitUntilExit()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: tarball))
        // Plain (uncompressed) tar reads fine...
        let summary = try RegistryIngest.build(dump: tarball, store: f.dir.file("plain.sqlite"))
        #expect(summary.crates == 300)
        // ...but not without its end: drop the zero blocks at the end.
        while bytes.count >= 512 && bytes.suffix(512).allSatisfy({ $0 == 0 }) { bytes.removeLast(512) }
        try bytes.write(to: URL(fileURLWithPath: tarball))
        let error = try #require(ingestError(dump: tarball, store: f.store))
        #expect(error.message.contains("truncated tarball"), "\(error.message)")
        try expectUntouched(f)
    }
}
