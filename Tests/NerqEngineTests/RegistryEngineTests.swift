import Foundation
import Testing
import NerqCore
import NerqIO
import NerqTestSupport
@testable import NerqEngine
import NerqJSON

/// The engine with registry data: a crates.io dump generated in the published format
/// (tools/gen_crates_dump.py), turned into a store by the engine itself.
@Suite struct RegistryEngineTests {
    static let setup: (engine: Engine, names: [String])? = {
        let dir = NSTemporaryDirectory() + "nerq-registry-engine-\(getpid())"
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        func run(_ args: [String]) -> String? {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = args
            let out = Pipe()
            p.standardOutput = out
            guard (try? p.run()) != nil else { return nil }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
        }
        guard run(["python3", root.path + "/tools/gen_crates_dump.py", "--out", dir + "/dump", "--seed", "11", "--size", "small"]) != nil,
              let folder = try? FileManager.default.contentsOfDirectory(atPath: dir + "/dump").sorted().first,
              let names = run(["python3", "-c", "import csv,sys; print('\\n'.join(r['name'] for r in csv.DictReader(open(sys.argv[1]))))",
                               dir + "/dump/" + folder + "/data/crates.csv"])
        else { return nil }
        var config = JSONObject()
        config.set("registry", .string(dir + "/dump/" + folder))
        config.set("registry_store", .string(dir + "/store.sqlite"))
        config.set("now", .string("2026-11-21T00:00:00Z"))
        if let db = SharedData.path("advisory-db") { config.set("advisory_db", .string(db)) }
        guard let engine = try? Engine(config: .object(config)) else { return nil }
        return (engine, names.split(separator: "\n").map(String.init))
    }()

    @Test func scoreByNameUsesTheRegistry() throws {
        guard let (engine, names) = Self.setup else {
            Issue.record("could not generate a dump and build the store")
            return
        }
        var withAlternatives = 0
        for name in names.prefix(40) {
            let report = try engine.score(["package": ["name": .string(name)], "now": "2026-11-21T00:00:00Z"])
            guard let o = report.objectValue else { continue }
            // The default version fills in, the registry group is echoed, popularity is scored.
            #expect(o["package"]?.objectValue?["version"] != .null)
            #expect(o["signals"]?.objectValue?["registry"]?.objectValue?["downloads_percentile"] != nil)
            let popularity = o["dimensions"].flatMap { d -> JSONValue? in
                if case .array(let list) = d { return list[2].objectValue?["score"] }
                return nil
            }
            #expect(popularity != .null)
            // Alternatives, when given, score better than the crate and share a category or keyword.
            if o["verified"] == .bool(false), case .array(let alts)? = o["alternatives"], !alts.isEmpty {
                withAlternatives += 1
                #expect(alts.count <= 5)
                for alt in alts.compactMap(\.objectValue) {
                    if case .double(let mine)? = o["trust_score"], case .double(let theirs)? = alt["trust_score"] {
                        #expect(theirs > mine)
                    }
                    let shared = (alt["shared_categories"], alt["shared_keywords"])
                    #expect(shared.0 != .array([]) || shared.1 != .array([]))
                }
            }
            #expect(o["verified"] != .bool(true) || o["alternatives"] == nil)
        }
        #expect(withAlternatives > 0)
    }

    @Test func unknownCrateHasNoRegistryGroup() throws {
        guard let (engine, _) = Self.setup else { return }
        let report = try engine.score(["package": ["name": "no-such-crate-anywhere"], "now": "2026-11-21T00:00:00Z"])
        #expect(report.objectValue?["signals"]?.objectValue?["registry"] == nil)
    }

    @Test func missingRegistryIsNotFound() {
        do {
            _ = try Engine(config: ["registry": "/nonexistent/db-dump.tar.gz"])
            Issue.record("accepted a missing registry")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.path == "$.registry")
        }
    }
}

/// Without a dump, cargo's local index cache (written here in cargo's own cache format) gives the
/// registry group: versions, yanked flags and publish times.
@Suite struct IndexCacheEngineTests {
    @Test func registryGroupFromCargosIndexCache() throws {
        let home = NSTemporaryDirectory() + "nerq-cargo-home-\(getpid())"
        let folder = home + "/registry/index/index.crates.io-1949cf8c6b5b557f/.cache/de/mo"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func line(_ v: String, _ yanked: Bool, _ pubtime: String) -> String {
            "{\"name\":\"demo\",\"vers\":\"\(v)\",\"deps\":[],\"cksum\":\"\(String(repeating: "ab", count: 32))\",\"features\":{},\"yanked\":\(yanked),\"v\":2,\"pubtime\":\"\(pubtime)\"}"
        }
        var bytes: [UInt8] = [3] + withUnsafeBytes(of: UInt32(2).littleEndian) { Array($0) } + Array("rev".utf8) + [0]
        for (v, y, t) in [("0.9.0", false, "2020-01-01T00:00:00Z"), ("1.0.0", true, "2021-01-01T00:00:00Z"), ("1.0.1", false, "2021-06-01T00:00:00Z")] {
            bytes += Array(v.utf8) + [0] + Array(line(v, y, t).utf8) + [0]
        }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/demo"))
        let engine = Engine(environment: Environment([("CARGO_HOME", home)]))
        let s = engine.collect(Signals(package: PackageID(name: "demo", version: "1.0.0")), now: Timestamp(seconds: 0))
        #expect(s.registry?.versions == 3)
        #expect(s.registry?.yankedVersions == 1)
        #expect(s.registry?.yanked == true)
        #expect(s.registry?.latestVersion == "1.0.1")
        #expect(s.registry?.latestRelease == Timestamp.parse("2021-06-01T00:00:00Z"))
        let report = Methodology.score(s, policy: Policy(), now: Timestamp.parse("2026-11-21") ?? Timestamp(seconds: 0))
        #expect(report.caps.contains { $0.max == 50 })  // the scored version is yanked
    }
}
