import Foundation
@testable import NerqAdvisories
import NerqCore
import NerqSemver
import NerqTestSupport
import NerqTOML
import Testing

/// RustSec's OSV export (`../shared/data/advisory-db-osv`, branch `osv`) against the advisory-db it
/// was exported from (`../shared/data/advisory-db`): the same matches on every shared lockfile,
/// apart from what the export itself carries (listed in `exportDifferences`, documented in
/// docs/data-sources.md); and the merge of the two (or of the advisory-db with OSV.dev-style
/// records) keeps the advisory-db's matches exactly, one finding per vulnerability.
@Suite struct OSVExportTests {
    static let rustsec: AdvisoryDatabase? = {
        guard let p = SharedData.path("advisory-db") else { return nil }
        return try? AdvisoryDatabase.load(path: p)
    }()

    static let export: AdvisoryDatabase? = {
        guard let p = SharedData.path("advisory-db-osv") else { return nil }
        return try? AdvisoryDatabase.load(path: p)
    }()

    func databases(_ test: String) -> (AdvisoryDatabase, AdvisoryDatabase)? {
        guard let a = required(OSVExportTests.rustsec, "\(test): the advisory-db snapshot, loaded"),
              let b = required(OSVExportTests.export, "\(test): its OSV export, loaded") else { return nil }
        return (a, b)
    }

    struct Hit: Hashable, Comparable, CustomStringConvertible {
        var id: String, package: String, version: String
        var description: String { "\(id) \(package)@\(version)" }
        static func < (a: Hit, b: Hit) -> Bool { a.description < b.description }
    }

    func hits(_ db: AdvisoryDatabase, _ packages: [(name: String, version: String)]) -> Set<Hit> {
        var out = Set<Hit>()
        for p in packages {
            guard let v = try? Version.parse(p.version) else { continue }
            for r in db.matching(package: p.name, version: v) { out.insert(Hit(id: r.id, package: p.name, version: p.version)) }
        }
        return out
    }

    func lockfilePackages(_ name: String) throws -> [(name: String, version: String)] {
        guard let path = SharedData.path("lockfiles/\(name).Cargo.lock"), let text = readText(path) else { return [] }
        let doc = try TOML.parse(text)
        var out: [(name: String, version: String)] = []
        for p in doc.tables("package") ?? [] {
            guard let n = p.string("name"), let v = p.string("version"), RustSecScope.packageSourceMatches(p.string("source")) else { continue }
            out.append((n, v))
        }
        return out
    }

    /// The matches the export gives that the advisory-db does not, and the reverse, for ids that
    /// are expected to differ: the orphan RUSTSEC-2025-0000 (its advisory lives on as
    /// RUSTSEC-2025-0065; the export workflow never deletes a file) is the only record the export
    /// adds; the export has no `rust/` advisories, which never match a Cargo.lock package anyway.
    static let exportOnlyIds: Set<String> = ["RUSTSEC-2025-0000"]

    @Test func sameMatchesOnEveryLockfile() throws {
        guard let (rustsec, export) = databases("sameMatchesOnEveryLockfile") else { return }
        var total = 0
        for name in SharedData.lockfiles {
            let packages = try lockfilePackages(name)
            #expect(!packages.isEmpty, "\(name)")
            let a = hits(rustsec, packages)
            let b = hits(export, packages).filter { !OSVExportTests.exportOnlyIds.contains($0.id) }
            #expect(a == b, "\(name): only in advisory-db \(a.subtracting(b).sorted()), only in the OSV export \(b.subtracting(a).sorted())")
            total += a.count
        }
        #expect(total > 100)
    }

    /// Beyond the lockfiles: every crate either database names, at the versions its ranges turn on
    /// (each bound, and just around it). Same ids, except the documented differences.
    @Test func sameMatchesForEveryAdvisedCrate() throws {
        guard let (rustsec, export) = databases("sameMatchesForEveryAdvisedCrate") else { return }
        var names = Set(rustsec.advisories.filter { $0.collection == .crates }.map(\.package))
        names.formUnion(export.advisories.map(\.package))
        var compared = 0
        for name in names.sorted() {
            var probes = ["0.0.0", "0.1.0", "1.0.0", "99.0.0"]
            for r in rustsec.advisories(forPackage: name) + export.advisories(forPackage: name) {
                for req in r.patched + r.unaffected {
                    for part in req.split(whereSeparator: { " ,<>=^~".contains($0) }) where (try? Version.parse(String(part))) != nil {
                        probes.append(String(part))
                        if let v = try? Version.parse(String(part)) {
                            probes.append("\(v.major).\(v.minor).\(v.patch == 0 ? 0 : v.patch - 1)")
                            probes.append("\(v.major).\(v.minor).\(v.patch + 1)")
                        }
                    }
                }
            }
            let packages = Set(probes).sorted().map { (name: name, version: $0) }
            let a = hits(rustsec, packages)
            let b = hits(export, packages).filter { !OSVExportTests.exportOnlyIds.contains($0.id) }
            #expect(a == b, "\(name): only in advisory-db \(a.subtracting(b).sorted()), only in the OSV export \(b.subtracting(a).sorted())")
            compared += packages.count
        }
        #expect(compared > 5000)
    }

    @Test func exportCarriesTheOrphanAndNoToolchainAdvisories() throws {
        guard let (rustsec, export) = databases("exportCarriesTheOrphanAndNoToolchainAdvisories") else { return }
        let ids = Set(rustsec.advisories.filter { $0.collection == .crates }.map(\.id))
        let exported = Set(export.advisories.map(\.id))
        #expect(exported.subtracting(ids) == OSVExportTests.exportOnlyIds)
        #expect(ids.subtracting(exported).isEmpty)
        #expect(!rustsec.advisories.filter { $0.collection == .rust }.isEmpty)
        #expect(export.advisories.allSatisfy { $0.collection == .crates })
        // The orphan's twin by alias.
        let orphan = try #require(export.advisories.first { $0.id == "RUSTSEC-2025-0000" })
        let twin = try #require(rustsec.advisories.first { $0.id == "RUSTSEC-2025-0065" })
        #expect(!Set(orphan.aliases).isDisjoint(with: twin.aliases))
    }

    /// The advisory-db merged with its own export is the advisory-db: every export record is a
    /// twin (the orphan by its aliases), nothing is added, matching is unchanged.
    @Test func mergingTheExportChangesNothing() throws {
        guard let (rustsec, export) = databases("mergingTheExportChangesNothing") else { return }
        let (merged, summary) = AdvisoryDatabase.merged(rustsec: rustsec, osv: [export])
        #expect(summary.added == 0 && summary.mergedIntoRustSec == export.advisories.count)
        #expect(merged.advisories.count == rustsec.advisories.count)
        for name in SharedData.lockfiles {
            let packages = try lockfilePackages(name)
            #expect(hits(merged, packages) == hits(rustsec, packages), "\(name)")
        }
        // RUSTSEC-2025-0065 now lists the orphan's id too.
        let twin = try #require(merged.advisories.first { $0.id == "RUSTSEC-2025-0065" })
        #expect(twin.aliases.contains("RUSTSEC-2025-0000"))
        // The export alone: every RUSTSEC id stays a finding of its own (two RustSec advisories
        // may share a CVE, as cargo-audit reports them), the orphan included.
        let (alone, aloneSummary) = AdvisoryDatabase.merged(rustsec: nil, osv: [export])
        #expect(aloneSummary.mergedIntoOSV == 0 && aloneSummary.mergedIntoRustSec == 0 && alone.advisories.count == export.advisories.count)
        for name in SharedData.lockfiles {
            let packages = try lockfilePackages(name)
            #expect(hits(alone, packages).filter { !OSVExportTests.exportOnlyIds.contains($0.id) } == hits(rustsec, packages), "\(name)")
        }
    }

    /// OSV.dev's crates.io export adds GitHub and OpenSSF records: twins fold into RustSec's
    /// advisory (ids listed), the others become findings of their own.
    @Test func githubAndMaliciousRecords() throws {
        guard let (rustsec, _) = databases("githubAndMaliciousRecords") else { return }
        let fixtures = repositoryRoot.appendingPathComponent("Tests/fixtures/fetch/osv").path
        let osv = try AdvisoryDatabase.load(path: fixtures)
        #expect(osv.errors.isEmpty, "\(osv.errors)")
        let (merged, summary) = AdvisoryDatabase.merged(rustsec: rustsec, osv: [osv])
        // GHSA-wfq4 (twin of RUSTSEC-2026-0159), MAL-2022-1 (RUSTSEC-2022-0042), MAL-2025-49350
        // (RUSTSEC-2025-0154) by their ids; MAL-2026-14336 (no alias) as the same malicious release
        // of arrayref as RUSTSEC-2026-0260. Only GHSA-7gcf is new.
        #expect(summary.mergedIntoRustSec == 4 && summary.added == 1, "\(summary)")
        #expect(merged.advisories.count == rustsec.advisories.count + 1)
        let matrix = try #require(merged.advisories.first { $0.id == "RUSTSEC-2026-0159" })
        #expect(matrix.aliases.contains("GHSA-wfq4-36m3-9g42") && matrix.format == .rustsec)
        // GitHub-only: serde_with < 3.21.0.
        let serdeWith = merged.matching(package: "serde_with", version: try Version.parse("3.20.0"))
        #expect(serdeWith.map(\.id) == ["GHSA-7gcf-g7xr-8hxj"])
        #expect(merged.matching(package: "serde_with", version: try Version.parse("3.21.0")).isEmpty)
        #expect(serdeWith.first?.severity != nil)
        // A compromised release of a legitimate crate: one malicious finding, both ids.
        let arrayref = merged.matching(package: "arrayref", version: try Version.parse("0.3.10"))
        #expect(arrayref.map(\.id) == ["RUSTSEC-2026-0260"] && arrayref.first?.kind == .malicious)
        #expect(arrayref.first?.aliases.contains("MAL-2026-14336") == true)
        #expect(merged.matching(package: "arrayref", version: try Version.parse("0.3.9")).isEmpty)
        // Without RustSec's advisory, OpenSSF's record is the finding, for that release only.
        let (alone, _) = AdvisoryDatabase.merged(rustsec: nil, osv: [osv])
        #expect(alone.matching(package: "arrayref", version: try Version.parse("0.3.10")).map(\.id) == ["MAL-2026-14336"])
        #expect(alone.matching(package: "arrayref", version: try Version.parse("0.3.11")).isEmpty)
        // RustSec's advisories that OpenSSF lists as malicious are malicious findings.
        let rustdecimal = merged.matching(package: "rustdecimal", version: try Version.parse("1.23.1"))
        #expect(rustdecimal.map(\.id) == ["RUSTSEC-2022-0042"] && rustdecimal.first?.kind == .malicious)
        #expect(rustdecimal.first?.aliases.contains("MAL-2022-1") == true)
        // Ignoring any id of a vulnerability ignores the one finding.
        #expect(merged.matching(package: "matrix-sdk-crypto", version: try Version.parse("0.13.0"), ignore: ["GHSA-wfq4-36m3-9g42"]).isEmpty)
        // Matching of RustSec's own advisories is unchanged on every lockfile; what is added is
        // GitHub's serde_with advisory (tauri's lockfile has serde_with 3.10.0).
        var added = Set<Hit>()
        for name in SharedData.lockfiles {
            let packages = try lockfilePackages(name)
            let all = hits(merged, packages)
            #expect(all.filter { $0.id.hasPrefix("RUSTSEC-") } == hits(rustsec, packages), "\(name)")
            added.formUnion(all.filter { !$0.id.hasPrefix("RUSTSEC-") })
        }
        #expect(Set(added.map(\.id)) == ["GHSA-7gcf-g7xr-8hxj"], "\(added.sorted())")
    }

    @Test func osvOnlyGroupsUnionTheirVersions() throws {
        func record(_ id: String, aliases: [String], versions: [String]) -> String {
            let list = versions.map { "\"\($0)\"" }.joined(separator: ",")
            let alias = aliases.map { "\"\($0)\"" }.joined(separator: ",")
            return "{\"id\":\"\(id)\",\"aliases\":[\(alias)],\"affected\":[{\"package\":{\"ecosystem\":\"crates.io\",\"name\":\"demo\"},\"versions\":[\(list)]}]}"
        }
        let text = "[" + [record("MAL-2099-1", aliases: ["GHSA-aaaa-bbbb-cccc"], versions: ["1.0.0"]),
                          record("GHSA-aaaa-bbbb-cccc", aliases: [], versions: ["1.0.1"]),
                          record("GHSA-zzzz-yyyy-xxxx", aliases: [], versions: ["2.0.0"])].joined(separator: ",") + "]"
        let (records, errors) = AdvisoryDatabase.parseOSV(text)
        #expect(errors.isEmpty)
        let (merged, summary) = AdvisoryDatabase.merged(rustsec: nil, osv: [AdvisoryDatabase(path: "osv", advisories: records)])
        #expect(summary.added == 2 && summary.mergedIntoOSV == 1)
        let one = merged.matching(package: "demo", version: try Version.parse("1.0.0"))
        #expect(one.map(\.id) == ["GHSA-aaaa-bbbb-cccc"] && one.first?.aliases == ["MAL-2099-1"] && one.first?.kind == .malicious)
        #expect(merged.matching(package: "demo", version: try Version.parse("1.0.1")).map(\.id) == ["GHSA-aaaa-bbbb-cccc"])
        #expect(merged.matching(package: "demo", version: try Version.parse("2.0.0")).map(\.id) == ["GHSA-zzzz-yyyy-xxxx"])
    }
}
