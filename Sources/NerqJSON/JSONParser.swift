/// A strict RFC 8259 JSON parser over bytes, producing `JSONValue`.
///
/// Why not jansson's `json_loads`: the text API would parse into `json_t` and then convert, paying
/// twice; and the collectors (cargo metadata, OSV files) must read JSON without knowing about C.
/// It accepts exactly what jansson accepts with `JSON_REJECT_DUPLICATES | JSON_DECODE_ANY`, except
/// that nesting is limited to 128 levels: invalid UTF-8, lone surrogates, `\u0000`, duplicate keys,
/// integers beyond 64 bits and reals beyond `Double` are errors naming line and column.
public struct JSONParser {
    public static let maxDepth = 128

    let bytes: UnsafeRawBufferPointer
    var i = 0

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(NerqError) -> JSONValue {
        var p = JSONParser(bytes: bytes)
        p.skipWhitespace()
        let value = try p.parseValue(depth: 0)
        p.skipWhitespace()
        guard p.i == bytes.count else { throw p.error("end of file expected") }
        return value
    }

    public static func parse(_ bytes: [UInt8]) throws(NerqError) -> JSONValue {
        do {
            return try bytes.withUnsafeBytes { raw in try parse(raw) }
        } catch let e as NerqError {
            throw e
        } catch {
            throw NerqError(.internalError, "\(error)")
        }
    }

    public static func parse(_ text: String) throws(NerqError) -> JSONValue { try parse(Array(text.utf8)) }

    /// `invalid_json` at the current position, with 1-based line and column (in bytes).
    func error(_ message: String, at offset: Int? = nil) -> NerqError {
        let end = min(offset ?? i, bytes.count)
        var line = 1
        var column = 1
        var k = 0
        while k < end {
            if bytes[k] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            k += 1
        }
        return NerqError(.invalidJSON, "invalid JSON at line \(line), column \(column): \(message)", path: "$")
    }

    var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    /// Bytes `from..<to` of the input (both within it). Built from the base pointer: slicing the
    /// buffer costs a generic metadata lookup on every call.
    func span(_ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
        guard let base = bytes.baseAddress, from <= to, to <= bytes.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + from, count: to - from)
    }

    mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(NerqError) -> JSONValue {
        guard let c = current else { throw error("unexpected end of input") }
        switch c {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(NerqError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw error("invalid token") }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw error("invalid token") }
        i += n
    }

    mutating func parseObject(depth: Int) throws(NerqError) -> JSONValue {
        guard depth <= JSONParser.maxDepth else { throw error("nested deeper than \(JSONParser.maxDepth) levels") }
        i += 1  // {
        var object = JSONObject(capacity: 8)
        var seen: Set<String>?  // only for large objects; small ones are checked by a linear scan
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            i += 1
            return .object(object)
        }
        while true {
            guard current == UInt8(ascii: "\"") else { throw error("string or '}' expected") }
            let keyOffset = i
            let key = try parseString()
            if seen != nil {
                guard seen?.insert(key).inserted == true else { throw error("duplicate object key", at: keyOffset) }
            } else {
                if object[key] != nil { throw error("duplicate object key", at: keyOffset) }
                if object.count >= 15 {
                    seen = Set(object.keys)
                    seen?.insert(key)
                }
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("':' expected") }
            i += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            object.append(key, value)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                i += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                i += 1
                return .object(object)
            default:
                throw error("',' or '}' expected")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(NerqError) -> JSONValue {
        guard depth <= JSONParser.maxDepth else { throw error("nested deeper than \(JSONParser.maxDepth) levels") }
        i += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            i += 1
            return .array(items)
        }
        while true {
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                i += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                i += 1
                return .array(items)
            default:
                throw error("',' or ']' expected")
            }
        }
    }

    /// Parses a string starting at its opening quote.
    mutating func parseString() throws(NerqError) -> String {
        i += 1  // "
        let start = i
        // Fast path: no escapes. Scan to the closing quote, then make the String once.
        var ascii = true
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let s = try makeString(span(start, i), ascii: ascii, at: start)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in string") }
            if b >= 0x80 { ascii = false }
            i += 1
        }
        guard i < bytes.count else { throw error("premature end of input in string") }
        // Slow path: escapes.
        var buffer = Array(span(start, i))
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                guard let s = String(validating: buffer, as: UTF8.self) else { throw error("invalid UTF-8 in string", at: start) }
                i += 1
                return s
            case UInt8(ascii: "\\"):
                i += 1
                guard let e = current else { throw error("premature end of input in string") }
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(e)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(into: &buffer)
                default: throw error("invalid escape", at: i - 2)
                }
            default:
                if b < 0x20 { throw error("control character in string") }
                buffer.append(b)
                i += 1
            }
        }
        throw error("premature end of input in string")
    }

    /// A String from bytes known to be ASCII (no validation needed), or validated as UTF-8.
    /// `String(validating:)` is generic and looks up type metadata on every call; most JSON
    /// strings are ASCII, and `String(decoding:)` on those is a copy.
    func makeString(_ raw: UnsafeRawBufferPointer, ascii: Bool, at offset: Int) throws(NerqError) -> String {
        if ascii { return String(decoding: raw, as: UTF8.self) }
        guard let s = String(validating: raw, as: UTF8.self) else { throw error("invalid UTF-8 in string", at: offset) }
        return s
    }

    mutating func hex4() throws(NerqError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    mutating func appendUnicodeEscape(into buffer: inout [UInt8]) throws(NerqError) {
        let escapeStart = i - 2
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                throw error("invalid Unicode escape: lone high surrogate", at: escapeStart)
            }
            i += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid Unicode escape: bad low surrogate", at: escapeStart) }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw error("invalid Unicode escape: lone low surrogate", at: escapeStart)
        }
        guard scalar != 0 else { throw error("\\u0000 is not allowed", at: escapeStart) }
        guard let u = Unicode.Scalar(scalar) else { throw error("invalid Unicode escape", at: escapeStart) }
        if let encoded = UTF8.encode(u) { buffer.append(contentsOf: encoded) }
    }

    mutating func parseNumber() throws(NerqError) -> JSONValue {
        let start = i
        if current == UInt8(ascii: "-") { i += 1 }
        guard let first = current, first >= 0x30, first <= 0x39 else { throw error("invalid number", at: start) }
        if first == UInt8(ascii: "0") {
            i += 1
            if let c = current, c >= 0x30, c <= 0x39 { throw error("invalid number: leading zero", at: start) }
        } else {
            while let c = current, c >= 0x30, c <= 0x39 { i += 1 }
        }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            guard let c = current, c >= 0x30, c <= 0x39 else { throw error("invalid number: digit expected after '.'", at: start) }
            while let c = current, c >= 0x30, c <= 0x39 { i += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            i += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
            guard let c = current, c >= 0x30, c <= 0x39 else { throw error("invalid number: digit expected in exponent", at: start) }
            while let c = current, c >= 0x30, c <= 0x39 { i += 1 }
        }
        let text = span(start, i)
        if isInteger {
            var negative = false
            var value: Int64 = 0
            for c in text {
                if c == UInt8(ascii: "-") {
                    negative = true
                    continue
                }
                let digit = Int64(c - 0x30)
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
                guard !o1, !o2 else { throw error("too big integer", at: start) }
                value = a
            }
            return .int(value)
        }
        let string = String(decoding: text, as: UTF8.self)
        guard let d = Double(string), d.isFinite else { throw error("real number overflow", at: start) }
        return .double(d)
    }
}
