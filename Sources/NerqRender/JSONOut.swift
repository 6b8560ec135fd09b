import NerqJSON

/// JSON for the `json` and `sarif` formats: the same values as `JSONText`, but every character
/// `Escape` calls a hazard (controls, DEL and C1, bidi overrides, line separators, invisible
/// characters) is written as a `\u` escape, so the text printed in a terminal or a CI log shows no
/// raw control character and no bidi override, and decodes to exactly the same document.
enum JSONOut {
    /// Compact, as the text API writes documents: JSONText's (parallel) encoding, then its hazards
    /// escaped (JSONText already escapes C0 controls; a hazard can only stand inside a string).
    static func compact(_ value: JSONValue) -> [UInt8] {
        escapeHazards(JSONText.encode(value))
    }

    static func escapeHazards(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(where: { $0 >= 0x7F }) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x7F {
                out.append(b)
                i += 1
                continue
            }
            let (v, length) = WorkflowGuard.decode(bytes, i)
            if Escape.isHazard(v) {
                hazard(v, into: &out)
            } else {
                out.append(contentsOf: bytes[i..<min(n, i + length)])
            }
            i += length
        }
        return out
    }

    static func hazard(_ v: UInt32, into out: inout [UInt8]) {
        if v > 0xFFFF {
            let u = v - 0x10000
            unicode(0xD800 + (u >> 10), into: &out)
            unicode(0xDC00 + (u & 0x3FF), into: &out)
        } else {
            unicode(v, into: &out)
        }
    }

    /// Indented by `indent` spaces, the layout of Python's `json.dumps(indent=2, ensure_ascii=False)`.
    static func pretty(_ value: JSONValue, indent: Int = 2) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out, indent: indent, level: 0)
        return out
    }

    static func newline(_ out: inout [UInt8], _ indent: Int, _ level: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent * level))
    }

    static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int?, level: Int) {
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double:
            out.append(contentsOf: JSONText.encode(value))
        case .string(let s):
            string(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { return out.append(contentsOf: Array("[]".utf8)) }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let indent { newline(&out, indent, level + 1) }
                write(item, into: &out, indent: indent, level: level + 1)
            }
            if let indent { newline(&out, indent, level) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            guard !o.isEmpty else { return out.append(contentsOf: Array("{}".utf8)) }
            out.append(UInt8(ascii: "{"))
            for (i, entry) in o.entries.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let indent { newline(&out, indent, level + 1) }
                string(entry.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                write(entry.value, into: &out, indent: indent, level: level + 1)
            }
            if let indent { newline(&out, indent, level) }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var plain = true
        for b in s.utf8 where b < 0x20 || b >= 0x7F || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            out.append(contentsOf: s.utf8)
        } else {
            for scalar in s.unicodeScalars {
                let v = scalar.value
                switch v {
                case 0x22: out.append(contentsOf: Array("\\\"".utf8))
                case 0x5C: out.append(contentsOf: Array("\\\\".utf8))
                case 0x0A: out.append(contentsOf: Array("\\n".utf8))
                case 0x0D: out.append(contentsOf: Array("\\r".utf8))
                case 0x09: out.append(contentsOf: Array("\\t".utf8))
                case 0x08: out.append(contentsOf: Array("\\b".utf8))
                case 0x0C: out.append(contentsOf: Array("\\f".utf8))
                default:
                    if Escape.isHazard(v) {
                        hazard(v, into: &out)
                    } else {
                        Escape.append(scalar, into: &out)
                    }
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func unicode(_ v: UInt32, into out: inout [UInt8]) {
        out.append(contentsOf: Array("\\u".utf8))
        for shift in stride(from: 12, through: 0, by: -4) { out.append(Escape.hexDigits[Int((v >> UInt32(shift)) & 0xF)]) }
    }
}
