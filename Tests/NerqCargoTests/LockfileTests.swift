import Foundation
import Testing
import NerqTestSupport
@testable import NerqCargo
@testable import NerqCore
@testable import NerqJSON

@Suite struct RealLockfileTests {
    /// A shared lockfile parsed, or nil when the shared data is absent (a failure under CI).
    func sharedLockfile(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Lockfile? {
        guard let bytes = SharedData.bytes("lockfiles/\(name).Cargo.lock", sourceLocation: sourceLocation) else { return nil }
        return try Lockfile.parse(bytes, file: "\(name).Cargo.lock")
    }

    // From ../shared/data/lockfiles/SOURCES.md: packages, registry, path, git, format.
    static let expected: [(String, Int, Int, Int, Int, Int)] = [
        ("deno", 1128, 1047, 81, 0, 4), ("nushell", 1035, 990, 44, 1, 4), ("tauri-2024-10", 1031, 1005, 25, 1, 3),
        ("zellij", 538, 517, 21, 0, 4), ("starship", 428, 427, 1, 0, 4), ("rust-analyzer", 377, 333, 44, 0, 4),
        ("mdbook-0.4.0", 208, 207, 1, 0, 2), ("nushell-0.4.0", 313, 310, 1, 2, 1),
    ]

    @Test(arguments: expected)
    func parsesEveryFormat(_ e: (String, Int, Int, Int, Int, Int)) throws {
        guard let lock = try sharedLockfile(e.0) else { return }
        #expect(lock.packages.count == e.1)
        #expect(lock.packages.filter { $0.source.kind == "registry" }.count == e.2)
        #expect(lock.packages.filter { $0.source == .path }.count == e.3)
        #expect(lock.packages.filter { $0.source.kind == "git" }.count == e.4)
        #expect(lock.format == e.5)
        #expect(lock.issues.isEmpty, "\(lock.issues.prefix(3))")
        // Every dependency reference resolved.
        #expect(zip(lock.packages, lock.dependencies).allSatisfy { $0.dependencyRefs.count == $1.count })
    }

    /// Every edge points at the package its reference names: same name, same version when the
    /// reference gives one, same source (without a git `#revision`) when it gives one.
    @Test(arguments: SharedData.lockfiles)
    func referencesResolveToTheNamedPackage(_ name: String) throws {
        guard let lock = try sharedLockfile(name) else { return }
        var checked = 0
        for (p, targets) in zip(lock.packages, lock.dependencies) {
            for (ref, t) in zip(p.dependencyRefs, targets) {
                let words = ref.split(separator: " ", maxSplits: 2).map(String.init)
                let target = lock.packages[t]
                #expect(target.name == words[0], "\(ref) -> \(target.id)")
                if words.count > 1 { #expect(target.version == words[1], "\(ref) -> \(target.id)") }
                if words.count > 2 {
                    let source = String(words[2].dropFirst().dropLast())
                    #expect(target.source.raw.map { String(PackageSource.withoutRevision($0)) } == String(PackageSource.withoutRevision(source)),
                            "\(ref) -> \(target.id)")
                }
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    @Test func referencesWithSourcesAndRevisions() throws {
        let text = """
        version = 3
        [[package]]
        name = "app"
        version = "0.1.0"
        dependencies = ["dup 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)", "dup 1.0.0 (git+https://example.com/dup#abc123)", "local", "dupe 2.0.0"]
        [[package]]
        name = "dup"
        version = "1.0.0"
        source = "registry+https://github.com/rust-lang/crates.io-index"
        [[package]]
        name = "dup"
        version = "1.0.0"
        source = "git+https://example.com/dup#abc123def"
        [[package]]
        name = "local"
        version = "0.2.0"
        [[package]]
        name = "dupe"
        version = "2.0.0"
        [[package]]
        name = "dupe"
        version = "2.0.0"
        source = "registry+https://github.com/rust-lang/crates.io-index"
        """
        let lock = try Lockfile.parse(Array(text.utf8))
        // `dupe 2.0.0` without a source is ambiguous between a path and a registry package:
        // cargo takes the path one.
        #expect(lock.dependencies.first == [1, 2, 3, 4])
        #expect(lock.issues.isEmpty, "\(lock.issues)")
    }

    @Test func legacyMetadataChecksums() throws {
        guard let bytes = SharedData.bytes("lockfiles/nushell-0.4.0.Cargo.lock") else { return }
        let lock = try Lockfile.parse(bytes)
        #expect(lock.packages.filter { $0.checksum != nil }.count == 312)
        let git = lock.packages.filter { $0.source.kind == "git" }
        #expect(git.map(\.checksum) == ["<none>", "<none>"])
        // v1 references carry the source: "name version (source)".
        #expect(lock.packages.contains { $0.dependencyRefs.contains { $0.hasSuffix("crates.io-index)") } })
    }

    @Test func packageLinesPointAtHeaders() throws {
        guard let bytes = SharedData.bytes("lockfiles/starship.Cargo.lock") else { return }
        let lock = try Lockfile.parse(bytes)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for p in lock.packages.prefix(50) {
            #expect(lines[p.line - 1] == "[[package]]")
            #expect(lines[p.line] == "name = \"\(p.name)\"")
        }
    }
}

@Suite struct BadLockfileTests {
    @Test func truncatedIsAParseErrorWithALine() throws {
        guard let bytes = SharedData.bytes("lockfiles/zellij.Cargo.lock") else { return }
        let cut = Array(bytes.prefix(5000)) + Array("name = \"x".utf8)
        do {
            _ = try Lockfile.parse(cut, file: "zellij.Cargo.lock")
            Issue.record("accepted a truncated lockfile")
        } catch {
            #expect(error.code == .parseError)
            #expect(error.message.hasPrefix("zellij.Cargo.lock:"))
        }
    }

    @Test func binaryIsAParseError() {
        var bytes: [UInt8] = []
        var x: UInt32 = 12345
        for _ in 0..<4096 {
            x = x &* 1103515245 &+ 12345
            bytes.append(UInt8(truncatingIfNeeded: x >> 16))
        }
        #expect(throws: NerqError.self) { try Lockfile.parse(bytes) }
        #expect(throws: NerqError.self) { try Lockfile.parse([0, 0, 0, 0xFF]) }
    }

    @Test func notALockfile() {
        #expect(throws: NerqError.self) { try Lockfile.parse(Array("[dependencies]\nserde = \"1\"\n".utf8)) }
        #expect(throws: NerqError.self) { try Lockfile.parse(Array("version = 99\n".utf8)) }
        #expect(throws: NerqError.self) { try Lockfile.parse(Array("[[package]]\nversion = \"1.0.0\"\n".utf8)) }
    }

    @Test func duplicatesAreCountedAndSkipped() throws {
        let text = """
        version = 3
        [[package]]
        name = "a"
        version = "1.0.0"
        source = "registry+https://github.com/rust-lang/crates.io-index"
        [[package]]
        name = "a"
        version = "1.0.0"
        source = "registry+https://github.com/rust-lang/crates.io-index"
        """
        let lock = try Lockfile.parse(Array(text.utf8))
        #expect(lock.packages.count == 1)
        #expect(lock.issues.count == 1)
        #expect(lock.issues.first?.contains("duplicate package") == true)
        #expect(lock.issues.first?.contains("Cargo.lock:6") == true)
    }

    @Test func cyclesAndUnresolvedReferences() throws {
        let text = """
        version = 3
        [[package]]
        name = "a"
        version = "1.0.0"
        dependencies = ["b"]
        [[package]]
        name = "b"
        version = "1.0.0"
        dependencies = ["a", "ghost 9.9.9"]
        """
        let lock = try Lockfile.parse(Array(text.utf8))
        #expect(lock.dependencies == [[1], [0]])
        #expect(lock.issues.count == 1)
        #expect(lock.issues.first?.contains("ghost 9.9.9") == true)
    }

    @Test func debianPlaceholderChecksumsAreTolerated() throws {
        let text = """
        [[package]]
        name = "a"
        version = "1.0.0"
        source = "registry+https://github.com/rust-lang/crates.io-index"
        checksum = "Could not get crate checksum"
        """
        let lock = try Lockfile.parse(Array(text.utf8))
        #expect(lock.packages.first?.checksum == "Could not get crate checksum")
    }

    @Test func fiftyMegabyteLockfile() throws {
        var text = "version = 3\n"
        var n = 0
        while text.utf8.count < 50 << 20 {
            text += "\n[[package]]\nname = \"crate-\(n)\"\nversion = \"1.0.\(n)\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"\(String(repeating: "0", count: 64))\"\ndependencies = [\n \"crate-\(max(0, n - 1))\",\n]\n"
            n += 1
        }
        let lock = try Lockfile.parse(Array(text.utf8))
        #expect(lock.packages.count == n)
        #expect(lock.issues.isEmpty)
    }
}
