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
            guard let src = buffer.baseAddress else { return }
            bytes(src, buffer.count)
        }

        mutating func bytes(_ src: UnsafePointer<UInt8>, _ n: Int) {
            guard n > 0 else { return }
            reserve(n)
            (base + count).update(from: src, count: n)
            count += n
        }

        mutating func ascii(_ s: StaticString) {
            bytes(s.utf8Start, s.utf8CodeUnitCount)
        }

        mutating func text(_ s: String) {
            var s = s
            s.withUTF8 { bytes($0) }
        }

        mutating func write(_ value: JSONValue) {
            switch value {
            case .null: ascii("null")
            case .bool(let b): b ? ascii("true") : ascii("false")
            case .int(let i): integer(i)
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

        /// Decimal digits straight into the buffer (no String per number).
        mutating func integer(_ i: Int64) {
            if i < 0 { byte(UInt8(ascii: "-")) }
            var magnitude = i.magnitude
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var n = 0
            withUnsafeMutableBytes(of: &digits) { d in
                repeat {
                    d[19 - n] = UInt8(truncatingIfNeeded: magnitude % 10) + UInt8(ascii: "0")
                    magnitude /= 10
                    n += 1
                } while magnitude > 0 && n < 20
                if let start = d.baseAddress?.assumingMemoryBound(to: UInt8.self) { bytes(start + (20 - n), n) }
            }
        }

        static let powersOfTen: [Double] = [1, 10, 100, 1000]

        mutating func real(_ d: Double) {
            guard d.isFinite else {  // JSON has no NaN or infinity; the model never produces them.
                ascii("null")
                return
            }
            let value = d == 0 ? 0.0 : d  // -0 prints as 0.0
            // Fast path for the numbers reports are made of (45.0, 99.2, 0.25): the fewest decimals
            // (1 to 3) that give back the same Double, which is what the shortest round-trip
            // form prints in this range. Everything else goes through Swift's own formatting.
            let magnitude = value.magnitude
            if value == 0 || (magnitude >= 1e-3 && magnitude < 1e15) {
                for (k, scale) in Writer.powersOfTen.enumerated() {
                    let scaled = (value * scale).rounded()
                    guard scaled.magnitude < 9e15, scaled / scale == value else { continue }
                    let places = max(k, 1)
                    let n = Int64(scaled) * (k == 0 ? 10 : 1)  // integral values print one decimal: 45.0
                    let unit = Int64(Writer.powersOfTen[places])
                    let whole = n / unit
                    var fraction = (n % unit).magnitude
                    if n < 0 && whole == 0 { byte(UInt8(ascii: "-")) }
                    integer(whole)
                    byte(UInt8(ascii: "."))
                    var divisor = UInt64(unit / 10)
                    for _ in 0..<places {
                        byte(UInt8(truncatingIfNeeded: fraction / divisor) + UInt8(ascii: "0"))
                        fraction %= divisor
                        divisor /= 10
                    }
                    return
                }
            }
            text(value.description)
        }

        static let hex: StaticString = "0123456789abcdef"

        mutating func string(_ s: String) {
            var s = s
            byte(UInt8(ascii: "\""))
            s.withUTF8 { src in
                // Copy runs of bytes that need no escape in one go; escape the rest one by one.
                // Plain pointer arithmetic: slicing the buffer here costs a generic metadata
                // lookup per run.
                guard let p = src.baseAddress else { return }
                let n = src.count
                var runStart = 0
                var i = 0
                while i < n {
                    let b = p[i]
                    if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                        i += 1
                        continue
                    }
                    bytes(p + runStart, i - runStart)
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
                bytes(p + runStart, n - runStart)
            }
            byte(UInt8(ascii: "\""))
        }
    }
}
