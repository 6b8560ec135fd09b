import Foundation
import Testing
import NerqCore
import NerqTestSupport
@testable import NerqEngine
import NerqJSON

/// `assess` with real `cargo metadata` output: a project resolved offline from Debian's crate
/// sources (librust-atty-dev, librust-memchr-dev, librust-smallvec-dev; scripts/deps.sh).
@Suite struct MetadataTests {
    static let project: (dir: String, metadata: JSONValue)? = {
        let needed = ["atty-0.2.14", "memchr-2.5.0", "smallvec-1.9.0"]
        guard needed.allSatisfy({ FileManager.default.fileExists(atPath: "/usr/share/cargo/registry/\($0)") }) else {
            print("Debian crate sources missing (apt-get install librust-atty-dev librust-memchr-dev librust-smallvec-dev): skipping")
            return nil
        }
        let dir = NSTemporaryDirectory() + "nerq-metadata-\(getpid())"
        let fm = FileManager.default
        try? fm.createDirectory(atPath: dir + "/src", withIntermediateDirectories: true)
        try? fm.createDirectory(atPath: dir + "/.cargo", withIntermediateDirectories: true)
        let files = [
            "Cargo.toml": """
            [package]
            name = "mdtest"
            version = "0.1.0"
            edition = "2021"
            license = "MIT"

            [dependencies]
            atty = "0.2"
            memchr = "2"

            [dev-dependencies]
            smallvec = "1"
            """,
            "src/main.rs": "fn main() {}\n",
            ".cargo/config.toml": """
            [source.crates-io]
            replace-with = "debian"
            [source.debian]
            directory = "/usr/share/cargo/registry"
            """,
        ]
        for (name, text) in files { try? text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.currentDirectoryURL = URL(fileURLWithPath: dir)  // cargo reads .cargo/config.toml from here
        p.arguments = ["cargo", "metadata", "--format-version", "1", "--offline", "--manifest-path", dir + "/Cargo.toml"]
        let out = Pipe()
        p.standardOutput = out
        let err = Pipe()
        p.standardError = err
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let json = try? JSONParser.parse([UInt8](data)) else {
            print("cargo metadata failed: skipping: \(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
            return nil
        }
        return (dir, json)
    }()

    static let engine: Engine? = {
        guard let db = SharedData.path("advisory-db") else { return nil }
        return try? Engine(config: ["advisory_db": .string(db), "now": "2026-11-21T00:00:00Z"])
    }()

    func package(_ doc: JSONValue, _ name: String) -> JSONObject? {
        guard case .array(let list)? = doc.objectValue?["packages"] else { return nil }
        return list.compactMap(\.objectValue).first { $0["package"]?.objectValue?["name"] == .string(name) }
    }

    @Test func metadataGivesMembersDevOnlyAndManifests() throws {
        guard let project = required(Self.project, "a cargo metadata of a Debian-resolved project (cargo, librust-*-dev)"),
              let engine = Self.engine else { return }
        let doc = try engine.assess(["metadata": project.metadata, "lockfile": .string(project.dir + "/Cargo.lock")])
        let members = doc.objectValue?["project"]?.objectValue?["workspace_members"]
        #expect(members == .array(["mdtest 0.1.0"]))
        #expect(package(doc, "mdtest")?["workspace_member"] == .bool(true))
        #expect(package(doc, "smallvec")?["dev_only"] == .bool(true))
        #expect(package(doc, "atty")?["dev_only"] == .bool(false))
        // Manifest signals from metadata (Debian keeps each crate's license and repository).
        let attySignals = package(doc, "atty")?["signals"]?.objectValue?["manifest"]?.objectValue
        #expect(attySignals?["license"] == .string("MIT"))
        // atty 0.2.14: RUSTSEC-2021-0145 (unsound) and RUSTSEC-2024-0375 (unmaintained), pulled in by mdtest.
        guard case .array(let findings)? = doc.objectValue?["findings"] else { return }
        let ids = findings.compactMap { $0.objectValue?["id"] }
        #expect(ids.contains(.string("RUSTSEC-2021-0145")) && ids.contains(.string("RUSTSEC-2024-0375")))
        for f in findings.compactMap(\.objectValue) {
            #expect(f["paths"] == .array([.array(["mdtest 0.1.0", "atty 0.2.14"])]))
        }
        // Debian's placeholder checksums ("Could not get crate checksum") are tolerated.
        #expect(doc.objectValue?["issues"] == .array([]))
        // Without dev-dependencies smallvec is left out, and counted.
        let noDev = try engine.assess(["metadata": project.metadata, "lockfile": .string(project.dir + "/Cargo.lock"),
                                        "options": ["include_dev": false]])
        #expect(package(noDev, "smallvec") == nil)
        #expect(noDev.objectValue?["summary"]?.objectValue?["skipped_dev_only"] == .int(1))
    }

    @Test func metadataAloneIsEnough() throws {
        guard let project = Self.project, let engine = Self.engine else { return }
        let doc = try engine.assess(["metadata": project.metadata])
        guard case .array(let packages)? = doc.objectValue?["packages"] else { return }
        #expect(packages.count == 8)  // mdtest, atty, libc, memchr, smallvec, winapi and its two target crates
    }
}
