// Minimal file-system access over Glibc (no Foundation): stat, directory listing, whole-file reads.
//
// Directories are opened once, listed with getdents64 and their files opened relative to the
// directory descriptor (`openat`), which saves the kernel a path walk per file; files are read
// into a reusable buffer (no `fstat`: the listing already said it is a regular file; one `read`
// when it returns less than the buffer holds). A database load is mostly system calls, so each
// one saved counts. Everything returns optionals / result enums instead of trapping.

import CNerqSys
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum FileKind: Sendable, Equatable {
    case file, directory, other
}

enum FS {
    /// What `path` is (following symlinks), or nil when it does not exist / cannot be stat'ed.
    static func kind(_ path: String) -> FileKind? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return kind(mode: st.st_mode)
    }

    static func kind(mode: mode_t) -> FileKind {
        switch mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// One directory entry: name and what it is (from `d_type`, or `fstatat` when the file system
    /// does not say or for a symlink, which is followed).
    struct Entry: Sendable {
        var name: String
        var kind: FileKind
    }

    /// Opens a directory: `name` relative to `parent` (a directory descriptor, or AT_FDCWD for a
    /// path). Returns its descriptor (owned by the caller), or nil.
    static func openDirectory(_ parent: Int32, _ name: String) -> Int32? {
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        return fd >= 0 ? fd : nil
    }

    /// Opens the directory `name` (relative to the directory descriptor `parent`, or a path with
    /// AT_FDCWD), lists it (entries except `.` and `..`, sorted by name in byte order) and calls
    /// `body` with its descriptor (valid during the call, for `read`) and the entries.
    /// nil when the directory cannot be opened.
    static func withDirectory<R>(_ parent: Int32, _ name: String, _ body: (Int32, [Entry]) -> R) -> R? {
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let out = entries(fd) else { return nil }
        return body(fd, out)
    }

    /// The entries of the open directory `fd` (which stays open, owned by the caller), read with getdents64 into a stack buffer:
    /// fdopendir/readdir would add an fstat and two fcntl calls per directory (2,700 system calls
    /// for the advisory-db's 908 crate directories). nil when reading fails.
    static func entries(_ fd: Int32) -> [Entry]? {
        var out: [Entry] = []
        let ok = withUnsafeTemporaryAllocation(byteCount: 32768, alignment: 8) { buf -> Bool in
            guard let base = buf.baseAddress else { return false }
            while true {
                let n = cnerqsys_getdents64(fd, base, buf.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                if n == 0 { return true }
                // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[].
                var offset = 0
                let filled = min(Int(n), buf.count)
                while offset + 19 < filled {
                    let reclen = Int(buf.load(fromByteOffset: offset + 16, as: UInt16.self))
                    guard reclen > 19, offset + reclen <= filled else { return false }
                    let type = buf[offset + 18]
                    let nameStart = offset + 19
                    var nameEnd = nameStart
                    while nameEnd < offset + reclen && buf[nameEnd] != 0 { nameEnd += 1 }
                    let name = String(decoding: UnsafeRawBufferPointer(rebasing: buf[nameStart..<nameEnd]), as: UTF8.self)
                    offset += reclen
                    if name == "." || name == ".." || name.isEmpty { continue }
                    let kind: FileKind
                    switch Int32(type) {
                    case Int32(DT_REG): kind = .file
                    case Int32(DT_DIR): kind = .directory
                    case Int32(DT_LNK), Int32(DT_UNKNOWN):
                        var st = stat()
                        kind = fstatat(fd, name, &st, 0) == 0 ? FS.kind(mode: st.st_mode) : .other
                    default: kind = .other
                    }
                    out.append(Entry(name: name, kind: kind))
                }
            }
        }
        guard ok else { return nil }
        if out.count > 1 { out.sort { byteLess($0.name, $1.name) } }
        return out
    }

    /// The entries of the directory at `path`, or nil.
    static func list(path: String) -> [Entry]? {
        withDirectory(AT_FDCWD, path) { _, entries in entries }
    }

    /// Largest file read whole (advisories are a few KiB; OSV dumps can be larger).
    static let maxFileSize = 256 << 20

    /// Reads the regular file `name` (relative to directory `dir`, or a path with AT_FDCWD) into `buffer`,
    /// growing it as needed, and returns the number of bytes read, or an error message.
    static func read(_ dir: Int32, _ name: String, into buffer: inout [UInt8]) -> Result<Int, ReadError> {
        let fd = openat(dir, name, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return .failure(ReadError(message: "cannot open: \(errnoText())")) }
        defer { close(fd) }
        if buffer.count < 4096 { buffer = [UInt8](repeating: 0, count: 65536) }
        var used = 0
        while true {
            if used == buffer.count {
                guard buffer.count < maxFileSize else { return .failure(ReadError(message: "file too large")) }
                buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
            }
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress, used < raw.count else { return -1 }
                return posixRead(fd, base + used, raw.count - used)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(message: "read failed: \(errnoText())"))
            }
            if n == 0 { return .success(used) }
            used += n
            // Only regular files are read here (the listing said so), and a regular file returns
            // less than asked for only at its end (Linux file systems do not split reads of
            // regular files): skip the read that would return 0. An advisory is one call.
            if used < buffer.count { return .success(used) }
        }
    }

    struct ReadError: Error {
        var message: String
    }

    static func errnoText() -> String {
        guard let s = strerror(errno) else { return "errno \(errno)" }
        return String(cString: s)
    }

}

@inline(__always)
private func posixRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buf, count)
}

/// Byte-wise string order (what Rust's `str` Ord does); independent of Unicode normalization.
@inline(__always)
func byteLess(_ a: String, _ b: String) -> Bool {
    let fast: Bool?? = a.utf8.withContiguousStorageIfAvailable { pa in
        b.utf8.withContiguousStorageIfAvailable { pb in
            let n = min(pa.count, pb.count)
            if n > 0, let ba = pa.baseAddress, let bb = pb.baseAddress {
                let c = memcmp(ba, bb, n)
                if c != 0 { return c < 0 }
            }
            return pa.count < pb.count
        }
    }
    if let f = fast, let r = f { return r }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
}
