import Foundation
import NerqCore
@testable import NerqRegistry
import NerqTestSupport
import Testing

/// Ingest of generated dumps (tools/gen_crates_dump.py, in each test's temp dir), checked against
/// values the test computes from the CSV files on its own.
@Suite struct DumpIngestTests {
    func check(_ record: RegistryRecord?, _ e: Expected) {
        guard let r = record else {
            Issue.record("\(e.name): not found")
            return
        }
        let s = r.signals
        #expect(r.name == e.name)
        #expect(s.downloads == e.downloads, "\(e.name) downloads")
        #expect(s.recentDownloads == e.recent, "\(e.name) recent downloads")
        #expect(s.downloadsPercentile == e.downloadsPercentile, "\(e.name) downloads percentile")
        #expect(s.reverseDependencies == e.reverse, "\(e.name) reverse dependencies")
        #expect(s.reverseDependenciesPercentile == e.reversePercentile, "\(e.name) reverse dependencies percentile")
        #expect(s.versions == e.versions, "\(e.name) versions")
        #expect(s.yankedVersions == e.yanked, "\(e.name) yanked versions")
        #expect(s.firstRelease?.seconds == e.first, "\(e.name) first release")
        #expect(s.latestRelease?.seconds == e.latest, "\(e.name) latest release")
        #expect(s.latestVersion == e.latestVersion, "\(e.name) latest version")
        #expect(r.version == e.latestVersion, "\(e.name) scored version")
        #expect(s.yanked == e.defaultYanked, "\(e.name) yanked")
        #expect(s.versionReleased?.seconds == e.defaultReleased, "\(e.name) version released")
        #expect(s.owners == e.owners, "\(e.name) owners")
        #expect(s.teamOwners == e.teams, "\(e.name) team owners")
        #expect(s.categories == e.categories, "\(e.name) categories")
        #expect(s.keywords == e.keywords, "\(e.name) keywords")
    }

    @Test func folderMatchesIndependentComputation() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let folder = try generateDump(in: dir)
        let store = dir.file("store.sqlite")
        let summary = try RegistryIngest.build(dump: folder, store: store)
        #expect(summary.crates == 300)
        #expect(summary.versions == 3000)
        #expect(summary.snapshot == "2026-11-20-020004")
        #expect(summary.timestamp?.description == "2026-11-20T02:00:04Z")
        #expect(summary.tables.first { $0.name == "dependencies" }?.rows == 25000)
        #expect(summary.skippedTables == ["reserved_crate_names", "teams", "users"])
        #expect(summary.notes.isEmpty, "\(summary.notes)")
        #expect(summary.orphans.isEmpty)
        let expected = try expectedSignals(folder: folder)
        #expect(expected.count == 300)
        let s = try RegistryStore(path: store)
        #expect(s.source == "crates.io database dump 2026-11-20-020004")
        for (name, e) in expected.sorted(by: { $0.key < $1.key }) {
            check(try s.record(name: name, version: nil), e)
        }
        // Some crates are depended upon, most are not; percentiles spread.
        #expect(expected.values.contains { ($0.reverse ?? 0) > 10 })
        #expect(expected.values.contains { $0.reverse == 0 })
        #expect(expected.values.contains { $0.teams > 0 })
        #expect(expected.values.contains { $0.yanked > 0 })
        #expect(expected.values.contains { $0.keywords.contains("null") })  // quoted in the array literal
    }

    @Test func versionLevelSignals() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let folder = try generateDump(in: dir)
        let store = dir.file("store.sqlite")
        try RegistryIngest.build(dump: folder, store: store)
        let s = try RegistryStore(path: store)
        let crates = try readCSV(folder + "/data/crates.csv")
        var names: [String: String] = [:]
        for c in crates { names[(c["id"] ?? nil) ?? ""] = (c["name"] ?? nil) ?? "" }
        var checked = 0
        var yanked = 0
        for (i, v) in try readCSV(folder + "/data/versions.csv").enumerated() where i % 7 == 0 {
            let name = names[(v["crate_id"] ?? nil) ?? ""] ?? ""
            let num = (v["num"] ?? nil) ?? ""
            let r = try s.record(name: name, version: num)
            #expect(r?.version == num)
            #expect(r?.versionFound == true)
            #expect(r?.signals.yanked == ((v["yanked"] ?? nil) == "t"), "\(name)@\(num)")
            #expect(r?.signals.versionReleased?.seconds == pgSeconds((v["created_at"] ?? nil) ?? ""), "\(name)@\(num)")
            #expect(r?.manifest.license == (v["license"] ?? nil))
            #expect(r?.manifest.edition == (v["edition"] ?? nil))
            #expect(r?.manifest.rustVersion == (v["rust_version"] ?? nil))
            if r?.signals.yanked == true { yanked += 1 }
            checked += 1
        }
        #expect(checked > 400)
        // Crate-level metadata for the manifest group: description, links, README.
        for c in crates {
            let name = (c["name"] ?? nil) ?? ""
            let m = try #require(try s.record(name: name, version: nil)).manifest
            func text(_ k: String) -> String? { (c[k] ?? nil).flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
            #expect(m.description == text("description"), "\(name)")
            #expect(m.repository == text("repository"), "\(name)")
            #expect(m.documentation == text("documentation"), "\(name)")
            #expect(m.homepage == text("homepage"), "\(name)")
            #expect(m.readme == (text("readme") != nil), "\(name)")
        }
        #expect(yanked > 0)
        // A version the registry does not have: crate-level signals, version-level unknown.
        let first = try #require(names.values.sorted().first)
        let missing = try #require(try s.record(name: first, version: "999.0.0"))
        #expect(missing.versionFound == false)
        #expect(missing.version == nil)
        #expect(missing.signals.yanked == nil)
        #expect(missing.signals.versionReleased == nil)
        #expect(missing.signals.downloads != nil)
        // Unknown crates: nil. Names are matched as crates.io does (case, - and _).
        #expect(try s.signals(name: "no-such-crate-anywhere", version: nil) == nil)
        let mixed = first.uppercased().replacingOccurrences(of: "_", with: "-")
        #expect(try s.record(name: mixed, version: nil)?.name == first)
    }

    @Test(arguments: ["gnu", "pax", "ustar"])
    func tarballMatchesFolder(format: String) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let tarball = dir.file("db-dump.tar.gz")
        let folder = try generateDump(in: dir, extra: ["--tarball", tarball, "--tar-format", format])
        try RegistryIngest.build(dump: folder, store: dir.file("folder.sqlite"))
        let summary = try RegistryIngest.build(dump: tarball, store: dir.file("tar.sqlite"))
        #expect(summary.snapshot == "2026-11-20-020004")
        #expect(summary.timestamp?.description == "2026-11-20T02:00:04Z")
        let names = try crateNames(folder: folder)
        let a = try allSignals(try RegistryStore(path: dir.file("folder.sqlite")), names: names)
        let b = try allSignals(try RegistryStore(path: dir.file("tar.sqlite")), names: names)
        #expect(a.count == 300)
        for n in names { #expect(a[n]?.signals == b[n]?.signals, "\(n)") }
    }

    /// Names longer than ustar's 100 bytes: GNU `L` entries and pax `path` records.
    @Test(arguments: ["gnu", "pax"])
    func longNamesInTarball(format: String) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let tarball = dir.file("db-dump.tar.gz")
        let top = "2026-11-20-020004-" + String(repeating: "a-very-long-folder-name-", count: 5)
        let folder = try generateDump(in: dir, extra: ["--tarball", tarball, "--tar-format", format, "--top-name", top])
        let summary = try RegistryIngest.build(dump: tarball, store: dir.file("tar.sqlite"))
        #expect(summary.crates == 300)
        #expect(summary.snapshot == nil)  // not a YYYY-MM-DD-HHMMSS name
        let expected = try expectedSignals(folder: folder)
        let s = try RegistryStore(path: dir.file("tar.sqlite"))
        for (name, e) in expected.sorted(by: { $0.key < $1.key }).prefix(40) { check(try s.record(name: name, version: nil), e) }
    }

    @Test func parentFolderPicksNewestSnapshot() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        try generateDump(in: dir, name: "dumps", seed: 3, extra: ["--timestamp", "2026-01-02T03:04:05.000001Z"])
        try generateDump(in: dir, name: "dumps", seed: 4, extra: ["--timestamp", "2026-11-20T02:00:04.290745Z"])
        let summary = try RegistryIngest.build(dump: dir.file("dumps"), store: dir.file("s.sqlite"))
        #expect(summary.snapshot == "2026-11-20-020004")
    }

    @Test func columnsByNameNotPosition() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let plain = try generateDump(in: dir, name: "plain")
        let odd = try generateDump(in: dir, name: "odd", extra: ["--shuffle-columns", "--extra-columns"])
        try RegistryIngest.build(dump: plain, store: dir.file("a.sqlite"))
        let summary = try RegistryIngest.build(dump: odd, store: dir.file("b.sqlite"))
        let versionsIgnored = summary.ignoredColumns.first { $0.table == "versions" }?.columns ?? []
        #expect(versionsIgnored.contains("future_column"))
        #expect(versionsIgnored.contains("another_new_column"))
        #expect(summary.ignoredColumns.first { $0.table == "crates" }?.columns.contains("future_column") == true)
        let header = try String(contentsOfFile: odd + "/data/versions.csv", encoding: .utf8).prefix { $0 != "\n" }
        #expect(!header.hasPrefix("id,crate_id,num"))  // really shuffled
        let names = try crateNames(folder: plain)
        let a = try allSignals(try RegistryStore(path: dir.file("a.sqlite")), names: names)
        let b = try allSignals(try RegistryStore(path: dir.file("b.sqlite")), names: names)
        for n in names { #expect(a[n] == b[n], "\(n)") }
    }

    @Test func sameDumpSameStoreBytes() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let folder = try generateDump(in: dir)
        try RegistryIngest.build(dump: folder, store: dir.file("a.sqlite"))
        try RegistryIngest.build(dump: folder, store: dir.file("b.sqlite"))
        let a = try Data(contentsOf: URL(fileURLWithPath: dir.file("a.sqlite")))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir.file("b.sqlite")))
        #expect(a == b)
        // The generator is deterministic too.
        let again = try generateDump(in: dir, name: "again")
        for table in ["crates", "versions", "dependencies"] {
            #expect(FileManager.default.contentsEqual(atPath: folder + "/data/\(table).csv", andPath: again + "/data/\(table).csv"))
        }
    }

    @Test func storeIsReplacedAtomically() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let one = try generateDump(in: dir, name: "one", seed: 1)
        let two = try generateDump(in: dir, name: "two", seed: 2)
        let store = dir.file("store.sqlite")
        try RegistryIngest.build(dump: one, store: store)
        let s1 = try RegistryStore(path: store)   // an open reader keeps its snapshot
        let name1 = try #require(try crateNames(folder: one).first)
        try RegistryIngest.build(dump: two, store: store)
        #expect(try s1.record(name: name1, version: nil)?.name == name1)
        let s2 = try RegistryStore(path: store)
        let name2 = try #require(try crateNames(folder: two).first)
        #expect(try s2.record(name: name2, version: nil)?.name == name2)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }
}
