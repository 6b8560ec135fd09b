import Foundation
import NerqCore
@testable import NerqRegistry
import NerqTestSupport
import Testing

/// cargo's index cache files, written here byte for byte as cargo's `SummariesCache::serialize`
/// does (src/cargo/sources/registry/index/cache.rs): cache version 3, index schema version 2
/// (u32 little-endian), the index file version, NUL, then (version NUL JSON NUL) per version.
@Suite struct IndexCacheTests {
    static func cacheFile(revision: String, entries: [(String, String)], cacheVersion: UInt8 = 3, schema: UInt32 = 2) -> [UInt8] {
        var out: [UInt8] = [cacheVersion]
        out += withUnsafeBytes(of: schema.littleEndian) { Array($0) }
        out += Array(revision.utf8) + [0]
        for (version, json) in entries {
            out += Array(version.utf8) + [0] + Array(json.utf8) + [0]
        }
        return out
    }

    static func line(_ name: String, _ vers: String, yanked: Bool = false, pubtime: String? = nil, rust: String? = nil) -> String {
        var s = "{\"name\":\"\(name)\",\"vers\":\"\(vers)\",\"deps\":[{\"name\":\"libc\",\"req\":\"^0.2\",\"features\":[],\"optional\":false,\"default_features\":true,\"target\":null,\"kind\":\"normal\"}],"
        s += "\"cksum\":\"\(String(repeating: "ab", count: 32))\",\"features\":{},\"yanked\":\(yanked),\"links\":null"
        if let rust { s += ",\"rust_version\":\"\(rust)\"" }
        if let pubtime { s += ",\"v\":2,\"features2\":{\"std\":[]},\"pubtime\":\"\(pubtime)\"" }
        return s + "}"
    }

    static let sample: [(String, String)] = [
        ("0.1.0", line("Demo-Crate", "0.1.0", pubtime: "2019-03-01T10:00:00Z")),
        ("0.2.0", line("Demo-Crate", "0.2.0", yanked: true, pubtime: "2020-05-06T07:08:09Z")),
        ("1.0.0", line("Demo-Crate", "1.0.0", pubtime: "2021-01-02T03:04:05Z", rust: "1.56")),
        ("1.1.0-beta.1", line("Demo-Crate", "1.1.0-beta.1", pubtime: "2022-02-02T00:00:00Z")),
        ("1.0.1", line("Demo-Crate", "1.0.1", yanked: true)),
    ]

    @Test func parsesCargoFormat() throws {
        let bytes = IndexCacheTests.cacheFile(revision: "etag: W/\"abc\"", entries: IndexCacheTests.sample)
        let f = try CargoIndexCache.parse(bytes, path: "de/mo/demo-crate")
        #expect(f.cacheVersion == 3)
        #expect(f.indexFormatVersion == 2)
        #expect(f.revision == "etag: W/\"abc\"")
        #expect(f.name == "Demo-Crate")
        #expect(f.entries.map(\.version) == ["0.1.0", "0.2.0", "1.0.0", "1.1.0-beta.1", "1.0.1"])
        #expect(f.entries.map(\.yanked) == [false, true, false, false, true])
        #expect(f.entries[0].published?.description == "2019-03-01T10:00:00Z")
        #expect(f.entries[4].published == nil)
        #expect(f.entries[2].rustVersion == "1.56")
        #expect(f.entries[2].schema == 2)
        #expect(f.entries[4].schema == 1)

        let s = CargoIndexCache.signals(f, version: "0.2.0")
        #expect(s.versions == 5)
        #expect(s.yankedVersions == 2)
        #expect(s.yanked == true)
        #expect(s.versionReleased?.description == "2020-05-06T07:08:09Z")
        #expect(s.firstRelease?.description == "2019-03-01T10:00:00Z")
        #expect(s.latestRelease?.description == "2022-02-02T00:00:00Z")
        #expect(s.latestVersion == "1.0.0")  // 1.0.1 is yanked, 1.1.0-beta.1 a pre-release
        let d = CargoIndexCache.signals(f, version: nil)
        #expect(d.yanked == false)
        #expect(d.versionReleased?.description == "2021-01-02T03:04:05Z")
        #expect(CargoIndexCache.signals(f, version: "9.9.9").yanked == nil)
    }

    @Test func olderCacheVersionAndMissingFinalNul() throws {
        var bytes = IndexCacheTests.cacheFile(revision: "1234abcd", entries: Array(IndexCacheTests.sample.prefix(2)), cacheVersion: 2)
        bytes.removeLast()  // cargo's split also accepts a last field without its NUL
        let f = try CargoIndexCache.parse(bytes, path: "x")
        #expect(f.cacheVersion == 2)
        #expect(f.entries.count == 2)
        let empty = try CargoIndexCache.parse(IndexCacheTests.cacheFile(revision: "r", entries: []), path: "x")
        #expect(empty.entries.isEmpty && empty.name == nil)
        #expect(CargoIndexCache.signals(empty, version: nil).versions == 0)
    }

    @Test func errorsNameTheFileAndOffset() {
        let good = IndexCacheTests.cacheFile(revision: "r", entries: IndexCacheTests.sample)
        // A damaged header, or a file cut inside its entries, fails the whole file.
        let cases: [([UInt8], String)] = [
            ([], "empty file"),
            ([1, 2, 0, 0, 0], "cache version 1"),
            ([3, 2, 0], "expected 4 bytes"),
            ([3, 2, 0, 0, 0], "no index file version"),
            (Array(IndexCacheTests.cacheFile(revision: "r", entries: [("1.0.0", "{}")]).prefix(13)), "no JSON entry after it"),
        ]
        for (bytes, fragment) in cases {
            do {
                _ = try CargoIndexCache.parse(bytes, path: "cache/de/mo/demo")
                Issue.record("no error for \(fragment)")
            } catch {
                #expect(error.message.hasPrefix("cache/de/mo/demo: byte "), "\(error.message)")
                #expect(error.message.contains(fragment), "\(error.message)")
                #expect(error.code == .parseError)
            }
        }
        // One bad entry leaves the others readable (cargo drops the lines it cannot parse); it is
        // listed with the file and offset.
        let entries: [(String, String)] = [
            ("1.0.0", "{\"vers\":\"1.0.0\",\"yanked\":\"no\"}"),
            ("1.0.1", "{\"vers\":\"1.0.1\",\"pubtime\":\"yesterday\"}"),
            ("1.0.2", "[1]"),
            ("1.0.3", "{\"vers\":"),
        ]
        let fragments = ["\"yanked\" is not a boolean", "pubtime", "expected a JSON object", "invalid JSON"]
        for (k, e) in entries.enumerated() {
            let bytes = IndexCacheTests.cacheFile(revision: "r", entries: [IndexCacheTests.sample[0], e])
            let f = try? CargoIndexCache.parse(bytes, path: "cache/de/mo/demo")
            #expect(f?.entries.map(\.version) == ["0.1.0"])
            #expect(f?.errors.count == 1)
            let message = f?.errors.first ?? ""
            #expect(message.hasPrefix("cache/de/mo/demo: byte ") && message.contains("entry 2 (version \(e.0))"), "\(message)")
            #expect(message.contains(fragments[k]), "\(message)")
        }
        #expect((try? CargoIndexCache.parse(Array(good.prefix(60)), path: "x"))?.errors.count == 1)
    }

    @Test(arguments: [("a", "1/a"), ("ab", "2/ab"), ("abc", "3/a/abc"), ("Serde", "se/rd/serde"), ("serde_json", "se/rd/serde_json")])
    func prefixPaths(name: String, path: String) {
        #expect(CargoIndexCache.relativePath(for: name) == path)
    }

    @Test func locatesCachesInEveryRegistry() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let index = dir.file("cargo/registry/index")
        for registry in ["index.crates.io-1949cf8c6b5b557f", "github.com-1ecc6299db9ec823"] {
            let folder = "\(index)/\(registry)/.cache/de/mo"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(IndexCacheTests.cacheFile(revision: registry, entries: IndexCacheTests.sample)).write(to: URL(fileURLWithPath: folder + "/demo-crate"))
        }
        let found = CargoIndexCache.locate(name: "Demo-Crate", cargoHome: dir.file("cargo"))
        #expect(found.count == 2)
        #expect(found.first?.contains("github.com-1ecc6299db9ec823/.cache/de/mo/demo-crate") == true)
        let f = try CargoIndexCache.read(path: try #require(found.last))
        #expect(f.revision == "index.crates.io-1949cf8c6b5b557f")
        #expect(CargoIndexCache.locate(name: "absent", cargoHome: dir.file("cargo")).isEmpty)
        #expect(CargoIndexCache.locate(name: "demo-crate", cargoHome: dir.file("nowhere")).isEmpty)
    }
}
