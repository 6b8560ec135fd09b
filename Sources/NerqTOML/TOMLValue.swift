// NerqTOML — a TOML 1.0 parser in pure Swift (stdlib only).
//
// Public value model. Everything here is a value type, Sendable, and
// deterministic: tables keep the insertion order of their keys.

/// A parsed TOML value.
public enum TOMLValue: Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case bool(Bool)
    case offsetDateTime(TOMLDateTime)
    case localDateTime(TOMLDateTime)
    case localDate(TOMLDateTime)
    case localTime(TOMLDateTime)
    case array([TOMLValue])
    case table(TOMLTable)
}

extension TOMLValue: Equatable {
    /// Structural equality. Floats compare numerically, except that any NaN
    /// equals any NaN (so a parsed document always equals itself).
    /// Tables compare their entries in order (see `TOMLTable.==`).
    public static func == (lhs: TOMLValue, rhs: TOMLValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return tomlKeyEquals(a, b)
        case let (.integer(a), .integer(b)): return a == b
        case let (.float(a), .float(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.bool(a), .bool(b)): return a == b
        case let (.offsetDateTime(a), .offsetDateTime(b)): return a == b
        case let (.localDateTime(a), .localDateTime(b)): return a == b
        case let (.localDate(a), .localDate(b)): return a == b
        case let (.localTime(a), .localTime(b)): return a == b
        case let (.array(a), .array(b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where !(x == y) { return false }
            return true
        case let (.table(a), .table(b)): return a == b
        default: return false
        }
    }
}

extension TOMLValue {
    /// The toml-test type name of this value: "string", "integer", "float",
    /// "bool", "datetime", "datetime-local", "date-local", "time-local",
    /// "array" or "table".
    public var typeName: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .bool: return "bool"
        case .offsetDateTime: return "datetime"
        case .localDateTime: return "datetime-local"
        case .localDate: return "date-local"
        case .localTime: return "time-local"
        case .array: return "array"
        case .table: return "table"
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let i) = self { return i }
        return nil
    }

    public var floatValue: Double? {
        if case .float(let d) = self { return d }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Any of the four date/time kinds.
    public var dateTimeValue: TOMLDateTime? {
        switch self {
        case .offsetDateTime(let d), .localDateTime(let d), .localDate(let d), .localTime(let d): return d
        default: return nil
        }
    }

    public var arrayValue: [TOMLValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var tableValue: TOMLTable? {
        if case .table(let t) = self { return t }
        return nil
    }
}

// MARK: - Date/time

/// A TOML date-time value. Which fields are meaningful depends on `kind`:
/// local dates have zero time fields, local times have zero date fields, and
/// only offset date-times carry `offsetMinutes`.
///
/// Fractional seconds beyond nanosecond precision are truncated.
public struct TOMLDateTime: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: UInt8, Sendable, Hashable {
        case offsetDateTime, localDateTime, localDate, localTime
    }

    public let kind: Kind
    // Compact storage keeps `TOMLValue` small.
    private let _year: UInt16
    private let _month: UInt8
    private let _day: UInt8
    private let _hour: UInt8
    private let _minute: UInt8
    private let _second: UInt8
    private let _nanosecond: UInt32
    private let _offset: Int16

    /// Creates a value. Out-of-range components are clamped to the storage
    /// range (no validation of calendar correctness is performed here).
    public init(kind: Kind, year: Int = 0, month: Int = 0, day: Int = 0,
                hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0,
                offsetMinutes: Int? = nil) {
        self.kind = kind
        let hasDate = kind != .localTime
        let hasTime = kind != .localDate
        _year = hasDate ? UInt16(clamping: year) : 0
        _month = hasDate ? UInt8(clamping: month) : 0
        _day = hasDate ? UInt8(clamping: day) : 0
        _hour = hasTime ? UInt8(clamping: hour) : 0
        _minute = hasTime ? UInt8(clamping: minute) : 0
        _second = hasTime ? UInt8(clamping: second) : 0
        _nanosecond = hasTime ? UInt32(clamping: nanosecond) : 0
        _offset = kind == .offsetDateTime ? Int16(clamping: offsetMinutes ?? 0) : 0
    }

    public var year: Int { Int(_year) }
    public var month: Int { Int(_month) }
    public var day: Int { Int(_day) }
    public var hour: Int { Int(_hour) }
    public var minute: Int { Int(_minute) }
    public var second: Int { Int(_second) }
    public var nanosecond: Int { Int(_nanosecond) }
    /// Offset from UTC in minutes (`Z` is 0); nil unless `kind == .offsetDateTime`.
    public var offsetMinutes: Int? { kind == .offsetDateTime ? Int(_offset) : nil }

    public var hasDate: Bool { kind != .localTime }
    public var hasTime: Bool { kind != .localDate }

    /// RFC 3339 rendering: `1979-05-27T07:32:00Z`, `1979-05-27T00:32:00.999-07:00`,
    /// `1979-05-27T07:32:00`, `1979-05-27`, `07:32:00.5`-style fractions are
    /// rendered with 3, 6 or 9 digits (`07:32:00.500`). A zero offset renders as `Z`.
    public var rfc3339: String {
        var out: [UInt8] = []
        out.reserveCapacity(35)
        if hasDate {
            appendDigits(&out, year, 4)
            out.append(0x2D)
            appendDigits(&out, month, 2)
            out.append(0x2D)
            appendDigits(&out, day, 2)
            if hasTime { out.append(0x54) }  // T
        }
        if hasTime {
            appendDigits(&out, hour, 2)
            out.append(0x3A)
            appendDigits(&out, minute, 2)
            out.append(0x3A)
            appendDigits(&out, second, 2)
            if _nanosecond != 0 {
                out.append(0x2E)
                var frac = Int(_nanosecond)
                var digits = 9
                while digits > 3 && frac % 1000 == 0 {
                    frac /= 1000
                    digits -= 3
                }
                appendDigits(&out, frac, digits)
            }
        }
        if let off = offsetMinutes {
            if off == 0 {
                out.append(0x5A)  // Z
            } else {
                out.append(off < 0 ? 0x2D : 0x2B)
                let m = off < 0 ? -off : off
                appendDigits(&out, m / 60, 2)
                out.append(0x3A)
                appendDigits(&out, m % 60, 2)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { rfc3339 }
}

@inline(__always)
private func appendDigits(_ out: inout [UInt8], _ value: Int, _ width: Int) {
    // value is always non-negative and small here (comes from clamped storage).
    var v = value < 0 ? 0 : value
    var tmp: [UInt8] = []
    tmp.reserveCapacity(10)
    repeat {
        tmp.append(UInt8(truncatingIfNeeded: 0x30 + v % 10))
        v /= 10
    } while v > 0
    var pad = width - tmp.count
    while pad > 0 {
        out.append(0x30)
        pad -= 1
    }
    out.append(contentsOf: tmp.reversed())
}

// MARK: - Table

/// A TOML table. Entries keep document (insertion) order.
///
/// `lines[i]` is the 1-based source line of `entries[i]` (the line of the key,
/// or of the `[header]` / first `[[header]]` that created it). `line` is the
/// line where this table itself was opened.
public struct TOMLTable: Sendable {
    /// Key/value pairs in insertion order.
    public var entries: [(key: String, value: TOMLValue)] {
        didSet { index = nil }
    }
    /// Source line of each entry, parallel to `entries` (may be shorter or
    /// longer if `entries` was modified by the caller; use `line(forKey:)`).
    public var lines: [Int]
    /// 1-based line where this table was opened: its `[header]`, its
    /// `[[header]]` array element, the line of its `{` for inline tables, the
    /// line of the first dotted key that created it, or 1 for the root.
    public var line: Int

    /// Key -> position, only for tables with many keys. Dropped (and lookups fall
    /// back to a linear scan) when `entries` is mutated.
    var index: [TOMLKey: Int]?

    static let indexThreshold = 8

    public init(entries: [(key: String, value: TOMLValue)] = [], line: Int = 1, lines: [Int]? = nil) {
        self.entries = entries
        self.line = line
        self.lines = lines ?? [Int](repeating: line, count: entries.count)
        self.index = TOMLTable.makeIndex(entries.lazy.map { $0.key }, count: entries.count)
    }

    init(parsedEntries entries: [(key: String, value: TOMLValue)], lines: [Int], line: Int, index: [TOMLKey: Int]?) {
        self.entries = entries
        self.lines = lines
        self.line = line
        self.index = index
    }

    static func makeIndex<S: Sequence>(_ keys: S, count: Int) -> [TOMLKey: Int]? where S.Element == String {
        guard count > indexThreshold else { return nil }
        var m = [TOMLKey: Int](minimumCapacity: count)
        var i = 0
        for k in keys {
            let key = TOMLKey(k)
            if m[key] == nil { m[key] = i }  // first occurrence wins, like the linear scan
            i += 1
        }
        return m
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map { $0.key } }

    /// Position of `key` in `entries`. Keys compare by exact UTF-8 bytes (no
    /// Unicode normalization), as TOML requires.
    public func index(forKey key: String) -> Int? {
        if let index { return index[TOMLKey(key)] }
        var i = 0
        for e in entries {
            if tomlKeyEquals(e.key, key) { return i }
            i += 1
        }
        return nil
    }

    public subscript(key: String) -> TOMLValue? {
        guard let i = index(forKey: key), entries.indices.contains(i) else { return nil }
        return entries[i].value
    }

    /// Source line of the entry for `key`, if known.
    public func line(forKey key: String) -> Int? {
        guard let i = index(forKey: key), i >= 0, i < lines.count else { return nil }
        return lines[i]
    }

    public func string(_ key: String) -> String? { self[key]?.stringValue }
    public func integer(_ key: String) -> Int64? { self[key]?.integerValue }
    public func float(_ key: String) -> Double? { self[key]?.floatValue }
    public func bool(_ key: String) -> Bool? { self[key]?.boolValue }
    public func dateTime(_ key: String) -> TOMLDateTime? { self[key]?.dateTimeValue }
    public func table(_ key: String) -> TOMLTable? { self[key]?.tableValue }
    public func array(_ key: String) -> [TOMLValue]? { self[key]?.arrayValue }

    /// Array of tables (e.g. `[[package]]`), or nil if absent or if any element is not a table.
    public func tables(_ key: String) -> [TOMLTable]? {
        guard let arr = array(key) else { return nil }
        var out: [TOMLTable] = []
        out.reserveCapacity(arr.count)
        for v in arr {
            guard case .table(let t) = v else { return nil }
            out.append(t)
        }
        return out
    }

    /// Array whose elements are all strings, or nil.
    public func strings(_ key: String) -> [String]? {
        guard let arr = array(key) else { return nil }
        var out: [String] = []
        out.reserveCapacity(arr.count)
        for v in arr {
            guard case .string(let s) = v else { return nil }
            out.append(s)
        }
        return out
    }
}

extension TOMLTable: Equatable {
    /// Entries compare in order (keys byte-exact, values with `TOMLValue.==`);
    /// source positions (`line`, `lines`) are ignored.
    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (a, b) in zip(lhs.entries, rhs.entries) {
            if !tomlKeyEquals(a.key, b.key) || !(a.value == b.value) { return false }
        }
        return true
    }
}

// MARK: - Error

public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based byte column within the line (a leading UTF-8 BOM is not counted).
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(line):\(column): \(message)" }
}

// MARK: - Byte-exact keys

/// String compared and hashed by its UTF-8 bytes (Swift's `String ==` uses
/// canonical equivalence, which TOML does not).
struct TOMLKey: Hashable, Sendable {
    let string: String
    init(_ s: String) { string = s }

    static func == (a: TOMLKey, b: TOMLKey) -> Bool { tomlKeyEquals(a.string, b.string) }

    func hash(into hasher: inout Hasher) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil {
            for b in string.utf8 { hasher.combine(b) }
        }
        hasher.combine(string.utf8.count)
    }
}

@inline(__always)
func tomlKeyEquals(_ a: String, _ b: String) -> Bool {
    let ua = a.utf8, ub = b.utf8
    guard ua.count == ub.count else { return false }
    let fast: Bool?? = ua.withContiguousStorageIfAvailable { pa in
        ub.withContiguousStorageIfAvailable { pb in
            guard pa.count == pb.count else { return false }
            var i = 0
            while i < pa.count {
                if pa[i] != pb[i] { return false }
                i += 1
            }
            return true
        }
    }
    if let f = fast, let r = f { return r }
    return ua.elementsEqual(ub)
}
