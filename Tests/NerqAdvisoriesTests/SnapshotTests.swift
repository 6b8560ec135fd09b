import Foundation
import NerqAdvisories
import NerqCore
import NerqTOML
import NerqTestSupport
import Testing
import NerqJSON
import NerqSemver
import NerqCVSS

/// The real advisory-db snapshot (shared/data/advisory-db, rustsec/advisory-db bf5c0d2) and
/// cargo-audit 0.22.2's recorded results on 8 lockfiles (shared/data/lockfiles/expected).
@Suite(.serialized) struct SnapshotTests {
    static let loaded: Result<AdvisoryDatabase, NerqError>? = {
        guard let path = SharedData.directory.map({ $0 + "/advisory-db" }), FileManager.default.fileExists(atPath: path) else {
            return nil
        }
        do throws(NerqError) {
            return .success(try AdvisoryDatabase.load(path: path))
        } catch {
            return .failure(error)
        }
    }()

    func database(_ test: String) -> AdvisoryDatabase? {
        guard let loaded = required(SnapshotTests.loaded, "shared data advisory-db (\(test))") else { return nil }
        switch loaded {
        case .success(let db): return db
        case .failure(let e):
            Issue.record("load failed: \(e)")
            return nil
        }
    }

    func record(_ db: AdvisoryDatabase, _ id: String) -> AdvisoryRecord? {
        let r = db.advisories.first { $0.id == id }
        if r == nil { Issue.record("\(id) not loaded") }
        return r
    }

    @Test func fullSnapshotLoads() {
        guard let db = database("fullSnapshotLoads") else { return }
        #expect(db.advisories.count == 1225)
        #expect(db.errors.isEmpty, "errors: \(db.errors.prefix(5))")
        #expect(db.fileCount == 1225)
        #expect(db.withdrawnCount == 13)
        #expect(db.advisories.filter { $0.collection == .rust }.count == 20)
        #expect(db.advisories.filter { $0.collection == .crates }.count == 1205)
        #expect(db.unknownKeyCount == 0)
        #expect(db.newestDate == "2026-08-20")
        // Sorted by id, ids unique in this snapshot.
        let ids = db.advisories.map(\.id)
        #expect(ids == ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(Set(ids).count == ids.count)
        // Every file path is relative and names the record's collection.
        for r in db.advisories {
            #expect(r.file.hasPrefix(r.collection == .crates ? "crates/\(r.package)/" : "rust/"), "\(r.file)")
        }
        // Kinds as the informational values say (`grep -h '^informational' -r crates rust | sort | uniq -c`:
        // notice 6, unmaintained 267, unsound 202 + 1 with trailing spaces).
        #expect(db.advisories.filter { $0.informational != nil }.count == 476)
        #expect(db.advisories.filter { $0.kind == .notice }.count == 6)
        #expect(db.advisories.filter { $0.kind == .unmaintained }.count == 267)
        #expect(db.advisories.filter { $0.kind == .unsound }.count == 203)
        // Malicious crates: RustSec's `malicious` category (`grep -l 'categories = \[.*"malicious"' -r crates`: 73).
        #expect(db.advisories.filter { $0.kind == .malicious }.count == 73)
        #expect(db.advisories.filter { $0.kind == .vulnerability }.count == 1225 - 476 - 73)
        #expect(db.advisories.filter { $0.cvss != nil }.count == 420)
        #expect(db.advisories.filter { $0.cvss != nil && $0.cvssScore == nil }.isEmpty)
        #expect(db.advisories.filter { $0.license == "CC-BY-4.0" }.count == 21)
        #expect(db.advisories.filter { $0.expectDeleted }.count == 74)
    }

    @Test func loadIsDeterministic() throws {
        guard let db = database("loadIsDeterministic") else { return }
        let again = try AdvisoryDatabase.load(path: db.path)
        #expect(again.advisories == db.advisories)
        #expect(again.errors == db.errors)
    }

    @Test func cvss40Advisory() {
        guard let db = database("cvss40Advisory"), let r = record(db, "RUSTSEC-2026-0207") else { return }
        #expect(r.package == "libcrux-sha3")
        #expect(r.collection == .crates)
        #expect(r.file == "crates/libcrux-sha3/RUSTSEC-2026-0207.md")
        #expect(r.date == "2026-04-22")
        #expect(r.url == "https://github.com/celabshq/libcrux/pull/1389")
        #expect(r.cvss == "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N")
        #expect(r.cvssScore == 8.2)   // Python `cvss` package: CVSS4(...).base_score == 8.2
        #expect(r.severity == .high)
        #expect(r.kind == .vulnerability)
        #expect(r.informational == nil)
        #expect(r.title == "Incorrect Output of Incremental Portable SHAKE API on Multiple Squeeze Calls")
        #expect(r.description?.hasPrefix("The incremental squeeze functions in the portable SHAKE XOF API") == true)
        // `[affected.functions]` written before `[versions]`, document order kept.
        #expect(r.affectedFunctions.map(\.path) == [
            "libcrux_sha3::portable::incremental::Shake128Xof::squeeze",
            "libcrux_sha3::portable::incremental::Shake256Xof::squeeze",
        ])
        #expect(r.affectedFunctions.map(\.versions) == [["<= 0.0.9"], ["<= 0.0.9"]])
        #expect(r.patched == [">= 0.0.10 "])   // as written, trailing space included
        #expect(r.affects(ver("0.0.9")))
        #expect(!r.affects(ver("0.0.10")))
        let s = r.signal
        #expect(s.id == r.id && s.kind == .vulnerability && s.severity == .high && s.cvssScore == 8.2)
        #expect(s.patched == [">= 0.0.10 "] && s.title == r.title && s.date == "2026-04-22")
    }

    @Test func informationalUnsoundWithFunctions() {
        guard let db = database("informationalUnsound"), let r = record(db, "RUSTSEC-2026-0198") else { return }
        #expect(r.package == "error-stack")
        #expect(r.informational == "unsound")
        #expect(r.kind == .unsound)
        #expect(r.cargoAuditReport == .warning(kind: "unsound"))
        #expect(r.references == ["https://github.com/hashintel/hash/pull/8946"])
        #expect(r.categories == ["memory-corruption"])
        #expect(r.keywords == ["aliasing"])
        #expect(r.affectedFunctions.count == 1)
        #expect(r.affectedFunctions.first?.path == "error_stack::Report::frames_mut")
        #expect(r.affectedFunctions.first?.versions == ["*"])
        #expect(r.title == "`Report::frames_mut` allows aliased mutable references")
        #expect(r.cvss == nil && r.severity == nil)
    }

    @Test func osAndUnaffected() {
        guard let db = database("osAndUnaffected"), let r = record(db, "RUSTSEC-2021-0119") else { return }
        #expect(r.package == "nix")
        #expect(r.aliases == ["CVE-2021-45707", "GHSA-76w9-p8mg-j927", "GHSA-wgrg-5h56-jg27"])
        #expect(r.patched == ["^0.20.2", "^0.21.2", "^0.22.2", ">= 0.23.0"])
        #expect(r.unaffected == ["< 0.16.0"])
        #expect(r.os == ["linux", "freebsd", "android", "netbsd", "dragonfly", "openbsd", "fuchsia"])
        #expect(r.arch == [])
        #expect(r.affectedFunctions.first?.path == "nix::unistd::getgrouplist")
        let v = { (s: String) in (try? Version.parse(s)) ?? Version(0, 0, 0) }
        #expect(!r.affects(v("0.15.0")))          // unaffected
        #expect(r.affects(v("0.16.0")))
        #expect(r.affects(v("0.20.1")))
        #expect(!r.affects(v("0.20.2")))          // ^0.20.2
        #expect(r.affects(v("0.21.0")))
        #expect(!r.affects(v("0.23.0")))
        #expect(r.appliesTo(os: nil, arch: nil))
        #expect(r.appliesTo(os: "linux", arch: "x86_64"))
        #expect(!r.appliesTo(os: "windows", arch: nil))
        #expect(db.matching(package: "nix", version: v("0.20.0")).map(\.id).contains("RUSTSEC-2021-0119"))
        #expect(!db.matching(package: "nix", version: v("0.20.0"), os: "windows").map(\.id).contains("RUSTSEC-2021-0119"))
        #expect(!db.matching(package: "nix", version: v("0.20.0"), ignore: ["CVE-2021-45707"]).map(\.id).contains("RUSTSEC-2021-0119"))
        #expect(!db.matching(package: "nix", version: v("0.20.0"), ignore: ["RUSTSEC-2021-0119"]).map(\.id).contains("RUSTSEC-2021-0119"))
    }

    @Test func cvss31Advisory() {
        guard let db = database("cvss31Advisory"), let r = record(db, "RUSTSEC-2021-0058") else { return }
        #expect(r.package == "openssl-src")
        #expect(r.cvssScore == 5.9)   // Python `cvss` package: CVSS3(...).scores()[0] == 5.9
        #expect(r.severity == .medium)
        #expect(r.patched == [">= 111.14"])
        #expect(r.title == "Null pointer deref in `X509_issuer_and_serial_hash()`")
    }

    @Test func rustCollectionAdvisory() {
        guard let db = database("rustCollectionAdvisory"), let r = record(db, "CVE-2015-20001") else { return }
        #expect(r.collection == .rust)
        #expect(r.package == "std")
        #expect(r.file == "rust/std/CVE-2015-20001.md")
        #expect(r.date == "2015-05-27")
        #expect(r.categories == ["memory-corruption"])
        #expect(r.patched == [">= 1.2.0"])
        #expect(r.unaffected == ["< 1.0.0"])
        #expect(r.title == "Panic safety violation in BinaryHeap")
        #expect(r.affects(ver("1.1.0")))
        #expect(r.cargoAuditReport == nil)   // never reported against Cargo.lock packages
        // Only the crates collection is queried.
        #expect(db.advisories(forPackage: "std").isEmpty)
        #expect(db.matching(package: "std", version: ver("1.1.0")).isEmpty)
    }

    @Test func withdrawnAdvisoriesNeverMatch() {
        guard let db = database("withdrawn") else { return }
        let withdrawn = db.advisories.filter { $0.withdrawn != nil }
        #expect(withdrawn.count == 13)
        for r in withdrawn {
            #expect(!r.affects(ver("0.0.1")))
            #expect(!r.affects(ver("999.0.0")))
            #expect(db.matching(package: r.package, version: ver("0.0.1")).allSatisfy { $0.id != r.id })
        }
        // Still listed per package.
        if let dirs = withdrawn.first(where: { $0.id == "RUSTSEC-2020-0053" }) {
            #expect(dirs.package == "dirs")
            #expect(db.advisories(forPackage: "dirs").map(\.id).contains("RUSTSEC-2020-0053"))
        } else {
            Issue.record("RUSTSEC-2020-0053 not withdrawn")
        }
    }

    /// Registry packages of a Cargo.lock (any format version), via NerqTOML.
    func registryPackages(_ path: String) throws -> [(name: String, version: String)] {
        guard let text = readText(path) else { throw CocoaError(.fileReadUnknown) }
        let doc = try TOML.parse(text)
        var out: [(name: String, version: String)] = []
        for p in doc.tables("package") ?? [] {
            guard let name = p.string("name"), let version = p.string("version") else { continue }
            guard RustSecScope.packageSourceMatches(p.string("source")) else { continue }
            out.append((name, version))
        }
        return out
    }

    struct Hit: Hashable, CustomStringConvertible {
        var id: String, package: String, version: String, kind: String
        var description: String { "\(id) \(package)@\(version) (\(kind))" }
    }

    @Test func lockfilesMatchCargoAudit() throws {
        guard let db = database("lockfilesMatchCargoAudit"),
              let dir = sharedData("lockfiles", for: "lockfilesMatchCargoAudit") else { return }
        guard let summary = readJSON(dir + "/expected/SUMMARY.json") as? [String: Any] else {
            Issue.record("cannot read expected/SUMMARY.json")
            return
        }
        let names = summary.keys.sorted()
        #expect(names.count == 8)
        var compared = 0
        for name in names {
            guard let expected = readJSON(dir + "/expected/\(name).cargo-audit.json") as? [String: Any] else {
                Issue.record("cannot read expected/\(name).cargo-audit.json")
                continue
            }
            // cargo-audit's hits.
            var want = Set<Hit>()
            var wantAdvisories: [String: [String: Any]] = [:]
            let vulns = (expected["vulnerabilities"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
            var entries: [(kind: String, entry: [String: Any])] = vulns.map { ("vulnerability", $0) }
            for (kind, list) in expected["warnings"] as? [String: Any] ?? [:] {
                for w in list as? [[String: Any]] ?? [] { entries.append((kind, w)) }
            }
            for (kind, e) in entries {
                guard let adv = e["advisory"] as? [String: Any], let id = adv["id"] as? String,
                      let pkg = e["package"] as? [String: Any], let pname = pkg["name"] as? String,
                      let pversion = pkg["version"] as? String else { continue }   // yanked: no advisory
                want.insert(Hit(id: id, package: pname, version: pversion, kind: kind))
                wantAdvisories[id] = adv
                wantAdvisories[id]?["versions"] = e["versions"]
                wantAdvisories[id]?["affected"] = e["affected"]
            }
            // Ours.
            var got = Set<Hit>()
            for p in try registryPackages(dir + "/\(name).Cargo.lock") {
                guard let v = try? Version.parse(p.version) else {
                    Issue.record("\(name): bad version \(p.version)")
                    continue
                }
                for r in db.matching(package: p.name, version: v) {
                    switch r.cargoAuditReport {
                    case .vulnerability?: got.insert(Hit(id: r.id, package: p.name, version: p.version, kind: "vulnerability"))
                    case .warning(let kind)?: got.insert(Hit(id: r.id, package: p.name, version: p.version, kind: kind))
                    case nil: break
                    }
                }
            }
            #expect(got == want, "\(name): missing \(want.subtracting(got).sorted { $0.description < $1.description }), extra \(got.subtracting(want).sorted { $0.description < $1.description })")
            if let s = summary[name] as? [String: Any], let hits = s["hits"] as? Int {
                #expect(got.count == hits, "\(name)")
            }
            // Every reported advisory's fields as cargo-audit serialized them.
            for (id, adv) in wantAdvisories.sorted(by: { $0.key < $1.key }) {
                guard let r = db.advisories.first(where: { $0.id == id }) else {
                    Issue.record("\(id) missing")
                    continue
                }
                compareFields(r, adv)
                compared += 1
            }
        }
        #expect(compared >= 150)
    }

    /// Compares a record with cargo-audit's JSON `advisory` object (plus `versions`, `affected`).
    func compareFields(_ r: AdvisoryRecord, _ a: [String: Any]) {
        func str(_ k: String) -> String? { a[k] as? String }
        func list(_ k: String) -> [String] { a[k] as? [String] ?? [] }
        let id = r.id
        #expect(r.package == str("package"), "\(id) package")
        #expect(r.title == str("title"), "\(id) title")
        #expect((r.description ?? "") == (str("description") ?? ""), "\(id) description")
        #expect(r.date == str("date"), "\(id) date")
        #expect(r.aliases == list("aliases"), "\(id) aliases")
        #expect(r.related == list("related"), "\(id) related")
        #expect(r.collection.rawValue == str("collection"), "\(id) collection")
        #expect(r.categories == list("categories"), "\(id) categories")
        #expect(r.keywords == list("keywords"), "\(id) keywords")
        #expect(r.cvss == str("cvss"), "\(id) cvss")
        #expect(r.informational == str("informational"), "\(id) informational")
        #expect(r.references.map(normalizeURL) == list("references").map(normalizeURL), "\(id) references")
        #expect(r.url.map(normalizeURL) == str("url").map(normalizeURL), "\(id) url")
        #expect(r.withdrawn == str("withdrawn"), "\(id) withdrawn")
        #expect((r.license ?? "CC0-1.0") == str("license"), "\(id) license")
        #expect(r.expectDeleted == (a["expect-deleted"] as? Bool ?? false), "\(id) expect-deleted")
        #expect(r.source == str("source"), "\(id) source")
        // Requirements as rustsec prints them (`>=1.2.3`): parse ours and print with the core.
        if let versions = a["versions"] as? [String: Any] {
            let display = { (s: String) in (try? VersionReq.parse(s))?.description ?? "<invalid \(s)>" }
            #expect(r.patched.map(display) == versions["patched"] as? [String] ?? [], "\(id) patched")
            #expect(r.unaffected.map(display) == versions["unaffected"] as? [String] ?? [], "\(id) unaffected")
        }
        if let affected = a["affected"] as? [String: Any] {
            #expect(r.os == affected["os"] as? [String] ?? [], "\(id) os")
            #expect(r.arch == affected["arch"] as? [String] ?? [], "\(id) arch")
            let functions = affected["functions"] as? [String: [String]] ?? [:]
            let display = { (s: String) in (try? VersionReq.parse(s))?.description ?? "<invalid \(s)>" }
            var ours: [String: [String]] = [:]
            for f in r.affectedFunctions { ours[f.path] = f.versions.map(display) }
            #expect(ours == functions, "\(id) functions")
        } else {
            #expect(r.os.isEmpty && r.arch.isEmpty && r.affectedFunctions.isEmpty, "\(id) affected")
        }
    }

    /// The `url` crate normalizes URLs (an empty path becomes `/`); compare modulo that.
    func normalizeURL(_ s: String) -> String {
        s.hasSuffix("/") ? String(s.dropLast()) : s
    }

    @Test func filteredLoadMatchesFullLoad() throws {
        guard let db = database("filteredLoad"), let dir = sharedData("lockfiles", for: "filteredLoad") else { return }
        let packages = try registryPackages(dir + "/deno.Cargo.lock")
        let names = packages.map(\.name)
        let filtered = try AdvisoryDatabase.load(path: db.path, packages: names)
        #expect(filtered.errors.isEmpty)
        let nameSet = Set(names)
        let expected = db.advisories.filter { $0.collection == .crates && nameSet.contains($0.package) }
        #expect(filtered.advisories == expected)
        for p in packages {
            guard let v = try? Version.parse(p.version) else { continue }
            #expect(filtered.matching(package: p.name, version: v) == db.matching(package: p.name, version: v))
        }
    }
}
