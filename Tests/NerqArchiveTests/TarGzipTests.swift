import Foundation
import NerqArchive
import NerqJSON
import NerqTestSupport
import Testing

/// Tar headers written by hand: ustar with a prefix, pax path records, GNU long names, base-256
/// sizes, and damaged headers.
@Suite struct TarTests {
    final class Collect: TarConsumer {
        var entries: [(name: String, isFile: Bool, data: [UInt8])] = []
        func tarEntryBegin(name: String, size: Int64, kind: TarEntryKind) throws(NerqError) { entries.append((name, kind == .file, [])) }
        func tarEntryData(_ bytes: UnsafeBufferPointer<UInt8>) throws(NerqError) {
            if !entries.isEmpty { entries[entries.count - 1].data.append(contentsOf: bytes) }
        }
        func tarEntryEnd() throws(NerqError) {}
    }

    static func header(name: String, size: Int, type: UInt8 = UInt8(ascii: "0"), prefix: String = "",
                       magic: String = "ustar\u{0}00", base256: Bool = false) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ at: Int) { for (k, b) in s.utf8.enumerated() { h[at + k] = b } }
        put(name, 0)
        put("0000644\u{0}", 100)
        put("0000000\u{0}", 108)
        put("0000000\u{0}", 116)
        if base256 {
            h[124] = 0x80
            var v = size
            for k in stride(from: 135, through: 125, by: -1) {
                h[k] = UInt8(v & 0xFF)
                v >>= 8
            }
        } else {
            let octal = String(size, radix: 8)
            put(String(repeating: "0", count: 11 - octal.count) + octal + "\u{0}", 124)
        }
        put("00000000000\u{0}", 136)
        h[156] = type
        put(magic, 257)
        put(prefix, 345)
        put("        ", 148)
        let sum = h.reduce(0) { $0 + Int($1) }
        let s = String(sum, radix: 8)
        put(String(repeating: "0", count: 6 - s.count) + s + "\u{0} ", 148)
        return h
    }

    static func entry(_ h: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = h + data
        let pad = (512 - data.count % 512) % 512
        out += [UInt8](repeating: 0, count: pad)
        return out
    }

    static func pax(_ records: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (k, v) in records {
            let body = " \(k)=\(v)\n"
            var len = body.utf8.count + 1
            while String(len).count + body.utf8.count != len { len = String(len).count + body.utf8.count }
            out += Array("\(len)\(body)".utf8)
        }
        return out
    }

    func read(_ bytes: [UInt8], chunk: Int = 700) throws(NerqError) -> [(name: String, isFile: Bool, data: [UInt8])] {
        let c = Collect()
        let r = TarReader(path: "x.tar", consumer: c)
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            let piece = Array(bytes[i..<end])
            try piece.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(NerqError) in try r.feed(b) }
            i = end
        }
        try r.finish()
        return c.entries
    }

    @Test(arguments: [1, 511, 512, 700, 100_000])
    func formats(chunk: Int) throws {
        let long = "2026-11-20-020004/" + String(repeating: "x", count: 120) + "/data/crates.csv"
        var t: [UInt8] = []
        t += TarTests.entry(TarTests.header(name: "2026-11-20-020004/", size: 0, type: UInt8(ascii: "5")), [])
        t += TarTests.entry(TarTests.header(name: "data/a.csv", size: 3, prefix: "2026-11-20-020004"), Array("a\n1".utf8))
        t += TarTests.entry(TarTests.header(name: "././@LongLink", size: long.utf8.count + 1, type: UInt8(ascii: "L"), magic: "ustar  \u{0}"),
                            Array(long.utf8) + [0])
        t += TarTests.entry(TarTests.header(name: String(long.prefix(99)), size: 2, magic: "ustar  \u{0}"), Array("ok".utf8))
        let paxData = TarTests.pax([("mtime", "1.5"), ("path", long + ".pax")])
        t += TarTests.entry(TarTests.header(name: "PaxHeaders/x", size: paxData.count, type: UInt8(ascii: "x")), paxData)
        t += TarTests.entry(TarTests.header(name: "truncated-name", size: 1), Array("p".utf8))
        t += TarTests.entry(TarTests.header(name: "big256", size: 5, base256: true), Array("12345".utf8))
        t += [UInt8](repeating: 0, count: 1024)
        let entries = try read(t, chunk: chunk)
        #expect(entries.map(\.name) == ["2026-11-20-020004/", "2026-11-20-020004/data/a.csv", long, long + ".pax", "big256"])
        #expect(entries.map(\.isFile) == [false, true, true, true, true])
        #expect(entries.map { String(decoding: $0.data, as: UTF8.self) } == ["", "a\n1", "ok", "p", "12345"])
    }

    @Test func damaged() throws {
        var h = TarTests.header(name: "a", size: 1)
        h[0] = UInt8(ascii: "b")  // checksum no longer matches
        #expect(throws: NerqError.self) { _ = try read(TarTests.entry(h, [1]) + [UInt8](repeating: 0, count: 1024)) }
        do {
            _ = try read(TarTests.entry(h, [1]))
        } catch {
            #expect(error.message.contains("checksum mismatch"), "\(error.message)")
        }
        // Cut inside a file's data.
        let good = TarTests.entry(TarTests.header(name: "dump/data/crates.csv", size: 600), [UInt8](repeating: 65, count: 600))
        do {
            _ = try read(Array(good.prefix(700)))
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("truncated tarball: dump/data/crates.csv ends after 188 of 600 bytes"), "\(error.message)")
        }
        do {
            _ = try read(good)
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("no end-of-archive block"), "\(error.message)")
        }
    }
}

@Suite struct GzipTests {
    func gzip(_ data: [UInt8]) throws -> [UInt8] {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let f = dir.file("x")
        try Data(data).write(to: URL(fileURLWithPath: f))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gzip", "-n", f]
        try p.run()
        p.waitUntilExit()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: f + ".gz")))
    }

    func inflate(_ bytes: [UInt8], chunk: Int) throws(NerqError) -> [UInt8] {
        let g = try Inflater(path: "x.gz")
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            let piece = Array(bytes[i..<end])
            try piece.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(NerqError) in
                try g.feed(b) { (o: UnsafeBufferPointer<UInt8>) throws(NerqError) in out.append(contentsOf: o) }
            }
            i = end
        }
        try g.finish()
        return out
    }

    @Test func membersAndTruncation() throws {
        let a = Array((0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7 % 251) })
        let b = Array("second member\n".utf8)
        let ga = try gzip(a)
        let gb = try gzip(b)
        for chunk in [1, 1000, 1 << 20] where chunk != 1 || ga.count < 200_000 {
            #expect(try inflate(ga, chunk: chunk) == a)
        }
        #expect(try inflate(ga + gb, chunk: 4096) == a + b)       // concatenated members
        #expect(try inflate(ga + [0, 0, 0, 0], chunk: 4096) == a)  // zero padding after the end
        do {
            _ = try inflate(Array(ga.dropLast(5)), chunk: 4096)
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("truncated gzip stream"), "\(error.message)")
        }
        do {
            _ = try inflate(Array("plain text, not gzip".utf8), chunk: 4096)
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("not a gzip file"), "\(error.message)")
        }
    }
}
