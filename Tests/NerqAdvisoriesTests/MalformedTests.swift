import Foundation
import NerqAdvisories
import NerqCore
import Testing
import NerqJSON
import NerqCVSS

/// A RustSec-layout directory with good and malformed advisories, written to a temp dir.
@Suite struct MalformedTests {
    static func advisory(_ id: String, _ package: String, extra: String = "", versions: String = "patched = [\">= 1.0.0\"]",
                         body: String = "\n# A title\n\nSome description.\n") -> String {
        "```toml\n[advisory]\nid = \"\(id)\"\npackage = \"\(package)\"\ndate = \"2024-01-02\"\n\(extra)\n[versions]\n\(versions)\n```\n\(body)"
    }

    /// (relative path, contents, expected line, expected message fragment); nil contents = bytes below.
    static let bad: [(file: String, text: String, line: Int?, fragment: String)] = [
        // Bad TOML on line 6 of the file (line 5 of the block): unterminated string.
        ("crates/badtoml/RUSTSEC-2099-0101.md",
         "```toml\n[advisory]\nid = \"RUSTSEC-2099-0101\"\npackage = \"badtoml\"\ndate = \"2024-01-02\"\nurl = \"https://example.com\n\n[versions]\npatched = []\n```\n\n# T\n\nD\n",
         6, "invalid TOML"),
        // Same error, but the block starts after two blank lines: line 8 of the file.
        ("crates/badtoml2/RUSTSEC-2099-0111.md",
         "```toml\n\n\n[advisory]\nid = \"RUSTSEC-2099-0111\"\npackage = \"badtoml2\"\ndate = \"2024-01-02\"\nurl = \"https://example.com\n\n[versions]\npatched = []\n```\n\n# T\n\nD\n",
         8, "invalid TOML"),
        // Missing id: reported at the [advisory] header.
        ("crates/noid/RUSTSEC-2099-0102.md",
         "```toml\n[advisory]\npackage = \"noid\"\ndate = \"2024-01-02\"\n\n[versions]\npatched = []\n```\n\n# T\n\nD\n",
         2, "missing `id`"),
        ("crates/nopackage/RUSTSEC-2099-0112.md",
         "```toml\n[advisory]\nid = \"RUSTSEC-2099-0112\"\ndate = \"2024-01-02\"\n\n[versions]\npatched = []\n```\n\n# T\n\nD\n",
         2, "missing `package`"),
        ("crates/nodate/RUSTSEC-2099-0113.md",
         "```toml\n[advisory]\nid = \"RUSTSEC-2099-0113\"\npackage = \"nodate\"\n\n[versions]\npatched = []\n```\n\n# T\n\nD\n",
         2, "missing `date`"),
        // Invalid requirement, on line 8.
        ("crates/badreq/RUSTSEC-2099-0103.md",
         advisory("RUSTSEC-2099-0103", "badreq", versions: "patched = [\">= 1.2.x.9\"]"), 8, ">= 1.2.x.9"),
        // Bad CVSS vector (missing metrics), on line 6.
        ("crates/badcvss/RUSTSEC-2099-0104.md",
         advisory("RUSTSEC-2099-0104", "badcvss", extra: "cvss = \"CVSS:3.1/AV:N/AC:L\""), 6, "invalid CVSS vector"),
        // No TOML block at all.
        ("crates/notoml/RUSTSEC-2099-0105.md", "# Just Markdown\n\nNo front matter here.\n", 1, "```toml"),
        // Empty file.
        ("crates/empty/RUSTSEC-2099-0107.md", "", nil, "empty file"),
        // Other malformations.
        ("crates/baddate/RUSTSEC-2099-0114.md",
         advisory("RUSTSEC-2099-0114", "baddate").replacingOccurrences(of: "2024-01-02", with: "2023-02-30"), 5, "invalid `date`"),
        ("crates/noversions/RUSTSEC-2099-0115.md",
         "```toml\n[advisory]\nid = \"RUSTSEC-2099-0115\"\npackage = \"noversions\"\ndate = \"2024-01-02\"\n```\n\n# T\n\nD\n",
         2, "missing [versions]"),
        ("crates/nopatched/RUSTSEC-2099-0116.md",
         advisory("RUSTSEC-2099-0116", "nopatched", versions: "unaffected = [\"< 1.0.0\"]"), 7, "missing `patched`"),
        ("crates/unterminated/RUSTSEC-2099-0117.md",
         "```toml\n[advisory]\nid = \"RUSTSEC-2099-0117\"\n", 1, "unterminated"),
        ("crates/notitle/RUSTSEC-2099-0118.md",
         advisory("RUSTSEC-2099-0118", "notitle", body: "\nNo heading.\n"), 11, "title"),
        ("crates/wrongtype/RUSTSEC-2099-0119.md",
         advisory("RUSTSEC-2099-0119", "wrongtype", extra: "aliases = \"CVE-1\""), 6, "must be an array of strings"),
        ("crates/overlap/RUSTSEC-2099-0120.md",
         advisory("RUSTSEC-2099-0120", "overlap", versions: "patched = [\">= 1.0.0\", \">= 1.5.0\"]"), 8, "Overlapping"),
        ("crates/badfn/RUSTSEC-2099-0121.md",
         advisory("RUSTSEC-2099-0121", "badfn") + "", 0, ""),   // replaced below (needs [affected])
        ("crates/titlekey/RUSTSEC-2099-0122.md",
         advisory("RUSTSEC-2099-0122", "titlekey", extra: "title = \"x\""), 6, "invalid `title`"),
        ("crates/badwithdrawn/RUSTSEC-2099-0123.md",
         advisory("RUSTSEC-2099-0123", "badwithdrawn", extra: "withdrawn = \"yesterday\""), 6, "invalid `withdrawn`"),
    ]

    static let badFunction = "```toml\n[advisory]\nid = \"RUSTSEC-2099-0121\"\npackage = \"badfn\"\ndate = \"2024-01-02\"\n\n[versions]\npatched = []\n\n[affected.functions]\n\"badfn::f(x)\" = [\"< 1.0\"]\n```\n\n# T\n\nD\n"

    static let binary: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0xFF, 0xFE, 0x0A, 0xC3, 0x28]

    @Test func malformedAdvisoriesAreReportedNotDropped() throws {
        let root = try makeTempDirectory("malformed")
        defer { removeTree(root) }
        // Good advisories.
        try write(root, "crates/good/RUSTSEC-2099-0001.md",
                  Self.advisory("RUSTSEC-2099-0001", "good", extra: "cvss = \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\""))
        try write(root, "crates/good/RUSTSEC-2099-0002.md",
                  Self.advisory("RUSTSEC-2099-0002", "good", extra: "informational = \"unmaintained\"\nfuture-field = 1",
                                versions: "patched = []\nnew-thing = \"x\""))
        // V4 layout: no [advisory] header (rustsec prepends one).
        try write(root, "crates/v4/RUSTSEC-2099-0003.md",
                  "```toml\nid = \"RUSTSEC-2099-0003\"\npackage = \"v4\"\ndate = \"2024-01-02\"\n\n[versions]\npatched = [\">= 2.0.0\"]\n```\n\n# V4 layout\n\nBody.\n")
        try write(root, "crates/gone/RUSTSEC-2099-0004.md",
                  Self.advisory("RUSTSEC-2099-0004", "gone", extra: "withdrawn = \"2024-02-01\""))
        try write(root, "rust/std/CVE-2099-0001.md", Self.advisory("CVE-2099-0001", "std"))
        // Not advisories: ignored.
        try write(root, "README.md", "# readme\n")
        try write(root, "crates/good/notes.txt", "x")
        try write(root, ".git/crates/x/RUSTSEC-0000-0000.md", "junk")
        // Bad ones.
        for b in Self.bad where b.fragment != "" { try write(root, b.file, b.text) }
        try write(root, "crates/badfn/RUSTSEC-2099-0121.md", Self.badFunction)
        try write(root, "crates/binary/RUSTSEC-2099-0106.md", Self.binary)

        let db = try AdvisoryDatabase.load(path: root)
        #expect(db.advisories.map(\.id) == ["CVE-2099-0001", "RUSTSEC-2099-0001", "RUSTSEC-2099-0002",
                                             "RUSTSEC-2099-0003", "RUSTSEC-2099-0004"])
        var expected = Self.bad.filter { $0.fragment != "" }.map { ($0.file, $0.line, $0.fragment) }
        expected.append(("crates/badfn/RUSTSEC-2099-0121.md", 11, "omit parameters"))
        expected.append(("crates/binary/RUSTSEC-2099-0106.md", 1, "not UTF-8"))
        #expect(db.errors.count == expected.count, "\(db.errors.map(\.description).joined(separator: "\n"))")
        for (file, line, fragment) in expected {
            guard let e = db.errors.first(where: { $0.file == file }) else {
                Issue.record("no error for \(file)")
                continue
            }
            #expect(e.line == line, "\(e)")
            #expect(e.message.contains(fragment), "\(e)")
        }
        // Errors sorted by file.
        #expect(db.errors.map(\.file) == db.errors.map(\.file).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(db.fileCount == 5 + expected.count)

        // The good ones are intact.
        let good = db.advisories.first { $0.id == "RUSTSEC-2099-0001" }
        #expect(good?.cvssScore == 9.8 && good?.severity == .critical)
        let informational = db.advisories.first { $0.id == "RUSTSEC-2099-0002" }
        #expect(informational?.kind == .unmaintained)
        #expect(informational?.unknownKeys == ["advisory.future-field", "versions.new-thing"])
        #expect(db.unknownKeyCount == 2)
        let v4 = db.advisories.first { $0.id == "RUSTSEC-2099-0003" }
        #expect(v4?.title == "V4 layout" && v4?.patched == [">= 2.0.0"])
        #expect(db.matching(package: "v4", version: ver("1.0.0")).map(\.id) == ["RUSTSEC-2099-0003"])
        #expect(db.matching(package: "gone", version: ver("0.1.0")).isEmpty)
        #expect(db.advisories(forPackage: "gone").map(\.id) == ["RUSTSEC-2099-0004"])
        #expect(db.advisories(forPackage: "good").map(\.id) == ["RUSTSEC-2099-0001", "RUSTSEC-2099-0002"])
    }

    @Test func v4LayoutErrorLines() {
        // Without the [advisory] header the TOML error line must still be the file's line.
        let text = "```toml\nid = \"RUSTSEC-2099-0003\"\npackage = \"v4\"\ndate = 2024-01-02x\n\n[versions]\npatched = []\n```\n\n# T\n\nD\n"
        switch AdvisoryDatabase.parseRustSec(text, file: "x.md") {
        case .success: Issue.record("accepted")
        case .failure(let e): #expect(e.line == 4, "\(e)")
        }
    }

    @Test func dateMustBeAString() {
        let text = MalformedTests.advisory("RUSTSEC-2099-0001", "p").replacingOccurrences(of: "\"2024-01-02\"", with: "2024-01-02")
        switch AdvisoryDatabase.parseRustSec(text) {
        case .success: Issue.record("accepted a TOML date (rustsec requires a string)")
        case .failure(let e): #expect(e.line == 5 && e.message.contains("must be a string"), "\(e)")
        }
    }

    @Test func markdownPartsLikeRustSec() {
        // Title trimmed at its end, description trimmed, CRLF tolerated at line ends.
        let text = "```toml\n[advisory]\nid = \"RUSTSEC-2099-0001\"\npackage = \"p\"\ndate = \"2024-01-02\"\n[versions]\npatched = []\n```\n\n\n#  Title with spaces  \r\n\n  Body line 1\nBody line 2\n\n\n"
        switch AdvisoryDatabase.parseRustSec(text) {
        case .success(let r):
            #expect(r.title == " Title with spaces")
            #expect(r.description == "Body line 1\nBody line 2")
            #expect(r.affects(ver("0.0.1")))   // empty patched: every version affected
        case .failure(let e): Issue.record("\(e)")
        }
    }

    @Test func missingPathIsNotFound() {
        do {
            _ = try AdvisoryDatabase.load(path: "/nonexistent/nerq/advisory-db")
            Issue.record("loaded a missing path")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.path == "/nonexistent/nerq/advisory-db")
        }
    }

    @Test func emptyDirectoryIsNotFound() throws {
        let root = try makeTempDirectory("empty")
        defer { removeTree(root) }
        try write(root, "README.md", "# nothing\n")
        #expect(throws: NerqError.self) { try AdvisoryDatabase.load(path: root) }
    }

    @Test func kindMapping() {
        #expect(AdvisoryRecord.kind(informational: nil) == .vulnerability)
        #expect(AdvisoryRecord.kind(informational: "unmaintained") == .unmaintained)
        #expect(AdvisoryRecord.kind(informational: "unsound") == .unsound)
        #expect(AdvisoryRecord.kind(informational: "notice") == .notice)
        #expect(AdvisoryRecord.kind(informational: "something-else") == .notice)
        let text = MalformedTests.advisory("RUSTSEC-2099-0001", "p", extra: "informational = \"something-else\"")
        if case .success(let r) = AdvisoryDatabase.parseRustSec(text) {
            #expect(r.kind == .notice)
            #expect(r.cargoAuditReport == nil)   // cargo-audit reports no warning for other kinds
        } else {
            Issue.record("parse failed")
        }
    }
}
