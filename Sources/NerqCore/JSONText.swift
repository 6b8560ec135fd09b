/// Compact JSON text for nerq's documents (the text API's output).
///
/// The same layout jansson's `JSON_COMPACT` writes: no spaces, keys in object order, non-ASCII
/// characters as UTF-8. Reals use Swift's shortest round-trip form (`72.3`, not `72.299999999999997`).
public enum JSONText {
    public static func encode(_ value: JSONValue) -> [UInt8] {
        withEncoded(value) { Array($0) }
    }

    public static func string(_ value: JSONValue) -> String {
        withEncoded(value) { String(decoding: $0, as: UTF8.self) }
    }

    /// Encodes into a scratch buffer and lends it to `body` (no copy for callers that copy anyway).
    public static func withEncoded<R>(_ value: JSONValue, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var w = Writer()
        defer { w.deallocate() }
        w.write(value)
        return body(UnsafeBufferPointer(start: w.base, count: w.count))
    }

    /// A growable byte buffer: plain pointer stores, no per-byte uniqueness or bounds bookkeeping
    /// beyond one capacity check per write.
    struct Writer {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int

        init() {
            capacity = 8192
            base = .allocate(capacity: capacity)
        }

        func deallocate() { base.deallocate() }

        mutating func reserve(_ n: Int) {
            guard count + n > capacity else { return }
            var newCapacity = capacity * 2
            while newCapacity < count + n { newCapacity *= 2 }
            let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBase.update(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }

        mutating func byte(_ b: UInt8) {
            reserve(1)
            base[count] = b
            count += 1
        }

        mutating func bytes(_ buffer: UnsafeBufferPointer<UInt8>) {
            guard let src = buffer.baseAddress, buffer.count > 0 else { return }
            reserve(buffer.count)
            (base + count).update(from: src, count: buffer.count)
            count += buffer.count
        }

        mutating func ascii(_ s: StaticString) {
            bytes(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }

        mutating func text(_ s: String) {
            var s = s
            s.withUTF8 { bytes($0) }
        }

        mutating func write(_ value: JSONValue) {
            switch value {
            case .null: ascii("null")
            case .bool(let b): b ? ascii("true") : ascii("false")
            case .int(let i): text(String(i))
            case .double(let d): real(d)
            case .string(let s): string(s)
            case .array(let items):
                byte(UInt8(ascii: "["))
                var first = true
                for item in items {
                    if !first { byte(UInt8(ascii: ",")) }
                    first = false
                    write(item)
                }
                byte(UInt8(ascii: "]"))
            case .object(let object):
                byte(UInt8(ascii: "{"))
                var first = true
                for entry in object.entries {
                    if !first { byte(UInt8(ascii: ",")) }
                    first = false
                    string(entry.key)
                    byte(UInt8(ascii: ":"))
                    write(entry.value)
                }
                byte(UInt8(ascii: "}"))
            }
        }

        mutating func real(_ d: Double) {
            guard d.isFinite else {  // JSON has no NaN or infinity; the model never produces them.
                ascii("null")
                return
            }
            text((d == 0 ? 0.0 : d).description)  // -0 prints as 0.0
        }

        static let hex: StaticString = "0123456789abcdef"

        mutating func string(_ s: String) {
            var s = s
            byte(UInt8(ascii: "\""))
            s.withUTF8 { src in
                // Copy runs of bytes that need no escape in one go; escape the rest one by one.
                var runStart = 0
                var i = 0
                while i < src.count {
                    let b = src[i]
                    if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                        i += 1
                        continue
                    }
                    bytes(UnsafeBufferPointer(rebasing: src[runStart..<i]))
                    switch b {
                    case UInt8(ascii: "\""): ascii("\\\"")
                    case UInt8(ascii: "\\"): ascii("\\\\")
                    case 0x0A: ascii("\\n")
                    case 0x0D: ascii("\\r")
                    case 0x09: ascii("\\t")
                    case 0x08: ascii("\\b")
                    case 0x0C: ascii("\\f")
                    default:
                        ascii("\\u00")
                        byte(Writer.hex.utf8Start[Int(b >> 4)])
                        byte(Writer.hex.utf8Start[Int(b & 0x0F)])
                    }
                    i += 1
                    runStart = i
                }
                bytes(UnsafeBufferPointer(rebasing: src[runStart..<src.count]))
            }
            byte(UInt8(ascii: "\""))
        }
    }
}
