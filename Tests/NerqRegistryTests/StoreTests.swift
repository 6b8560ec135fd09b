import Foundation
import NerqCore
@testable import NerqRegistry
import NerqTestSupport
import Testing
import NerqJSON

@Suite struct StoreTests {
    @Test func alternativesShareTopicsAndFollowTheProxy() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let folder = try generateDump(in: dir)
        try RegistryIngest.build(dump: folder, store: dir.file("s.sqlite"))
        let s = try RegistryStore(path: dir.file("s.sqlite"))
        let expected = try expectedSignals(folder: folder)
        var withAlternatives = 0
        for name in expected.keys.sorted() {
            let target = try #require(try s.record(name: name, version: nil))
            let alts = try s.alternatives(for: name, limit: 5)
            #expect(alts.count <= 5)
            #expect(try s.alternatives(for: name, limit: 5) == alts, "deterministic")
            let cats = Set(target.signals.categories ?? [])
            let kws = Set(target.signals.keywords ?? [])
            for (i, a) in alts.enumerated() {
                #expect(a.name != name)
                #expect(a.record.signals.yanked == false, "\(a.name): its default version is not yanked")
                let shared = Set(a.record.signals.categories ?? []).intersection(cats)
                let sharedK = Set(a.record.signals.keywords ?? []).intersection(kws)
                #expect(a.sharedCategories == shared.sorted(), "\(name) → \(a.name)")
                #expect(a.sharedKeywords == sharedK.sorted(), "\(name) → \(a.name)")
                #expect(a.relevance == 2 * shared.count + sharedK.count)
                #expect(a.relevance >= min(2, 2 * cats.count + kws.count))
                #expect(a.rank == (a.proxy * Double(a.relevance) / Double(a.relevance + 1) * 100).rounded() / 100)
                // The proxy is recomputable from the signals and the snapshot.
                let recency = Alternatives.recency(latest: a.record.signals.latestRelease?.seconds, snapshot: s.snapshotTime.seconds)
                #expect(a.proxy == Alternatives.proxy(downloadsPercentile: a.record.signals.downloadsPercentile,
                                                      reverseDependenciesPercentile: a.record.signals.reverseDependenciesPercentile,
                                                      recency: recency))
                if i > 0 {
                    let prev = alts[i - 1]
                    #expect(prev.rank >= a.rank, "\(name): \(prev.name) \(prev.rank) before \(a.name) \(a.rank)")
                }
            }
            if !alts.isEmpty { withAlternatives += 1 }
        }
        #expect(withAlternatives > 150)
        #expect(try s.alternatives(for: "no-such-crate", limit: 5).isEmpty)
        #expect(try s.alternatives(for: expected.keys.sorted()[0], limit: 0).isEmpty)
    }

    @Test func proxyAndRecency() {
        let day: Int64 = 86400
        #expect(Alternatives.recency(latest: 1000 * day, snapshot: 1200 * day) == 1)
        #expect(Alternatives.recency(latest: 1000 * day, snapshot: (1000 + 365 + 365) * day) == 0.5)
        #expect(Alternatives.recency(latest: 0, snapshot: 5000 * day) == 0)
        #expect(Alternatives.recency(latest: nil, snapshot: 5000 * day) == 0)
        #expect(Alternatives.proxy(downloadsPercentile: 90, reverseDependenciesPercentile: 50, recency: 1) == 80)
        #expect(Alternatives.proxy(downloadsPercentile: nil, reverseDependenciesPercentile: nil, recency: 0.5) == 10)
    }

    /// The `registry` group reads back through nerq's own signals reader and scores.
    @Test func registryGroupRoundTrips() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let folder = try generateDump(in: dir)
        try RegistryIngest.build(dump: folder, store: dir.file("s.sqlite"))
        let s = try RegistryStore(path: dir.file("s.sqlite"))
        for name in try crateNames(folder: folder).prefix(50) {
            let r = try #require(try s.record(name: name, version: nil))
            var doc = JSONObject()
            doc.append("package", .object(JSONObject([("name", .string(r.name)), ("version", .optional(r.version))])))
            doc.append("now", .string("2026-11-21T00:00:00Z"))
            doc.append("registry", .object(r.signals.json))
            doc.append("manifest", r.manifest.json)
            let signals = try SignalsReader.read(.object(doc))
            #expect(signals.registry?.downloads == r.signals.downloads)
            #expect(signals.registry?.downloadsPercentile == r.signals.downloadsPercentile)
            #expect(signals.registry?.latestRelease == r.signals.latestRelease)
            #expect(signals.registry?.categories == r.signals.categories)
            #expect(signals.registry?.yanked == r.signals.yanked)
            #expect(signals.ignoredKeys.isEmpty, "\(signals.ignoredKeys)")
            #expect(signals.registry == r.signals)
            let text = JSONText.string(.object(r.signals.json))
            #expect(text.hasPrefix("{\"downloads\":"))
            #expect(text.contains("\"source\":\"crates.io database dump 2026-11-20-020004\""))
            let report = Methodology.score(signals, policy: Policy(), now: Timestamp(seconds: 1_795_219_200))
            #expect(report.dimensions.first { $0.dimension == .popularity }?.score != nil)
            #expect(report.dimensions.first { $0.dimension == .transparency }?.score != nil)
            #expect(signals.manifest == r.manifest)
        }
    }

    @Test func notAStore() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        try Data("not sqlite".utf8).write(to: URL(fileURLWithPath: dir.file("x.sqlite")))
        #expect(throws: NerqError.self) { _ = try RegistryStore(path: dir.file("x.sqlite")) }
        do {
            _ = try RegistryStore(path: dir.file("absent.sqlite"))
        } catch {
            #expect(error.code == .notFound)
        }
    }

    @Test func concurrentLookups() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let folder = try generateDump(in: dir)
        try RegistryIngest.build(dump: folder, store: dir.file("s.sqlite"))
        let s = try RegistryStore(path: dir.file("s.sqlite"))
        let names = try crateNames(folder: folder)
        var serial: [String: RegistrySignals] = [:]
        for n in names { serial[n] = try s.signals(name: n, version: nil) }
        let expected = serial
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for t in 0..<4 {
                group.addTask {
                    var ok = true
                    for (i, n) in names.enumerated() where i % 4 == t {
                        let got = try s.signals(name: n, version: nil)
                        ok = ok && got == expected[n]
                    }
                    return ok
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
