import NerqJSON

/// A value of a document being rendered, with its JSON path.
///
/// Documents nerq emits grow keys over time and readers ignore what they do not know, so every key
/// may be absent (or null: the same thing here). A key that is there must have the type nerq
/// writes: a report whose `trust_score` is a string is refused with that path, never drawn as 0.
struct Node {
    /// nil when the key is absent or null.
    let value: JSONValue?
    let path: Path

    init(_ value: JSONValue?, _ path: Path) {
        if case .null? = value { self.value = nil } else { self.value = value }
        self.path = path
    }

    /// The path is built only for an error (a 1,000-package assessment reads ~10^5 values).
    indirect enum Path {
        case root(String)
        case key(Path, String)
        case index(Path, Int)

        var text: String {
            switch self {
            case .root(let r): return r
            case .key(let p, let k): return ObjectReader.childPath(p.text, k)
            case .index(let p, let i): return "\(p.text)[\(i)]"
            }
        }
    }

    var isAbsent: Bool { value == nil }

    func typeError(_ expected: String) -> NerqError {
        NerqError(.invalidType, "expected \(expected), found \(value?.typeName ?? "nothing")", path: path.text)
    }

    /// The value at `key` (absent when this value is absent); an error when this is not an object.
    subscript(_ key: String) -> Node {
        get throws(NerqError) {
            switch value {
            case nil: return Node(nil, .key(path, key))
            case .object(let o)?: return Node(o[key], .key(path, key))
            default: throw typeError("an object")
            }
        }
    }

    func string() throws(NerqError) -> String? {
        switch value {
        case nil: return nil
        case .string(let s)?: return s
        default: throw typeError("a string")
        }
    }

    /// Any finite number (integer or real).
    func number() throws(NerqError) -> Double? {
        switch value {
        case nil: return nil
        case .int(let i)?: return Double(i)
        case .double(let d)? where d.isFinite: return d
        default: throw typeError("a number")
        }
    }

    /// A count: an integer (or a real without a fraction, as some writers print counts).
    func int() throws(NerqError) -> Int64? {
        switch value {
        case nil: return nil
        case .int(let i)?: return i
        case .double(let d)? where d.isFinite && d == d.rounded() && abs(d) < 9e15: return Int64(d)
        default: throw typeError("an integer")
        }
    }

    /// Counts are bounded (as the signals reader bounds them), so that sums of them never overflow.
    static let countRange: ClosedRange<Int64> = 0...1_000_000_000_000

    /// A count: an integer in `countRange` (a negative or absurd count is an error, not a number to
    /// draw).
    func count() throws(NerqError) -> Int64? {
        guard let n = try int() else { return nil }
        guard Node.countRange.contains(n) else {
            throw NerqError(.invalidValue, "expected a count in 0...\(Node.countRange.upperBound), found \(n)", path: path.text)
        }
        return n
    }

    func bool() throws(NerqError) -> Bool? {
        switch value {
        case nil: return nil
        case .bool(let b)?: return b
        default: throw typeError("a boolean")
        }
    }

    /// The items of an array; none when absent.
    func array() throws(NerqError) -> [Node] {
        switch value {
        case nil: return []
        case .array(let items)?:
            var out: [Node] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() { out.append(Node(item, .index(path, i))) }
            return out
        default: throw typeError("an array")
        }
    }

    func strings() throws(NerqError) -> [String] {
        var out: [String] = []
        for item in try array() {
            if let s = try item.string() { out.append(s) }
        }
        return out
    }

    /// The entries of an object in document order; none when absent.
    func entries() throws(NerqError) -> [(key: String, value: Node)] {
        switch value {
        case nil: return []
        case .object(let o)?: return o.entries.map { ($0.key, Node($0.value, .key(path, $0.key))) }
        default: throw typeError("an object")
        }
    }

    /// `{name: count}` objects (the summary's tallies), in document order.
    func counts() throws(NerqError) -> [(key: String, count: Int64)] {
        var out: [(key: String, count: Int64)] = []
        for (k, v) in try entries() {
            if let n = try v.count() { out.append((k, n)) }
        }
        return out
    }
}

/// A JSON value shown as text, whatever its type: a signal's `value`, a registry field nerq does
/// not know yet.
func displayText(_ value: JSONValue) -> String {
    switch value {
    case .null: return "–"
    case .bool(let b): return b ? "yes" : "no"
    case .int(let i): return String(i)
    case .double(let d): return Numbers.general(d)
    case .string(let s): return s
    case .array(let items): return items.map(displayText).joined(separator: ", ")
    case .object: return JSONText.string(value)
    }
}
