// OSV JSON records (https://ossf.github.io/osv-schema/) for the crates.io ecosystem, including
// RustSec's own OSV export (advisory-db branch `osv`, `crates/RUSTSEC-*.json`), whose extra fields
// are read as well:
//   affected[].database_specific.{categories, cvss, informational}
//   affected[].ecosystem_specific.affects.{os, arch, functions}
//   database_specific.license
// A file may hold one record, an array of records, or `{"vulns": [...]}` (an osv.dev response).
// Records without a crates.io `affected[]` entry are skipped (counted, not errors). A record with
// several crates.io packages yields one AdvisoryRecord per package (same id).

import NerqCore
import NerqJSON
import NerqSemver
import NerqCVSS

enum OSVParser {
    enum Outcome {
        case records([AdvisoryRecord])
        case skipped
        case failed(AdvisoryLoadError)
    }

    static let ecosystem = "crates.io"

    /// Parses one file. Every outcome is per record, so one bad record does not hide the others.
    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) -> [Outcome] {
        if bytes.count == 0 {
            return [.failed(AdvisoryLoadError(file: file, line: nil, message: "empty file (expected an OSV JSON record)"))]
        }
        let doc: JSONValue
        do throws(NerqError) {
            doc = try JSONParser.parse(bytes)
        } catch {
            return [.failed(AdvisoryLoadError(file: file, line: lineNumber(in: error.message), message: error.message))]
        }
        var records: [JSONValue] = []
        switch doc {
        case .array(let list):
            records = list
        case .object(let o):
            if o["id"] == nil, case .array(let list)? = o["vulns"] {
                records = list
            } else {
                records = [doc]
            }
        default:
            return [.failed(AdvisoryLoadError(file: file, line: 1,
                                              message: "an OSV file must hold a JSON object or array, found \(doc.typeName)"))]
        }
        var out: [Outcome] = []
        var k = 0
        for r in records {
            let at = records.count > 1 ? "[\(k)]" : ""
            k += 1
            do throws(FieldError) {
                let recs = try record(r, file: file, at: at)
                out.append(recs.isEmpty ? .skipped : .records(recs))
            } catch {
                out.append(.failed(AdvisoryLoadError(file: file, line: error.line, message: error.message)))
            }
        }
        return out
    }

    /// "invalid JSON at line 3, column 7: ..." -> 3.
    static func lineNumber(in message: String) -> Int? {
        let b = Array(message.utf8)
        let key = Array("line ".utf8)
        var i = 0
        while i + key.count <= b.count {
            if Array(b[i..<(i + key.count)]) == key {
                var j = i + key.count
                var v = 0
                var digits = 0
                while j < b.count, b[j] >= 0x30, b[j] <= 0x39, digits < 9 {
                    v = v * 10 + Int(b[j] - 0x30)
                    digits += 1
                    j += 1
                }
                if digits > 0 { return v }
            }
            i += 1
        }
        return nil
    }

    // MARK: - One record

    /// What a record says for every package it names.
    struct Common {
        var id: String
        /// "ID: ", the prefix of every message about the record.
        var p: String
        var withdrawn: String?
        var published: String?
        var aliases: [String]
        var related: [String]
        var summary: String?
        var details: String?
        var references: [String] = []
        /// The first ADVISORY reference, else the first WEB one.
        var url: String?
        /// CVSS v3/v4 vectors: the top-level `severity` first, then each affected entry's.
        var vectors: [String] = []
        var license: String?
        /// A GHSA-style `database_specific.severity` word.
        var severity: Severity?
    }

    /// One package's `affected[]` entries, merged.
    struct PackageAcc {
        var entries: [OSVAffectedVersions] = []
        var informational: String?
        var categories: [String] = []
        var cvss: [String] = []
        var os: [String] = []
        var arch: [String] = []
        var osEverywhere = false
        var archEverywhere = false
        var functions: [String] = []
    }

    /// The crates.io packages of `affected[]` in first-seen order.
    struct Packages {
        var order: [String] = []
        var byName: [String: PackageAcc] = [:]
    }

    /// The records of one OSV object, one per crates.io package (none when it names none). Fields
    /// are checked in document order, so the first problem is the one reported.
    static func record(_ v: JSONValue, file: String, at: String) throws(FieldError) -> [AdvisoryRecord] {
        guard let o = v.objectValue else {
            throw FieldError(line: nil, message: "$\(at): an OSV record must be an object, found \(v.typeName)")
        }
        var common = try header(o, at)
        let packages = try affectedPackages(o, at, vectors: &common.vectors, common.p)
        if packages.order.isEmpty { return [] }
        try databaseSpecific(o, at, into: &common)
        var out: [AdvisoryRecord] = []
        for name in packages.order {
            guard let acc = packages.byName[name] else { continue }
            out.append(try advisory(common, package: name, acc, file: file))
        }
        return out
    }

    /// The record-wide fields: id, dates, aliases, texts, references, top-level severity.
    static func header(_ o: JSONObject, _ at: String) throws(FieldError) -> Common {
        guard let id = try string(o, "id", at), !id.isEmpty else {
            throw FieldError(line: nil, message: "$\(at): missing `id`")
        }
        let p = "\(id): "
        var c = Common(id: id, p: p,
                       withdrawn: try string(o, "withdrawn", at, p).map(datePart),
                       published: try string(o, "published", at, p).map(datePart),
                       aliases: try strings(o, "aliases", at, p), related: try strings(o, "related", at, p),
                       summary: try string(o, "summary", at, p), details: try string(o, "details", at, p))
        var advisoryURL: String? = nil
        var webURL: String? = nil
        for (i, ref) in try array(o, "references", at, p).enumerated() {
            guard let ro = ref.objectValue else {
                throw FieldError(line: nil, message: "\(p)`references[\(i)]` must be an object")
            }
            guard let url = try string(ro, "url", "\(at).references[\(i)]", p) else { continue }
            c.references.append(url)
            let type = try string(ro, "type", "\(at).references[\(i)]", p)
            if type == "ADVISORY", advisoryURL == nil { advisoryURL = url }
            if type == "WEB", webURL == nil { webURL = url }
        }
        c.url = advisoryURL ?? webURL
        c.vectors = try severityVectors(o, at, p)
        return c
    }

    /// Merges the crates.io entries of `affected[]` per package (other ecosystems are skipped),
    /// adding each entry's severity vectors to `vectors`.
    static func affectedPackages(_ o: JSONObject, _ at: String, vectors: inout [String], _ p: String) throws(FieldError) -> Packages {
        var packages = Packages()
        for (i, entry) in try array(o, "affected", at, p).enumerated() {
            let ap = "\(at).affected[\(i)]"
            guard let eo = entry.objectValue else {
                throw FieldError(line: nil, message: "\(p)`affected[\(i)]` must be an object")
            }
            guard let name = try crateName(eo, i, ap, p) else { continue }
            var acc = packages.byName[name] ?? PackageAcc()
            if packages.byName[name] == nil { packages.order.append(name) }
            acc.entries.append(OSVAffectedVersions(ranges: try ranges(eo, i, ap, p), versions: try versions(eo, ap, p)))
            vectors += try severityVectors(eo, ap, p)
            try addSpecifics(eo, ap, p, to: &acc)
            packages.byName[name] = acc
        }
        return packages
    }

    /// The entry's crates.io package name; nil for an entry without a package or of another
    /// ecosystem.
    static func crateName(_ eo: JSONObject, _ i: Int, _ ap: String, _ p: String) throws(FieldError) -> String? {
        guard let pkgValue = eo["package"], pkgValue != .null else { return nil }
        guard let pkg = pkgValue.objectValue else {
            throw FieldError(line: nil, message: "\(p)`affected[\(i)].package` must be an object")
        }
        guard try string(pkg, "ecosystem", ap + ".package", p) == ecosystem else { return nil }
        guard let name = try string(pkg, "name", ap + ".package", p), !name.isEmpty else {
            throw FieldError(line: nil, message: "\(p)`affected[\(i)].package.name` missing")
        }
        return name
    }

    /// The entry's SEMVER and ECOSYSTEM ranges (GIT ranges need the repository).
    static func ranges(_ eo: JSONObject, _ i: Int, _ ap: String, _ p: String) throws(FieldError) -> [OSVVersionRange] {
        var ranges: [OSVVersionRange] = []
        for (j, r) in try array(eo, "ranges", ap, p).enumerated() {
            let rp = "\(ap).ranges[\(j)]"
            guard let ro = r.objectValue else {
                throw FieldError(line: nil, message: "\(p)`affected[\(i)].ranges[\(j)]` must be an object")
            }
            let type = try string(ro, "type", rp, p) ?? ""
            guard type == "SEMVER" || type == "ECOSYSTEM" else { continue }
            var events: [OSVEvent] = []
            for (k, e) in try array(ro, "events", rp, p).enumerated() {
                events.append(try event(e, "\(rp).events[\(k)]", p))
            }
            ranges.append(OSVVersionRange(type: type, events: events))
        }
        return ranges
    }

    /// One range event at `ep`: exactly one of introduced, fixed, last_affected or limit.
    static func event(_ e: JSONValue, _ ep: String, _ p: String) throws(FieldError) -> OSVEvent {
        guard let eo = e.objectValue else {
            throw FieldError(line: nil, message: "\(p)`\(ep)` must be an object")
        }
        var found: OSVEvent? = nil
        for kind in [OSVEvent.Kind.introduced, .fixed, .lastAffected, .limit] {
            guard let s = try string(eo, kind.rawValue, ep, p) else { continue }
            if found != nil {
                throw FieldError(line: nil, message: "\(p)`\(ep)` has more than one event type")
            }
            if kind == .introduced && s == "0" {
                found = OSVEvent(.introduced, nil)
            } else if kind == .limit && s == "*" {
                found = OSVEvent(.limit, nil)
            } else {
                do throws(SemverError) {
                    found = OSVEvent(kind, try Version.parse(s))
                } catch {
                    throw FieldError(line: nil, message: "\(p)invalid version \"\(s)\" in `\(ep).\(kind.rawValue)`: \(error.message)")
                }
            }
        }
        guard let ev = found else {
            throw FieldError(line: nil, message: "\(p)`\(ep)` has no introduced/fixed/last_affected/limit")
        }
        return ev
    }

    /// The entry's explicit `versions` list.
    static func versions(_ eo: JSONObject, _ ap: String, _ p: String) throws(FieldError) -> [Version] {
        var versions: [Version] = []
        for s in try strings(eo, "versions", ap, p) {
            do throws(SemverError) {
                versions.append(try Version.parse(s))
            } catch {
                throw FieldError(line: nil, message: "\(p)invalid version \"\(s)\" in `\(ap).versions`: \(error.message)")
            }
        }
        return versions
    }

    /// RustSec's extras of one entry: `database_specific` (informational, categories, cvss) and
    /// `ecosystem_specific.affects` (os, arch, functions).
    static func addSpecifics(_ eo: JSONObject, _ ap: String, _ p: String, to acc: inout PackageAcc) throws(FieldError) {
        if let ds = try object(eo, "database_specific", ap, p) {
            if acc.informational == nil { acc.informational = try string(ds, "informational", ap + ".database_specific", p) }
            for c in try strings(ds, "categories", ap + ".database_specific", p) where !acc.categories.contains(c) {
                acc.categories.append(c)
            }
            if let c = try string(ds, "cvss", ap + ".database_specific", p) { acc.cvss.append(c) }
        }
        var entryOS: [String] = []
        var entryArch: [String] = []
        if let es = try object(eo, "ecosystem_specific", ap, p),
           let affects = try object(es, "affects", ap + ".ecosystem_specific", p) {
            let ep = ap + ".ecosystem_specific.affects"
            entryOS = try strings(affects, "os", ep, p)
            entryArch = try strings(affects, "arch", ep, p)
            for f in try strings(affects, "functions", ep, p) where !acc.functions.contains(f) {
                acc.functions.append(f)
            }
        }
        // Several entries for one package: a platform list applies only if every entry has one.
        if entryOS.isEmpty { acc.osEverywhere = true }
        for x in entryOS where !acc.os.contains(x) { acc.os.append(x) }
        if entryArch.isEmpty { acc.archEverywhere = true }
        for x in entryArch where !acc.arch.contains(x) { acc.arch.append(x) }
    }

    /// The record's own `database_specific`: RustSec's license, a GHSA severity word.
    static func databaseSpecific(_ o: JSONObject, _ at: String, into c: inout Common) throws(FieldError) {
        guard let ds = try object(o, "database_specific", at, c.p) else { return }
        c.license = try string(ds, "license", at + ".database_specific", c.p)
        if let word = try string(ds, "severity", at + ".database_specific", c.p) {
            switch word.uppercased() {
            case "CRITICAL": c.severity = .critical
            case "HIGH": c.severity = .high
            case "MODERATE", "MEDIUM": c.severity = .medium
            case "LOW": c.severity = .low
            default: break
            }
        }
    }

    /// The record for one package.
    static func advisory(_ c: Common, package name: String, _ acc: PackageAcc, file: String) throws(FieldError) -> AdvisoryRecord {
        // The first CVSS v3/v4 vector (top-level `severity`, then the entries' `severity`, then
        // RustSec's `database_specific.cvss`); its rating replaces a GHSA severity word.
        let cvss = c.vectors.first ?? acc.cvss.first
        if let cvss, let e = cvssProblem(cvss) {
            throw FieldError(line: nil, message: "\(c.p)invalid CVSS vector: \(e.message)")
        }
        var patched: [String] = []
        for e in acc.entries {
            for r in e.patchedRequirements where !patched.contains(r) { patched.append(r) }
        }
        return AdvisoryRecord(
            id: c.id, package: name, collection: .crates, date: c.published, title: c.summary,
            description: (c.details?.isEmpty ?? true) ? nil : c.details, url: c.url,
            kind: AdvisoryRecord.kind(informational: acc.informational, id: c.id, aliases: c.aliases, categories: acc.categories),
            informational: acc.informational,
            categories: acc.categories, keywords: [], aliases: c.aliases, related: c.related,
            references: c.references, cvss: cvss, severity: c.severity, withdrawn: c.withdrawn,
            license: c.license, expectDeleted: false, source: nil, patched: patched, unaffected: [],
            affectedFunctions: acc.functions.map { (path: $0, versions: [String]()) },
            os: acc.osEverywhere ? [] : acc.os, arch: acc.archEverywhere ? [] : acc.arch,
            file: file, versionMatcher: .osv(acc.entries), unknownKeys: [], format: .osv)
    }

    /// CVSS v3/v4 vectors of a `severity` array (other scoring systems are ignored).
    static func severityVectors(_ o: JSONObject, _ at: String, _ p: String) throws(FieldError) -> [String] {
        var out: [String] = []
        for (i, s) in try array(o, "severity", at, p).enumerated() {
            guard let so = s.objectValue else {
                throw FieldError(line: nil, message: "\(p)`\(at).severity[\(i)]` must be an object")
            }
            let type = try string(so, "type", "\(at).severity[\(i)]", p)
            guard type == "CVSS_V3" || type == "CVSS_V4", let score = try string(so, "score", "\(at).severity[\(i)]", p) else {
                continue
            }
            out.append(score)
        }
        return out
    }

    /// `2021-09-27T12:00:00Z` -> `2021-09-27` (strings that do not start with a date are kept).
    static func datePart(_ s: String) -> String {
        let b = Array(s.utf8)
        guard isLooseDate(b) else { return s }
        if b.count == 10 { return s }
        let sep = b[10]
        guard sep == 0x54 || sep == 0x74 || sep == 0x20 else { return s }
        return String(decoding: b[0..<10], as: UTF8.self)
    }

    static func isLooseDate(_ b: [UInt8]) -> Bool {
        guard b.count >= 10 else { return false }
        for (i, c) in b[0..<10].enumerated() {
            if i == 4 || i == 7 {
                if c != 0x2D { return false }
            } else if c < 0x30 || c > 0x39 {
                return false
            }
        }
        return true
    }

    // MARK: - Typed access (null = absent)

    static func string(_ o: JSONObject, _ key: String, _ at: String, _ p: String = "") throws(FieldError) -> String? {
        switch o[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let v?: throw FieldError(line: nil, message: "\(p)`\(at).\(key)` must be a string, found \(v.typeName)")
        }
    }

    static func array(_ o: JSONObject, _ key: String, _ at: String, _ p: String) throws(FieldError) -> [JSONValue] {
        switch o[key] {
        case nil, .null?: return []
        case .array(let a)?: return a
        case let v?: throw FieldError(line: nil, message: "\(p)`\(at).\(key)` must be an array, found \(v.typeName)")
        }
    }

    static func object(_ o: JSONObject, _ key: String, _ at: String, _ p: String) throws(FieldError) -> JSONObject? {
        switch o[key] {
        case nil, .null?: return nil
        case .object(let x)?: return x
        case let v?: throw FieldError(line: nil, message: "\(p)`\(at).\(key)` must be an object, found \(v.typeName)")
        }
    }

    static func strings(_ o: JSONObject, _ key: String, _ at: String, _ p: String) throws(FieldError) -> [String] {
        var out: [String] = []
        for (i, v) in try array(o, key, at, p).enumerated() {
            guard case .string(let s) = v else {
                throw FieldError(line: nil, message: "\(p)`\(at).\(key)[\(i)]` must be a string, found \(v.typeName)")
            }
            out.append(s)
        }
        return out
    }
}
