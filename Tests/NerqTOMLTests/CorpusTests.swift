import Foundation
import NerqTestSupport
import Testing
import NerqTOML

@Suite struct CorpusTests {
    /// Every shared Cargo.lock parses, and every `[[package]]` header becomes one table.
    @Test func lockfiles() throws {
        guard let dir = SharedData.path("lockfiles") else { return }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".Cargo.lock") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            guard let bytes = readBytes(dir + "/" + name) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            let headers = text.split(separator: "\n", omittingEmptySubsequences: false).filter { $0 == "[[package]]" }.count
            do {
                let t = try TOML.parse(bytes)
                let pkgs = t.tables("package") ?? []
                #expect(pkgs.count == headers, "\(name)")
                #expect(pkgs.allSatisfy { $0.string("name") != nil && $0.string("version") != nil }, "\(name)")
                // Lines of [[package]] elements point at their headers.
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                for p in pkgs.prefix(50) {
                    #expect(p.line >= 1 && p.line <= lines.count && lines[p.line - 1] == "[[package]]", "\(name) line \(p.line)")
                }
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
    }

    /// The TOML front matter of every RustSec advisory parses.
    @Test func advisoryFrontMatter() throws {
        guard let root = SharedData.path("advisory-db") else { return }
        guard let e = FileManager.default.enumerator(atPath: root) else { return }
        var parsed = 0
        while let rel = e.nextObject() as? String {
            guard rel.hasSuffix(".md"), rel.hasPrefix("crates/") || rel.hasPrefix("rust/") else { continue }
            guard let bytes = readBytes(root + "/" + rel) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            guard let open = text.range(of: "```toml\n"), let close = text.range(of: "\n```", range: open.upperBound..<text.endIndex) else {
                Issue.record("\(rel): no toml block")
                continue
            }
            do {
                let t = try TOML.parse(String(text[open.upperBound..<close.lowerBound]) + "\n")
                #expect(t.table("advisory")?.string("id") != nil, "\(rel)")
                parsed += 1
            } catch {
                Issue.record("\(rel): \(error)")
            }
        }
        print("advisory-db: parsed \(parsed) advisory front matters")
        #expect(parsed >= 1225)
    }
}

/// Deterministic mutation fuzzing over the toml-test corpus: the parser must
/// never trap, and must either return a table or a positioned error.
@Suite struct FuzzTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func mutatedCorpusNeverTraps() throws {
        guard let root = SharedData.path("toml-test/tests") else { return }
        guard let list = readBytes(root + "/files-toml-1.0.0") else { return }
        let files = String(decoding: list, as: UTF8.self).split(separator: "\n").filter { $0.hasSuffix(".toml") }
        var corpus: [[UInt8]] = files.compactMap { readBytes(root + "/" + $0) }
        corpus.append(Array("a = [[1, {b = 2}], \"\"\"x\"\"\"]\n[[t]]\nk.l = 1979-05-27T07:32:00Z\n".utf8))
        let iterations = Int(ProcessInfo.processInfo.environment["NERQ_TOML_FUZZ_ITERATIONS"] ?? "") ?? 20_000
        var rng = SplitMix64(state: 0x5EED)
        let interesting: [UInt8] = Array("[]{}\"'\\=.,#\n\r\t _-+:0123456789eExobTZzinf".utf8) + [0x00, 0x7F, 0x80, 0xC3, 0xE2, 0xEF, 0xBB, 0xBF, 0xF0, 0xFF]
        var accepted = 0
        for _ in 0..<iterations {
            guard var doc = corpus.randomElement(using: &rng) else { break }
            let mutations = Int.random(in: 1...4, using: &rng)
            for _ in 0..<mutations {
                let p = doc.isEmpty ? 0 : Int.random(in: 0..<doc.count, using: &rng)
                switch Int.random(in: 0..<5, using: &rng) {
                case 0 where !doc.isEmpty: doc[p] = interesting.randomElement(using: &rng) ?? 0
                case 1: doc.insert(interesting.randomElement(using: &rng) ?? 0, at: p)
                case 2 where !doc.isEmpty: doc.remove(at: p)
                case 3 where !doc.isEmpty: doc = Array(doc[..<p])  // truncate
                default:
                    if let other = corpus.randomElement(using: &rng), !other.isEmpty {
                        let q = Int.random(in: 0..<other.count, using: &rng)
                        doc.insert(contentsOf: other[q..<min(other.count, q + 16)], at: p)
                    }
                }
            }
            do {
                let t = try TOML.parse(doc)
                accepted += 1
                #expect(t == t)
            } catch {
                #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
            }
        }
        print("fuzz: \(iterations) mutated documents, \(accepted) accepted")
    }
}
