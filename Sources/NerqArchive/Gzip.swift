// Streaming gzip decompression over zlib (Debian's zlib1g-dev): the crates.io dump and fetched
// `.tar.gz` archives.

import CZlib
import NerqJSON

/// Inflates a gzip stream pushed in chunks and hands the decompressed bytes to `output`.
/// Concatenated gzip members are read one after another (as `gzip -d` does). `finish()` fails
/// when the stream stopped before a member's end: a truncated download is an error, never a
/// shorter dump.
public final class GzipInflater {
    private var stream = z_stream()
    private var initialized = false
    private var memberEnded = false
    private var sawInput = false
    private let path: String
    private let out: UnsafeMutablePointer<UInt8>
    private let outSize = 1 << 20
    /// Compressed bytes consumed so far (for error messages).
    public private(set) var consumed: Int64 = 0

    public init(path: String) throws(NerqError) {
        self.path = path
        out = UnsafeMutablePointer<UInt8>.allocate(capacity: outSize)
        let rc = nerq_inflate_init2(&stream, 15 + 16)  // gzip wrapper only
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
                    if consumed == 0 && chunk - Int(stream.avail_in) <= 10 {
                        throw NerqError(.parseError, "\(path): not a gzip file (\(zlibMessage()))", path: path)
                    }
                    let at = consumed + Int64(chunk - Int(stream.avail_in))
                    throw NerqError(.parseError, "\(path): corrupt gzip data near byte \(at): \(zlibMessage())", path: path)
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
        guard sawInput else { throw NerqError(.parseError, "\(path): empty file, not a gzip stream", path: path) }
        guard memberEnded else {
            throw NerqError(.parseError, "\(path): truncated gzip stream (ended after \(consumed) compressed bytes without the end of the data)", path: path)
        }
    }
}
