// One finding per vulnerability across sources: the RustSec advisory-db merged with OSV records
// (RustSec's own OSV export, OSV.dev's crates.io export with GitHub advisories and OpenSSF
// malicious packages) by id and aliases.
//
// Records are linked when one's id or alias is another's id or alias (transitively: GHSA-x with
// alias CVE-y and RUSTSEC-z with alias GHSA-x are one vulnerability). Then, per linked group and
// package:
//   - if the RustSec advisory-db has an advisory for it, that advisory is kept exactly as read and
//     decides which versions are affected (so matching stays equal to cargo-audit's); the linked
//     OSV records are dropped and their ids added to its aliases;
//   - otherwise the OSV records are one finding: the record with the most authoritative id
//     (RUSTSEC-, then GHSA-, then CVE-, then MAL-, then any other; ties by id) speaks for the group,
//     any version one of them lists as affected is affected, the others' ids become its aliases,
//     and it is malicious when any of them is.
// Every id of the group is listed on the finding that remains, so `ignore` by any of them works.

import NerqCore
import NerqIO

/// What a merge did, for the assessment's `database` block.
public struct AdvisoryMergeSummary: Sendable, Equatable {
    /// OSV records read (one per record and crates.io package).
    public var osvRecords = 0
    /// OSV records that describe a RustSec advisory of the advisory-db (kept as RustSec's).
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
        // Union-find over records, linked through every identifier they carry.
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
        // Groups by (root, collection, package), in record order (deterministic: the inputs are sorted).
        var groupIndex: [GroupKey: Int] = [:]
        var groups: [[Int]] = []
        for i in records.indices {
            let key = GroupKey(root: find(i), collection: records[i].collection, package: records[i].package)
            if let g = groupIndex[key] {
                groups[g].append(i)
            } else {
                groupIndex[key] = groups.count
                groups.append([i])
            }
        }
        var kept: [AdvisoryRecord] = []
        kept.reserveCapacity(groups.count)
        for members in groups {
            let fromRustSec = members.filter { $0 < rustsecCount }
            let fromOSV = members.filter { $0 >= rustsecCount }
            let ids = allIdentifiers(members.map { records[$0] })
            if !fromRustSec.isEmpty {
                summary.mergedIntoRustSec += fromOSV.count
                for i in fromRustSec {
                    var r = records[i]
                    if !fromOSV.isEmpty { r.aliases = extended(r.aliases, with: ids, except: r.id) }
                    kept.append(r)
                }
                continue
            }
            let live = fromOSV.filter { records[$0].withdrawn == nil }
            let candidates = live.isEmpty ? fromOSV : live
            guard let lead = candidates.min(by: { authorityLess(records[$0].id, records[$1].id) }) else { continue }
            var r = records[lead]
            if members.count > 1 {
                r.aliases = extended(r.aliases, with: ids, except: r.id)
                var entries: [OSVAffectedVersions] = []
                for i in candidates {
                    if case .osv(let e) = records[i].versionMatcher { entries += e }
                }
                if case .osv = r.versionMatcher { r.versionMatcher = .osv(entries) }
                if candidates.contains(where: { records[$0].kind == .malicious }) { r.kind = .malicious }
                summary.mergedIntoOSV += members.count - 1
            }
            summary.added += 1
            kept.append(r)
        }
        let path = rustsec?.path ?? osv.first?.path ?? ""
        let unknown = kept.reduce(0) { $0 + $1.unknownKeys.count }
        let db = AdvisoryDatabase(path: path, advisories: kept, errors: errors, unknownKeyCount: unknown,
                                  skippedRecords: (rustsec?.skippedRecords ?? 0) + osv.reduce(0) { $0 + $1.skippedRecords },
                                  fileCount: (rustsec?.fileCount ?? 0) + osv.reduce(0) { $0 + $1.fileCount })
        return (db, summary)
    }

    struct GroupKey: Hashable {
        var root: Int
        var collection: AdvisoryRecord.Collection
        var package: String
    }

    /// Every id and alias of the records, in first-seen order.
    static func allIdentifiers(_ records: [AdvisoryRecord]) -> [String] {
        var out: [String] = []
        for r in records {
            for identifier in [r.id] + r.aliases where !identifier.isEmpty && !out.contains(identifier) { out.append(identifier) }
        }
        return out
    }

    /// `aliases` with every identifier of `ids` it lacks (other than `except`), the new ones sorted.
    static func extended(_ aliases: [String], with ids: [String], except: String) -> [String] {
        let added = ids.filter { $0 != except && !aliases.contains($0) }.sorted { byteLess($0, $1) }
        return aliases + added
    }

    /// RUSTSEC- before GHSA- before CVE- before MAL- before anything else; then by id.
    static func authorityLess(_ a: String, _ b: String) -> Bool {
        func rank(_ id: String) -> Int {
            for (k, prefix) in ["RUSTSEC-", "GHSA-", "CVE-", "MAL-"].enumerated() where id.hasPrefix(prefix) { return k }
            return 4
        }
        let ra = rank(a), rb = rank(b)
        return ra != rb ? ra < rb : byteLess(a, b)
    }
}
