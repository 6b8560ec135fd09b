// Streaming decompression over zlib (Debian's zlib1g-dev): gzip for the crates.io dump and fetched
// `.tar.gz` archives, raw deflate for zip entries.

import CZlib
import NerqJSON

/// Inflates a stream pushed in chunks and hands the decompressed bytes to `output`. For gzip,
/// concatenated members are read one after another (as `gzip -d` does); raw deflate (a zip
/// entry) is one stream and nothing may follow it. `finish()` fails when the stream stopped
/// before its end: a truncated download is an error, never a shorter file.
public final class Inflater {
    public enum Format: Sendable {
        case gzip
        /// Deflate without a wrapper, as zip stores it.
        case raw
    }

    private let format: Format
    private var stream = z_stream()
    private var initialized = false
    private var memberEnded = false
    private var sawInput = false
    private let path: String
    private let out: UnsafeMutablePointer<UInt8>
    private let outSize = 1 << 20
    /// Compressed bytes consumed so far (for error messages).
    public private(set) var consumed: Int64 = 0

    /// Whether the (last) stream ended.
    public var ended: Bool { memberEnded }

    public init(path: String, format: Format = .gzip) throws(NerqError) {
        self.path = path
        self.format = format
        out = UnsafeMutablePointer<UInt8>.allocate(capacity: outSize)
        let rc = nerq_inflate_init2(&stream, format == .gzip ? 15 + 16 : -15)  // the gzip wrapper only, or none
        guard rc == Z_OK else {
            out.deallocate()
            throw NerqError(rc == Z_MEM_ERROR ? .outOfMemory : .internalError, "zlib could not start (\(rc))", path: path)
        }
        initialized = true
    }

    deinit {
        if initialized { inflateEnd(&stream) }
        out.deallocate()
    }

    private func zlibMessage() -> String {
        guard let m = stream.msg else { return "" }
        return String(cString: m)
    }

    /// Decompresses `input`; calls `output` with each piece of decompressed data.
    public func feed(_ input: UnsafeBufferPointer<UInt8>,
              _ output: (UnsafeBufferPointer<UInt8>) throws(NerqError) -> Void) throws(NerqError) {
        guard let base = input.baseAddress, input.count > 0 else { return }
        var offset = 0
        while offset < input.count {
            if memberEnded {
                guard format == .gzip else {
                    throw NerqError(.parseError, "\(path): data after the end of a deflate stream", path: path)
                }
                // Another member follows, or padding. Zero padding after the last member is
                // tolerated (some writers pad to a block size); anything else starts a member.
                var k = offset
                while k < input.count, base[k] == 0 { k += 1 }
                consumed += Int64(k - offset)
                offset = k
                if offset >= input.count { return }
                guard inflateReset(&stream) == Z_OK else {
                    throw NerqError(.internalError, "zlib could not restart for the next gzip member", path: path)
                }
                memberEnded = false
            }
            sawInput = true
            let chunk = min(input.count - offset, Int(UInt32.max))
            stream.next_in = UnsafeMutablePointer(mutating: base + offset)
            stream.avail_in = uInt(chunk)
            repeat {
                stream.next_out = out
                stream.avail_out = uInt(outSize)
                let rc = inflate(&stream, Z_NO_FLUSH)
                let produced = outSize - Int(stream.avail_out)
                if produced > 0 { try output(UnsafeBufferPointer(start: out, count: produced)) }
                switch rc {
                case Z_OK, Z_BUF_ERROR:
                    break
                case Z_STREAM_END:
                    memberEnded = true
                case Z_DATA_ERROR:
                    if format == .gzip && consumed == 0 && chunk - Int(stream.avail_in) <= 10 {
                        throw NerqError(.parseError, "\(path): not a gzip file (\(zlibMessage()))", path: path)
                    }
                    let at = consumed + Int64(chunk - Int(stream.avail_in))
                    throw NerqError(.parseError, "\(path): corrupt \(format == .gzip ? "gzip" : "deflate") data near byte \(at): \(zlibMessage())", path: path)
                case Z_MEM_ERROR:
                    throw NerqError(.outOfMemory, "\(path): zlib ran out of memory", path: path)
                default:
                    throw NerqError(.parseError, "\(path): gzip error \(rc): \(zlibMessage())", path: path)
                }
                if rc == Z_STREAM_END { break }
                if rc == Z_BUF_ERROR && produced == 0 { break }
            } while stream.avail_in > 0 || stream.avail_out == 0
            let used = chunk - Int(stream.avail_in)
            guard used > 0 || memberEnded else {
                throw NerqError(.parseError, "\(path): gzip data makes no progress near byte \(consumed)", path: path)
            }
            consumed += Int64(used)
            offset += used
            stream.next_in = nil
            stream.avail_in = 0
        }
    }

    /// Fails unless the last gzip member was complete.
    public func finish() throws(NerqError) {
        let name = format == .gzip ? "gzip" : "deflate"
        guard sawInput else { throw NerqError(.parseError, "\(path): empty file, not a \(name) stream", path: path) }
        guard memberEnded else {
            throw NerqError(.parseError, "\(path): truncated \(name) stream (ended after \(consumed) compressed bytes without the end of the data)", path: path)
        }
    }
}
