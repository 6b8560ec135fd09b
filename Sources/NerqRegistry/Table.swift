// One dump table read by column NAME: the header row says where each column is, extra columns are
// ignored (and listed), a missing required column is an error, and every value is checked with
// an error naming the file, the line and the column.

import NerqCore
import NerqJSON

/// The columns a table reader wants: `required` must be in the header, `optional` may be.
struct TableSpec: Sendable {
    var table: String
    var required: [String]
    var optional: [String]

    var all: [String] { required + optional }
}

final class TableReader {
    let spec: TableSpec
    let file: String
    private(set) var header: [String] = []
    /// Header position of each wanted column (spec order), -1 when the header lacks it.
    private(set) var slots: [Int] = []
    private(set) var ignoredColumns: [String] = []
    private(set) var rows = 0
    private var parser: CSVParser?
    private let onRow: (TableRow) throws(NerqError) -> Void

    init(spec: TableSpec, file: String, onRow: @escaping (TableRow) throws(NerqError) -> Void) {
        self.spec = spec
        self.file = file
        self.onRow = onRow
        parser = CSVParser(file: file) { [unowned self] (row: CSVRow) throws(NerqError) in
            try self.record(row)
        }
    }

    /// Whether the header has the column (only meaningful after the header row).
    func has(_ slot: Int) -> Bool { slot >= 0 && slot < slots.count && slots[slot] >= 0 }

    private func record(_ row: CSVRow) throws(NerqError) {
        if header.isEmpty {
            try readHeader(row)
            return
        }
        guard row.count == header.count else {
            throw NerqError(.parseError, "\(file) line \(row.line): expected \(header.count) fields (the header's columns), found \(row.count)",
                            path: "\(file):\(row.line)")
        }
        rows += 1
        try slots.withUnsafeBufferPointer { (s: UnsafeBufferPointer<Int>) throws(NerqError) in
            try onRow(TableRow(row: row, slots: s, reader: self))
        }
    }

    private func readHeader(_ row: CSVRow) throws(NerqError) {
        var names: [String] = []
        for i in 0..<row.count {
            guard let f = row.field(i) else {
                throw NerqError(.parseError, "\(file) line \(row.line): header column \(i + 1) is empty", path: "\(file):\(row.line)")
            }
            names.append(String(decoding: f, as: UTF8.self))
        }
        var seen: [String: Int] = [:]
        for (i, n) in names.enumerated() {
            if seen[n] != nil {
                throw NerqError(.parseError, "\(file) line \(row.line): column \"\(n)\" appears twice in the header", path: "\(file):\(row.line)")
            }
            seen[n] = i
        }
        let missing = spec.required.filter { seen[$0] == nil }
        if !missing.isEmpty {
            throw NerqError(.parseError,
                            "\(file) line \(row.line): missing column\(missing.count > 1 ? "s" : "") \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) (the header has \(names.joined(separator: ", ")))",
                            path: "\(file):\(row.line)")
        }
        header = names
        slots = spec.all.map { seen[$0] ?? -1 }
        let wanted = Set(spec.all)
        ignoredColumns = names.filter { !wanted.contains($0) }
    }

    func feed(_ chunk: UnsafeBufferPointer<UInt8>) throws(NerqError) {
        guard let parser else { return }
        try parser.feed(chunk)
    }

    func finish() throws(NerqError) {
        guard let parser else { return }
        try parser.finish()
        if header.isEmpty {
            throw NerqError(.parseError, "\(file): empty file (no header row)", path: file)
        }
        self.parser = nil
    }

    func columnName(_ slot: Int) -> String {
        let all = spec.all
        return slot >= 0 && slot < all.count ? all[slot] : "?"
    }
}

/// One data row with typed, checked access by the spec's column slot.
struct TableRow {
    let row: CSVRow
    /// The reader's column positions (valid during the handler call).
    let slots: UnsafeBufferPointer<Int>
    /// For error messages only.
    let reader: TableReader

    var line: Int { row.line }

    func fail(_ slot: Int, _ what: String, _ value: UnsafeBufferPointer<UInt8>?) -> NerqError {
        let shown: String
        if let value {
            let text = String(decoding: value.prefix(80), as: UTF8.self)
            shown = "\"\(text)\(value.count > 80 ? "…" : "")\""
        } else {
            shown = "NULL"
        }
        return NerqError(.parseError, "\(reader.file) line \(row.line): column \"\(reader.columnName(slot))\": \(what), found \(shown)",
                         path: "\(reader.file):\(row.line)")
    }

    /// The raw field, nil when NULL or when the header lacks the column.
    @inline(__always) func raw(_ slot: Int) -> UnsafeBufferPointer<UInt8>? {
        guard slot >= 0, slot < slots.count else { return nil }
        return row.field(slots[slot])
    }

    func int(_ slot: Int) throws(NerqError) -> Int64 {
        guard let v = try optionalInt(slot) else { throw fail(slot, "expected an integer", nil) }
        return v
    }

    func optionalInt(_ slot: Int) throws(NerqError) -> Int64? {
        guard let f = raw(slot) else { return nil }
        guard let v = PGText.int64(f) else { throw fail(slot, "expected an integer", f) }
        return v
    }

    /// An id that fits the compact 32-bit arrays (crates.io ids are Postgres `integer`s).
    func id(_ slot: Int) throws(NerqError) -> Int32 {
        let v = try int(slot)
        guard v >= 0, v <= Int64(Int32.max) else { throw fail(slot, "expected an id between 0 and \(Int32.max)", raw(slot)) }
        return Int32(v)
    }

    func count(_ slot: Int) throws(NerqError) -> Int64? {
        guard let v = try optionalInt(slot) else { return nil }
        guard v >= 0 else { throw fail(slot, "expected a count (0 or more)", raw(slot)) }
        return v
    }

    func bool(_ slot: Int) throws(NerqError) -> Bool? {
        guard let f = raw(slot) else { return nil }
        guard let v = PGText.bool(f) else { throw fail(slot, "expected a boolean t or f", f) }
        return v
    }

    func timestamp(_ slot: Int) throws(NerqError) -> Int64? {
        guard let f = raw(slot) else { return nil }
        guard let v = PGText.dateTime(f) else {
            throw fail(slot, "expected a timestamp like 2017-01-17 19:13:05.112025+00", f)
        }
        return v
    }

    func date(_ slot: Int) throws(NerqError) -> Int64? {
        guard let f = raw(slot) else { return nil }
        guard let v = PGText.date(f) else { throw fail(slot, "expected a date YYYY-MM-DD", f) }
        return v
    }

    func string(_ slot: Int) -> String? {
        raw(slot).map { String(decoding: $0, as: UTF8.self) }
    }

    func requiredString(_ slot: Int) throws(NerqError) -> String {
        guard let s = string(slot), !s.isEmpty else { throw fail(slot, "expected a non-empty value", raw(slot)) }
        return s
    }

    /// True when the field is neither NULL nor blank.
    func present(_ slot: Int) -> Bool {
        guard let f = raw(slot) else { return false }
        return f.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }

    func array(_ slot: Int) throws(NerqError) -> [String]? {
        guard let f = raw(slot) else { return nil }
        guard let v = PGText.array(f) else {
            throw fail(slot, "expected a PostgreSQL array literal like {a,b} or {}", f)
        }
        return v
    }
}
