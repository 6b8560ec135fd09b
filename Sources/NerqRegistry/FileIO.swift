// POSIX file access for the registry collector (no Foundation): streaming reads in large chunks,
// directory listings in byte order, and the rename/fsync steps of an atomic store build.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqCore
import NerqIO
import NerqJSON

enum FileIO {
    // Reading, listing and error texts are NerqIO.Files'; this adds streaming and the atomic build.
    static func errnoText(_ code: Int32 = errno) -> String { Files.errnoText(code) }
    static func openError(_ path: String, _ code: Int32) -> NerqError { Files.openError(path, code) }

    /// Calls `body` with successive chunks of the file (each valid only during the call).
    static func stream(_ path: String, chunkSize: Int = 1 << 20,
                       _ body: (UnsafeBufferPointer<UInt8>) throws(NerqError) -> Void) throws(NerqError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw openError(path, errno) }
        defer { close(fd) }
        let size = max(4096, chunkSize)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { buffer.deallocate() }
        while true {
            let n = Glibc.read(fd, buffer, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw NerqError(.ioError, "cannot read \(path): \(errnoText())", path: path)
            }
            if n == 0 { return }
            try body(UnsafeBufferPointer(start: buffer, count: n))
        }
    }

    static func remove(_ path: String) { unlink(path) }

    /// Flushes `path` to disk.
    static func fsyncFile(_ path: String) throws(NerqError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw openError(path, errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw NerqError(.ioError, "cannot flush \(path): \(errnoText())", path: path) }
    }

    /// Renames `from` over `to` (atomic on one file system) and flushes the directory entry.
    static func rename(_ from: String, _ to: String) throws(NerqError) {
        guard Glibc.rename(from, to) == 0 else {
            throw NerqError(.ioError, "cannot rename \(from) to \(to): \(errnoText())", path: to)
        }
        let dir = directory(of: to)
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return "." }
        let dir = String(path.utf8[path.utf8.startIndex..<slash]) ?? "."
        return dir.isEmpty ? "/" : dir
    }

    static func lastComponent(_ path: String) -> String {
        var p = Substring(path)
        while p.hasSuffix("/") && p.count > 1 { p = p.dropLast() }
        guard let slash = p.utf8.lastIndex(of: 0x2F) else { return String(p) }
        return String(p[p.index(after: slash)...])
    }

    static func processID() -> Int32 { getpid() }

    /// Seconds since the epoch (wall clock): only for naming temporary files.
    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
