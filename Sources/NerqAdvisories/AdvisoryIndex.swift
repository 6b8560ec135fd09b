// A loaded advisory database as bytes and back: the payload of the advisory index cache
// (AdvisoryIndexCache.swift). Every field of every record is written, the parsed version ranges
// included, so reading the index gives records equal to parsing the files (a test compares the
// two on the real snapshots, field by field) without running the TOML, Markdown, JSON, semver or
// CVSS parsers again.

import NerqCore
import NerqSemver

enum AdvisoryIndex {
    /// Bumped whenever what is written changes.
    static let formatVersion: UInt64 = 1

    static func encode(_ db: AdvisoryDatabase, into w: inout BinaryWriter) {
        w.int(db.advisories.count)
        for r in db.advisories { record(r, &w) }
        w.int(db.errors.count)
        for e in db.errors {
            w.string(e.file)
            w.uint(e.line.map { UInt64($0) })
            w.string(e.message)
        }
        w.int(db.unknownKeyCount)
        w.int(db.skippedRecords)
        w.int(db.fileCount)
    }

    /// The database `encode` wrote, at `path`; throws when the bytes are not that.
    static func decode(_ r: inout BinaryReader, path: String) throws(BinaryCorrupt) -> AdvisoryDatabase {
        let n = try r.count()
        var records: [AdvisoryRecord] = []
        records.reserveCapacity(n)
        for _ in 0..<n { records.append(try record(&r)) }
        let m = try r.count()
        var errors: [AdvisoryLoadError] = []
        errors.reserveCapacity(m)
        for _ in 0..<m {
            let file = try r.string()
            let line = try r.optionalUInt()
            guard line.map({ $0 <= UInt64(Int.max) }) ?? true else { throw BinaryCorrupt() }
            errors.append(AdvisoryLoadError(file: file, line: line.map { Int($0) }, message: try r.string()))
        }
        return AdvisoryDatabase(path: path, advisories: records, errors: errors, unknownKeyCount: try r.int(),
                                skippedRecords: try r.int(), fileCount: try r.int())
    }

    // MARK: - Records

    static func record(_ a: AdvisoryRecord, _ w: inout BinaryWriter) {
        w.string(a.id)
        w.string(a.package)
        w.value(a.collection)
        w.string(a.date)
        w.string(a.title)
        w.string(a.description)
        w.string(a.url)
        w.value(a.kind)
        w.string(a.informational)
        w.strings(a.categories)
        w.strings(a.keywords)
        w.strings(a.aliases)
        w.strings(a.related)
        w.strings(a.references)
        w.string(a.cvss)
        w.string(a.statedSeverity?.rawValue)
        w.string(a.withdrawn)
        w.string(a.license)
        w.bool(a.expectDeleted)
        w.string(a.source)
        w.strings(a.patched)
        w.strings(a.unaffected)
        w.int(a.affectedFunctions.count)
        for f in a.affectedFunctions {
            w.string(f.path)
            w.strings(f.versions)
        }
        w.strings(a.os)
        w.strings(a.arch)
        w.string(a.file)
        matcher(a.versionMatcher, &w)
        w.strings(a.unknownKeys)
        w.value(a.format)
    }

    static func record(_ r: inout BinaryReader) throws(BinaryCorrupt) -> AdvisoryRecord {
        let id = try r.string(), package = try r.string()
        let collection = try r.value(AdvisoryRecord.Collection.self)
        let date = try r.optionalString(), title = try r.optionalString(), description = try r.optionalString()
        let url = try r.optionalString()
        let kind = try r.value(Advisory.Kind.self)
        let informational = try r.optionalString()
        let categories = try r.strings(), keywords = try r.strings(), aliases = try r.strings()
        let related = try r.strings(), references = try r.strings()
        let cvss = try r.optionalString()
        let severity: Severity?
        if let s = try r.optionalString() {
            guard let known = Severity(rawValue: s) else { throw BinaryCorrupt() }
            severity = known
        } else {
            severity = nil
        }
        let withdrawn = try r.optionalString(), license = try r.optionalString()
        let expectDeleted = try r.bool()
        let source = try r.optionalString()
        let patched = try r.strings(), unaffected = try r.strings()
        let nf = try r.count()
        var functions: [(path: String, versions: [String])] = []
        functions.reserveCapacity(nf)
        for _ in 0..<nf { functions.append((try r.string(), try r.strings())) }
        let os = try r.strings(), arch = try r.strings()
        let file = try r.string()
        let versionMatcher = try matcher(&r)
        let unknownKeys = try r.strings()
        let format = try r.value(AdvisoryRecord.Format.self)
        return AdvisoryRecord(id: id, package: package, collection: collection, date: date, title: title, description: description,
                              url: url, kind: kind, informational: informational, categories: categories, keywords: keywords,
                              aliases: aliases, related: related, references: references, cvss: cvss, severity: severity,
                              withdrawn: withdrawn, license: license, expectDeleted: expectDeleted, source: source,
                              patched: patched, unaffected: unaffected, affectedFunctions: functions, os: os, arch: arch,
                              file: file, versionMatcher: versionMatcher, unknownKeys: unknownKeys, format: format)
    }

    // MARK: - Version ranges, as parsed

    static func matcher(_ m: VersionMatcher, _ w: inout BinaryWriter) {
        switch m {
        case .rustsec(let v):
            w.byte(0)
            w.int(v.patched.count)
            for q in v.patched { requirement(q, &w) }
            w.int(v.unaffected.count)
            for q in v.unaffected { requirement(q, &w) }
            w.int(v.affectedRanges.count)
            for range in v.affectedRanges {
                optionalVersion(range.introduced, &w)
                optionalVersion(range.fixed, &w)
            }
        case .osv(let entries):
            w.byte(1)
            w.int(entries.count)
            for e in entries {
                w.int(e.ranges.count)
                for range in e.ranges {
                    w.string(range.type)
                    w.int(range.events.count)
                    for ev in range.events {
                        w.value(ev.kind)
                        optionalVersion(ev.version, &w)
                    }
                }
                w.int(e.versions.count)
                for v in e.versions { version(v, &w) }
            }
        }
    }

    static func matcher(_ r: inout BinaryReader) throws(BinaryCorrupt) -> VersionMatcher {
        switch try r.byte() {
        case 0:
            let patched = try list(&r, requirement)
            let unaffected = try list(&r, requirement)
            let ranges = try list(&r) { (r: inout BinaryReader) throws(BinaryCorrupt) in
                OsvRange(introduced: try optionalVersion(&r), fixed: try optionalVersion(&r))
            }
            return .rustsec(AdvisoryVersions(patched: patched, unaffected: unaffected, affectedRanges: ranges))
        case 1:
            let entries = try list(&r) { (r: inout BinaryReader) throws(BinaryCorrupt) in
                let ranges = try list(&r) { (r: inout BinaryReader) throws(BinaryCorrupt) in
                    let type = try r.string()
                    let events = try list(&r) { (r: inout BinaryReader) throws(BinaryCorrupt) in
                        OSVEvent(try r.value(OSVEvent.Kind.self), try optionalVersion(&r))
                    }
                    return OSVVersionRange(type: type, events: events)
                }
                return OSVAffectedVersions(ranges: ranges, versions: try list(&r, version))
            }
            return .osv(entries)
        default:
            throw BinaryCorrupt()
        }
    }

    static func list<T>(_ r: inout BinaryReader, _ one: (inout BinaryReader) throws(BinaryCorrupt) -> T) throws(BinaryCorrupt) -> [T] {
        let n = try r.count()
        var out: [T] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try one(&r)) }
        return out
    }

    static func version(_ v: Version, _ w: inout BinaryWriter) {
        w.uint(v.major)
        w.uint(v.minor)
        w.uint(v.patch)
        identifiers(v.pre, &w)
        w.string(v.build)
    }

    static func version(_ r: inout BinaryReader) throws(BinaryCorrupt) -> Version {
        Version(try r.uint(), try r.uint(), try r.uint(), pre: try identifiers(&r), build: try r.string())
    }

    static func optionalVersion(_ v: Version?, _ w: inout BinaryWriter) {
        guard let v else { return w.byte(0) }
        w.byte(1)
        version(v, &w)
    }

    static func optionalVersion(_ r: inout BinaryReader) throws(BinaryCorrupt) -> Version? {
        try r.bool() ? try version(&r) : nil
    }

    static func identifiers(_ ids: [Identifier], _ w: inout BinaryWriter) {
        w.int(ids.count)
        for id in ids {
            switch id {
            case .numeric(let s): w.byte(0); w.string(s)
            case .alphanumeric(let s): w.byte(1); w.string(s)
            }
        }
    }

    static func identifiers(_ r: inout BinaryReader) throws(BinaryCorrupt) -> [Identifier] {
        try list(&r) { (r: inout BinaryReader) throws(BinaryCorrupt) in
            switch try r.byte() {
            case 0: return .numeric(try r.string())
            case 1: return .alphanumeric(try r.string())
            default: throw BinaryCorrupt()
            }
        }
    }

    static let ops: [Comparator.Op] = [.exact, .greater, .greaterEq, .less, .lessEq, .tilde, .caret, .wildcard]

    static func requirement(_ q: VersionReq, _ w: inout BinaryWriter) {
        w.int(q.comparators.count)
        for c in q.comparators {
            w.int(ops.firstIndex(of: c.op) ?? 0)
            w.uint(c.major)
            w.uint(c.minor)
            w.uint(c.patch)
            identifiers(c.pre, &w)
        }
    }

    static func requirement(_ r: inout BinaryReader) throws(BinaryCorrupt) -> VersionReq {
        VersionReq(comparators: try list(&r) { (r: inout BinaryReader) throws(BinaryCorrupt) in
            let k = try r.int()
            guard k < ops.count else { throw BinaryCorrupt() }
            return Comparator(op: ops[k], major: try r.uint(), minor: try r.optionalUInt(), patch: try r.optionalUInt(),
                              pre: try identifiers(&r))
        })
    }
}
