#if canImport(Glibc)
import Glibc
#endif
import NerqJSON

/// Small, fast file access for the collectors (POSIX calls; no Foundation).
public enum Files {
    /// Reads a whole regular file. Refuses files larger than `limit` bytes.
    public static func read(_ path: String, limit: Int = 512 << 20) throws(NerqError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw openError(path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw NerqError(.ioError, "cannot stat \(path): \(errnoText())", path: path) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw NerqError(.ioError, "\(path) is not a regular file", path: path) }
        let size = Int(st.st_size)
        guard size <= limit else { throw NerqError(.invalidValue, "\(path) is larger than \(limit) bytes", path: path) }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { buf in
                Glibc.read(fd, buf.baseAddress.map { $0 + done }, size - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw NerqError(.ioError, "cannot read \(path): \(errnoText())", path: path)
            }
            if n == 0 { break }  // the file shrank while we read it
            done += n
        }
        if done < size { bytes.removeLast(size - done) }
        return bytes
    }

    public static func openError(_ path: String, _ code: Int32 = errno) -> NerqError {
        if code == ENOENT || code == ENOTDIR { return NerqError(.notFound, "no such file: \(path)", path: path) }
        return NerqError(.ioError, "cannot open \(path): \(errnoText(code))", path: path)
    }

    public static func errnoText(_ code: Int32 = errno) -> String {
        guard let s = strerror(code) else { return "error \(code)" }
        return String(cString: s)
    }

    public enum Kind: Sendable { case file, directory, other }

    /// What `path` is (following symlinks), or nil when it does not exist.
    public static func kind(_ path: String) -> Kind? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// Names in directory `path` (without `.` and `..`), sorted by their bytes.
    public static func list(_ path: String) throws(NerqError) -> [String] {
        guard let dir = opendir(path) else { throw openError(path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let ent = readdir(dir) {
            // strlen on d_name in place: copying the 256-byte field reads bytes readdir never wrote.
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

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String) throws(NerqError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw NerqError(.ioError, "cannot create \(prefix): \(errnoText())", path: prefix)
            }
        }
    }

    public static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }
}
