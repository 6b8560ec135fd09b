import NerqCore
import NerqIO
import NerqJSON
import NerqTOML

/// A configuration file, parsed, with errors that name it and the line: every reader below goes
/// through this so that a mistake in any of them reads `deny.toml:7: ...`.
struct TOMLSource {
    /// The path as given (what the user sees in messages).
    let file: String
    let root: TOMLTable
    /// The file's lines, to place array elements (the parser records lines per key, not per element).
    let lines: [Substring]

    /// Configuration files are small; anything larger is not one.
    static let sizeLimit = 1 << 20

    static func load(_ path: String) throws(NerqError) -> TOMLSource {
        let bytes: [UInt8]
        do {
            bytes = try Files.read(path, limit: sizeLimit)
        } catch {
            throw NerqError(error.code, "\(path): \(error.message)", path: path)
        }
        return try parse(bytes, file: path)
    }

    static func parse(_ bytes: [UInt8], file: String) throws(NerqError) -> TOMLSource {
        do {
            let root = try TOML.parse(bytes)
            let text = String(decoding: bytes, as: UTF8.self)
            return TOMLSource(file: file, root: root, lines: text.split(separator: "\n", omittingEmptySubsequences: false))
        } catch {
            throw NerqError(.parseError, "\(file):\(error.line):\(error.column): \(error.message)", path: "\(file):\(error.line):\(error.column)")
        }
    }

    func error(_ code: NerqError.Code, _ line: Int?, _ message: String) -> NerqError {
        let at = line.map { "\(file):\($0)" } ?? file
        return NerqError(code, "\(at): \(message)", path: at)
    }

    /// `file:line`, for the `source` of what a file says.
    func location(_ line: Int?) -> String { line.map { "\(file):\($0)" } ?? file }

    /// The first line at or after `start` that holds `"text"` (or `'text'`): where an array element
    /// was written. Falls back to `start`.
    func line(of text: String, from start: Int) -> Int {
        let quoted = ["\"\(text)\"", "'\(text)'"]
        var n = max(1, start)
        while n <= lines.count {
            let line = lines[n - 1]
            if quoted.contains(where: { line.contains($0) }) { return n }
            n += 1
        }
        return start
    }

    func table(_ t: TOMLTable, named name: String) -> TableReader { TableReader(source: self, table: t, name: name) }
}

/// Typed reads from one table, each error naming the file, the line and the dotted key.
struct TableReader {
    let source: TOMLSource
    let table: TOMLTable
    /// Dotted name of the table (`advisories`, `workspace.metadata.nerq.gates`); empty for the root.
    let name: String

    func key(_ k: String) -> String { name.isEmpty ? k : "\(name).\(k)" }
    func line(_ k: String) -> Int { table.line(forKey: k) ?? table.line }

    func rejectUnknownKeys(_ known: [String], tool: String) throws(NerqError) {
        for (i, e) in table.entries.enumerated() where !known.contains(e.key) {
            let at = i < table.lines.count ? table.lines[i] : table.line
            let expected = known.map { "`\($0)`" }.joined(separator: ", ")
            throw source.error(.unknownKey, at, "unknown key `\(key(e.key))` (\(tool) knows \(expected))")
        }
    }

    func typeError(_ k: String, _ expected: String, _ v: TOMLValue) -> NerqError {
        source.error(.invalidType, line(k), "`\(key(k))` must be \(expected), found \(v.typeName)")
    }

    func string(_ k: String) throws(NerqError) -> String? {
        guard let v = table[k] else { return nil }
        guard let s = v.stringValue else { throw typeError(k, "a string", v) }
        return s
    }

    func bool(_ k: String) throws(NerqError) -> Bool? {
        guard let v = table[k] else { return nil }
        guard let b = v.boolValue else { throw typeError(k, "true or false", v) }
        return b
    }

    func number(_ k: String, in range: ClosedRange<Double>) throws(NerqError) -> Double? {
        guard let v = table[k] else { return nil }
        let n: Double
        if let i = v.integerValue { n = Double(i) } else if let f = v.floatValue { n = f } else { throw typeError(k, "a number", v) }
        guard range.contains(n) else {
            throw source.error(.invalidValue, line(k), "`\(key(k))` must be from \(shortNumber(range.lowerBound)) to \(shortNumber(range.upperBound)), found \(shortNumber(n))")
        }
        return n
    }

    func subtable(_ k: String) throws(NerqError) -> TableReader? {
        guard let v = table[k] else { return nil }
        guard let t = v.tableValue else { throw typeError(k, "a table", v) }
        return TableReader(source: source, table: t, name: key(k))
    }

    /// A list of strings, each with the line it is written on.
    func strings(_ k: String) throws(NerqError) -> [(value: String, line: Int)]? {
        guard let v = table[k] else { return nil }
        guard let items = v.arrayValue else { throw typeError(k, "a list of strings", v) }
        var out: [(String, Int)] = []
        var from = line(k)
        for (i, item) in items.enumerated() {
            guard let s = item.stringValue else {
                throw source.error(.invalidType, line(k), "`\(key(k))[\(i)]` must be a string, found \(item.typeName)")
            }
            from = source.line(of: s, from: from)
            out.append((s, from))
        }
        return out
    }

    /// A string or a list of strings (cargo-audit's `[target] os = "linux"` or `["linux", "macos"]`).
    func stringOrStrings(_ k: String) throws(NerqError) -> [String]? {
        guard let v = table[k] else { return nil }
        if let s = v.stringValue { return [s] }
        guard v.arrayValue != nil else { throw typeError(k, "a string or a list of strings", v) }
        return try strings(k)?.map(\.value)
    }

    /// One of `choices`, named in the error when it is something else.
    func choice(_ k: String, _ choices: [String]) throws(NerqError) -> String? {
        guard let s = try string(k) else { return nil }
        guard choices.contains(s) else {
            throw source.error(.invalidValue, line(k), "`\(key(k))` must be one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(s)\"")
        }
        return s
    }

    /// A TOML date, date-time or an RFC 3339 / YYYY-MM-DD string.
    func timestamp(_ k: String) throws(NerqError) -> Timestamp? {
        guard let v = table[k] else { return nil }
        let text: String
        if let d = v.dateTimeValue, d.hasDate {
            // A local date-time has no offset: read as UTC, like a bare date.
            text = d.kind == .localDateTime ? d.rfc3339 + "Z" : d.rfc3339
        } else if let s = v.stringValue {
            text = s
        } else {
            throw typeError(k, "a date (2027-01-31) or an RFC 3339 date-time", v)
        }
        let normalized = text
        guard let t = Timestamp.parse(normalized) else {
            throw source.error(.invalidValue, line(k), "`\(key(k))` must be a date (2027-01-31) or an RFC 3339 date-time, found \"\(text)\"")
        }
        return t
    }
}
