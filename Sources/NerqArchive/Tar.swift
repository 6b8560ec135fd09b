// A streaming tar reader: ustar (name + prefix), pax extended headers (`path`, `size`) and GNU
// long names (`././@LongLink`, type `L`). Data arrives in chunks of any size; entries are handed
// to a consumer as they stream by, so a 2 GB tarball is never held in memory.

import NerqJSON

/// What a tar entry is (its type flag).
public enum TarEntryKind: Sendable, Equatable {
    case file, directory, symlink, hardlink
    /// Devices, FIFOs and anything else.
    case other
}

public protocol TarConsumer: AnyObject {
    /// A new entry. Only a `.file` entry's data is passed on; the data of any other kind, if it
    /// has some, is skipped.
    func tarEntryBegin(name: String, size: Int64, kind: TarEntryKind) throws(NerqError)
    func tarEntryData(_ bytes: UnsafeBufferPointer<UInt8>) throws(NerqError)
    func tarEntryEnd() throws(NerqError)
}

public final class TarReader {
    private let path: String
    private unowned let consumer: TarConsumer

    private enum State {
        case header
        case data          // a file's data, passed to the consumer
        case meta          // a pax or GNU long-name entry's data, kept here
        case skip          // data nobody wants
        case padding
        case ended
    }

    private var state = State.header
    private var header: [UInt8] = []
    private var remaining: Int64 = 0
    private var padding: Int = 0
    private var metaKind: UInt8 = 0
    private var meta: [UInt8] = []
    private var pendingName: String?
    private var pendingSize: Int64?
    private var currentName = ""
    private var currentSize: Int64 = 0
    /// Uncompressed bytes seen (tar offset), for error messages.
    private var offset: Int64 = 0
    public private(set) var entries = 0

    static let maxMetaSize: Int64 = 1 << 20

    public init(path: String, consumer: TarConsumer) {
        self.path = path
        self.consumer = consumer
        header.reserveCapacity(512)
    }

    public func feed(_ chunk: UnsafeBufferPointer<UInt8>) throws(NerqError) {
        guard let base = chunk.baseAddress else { return }
        var i = 0
        let n = chunk.count
        while i < n {
            switch state {
            case .ended:
                offset += Int64(n - i)
                return
            case .header:
                let take = min(512 - header.count, n - i)
                header.append(contentsOf: UnsafeBufferPointer(start: base + i, count: take))
                i += take
                offset += Int64(take)
                if header.count == 512 {
                    try parseHeader()
                    header.removeAll(keepingCapacity: true)
                }
            case .data, .meta, .skip:
                let take = Int(min(remaining, Int64(n - i)))
                let piece = UnsafeBufferPointer(start: base + i, count: take)
                if state == .data {
                    try consumer.tarEntryData(piece)
                } else if state == .meta {
                    meta.append(contentsOf: piece)
                }
                i += take
                offset += Int64(take)
                remaining -= Int64(take)
                if remaining == 0 { try endOfData() }
            case .padding:
                let take = min(padding, n - i)
                i += take
                offset += Int64(take)
                padding -= take
                if padding == 0 { state = .header }
            }
        }
    }

    /// Fails unless the archive ended cleanly (end-of-archive block after complete entries).
    public func finish() throws(NerqError) {
        switch state {
        case .ended:
            return
        case .header where header.isEmpty:
            throw NerqError(.parseError, "\(path): truncated tarball: no end-of-archive block after \(entries) entries (offset \(offset))", path: path)
        case .header:
            throw NerqError(.parseError, "\(path): truncated tarball: a header is cut short at offset \(offset)", path: path)
        case .data, .skip, .meta:
            throw NerqError(.parseError, "\(path): truncated tarball: \(currentName) ends after \(currentSize - remaining) of \(currentSize) bytes", path: path)
        case .padding:
            throw NerqError(.parseError, "\(path): truncated tarball: \(currentName) is missing its padding", path: path)
        }
    }

    private func endOfData() throws(NerqError) {
        switch state {
        case .data:
            try consumer.tarEntryEnd()
        case .meta:
            try applyMeta()
        default:
            break
        }
        let rem = Int(currentSize % 512)
        padding = rem == 0 ? 0 : 512 - rem
        state = padding == 0 ? .header : .padding
    }

    private func corrupt(_ what: String) -> NerqError {
        NerqError(.parseError, "\(path): corrupt tar header at offset \(offset - 512): \(what)", path: path)
    }

    /// An octal number (spaces/NULs around it), or GNU base-256 when the top bit is set.
    private func number(_ from: Int, _ length: Int) throws(NerqError) -> Int64 {
        guard from >= 0, from + length <= header.count else { throw corrupt("field out of range") }
        if header[from] & 0x80 != 0 {
            var v: Int64 = 0
            for k in from..<(from + length) {
                let byte = k == from ? header[k] & 0x7F : header[k]
                let (m, o1) = v.multipliedReportingOverflow(by: 256)
                let (a, o2) = m.addingReportingOverflow(Int64(byte))
                guard !o1, !o2 else { throw corrupt("number too large") }
                v = a
            }
            return v
        }
        var v: Int64 = 0
        var k = from
        let end = from + length
        while k < end, header[k] == 0x20 { k += 1 }
        var digits = 0
        while k < end, header[k] >= 0x30, header[k] <= 0x37 {
            let (m, o1) = v.multipliedReportingOverflow(by: 8)
            let (a, o2) = m.addingReportingOverflow(Int64(header[k] - 0x30))
            guard !o1, !o2 else { throw corrupt("number too large") }
            v = a
            k += 1
            digits += 1
        }
        while k < end, header[k] == 0x20 || header[k] == 0 { k += 1 }
        guard k == end else { throw corrupt("bad octal number") }
        return v
    }

    private func text(_ from: Int, _ length: Int) -> String {
        var end = from
        let limit = min(header.count, from + length)
        while end < limit, header[end] != 0 { end += 1 }
        return String(decoding: header[from..<end], as: UTF8.self)
    }

    private func parseHeader() throws(NerqError) {
        if header.allSatisfy({ $0 == 0 }) {
            state = .ended
            return
        }
        let stored = try number(148, 8)
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (k, b) in header.enumerated() {
            let byte = (148..<156).contains(k) ? UInt8(0x20) : b
            unsigned += Int64(byte)
            signed += Int64(Int8(bitPattern: byte))
        }
        guard stored == unsigned || stored == signed else {
            throw corrupt("checksum mismatch (not a tar file, or damaged)")
        }
        let type = header[156]
        let size: Int64
        if let given = pendingSize { size = given } else { size = try number(124, 12) }
        guard size >= 0 else { throw corrupt("negative size") }
        let magic = Array(header[257..<263])
        let isPosix = magic == Array("ustar\u{0}".utf8)
        var name = text(0, 100)
        if isPosix {
            let prefix = text(345, 155)
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        if let long = pendingName { name = long }
        currentName = name
        currentSize = size
        remaining = size
        entries += 1
        switch type {
        case UInt8(ascii: "x"), UInt8(ascii: "L"), UInt8(ascii: "g"), UInt8(ascii: "K"):
            guard size <= TarReader.maxMetaSize else { throw corrupt("extended header of \(size) bytes") }
            metaKind = type
            meta.removeAll(keepingCapacity: true)
            // pax and long-name headers apply to the next entry only; a global header keeps them.
            if type != UInt8(ascii: "g") {
                pendingName = nil
                pendingSize = nil
            }
            currentName = "(extended header)"
            state = .meta
        default:
            pendingName = nil
            pendingSize = nil
            let kind: TarEntryKind
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): kind = .file
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "2"): kind = .symlink
            case UInt8(ascii: "1"): kind = .hardlink
            default: kind = .other
            }
            let isFile = kind == .file
            try consumer.tarEntryBegin(name: name, size: size, kind: kind)
            // Hard links, symlinks and directories carry no data in practice; `size` says.
            state = isFile ? .data : .skip
        }
        if remaining == 0 { try endOfData() }
    }

    private func applyMeta() throws(NerqError) {
        switch metaKind {
        case UInt8(ascii: "L"):
            var end = meta.count
            while end > 0, meta[end - 1] == 0 { end -= 1 }
            pendingName = String(decoding: meta[0..<end], as: UTF8.self)
        case UInt8(ascii: "x"):
            // Records: "<length> <key>=<value>\n", length counting the whole record.
            var i = 0
            while i < meta.count {
                var len = 0
                var j = i
                while j < meta.count, meta[j] >= 0x30, meta[j] <= 0x39, len < 1 << 24 {
                    len = len * 10 + Int(meta[j] - 0x30)
                    j += 1
                }
                guard j < meta.count, meta[j] == 0x20, len > j - i + 1, i + len <= meta.count, meta[i + len - 1] == 0x0A else {
                    throw NerqError(.parseError, "\(path): malformed pax extended header before offset \(offset)", path: path)
                }
                let record = meta[(j + 1)..<(i + len - 1)]
                if let eq = record.firstIndex(of: 0x3D) {
                    let key = String(decoding: record[record.startIndex..<eq], as: UTF8.self)
                    let value = String(decoding: record[(eq + 1)...], as: UTF8.self)
                    if key == "path" {
                        pendingName = value
                    } else if key == "size" {
                        guard let v = Int64(value), v >= 0 else {
                            throw NerqError(.parseError, "\(path): bad pax size \"\(value)\" before offset \(offset)", path: path)
                        }
                        pendingSize = v
                    }
                }
                i += len
            }
        default:
            break  // global pax headers and GNU long link names do not matter here
        }
        meta.removeAll(keepingCapacity: true)
    }
}
