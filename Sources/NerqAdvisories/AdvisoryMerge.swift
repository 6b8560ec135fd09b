// One finding per vulnerability across sources: the RustSec advisory-db merged with OSV records
// (RustSec's own OSV export, OSV.dev's crates.io export with GitHub advisories and OpenSSF
// malicious packages) by id and aliases.
//
// Records are linked when one's id or alias is another's id or alias (transitively: GHSA-x with
// alias CVE-y and RUSTSEC-z with alias GHSA-x are one vulnerability). Then, per linked group and
// package, the group's RustSec advisories lead:
//   - the advisory-db's own advisories when it has some for that package, kept exactly as read:
//     they decide which versions are affected, so matching stays equal to cargo-audit's;
//   - else the RUSTSEC- records of the OSV data (RustSec's export), one per id;
//   - else one record speaks for the group: the most authoritative id (GHSA-, then CVE-, then
//     MAL-, then any other; ties by id), any version one of them lists as affected is affected,
//     and it is malicious when any of them is.
// Two different RUSTSEC ids are never folded into one, even when they share a CVE (RustSec and
// cargo-audit report both: wasmtime's RUSTSEC-2022-0096 and -0101 share CVE-2022-23636). The
// other records of the group are dropped and their ids added to the aliases of the leads they
// name (all leads when they name none directly), so `ignore` by any id still works.
//
// Malicious records that cite nothing (OpenSSF's MAL-2026-14336 for arrayref 0.3.10 has no alias;
// RustSec's RUSTSEC-2026-0260 describes the same compromised release) fold into the crate's
// malicious RustSec finding when that already covers every version they list: a malicious
// release is one incident, whoever reported it.

import NerqCore
import NerqIO
import NerqSemver

/// What a merge did, for the assessment's `database` block.
public struct AdvisoryMergeSummary: Sendable, Equatable {
    /// OSV records read (one per record and crates.io package).
    public var osvRecords = 0
    /// OSV records folded into a RustSec advisory (of the advisory-db or of RustSec's export).
    public var mergedIntoRustSec = 0
    /// OSV records folded into another OSV record of the same vulnerability.
    public var mergedIntoOSV = 0
    /// Findings only the OSV data has (GitHub-only advisories, malicious packages, ...).
    public var added = 0

    public init() {}
}

extension AdvisoryDatabase {
    /// `rustsec` (an advisory-db, or nil) merged with the OSV databases in `osv`. The result's
    /// `path` is the advisory-db's (else the first OSV database's); errors of the OSV databases are
    /// listed with their database's path in front of the file.
    public static func merged(rustsec: AdvisoryDatabase?, osv: [AdvisoryDatabase]) -> (database: AdvisoryDatabase, summary: AdvisoryMergeSummary) {
        var records: [AdvisoryRecord] = rustsec?.advisories ?? []
        let rustsecCount = records.count
        var errors = rustsec?.errors ?? []
        var summary = AdvisoryMergeSummary()
        for db in osv {
            records += db.advisories
            summary.osvRecords += db.advisories.count
            errors += db.errors.map { e in AdvisoryLoadError(file: Files.join(db.path, e.file), line: e.line, message: e.message) }
        }
        var kept: [AdvisoryRecord] = []
        var keptFromRustSec: [Bool] = []
        for members in groups(records) {
            let fromAdvisoryDB = members.filter { $0 < rustsecCount }
            var leads = fromAdvisoryDB
            if leads.isEmpty {
                // RustSec's export: one lead per RUSTSEC id (the first copy of an id read twice).
                var ids = Set<String>()
                leads = members.filter { records[$0].id.hasPrefix("RUSTSEC-") && ids.insert(records[$0].id).inserted }
            }
            let rest = members.filter { !leads.contains($0) }
            if !leads.isEmpty {
                summary.mergedIntoRustSec += rest.filter { $0 >= rustsecCount }.count
                var out = leads.map { records[$0] }
                for o in rest {
                    let other = records[o]
                    let named = out.indices.filter { !identifiers(out[$0]).isDisjoint(with: identifiers(other)) }
                    for k in named.isEmpty ? Array(out.indices) : named {
                        out[k].aliases = extended(out[k].aliases, with: [other.id] + other.aliases, except: out[k].id)
                    }
                }
                for r in out {
                    kept.append(r)
                    keptFromRustSec.append(true)
                }
                continue
            }
            let live = members.filter { records[$0].withdrawn == nil }
            let candidates = live.isEmpty ? members : live
            guard let lead = candidates.min(by: { authorityLess(records[$0].id, records[$1].id) }) else { continue }
            var r = records[lead]
            if members.count > 1 {
                r.aliases = extended(r.aliases, with: members.flatMap { [records[$0].id] + records[$0].aliases }, except: r.id)
                var entries: [OSVAffectedVersions] = []
                for i in candidates {
                    if case .osv(let e) = records[i].versionMatcher { entries += e }
                }
                if case .osv = r.versionMatcher { r.versionMatcher = .osv(entries) }
                if candidates.contains(where: { records[$0].kind == .malicious }) { r.kind = .malicious }
                summary.mergedIntoOSV += members.count - 1
            }
            kept.append(r)
            keptFromRustSec.append(false)
        }
        summary.mergedIntoRustSec += foldMaliciousReleases(&kept, fromRustSec: &keptFromRustSec)
        summary.added = keptFromRustSec.filter { !$0 }.count
        let path = rustsec?.path ?? osv.first?.path ?? ""
        let unknown = kept.reduce(0) { $0 + $1.unknownKeys.count }
        let db = AdvisoryDatabase(path: path, advisories: kept, errors: errors, unknownKeyCount: unknown,
                                  skippedRecords: (rustsec?.skippedRecords ?? 0) + osv.reduce(0) { $0 + $1.skippedRecords },
                                  fileCount: (rustsec?.fileCount ?? 0) + osv.reduce(0) { $0 + $1.fileCount })
        return (db, summary)
    }

    /// Indices of `records` linked through their ids and aliases, grouped per (link, collection,
    /// package), in record order (deterministic: the inputs are sorted).
    static func groups(_ records: [AdvisoryRecord]) -> [[Int]] {
        var parent = Array(records.indices)
        func find(_ i: Int) -> Int {
            var r = i
            while parent[r] != r { r = parent[r] }
            var k = i
            while parent[k] != r {
                let next = parent[k]
                parent[k] = r
                k = next
            }
            return r
        }
        var owner: [String: Int] = [:]
        for (i, r) in records.enumerated() {
            for identifier in [r.id] + r.aliases where !identifier.isEmpty {
                if let j = owner[identifier] {
                    let a = find(i), b = find(j)
                    if a != b { parent[max(a, b)] = min(a, b) }
                } else {
                    owner[identifier] = i
                }
            }
        }
        var index: [GroupKey: Int] = [:]
        var out: [[Int]] = []
        for i in records.indices {
            let key = GroupKey(root: find(i), collection: records[i].collection, package: records[i].package)
            if let g = index[key] {
                out[g].append(i)
            } else {
                index[key] = out.count
                out.append([i])
            }
        }
        return out
    }

    struct GroupKey: Hashable {
        var root: Int
        var collection: AdvisoryRecord.Collection
        var package: String
    }

    static func identifiers(_ r: AdvisoryRecord) -> Set<String> { Set([r.id] + r.aliases) }

    /// Folds OSV-only malicious findings that list explicit versions, all of them affected by a
    /// malicious RustSec finding for the same crate, into that finding. Returns how many.
    static func foldMaliciousReleases(_ kept: inout [AdvisoryRecord], fromRustSec: inout [Bool]) -> Int {
        var maliciousByPackage: [String: [Int]] = [:]
        for (j, r) in kept.enumerated() where fromRustSec[j] && r.kind == .malicious && r.withdrawn == nil && r.collection == .crates {
            maliciousByPackage[r.package, default: []].append(j)
        }
        var drop = Set<Int>()
        for (k, r) in kept.enumerated() where !fromRustSec[k] && r.kind == .malicious && r.withdrawn == nil {
            guard let targets = maliciousByPackage[r.package], case .osv(let entries) = r.versionMatcher, !entries.isEmpty,
                  entries.allSatisfy({ $0.ranges.isEmpty && !$0.versions.isEmpty }) else { continue }
            let versions = entries.flatMap(\.versions)
            guard let target = targets.first(where: { j in versions.allSatisfy { kept[j].affects($0) } }) else { continue }
            kept[target].aliases = extended(kept[target].aliases, with: [r.id] + r.aliases, except: kept[target].id)
            drop.insert(k)
        }
        guard !drop.isEmpty else { return 0 }
        kept = kept.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        fromRustSec = fromRustSec.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        return drop.count
    }

    /// `aliases` with every identifier of `ids` it lacks (other than `except`), the new ones sorted.
    static func extended(_ aliases: [String], with ids: [String], except: String) -> [String] {
        var seen = Set(aliases)
        seen.insert(except)
        var added: [String] = []
        for id in ids where !id.isEmpty && seen.insert(id).inserted { added.append(id) }
        return aliases + added.sorted { byteLess($0, $1) }
    }

    /// GHSA- before CVE- before MAL- before anything else (RUSTSEC- first, were one ever to lead
    /// here); then by id.
    static func authorityLess(_ a: String, _ b: String) -> Bool {
        func rank(_ id: String) -> Int {
            for (k, prefix) in ["RUSTSEC-", "GHSA-", "CVE-", "MAL-"].enumerated() where id.hasPrefix(prefix) { return k }
            return 4
        }
        let ra = rank(a), rb = rank(b)
        return ra != rb ? ra < rb : byteLess(a, b)
    }
}
