// The advisory index's binary encoding: LEB128 unsigned integers, length-prefixed UTF-8 strings,
// one byte for a flag or a tag. The reader checks every length and count against the bytes that
// remain and throws instead of trapping: the bytes come from a file on disk.

/// Appends values to a byte array.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }

    mutating func uint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    mutating func int(_ value: Int) { uint(UInt64(truncatingIfNeeded: value)) }

    mutating func int64(_ value: Int64) { uint(UInt64(bitPattern: value)) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func string(_ s: String?) {
        guard let s else { return byte(0) }
        byte(1)
        string(s)
    }

    mutating func strings(_ list: [String]) {
        int(list.count)
        for s in list { string(s) }
    }

    mutating func uint(_ value: UInt64?) {
        guard let value else { return byte(0) }
        byte(1)
        uint(value)
    }

    mutating func raw(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    mutating func value<E: RawRepresentable>(_ e: E) where E.RawValue == String { string(e.rawValue) }
}

/// What a reader throws: the bytes are not what the writer wrote.
struct BinaryCorrupt: Error {}

/// Reads values back from bytes that may be damaged.
struct BinaryReader {
    let buffer: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var remaining: Int { buffer.count - offset }

    mutating func byte() throws(BinaryCorrupt) -> UInt8 {
        guard offset < buffer.count else { throw BinaryCorrupt() }
        let b = buffer[offset]
        offset += 1
        return b
    }

    mutating func bool() throws(BinaryCorrupt) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw BinaryCorrupt()
        }
    }

    mutating func uint() throws(BinaryCorrupt) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, shift < 63 || b <= 1 else { throw BinaryCorrupt() }
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    /// A non-negative Int (a count, a length, a line number).
    mutating func int() throws(BinaryCorrupt) -> Int {
        let v = try uint()
        guard v <= UInt64(Int.max) else { throw BinaryCorrupt() }
        return Int(v)
    }

    mutating func int64() throws(BinaryCorrupt) -> Int64 { Int64(bitPattern: try uint()) }

    /// A count of items that each take at least one byte: never more than the bytes left.
    mutating func count() throws(BinaryCorrupt) -> Int {
        let n = try int()
        guard n <= remaining else { throw BinaryCorrupt() }
        return n
    }

    /// `n` bytes, as a slice of the buffer.
    mutating func bytes(_ n: Int) throws(BinaryCorrupt) -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw BinaryCorrupt() }
        let out = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + n)])
        offset += n
        return out
    }

    /// A string; bytes that are not UTF-8 (the checksum passed, so only a file made to look like
    /// an index has them) become U+FFFD, as everywhere text is read.
    mutating func string() throws(BinaryCorrupt) -> String {
        let raw = try bytes(try int())
        return String(decoding: raw.bindMemory(to: UInt8.self), as: UTF8.self)
    }

    mutating func optionalString() throws(BinaryCorrupt) -> String? {
        try bool() ? try string() : nil
    }

    mutating func strings() throws(BinaryCorrupt) -> [String] {
        let n = try count()
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    mutating func optionalUInt() throws(BinaryCorrupt) -> UInt64? {
        try bool() ? try uint() : nil
    }

    /// A String-backed enum, written as its raw value (so the order of its cases does not matter).
    mutating func value<E: RawRepresentable>(_ type: E.Type) throws(BinaryCorrupt) -> E where E.RawValue == String {
        guard let e = E(rawValue: try string()) else { throw BinaryCorrupt() }
        return e
    }
}
