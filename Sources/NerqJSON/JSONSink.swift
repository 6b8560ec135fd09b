/// Where a document is written as it is walked: into a tree (`JSONTreeSink`) or straight into
/// compact text (`JSONTextSink`). A document written once against this protocol has one layout
/// for both, and its text costs no tree: a thousand-package assessment's reports are written
/// straight into bytes, with no object, array or entry allocated for them.
///
/// Calls must nest: `beginObject` ... `endObject` with a `key` before each member's value;
/// `beginArray` ... `endArray` with values only.
public protocol JSONSink {
    mutating func beginObject(capacity: Int)
    mutating func endObject()
    mutating func beginArray(capacity: Int)
    mutating func endArray()
    /// The next member's name (inside an object).
    mutating func key(_ key: String)
    /// A whole value: a member's (after `key`) or an array item.
    mutating func value(_ value: JSONValue)
}

// Inlinable, so that a document written in another module is specialized for its sink there
// (through the protocol, every member would look up generic metadata at run time).
extension JSONSink {
    /// A member whose value is already at hand.
    @inlinable
    public mutating func member(_ key: String, _ value: JSONValue) {
        self.key(key)
        self.value(value)
    }

    /// A member whose value is an object written by `body`.
    @inlinable
    public mutating func object(_ key: String, capacity: Int = 4, _ body: (inout Self) -> Void) {
        self.key(key)
        beginObject(capacity: capacity)
        body(&self)
        endObject()
    }

    /// A member whose value is an array, each of `items` written by `body`.
    @inlinable
    public mutating func array<C: Collection>(_ key: String, _ items: C, _ body: (inout Self, C.Element) -> Void) {
        self.key(key)
        beginArray(capacity: items.count)
        for item in items { body(&self, item) }
        endArray()
    }

    /// The members of `object`, in order, into the object being written.
    @inlinable
    public mutating func members(of object: JSONObject) {
        for entry in object.entries { member(entry.key, entry.value) }
    }
}

/// Builds the `JSONValue` the calls describe (`result`, once the outermost value is written).
public struct JSONTreeSink: JSONSink {
    private enum Open {
        case object(JSONObject, key: String)
        case array([JSONValue])
    }

    private var open: [Open] = []
    public private(set) var result: JSONValue = .null

    public init() {}

    public mutating func beginObject(capacity: Int) { open.append(.object(JSONObject(capacity: capacity), key: "")) }
    public mutating func beginArray(capacity: Int) {
        var items: [JSONValue] = []
        items.reserveCapacity(capacity)
        open.append(.array(items))
    }

    public mutating func endObject() {
        guard case .object(let o, _)? = open.popLast() else { return }
        value(.object(o))
    }

    public mutating func endArray() {
        guard case .array(let items)? = open.popLast() else { return }
        value(.array(items))
    }

    public mutating func key(_ key: String) {
        guard case .object(let o, _)? = open.popLast() else { return }
        open.append(.object(o, key: key))
    }

    public mutating func value(_ value: JSONValue) {
        switch open.popLast() {
        case .object(var o, let key)?:
            o.append(key, value)
            open.append(.object(o, key: ""))
        case .array(var items)?:
            items.append(value)
            open.append(.array(items))
        case nil:
            result = value
        }
    }
}

/// Writes the calls as compact JSON text, the bytes `JSONText` gives the same tree.
public struct JSONTextSink: JSONSink {
    var writer: JSONText.Writer
    /// Whether the next member or item follows another in its container.
    private var follows = false

    init(_ writer: JSONText.Writer) { self.writer = writer }

    /// The next value is an item of its own (`JSONText.items`: no separator before it).
    mutating func startItem() { follows = false }

    @inline(__always)
    private mutating func separate() {
        if follows { writer.byte(UInt8(ascii: ",")) }
    }

    public mutating func beginObject(capacity: Int) { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray(capacity: Int) { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    @inline(__always)
    private mutating func open(_ bracket: UInt8) {
        separate()
        writer.byte(bracket)
        follows = false
    }

    @inline(__always)
    private mutating func close(_ bracket: UInt8) {
        writer.byte(bracket)
        follows = true
    }

    public mutating func key(_ key: String) {
        separate()
        writer.string(key)
        writer.byte(UInt8(ascii: ":"))
        follows = false
    }

    public mutating func value(_ value: JSONValue) {
        separate()
        writer.write(value)
        follows = true
    }
}
