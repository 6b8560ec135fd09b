import Foundation
import NerqCore
import NerqEngine
import NerqFetch
import NerqIO
import NerqJSON
import NerqTestSupport
import Testing

/// What a fetch leaves is what the next engine reads: the advisory database, OSV records merged
/// into it, index files for registry signals (in assess as well as score), the dump's store, and
/// the freshness of each in every result.
@Suite struct EngineDataTests {
    @Test func anEngineReadsWhatWasFetched() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let cache = dir.file("cache")
        let env = isolatedEnvironment(dir.path)
        let lockfile = repositoryRoot.appendingPathComponent("examples/demo/Cargo.lock").path
        let locations: [(String, JSONValue)] = [
            ("advisory_db_url", .string(server.url("advisory-db.tar.gz"))), ("osv_url", .string(server.url("osv/crates.io/all.zip"))),
            ("index_url", .string(server.url("index/"))), ("db_dump_url", .string(server.url("dump/db-dump.tar.gz"))),
        ]
        let request = fetchRequest(cache, sources: ["advisory_db": [:], "osv": [:], "index": ["lockfile": .string(lockfile)], "dump": [:]],
                                   locations)
        let (doc, sources) = try runFetch(request, environment: env)
        #expect(doc["failed"] == 0, "\(doc)")
        #expect(sources.values.allSatisfy { $0.status == "fetched" })

        // The same locations configure the engine (the URLs are accepted; index_url picks the cache).
        var config = JSONObject([("cache_dir", .string(cache))] + locations)
        config.append("now", "2026-12-20T00:00:00Z")
        config.append("scan_sources", false)  // crate sources are not what this test is about
        let engine = try Engine(config: .object(config), environment: env)
        let assessment = try #require(try engine.assess(["lockfile": .string(lockfile), "options": ["scan_sources": false]]).objectValue)
        let database = try #require(assessment["database"]?.objectValue)
        #expect(database["path"] == .string(cache + "/advisory-db") && database["origin"] == "fetched")
        #expect(database["url"] == .string(server.url("advisory-db.tar.gz")) && database["stale"] == false)
        #expect(database["merged"]?.objectValue?["added"] == 1)  // GitHub's serde_with advisory
        guard case .array(let osv)? = database["osv"], case .object(let o)? = osv.first else {
            Issue.record("no OSV source")
            return
        }
        #expect(o["path"] == .string(cache + "/osv") && o["origin"] == "fetched" && o["newest_entry"] == "2026-08-20")
        #expect(assessment["warnings"] == .array([]))
        guard case .array(let list)? = assessment["sources"] else {
            Issue.record("no sources")
            return
        }
        let names = list.compactMap { $0.objectValue?["source"] }
        #expect(names == ["advisory_db", "osv", "registry", "index"])
        let index = list.compactMap { $0.objectValue }.first { $0["source"] == "index" }
        #expect(index?["url"] == .string(server.url("index/")), "\(String(describing: index))")
        // Registry signals from the index in assess: linked-hash-map 0.5.4's versions and yanked count.
        guard case .array(let packages)? = assessment["packages"] else { return }
        // Each of the 15 crates.io packages has registry signals: from the dump's store when the
        // (generated) dump has a crate of that name (the store wins), else from the index.
        let origins = packages.compactMap { $0.objectValue?["signals"]?.objectValue?["registry"]?.objectValue?["source"] }.map { "\($0)" }
        let fromIndex = origins.filter { $0.contains("index cache") }.count
        let fromDump = origins.filter { $0.contains("crates.io database dump") }.count
        #expect(fromIndex + fromDump == 15 && fromIndex >= 10, "\(origins)")
        #expect(index?["packages"] == .int(Int64(fromIndex)) && index?["from_nerq_cache"] == .int(Int64(fromIndex)))
        let lhm = packages.compactMap { $0.objectValue }.first { $0["package"]?.objectValue?["name"] == "linked-hash-map" }
        let registry = lhm?["signals"]?.objectValue?["registry"]?.objectValue
        #expect(registry?["versions"] == 25 && registry?["yanked_versions"] == 2 && registry?["yanked"] == false, "\(String(describing: registry))")
        #expect(registry?["source"].map { "\($0)".contains("/.cache/li/nk/linked-hash-map") } == true)

        // score and preflight see the index too, and the whole entry stays available.
        let report = try #require(try engine.score(["package": ["name": "winapi-i686-pc-windows-gnu", "version": "0.4.0"]]).objectValue)
        let group = report["signals"]?.objectValue?["registry"]?.objectValue
        #expect(group?["versions"] == 4 && group?["first_release"] == "2016-11-23T19:48:14Z", "\(String(describing: group))")
        let entries = try #require(engine.indexEntries(name: "winapi"))
        #expect(entries.file.entries.first?.features.count == 399)
        #expect(entries.file.entries.first?.dependencies.map(\.target) == ["i686-pc-windows-gnu", "x86_64-pc-windows-gnu"])

        // Months later, every source is stale and says so.
        var later = config
        later.set("now", "2027-06-01T00:00:00Z")
        let old = try #require(try Engine(config: .object(later), environment: env)
            .assess(["lockfile": .string(lockfile), "options": ["scan_sources": false, "reports": "flagged"]]).objectValue)
        guard case .array(let warnings)? = old["warnings"] else { return }
        #expect(warnings.count == 4, "\(warnings)")
        #expect(warnings.allSatisfy { "\($0)".contains("last fetched 2026-") })
    }

    @Test func previousDataStaysInUseAfterAFailedFetch() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let cache = dir.file("cache")
        let env = isolatedEnvironment(dir.path)
        let good = fetchRequest(cache, sources: ["advisory_db": [:]], [("advisory_db_url", .string(server.url("advisory-db.tar.gz")))])
        #expect(try runFetch(good, environment: env).sources["advisory_db"]?.status == "fetched")
        let cut = fetchRequest(cache, sources: ["advisory_db": [:]], [("advisory_db_url", .string(server.url("truncate/advisory-db.tar.gz")))])
        #expect(try runFetch(cut, environment: env).sources["advisory_db"]?.status == "failed")
        let engine = try Engine(config: ["cache_dir": .string(cache), "now": "2026-12-20T00:00:00Z"], environment: env)
        let doc = try engine.assess(["lockfile_text": "version = 4\n\n[[package]]\nname = \"time\"\nversion = \"0.1.42\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"])
        let findings = doc.objectValue?["findings"]
        #expect("\(String(describing: findings))".contains("RUSTSEC-2020-0071"))
        #expect(doc.objectValue?["database"]?.objectValue?["url"] == .string(server.url("advisory-db.tar.gz")))
    }
}
