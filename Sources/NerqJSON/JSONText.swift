#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqThreads

/// Compact JSON text for nerq's documents (the text API's output).
///
/// The same layout jansson's `JSON_COMPACT` writes: no spaces, keys in object order, non-ASCII
/// characters as UTF-8. Reals use Swift's shortest round-trip form (`72.3`, not `72.299999999999997`).
public enum JSONText {
    public static func encode(_ value: JSONValue) -> [UInt8] {
        withEncoded(value) { $0.map { Array($0) } ?? [] }
    }

    public static func string(_ value: JSONValue) -> String {
        withEncoded(value) { $0.map { String(decoding: $0, as: UTF8.self) } ?? "" }
    }

    /// Encodes into a scratch buffer and lends it to `body` (no copy for callers that copy anyway).
    /// Long arrays (an assessment's package reports) are encoded on all cores, chunk by chunk, and
    /// joined in order: the bytes are the same as a sequential encoding. Out of memory: `body`
    /// gets nil.
    public static func withEncoded<R>(_ value: JSONValue, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let w = written(value)
        defer { w.deallocate() }
        return body(w.failed ? nil : UnsafeBufferPointer(start: w.base, count: w.count))
    }

    /// The encoding as a NUL-terminated C string in malloc'd memory, owned by the caller (`free`),
    /// or nil when memory ran out. The writer's own buffer is handed over, not copied.
    public static func cString(_ value: JSONValue) -> UnsafeMutablePointer<CChar>? {
        var w = written(value)
        w.byte(0)
        guard !w.failed, let base = w.base else {
            w.deallocate()
            return nil
        }
        return UnsafeMutableRawPointer(base).assumingMemoryBound(to: CChar.self)
    }

    /// A run of an array's items encoded as text, one after the other, and where each ends: what
    /// `items` gives and `cString(_:splicing:runs:fill:)` joins. An item may be a hole, left for
    /// a later run to fill.
    public final class EncodedItems: @unchecked Sendable {
        fileprivate let writer: Writer
        /// Where each item ends in `writer` (a hole ends where it starts).
        fileprivate let ends: [Int]
        /// Which items are holes.
        fileprivate let holes: [Bool]

        fileprivate init(_ writer: Writer, ends: [Int], holes: [Bool]) {
            self.writer = writer
            self.ends = ends
            self.holes = holes
        }

        deinit { writer.deallocate() }

        public var count: Int { ends.count }
    }

    /// The items `body` writes for each index of `range`, one value each, encoded one after the
    /// other into one buffer of about `bytesPerItem` a piece. `body` returns false, having written
    /// nothing, for an item that is a hole.
    public static func items(_ range: Range<Int>, bytesPerItem: Int = 4096, _ body: (inout JSONTextSink, Int) -> Bool) -> EncodedItems {
        var sink = JSONTextSink(Writer(capacity: range.count <= Int.max / max(bytesPerItem, 1) ? range.count * bytesPerItem : 8192))
        var ends: [Int] = [], holes: [Bool] = []
        ends.reserveCapacity(range.count)
        holes.reserveCapacity(range.count)
        for k in range {
            sink.startItem()
            holes.append(!body(&sink, k))
            ends.append(sink.writer.count)
        }
        return EncodedItems(sink.writer, ends: ends, holes: holes)
    }

    /// The encoding of an object whose member `key` is an array encoded already, run by run (its
    /// value in `object` is not written), each hole filled with the next item of `fill`'s runs:
    /// the same bytes as `cString` of the object with those items in place. An assessment's
    /// package reports are written straight into text as they are built, on all cores (no tree
    /// of them is ever made), and joined here into a buffer of the final size. nil when memory ran
    /// out, or when there are fewer items to fill with than holes.
    public static func cString(_ object: JSONObject, splicing key: String, runs: [EncodedItems],
                               fill: [EncodedItems] = []) -> UnsafeMutablePointer<CChar>? {
        var itemBytes = 2
        for run in runs + fill { itemBytes += run.writer.count + run.count }
        var w = Writer.large(itemBytes + 65_536)
        w.parallel = true
        var filling = fill.lazy.flatMap { run in run.ends.indices.lazy.map { (run, $0) } }.makeIterator()
        w.byte(UInt8(ascii: "{"))
        for (k, entry) in object.entries.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(entry.key)
            w.byte(UInt8(ascii: ":"))
            guard entry.key == key else {
                w.write(entry.value)
                continue
            }
            w.byte(UInt8(ascii: "["))
            var first = true
            for run in runs {
                for j in run.ends.indices {
                    var item = (run, j)
                    if run.holes[j] {
                        guard let next = filling.next() else {
                            w.failed = true
                            break
                        }
                        item = next
                    }
                    if !first { w.byte(UInt8(ascii: ",")) }
                    first = false
                    item.0.copy(item: item.1, into: &w)
                }
            }
            w.byte(UInt8(ascii: "]"))
        }
        w.byte(UInt8(ascii: "}"))
        w.byte(0)
        guard !w.failed, let base = w.base else {
            w.deallocate()
            return nil
        }
        return UnsafeMutableRawPointer(base).assumingMemoryBound(to: CChar.self)
    }

    /// A writer holding `value`'s encoding (long arrays encoded on all cores).
    static func written(_ value: JSONValue) -> Writer {
        var w = Writer()
        w.parallel = true
        w.write(value)
        return w
    }

    /// Arrays at least this long are split across cores (smaller ones are not worth a thread hop).
    static let parallelMinimum = 256

    /// A growable byte buffer in malloc'd memory (so that `cString` can hand it over as is):
    /// plain pointer stores, one capacity check per write. When memory runs out it stops writing
    /// and sets `failed`.
    struct Writer {
        var base: UnsafeMutablePointer<UInt8>?
        var count = 0
        var capacity: Int
        var failed = false
        /// Whether long arrays may be encoded in parallel (only at the outermost writer).
        var parallel = false

        init(capacity: Int = 8192) {
            self.capacity = max(capacity, 16)
            base = malloc(self.capacity)?.assumingMemoryBound(to: UInt8.self)
            if base == nil { failed = true }
        }

        /// A buffer for megabytes of text (an assessment's), in memory the kernel may back with
        /// huge pages where it does so on request: one fault for each 2 MiB instead of 512, the
        /// cost of first touching it. Still malloc'd memory (aligned), freed with `free`.
        static func large(_ capacity: Int) -> Writer {
            let huge = 2 << 20
            var memory: UnsafeMutableRawPointer?
            guard capacity >= huge, posix_memalign(&memory, huge, capacity) == 0, let memory else { return Writer(capacity: capacity) }
            _ = madvise(memory, capacity / huge * huge, MADV_HUGEPAGE)
            return Writer(capacity: capacity, base: memory.assumingMemoryBound(to: UInt8.self))
        }

        private init(capacity: Int, base: UnsafeMutablePointer<UInt8>) {
            self.capacity = capacity
            self.base = base
        }

        func deallocate() { free(base) }

        /// Room for `n` more bytes; false (and `failed`) when it cannot be had.
        @inline(__always)
        mutating func reserve(_ n: Int) -> Bool {
            if count + n <= capacity && base != nil { return true }
            return grow(n)
        }

        mutating func grow(_ n: Int) -> Bool {
            guard !failed, n >= 0, count <= Int.max / 2 - n else {
                failed = true
                return false
            }
            var newCapacity = Swift.max(capacity, 16)
            while newCapacity < count + n { newCapacity *= 2 }
            guard let grown = realloc(base, newCapacity) else {
                failed = true
                return false
            }
            base = grown.assumingMemoryBound(to: UInt8.self)
            capacity = newCapacity
            return true
        }

        @inline(__always)
        mutating func byte(_ b: UInt8) {
            guard reserve(1), let base else { return }
            base[count] = b
            count += 1
        }

        mutating func bytes(_ buffer: UnsafeBufferPointer<UInt8>) {
            guard let src = buffer.baseAddress else { return }
            bytes(src, buffer.count)
        }

        @inline(__always)
        mutating func bytes(_ src: UnsafePointer<UInt8>, _ n: Int) {
            guard n > 0, reserve(n), let base else { return }
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
            case .array(let items) where parallel && items.count >= JSONText.parallelMinimum:
                writeInParallel(items)
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

        /// `[a,b,...]` with consecutive runs of items encoded by separate writers on all cores,
        /// then copied in order.
        mutating func writeInParallel(_ items: [JSONValue]) {
            // A few chunks per core: enough to balance, few enough to keep the joins cheap.
            let chunks = min(items.count / 16, 16)
            let parts: [Chunk] = parallelMap(Array(0..<chunks)) { c in
                var w = Writer(capacity: 1 << 17)
                let end = (c + 1) * items.count / chunks
                var i = c * items.count / chunks
                while i < end {
                    if w.count > 0 { w.byte(UInt8(ascii: ",")) }
                    w.write(items[i])
                    i += 1
                }
                return Chunk(w)
            }
            byte(UInt8(ascii: "["))
            for (k, part) in parts.enumerated() {
                if k > 0 { byte(UInt8(ascii: ",")) }
                if part.writer.failed { failed = true }
                if let b = part.writer.base { bytes(b, part.writer.count) }
                part.writer.deallocate()
            }
            byte(UInt8(ascii: "]"))
        }

        /// A finished chunk's writer, handed from the worker that filled it to the joining thread.
        struct Chunk: @unchecked Sendable {
            let writer: Writer
            init(_ writer: Writer) { self.writer = writer }
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

        /// Whether one of the 8 bytes of `w` may be a control character (< 0x20), a quote or a backslash
        /// (SWAR: exact when false; a true answer is checked byte by byte).
        @inline(__always)
        static func mayNeedEscape(_ w: UInt64) -> Bool {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
            let control = (w &- ones &* 0x20) & ~w & highs
            return (control | hasZero(w ^ (ones &* 0x22)) | hasZero(w ^ (ones &* 0x5C))) != 0
        }

        mutating func string(_ s: String) {
            var s = s
            s.withUTF8 { src in
                // Room for the worst case up front (every byte escaped as \u00XX, and the quotes),
                // so the copy below checks no capacity: names and short values are most strings.
                let n = src.count
                guard n > 0, let p = src.baseAddress else { return ascii("\"\"") }
                guard n <= Int.max / 8, reserve(n &* 6 &+ 2), let out = base else { return }
                var at = count
                out[at] = UInt8(ascii: "\"")
                at &+= 1
                var i = 0
                while i < n {
                    // Eight bytes at a time while none needs an escape.
                    while i &+ 8 <= n && !Writer.mayNeedEscape(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) {
                        UnsafeMutableRawPointer(out + at).storeBytes(of: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self),
                                                                     as: UInt64.self)
                        i &+= 8
                        at &+= 8
                    }
                    guard i < n else { break }
                    let b = p[i]
                    i &+= 1
                    if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                        out[at] = b
                        at &+= 1
                        continue
                    }
                    out[at] = UInt8(ascii: "\\")
                    switch b {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): out[at &+ 1] = b
                    case 0x0A: out[at &+ 1] = UInt8(ascii: "n")
                    case 0x0D: out[at &+ 1] = UInt8(ascii: "r")
                    case 0x09: out[at &+ 1] = UInt8(ascii: "t")
                    case 0x08: out[at &+ 1] = UInt8(ascii: "b")
                    case 0x0C: out[at &+ 1] = UInt8(ascii: "f")
                    default:
                        out[at &+ 1] = UInt8(ascii: "u")
                        out[at &+ 2] = UInt8(ascii: "0")
                        out[at &+ 3] = UInt8(ascii: "0")
                        out[at &+ 4] = Writer.hex.utf8Start[Int(b >> 4)]
                        out[at &+ 5] = Writer.hex.utf8Start[Int(b & 0x0F)]
                        at &+= 4
                    }
                    at &+= 2
                }
                out[at] = UInt8(ascii: "\"")
                count = at &+ 1
            }
        }
    }
}

extension JSONText.EncodedItems {
    /// Item `j`'s bytes, appended to `w`.
    fileprivate func copy(item j: Int, into w: inout JSONText.Writer) {
        if writer.failed { w.failed = true }
        let start = j > 0 ? ends[j - 1] : 0
        if let base = writer.base, ends[j] > start { w.bytes(base + start, ends[j] - start) }
    }
}
