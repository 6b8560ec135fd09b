// RustSec advisory files (`crates/<crate>/RUSTSEC-*.md`, `rust/<pkg>/*.md`): a fenced ```toml front
// matter, then a `# ` title and a Markdown description.
//
// Mirrors rustsec 0.31 (what cargo-audit 0.22.2 uses):
// * `advisory/parser.rs` `Parts::parse`: the file must start with "```toml"; the front matter ends
//   at the first "\n```" and is trimmed; the rest, trimmed at its start, must start with "# "; the
//   title runs to the first newline (trimmed at its end); the description is the rest, trimmed.
// * `advisory.rs` `from_str`: front matter not starting with `[advisory]` (the V4 layout) gets an
//   `[advisory]` header prepended; `title`/`description` keys in the TOML are errors.
// * `advisory/metadata.rs`: `id`, `package`, `date` required; `date`/`withdrawn` are `YYYY-MM-DD`
//   strings with a year in 2000...2100; `cvss` must be a valid vector.
// * `advisory/versions.rs`: `[versions]` and its `patched` are required, `unaffected` optional;
//   requirements must parse and form valid, non-overlapping ranges (`AdvisoryVersions`).
// * `advisory/affected.rs`: `functions` paths have at least two `::` segments of identifier
//   characters; their versions are requirements.
// Unknown keys are tolerated (serde ignores them; nerq lists them in `unknownKeys`).
// Where rustsec fails the whole database load, nerq records a load error for the one file.

import NerqCore
import NerqTOML
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqSemver
import NerqCVSS

/// A load failure inside the front matter; `line` is relative to the TOML text.
struct FieldError: Error {
    var line: Int?
    var message: String
}

enum RustSecParser {
    /// The keys of `[advisory]` rustsec knows (`Metadata`), picked out with a `switch` (short keys
    /// compare as integers; cheaper than hashing).
    struct AdvisoryFields {
        var id, package, title, description, date, aliases, related, collection, categories: Field?
        var keywords, cvss, informational, references, source, url, withdrawn, license, expectDeleted: Field?

        /// Stores a known key; false for an unknown one.
        mutating func set(_ key: String, _ x: Field) -> Bool {
            switch key {
            case "id": id = x
            case "package": package = x
            case "title": title = x
            case "description": description = x
            case "date": date = x
            case "aliases": aliases = x
            case "related": related = x
            case "collection": collection = x
            case "categories": categories = x
            case "keywords": keywords = x
            case "cvss": cvss = x
            case "informational": informational = x
            case "references": references = x
            case "source": source = x
            case "url": url = x
            case "withdrawn": withdrawn = x
            case "license": license = x
            case "expect-deleted": expectDeleted = x
            default: return false
            }
            return true
        }
    }

    /// Parses one advisory file.
    static func parse(_ bytes: UnsafeRawBufferPointer, file: String, collection: AdvisoryRecord.Collection) -> Result<AdvisoryRecord, AdvisoryLoadError> {
        func fail(_ line: Int?, _ message: String) -> Result<AdvisoryRecord, AdvisoryLoadError> {
            .failure(AdvisoryLoadError(file: file, line: line, message: message))
        }
        let n = bytes.count
        if n == 0 { return fail(nil, "empty file (expected a ```toml front matter block)") }
        if let bad = firstInvalidUTF8(bytes) {
            return fail(lineOf(bytes, bad), "not UTF-8 text (invalid byte 0x\(hex(bytes[bad])) at offset \(bad))")
        }
        // "```toml"
        let fence: [UInt8] = Array("```toml".utf8)
        guard startsWith(bytes, 0, fence) else {
            let shown = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<min(n, 20)]), as: UTF8.self)
            return fail(1, "no TOML front matter: an advisory must start with ```toml (found \"\(escape(shown))\")")
        }
        let closing: [UInt8] = Array("\n```".utf8)
        guard let tomlEnd = find(bytes, closing, from: 0) else {
            return fail(1, "unterminated TOML front matter (no closing ``` line)")
        }
        var fmStart = fence.count
        var fmEnd = tomlEnd
        while fmStart < fmEnd, isASCIIWhitespace(bytes[fmStart]) { fmStart += 1 }
        while fmEnd > fmStart, isASCIIWhitespace(bytes[fmEnd - 1]) { fmEnd -= 1 }
        let blockLine = lineOf(bytes, fmStart)   // file line of the front matter's first line
        let front = UnsafeRawBufferPointer(rebasing: bytes[fmStart..<fmEnd])

        // Markdown part.
        var mdStart = tomlEnd + closing.count
        while mdStart < n {
            if isASCIIWhitespace(bytes[mdStart]) {
                mdStart += 1
                continue
            }
            let w = startsNonASCIIWhitespace(bytes, mdStart)
            if w == 0 { break }
            mdStart += w
        }
        guard startsWith(bytes, mdStart, Array("# ".utf8)) else {
            return fail(lineOf(bytes, min(mdStart, n)), "expected a `# ` title after the TOML front matter")
        }
        guard let nl = find(bytes, [0x0A], from: mdStart) else {
            return fail(lineOf(bytes, mdStart), "no Markdown body (description) after the title")
        }
        let title = trimmedString(bytes, mdStart + 2, nl, start: false)
        let description = trimmedString(bytes, nl + 1, n, start: true)

        // TOML.
        let v4 = !startsWith(front, 0, Array("[advisory]".utf8))
        let table: TOMLTable
        do throws(TOMLError) {
            if v4 {
                var text = Array("[advisory]\n".utf8)
                text.append(contentsOf: front)
                table = try TOML.parse(text)
            } else {
                table = try TOML.parse(front)
            }
        } catch {
            let rel = v4 ? max(1, error.line - 1) : error.line
            return fail(blockLine + rel - 1, "invalid TOML: \(error.message) (column \(error.column))")
        }
        let shift = v4 ? 1 : 0
        func fileLine(_ rel: Int?) -> Int? {
            guard let rel else { return nil }
            return blockLine + max(1, rel - shift) - 1
        }
        do throws(FieldError) {
            var record = try build(table, collection: collection, file: file)
            record.title = title
            record.description = description.isEmpty ? nil : description
            if let vector = record.cvss, let e = cvssProblem(vector) {
                return fail(fileLine(table.table("advisory")?.line(forKey: "cvss") ?? 1),
                            "invalid CVSS vector: \(e.message)")
            }
            return .success(record)
        } catch {
            return fail(fileLine(error.line) ?? blockLine, error.message)
        }
    }

    /// A value and its (front-matter-relative) line.
    typealias Field = (value: TOMLValue, line: Int)

    /// The advisory from its parsed front matter (title/description are filled in by the caller).
    /// Each table is walked once; known keys are picked out with a `switch`, the rest are unknown.
    /// The tables are checked in rustsec's order ([advisory], [versions], [affected]), then the
    /// remaining [advisory] fields, so the first problem is the one reported.
    static func build(_ root: TOMLTable, collection: AdvisoryRecord.Collection,
                      file: String) throws(FieldError) -> AdvisoryRecord {
        var unknown: [String] = []
        var advField: Field? = nil, verField: Field? = nil, affField: Field? = nil
        for (k, e) in root.entries.enumerated() {
            let line = k < root.lines.count ? root.lines[k] : root.line
            switch e.key {
            case "advisory": advField = (e.value, line)
            case "versions": verField = (e.value, line)
            case "affected": affField = (e.value, line)
            default: unknown.append(e.key)
            }
        }
        let adv = try advisoryTable(advField, collection: collection, unknown: &unknown)
        let versions = try versionsTable(verField, advisoryLine: adv.line, unknown: &unknown)
        let affected = try affectedTable(affField, unknown: &unknown)
        let f = adv.fields
        let aliases = try strings(f.aliases, "advisory.aliases")
        let categories = try strings(f.categories, "advisory.categories")
        return AdvisoryRecord(
            id: adv.id, package: adv.package, collection: collection, date: adv.date,
            url: try string(f.url, "advisory.url"),
            kind: AdvisoryRecord.kind(informational: adv.informational, id: adv.id, aliases: aliases, categories: categories),
            informational: adv.informational,
            categories: categories,
            keywords: try strings(f.keywords, "advisory.keywords"),
            aliases: aliases,
            related: try strings(f.related, "advisory.related"),
            references: try strings(f.references, "advisory.references"),
            cvss: adv.cvss, withdrawn: adv.withdrawn,
            license: try string(f.license, "advisory.license"),
            expectDeleted: try bool(f.expectDeleted, "advisory.expect-deleted") ?? false,
            source: try string(f.source, "advisory.source"),
            patched: versions.patched, unaffected: versions.unaffected, affectedFunctions: affected.functions,
            os: affected.os, arch: affected.arch,
            file: file, versionMatcher: .rustsec(versions.matcher), unknownKeys: unknown, format: .rustsec)
    }

    /// `[advisory]`: its fields, and those checked before the other tables are read.
    struct AdvisorySection {
        var fields: AdvisoryFields
        /// The table's line (where a missing [versions] is reported).
        var line: Int
        var id: String
        var package: String
        var date: String
        var withdrawn: String?
        var informational: String?
        /// Validated by the caller.
        var cvss: String?
    }

    static func advisoryTable(_ advField: Field?, collection: AdvisoryRecord.Collection,
                              unknown: inout [String]) throws(FieldError) -> AdvisorySection {
        guard let advField else { throw FieldError(line: 1, message: "missing [advisory] table") }
        guard let adv = advField.value.tableValue else {
            throw FieldError(line: advField.line, message: "`advisory` must be a table")
        }
        var f = AdvisoryFields()
        for (k, e) in adv.entries.enumerated() {
            let line = k < adv.lines.count ? adv.lines[k] : adv.line
            if !f.set(e.key, (e.value, line)) { unknown.append("advisory." + e.key) }
        }
        if let x = f.title {
            throw FieldError(line: x.line, message: "invalid `title` attribute in advisory TOML (it comes from the Markdown)")
        }
        if let x = f.description {
            throw FieldError(line: x.line, message: "invalid `description` attribute in advisory TOML (it comes from the Markdown)")
        }
        guard let id = try string(f.id, "advisory.id"), !id.isEmpty else {
            throw FieldError(line: f.id?.line ?? adv.line, message: "missing `id` in [advisory]")
        }
        guard let package = try string(f.package, "advisory.package"), !package.isEmpty else {
            throw FieldError(line: f.package?.line ?? adv.line, message: "missing `package` in [advisory]")
        }
        guard let date = try string(f.date, "advisory.date") else {
            throw FieldError(line: adv.line, message: "missing `date` in [advisory]")
        }
        if let problem = dateProblem(date) {
            throw FieldError(line: f.date?.line, message: "invalid `date` \"\(date)\": \(problem)")
        }
        let withdrawn = try string(f.withdrawn, "advisory.withdrawn")
        if let w = withdrawn, let problem = dateProblem(w) {
            throw FieldError(line: f.withdrawn?.line, message: "invalid `withdrawn` date \"\(w)\": \(problem)")
        }
        if let c = try string(f.collection, "advisory.collection"), c != collection.rawValue {
            throw FieldError(line: f.collection?.line,
                             message: "`collection = \"\(c)\"` does not match the advisory's location (\(collection.rawValue)/)")
        }
        return AdvisorySection(fields: f, line: adv.line, id: id, package: package, date: date, withdrawn: withdrawn,
                               informational: try string(f.informational, "advisory.informational"),
                               cvss: try string(f.cvss, "advisory.cvss"))
    }

    /// `[versions]`: the requirements as written and the ranges they make.
    struct VersionsSection {
        var patched: [String]
        var unaffected: [String]
        var matcher: AdvisoryVersions
    }

    static func versionsTable(_ verField: Field?, advisoryLine: Int, unknown: inout [String]) throws(FieldError) -> VersionsSection {
        guard let verField else { throw FieldError(line: advisoryLine, message: "missing [versions] table") }
        guard let versions = verField.value.tableValue else {
            throw FieldError(line: verField.line, message: "`versions` must be a table")
        }
        var patchedField: Field? = nil, unaffectedField: Field? = nil
        for (k, e) in versions.entries.enumerated() {
            let line = k < versions.lines.count ? versions.lines[k] : versions.line
            switch e.key {
            case "patched": patchedField = (e.value, line)
            case "unaffected": unaffectedField = (e.value, line)
            default: unknown.append("versions." + e.key)
            }
        }
        guard patchedField != nil else {
            throw FieldError(line: versions.line, message: "missing `patched` in [versions]")
        }
        let patched = try strings(patchedField, "versions.patched")
        let unaffected = try strings(unaffectedField, "versions.unaffected")
        let patchedReqs = try requirements(patched, patchedField?.line, "patched")
        let unaffectedReqs = try requirements(unaffected, unaffectedField?.line, "unaffected")
        do throws(SemverError) {
            let matcher = try AdvisoryVersions(patched: patchedReqs, unaffected: unaffectedReqs)
            return VersionsSection(patched: patched, unaffected: unaffected, matcher: matcher)
        } catch {
            throw FieldError(line: patchedField?.line ?? versions.line, message: "invalid [versions] ranges: \(error.message)")
        }
    }

    /// `[affected]` (optional): the affected functions and platforms.
    struct AffectedSection {
        var functions: [(path: String, versions: [String])] = []
        var os: [String] = []
        var arch: [String] = []
    }

    static func affectedTable(_ affField: Field?, unknown: inout [String]) throws(FieldError) -> AffectedSection {
        var out = AffectedSection()
        guard let affField else { return out }
        guard let aff = affField.value.tableValue else {
            throw FieldError(line: affField.line, message: "`affected` must be a table")
        }
        for (k, e) in aff.entries.enumerated() {
            let line = k < aff.lines.count ? aff.lines[k] : aff.line
            switch e.key {
            case "os": out.os = try strings((e.value, line), "affected.os")
            case "arch": out.arch = try strings((e.value, line), "affected.arch")
            case "functions": out.functions = try affectedFunctions(e.value, line)
            default: unknown.append("affected." + e.key)
            }
        }
        return out
    }

    static func affectedFunctions(_ value: TOMLValue, _ line: Int) throws(FieldError) -> [(path: String, versions: [String])] {
        guard let ft = value.tableValue else {
            throw FieldError(line: line, message: "`affected.functions` must be a table")
        }
        var functions: [(path: String, versions: [String])] = []
        for (k, entry) in ft.entries.enumerated() {
            let line = k < ft.lines.count ? ft.lines[k] : ft.line
            if let problem = functionPathProblem(entry.key) {
                throw FieldError(line: line, message: "invalid function path \"\(entry.key)\": \(problem)")
            }
            guard let arr = entry.value.arrayValue else {
                throw FieldError(line: line, message: "`affected.functions.\"\(entry.key)\"` must be an array of strings")
            }
            var list: [String] = []
            for item in arr {
                guard let s = item.stringValue else {
                    throw FieldError(line: line, message: "`affected.functions.\"\(entry.key)\"` must be an array of strings")
                }
                do throws(SemverError) {
                    _ = try VersionReq.parse(s)
                } catch {
                    throw FieldError(line: line, message: "invalid requirement \"\(s)\" for function \(entry.key): \(error.message)")
                }
                list.append(s)
            }
            functions.append((path: entry.key, versions: list))
        }
        return functions
    }

    // MARK: - Typed field access (nil field = absent)

    static func string(_ x: Field?, _ name: String) throws(FieldError) -> String? {
        guard let x else { return nil }
        guard let s = x.value.stringValue else {
            throw FieldError(line: x.line, message: "`\(name)` must be a string, found \(x.value.typeName)")
        }
        return s
    }

    static func strings(_ x: Field?, _ name: String) throws(FieldError) -> [String] {
        guard let x else { return [] }
        guard let arr = x.value.arrayValue else {
            throw FieldError(line: x.line, message: "`\(name)` must be an array of strings, found \(x.value.typeName)")
        }
        var out: [String] = []
        out.reserveCapacity(arr.count)
        for item in arr {
            guard let s = item.stringValue else {
                throw FieldError(line: x.line,
                                 message: "`\(name)` must be an array of strings, found an element of type \(item.typeName)")
            }
            out.append(s)
        }
        return out
    }

    static func bool(_ x: Field?, _ name: String) throws(FieldError) -> Bool? {
        guard let x else { return nil }
        guard let b = x.value.boolValue else {
            throw FieldError(line: x.line, message: "`\(name)` must be a boolean, found \(x.value.typeName)")
        }
        return b
    }

    static func requirements(_ list: [String], _ line: Int?, _ key: String) throws(FieldError) -> [VersionReq] {
        var out: [VersionReq] = []
        out.reserveCapacity(list.count)
        for s in list {
            do throws(SemverError) {
                out.append(try VersionReq.parse(s))
            } catch {
                throw FieldError(line: line, message: "invalid requirement \"\(s)\" in [versions] \(key): \(error.message)")
            }
        }
        return out
    }

    // MARK: - Validation helpers

    /// Why `s` is not a `YYYY-MM-DD` date with a year in 2000...2100 (rustsec `Date::from_str`), or nil.
    static func dateProblem(_ s: String) -> String? {
        let b = Array(s.utf8)
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return "expected YYYY-MM-DD" }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                let c = b[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)   // at most 4 digits: no overflow
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return "expected YYYY-MM-DD" }
        guard y >= 2000, y <= 2100 else { return "year must be between 2000 and 2100" }
        guard m >= 1, m <= 12 else { return "month out of range" }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d >= 1, d <= days[m - 1] else { return "day out of range" }
        return nil
    }

    /// rustsec `FunctionPath::from_str`: two or more `::`-separated identifiers
    /// (`[A-Za-z_<][A-Za-z0-9_<>,]*`).
    static func functionPathProblem(_ path: String) -> String? {
        var segments = 0
        var segmentStart = true
        var sawColon = false
        for b in path.utf8 {
            if sawColon {
                guard b == 0x3A else { return "single ':' in path" }
                sawColon = false
                segmentStart = true
                continue
            }
            if b == 0x3A {
                if segmentStart { return "empty identifier in affected path" }
                sawColon = true
                continue
            }
            if segmentStart {
                segments += 1
                segmentStart = false
                switch b {
                case 0x41...0x5A, 0x61...0x7A, 0x5F, 0x3C: continue
                default: return "invalid character at start of identifier"
                }
            }
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x5F, 0x3C, 0x3E, 0x2C: continue
            case 0x28, 0x29: return "omit parameters in affected paths"
            default: return "invalid character in identifier"
            }
        }
        if sawColon || segmentStart { return "empty identifier in affected path" }
        guard segments >= 2 else { return "paths must start with the crate name (at least two segments)" }
        return nil
    }
}

// MARK: - Byte helpers

@inline(__always) func isASCIIWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0B || b == 0x0C || b == 0x0D
}

/// Length of a non-ASCII Unicode White_Space character starting at `i` (U+0085, U+00A0, U+1680,
/// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), or 0.
func startsNonASCIIWhitespace(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int {
    guard i >= 0, i < b.count else { return 0 }
    let c0 = b[i]
    if c0 == 0xC2, i + 1 < b.count, b[i + 1] == 0x85 || b[i + 1] == 0xA0 { return 2 }
    if c0 == 0xE1, i + 2 < b.count, b[i + 1] == 0x9A, b[i + 2] == 0x80 { return 3 }
    if c0 == 0xE2, i + 2 < b.count {
        let c1 = b[i + 1], c2 = b[i + 2]
        if c1 == 0x80, (c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF { return 3 }
        if c1 == 0x81, c2 == 0x9F { return 3 }
    }
    if c0 == 0xE3, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0x80 { return 3 }
    return 0
}

/// The text of `b[from..<to]` with Unicode White_Space trimmed at the end (and at the start when
/// `start`), like Rust's `trim_end` / `trim`.
func trimmedString(_ b: UnsafeRawBufferPointer, _ from: Int, _ to: Int, start: Bool) -> String {
    var lo = max(0, from)
    var hi = min(to, b.count)
    if start {
        while lo < hi {
            if isASCIIWhitespace(b[lo]) { lo += 1; continue }
            let w = startsNonASCIIWhitespace(b, lo)
            if w == 0 || lo + w > hi { break }
            lo += w
        }
    }
    while hi > lo {
        if isASCIIWhitespace(b[hi - 1]) { hi -= 1; continue }
        var trimmed = false
        for w in [2, 3] where hi - w >= lo && startsNonASCIIWhitespace(b, hi - w) == w {
            hi -= w
            trimmed = true
            break
        }
        if !trimmed { break }
    }
    guard lo < hi else { return "" }
    return String(decoding: UnsafeRawBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
}

func startsWith(_ b: UnsafeRawBufferPointer, _ at: Int, _ prefix: [UInt8]) -> Bool {
    guard at >= 0, prefix.count <= b.count - at else { return false }
    var k = 0
    while k < prefix.count {
        if b[at + k] != prefix[k] { return false }
        k += 1
    }
    return true
}

/// Offset of the first occurrence of `needle` at or after `from`.
func find(_ b: UnsafeRawBufferPointer, _ needle: [UInt8], from: Int) -> Int? {
    guard let first = needle.first, from >= 0, let base = b.baseAddress else { return nil }
    var i = from
    let last = b.count - needle.count
    while i <= last {
        // memchr for the first byte, then compare the rest.
        guard let p = memchr(base + i, Int32(first), b.count - i) else { return nil }
        let at = base.distance(to: UnsafeRawPointer(p))
        if at > last { return nil }
        if startsWith(b, at, needle) { return at }
        i = at + 1
    }
    return nil
}

/// 1-based line of byte offset `offset`.
func lineOf(_ b: UnsafeRawBufferPointer, _ offset: Int) -> Int {
    var line = 1
    var i = 0
    let end = min(max(offset, 0), b.count)
    while i < end {
        if b[i] == 0x0A { line += 1 }
        i += 1
    }
    return line
}

func hex(_ b: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
    return String([digits[Int(b >> 4)], digits[Int(b & 0x0F)]])
}

/// Control characters shown as escapes (for messages quoting file content).
func escape(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
        switch u {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default:
            if u.value < 0x20 || u.value == 0x7F {
                out += "\\u{\(String(u.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out
}

/// Offset of the first byte that is not part of valid UTF-8 (RFC 3629: no overlongs, no
/// surrogates, nothing above U+10FFFF), or nil when all of `b` is valid.
func firstInvalidUTF8(_ b: UnsafeRawBufferPointer) -> Int? {
    let n = b.count
    var i = 0
    while i < n {
        // ASCII fast path: 8 bytes at a time.
        while n - i >= 8 && b.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        if i >= n { break }
        let c = b[i]
        if c < 0x80 {
            i += 1
            continue
        }
        var need = 0
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return i
        }
        guard need < n - i else { return i }
        let c1 = b[i + 1]
        if c1 < lo || c1 > hi { return i }
        var k = 2
        while k <= need {
            let ck = b[i + k]
            if ck < 0x80 || ck > 0xBF { return i }
            k += 1
        }
        i += need + 1
    }
    return nil
}
