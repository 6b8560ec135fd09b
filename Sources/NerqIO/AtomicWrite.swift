#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqJSON

extension Files {
    /// Writes `bytes` to a temporary beside `path`, flushes it and renames it over `path`: a reader
    /// sees the old file or the new one, never a part.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(NerqError) {
        try checkPath(path)
        let temporary = temporaryName(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw openError(temporary) }
        var ok = true
        var failure = ""
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    ok = false
                    failure = errnoText()
                    return
                }
                offset += n
            }
        }
        if ok && fsync(fd) != 0 {
            ok = false
            failure = errnoText()
        }
        close(fd)
        guard ok else {
            unlink(temporary)
            throw NerqError(.ioError, "cannot write \(temporary): \(failure)", path: path)
        }
        do throws(NerqError) {
            try rename(temporary, path)
        } catch {
            unlink(temporary)
            throw error
        }
    }
}
