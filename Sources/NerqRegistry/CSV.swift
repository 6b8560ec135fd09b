// Streaming CSV as PostgreSQL's `COPY ... TO ... WITH CSV HEADER` writes it (the crates.io dump):
// comma-separated, fields quoted with `"` when they hold a comma, quote, CR or LF or are the empty
// string, quotes doubled inside quotes, records ended by LF (CRLF accepted). An unquoted empty
// field is NULL; a quoted empty field is the empty string.
//
// The parser is fed chunks of any size and calls its handler once per record with a view of the
// unescaped fields (valid only during the call). Line numbers count physical lines, so a record
// whose quoted field holds newlines is reported at the line it starts on.

import NerqCore
import NerqJSON

/// One record, as a view into the parser's buffers (valid only inside the handler).
struct CSVRow {
    let bytes: UnsafeBufferPointer<UInt8>
    /// start/end offsets into `bytes`, two per field; a NULL field has start == -1.
    let bounds: UnsafeBufferPointer<Int>
    /// The physical line the record starts on (1-based; the header is line 1).
    let line: Int

    var count: Int { bounds.count / 2 }

    /// Field `i`'s bytes, or nil when it is NULL or out of range.
    @inline(__always) func field(_ i: Int) -> UnsafeBufferPointer<UInt8>? {
        guard i >= 0, 2 * i + 1 < bounds.count else { return nil }
        let s = bounds[2 * i]
        let e = bounds[2 * i + 1]
        guard s >= 0, s <= e, e <= bytes.count else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[s..<e])
    }
}

final class CSVParser {
    typealias Handler = (CSVRow) throws(NerqError) -> Void

    private enum State { case fieldStart, unquoted, quoted, quotedQuote, afterCR }

    let file: String
    private let handler: Handler
    private var state = State.fieldStart
    private var bytes = RawBuffer<UInt8>(capacity: 1 << 16)
    private var bounds = RawBuffer<Int>(capacity: 64)
    private var fieldStart = 0
    private var fieldQuoted = false
    private var line = 1
    private var recordLine = 1
    private(set) var records = 0
    /// A record larger than this is an error (a stray quote would otherwise swallow the file).
    static let maxRecordBytes = 256 << 20

    init(file: String, handler: @escaping Handler) {
        self.file = file
        self.handler = handler
    }

    deinit {
        bytes.free()
        bounds.free()
    }

    private static func error(_ file: String, _ message: String, line: Int) -> NerqError {
        NerqError(.parseError, "\(file) line \(line): \(message)", path: "\(file):\(line)")
    }

    @inline(__always) private static func endField(_ bytes: inout RawBuffer<UInt8>, _ bounds: inout RawBuffer<Int>, _ fieldStart: inout Int,
                                                   _ fieldQuoted: inout Bool) {
        let end = bytes.count
        if !fieldQuoted && end == fieldStart {
            bounds.append(-1, -1)
        } else {
            bounds.append(fieldStart, end)
        }
        fieldStart = end
        fieldQuoted = false
    }

    @inline(__always) private static func endRecord(_ handler: Handler, _ bytes: inout RawBuffer<UInt8>, _ bounds: inout RawBuffer<Int>,
                                                    _ fieldStart: inout Int, _ recordLine: inout Int, line: Int,
                                                    _ records: inout Int) throws(NerqError) {
        records += 1
        let startLine = recordLine
        try handler(CSVRow(bytes: bytes.view, bounds: bounds.view, line: startLine))
        bytes.count = 0
        bounds.count = 0
        fieldStart = 0
        recordLine = line
    }

    /// Parses a chunk. The parser's state lives in locals while it runs (the hot loop then pays
    /// no exclusivity checks on the object's stored properties) and is stored back at the end.
    /// One function on purpose: with the states as methods of a state struct, the optimizer left
    /// some of them as calls per field (measured: more instructions for the whole ingest).
    func feed(_ chunk: UnsafeBufferPointer<UInt8>) throws(NerqError) {
        guard let p = chunk.baseAddress else { return }
        let n = chunk.count
        let file = self.file
        let handler = self.handler
        var state = self.state
        var bytes = self.bytes
        var bounds = self.bounds
        var fieldStart = self.fieldStart
        var fieldQuoted = self.fieldQuoted
        var line = self.line
        var recordLine = self.recordLine
        var records = self.records
        defer {
            self.state = state
            self.bytes = bytes
            self.bounds = bounds
            self.fieldStart = fieldStart
            self.fieldQuoted = fieldQuoted
            self.line = line
            self.recordLine = recordLine
            self.records = records
        }
        var i = 0
        while i < n {
            switch state {
            case .fieldStart:
                if p[i] == 0x22 {
                    fieldQuoted = true
                    state = .quoted
                    i += 1
                } else {
                    state = .unquoted
                }
            case .unquoted:
                var j = i
                while j < n {
                    let c = p[j]
                    if c == 0x2C || c == 0x0A || c == 0x0D || c == 0x22 { break }
                    j += 1
                }
                if j > i { bytes.append(p + i, count: j - i) }
                i = j
                if j == n { break }
                let c = p[j]
                i = j + 1
                if c == 0x2C {
                    CSVParser.endField(&bytes, &bounds, &fieldStart, &fieldQuoted)
                    state = .fieldStart
                } else if c == 0x0A {
                    line += 1
                    CSVParser.endField(&bytes, &bounds, &fieldStart, &fieldQuoted)
                    try CSVParser.endRecord(handler, &bytes, &bounds, &fieldStart, &recordLine, line: line, &records)
                    state = .fieldStart
                } else if c == 0x0D {
                    CSVParser.endField(&bytes, &bounds, &fieldStart, &fieldQuoted)
                    state = .afterCR
                } else {
                    throw CSVParser.error(file, "a quote inside an unquoted field (column \(bounds.count / 2 + 1))", line: line)
                }
            case .quoted:
                var j = i
                var newlines = 0
                while j < n {
                    let c = p[j]
                    if c == 0x22 { break }
                    if c == 0x0A { newlines += 1 }
                    j += 1
                }
                if j > i { bytes.append(p + i, count: j - i) }
                line += newlines
                if bytes.count > CSVParser.maxRecordBytes {
                    throw CSVParser.error(file, "a record longer than \(CSVParser.maxRecordBytes) bytes (an unterminated quoted field?)", line: recordLine)
                }
                if j == n {
                    i = n
                } else {
                    state = .quotedQuote
                    i = j + 1
                }
            case .quotedQuote:
                let c = p[i]
                i += 1
                if c == 0x22 {
                    bytes.appendByte(0x22)
                    state = .quoted
                } else if c == 0x2C {
                    CSVParser.endField(&bytes, &bounds, &fieldStart, &fieldQuoted)
                    state = .fieldStart
                } else if c == 0x0A {
                    line += 1
                    CSVParser.endField(&bytes, &bounds, &fieldStart, &fieldQuoted)
                    try CSVParser.endRecord(handler, &bytes, &bounds, &fieldStart, &recordLine, line: line, &records)
                    state = .fieldStart
                } else if c == 0x0D {
                    CSVParser.endField(&bytes, &bounds, &fieldStart, &fieldQuoted)
                    state = .afterCR
                } else {
                    throw CSVParser.error(file, "unexpected character after a closing quote (column \(bounds.count / 2 + 1))", line: line)
                }
            case .afterCR:
                // CR LF or a lone CR: either way one line ends here.
                if p[i] == 0x0A { i += 1 }
                line += 1
                try CSVParser.endRecord(handler, &bytes, &bounds, &fieldStart, &recordLine, line: line, &records)
                state = .fieldStart
            }
        }
    }

    /// Ends the input: a last record without a final newline still counts.
    func finish() throws(NerqError) {
        switch state {
        case .quoted:
            throw CSVParser.error(file, "unterminated quoted field (end of file inside quotes)", line: recordLine)
        case .afterCR:
            line += 1
            try CSVParser.endRecord(handler, &bytes, &bounds, &fieldStart, &recordLine, line: line, &records)
        case .fieldStart:
            if bounds.count > 0 {
                CSVParser.endField(&bytes, &bounds, &fieldStart, &fieldQuoted)
                try CSVParser.endRecord(handler, &bytes, &bounds, &fieldStart, &recordLine, line: line, &records)
            }
        case .unquoted, .quotedQuote:
            CSVParser.endField(&bytes, &bounds, &fieldStart, &fieldQuoted)
            try CSVParser.endRecord(handler, &bytes, &bounds, &fieldStart, &recordLine, line: line, &records)
        }
        state = .fieldStart
    }
}

/// A growable buffer of trivial values in memory the parser owns (freed with it): appends are
/// plain copies, with none of Array's uniqueness and exclusivity bookkeeping per field.
struct RawBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var capacity: Int
    /// Elements in use; only this file sets it (to 0, or by appending).
    var count = 0

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = UnsafeMutablePointer<T>.allocate(capacity: self.capacity)
    }

    func free() { base.deallocate() }

    var view: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always) private mutating func reserve(_ extra: Int) {
        let needed = count + extra
        guard needed > capacity else { return }
        var c = capacity
        while c < needed { c = c > Int.max / 2 ? needed : c * 2 }
        let fresh = UnsafeMutablePointer<T>.allocate(capacity: c)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = c
    }

    @inline(__always) mutating func append(_ from: UnsafePointer<T>, count n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(from: from, count: n)
        count += n
    }

    @inline(__always) mutating func append(_ a: T, _ b: T) {
        reserve(2)
        (base + count).initialize(to: a)
        (base + count + 1).initialize(to: b)
        count += 2
    }
}

extension RawBuffer where T == UInt8 {
    @inline(__always) mutating func appendByte(_ byte: UInt8) {
        var b = byte
        append(&b, count: 1)
    }
}
