// A small, strict zip reader: what OSV.dev's exports need (stored and deflated entries, written
// by Go's archive/zip) and nothing else. The central directory is the truth; each local header
// must agree with it, entries' data must lie between the local headers and the central
// directory without overlapping (the overlapping-entry zip bomb), and every file is checked
// against its CRC-32 and size. Zip64, encryption, multi-disk archives and other methods are
// refused with an error that says so.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CZlib
import NerqIO
import NerqJSON

public struct ZipEntry: Sendable, Equatable {
    public var name: String
    /// 0 stored, 8 deflate.
    public var method: UInt16
    public var crc32: UInt32
    public var compressedSize: Int64
    public var size: Int64
    /// Where the entry's data starts (after its local header).
    public var dataOffset: Int64
    public var isDirectory: Bool
    /// A Unix symbolic link (mode S_IFLNK in the external attributes).
    public var isSymlink: Bool
}

/// An open zip file.
public final class ZipFile {
    let path: String
    let fd: Int32
    let size: Int64

    public init(path: String) throws(NerqError) {
        try Files.checkPath(path)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw Files.openError(path) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw NerqError(.ioError, "\(path) is not a regular file", path: path)
        }
        self.path = path
        self.fd = fd
        self.size = Int64(st.st_size)
    }

    deinit { close(fd) }

    private func fail(_ what: String) -> NerqError {
        NerqError(.parseError, "\(path): \(what)", path: path)
    }

    /// `count` bytes at `offset`, all of them or an error.
    func bytes(at offset: Int64, count: Int) throws(NerqError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, Int64(count) <= size - offset else {
            throw fail("truncated: \(count) bytes at offset \(offset) lie beyond the end (\(size) bytes)")
        }
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return pread(fd, base + done, count - done, off_t(offset + Int64(done)))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw NerqError(.ioError, "cannot read \(path): \(Files.errnoText())", path: path)
            }
            if n == 0 { throw fail("truncated at offset \(offset + Int64(done))") }
            done += n
        }
        return out
    }

    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 {
        guard at >= 0, at + 1 < b.count else { return 0 }
        return UInt16(b[at]) | UInt16(b[at + 1]) << 8
    }

    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        guard at >= 0, at + 3 < b.count else { return 0 }
        return UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    static let endSignature: UInt32 = 0x0605_4B50
    static let centralSignature: UInt32 = 0x0201_4B50
    static let localSignature: UInt32 = 0x0403_4B50

    /// Every entry, in central-directory order.
    public func entries() throws(NerqError) -> [ZipEntry] {
        // The end record is the last 22 bytes plus a comment of up to 65,535 bytes.
        guard size >= 22 else { throw fail("not a zip file (\(size) bytes, shorter than an end record)") }
        let tailLength = Int(min(size, 22 + 65_535))
        let tail = try bytes(at: size - Int64(tailLength), count: tailLength)
        var end = -1
        var k = tailLength - 22
        while k >= 0 {
            if ZipFile.u32(tail, k) == ZipFile.endSignature && k + 22 + Int(ZipFile.u16(tail, k + 20)) == tailLength {
                end = k
                break
            }
            k -= 1
        }
        guard end >= 0 else { throw fail("not a zip file (no end of central directory record; truncated?)") }
        let disk = ZipFile.u16(tail, end + 4), cdDisk = ZipFile.u16(tail, end + 6)
        let onDisk = ZipFile.u16(tail, end + 8), total = ZipFile.u16(tail, end + 10)
        let cdSize = ZipFile.u32(tail, end + 12), cdOffset = ZipFile.u32(tail, end + 16)
        if total == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            throw fail("a zip64 archive: not supported (more than 65,535 entries or 4 GiB)")
        }
        guard disk == 0, cdDisk == 0, onDisk == total else { throw fail("a multi-disk archive: not supported") }
        let endOffset = size - Int64(tailLength) + Int64(end)
        guard Int64(cdOffset) + Int64(cdSize) == endOffset else {
            throw fail("the central directory (\(cdSize) bytes at \(cdOffset)) does not end where the end record starts (\(endOffset)); truncated or damaged")
        }
        let cd = try bytes(at: Int64(cdOffset), count: Int(cdSize))
        var out: [ZipEntry] = []
        out.reserveCapacity(Int(total))
        var p = 0
        for index in 0..<Int(total) {
            guard p + 46 <= cd.count, ZipFile.u32(cd, p) == ZipFile.centralSignature else {
                throw fail("central directory entry \(index + 1) of \(total) is damaged")
            }
            let madeBy = ZipFile.u16(cd, p + 4) >> 8
            let flags = ZipFile.u16(cd, p + 8)
            let method = ZipFile.u16(cd, p + 10)
            let crc = ZipFile.u32(cd, p + 16)
            let csize = ZipFile.u32(cd, p + 20), usize = ZipFile.u32(cd, p + 24)
            let nameLength = Int(ZipFile.u16(cd, p + 28)), extraLength = Int(ZipFile.u16(cd, p + 30))
            let commentLength = Int(ZipFile.u16(cd, p + 32))
            let external = ZipFile.u32(cd, p + 38), localOffset = ZipFile.u32(cd, p + 42)
            guard p + 46 + nameLength + extraLength + commentLength <= cd.count else {
                throw fail("central directory entry \(index + 1) runs past the directory's end")
            }
            let nameBytes = Array(cd[(p + 46)..<(p + 46 + nameLength)])
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                throw fail("entry \(index + 1): its name is not UTF-8")
            }
            p += 46 + nameLength + extraLength + commentLength
            if csize == 0xFFFF_FFFF || usize == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                throw fail("entry \"\(name)\" uses zip64 sizes: not supported")
            }
            if flags & 0x1 != 0 { throw fail("entry \"\(name)\" is encrypted: not supported") }
            guard method == 0 || method == 8 else {
                throw fail("entry \"\(name)\" uses compression method \(method): only stored (0) and deflate (8) are read")
            }
            if method == 0 && csize != usize { throw fail("entry \"\(name)\" is stored but its sizes differ") }
            let unixMode = madeBy == 3 ? external >> 16 : 0
            let isSymlink = unixMode & 0o170000 == 0o120000
            // The local header: signature, the same name, and where the data starts.
            let local = try bytes(at: Int64(localOffset), count: 30)
            guard ZipFile.u32(local, 0) == ZipFile.localSignature else {
                throw fail("entry \"\(name)\": no local header at offset \(localOffset)")
            }
            let localNameLength = Int(ZipFile.u16(local, 26)), localExtraLength = Int(ZipFile.u16(local, 28))
            guard localNameLength == nameLength,
                  try bytes(at: Int64(localOffset) + 30, count: localNameLength) == nameBytes else {
                throw fail("entry \"\(name)\": the local header names another file")
            }
            let dataOffset = Int64(localOffset) + 30 + Int64(localNameLength) + Int64(localExtraLength)
            guard dataOffset + Int64(csize) <= Int64(cdOffset) else {
                throw fail("entry \"\(name)\": its data runs into the central directory")
            }
            out.append(ZipEntry(name: name, method: method, crc32: crc, compressedSize: Int64(csize), size: Int64(usize),
                                dataOffset: dataOffset, isDirectory: name.hasSuffix("/"), isSymlink: isSymlink))
        }
        // No two entries may share bytes: sorted by position, each starts after the last ends.
        let ordered = out.indices.sorted { out[$0].dataOffset < out[$1].dataOffset }
        var lastEnd: Int64 = 0
        for i in ordered {
            let e = out[i]
            guard e.dataOffset >= lastEnd else { throw fail("entry \"\(e.name)\" overlaps another entry's data") }
            lastEnd = e.dataOffset + e.compressedSize
        }
        return out
    }

    /// Calls `output` with the entry's uncompressed bytes in pieces; checks its size and CRC-32.
    public func read(_ entry: ZipEntry, maxBytes: Int64, _ output: (UnsafeBufferPointer<UInt8>) throws(NerqError) -> Void) throws(NerqError) {
        guard entry.size <= maxBytes else {
            throw NerqError(.invalidValue, "\(path): entry \"\(entry.name)\" is \(entry.size) bytes, more than the \(maxBytes) allowed", path: path)
        }
        var crc = crc32(0, nil, 0)
        var produced: Int64 = 0
        func emit(_ piece: UnsafeBufferPointer<UInt8>) throws(NerqError) {
            produced += Int64(piece.count)
            guard produced <= entry.size else {
                throw fail("entry \"\(entry.name)\" inflates to more than its declared \(entry.size) bytes")
            }
            if let base = piece.baseAddress { crc = crc32(crc, base, uInt(piece.count)) }
            try output(piece)
        }
        if entry.method == 0 {
            try chunks(entry) { (piece: UnsafeBufferPointer<UInt8>) throws(NerqError) in try emit(piece) }
        } else {
            let inflater = try Inflater(path: path, format: .raw)
            try chunks(entry) { (piece: UnsafeBufferPointer<UInt8>) throws(NerqError) in
                try inflater.feed(piece) { (out: UnsafeBufferPointer<UInt8>) throws(NerqError) in try emit(out) }
            }
            guard inflater.ended else { throw fail("entry \"\(entry.name)\": its deflate data ends early (truncated or damaged)") }
        }
        guard produced == entry.size else {
            throw fail("entry \"\(entry.name)\" holds \(produced) bytes, not the \(entry.size) its header says")
        }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc32 else { throw fail("entry \"\(entry.name)\" fails its CRC-32 check (damaged)") }
    }

    /// The entry's stored (compressed) bytes in pieces of up to 256 KiB.
    private func chunks(_ entry: ZipEntry, _ body: (UnsafeBufferPointer<UInt8>) throws(NerqError) -> Void) throws(NerqError) {
        var offset = entry.dataOffset
        var remaining = entry.compressedSize
        while remaining > 0 {
            let n = Int(min(remaining, 256 << 10))
            let piece = try bytes(at: offset, count: n)
            try piece.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(NerqError) in try body(b) }
            offset += Int64(n)
            remaining -= Int64(n)
        }
    }
}
