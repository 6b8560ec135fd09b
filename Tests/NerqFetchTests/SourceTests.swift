import Foundation
import NerqAdvisories
@testable import NerqFetch
import NerqIO
import NerqJSON
import NerqRegistry
import NerqTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Each source fetched from the local server: first fetch, revalidation, failures that leave the
/// previous copy in place, and archives that try to escape.
@Suite struct SourceTests {
    static let demoPackages = ["anyhow", "atty", "bytes", "itoa", "libc", "linked-hash-map", "memchr", "num_threads",
                               "rustc-serialize", "shlex", "time", "winapi", "winapi-i686-pc-windows-gnu",
                               "winapi-x86_64-pc-windows-gnu", "yaml-rust"]

    // MARK: advisory-db over git

    @Test func advisoryDBCloneThenFetch() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let cache = dir.file("cache")
        // A repository of its own (another test may add commits to the shared one).
        let repo = dir.file("upstream.git")
        try runGit(["clone", "-q", "--bare", server.site + "/git/advisory-db.git", repo])
        let env = isolatedEnvironment(dir.path)
        let request = fetchRequest(cache, sources: ["advisory_db": [:]], [("advisory_db_url", .string("file://" + repo))])
        let first = try runFetch(request, environment: env).sources["advisory_db"]
        #expect(first?.status == "fetched", "\(String(describing: first))")
        #expect(first?.string("method") == "git" && first?.string("path") == cache + "/advisory-db")
        #expect(first?.string("newest_entry") == "2026-08-20")
        #expect((first?.int("entries") ?? 0) > 1000)
        #expect(Files.isDirectory(cache + "/advisory-db/.git") && Files.isDirectory(cache + "/advisory-db/crates"))
        // cargo-audit's lock file beside the checkout (nerq takes the same lock).
        #expect(Files.exists(cache + "/advisory-db..lock"))
        let commit = try #require(first?.string("commit"))

        let second = try runFetch(request, environment: env).sources["advisory_db"]
        #expect(second?.status == "not_modified" && second?.string("commit") == commit)

        // Upstream moves on: the fetch brings the new commit and its advisory.
        try addCommit(repo: repo, dir: dir)
        let third = try runFetch(request, environment: env).sources["advisory_db"]
        #expect(third?.status == "fetched" && third?.string("commit") != commit)
        #expect(third?.string("newest_entry") == "2026-12-01")
        #expect(Files.exists(cache + "/advisory-db/crates/nerq-test/RUSTSEC-2099-0001.md"))
        #expect(Files.exists(cache + "/advisory-db/.git/FETCH_HEAD"))
        // What the engine reads of it without running git: a fetch time and the origin.
        let info = try #require(GitCheckoutInfo.read(cache + "/advisory-db"))
        #expect(info.origin == "file://" + repo && info.fetchedAt != nil)
    }

    @Test func advisoryDBOverDumbHTTP() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let request = fetchRequest(dir.file("cache"), sources: ["advisory_db": [:]],
                                   [("advisory_db_url", .string(server.url("git/advisory-db.git")))])
        let r = try runFetch(request, environment: isolatedEnvironment(dir.path)).sources["advisory_db"]
        #expect(r?.status == "fetched", "\(String(describing: r))")
        #expect(Files.exists(dir.file("cache/advisory-db/crates/time/RUSTSEC-2020-0071.md")))
    }

    @Test func sharesCargoAuditsCheckoutUnderItsLock() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let url = "file://" + server.site + "/git/advisory-db.git"
        // cargo-audit's checkout in $CARGO_HOME/advisory-db, cloned from the same URL.
        try Files.makeDirectories(dir.file("cargo"))
        try runGit(["clone", "-q", url, dir.file("cargo/advisory-db")])
        let env = isolatedEnvironment(dir.path)
        let request = fetchRequest(dir.file("cache"), sources: ["advisory_db": [:]], [("advisory_db_url", .string(url))])
        // While cargo-audit holds its lock, nerq waits (here: gives up after lock_timeout_s).
        let held = try FileLock(lockFile: dir.file("cargo/advisory-db..lock"), timeoutSeconds: 0)
        let blocked = try runFetch(request, environment: env).sources["advisory_db"]
        #expect(blocked?.status == "failed" && blocked?.errorMessage?.contains("another process holds it") == true,
                "\(String(describing: blocked))")
        held.unlock()
        let r = try runFetch(request, environment: env).sources["advisory_db"]
        #expect(r?.string("path") == dir.file("cargo/advisory-db"))
        #expect(r?.status == "not_modified" || r?.status == "fetched", "\(String(describing: r))")
        #expect(!Files.exists(dir.file("cache/advisory-db")))  // no second copy
        // A checkout of another origin is left alone, with an error that says so.
        let other = fetchRequest(dir.file("cache"), sources: ["advisory_db": [:]],
                                 [("advisory_db_url", .string(server.url("git/advisory-db.git")))])
        let refused = try runFetch(other, environment: env).sources["advisory_db"]
        #expect(refused?.status == "failed" && refused?.errorMessage?.contains("not updated") == true, "\(String(describing: refused))")
    }

    // MARK: advisory-db as a tarball

    @Test func advisoryDBTarball() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let cache = dir.file("cache")
        let env = isolatedEnvironment(dir.path)
        let request = fetchRequest(cache, sources: ["advisory_db": [:]], [("advisory_db_url", .string(server.url("advisory-db.tar.gz")))])
        let first = try runFetch(request, environment: env).sources["advisory_db"]
        #expect(first?.status == "fetched" && first?.string("method") == "tarball", "\(String(describing: first))")
        #expect(first?.int("bytes") == Int64(Files.info(server.site + "/advisory-db.tar.gz")?.size ?? -1))
        #expect(Files.isDirectory(cache + "/advisory-db/crates") && !Files.exists(cache + "/advisory-db/advisory-db-main"))
        let record = try #require(try FetchRecord.read(for: cache + "/advisory-db"))
        #expect(record.validators.etag != nil && record.newestEntry == "2026-08-20")
        #expect(try AdvisoryDatabase.load(path: cache + "/advisory-db").advisories.count == record.entries.map(Int.init))

        let second = try runFetch(request, environment: env).sources["advisory_db"]
        #expect(second?.status == "not_modified" && second?.string("fetched_at") == first?.string("fetched_at"))

        // Archives that reach outside their folder fail whole; the good copy stays.
        for evil in ["evil/dotdot.tar.gz", "evil/absolute.tar.gz", "evil/symlink.tar.gz"] {
            let bad = fetchRequest(cache, sources: ["advisory_db": [:]], [("advisory_db_url", .string(server.url(evil)))])
            let r = try runFetch(bad, environment: env).sources["advisory_db"]
            #expect(r?.status == "failed", "\(evil)")
            let message = r?.errorMessage ?? ""
            #expect(message.contains(server.url(evil)) && (message.contains("\"..\"") || message.contains("absolute") || message.contains("link")),
                    "\(evil): \(message)")
            #expect(Files.isDirectory(cache + "/advisory-db/crates"))
            #expect(!Files.exists(dir.path + "/escaped.md") && !Files.exists(cache + "/escaped.md") && !Files.exists("/tmp/nerq-escaped.md"))
        }
        // Something that is not an advisory database never replaces one.
        let notDB = fetchRequest(cache, sources: ["advisory_db": [:]], [("advisory_db_url", .string(server.url("dump/db-dump.tar.gz")))])
        let r = try runFetch(notDB, environment: env).sources["advisory_db"]
        #expect(r?.status == "failed" && r?.errorMessage?.contains("not a RustSec advisory database") == true, "\(String(describing: r))")
        #expect(try FetchRecord.read(for: cache + "/advisory-db")?.url == server.url("advisory-db.tar.gz"))
        // Nothing half-done is left beside it.
        let leftovers = try Files.list(cache).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    // MARK: OSV

    @Test func osvZip() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let cache = dir.file("cache")
        let env = isolatedEnvironment(dir.path)
        let request = fetchRequest(cache, sources: ["osv": [:]], [("osv_url", .string(server.url("osv/crates.io/all.zip")))])
        let first = try runFetch(request, environment: env).sources["osv"]
        #expect(first?.status == "fetched", "\(String(describing: first))")
        #expect(Files.exists(cache + "/osv/GHSA-7gcf-g7xr-8hxj.json") && Files.exists(cache + "/osv/RUSTSEC-2025-0000.json"))
        #expect(first?.int("entries") == Int64(try AdvisoryDatabase.load(path: cache + "/osv").advisories.count))
        let second = try runFetch(request, environment: env).sources["osv"]
        #expect(second?.status == "not_modified")
        let sent = try server.requests("/osv/crates.io/all.zip").last?.headers["if-none-match"]
        #expect(sent == (try FetchRecord.read(for: cache + "/osv"))?.validators.etag)

        // Failures leave the copy in place: over the cap, cut short, 500s, escaping archives.
        let before = try Files.list(cache + "/osv")
        var cases: [(String, [(String, JSONValue)], String)] = [
            (server.url("no-validators/osv/crates.io/all.zip"), [("max_bytes", ["osv": 1000])], "larger than the 1000 bytes allowed"),
            (server.url("truncate/osv/crates.io/all.zip"), [], "cut short"),
            (server.url("fail-9/\(UUID().uuidString)/osv/crates.io/all.zip"), [], "HTTP 500"),
            (server.url("status-404/osv.zip"), [], "HTTP 404"),
        ]
        for (evil, why) in [("evil/dotdot.zip", "\"..\""), ("evil/absolute.zip", "absolute path"), ("evil/symlink.zip", "symbolic link")] {
            cases.append((server.url(evil), [], why))
        }
        for (url, extra, fragment) in cases {
            let bad = fetchRequest(cache, sources: ["osv": [:]], [("osv_url", .string(url))] + extra)
            let r = try runFetch(bad, environment: env).sources["osv"]
            #expect(r?.status == "failed" && r?.errorMessage?.contains(fragment) == true, "\(url): \(String(describing: r))")
            #expect(try Files.list(cache + "/osv") == before)
            #expect(r?.string("fetched_at") == first?.string("fetched_at"))  // the copy still there is described
        }
        #expect(!Files.exists(dir.path + "/escaped.json") && !Files.exists(cache + "/escaped.json") && !Files.exists("/tmp/nerq-escaped.json"))
        #expect(try Files.list(cache).filter { $0.contains(".tmp-") }.isEmpty)
        // 500 twice, then the file: fetched within the three tries.
        let flaky = fetchRequest(cache, sources: ["osv": [:]], [("osv_url", .string(server.url("fail-2/\(UUID().uuidString)/osv/rustsec.zip")))])
        #expect(try runFetch(flaky, environment: env).sources["osv"]?.status == "fetched")
    }

    // MARK: the sparse index

    @Test func sparseIndexForTheDemoProject() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let cache = dir.file("cache")
        let env = isolatedEnvironment(dir.path)
        let index = server.url("index/")
        let lockfile = repositoryRoot.appendingPathComponent("examples/demo/Cargo.lock").path
        let request = fetchRequest(cache, sources: ["index": ["lockfile": .string(lockfile), "packages": ["faster_log", "no-such-crate"]]],
                                   [("index_url", .string(index))])
        let (_, sources) = try runFetch(request, environment: env)
        let r = try #require(sources["index"])
        #expect(r.status == "fetched", "\(r)")
        let counts = try #require(r.object("counts"))
        #expect(counts.int("fetched") == 16 && counts.int("not_found") == 1 && counts.int("failed") == 0, "\(counts)")
        let directory = try #require(r.string("path"))
        #expect(directory.hasPrefix(cache + "/registry/index/127.0.0.1-"))
        #expect(Files.exists(directory + "/config.json"))
        // Stored in cargo's cache format with the ETag, read back by the same reader as cargo's.
        let file = try CargoIndexCache.read(path: directory + "/.cache/li/nk/linked-hash-map")
        #expect(file.cacheVersion == 3 && file.indexFormatVersion == 2 && file.revision.hasPrefix("etag: \""))
        #expect(file.entries.count == 25 && file.entries.filter(\.yanked).count == 2)
        #expect(file.entries.last?.dependencies.map(\.name) == ["heapsize", "serde", "serde_test"])
        #expect(file.entries.last?.features.map(\.name) == ["heapsize_impl", "nightly", "serde_impl"])
        // Privacy: the names asked for, crates.io packages of the lockfile only (not the demo itself).
        let asked = Set(try server.requests("/index/").map(\.path).filter { $0 != "/index/config.json" }.map { Files.lastComponent($0) })
        #expect(asked.isSuperset(of: Set(SourceTests.demoPackages)) && !asked.contains("nerq-demo"))

        // Again: every file revalidated with its ETag, nothing downloaded.
        let again = try #require(try runFetch(request, environment: env).sources["index"])
        #expect(again.object("counts")?.int("not_modified") == 16, "\(again)")
        #expect(again.status == "not_modified")
        let sent = try server.requests("/index/sh/le/shlex").last?.headers
        #expect(sent?["if-none-match"]?.hasPrefix("\"") == true)

        // `update: missing`: what is on disk is used without a request.
        let before = try server.requests("/index/").count
        var missing = fetchRequest(cache, sources: ["index": ["lockfile": .string(lockfile)]], [("index_url", .string(index))]).objectValue ?? JSONObject()
        missing.set("update", "missing")
        let quiet = try #require(try runFetch(.object(missing), environment: env).sources["index"])
        #expect(quiet.status == "up_to_date" && quiet.object("counts")?.int("up_to_date") == 15, "\(quiet)")
        #expect(try server.requests("/index/").count == before)
        // Offline: nothing is asked either.
        var offline = request.objectValue ?? JSONObject()
        offline.set("offline", true)
        let off = try runFetch(.object(offline), environment: env)
        #expect(off.sources["index"]?.status == "offline" && off.doc["offline_reason"] == .string("the request says offline"))
        let cargoOffline = try runFetch(request, environment: isolatedEnvironment(dir.path, [("CARGO_NET_OFFLINE", "true")]))
        #expect(cargoOffline.doc["offline_reason"] == .string("CARGO_NET_OFFLINE=true"))
        #expect(try server.requests("/index/").count == before)
    }

    @Test func indexReadsCargosCacheFirst() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        // cargo's own cache (written by cargo 1.95) holds shlex: with update "missing" it is not fetched.
        let cargoIndex = dir.file("cargo/registry/index/index.crates.io-1949cf8c6b5b557f")
        try Files.makeDirectories(Files.directory(of: cargoIndex))
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("Tests/fixtures/fetch/cargo-cache/etag").path, toPath: cargoIndex)
        let request = fetchRequest(dir.file("cache"), sources: ["index": ["packages": ["shlex", "yaml-rust"]]],
                                   [("index_url", .string(server.url("index/"))), ("update", "missing")])
        let r = try #require(try runFetch(request, environment: isolatedEnvironment(dir.path)).sources["index"])
        guard case .array(let packages)? = r["packages"] else { Issue.record("no packages"); return }
        let byName = Dictionary(uniqueKeysWithValues: packages.compactMap { $0.objectValue }.map { ($0.string("name") ?? "", $0) })
        #expect(byName["shlex"]?.status == "up_to_date" && byName["shlex"]?.string("path")?.hasPrefix(cargoIndex) == true)
        #expect(byName["yaml-rust"]?.status == "fetched")
    }

    @Test func indexFailures() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let env = isolatedEnvironment(dir.path)
        // Not a registry: no config.json.
        let noConfig = fetchRequest(dir.file("cache"), sources: ["index": ["packages": ["serde"]]], [("index_url", .string(server.url("osv/")))])
        let r = try runFetch(noConfig, environment: env).sources["index"]
        #expect(r?.status == "failed" && r?.errorMessage?.contains("config.json") == true, "\(String(describing: r))")
        // A name that is no crate name is refused before anything is asked.
        let badName = fetchRequest(dir.file("cache"), sources: ["index": ["packages": ["../../etc/passwd"]]], [("index_url", .string(server.url("index/")))])
        let b = try runFetch(badName, environment: env).sources["index"]
        #expect(b?.status == "failed" && b?.errorMessage?.contains("not a crate name") == true, "\(String(describing: b))")
        // The server is down: failed, nothing written.
        let down = fetchRequest(dir.file("cache"), sources: ["index": ["packages": ["serde"]]], [("index_url", "http://127.0.0.1:9/")], tries: 1)
        #expect(try runFetch(down, environment: env).sources["index"]?.status == "failed")
    }

    // MARK: the dump

    @Test func dumpIntoTheRegistryStore() throws {
        guard let server = requireServer() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let cache = dir.file("cache")
        let env = isolatedEnvironment(dir.path)
        let request = fetchRequest(cache, sources: ["dump": [:]], [("db_dump_url", .string(server.url("dump/db-dump.tar.gz")))])
        let first = try runFetch(request, environment: env).sources["dump"]
        #expect(first?.status == "fetched", "\(String(describing: first))")
        let store = cache + "/crates-io-dump.sqlite"
        #expect(first?.string("path") == store && Files.exists(store))
        #expect(first?.int("entries") == 300)
        #expect(try Files.list(cache).filter { $0.hasSuffix(".tar.gz") || $0.contains(".tmp-") }.isEmpty)
        let opened = try RegistryStore(path: store)
        #expect(opened.snapshotTime.description == first?.string("newest_entry"))
        #expect(try runFetch(request, environment: env).sources["dump"]?.status == "not_modified")
        // A cut download fails in the ingest; the store stays as it was.
        let size = Files.info(store)?.size
        let cut = fetchRequest(cache, sources: ["dump": [:]], [("db_dump_url", .string(server.url("no-validators/dump/db-dump.tar.gz"))),
                                                              ("max_bytes", ["dump": 300_000])])
        let r = try runFetch(cut, environment: env).sources["dump"]
        #expect(r?.status == "failed", "\(String(describing: r))")
        #expect(Files.info(store)?.size == size)
        #expect(try RegistryStore(path: store).snapshotTime == opened.snapshotTime)
    }

    // MARK: request checks

    @Test func badRequests() throws {
        let env = Environment([("HOME", "/nonexistent")])
        let cases: [(JSONValue, String)] = [
            (["sources": ["advisory-db": [:]]], "$.sources.advisory-db"),
            (["sources": ["index": ["packages": "serde"]]], "$.sources.index.packages"),
            (["update": "sometimes"], "$.update"),
            (["network": ["tries": 0]], "$.network.tries"),
            (["kind": "nerq.fetch", "version": 1], "$.kind"),
            (["cache_dir": ""], "$.cache_dir"),
            (["osv_url": "not a url"], "$.osv_url"),
            (["max_bytes": ["osv": -1]], "$.max_bytes.osv"),
        ]
        for (request, path) in cases {
            do {
                _ = try Fetcher.run(request, environment: env)
                Issue.record("no error for \(request)")
            } catch {
                #expect(error.path == path, "\(request): \(error)")
            }
        }
    }

    // MARK: helpers

    func runGit(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        p.environment = ["HOME": "/nonexistent", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                         "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
                         "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_AUTHOR_DATE": "2026-12-01T00:00:00Z",
                         "GIT_COMMITTER_DATE": "2026-12-01T00:00:00Z"]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestFailure("git \(args.joined(separator: " ")) failed") }
    }

    /// A commit with a new advisory in the bare repository `repo` (through a scratch clone).
    func addCommit(repo: String, dir: TempDir) throws {
        let work = dir.file("scratch")
        try runGit(["clone", "-q", repo, work])
        let file = work + "/crates/nerq-test/RUSTSEC-2099-0001.md"
        try Files.makeDirectories(Files.directory(of: file))
        try Data("""
        ```toml
        [advisory]
        id = "RUSTSEC-2099-0001"
        package = "nerq-test"
        date = "2026-12-01"
        url = "https://example.invalid"

        [versions]
        patched = [">= 1.0.0"]
        ```

        # Test advisory

        Added by the fetch tests.

        """.utf8).write(to: URL(fileURLWithPath: file))
        try runGit(["-C", work, "add", "-A"])
        try runGit(["-C", work, "commit", "-q", "-m", "new advisory"])
        try runGit(["-C", work, "push", "-q", "origin", "HEAD"])
    }
}
