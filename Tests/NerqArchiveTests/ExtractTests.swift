import Foundation
import NerqArchive
import NerqIO
import NerqJSON
import NerqTestSupport
import Testing

/// Zip and tar archives written by Python's zipfile and tarfile (independent writers), extracted
/// strictly: good archives come out byte for byte, bad ones fail whole with an error naming the
/// archive and the entry.
@Suite struct ExtractTests {
    /// Runs a Python snippet with `out` (a path) as sys.argv[1].
    static func python(_ code: String, _ out: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys, io, zipfile, tarfile\nout = sys.argv[1]\n" + code, out]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestFailure("python failed: \(code)") }
    }

    func extract(_ archive: String, zip: Bool, limits: ArchiveLimits = ArchiveLimits()) throws -> (String, Result<ExtractSummary, NerqError>) {
        let dest = archive + ".out"
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        do throws(NerqError) {
            let s = zip ? try Archive.extractZip(archive, into: dest, limits: limits) : try Archive.extractTar(archive, into: dest, limits: limits)
            return (dest, .success(s))
        } catch {
            return (dest, .failure(error))
        }
    }

    func failure(_ r: Result<ExtractSummary, NerqError>) -> String {
        if case .failure(let e) = r { return e.message }
        return "no error"
    }

    @Test func zipStoredAndDeflated() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let f = dir.file("a.zip")
        try ExtractTests.python("""
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("GHSA-1.json", "{}" * 1000, compress_type=zipfile.ZIP_DEFLATED)
            z.writestr("dir/", "")
            z.writestr("dir/sub/RUSTSEC-1.json", "stored bytes", compress_type=zipfile.ZIP_STORED)
            z.writestr("empty.json", "", compress_type=zipfile.ZIP_DEFLATED)
        """, f)
        let (dest, r) = try extract(f, zip: true)
        guard case .success(let s) = r else { Issue.record(Comment(rawValue: failure(r))); return }
        #expect(s.files == 3 && s.directories == 1 && s.bytes == 2012)
        #expect(try String(contentsOfFile: dest + "/GHSA-1.json", encoding: .utf8) == String(repeating: "{}", count: 1000))
        #expect(try String(contentsOfFile: dest + "/dir/sub/RUSTSEC-1.json", encoding: .utf8) == "stored bytes")
        #expect(Files.info(dest + "/empty.json")?.size == 0)
    }

    @Test func badZips() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let cases: [(String, String)] = [
            ("z.writestr('../x.json', 'x')", "leaves the destination"),
            ("z.writestr('a/../../x.json', 'x')", "leaves the destination"),
            ("z.writestr('/etc/x.json', 'x')", "absolute path"),
            ("z.writestr('a\\\\b.json', 'x')", "backslash"),
            ("i = zipfile.ZipInfo('l.json'); i.create_system = 3; i.external_attr = 0o120777 << 16; z.writestr(i, '/etc/passwd')", "symbolic link"),
            ("z.writestr('a.json', 'x'); z.writestr('a.json', 'y')", "appears twice"),
            ("z.writestr('b.json', 'x' * 100, compress_type=zipfile.ZIP_BZIP2)", "compression method 12"),
        ]
        for (k, (code, fragment)) in cases.enumerated() {
            let f = dir.file("bad\(k).zip")
            try ExtractTests.python("import warnings; warnings.simplefilter('ignore')\nwith zipfile.ZipFile(out, 'w') as z:\n    " + code, f)
            let (dest, r) = try extract(f, zip: true)
            let message = failure(r)
            #expect(message.contains(fragment) && message.hasPrefix(f), "\(code): \(message)")
            #expect(!Files.exists(dir.path + "/x.json") && !Files.exists(dest + "/../x.json"))
        }
    }

    @Test func damagedZips() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let f = dir.file("good.zip")
        try ExtractTests.python("""
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("a.json", "A" * 5000, compress_type=zipfile.ZIP_STORED)
            z.writestr("b.json", "B" * 5000, compress_type=zipfile.ZIP_DEFLATED)
        """, f)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: f)))
        func variant(_ name: String, _ bytes: [UInt8]) throws -> String {
            let p = dir.file(name)
            try Data(bytes).write(to: URL(fileURLWithPath: p))
            return failure(try extract(p, zip: true).1)
        }
        // A flipped byte in a stored entry's data: its CRC-32 no longer matches.
        var flipped = good
        flipped[100] ^= 0xFF
        #expect(try variant("crc.zip", flipped).contains("fails its CRC-32 check"))
        // Cut short: no end record.
        #expect(try variant("cut.zip", Array(good.prefix(good.count - 30))).contains("no end of central directory"))
        #expect(try variant("empty.zip", []).contains("not a zip file"))
        // The encryption flag set in the central directory.
        var encrypted = good
        if let cd = ExtractTests.find([0x50, 0x4B, 0x01, 0x02], in: encrypted) { encrypted[cd + 8] |= 1 }
        #expect(try variant("enc.zip", encrypted).contains("encrypted"))
        // A declared size smaller than the data: more bytes than it says.
        var lying = good
        if let cd = ExtractTests.find([0x50, 0x4B, 0x01, 0x02], in: lying, after: (ExtractTests.find([0x50, 0x4B, 0x01, 0x02], in: lying) ?? 0) + 4) {
            lying[cd + 24] = 0x10  // b.json: uncompressed size 5000 -> 4880
        }
        #expect(try variant("size.zip", lying).contains("more than its declared"))
        // Caps: one entry too large, and too many bytes in all (a bomb).
        let (_, big) = try extract(f, zip: true, limits: ArchiveLimits(maxEntryBytes: 4000))
        #expect(failure(big).contains("more than the 4000 allowed"))
        let (_, total) = try extract(f, zip: true, limits: ArchiveLimits(maxTotalBytes: 8000))
        #expect(failure(total).contains("more than 8000 bytes in all"))
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], after: Int = 0) -> Int? {
        var i = max(0, after)
        while i + needle.count <= hay.count {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    @Test func tarballs() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let good = dir.file("good.tar.gz")
        try ExtractTests.python("""
        def add(t, name, data=None, kind=tarfile.REGTYPE, link=""):
            i = tarfile.TarInfo(name); i.type = kind; i.linkname = link
            if data is not None: i.size = len(data)
            t.addfile(i, io.BytesIO(data) if data is not None else None)
        with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as t:
            add(t, "top/", kind=tarfile.DIRTYPE)
            add(t, "top/crates/x/" + "long" * 40 + ".md", b"long name")
            add(t, "top/README.md", b"readme")
        """, good)
        let (dest, r) = try extract(good, zip: false)
        guard case .success(let s) = r else { Issue.record(Comment(rawValue: failure(r))); return }
        #expect(s.files == 2 && s.directories == 1)
        #expect(try String(contentsOfFile: dest + "/top/crates/x/" + String(repeating: "long", count: 40) + ".md", encoding: .utf8) == "long name")
        let cases: [(String, String)] = [
            ("add(t, '../evil.md', b'x')", "leaves the destination"),
            ("add(t, '/tmp/evil.md', b'x')", "absolute path"),
            ("add(t, 'top/link', kind=tarfile.SYMTYPE, link='/etc')", "symbolic link"),
            ("add(t, 'top/hard', kind=tarfile.LNKTYPE, link='top/README.md')", "hard link"),
            ("add(t, 'top/fifo', kind=tarfile.FIFOTYPE)", "special file"),
            ("add(t, 'top/a', b'x'); add(t, 'top/a/b', b'y')", "not a directory"),
        ]
        for (k, (code, fragment)) in cases.enumerated() {
            let f = dir.file("bad\(k).tar.gz")
            try ExtractTests.python("""
            def add(t, name, data=None, kind=tarfile.REGTYPE, link=""):
                i = tarfile.TarInfo(name); i.type = kind; i.linkname = link
                if data is not None: i.size = len(data)
                t.addfile(i, io.BytesIO(data) if data is not None else None)
            with tarfile.open(out, "w:gz") as t:
                \(code)
            """, f)
            let message = failure(try extract(f, zip: false).1)
            #expect(message.contains(fragment) && message.hasPrefix(f), "\(code): \(message)")
        }
        #expect(!Files.exists(dir.path + "/evil.md") && !Files.exists("/tmp/evil.md"))
        // A truncated tarball fails (gzip end missing).
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        let cut = dir.file("cut.tar.gz")
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: cut))
        #expect(failure(try extract(cut, zip: false).1).contains("truncated"))
    }

    @Test(arguments: [("a/b.json", ["a", "b.json"]), ("./a//b/", ["a", "b"]), ("x", ["x"])])
    func entryNames(name: String, parts: [String]) {
        if case .success(let p) = Archive.components(of: name) { #expect(p == parts) } else { Issue.record("refused \(name)") }
    }

    @Test func refusedNames() {
        for name in ["", "/", ".", "../a", "a/../../b", "/abs", "a\\b", "a\u{0}b", String(repeating: "d/", count: 40) + "f"] {
            if case .success = Archive.components(of: name) { Issue.record("accepted \(name)") }
        }
    }
}
