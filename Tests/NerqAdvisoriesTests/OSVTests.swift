import Foundation
import NerqAdvisories
import NerqCore
import Testing
import NerqCVSS

/// OSV fixtures. The first four are RustSec's own OSV export, copied (details shortened) from
/// github.com/rustsec/advisory-db, branch `osv`, commit 057cf031107a80d877c35b4e28e1477f7066bc58:
/// crates/RUSTSEC-2021-0119.json, crates/RUSTSEC-2020-0036.json, crates/RUSTSEC-2020-0053.json and
/// crates/RUSTSEC-2021-0058.json. The others follow the OSV schema document
/// (github.com/ossf/osv-schema docs/schema.md: `ranges[].events`, `last_affected`, `limit`,
/// `versions`, the evaluation pseudocode) in the shape GHSA publishes for crates.io.
enum OSVFixtures {
    static let nix = #"""
    {
      "schema_version": null,
      "id": "RUSTSEC-2021-0119",
      "modified": "2023-06-13T13:10:24Z",
      "published": "2021-09-27T12:00:00Z",
      "aliases": ["CVE-2021-45707", "GHSA-76w9-p8mg-j927", "GHSA-wgrg-5h56-jg27"],
      "related": [],
      "summary": "Out-of-bounds write in nix::unistd::getgrouplist",
      "details": "On certain platforms, if a user has more than 16 groups, the\n`nix::unistd::getgrouplist` function will call the libc `getgrouplist`\nfunction with a length parameter greater than the size of the buffer it\nprovides, resulting in an out-of-bounds write and memory corruption.",
      "severity": [],
      "affected": [
        {
          "package": {"ecosystem": "crates.io", "name": "nix", "purl": "pkg:cargo/nix"},
          "ecosystem_specific": {
            "affects": {
              "arch": [],
              "os": ["linux", "freebsd", "android", "netbsd", "dragonfly", "openbsd", "fuchsia"],
              "functions": ["nix::unistd::getgrouplist"]
            },
            "affected_functions": null
          },
          "database_specific": {"categories": ["memory-corruption"], "cvss": null, "informational": null},
          "ranges": [
            {
              "type": "SEMVER",
              "events": [
                {"introduced": "0.16.0"}, {"fixed": "0.20.2"},
                {"introduced": "0.21.0-0"}, {"fixed": "0.21.2"},
                {"introduced": "0.22.0-0"}, {"fixed": "0.22.2"},
                {"introduced": "0.23.0-0"}, {"fixed": "0.23.0"}
              ]
            }
          ],
          "versions": []
        }
      ],
      "references": [
        {"type": "PACKAGE", "url": "https://crates.io/crates/nix"},
        {"type": "ADVISORY", "url": "https://rustsec.org/advisories/RUSTSEC-2021-0119.html"},
        {"type": "REPORT", "url": "https://github.com/nix-rust/nix/issues/1541"}
      ],
      "database_specific": {"license": "CC0-1.0"}
    }
    """#

    static let failure = #"""
    {
      "schema_version": null,
      "id": "RUSTSEC-2020-0036",
      "modified": "2024-02-10T15:57:43Z",
      "published": "2020-05-02T12:00:00Z",
      "aliases": ["CVE-2019-25010", "CVE-2020-25575", "GHSA-jq66-xh47-j9f3", "GHSA-r98r-j25q-rmpr"],
      "related": [],
      "summary": "failure is officially deprecated/unmaintained",
      "details": "The `failure` crate is officially end-of-life.",
      "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
      "affected": [
        {
          "package": {"ecosystem": "crates.io", "name": "failure", "purl": "pkg:cargo/failure"},
          "ecosystem_specific": {"affects": {"arch": [], "os": [], "functions": []}, "affected_functions": null},
          "database_specific": {"categories": [], "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "informational": "unmaintained"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}]}],
          "versions": []
        }
      ],
      "references": [
        {"type": "PACKAGE", "url": "https://crates.io/crates/failure"},
        {"type": "ADVISORY", "url": "https://rustsec.org/advisories/RUSTSEC-2020-0036.html"},
        {"type": "WEB", "url": "https://github.com/rust-lang-nursery/failure/pull/347"}
      ],
      "database_specific": {"license": "CC0-1.0"}
    }
    """#

    static let dirs = #"""
    {
      "schema_version": null,
      "id": "RUSTSEC-2020-0053",
      "modified": "2022-08-16T02:38:08Z",
      "published": "2020-10-16T12:00:00Z",
      "withdrawn": "2021-04-19T12:00:00Z",
      "aliases": [],
      "related": [],
      "summary": "dirs is unmaintained, use dirs-next instead",
      "details": "The `dirs` crate is not maintained any more;\nuse [`dirs-next`](https://crates.io/crates/dirs-next) instead.",
      "severity": [],
      "affected": [
        {
          "package": {"ecosystem": "crates.io", "name": "dirs", "purl": "pkg:cargo/dirs"},
          "ecosystem_specific": {"affects": {"arch": [], "os": [], "functions": []}, "affected_functions": null},
          "database_specific": {"categories": [], "cvss": null, "informational": "unmaintained"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}]}],
          "versions": []
        }
      ],
      "references": [
        {"type": "PACKAGE", "url": "https://crates.io/crates/dirs"},
        {"type": "ADVISORY", "url": "https://rustsec.org/advisories/RUSTSEC-2020-0053.html"},
        {"type": "WEB", "url": "https://github.com/dirs-dev/dirs-rs"}
      ],
      "database_specific": {"license": "CC0-1.0"}
    }
    """#

    static let opensslSrc = #"""
    {
      "schema_version": null,
      "id": "RUSTSEC-2021-0058",
      "modified": "2023-06-13T13:10:24Z",
      "published": "2021-05-01T12:00:00Z",
      "aliases": ["CVE-2021-23841", "GHSA-84rm-qf37-fgc2"],
      "related": [],
      "summary": "Null pointer deref in `X509_issuer_and_serial_hash()`",
      "details": "The OpenSSL public API function `X509_issuer_and_serial_hash()` attempts to\ncreate a unique hash value.",
      "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
      "affected": [
        {
          "package": {"ecosystem": "crates.io", "name": "openssl-src", "purl": "pkg:cargo/openssl-src"},
          "ecosystem_specific": {"affects": {"arch": [], "os": [], "functions": []}, "affected_functions": null},
          "database_specific": {"categories": ["denial-of-service"], "cvss": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H", "informational": null},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}, {"fixed": "111.14.0"}]}],
          "versions": []
        }
      ],
      "references": [
        {"type": "PACKAGE", "url": "https://crates.io/crates/openssl-src"},
        {"type": "ADVISORY", "url": "https://rustsec.org/advisories/RUSTSEC-2021-0058.html"},
        {"type": "WEB", "url": "https://www.openssl.org/news/secadv/20210216.txt"}
      ],
      "database_specific": {"license": "CC0-1.0"}
    }
    """#

    /// GHSA-shaped record: ECOSYSTEM range with `last_affected`, an explicit `versions` list, a
    /// second crates.io package, an npm package (ignored), a CVSS v4 vector and a severity word.
    static let ghsa = #"""
    {
      "id": "GHSA-test-0000-0001",
      "modified": "2025-01-01T00:00:00Z",
      "published": "2024-12-24T18:30:00Z",
      "aliases": ["CVE-2024-99999"],
      "summary": "Example crates.io vulnerability",
      "details": "Details.",
      "severity": [
        {"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
        {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N"}
      ],
      "affected": [
        {
          "package": {"ecosystem": "crates.io", "name": "alpha"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "1.4.2"}]}],
          "versions": ["2.0.0-rc.1"]
        },
        {
          "package": {"ecosystem": "crates.io", "name": "beta"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"limit": "1.5.0"}]}]
        },
        {
          "package": {"ecosystem": "npm", "name": "alpha"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]
        },
        {
          "package": {"ecosystem": "crates.io", "name": "alpha"},
          "ranges": [{"type": "GIT", "repo": "https://example.com/alpha", "events": [{"introduced": "0"}, {"fixed": "abcdef"}]}]
        }
      ],
      "references": [{"type": "WEB", "url": "https://example.com/advisory"}],
      "database_specific": {"severity": "MODERATE", "github_reviewed": true}
    }
    """#

    static let npmOnly = #"{"id": "GHSA-npm-0000-0001", "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}"#
}

@Suite struct OSVTests {
    func only(_ text: String, file: String = "r.json") -> [AdvisoryRecord] {
        let r = AdvisoryDatabase.parseOSV(text, file: file)
        #expect(r.errors.isEmpty, "\(r.errors)")
        return r.records
    }

    @Test func rustsecExportNix() {
        let recs = only(OSVFixtures.nix, file: "crates/RUSTSEC-2021-0119.json")
        #expect(recs.count == 1)
        guard let r = recs.first else { return }
        #expect(r.id == "RUSTSEC-2021-0119" && r.package == "nix" && r.collection == .crates)
        #expect(r.format == .osv)
        #expect(r.file == "crates/RUSTSEC-2021-0119.json")
        #expect(r.date == "2021-09-27")
        #expect(r.title == "Out-of-bounds write in nix::unistd::getgrouplist")
        #expect(r.description?.hasPrefix("On certain platforms") == true)
        #expect(r.aliases == ["CVE-2021-45707", "GHSA-76w9-p8mg-j927", "GHSA-wgrg-5h56-jg27"])
        #expect(r.categories == ["memory-corruption"])
        #expect(r.kind == .vulnerability && r.informational == nil)
        #expect(r.os == ["linux", "freebsd", "android", "netbsd", "dragonfly", "openbsd", "fuchsia"])
        #expect(r.affectedFunctions.map(\.path) == ["nix::unistd::getgrouplist"])
        #expect(r.license == "CC0-1.0")
        #expect(r.url == "https://rustsec.org/advisories/RUSTSEC-2021-0119.html")
        #expect(r.references.count == 3)
        #expect(r.patched == [">= 0.20.2, < 0.21.0-0", ">= 0.21.2, < 0.22.0-0", ">= 0.22.2, < 0.23.0-0", ">= 0.23.0"])
        // Same answers as the RustSec TOML of the same advisory (patched ^0.20.2, ^0.21.2, ^0.22.2,
        // >= 0.23.0; unaffected < 0.16.0).
        for (v, affected) in [("0.15.9", false), ("0.16.0", true), ("0.20.1", true), ("0.20.2", false),
                              ("0.20.9", false), ("0.21.0", true), ("0.21.0-alpha", true), ("0.21.2", false),
                              ("0.22.1", true), ("0.22.2", false), ("0.23.0-beta", true), ("0.23.0", false),
                              ("1.0.0", false)] {
            #expect(r.affects(ver(v)) == affected, "\(v)")
        }
        let toml = AdvisoryDatabase.parseRustSec("""
            ```toml
            [advisory]
            id = "RUSTSEC-2021-0119"
            package = "nix"
            date = "2021-09-27"
            [versions]
            patched = ["^0.20.2", "^0.21.2", "^0.22.2", ">= 0.23.0",]
            unaffected = ["< 0.16.0"]
            ```

            # T

            D
            """)
        if case .success(let t) = toml {
            for s in ["0.1.0", "0.16.0", "0.20.2", "0.21.1", "0.22.3", "0.23.0-rc.1", "0.23.1", "0.21.0-0", "0.20.3-alpha"] {
                #expect(t.affects(ver(s)) == r.affects(ver(s)), "\(s)")
            }
        } else {
            Issue.record("toml parse failed: \(toml)")
        }
    }

    @Test func rustsecExportInformationalAndCVSS() {
        guard let r = only(OSVFixtures.failure).first else { Issue.record("no record"); return }
        #expect(r.informational == "unmaintained" && r.kind == .unmaintained)
        #expect(r.cargoAuditReport == .warning(kind: "unmaintained"))
        #expect(r.cvss == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        #expect(r.cvssScore == 9.8 && r.severity == .critical)
        #expect(r.affects(ver("0.1.8")) && r.affects(ver("0.0.0")))
        #expect(r.patched == [])
        #expect(r.signal.kind == .unmaintained)
    }

    @Test func rustsecExportWithdrawn() {
        guard let r = only(OSVFixtures.dirs).first else { Issue.record("no record"); return }
        #expect(r.withdrawn == "2021-04-19")
        #expect(!r.affects(ver("1.0.0")))
        #expect(r.cargoAuditReport == nil)
        #expect(r.signal.withdrawn == "2021-04-19")
    }

    @Test func rustsecExportFixed() {
        guard let r = only(OSVFixtures.opensslSrc).first else { Issue.record("no record"); return }
        #expect(r.cvssScore == 5.9 && r.severity == .medium)
        #expect(r.affects(ver("111.13.9")))
        #expect(!r.affects(ver("111.14.0")))
        #expect(r.patched == [">= 111.14.0"])
        #expect(r.categories == ["denial-of-service"])
    }

    @Test func ghsaShapedRecord() {
        let recs = only(OSVFixtures.ghsa)
        #expect(recs.map(\.package) == ["alpha", "beta"])   // npm entry ignored; alpha's two entries merged
        guard recs.count == 2, let alpha = recs.first, let beta = recs.last else { return }
        #expect(alpha.id == "GHSA-test-0000-0001" && beta.id == alpha.id)
        #expect(alpha.date == "2024-12-24")
        // CVSS_V2 skipped, the v4 vector scored; its rating replaces the MODERATE word.
        #expect(alpha.cvss == "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N")
        #expect(alpha.cvssScore == 8.2 && alpha.severity == .high)
        #expect(alpha.url == "https://example.com/advisory")
        // last_affected is inclusive.
        #expect(alpha.affects(ver("0.1.0")) && alpha.affects(ver("1.4.2")))
        #expect(!alpha.affects(ver("1.4.3")))
        // `versions`: exactly listed.
        #expect(alpha.affects(ver("2.0.0-rc.1")) && !alpha.affects(ver("2.0.0")))
        // limit: affected below the limit only.
        #expect(!beta.affects(ver("0.9.0")) && beta.affects(ver("1.0.0")) && beta.affects(ver("1.4.9")))
        #expect(!beta.affects(ver("1.5.0")) && !beta.affects(ver("2.0.0")))
    }

    @Test func severityWordWithoutVector() {
        let text = #"{"id": "GHSA-w", "affected": [{"package": {"ecosystem": "crates.io", "name": "x"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}], "database_specific": {"severity": "HIGH"}}"#
        guard let r = only(text).first else { Issue.record("no record"); return }
        #expect(r.severity == .high && r.cvss == nil && r.cvssScore == nil)
        #expect(r.affects(ver("0.9.9")) && !r.affects(ver("1.0.0")))
        #expect(r.patched == [">= 1.0.0"])
    }

    @Test func rangeEvaluationFollowsTheSchemaPseudocode() {
        func range(_ events: [OSVEvent]) -> OSVVersionRange { OSVVersionRange(type: "SEMVER", events: events) }
        // Unsorted events are sorted by version before the walk.
        let r = range([OSVEvent(.fixed, ver("1.0.2")), OSVEvent(.introduced, ver("3.0.0")),
                       OSVEvent(.fixed, ver("3.2.5")), OSVEvent(.introduced, nil)])
        #expect(r.events.first == OSVEvent(.introduced, nil))
        #expect(r.affects(ver("0.0.1")) && r.affects(ver("1.0.1")) && !r.affects(ver("1.0.2")))
        #expect(!r.affects(ver("2.9.9")) && r.affects(ver("3.0.0")) && r.affects(ver("3.2.4")) && !r.affects(ver("3.2.5")))
        // Semver precedence: pre-releases of the fixed version are below it.
        #expect(r.affects(ver("1.0.2-alpha")))
        // A range without introduced affects nothing.
        #expect(!range([OSVEvent(.fixed, ver("1.0.0"))]).affects(ver("0.5.0")))
        // limit "*" = no limit.
        #expect(range([OSVEvent(.introduced, nil), OSVEvent(.limit, nil)]).affects(ver("99.0.0")))
    }

    @Test func multipleRecordsAndErrors() {
        let text = "[\(OSVFixtures.nix), \(OSVFixtures.npmOnly), {\"id\": \"BAD-1\", \"affected\": [{\"package\": {\"ecosystem\": \"crates.io\", \"name\": \"z\"}, \"ranges\": [{\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"1.x\"}]}]}]}, {\"id\": \"BAD-2\", \"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N\"}], \"affected\": [{\"package\": {\"ecosystem\": \"crates.io\", \"name\": \"z\"}}]}]"
        let r = AdvisoryDatabase.parseOSV(text, file: "all.json")
        #expect(r.records.map(\.id) == ["RUSTSEC-2021-0119"])
        #expect(r.errors.count == 2)
        #expect(r.errors.allSatisfy { $0.file == "all.json" })
        #expect(r.errors.contains { $0.message.contains("BAD-1") && $0.message.contains("1.x") })
        #expect(r.errors.contains { $0.message.contains("BAD-2") && $0.message.contains("invalid CVSS vector") })
    }

    @Test func invalidJSONReportsItsLine() {
        let r = AdvisoryDatabase.parseOSV("{\n  \"id\": \"X\",\n  \"affected\": [,]\n}", file: "broken.json")
        #expect(r.records.isEmpty)
        #expect(r.errors.first?.line == 3, "\(r.errors)")
    }

    @Test func osvDirectoryAndSingleFile() throws {
        let root = try makeTempDirectory("osv")
        defer { removeTree(root) }
        // The osv branch layout: crates/RUSTSEC-*.json; plus a nested directory and a vulns response.
        try write(root, "crates/RUSTSEC-2021-0119.json", OSVFixtures.nix)
        try write(root, "crates/RUSTSEC-2020-0036.json", OSVFixtures.failure)
        try write(root, "crates/RUSTSEC-2020-0053.json", OSVFixtures.dirs)
        try write(root, "more/ghsa/GHSA-test-0000-0001.json", OSVFixtures.ghsa)
        try write(root, "query.json", "{\"vulns\": [\(OSVFixtures.opensslSrc), \(OSVFixtures.npmOnly)]}")
        try write(root, "broken.json", "{")
        try write(root, "notes.md", "# not an advisory")
        let db = try AdvisoryDatabase.load(path: root)
        #expect(db.advisories.map(\.id) == ["GHSA-test-0000-0001", "GHSA-test-0000-0001", "RUSTSEC-2020-0036",
                                             "RUSTSEC-2020-0053", "RUSTSEC-2021-0058", "RUSTSEC-2021-0119"])
        #expect(db.advisories.first?.file == "more/ghsa/GHSA-test-0000-0001.json")
        #expect(db.errors.map(\.file) == ["broken.json"])
        #expect(db.skippedRecords == 1)
        #expect(db.fileCount == 6)
        #expect(db.withdrawnCount == 1)
        #expect(db.matching(package: "nix", version: ver("0.20.0")).map(\.id) == ["RUSTSEC-2021-0119"])
        #expect(db.matching(package: "nix", version: ver("0.20.0"), os: "windows").isEmpty)
        #expect(db.matching(package: "dirs", version: ver("1.0.0")).isEmpty)
        #expect(db.matching(package: "failure", version: ver("0.1.8")).map(\.kind) == [.unmaintained])
        #expect(db.matching(package: "alpha", version: ver("1.0.0"), ignore: ["CVE-2024-99999"]).isEmpty)
        #expect(db.newestDate == "2024-12-24")

        let single = try AdvisoryDatabase.load(path: root + "/crates/RUSTSEC-2021-0119.json")
        #expect(single.advisories.map(\.id) == ["RUSTSEC-2021-0119"])
        #expect(single.advisories.first?.file == "RUSTSEC-2021-0119.json")
        // Filtered load keeps only the named crates.
        let filtered = try AdvisoryDatabase.load(path: root, packages: ["failure", "beta"])
        #expect(filtered.advisories.map(\.package) == ["beta", "failure"])
    }
}
