// POSIX file access for the registry collector (no Foundation): streaming reads in large chunks,
// directory listings in byte order, and the rename/fsync steps of an atomic store build.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqCore

enum FileIO {
    enum Kind { case file, directory, other }

    /// What `path` is (following symlinks), or nil when it does not exist.
    static func kind(_ path: String) -> Kind? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    static func errnoText(_ code: Int32 = errno) -> String {
        guard let s = strerror(code) else { return "error \(code)" }
        return String(cString: s)
    }

    static func openError(_ path: String, _ code: Int32) -> NerqError {
        if code == ENOENT || code == ENOTDIR { return NerqError(.notFound, "no such file: \(path)", path: path) }
        return NerqError(.ioError, "cannot open \(path): \(errnoText(code))", path: path)
    }

    /// Names in directory `path` (without `.` and `..`), sorted by their bytes.
    static func list(_ path: String) throws(NerqError) -> [String] {
        guard let dir = opendir(path) else { throw openError(path, errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let ent = readdir(dir) {
            let name = withUnsafePointer(to: &ent.pointee.d_name) { field -> String in
                field.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout.size(ofValue: field.pointee)) { bytes in
                    String(decoding: UnsafeBufferPointer(start: bytes, count: strlen(bytes)), as: UTF8.self)
                }
            }
            if name == "." || name == ".." || name.isEmpty { continue }
            names.append(name)
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

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

    /// The whole (small) file.
    static func read(_ path: String, limit: Int = 64 << 20) throws(NerqError) -> [UInt8] {
        var out: [UInt8] = []
        try stream(path) { (chunk: UnsafeBufferPointer<UInt8>) throws(NerqError) in
            guard out.count + chunk.count <= limit else {
                throw NerqError(.invalidValue, "\(path) is larger than \(limit) bytes", path: path)
            }
            out.append(contentsOf: chunk)
        }
        return out
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
