// NerqTOML parser: a single pass over UTF-8 bytes.
//
// Safety rules followed throughout: every byte access is bounds-checked (see
// `b(_:)` and the `i < end` guards), no force unwraps, no trapping arithmetic
// on values derived from the input, and nesting is limited by `maxDepth` so
// recursion depth is bounded.

public enum TOML {
    /// Maximum nesting of arrays / tables (including header and dotted-key
    /// paths). Deeper documents are rejected with an error.
    public static let maxNestingDepth = 128

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(TOMLError) -> TOMLTable {
        var p = Parser(bytes, maxDepth: maxNestingDepth)
        return try p.parseDocument()
    }

    public static func parse(_ bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        let r: Result<TOMLTable, TOMLError> = bytes.withUnsafeBytes { raw in
            do throws(TOMLError) {
                return .success(try parse(raw))
            } catch {
                return .failure(error)
            }
        }
        return try r.get()
    }

    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var s = text
        let r: Result<TOMLTable, TOMLError> = s.withUTF8 { buf in
            do throws(TOMLError) {
                return .success(try parse(UnsafeRawBufferPointer(buf)))
            } catch {
                return .failure(error)
            }
        }
        return try r.get()
    }
}

// MARK: - Byte constants

private let TAB: UInt8 = 0x09
private let LF: UInt8 = 0x0A
private let CR: UInt8 = 0x0D
private let SPACE: UInt8 = 0x20
private let QUOTE: UInt8 = 0x22  // "
private let HASH: UInt8 = 0x23  // #
private let APOS: UInt8 = 0x27  // '
private let PLUS: UInt8 = 0x2B
private let COMMA: UInt8 = 0x2C
private let DASH: UInt8 = 0x2D
private let DOT: UInt8 = 0x2E
private let COLON: UInt8 = 0x3A
private let EQUALS: UInt8 = 0x3D
private let LBRACKET: UInt8 = 0x5B
private let BACKSLASH: UInt8 = 0x5C
private let RBRACKET: UInt8 = 0x5D
private let UNDERSCORE: UInt8 = 0x5F
private let LBRACE: UInt8 = 0x7B
private let RBRACE: UInt8 = 0x7D
private let DEL: UInt8 = 0x7F

@inline(__always) private func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

@inline(__always) private func isBareKeyChar(_ c: UInt8) -> Bool {
    // A-Z a-z 0-9 _ -
    (c | 0x20) &- 0x61 < 26 || c &- 0x30 < 10 || c == UNDERSCORE || c == DASH
}

@inline(__always) private func isTokenChar(_ c: UInt8) -> Bool {
    isBareKeyChar(c) || c == PLUS || c == DOT || c == COLON
}

@inline(__always) private func hexValue(_ c: UInt8) -> Int {
    if c &- 0x30 < 10 { return Int(c &- 0x30) }
    let l = c | 0x20
    if l &- 0x61 < 6 { return Int(l &- 0x61) + 10 }
    return -1
}

@inline(__always) private func isControl(_ c: UInt8) -> Bool {
    (c < 0x20 && c != TAB) || c == DEL
}

// SWAR helpers: test 8 bytes at once. Results are only used as "some byte in
// this word needs attention", so the usual false positives above a true match
// do not matter.
private let ONES: UInt64 = 0x0101_0101_0101_0101
private let HIGHS: UInt64 = 0x8080_8080_8080_8080

@inline(__always) private func swarHasByte(_ x: UInt64, _ c: UInt8) -> UInt64 {
    let y = x ^ (ONES &* UInt64(c))
    return (y &- ONES) & ~y & HIGHS
}

/// Non-zero if any byte is >= 0x80, < 0x20, DEL, or equal to `quote` / `other`.
@inline(__always) private func swarStringSpecial(_ x: UInt64, _ quote: UInt8, _ other: UInt8) -> UInt64 {
    (x & HIGHS) | ((x &- ONES &* 0x20) & ~x & HIGHS) | swarHasByte(x, quote) | swarHasByte(x, other)
        | swarHasByte(x, DEL)
}

private func describeByte(_ c: UInt8) -> String {
    if c >= 0x21 && c < 0x7F {
        return "'" + String(decoding: CollectionOfOne(c), as: UTF8.self) + "'"
    }
    switch c {
    case SPACE: return "space"
    case TAB: return "tab"
    case LF: return "newline"
    case CR: return "carriage return"
    default:
        let hex = String(c, radix: 16, uppercase: true)
        if c < 0x80 { return "control character U+" + String(repeating: "0", count: 4 - hex.count) + hex }
        return "byte 0x" + (hex.count < 2 ? "0" : "") + hex
    }
}

// MARK: - Parse tree under construction

/// Where a table came from; decides what may still be added to it.
private enum TableState: UInt8 {
    /// Created as an intermediate of a `[a.b.c]` header path; may be defined later by a header.
    case implicit
    /// Defined by a `[header]` (or an array-of-tables element): no header may
    /// define it again and dotted keys from outside may not add to it.
    case explicit
    /// Created by a dotted key (or an inline table under construction): no header
    /// may define it, dotted keys may extend it.
    case dotted
}

/// A value inside a table under construction. Inline tables and static
/// arrays are complete (immutable) when parsed, so they are stored as
/// finished `TOMLValue`s; only header/dotted tables and arrays of tables
/// stay mutable.
private enum Slot {
    case value(TOMLValue)
    case table(Int)  // index into Parser.tables
    case aot(Int)  // index into Parser.aots
}

private struct TNode {
    /// Final entries; values of mutable children (see `refs`) are placeholders
    /// until `buildTable` fills them in.
    var entries: [(key: String, value: TOMLValue)] = []
    var lines: [Int] = []
    /// Lazily allocated, parallel to `entries`: -1 plain value, >= 0 index of a
    /// child table in `Parser.tables`, <= -2 array of tables `-(ref + 2)` in `Parser.aots`.
    var refs: [Int] = []
    var map: [TOMLKey: Int]? = nil
    var line: Int
    var state: TableState
    var depth: Int

    init(line: Int, state: TableState, depth: Int) {
        self.line = line
        self.state = state
        self.depth = depth
    }

    init() {
        line = 0
        state = .explicit
        depth = 0
    }
}

// MARK: - Parser

private struct Parser {
    let buf: UnsafeRawBufferPointer
    let end: Int
    let maxDepth: Int
    var pos = 0
    /// Current line (1-based); incremented whenever a LF is consumed.
    var line = 1
    var bomLength = 0

    var tables: [TNode] = []
    var aots: [[Int]] = []
    var current = 0
    var scratch: [UInt8] = []
    var headerKeys: [String] = []
    var headerKeyPos: [Int] = []

    init(_ buf: UnsafeRawBufferPointer, maxDepth: Int) {
        self.buf = buf
        self.end = buf.count
        self.maxDepth = maxDepth
    }

    /// Bounds-checked byte read; 0 outside the buffer. Callers never rely on
    /// 0 meaning end-of-input where a real NUL byte could matter.
    @inline(__always) func b(_ i: Int) -> UInt8 {
        if i >= 0 && i < end { return buf[i] }
        return 0
    }

    // MARK: Errors

    func error(_ message: String, at position: Int) -> TOMLError {
        let p = min(max(position, 0), end)
        var ln = 1
        var lineStart = 0
        var i = 0
        while i < p {
            if buf[i] == LF {
                ln += 1
                lineStart = i + 1
            }
            i += 1
        }
        var col = p - lineStart + 1
        if ln == 1 && bomLength > 0 && p >= bomLength { col -= bomLength }
        return TOMLError(line: ln, column: col, message: message)
    }

    func unexpected(_ at: Int, expected: String) -> TOMLError {
        if at >= end { return error("unexpected end of input, expected " + expected, at: at) }
        return error("unexpected " + describeByte(b(at)) + ", expected " + expected, at: at)
    }

    // MARK: Document

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        if end >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF {
            pos = 3
            bomLength = 3
        }
        tables.reserveCapacity(64)
        tables.append(TNode(line: 1, state: .explicit, depth: 0))
        current = 0
        while true {
            skipWS()
            if pos >= end { break }
            let c = buf[pos]
            if c == LF {
                pos += 1
                line += 1
                continue
            }
            if c == CR {
                if b(pos + 1) == LF {
                    pos += 2
                    line += 1
                    continue
                }
                throw error("carriage return not followed by line feed", at: pos)
            }
            if c == HASH {
                try skipComment()
                continue
            }
            if c == LBRACKET {
                try parseHeader()
            } else {
                try parseKeyValue(base: current)
            }
            try expectLineEnd()
        }
        return buildTable(0)
    }

    @inline(__always) mutating func skipWS() {
        while pos < end {
            let c = buf[pos]
            if c != SPACE && c != TAB { return }
            pos += 1
        }
    }

    /// `pos` is at '#'. Leaves `pos` at the terminating newline (or end).
    mutating func skipComment() throws(TOMLError) {
        var i = pos + 1
        while i < end {
            let c = buf[i]
            if (c >= 0x20 && c < 0x7F) || c == TAB {
                i += 1
                continue
            }
            if c == LF { break }
            if c >= 0x80 {
                i += try utf8Length(at: i)
                continue
            }
            if c == CR && b(i + 1) == LF { break }
            throw error(describeByte(c) + " is not allowed in a comment", at: i)
        }
        pos = i
    }

    /// Whitespace, newlines and comments (inside arrays).
    mutating func skipWSNewlinesComments() throws(TOMLError) {
        while pos < end {
            let c = buf[pos]
            if c == SPACE || c == TAB {
                pos += 1
            } else if c == LF {
                pos += 1
                line += 1
            } else if c == CR {
                guard b(pos + 1) == LF else { throw error("carriage return not followed by line feed", at: pos) }
                pos += 2
                line += 1
            } else if c == HASH {
                try skipComment()
            } else {
                return
            }
        }
    }

    /// After a key/value pair or header: optional whitespace and comment, then a newline or end of input.
    mutating func expectLineEnd() throws(TOMLError) {
        skipWS()
        guard pos < end else { return }
        var c = buf[pos]
        if c == HASH {
            try skipComment()
            guard pos < end else { return }
            c = buf[pos]
        }
        if c == LF {
            pos += 1
            line += 1
            return
        }
        if c == CR && b(pos + 1) == LF {
            pos += 2
            line += 1
            return
        }
        throw unexpected(pos, expected: "end of line")
    }

    /// Length of the valid UTF-8 sequence starting at `i` (whose first byte is >= 0x80), or an error.
    func utf8Length(at i: Int) throws(TOMLError) -> Int {
        let c0 = b(i)
        if c0 < 0x80 { return 1 }
        let c1 = b(i + 1)
        if c0 >= 0xC2 && c0 <= 0xDF {
            if c1 & 0xC0 == 0x80 { return 2 }
        } else if c0 >= 0xE0 && c0 <= 0xEF {
            let lo: UInt8 = c0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = c0 == 0xED ? 0x9F : 0xBF
            if c1 >= lo && c1 <= hi && b(i + 2) & 0xC0 == 0x80 { return 3 }
        } else if c0 >= 0xF0 && c0 <= 0xF4 {
            let lo: UInt8 = c0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = c0 == 0xF4 ? 0x8F : 0xBF
            if c1 >= lo && c1 <= hi && b(i + 2) & 0xC0 == 0x80 && b(i + 3) & 0xC0 == 0x80 { return 4 }
        }
        throw error("invalid UTF-8", at: i)
    }

    // MARK: Tables

    mutating func newTable(line: Int, state: TableState, depth: Int) -> Int {
        tables.append(TNode(line: line, state: state, depth: depth))
        return tables.count - 1
    }

    func findKey(_ t: Int, _ key: String) -> Int? {
        if let m = tables[t].map { return m[TOMLKey(key)] }
        var i = 0
        for e in tables[t].entries {
            if tomlKeyEquals(e.key, key) { return i }
            i += 1
        }
        return nil
    }

    func slot(_ t: Int, _ i: Int) -> Slot? {
        guard i >= 0 && i < tables[t].entries.count else { return nil }
        if i < tables[t].refs.count {
            let r = tables[t].refs[i]
            if r >= 0 { return .table(r) }
            if r <= -2 { return .aot(-(r + 2)) }
        }
        return .value(tables[t].entries[i].value)
    }

    mutating func insert(_ t: Int, _ key: String, _ slot: Slot, line: Int) {
        let n = tables[t].entries.count
        if n == 0 {
            tables[t].entries.reserveCapacity(6)
            tables[t].lines.reserveCapacity(6)
        }
        switch slot {
        case .value(let v):
            tables[t].entries.append((key: key, value: v))
        case .table(let c):
            setRef(t, n, c)
            tables[t].entries.append((key: key, value: .bool(false)))
        case .aot(let a):
            setRef(t, n, -(a + 2))
            tables[t].entries.append((key: key, value: .bool(false)))
        }
        tables[t].lines.append(line)
        if tables[t].map != nil {
            tables[t].map?[TOMLKey(key)] = n
        } else if n + 1 > TOMLTable.indexThreshold {
            tables[t].map = TOMLTable.makeIndex(tables[t].entries.lazy.map { $0.key }, count: n + 1)
        }
    }

    /// Fast path of `insert` for plain values.
    mutating func insertValue(_ t: Int, _ key: String, _ value: TOMLValue, line: Int) {
        let n = tables[t].entries.count
        if n == 0 {
            tables[t].entries.reserveCapacity(6)
            tables[t].lines.reserveCapacity(6)
        }
        tables[t].entries.append((key: key, value: value))
        tables[t].lines.append(line)
        if tables[t].map != nil {
            tables[t].map?[TOMLKey(key)] = n
        } else if n + 1 > TOMLTable.indexThreshold {
            tables[t].map = TOMLTable.makeIndex(tables[t].entries.lazy.map { $0.key }, count: n + 1)
        }
    }

    mutating func setRef(_ t: Int, _ i: Int, _ r: Int) {
        while tables[t].refs.count < i { tables[t].refs.append(-1) }
        tables[t].refs.append(r)
    }

    func depthError(at p: Int) -> TOMLError {
        error("nesting too deep (limit is \(maxDepth))", at: p)
    }

    func notATableError(_ key: String, _ value: TOMLValue, at p: Int) -> TOMLError {
        if case .table = value {
            return error("cannot extend inline table \(displayKey(key))", at: p)
        }
        if case .array = value {
            return error("cannot extend static array \(displayKey(key))", at: p)
        }
        return error("key \(displayKey(key)) is already defined as \(value.typeName), not a table", at: p)
    }

    func headerName(upTo n: Int) -> String {
        var s = ""
        var i = 0
        for k in headerKeys {
            if i >= n { break }
            if i > 0 { s += "." }
            s += displayKey(k)
            i += 1
        }
        return s
    }

    mutating func parseHeader() throws(TOMLError) {
        let hLine = line
        let isArray = b(pos + 1) == LBRACKET
        pos += isArray ? 2 : 1
        headerKeys.removeAll(keepingCapacity: true)
        headerKeyPos.removeAll(keepingCapacity: true)
        skipWS()
        while true {
            headerKeyPos.append(pos)
            headerKeys.append(try parseSimpleKey())
            skipWS()
            if pos < end && buf[pos] == DOT {
                pos += 1
                skipWS()
                continue
            }
            break
        }
        guard pos < end && buf[pos] == RBRACKET else {
            throw unexpected(pos, expected: isArray ? "']]'" : "']'")
        }
        pos += 1
        if isArray {
            guard pos < end && buf[pos] == RBRACKET else { throw unexpected(pos, expected: "']]'") }
            pos += 1
        }

        // Walk all but the last key.
        var t = 0
        let n = headerKeys.count
        var k = 0
        for (key, kp) in zip(headerKeys, headerKeyPos) {
            k += 1
            let isLast = k == n
            let found = findKey(t, key)
            if !isLast {
                if let i = found, let s = slot(t, i) {
                    switch s {
                    case .table(let c):
                        t = c
                    case .aot(let a):
                        guard a >= 0 && a < aots.count, let last = aots[a].last else {
                            throw error("internal error: empty array of tables", at: kp)
                        }
                        t = last
                    case .value(let v):
                        throw notATableError(headerName(upTo: k), v, at: kp)
                    }
                } else {
                    let d = tables[t].depth + 1
                    if d > maxDepth { throw depthError(at: kp) }
                    let c = newTable(line: hLine, state: .implicit, depth: d)
                    insert(t, key, .table(c), line: hLine)
                    t = c
                }
                continue
            }
            // Last key.
            if isArray {
                if let i = found, let s = slot(t, i) {
                    switch s {
                    case .aot(let a):
                        let d = tables[t].depth + 2
                        if d > maxDepth { throw depthError(at: kp) }
                        let c = newTable(line: hLine, state: .explicit, depth: d)
                        if a >= 0 && a < aots.count { aots[a].append(c) }
                        current = c
                    case .table:
                        throw error("cannot define array of tables [[\(headerName(upTo: k))]]: it is already a table", at: kp)
                    case .value(let v):
                        if case .array = v {
                            throw error("cannot append to static array \(headerName(upTo: k)) with [[...]]", at: kp)
                        }
                        throw error("cannot define array of tables [[\(headerName(upTo: k))]]: key already defined as \(v.typeName)", at: kp)
                    }
                } else {
                    let d = tables[t].depth + 2
                    if d > maxDepth { throw depthError(at: kp) }
                    let c = newTable(line: hLine, state: .explicit, depth: d)
                    aots.append([c])
                    insert(t, key, .aot(aots.count - 1), line: hLine)
                    current = c
                }
            } else {
                if let i = found, let s = slot(t, i) {
                    switch s {
                    case .table(let c):
                        guard tables[c].state == .implicit else {
                            throw error("table [\(headerName(upTo: k))] is already defined", at: kp)
                        }
                        tables[c].state = .explicit
                        tables[c].line = hLine
                        current = c
                    case .aot:
                        throw error("[\(headerName(upTo: k))] is already an array of tables", at: kp)
                    case .value(let v):
                        if case .table = v {
                            throw error("cannot redefine inline table \(headerName(upTo: k)) as [table]", at: kp)
                        }
                        throw error("key \(headerName(upTo: k)) is already defined as \(v.typeName), not a table", at: kp)
                    }
                } else {
                    let d = tables[t].depth + 1
                    if d > maxDepth { throw depthError(at: kp) }
                    let c = newTable(line: hLine, state: .explicit, depth: d)
                    insert(t, key, .table(c), line: hLine)
                    current = c
                }
            }
        }
    }

    /// Parses `key(.key)* = value` and inserts it into table `base`.
    mutating func parseKeyValue(base: Int) throws(TOMLError) {
        let kvLine = line
        var t = base
        var keyPos = pos
        var key = try parseSimpleKey()
        skipWS()
        while pos < end && buf[pos] == DOT {
            pos += 1
            skipWS()
            t = try descendDotted(from: t, key: key, keyPos: keyPos, line: kvLine)
            keyPos = pos
            key = try parseSimpleKey()
            skipWS()
        }
        guard pos < end && buf[pos] == EQUALS else {
            throw unexpected(pos, expected: "'=' after key")
        }
        pos += 1
        if findKey(t, key) != nil {
            throw error("duplicate key \(displayKey(key))", at: keyPos)
        }
        skipWS()
        let value = try parseValue(depth: tables[t].depth + 1)
        insertValue(t, key, value, line: kvLine)
    }

    mutating func descendDotted(from t: Int, key: String, keyPos: Int, line kvLine: Int) throws(TOMLError) -> Int {
        if let i = findKey(t, key), let s = slot(t, i) {
            switch s {
            case .table(let c):
                switch tables[c].state {
                case .dotted:
                    return c
                case .implicit:
                    tables[c].state = .dotted
                    return c
                case .explicit:
                    throw error("cannot add to table \(displayKey(key)) with a dotted key: it is defined by a [table] header", at: keyPos)
                }
            case .aot:
                throw error("cannot add to array of tables \(displayKey(key)) with a dotted key", at: keyPos)
            case .value(let v):
                throw notATableError(key, v, at: keyPos)
            }
        }
        let d = tables[t].depth + 1
        if d > maxDepth { throw depthError(at: keyPos) }
        let c = newTable(line: kvLine, state: .dotted, depth: d)
        insert(t, key, .table(c), line: kvLine)
        return c
    }

    /// Converts node `t` (and its mutable children) into a `TOMLTable`.
    /// Consumes the nodes: each node is built exactly once.
    mutating func buildTable(_ t: Int) -> TOMLTable {
        guard t >= 0 && t < tables.count else { return TOMLTable() }
        var node = TNode()
        swap(&node, &tables[t])
        if !node.refs.isEmpty {
            var i = 0
            for r in node.refs {
                if r >= 0 {
                    let child = buildTable(r)
                    if i < node.entries.count { node.entries[i].value = .table(child) }
                } else if r <= -2 {
                    let a = -(r + 2)
                    var arr: [TOMLValue] = []
                    if a < aots.count {
                        let ids = aots[a]
                        arr.reserveCapacity(ids.count)
                        for id in ids { arr.append(.table(buildTable(id))) }
                    }
                    if i < node.entries.count { node.entries[i].value = .array(arr) }
                }
                i += 1
            }
        }
        return TOMLTable(parsedEntries: node.entries, lines: node.lines, line: node.line, index: node.map)
    }

    // MARK: Keys

    @inline(__always) func makeString(_ s: Int, _ e: Int) -> String {
        guard s >= 0 && s <= e && e <= end else { return "" }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buf[s..<e]), as: UTF8.self)
    }

    @inline(__always) mutating func appendScratch(_ s: Int, _ e: Int) {
        guard s >= 0 && s < e && e <= end else { return }
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[s..<e]))
    }

    mutating func parseSimpleKey() throws(TOMLError) -> String {
        guard pos < end else { throw unexpected(pos, expected: "a key") }
        let c = buf[pos]
        if isBareKeyChar(c) {
            let s = pos
            var i = pos + 1
            while i < end && isBareKeyChar(buf[i]) { i += 1 }
            pos = i
            return makeString(s, i)
        }
        if c == QUOTE {
            if b(pos + 1) == QUOTE && b(pos + 2) == QUOTE {
                throw error("multi-line strings cannot be used as keys", at: pos)
            }
            return try parseBasicString()
        }
        if c == APOS {
            if b(pos + 1) == APOS && b(pos + 2) == APOS {
                throw error("multi-line strings cannot be used as keys", at: pos)
            }
            return try parseLiteralString()
        }
        if c == LF || c == CR {
            throw error("expected a key, found end of line", at: pos)
        }
        throw unexpected(pos, expected: "a key")
    }

    // MARK: Values

    mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLValue {
        guard pos < end else { throw unexpected(pos, expected: "a value") }
        let c = buf[pos]
        switch c {
        case QUOTE:
            if b(pos + 1) == QUOTE && b(pos + 2) == QUOTE { return .string(try parseMultilineBasicString()) }
            return .string(try parseBasicString())
        case APOS:
            if b(pos + 1) == APOS && b(pos + 2) == APOS { return .string(try parseMultilineLiteralString()) }
            return .string(try parseLiteralString())
        case LBRACKET:
            if depth > maxDepth { throw depthError(at: pos) }
            return try parseArray(depth: depth)
        case LBRACE:
            if depth > maxDepth { throw depthError(at: pos) }
            return try parseInlineTable(depth: depth)
        case 0x74:  // t
            if b(pos + 1) == 0x72 && b(pos + 2) == 0x75 && b(pos + 3) == 0x65 && !isTokenChar(b(pos + 4)) {
                pos += 4
                return .bool(true)
            }
            throw error("invalid value (expected 'true')", at: pos)
        case 0x66:  // f
            if b(pos + 1) == 0x61 && b(pos + 2) == 0x6C && b(pos + 3) == 0x73 && b(pos + 4) == 0x65
                && !isTokenChar(b(pos + 5))
            {
                pos += 5
                return .bool(false)
            }
            throw error("invalid value (expected 'false')", at: pos)
        default:
            if isDigit(c) || c == PLUS || c == DASH || c == 0x69 || c == 0x6E {  // digit + - i n
                return try parseNumberOrDateTime()
            }
            if c == LF || c == CR {
                throw error("expected a value, found end of line", at: pos)
            }
            throw unexpected(pos, expected: "a value")
        }
    }

    mutating func parseArray(depth: Int) throws(TOMLError) -> TOMLValue {
        let open = pos
        pos += 1
        var items: [TOMLValue] = []
        while true {
            try skipWSNewlinesComments()
            guard pos < end else { throw error("unterminated array", at: open) }
            if buf[pos] == RBRACKET {
                pos += 1
                return .array(items)
            }
            items.append(try parseValue(depth: depth + 1))
            try skipWSNewlinesComments()
            guard pos < end else { throw error("unterminated array", at: open) }
            let c = buf[pos]
            if c == COMMA {
                pos += 1
                continue
            }
            if c == RBRACKET {
                pos += 1
                return .array(items)
            }
            throw unexpected(pos, expected: "',' or ']' in array")
        }
    }

    mutating func parseInlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
        let open = pos
        let openLine = line
        pos += 1
        let node = newTable(line: openLine, state: .dotted, depth: depth)
        skipWS()
        if pos < end && buf[pos] == RBRACE {
            pos += 1
        } else {
            while true {
                guard pos < end else { throw error("unterminated inline table", at: open) }
                let k = buf[pos]
                if k == LF || k == CR { throw error("newline not allowed in inline table", at: pos) }
                try parseKeyValue(base: node)
                skipWS()
                guard pos < end else { throw error("unterminated inline table", at: open) }
                let c = buf[pos]
                if c == COMMA {
                    pos += 1
                    skipWS()
                    if pos < end && buf[pos] == RBRACE {
                        throw error("trailing comma not allowed in inline table", at: pos)
                    }
                    continue
                }
                if c == RBRACE {
                    pos += 1
                    break
                }
                if c == LF || c == CR { throw error("newline not allowed in inline table", at: pos) }
                throw unexpected(pos, expected: "',' or '}' in inline table")
            }
        }
        let t = buildTable(node)
        // Nodes created for this inline table are no longer referenced.
        if node < tables.count { tables.removeSubrange(node..<tables.count) }
        return .table(t)
    }

    // MARK: Strings

    /// `pos` at the opening '"'.
    mutating func parseBasicString() throws(TOMLError) -> String {
        let open = pos
        var i = pos + 1
        var seg = i
        var useScratch = false
        while true {
            while i &+ 8 <= end {
                if swarStringSpecial(buf.loadUnaligned(fromByteOffset: i, as: UInt64.self), QUOTE, BACKSLASH) != 0 { break }
                i &+= 8
            }
            guard i < end else { break }
            let c = buf[i]
            if c == QUOTE {
                pos = i + 1
                if !useScratch { return makeString(seg, i) }
                appendScratch(seg, i)
                return String(decoding: scratch, as: UTF8.self)
            }
            if c == BACKSLASH {
                if !useScratch {
                    scratch.removeAll(keepingCapacity: true)
                    useScratch = true
                }
                appendScratch(seg, i)
                i = try decodeEscape(at: i)
                seg = i
                continue
            }
            if c >= 0x80 {
                i += try utf8Length(at: i)
                continue
            }
            if isControl(c) {
                if c == LF || c == CR { throw error("unterminated string (newline before closing quote)", at: i) }
                throw error(describeByte(c) + " must be escaped in a string", at: i)
            }
            i += 1
        }
        throw error("unterminated string", at: open)
    }

    /// `pos` at the opening '''.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        let open = pos
        var i = pos + 1
        while true {
            while i &+ 8 <= end {
                if swarStringSpecial(buf.loadUnaligned(fromByteOffset: i, as: UInt64.self), APOS, APOS) != 0 { break }
                i &+= 8
            }
            guard i < end else { break }
            let c = buf[i]
            if c == APOS {
                pos = i + 1
                return makeString(open + 1, i)
            }
            if c >= 0x80 {
                i += try utf8Length(at: i)
                continue
            }
            if isControl(c) {
                if c == LF || c == CR { throw error("unterminated string (newline before closing quote)", at: i) }
                throw error(describeByte(c) + " is not allowed in a literal string", at: i)
            }
            i += 1
        }
        throw error("unterminated string", at: open)
    }

    /// `pos` at the opening `"""`.
    mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let open = pos
        var i = pos + 3
        if b(i) == LF {
            i += 1
            line += 1
        } else if b(i) == CR && b(i + 1) == LF {
            i += 2
            line += 1
        }
        var seg = i
        var useScratch = false
        while i < end {
            let c = buf[i]
            if c == QUOTE {
                if b(i + 1) == QUOTE && b(i + 2) == QUOTE {
                    var n = 3
                    while n < 6 && b(i + n) == QUOTE { n += 1 }
                    if n > 5 { throw error("too many quotes in multi-line string (escape them)", at: i) }
                    let contentEnd = i + n - 3
                    pos = i + n
                    if !useScratch { return makeString(seg, contentEnd) }
                    appendScratch(seg, contentEnd)
                    return String(decoding: scratch, as: UTF8.self)
                }
                i += 1
                continue
            }
            if c == BACKSLASH {
                if !useScratch {
                    scratch.removeAll(keepingCapacity: true)
                    useScratch = true
                }
                appendScratch(seg, i)
                var j = i + 1
                while j < end && (buf[j] == SPACE || buf[j] == TAB) { j += 1 }
                if b(j) == LF || (b(j) == CR && b(j + 1) == LF) {
                    // Line-ending backslash: drop all whitespace and newlines that follow.
                    while j < end {
                        let d = buf[j]
                        if d == SPACE || d == TAB {
                            j += 1
                        } else if d == LF {
                            j += 1
                            line += 1
                        } else if d == CR && b(j + 1) == LF {
                            j += 2
                            line += 1
                        } else {
                            break
                        }
                    }
                    i = j
                } else {
                    i = try decodeEscape(at: i)
                }
                seg = i
                continue
            }
            if c == LF {
                line += 1
                i += 1
                continue
            }
            if c == CR {
                guard b(i + 1) == LF else { throw error("carriage return not followed by line feed", at: i) }
                // Normalize CRLF to LF.
                if !useScratch {
                    scratch.removeAll(keepingCapacity: true)
                    useScratch = true
                }
                appendScratch(seg, i)
                i += 1
                seg = i
                continue
            }
            if c >= 0x80 {
                i += try utf8Length(at: i)
                continue
            }
            if isControl(c) { throw error(describeByte(c) + " must be escaped in a string", at: i) }
            i += 1
        }
        throw error("unterminated multi-line string", at: open)
    }

    /// `pos` at the opening `'''`.
    mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let open = pos
        var i = pos + 3
        if b(i) == LF {
            i += 1
            line += 1
        } else if b(i) == CR && b(i + 1) == LF {
            i += 2
            line += 1
        }
        var seg = i
        var useScratch = false
        while i < end {
            let c = buf[i]
            if c == APOS {
                if b(i + 1) == APOS && b(i + 2) == APOS {
                    var n = 3
                    while n < 6 && b(i + n) == APOS { n += 1 }
                    if n > 5 { throw error("too many quotes in multi-line literal string", at: i) }
                    let contentEnd = i + n - 3
                    pos = i + n
                    if !useScratch { return makeString(seg, contentEnd) }
                    appendScratch(seg, contentEnd)
                    return String(decoding: scratch, as: UTF8.self)
                }
                i += 1
                continue
            }
            if c == LF {
                line += 1
                i += 1
                continue
            }
            if c == CR {
                guard b(i + 1) == LF else { throw error("carriage return not followed by line feed", at: i) }
                if !useScratch {
                    scratch.removeAll(keepingCapacity: true)
                    useScratch = true
                }
                appendScratch(seg, i)
                i += 1
                seg = i
                continue
            }
            if c >= 0x80 {
                i += try utf8Length(at: i)
                continue
            }
            if isControl(c) { throw error(describeByte(c) + " is not allowed in a literal string", at: i) }
            i += 1
        }
        throw error("unterminated multi-line string", at: open)
    }

    /// `i` at a backslash; appends the decoded escape to `scratch` and returns the index after it.
    mutating func decodeEscape(at i: Int) throws(TOMLError) -> Int {
        let c = b(i + 1)
        switch c {
        case 0x62: scratch.append(0x08)  // \b
        case 0x74: scratch.append(TAB)  // \t
        case 0x6E: scratch.append(LF)  // \n
        case 0x66: scratch.append(0x0C)  // \f
        case 0x72: scratch.append(CR)  // \r
        case QUOTE: scratch.append(QUOTE)
        case BACKSLASH: scratch.append(BACKSLASH)
        case 0x75: return try decodeUnicodeEscape(at: i, digits: 4)  // \u
        case 0x55: return try decodeUnicodeEscape(at: i, digits: 8)  // \U
        default:
            if i + 1 >= end { throw error("unterminated escape sequence", at: i) }
            throw error("invalid escape sequence: backslash followed by " + describeByte(c), at: i)
        }
        return i + 2
    }

    mutating func decodeUnicodeEscape(at i: Int, digits n: Int) throws(TOMLError) -> Int {
        var v: UInt32 = 0
        var k = 0
        while k < n {
            let d = hexValue(b(i + 2 + k))
            guard d >= 0 else {
                throw error("invalid unicode escape (expected \(n) hex digits)", at: i)
            }
            v = (v &<< 4) | UInt32(truncatingIfNeeded: d)
            k += 1
        }
        guard v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF) else {
            throw error("invalid unicode escape: not a Unicode scalar value", at: i)
        }
        if v < 0x80 {
            scratch.append(UInt8(truncatingIfNeeded: v))
        } else if v < 0x800 {
            scratch.append(UInt8(truncatingIfNeeded: 0xC0 | (v >> 6)))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            scratch.append(UInt8(truncatingIfNeeded: 0xE0 | (v >> 12)))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        } else {
            scratch.append(UInt8(truncatingIfNeeded: 0xF0 | (v >> 18)))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        }
        return i + 2 + n
    }

    // MARK: Numbers and date-times

    mutating func parseNumberOrDateTime() throws(TOMLError) -> TOMLValue {
        let s = pos
        var e = pos
        while e < end && isTokenChar(buf[e]) { e += 1 }
        // `1979-05-27 07:32:00`: a date followed by a space and a time.
        if e - s == 10 && isDigit(b(s)) && b(s + 4) == DASH && b(s + 7) == DASH
            && b(e) == SPACE && isDigit(b(e + 1)) && isDigit(b(e + 2)) && b(e + 3) == COLON
        {
            e += 1
            while e < end && isTokenChar(buf[e]) { e += 1 }
        }
        pos = e
        let len = e - s
        if len >= 5 && isDigit(b(s)) && isDigit(b(s + 1)) && isDigit(b(s + 2)) && isDigit(b(s + 3)) && b(s + 4) == DASH {
            return try parseDateTime(s, e)
        }
        if len >= 3 && isDigit(b(s)) && isDigit(b(s + 1)) && b(s + 2) == COLON {
            let (h, m, sec, ns, j) = try parseTime(s, e)
            guard j == e else { throw error("invalid local time", at: s) }
            return .localTime(TOMLDateTime(kind: .localTime, hour: h, minute: m, second: sec, nanosecond: ns))
        }
        return try parseNumber(s, e)
    }

    /// Scans `digit ( '_'? digit )*` starting at `i`; returns the end index.
    func scanDigits(_ i: Int, _ e: Int, numberStart s: Int) throws(TOMLError) -> Int {
        guard i < e && isDigit(buf[i]) else {
            if i < e && buf[i] == UNDERSCORE { throw error("underscores must be between digits", at: i) }
            throw error("invalid number: expected a digit", at: i < e ? i : s)
        }
        var j = i + 1
        while j < e {
            let c = buf[j]
            if isDigit(c) {
                j += 1
            } else if c == UNDERSCORE {
                guard j + 1 < e && isDigit(buf[j + 1]) else {
                    throw error("underscores must be between digits", at: j)
                }
                j += 2
            } else {
                break
            }
        }
        return j
    }

    func parseNumber(_ s: Int, _ e: Int) throws(TOMLError) -> TOMLValue {
        var i = s
        var negative = false
        let c0 = b(i)
        if c0 == PLUS || c0 == DASH {
            negative = c0 == DASH
            i += 1
        }
        if e - i == 3 {
            let x = b(i), y = b(i + 1), z = b(i + 2)
            if x == 0x69 && y == 0x6E && z == 0x66 { return .float(negative ? -Double.infinity : Double.infinity) }  // inf
            if x == 0x6E && y == 0x61 && z == 0x6E { return .float(negative ? -Double.nan : Double.nan) }  // nan
        }
        guard i < e else { throw error("invalid number", at: s) }
        if buf[i] == 0x30 && i + 1 < e {
            let p = buf[i + 1]
            if p == 0x78 || p == 0x6F || p == 0x62 {  // x o b
                if i != s { throw error("a sign is not allowed on hexadecimal, octal or binary integers", at: s) }
                let radix: Int64 = p == 0x78 ? 16 : (p == 0x6F ? 8 : 2)
                return .integer(try parseRadixInteger(i + 2, e, radix: radix, numberStart: s))
            }
            if isDigit(p) || p == UNDERSCORE { throw error("leading zeros are not allowed", at: s) }
        }
        let intStart = i
        i = try scanDigits(i, e, numberStart: s)
        var isFloat = false
        if i < e && buf[i] == DOT {
            isFloat = true
            i = try scanDigits(i + 1, e, numberStart: s)
        }
        if i < e && (buf[i] == 0x65 || buf[i] == 0x45) {  // e E
            isFloat = true
            i += 1
            if i < e && (buf[i] == PLUS || buf[i] == DASH) { i += 1 }
            i = try scanDigits(i, e, numberStart: s)
        }
        if i != e { throw error("invalid number", at: s) }

        if isFloat {
            var text: [UInt8] = []
            text.reserveCapacity(e - s)
            var j = s
            while j < e {
                let c = buf[j]
                if c != UNDERSCORE { text.append(c) }
                j += 1
            }
            guard let d = Double(String(decoding: text, as: UTF8.self)) else {
                throw error("invalid float", at: s)
            }
            return .float(d)
        }

        // Accumulate negatively so Int64.min is representable.
        var v: Int64 = 0
        var j = intStart
        while j < e {
            let c = buf[j]
            j += 1
            if c == UNDERSCORE { continue }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.subtractingReportingOverflow(Int64(c &- 0x30))
            if o1 || o2 { throw error("integer out of range (64-bit signed)", at: s) }
            v = r
        }
        if !negative {
            let (r, o) = Int64(0).subtractingReportingOverflow(v)
            if o { throw error("integer out of range (64-bit signed)", at: s) }
            v = r
        }
        return .integer(v)
    }

    func parseRadixInteger(_ start: Int, _ e: Int, radix: Int64, numberStart s: Int) throws(TOMLError) -> Int64 {
        guard start < e else { throw error("missing digits after integer prefix", at: s) }
        var v: Int64 = 0
        var i = start
        var prevDigit = false
        while i < e {
            let c = buf[i]
            if c == UNDERSCORE {
                guard prevDigit && i + 1 < e else { throw error("underscores must be between digits", at: i) }
                prevDigit = false
                i += 1
                continue
            }
            let d = Int64(hexValue(c))
            guard d >= 0 && d < radix else { throw error("invalid digit " + describeByte(c) + " in integer", at: i) }
            let (m, o1) = v.multipliedReportingOverflow(by: radix)
            let (r, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { throw error("integer out of range (64-bit signed)", at: s) }
            v = r
            prevDigit = true
            i += 1
        }
        guard prevDigit else { throw error("underscores must be between digits", at: e - 1) }
        return v
    }

    /// `n` decimal digits at `i` (all before `e`), or nil.
    func fixedDigits(_ i: Int, _ n: Int, _ e: Int) -> Int? {
        guard i >= 0 && i + n <= e else { return nil }
        var v = 0
        var k = 0
        while k < n {
            let c = b(i + k)
            guard isDigit(c) else { return nil }
            v = v &* 10 &+ Int(c &- 0x30)  // n <= 4: cannot overflow
            k += 1
        }
        return v
    }

    func parseTime(_ i: Int, _ e: Int) throws(TOMLError) -> (Int, Int, Int, Int, Int) {
        guard let h = fixedDigits(i, 2, e), b(i + 2) == COLON,
            let m = fixedDigits(i + 3, 2, e), b(i + 5) == COLON,
            let s = fixedDigits(i + 6, 2, e)
        else {
            throw error("invalid time (expected HH:MM:SS)", at: i)
        }
        guard h <= 23 else { throw error("invalid time: hour out of range", at: i) }
        guard m <= 59 else { throw error("invalid time: minute out of range", at: i + 3) }
        guard s <= 60 else { throw error("invalid time: second out of range", at: i + 6) }
        var j = i + 8
        var ns = 0
        if j < e && buf[j] == DOT {
            j += 1
            let fs = j
            var scale = 100_000_000
            while j < e && isDigit(buf[j]) {
                ns = ns &+ Int(buf[j] &- 0x30) &* scale  // bounded: < 10^9
                scale /= 10
                j += 1
            }
            guard j > fs else { throw error("invalid time: expected digits after '.'", at: fs) }
        }
        return (h, m, s, ns, j)
    }

    func parseDateTime(_ s: Int, _ e: Int) throws(TOMLError) -> TOMLValue {
        guard let y = fixedDigits(s, 4, e), b(s + 4) == DASH,
            let mo = fixedDigits(s + 5, 2, e), b(s + 7) == DASH,
            let d = fixedDigits(s + 8, 2, e)
        else {
            throw error("invalid date (expected YYYY-MM-DD)", at: s)
        }
        guard mo >= 1 && mo <= 12 else { throw error("invalid date: month out of range", at: s + 5) }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let dim: Int
        switch mo {
        case 2: dim = leap ? 29 : 28
        case 4, 6, 9, 11: dim = 30
        default: dim = 31
        }
        guard d >= 1 && d <= dim else { throw error("invalid date: day out of range", at: s + 8) }
        var i = s + 10
        if i == e {
            return .localDate(TOMLDateTime(kind: .localDate, year: y, month: mo, day: d))
        }
        let sep = buf[i]
        guard sep == 0x54 || sep == 0x74 || sep == SPACE else {  // T t space
            throw error("invalid date-time", at: i)
        }
        i += 1
        let (h, m, sec, ns, j) = try parseTime(i, e)
        i = j
        if i == e {
            return .localDateTime(
                TOMLDateTime(kind: .localDateTime, year: y, month: mo, day: d, hour: h, minute: m, second: sec, nanosecond: ns))
        }
        let c = buf[i]
        var offset = 0
        if c == 0x5A || c == 0x7A {  // Z z
            i += 1
        } else if c == PLUS || c == DASH {
            guard let oh = fixedDigits(i + 1, 2, e), b(i + 3) == COLON, let om = fixedDigits(i + 4, 2, e) else {
                throw error("invalid time offset (expected +HH:MM or -HH:MM)", at: i)
            }
            guard oh <= 23 && om <= 59 else { throw error("invalid time offset: out of range", at: i) }
            offset = oh * 60 + om
            if c == DASH { offset = -offset }
            i += 6
        } else {
            throw error("invalid date-time", at: i)
        }
        guard i == e else { throw error("invalid date-time: unexpected characters after offset", at: i) }
        return .offsetDateTime(
            TOMLDateTime(kind: .offsetDateTime, year: y, month: mo, day: d, hour: h, minute: m, second: sec,
                         nanosecond: ns, offsetMinutes: offset))
    }
}

/// A key as it would be written in TOML: bare if possible, else a basic string.
private func displayKey(_ key: String) -> String {
    var bare = !key.isEmpty
    for c in key.utf8 where !isBareKeyChar(c) {
        bare = false
        break
    }
    if bare { return key }
    var out = "\""
    for u in key.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 || u.value == 0x7F {
                let hex = String(u.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}
