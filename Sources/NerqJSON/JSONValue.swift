/// A JSON document as nerq's core sees it.
///
/// Objects keep their keys in insertion order (an array of pairs, not a `Dictionary`), so whatever
/// nerq emits has one fixed order and never depends on a hash seed. The ABI layer converts jansson's
/// `json_t` to and from this type; nothing in the core knows about C.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "real"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The value as an object, or nil.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }
}

/// An ordered JSON object. Keys are unique when built through `set`; lookups are linear, which is
/// faster than hashing for the small objects nerq handles (a dozen keys at most).
public struct JSONObject: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: JSONValue)]

    public init() { entries = [] }

    public init(capacity: Int) {
        entries = []
        entries.reserveCapacity(capacity)
    }

    public init(_ entries: [(String, JSONValue)]) {
        self.entries = []
        self.entries.reserveCapacity(entries.count)
        for (k, v) in entries { append(k, v) }  // callers pass unique keys
    }

    public subscript(key: String) -> JSONValue? {
        for entry in entries where entry.key == key { return entry.value }
        return nil
    }

    /// Sets `key`, replacing an earlier value in place (keeping its position).
    public mutating func set(_ key: String, _ value: JSONValue) {
        for i in entries.indices where entries[i].key == key {
            entries[i].value = value
            return
        }
        entries.append((key, value))
    }

    /// Appends without checking for an earlier `key`: for builders that know their keys are unique.
    public mutating func append(_ key: String, _ value: JSONValue) {
        entries.append((key, value))
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map { $0.key } }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (l, r) in zip(lhs.entries, rhs.entries) where l.key != r.key || l.value != r.value {
            return false
        }
        return true
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var o = JSONObject()
        for (k, v) in elements { o.set(k, v) }
        self = .object(o)
    }
}

extension JSONValue {
    /// A string or null.
    public static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    /// A number or null.
    public static func optional(_ d: Double?) -> JSONValue { d.map { .double($0) } ?? .null }
    /// An array of strings.
    public static func strings(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }
}
