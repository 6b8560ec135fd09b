// Loading an advisory database (RustSec advisory-db directory, OSV directory or OSV file) and
// querying it.
//
// Load: the directory tree is walked once (getdents64); `crates/<crate>/` and `rust/<pkg>/` directories
// and individual files become work items that are read (open/read) and parsed in parallel
// (`parallelMap` on `fileReaderThreads` workers, each taking the next item, results written in
// place: more readers than cores keep reads in flight when the files are not cached), then merged
// and sorted, so the result never depends on scheduling or on hash order.

import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqCore
import NerqIO
import NerqSemver
import NerqThreads

public struct AdvisoryDatabase: Sendable {
    /// The path given to `load`.
    public let path: String
    /// Every advisory loaded (withdrawn ones included), sorted by id (then package, then file).
    public let advisories: [AdvisoryRecord]
    /// Files (or OSV records) that could not be loaded, sorted by file, then line.
    public let errors: [AdvisoryLoadError]
    /// Number of unknown keys tolerated in RustSec front matter (listed per record in `unknownKeys`).
    public let unknownKeyCount: Int
    /// OSV records skipped because no `affected[]` entry is in the crates.io ecosystem.
    public let skippedRecords: Int
    /// Number of files read.
    public let fileCount: Int

    /// crates-collection package name -> indices into `advisories` (ascending, so sorted by id).
    let byPackage: [String: [Int]]

    public init(path: String, advisories: [AdvisoryRecord], errors: [AdvisoryLoadError] = [],
                unknownKeyCount: Int = 0, skippedRecords: Int = 0, fileCount: Int = 0) {
        self.path = path
        // Sort plain keys, not the records, then gather once.
        var sorted: [AdvisoryRecord] = []
        sorted.reserveCapacity(advisories.count)
        for i in AdvisoryDatabase.sortedOrder(advisories) where i >= 0 && i < advisories.count { sorted.append(advisories[i]) }
        self.advisories = sorted
        self.errors = errors.sorted(by: AdvisoryDatabase.errorLess)
        self.unknownKeyCount = unknownKeyCount
        self.skippedRecords = skippedRecords
        self.fileCount = fileCount
        var index: [String: [Int]] = [:]
        for (i, a) in sorted.enumerated() where a.collection == .crates {
            index[a.package, default: []].append(i)
        }
        self.byPackage = index
    }

    /// The most recent advisory `date` (YYYY-MM-DD), a proxy for the database's age.
    public var newestDate: String? {
        var best: String? = nil
        for a in advisories {
            guard let d = a.date else { continue }
            if let b = best, !byteLess(b, d) { continue }
            best = d
        }
        return best
    }

    /// Number of withdrawn advisories.
    public var withdrawnCount: Int { advisories.reduce(0) { $0 + ($1.withdrawn != nil ? 1 : 0) } }

    /// Advisories of the `crates` collection for a package (withdrawn ones included), sorted by id.
    public func advisories(forPackage name: String) -> [AdvisoryRecord] {
        guard let idx = byPackage[name] else { return [] }
        var out: [AdvisoryRecord] = []
        out.reserveCapacity(idx.count)
        for i in idx where i >= 0 && i < advisories.count { out.append(advisories[i]) }
        return out
    }

    /// Advisories that apply to `name@version`: crates collection, not withdrawn, `affects(version)`,
    /// `appliesTo(os:arch:)`, and neither the id nor an alias listed in `ignore`. Informational
    /// advisories are included (see `kind` / `cargoAuditReport`). Sorted by id.
    public func matching(package name: String, version: Version, os: String? = nil, arch: String? = nil,
                         ignore: [String] = []) -> [AdvisoryRecord] {
        matching(package: name, version: version, targetOS: os.map { [$0] } ?? [], targetArch: arch.map { [$0] } ?? [], ignore: ignore)
    }

    /// The same with lists of target platforms (`AdvisoryRecord.appliesTo(os:arch:)`).
    public func matching(package name: String, version: Version, targetOS: [String], targetArch: [String],
                         ignore: [String] = []) -> [AdvisoryRecord] {
        var out: [AdvisoryRecord] = []
        for a in advisories(forPackage: name) {
            guard a.withdrawn == nil, a.affects(version), a.appliesTo(os: targetOS, arch: targetArch) else { continue }
            if ignore.contains(a.id) || a.aliases.contains(where: { ignore.contains($0) }) { continue }
            out.append(a)
        }
        return out
    }

    /// Record order: id, package, crates before rust, file (strings in byte order).
    static func recordLess(_ a: AdvisoryRecord, _ b: AdvisoryRecord) -> Bool {
        if a.id != b.id { return byteLess(a.id, b.id) }
        if a.package != b.package { return byteLess(a.package, b.package) }
        if a.collection != b.collection { return a.collection == .crates }
        return byteLess(a.file, b.file)
    }

    /// Plain-data sort key: the first 24 bytes of the id, big-endian, zero-padded (comparing the
    /// words compares those bytes), and the record's index. Sorting these moves no references.
    struct SortKey {
        var w0: UInt64, w1: UInt64, w2: UInt64
        var index: Int

        init(id: String, index: Int) {
            var w: (UInt64, UInt64, UInt64) = (0, 0, 0)
            var k = 0
            for b in id.utf8 {
                if k >= 24 { break }
                let shift = UInt64(56 - 8 * (k % 8))
                switch k / 8 {
                case 0: w.0 |= UInt64(b) << shift
                case 1: w.1 |= UInt64(b) << shift
                default: w.2 |= UInt64(b) << shift
                }
                k += 1
            }
            (w0, w1, w2) = w
            self.index = index
        }

        func samePrefix(_ o: SortKey) -> Bool { w0 == o.w0 && w1 == o.w1 && w2 == o.w2 }

        static func less(_ a: SortKey, _ b: SortKey) -> Bool {
            if a.w0 != b.w0 { return a.w0 < b.w0 }
            if a.w1 != b.w1 { return a.w1 < b.w1 }
            if a.w2 != b.w2 { return a.w2 < b.w2 }
            return a.index < b.index
        }
    }

    /// Indices of `records` in `recordLess` order.
    static func sortedOrder(_ records: [AdvisoryRecord]) -> [Int] {
        var keys: [SortKey] = []
        keys.reserveCapacity(records.count)
        for (i, r) in records.enumerated() { keys.append(SortKey(id: r.id, index: i)) }
        keys.sort(by: SortKey.less)
        var order = keys.map(\.index)
        // Runs with the same 24-byte prefix (the same id, or long ids): full comparison.
        var lo = 0
        while lo < keys.count {
            var hi = lo + 1
            while hi < keys.count && keys[hi].samePrefix(keys[lo]) { hi += 1 }
            if hi - lo > 1 {
                let run = order[lo..<hi].sorted { x, y in
                    guard x >= 0, x < records.count, y >= 0, y < records.count else { return x < y }
                    if recordLess(records[x], records[y]) { return true }
                    if recordLess(records[y], records[x]) { return false }
                    return x < y
                }
                order.replaceSubrange(lo..<hi, with: run)
            }
            lo = hi
        }
        return order
    }

    static func errorLess(_ a: AdvisoryLoadError, _ b: AdvisoryLoadError) -> Bool {
        if a.file != b.file { return byteLess(a.file, b.file) }
        switch (a.line, b.line) {
        case (nil, .some): return true
        case (.some, nil): return false
        case (let x?, let y?) where x != y: return x < y
        default: return byteLess(a.message, b.message)
        }
    }
}

