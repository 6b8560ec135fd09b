/// Reads a `JSONValue` with validation, naming the JSON path of whatever is wrong.
///
/// Every accessor throws a `NerqError` whose `path` points at the offending value
/// (`$.registry.downloads`), so a host can tell its user exactly what to fix.
public struct JSONReader: Sendable {
    public let value: JSONValue
    /// The path is only rendered when asked for (an error, an object): building path strings for
    /// every value read would cost more than the reading itself.
    let parent: String
    let component: Component

    enum Component: Sendable {
        case none
        case key(String)
        case index(Int)
    }

    public init(_ value: JSONValue, path: String = "$") {
        self.value = value
        self.parent = path
        self.component = .none
    }

    init(_ value: JSONValue, parent: String, component: Component) {
        self.value = value
        self.parent = parent
        self.component = component
    }

    public var path: String {
        switch component {
        case .none: return parent
        case .key(let k): return ObjectReader.childPath(parent, k)
        case .index(let i): return "\(parent)[\(i)]"
        }
    }

    func typeError(_ expected: String) -> NerqError {
        NerqError(.invalidType, "expected \(expected), found \(value.typeName)", path: path)
    }

    public func object() throws(NerqError) -> ObjectReader {
        guard case .object(let o) = value else { throw typeError("an object") }
        return ObjectReader(object: o, path: path)
    }

    public func string() throws(NerqError) -> String {
        guard case .string(let s) = value else { throw typeError("a string") }
        return s
    }

    /// A non-empty string.
    public func nonEmptyString() throws(NerqError) -> String {
        let s = try string()
        guard !s.isEmpty else { throw NerqError(.invalidValue, "expected a non-empty string", path: path) }
        return s
    }

    public func bool() throws(NerqError) -> Bool {
        guard case .bool(let b) = value else { throw typeError("a boolean") }
        return b
    }

    /// A whole number in `range`. Reals are refused: counts are integers.
    public func int(in range: ClosedRange<Int64> = 0...Int64.max) throws(NerqError) -> Int64 {
        guard case .int(let i) = value else { throw typeError("an integer") }
        guard range.contains(i) else {
            throw NerqError(.invalidValue, "expected an integer in \(range.lowerBound)...\(range.upperBound), found \(i)", path: path)
        }
        return i
    }

    /// Any finite number (integer or real) in `range`; -0 reads as 0.
    public func number(in range: ClosedRange<Double>) throws(NerqError) -> Double {
        let d: Double
        switch value {
        case .int(let i): d = Double(i)
        case .double(let x): d = x
        default: throw typeError("a number")
        }
        guard d.isFinite, range.contains(d) else {
            throw NerqError(.invalidValue, "expected a number in \(range.lowerBound)...\(range.upperBound), found \(d)", path: path)
        }
        return d == 0 ? 0 : d
    }

    public func array() throws(NerqError) -> [JSONReader] {
        guard case .array(let items) = value else { throw typeError("an array") }
        let base = path
        var readers: [JSONReader] = []
        readers.reserveCapacity(items.count)
        for (i, item) in items.enumerated() { readers.append(JSONReader(item, parent: base, component: .index(i))) }
        return readers
    }

    public func strings() throws(NerqError) -> [String] {
        var out: [String] = []
        for item in try array() { out.append(try item.string()) }
        return out
    }
}

/// An object being read: keys looked up by name, with the paths of the keys nobody asked for.
public struct ObjectReader: Sendable {
    public let object: JSONObject
    public let path: String

    public init(object: JSONObject, path: String) {
        self.object = object
        self.path = path
    }

    public func childPath(_ key: String) -> String { Self.childPath(path, key) }

    public static func childPath(_ parent: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D
        }
        if plain { return "\(parent).\(key)" }
        return "\(parent)[\(JSONText.string(.string(key)))]"
    }

    public func has(_ key: String) -> Bool { object[key] != nil }

    /// The value at `key`, or nil when it is absent or `null` (both mean "not given").
    public func optional(_ key: String) -> JSONReader? {
        guard let v = object[key] else { return nil }
        if case .null = v { return nil }
        return JSONReader(v, parent: path, component: .key(key))
    }

    public func required(_ key: String) throws(NerqError) -> JSONReader {
        guard let r = optional(key) else { throw NerqError(.missingField, "missing required key \"\(key)\"", path: path) }
        return r
    }

    /// Paths of the keys not in `known`, in document order.
    public func unknownKeyPaths(known: [String]) -> [String] {
        object.entries.compactMap { known.contains($0.key) ? nil : childPath($0.key) }
    }

    /// Throws `unknown_key` naming every key not in `known` (for configuration, where a typo must not pass).
    public func rejectUnknownKeys(known: [String]) throws(NerqError) {
        let unknown = object.entries.map { $0.key }.filter { !known.contains($0) }
        guard let first = unknown.first else { return }
        let names = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
        throw NerqError(.unknownKey, "unknown key\(unknown.count > 1 ? "s" : "") \(names); known keys: \(known.joined(separator: ", "))",
                        path: childPath(first))
    }

    /// Checks an optional `kind`/`version` header of an input document.
    public func checkHeader(kind expected: String, version maxVersion: Int64) throws(NerqError) {
        if let k = optional("kind") {
            let kind = try k.string()
            guard kind == expected else {
                throw NerqError(.unsupportedVersion, "expected a \(expected) document, found kind \"\(kind)\"", path: k.path)
            }
        }
        if let v = optional("version") {
            let version = try v.int(in: 0...Int64.max)
            guard version >= 1, version <= maxVersion else {
                throw NerqError(.unsupportedVersion, "\(expected) version \(version) is not supported (this nerq reads 1...\(maxVersion))", path: v.path)
            }
        }
    }
}
