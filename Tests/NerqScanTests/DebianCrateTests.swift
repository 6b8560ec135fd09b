import Foundation
import NerqTestSupport
import Testing
@testable import NerqScan

/// Real crate sources from Debian (`apt-get install librust-regex-dev
/// librust-nix-dev librust-libc-dev librust-serde-json-dev librust-memchr-dev
/// librust-smallvec-dev librust-bytes-dev`), under /usr/share/cargo/registry.
///
/// How the pinned numbers were established (see README.md):
/// * unsafe counts: an independent Python reimplementation (strip comments,
///   strings, raw strings and chars with its own state machine, then regex
///   `unsafe\s*{`, `unsafe\s+(extern "..")?fn\s+name`, `unsafe\s+impl`,
///   `unsafe\s+(auto\s+)?trait`) agrees exactly on all of these crates (and
///   on 260 of the 262 installed crates; the 2 differences are `unsafe` in
///   macro_rules! matchers, which NerqScan skips by design). smallvec's
///   src/lib.rs was additionally checked line by line against
///   `grep -n unsafe` (doc-comment lines 677, 1340, 1382 excluded).
/// * line counts: identical to `cloc --include-lang=Rust` for these crates.
/// * forbid/deny: `grep -n unsafe_code */src/lib.rs` over all crates.
enum Debian {
    static let registry = "/usr/share/cargo/registry"

    static func dir(_ name: String) -> String { registry + "/" + name }

    static func installed(_ names: String...) -> Bool {
        names.allSatisfy { FileManager.default.fileExists(atPath: dir($0) + "/Cargo.toml") }
    }

    /// Enabled when the crates are installed, or always under CI=true (so a
    /// missing install fails there instead of silently skipping).
    static func condition(_ names: String...) -> Bool {
        SharedData.isCI || DebianCrates.installed(names)
    }

    static func scan(_ name: String, evidence: Int = 20) -> CrateScan {
        var o = ScanOptions()
        o.maxEvidence = evidence
        return CrateScanner.scan(directory: dir(name), options: o)
    }
}

struct Pin: Sendable, CustomStringConvertible {
    let crate: String
    let blocks: Int, fns: Int, impls: Int, traits: Int
    let code: Int?, comment: Int?, blank: Int?
    let capabilities: [String]
    /// Unsafe keywords and code lines in test code (counted apart from the crate's own).
    var unsafeInTests = 0
    var codeInTests: Int? = nil
    var description: String { crate }
}

// Test code is counted apart (methodology v2): nix's filesystem writes were all in test/ (its
// [[test]] targets), 107 of its unsafe blocks in #[test] functions; memchr's 3 unsafe fns and
// 7 unsafe blocks sit in #[cfg(all(test, ...))] modules and #[test] functions.
let pins: [Pin] = [
    Pin(crate: "smallvec-1.9.0", blocks: 34, fns: 14, impls: 8, traits: 1, code: 2499, comment: 615, blank: 372, capabilities: [],
        unsafeInTests: 0, codeInTests: 1115),
    Pin(crate: "bytes-1.2.1", blocks: 48, fns: 42, impls: 11, traits: 1, code: 4846, comment: 3233, blank: 1151, capabilities: [],
        unsafeInTests: 21, codeInTests: 2048),
    Pin(crate: "memchr-2.5.0", blocks: 21, fns: 60, impls: 0, traits: 0, code: 5550, comment: 2188, blank: 782,
        capabilities: ["build_script_env"], unsafeInTests: 10, codeInTests: 1263),
    Pin(crate: "regex-1.7.1", blocks: 10, fns: 2, impls: 2, traits: 0, code: 13338, comment: 5553, blank: 2346, capabilities: [],
        unsafeInTests: 0, codeInTests: 6203),
    Pin(crate: "serde_json-1.0.87", blocks: 7, fns: 0, impls: 0, traits: 0, code: nil, comment: nil, blank: nil,
        capabilities: ["build_script_process"], unsafeInTests: 0, codeInTests: 3739),
    Pin(crate: "nix-0.26.1", blocks: 479, fns: 73, impls: 6, traits: 0, code: 29851, comment: 8187, blank: 3549,
        capabilities: ["env", "network", "process"], unsafeInTests: 107, codeInTests: 9214),
    Pin(crate: "libc-0.2.139", blocks: 123, fns: 89, impls: 2, traits: 0, code: nil, comment: nil, blank: nil,
        capabilities: ["build_script_env", "build_script_process", "ffi"], unsafeInTests: 1, codeInTests: 3),
]

@Suite struct DebianCrateTests {
    @Test(.enabled(if: pins.allSatisfy { Debian.condition($0.crate) }, "Debian crate sources not installed (apt-get install librust-regex-dev ...)"),
          arguments: pins)
    func pinnedCounts(_ p: Pin) {
        guard DebianCrates.require(p.crate) else { return }
        let r = Debian.scan(p.crate)
        #expect(r.error == nil)
        #expect(r.unsafe_blocks == p.blocks)
        #expect(r.unsafe_fns == p.fns)
        #expect(r.unsafe_impls == p.impls)
        #expect(r.unsafe_traits == p.traits)
        if let c = p.code { #expect(r.lines_code == c) }
        if let c = p.comment { #expect(r.lines_comment == c) }
        if let c = p.blank { #expect(r.lines_blank == c) }
        #expect(r.capabilities == p.capabilities)
        #expect(r.unsafe_in_tests == p.unsafeInTests)
        if let c = p.codeInTests { #expect(r.lines_code_tests == c) }
        #expect(r.lex_error_count == 0)
        #expect(r.license_matches == true)
        #expect(r.has_readme)
        #expect(!r.forbids_unsafe)
        #expect(r.skipped_files == SkippedFiles())
    }

    /// nix with and without its test code: the filesystem writes and 107 unsafe blocks that v1
    /// counted are all in test code (its `[[test]]` targets under test/, and #[test] functions),
    /// so they cost nothing; the crate's own capabilities stay.
    @Test(.enabled(if: Debian.condition("nix-0.26.1"), "nix-0.26.1 not installed"))
    func nixTestCodeIsNotCapabilityEvidence() {
        let r = Debian.scan("nix-0.26.1", evidence: 1000)
        #expect(!r.capabilities.contains("filesystem_write"))
        #expect(r.evidence["filesystem_write"] == nil)
        #expect(r.capabilities == ["env", "network", "process"])
        // Every unsafe keyword set apart is in test/ or inside a #[test] function of src/.
        let tests = r.evidence["unsafe_in_tests"] ?? []
        #expect(tests.count == 107 && r.unsafe_in_tests == 107)
        for e in tests where !e.file.hasPrefix("test/") {
            #expect(e.file.hasPrefix("src/"), "\(e.file)")
        }
        // The product's unsafe evidence never points into test/.
        #expect((r.evidence["unsafe_block"] ?? []).allSatisfy { !$0.file.hasPrefix("test/") })
    }

    /// smallvec src/lib.rs, checked line by line against `grep -n unsafe`.
    @Test(.enabled(if: Debian.condition("smallvec-1.9.0"), "smallvec-1.9.0 not installed"))
    func smallvecLineByLine() {
        let r = Debian.scan("smallvec-1.9.0", evidence: 1000)
        let lib = { (kind: String) in (r.evidence[kind] ?? []).filter { $0.file == "src/lib.rs" }.map(\.line) }
        #expect(lib("unsafe_impl") == [346, 347, 521, 522, 1796, 1889, 2085, 2096])
        #expect(lib("unsafe_trait") == [2014])
        #expect(lib("unsafe_fn") == [319, 428, 432, 442, 446, 450, 477, 484, 495, 502, 509, 684, 696, 1404])
        #expect(lib("unsafe_block") == [356, 370, 388, 609, 665, 749, 762, 816, 834, 850, 892, 989, 1009, 1043, 1057,
                                         1075, 1107, 1168, 1181, 1209, 1267, 1441, 1472, 1523, 1541, 1551, 1760, 1798,
                                         1812, 1934, 1955, 1970, 1976, 1984])
        #expect(r.tests == 1 && r.benches == 1)
        #expect(r.license_files == ["LICENSE-APACHE", "LICENSE-MIT"])
    }

    @Test(.enabled(if: Debian.condition("regex-syntax-0.6.27"), "regex-syntax-0.6.27 not installed"))
    func regexSyntaxForbidsUnsafe() {
        let r = Debian.scan("regex-syntax-0.6.27")
        #expect(r.forbids_unsafe)
        #expect(!r.denies_unsafe)
        #expect(r.unsafe_blocks + r.unsafe_fns + r.unsafe_impls + r.unsafe_traits == 0)
        #expect(r.evidence["forbid_unsafe_code"]?.first?.file == "src/lib.rs")
        #expect(r.evidence["forbid_unsafe_code"]?.first?.snippet == "#![forbid(unsafe_code)]")
    }

    /// `grep -n unsafe_op_in_unsafe_fn */src/lib.rs`: os_str_bytes forbids it, semver denies it under
    /// a cfg_attr, time in a multi-line deny list; minimal-lexical only warns (under a feature).
    @Test(.enabled(if: Debian.condition("os_str_bytes-6.0.0", "semver-1.0.14", "time-0.3.9", "minimal-lexical-0.2.1"),
                   "os_str_bytes/semver/time/minimal-lexical not installed"))
    func unsafeOpInUnsafeFn() {
        #expect(Debian.scan("os_str_bytes-6.0.0").evidence["deny_unsafe_op_in_unsafe_fn"]?.first?.line == 159)
        #expect(Debian.scan("semver-1.0.14").evidence["deny_unsafe_op_in_unsafe_fn"]?.first?.line == 66)
        #expect(Debian.scan("time-0.3.9").denies_unsafe_op_in_unsafe_fn)
        #expect(!Debian.scan("minimal-lexical-0.2.1").denies_unsafe_op_in_unsafe_fn)
    }

    @Test(.enabled(if: Debian.condition("memchr-2.5.0", "libc-0.2.139"), "memchr/libc not installed"))
    func buildScriptsAndLicenses() {
        let m = Debian.scan("memchr-2.5.0")
        #expect(m.build_script)
        #expect(m.license_expression == "Unlicense/MIT")
        #expect(m.license_files == ["COPYING", "LICENSE-MIT", "UNLICENSE"])
        #expect(m.licenses_detected == ["MIT", "Unlicense"])
        // the only non-Cargo variable it reads is through a helper: env::var_os(name)
        #expect(m.evidence["build_script_env"]?.map(\.line) == [81])
        let l = Debian.scan("libc-0.2.139")
        #expect(l.build_script)
        #expect((l.evidence_counts["ffi"] ?? 0) > 100)
    }

    @Test(.enabled(if: Debian.condition("regex-1.7.1", "nix-0.26.1", "libc-0.2.139"), "crates not installed"))
    func batchScanMatchesSingleScans() {
        let names = ["regex-1.7.1", "nix-0.26.1", "libc-0.2.139"]
        let batch = CrateScanner.scan(directories: names.map(Debian.dir))
        #expect(batch == names.map { Debian.scan($0) })
    }

    @Test(.enabled(if: Debian.condition("regex-1.7.1"), "regex-1.7.1 not installed"))
    func locatorFindsDebianCrate() throws {
        let emptyHome = TempCrate("cargohome")
        let loc = CrateLocator(cargoHome: emptyHome.root)
        let found = try #require(loc.locate(name: "regex", version: "1.7.1"))
        #expect(found == CrateLocator.Location(path: Debian.dir("regex-1.7.1"), source: .debian))
        #expect(loc.locate(name: "regex", version: "1.7.0") == nil)  // exact version only
    }
}

@Suite struct LocatorTests {
    @Test func searchOrder() {
        let work = TempCrate("locator")
        func mk(_ rel: String, name: String, version: String) {
            work.write(rel + "/Cargo.toml", "[package]\nname = \"\(name)\"\nversion = \"\(version)\"\n")
        }
        mk("manifest", name: "foo", version: "1.2.3")
        mk("vendor/foo-1.2.3", name: "foo", version: "1.2.3")
        mk("vendor2/foo", name: "foo", version: "1.2.3")
        mk("vendor3/foo", name: "foo", version: "9.9.9")
        mk("cargo/registry/src/index-b/foo-1.2.3", name: "foo", version: "1.2.3")
        mk("cargo/registry/src/index-a/foo-1.2.3", name: "foo", version: "1.2.3")
        mk("debian/foo-1.2.3", name: "foo", version: "1.2.3")
        mk("debian/bar-1.0.1", name: "bar", version: "1.0.1")
        mk("debian/baz-2.0.0", name: "baz", version: "2.0.1")  // directory name lies

        let deb = work.path("debian")
        let home = work.path("cargo")
        var l = CrateLocator(manifestDirectory: work.path("manifest"), vendorDirectories: [work.path("vendor")],
                             cargoHome: home, debianRegistry: deb)
        #expect(l.locate(name: "foo", version: "1.2.3")?.source == .manifest)
        #expect(l.locate(name: "foo", version: "1.2.4") == nil)  // manifest disagrees; nothing else has it

        l.manifestDirectory = nil
        #expect(l.locate(name: "foo", version: "1.2.3") == .init(path: work.path("vendor/foo-1.2.3"), source: .vendor))
        l.vendorDirectories = [work.path("vendor3"), work.path("vendor2")]
        #expect(l.locate(name: "foo", version: "1.2.3") == .init(path: work.path("vendor2/foo"), source: .vendor))
        l.vendorDirectories = [work.path("vendor3")]
        #expect(l.locate(name: "foo", version: "1.2.3") ==
            .init(path: work.path("cargo/registry/src/index-a/foo-1.2.3"), source: .cargoRegistry))
        l.cargoHome = work.path("nowhere")
        #expect(l.locate(name: "foo", version: "1.2.3") == .init(path: work.path("debian/foo-1.2.3"), source: .debian))
        #expect(l.locate(name: "bar", version: "1.0.0") == nil)  // Debian has 1.0.1 only
        #expect(l.locate(name: "bar", version: "1.0.1")?.source == .debian)
        #expect(l.locate(name: "baz", version: "2.0.0") == nil)
        #expect(l.locate(name: "../debian/foo", version: "1.2.3") == nil)
        #expect(l.locate(name: "foo", version: "") == nil)
    }
}
