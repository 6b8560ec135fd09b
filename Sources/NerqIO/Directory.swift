// Directory listings with getdents64 and reads relative to an open directory.
//
// Directories are opened once, listed with getdents64 and their files opened relative to the
// directory descriptor (`openat`), which saves the kernel a path walk per file; fdopendir/readdir
// would add an fstat and two fcntl calls per directory (2,700 system calls for the advisory-db's
// 908 crate directories). A database load is mostly system calls, so each one saved counts.
// Symbolic links are reported as such, never followed here: a caller that wants one resolves it
// and checks that it stays inside the tree it was given.

import CNerqSys
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

public enum Directory {
    /// One directory entry: its name and what it is (from `d_type`, or `fstatat` without following
    /// a link when the file system does not say).
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var kind: Files.Kind
    }

    /// Opens the directory `name` relative to `parent` (a directory descriptor, or AT_FDCWD for a
    /// path) without following a symlink in its last component. The caller owns the descriptor.
    public static func open(_ parent: Int32, _ name: String) -> Int32? {
        guard Files.isValidPath(name) else { return nil }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        return fd >= 0 ? fd : nil
    }

    /// Opens and lists the directory `name` (relative to `parent`) and calls `body` with its
    /// descriptor (valid during the call) and entries. nil when it cannot be opened or read.
    public static func with<R>(_ parent: Int32, _ name: String, _ body: (Int32, [Entry]) -> R) -> R? {
        guard let fd = open(parent, name) else { return nil }
        defer { close(fd) }
        guard let out = entries(fd) else { return nil }
        return body(fd, out)
    }

    /// The entries of the directory at `path` (a symlink to a directory is followed here: the
    /// caller named it), or nil.
    public static func list(path: String) -> [Entry]? {
        guard Files.isValidPath(path) else { return nil }
        let fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return entries(fd)
    }

    /// The entries of the open directory `fd` (except `.` and `..`), sorted by name in byte order,
    /// read with getdents64 into a stack buffer. nil when reading fails.
    public static func entries(_ fd: Int32) -> [Entry]? {
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
                    let kind: Files.Kind
                    switch Int32(type) {
                    case Int32(DT_REG): kind = .file
                    case Int32(DT_DIR): kind = .directory
                    case Int32(DT_LNK): kind = .symlink
                    case Int32(DT_UNKNOWN):
                        var st = stat()
                        kind = fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? Files.info(st).kind : .other
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

    /// Reads the regular file `name` (relative to directory `dir`, or a path with AT_FDCWD) into
    /// `buffer`, growing it as needed up to `limit` bytes, and returns the number of bytes read.
    /// Opened without following a symlink and without blocking; nothing but a regular file is read.
    /// A worker reuses its buffer from file to file; one grown past `keep` bytes is released after
    /// use, so a few large files do not keep their memory for the rest of the load.
    public static func read(_ dir: Int32, _ name: String, into buffer: inout [UInt8], limit: Int,
                            keep: Int = 1 << 20) -> Result<Int, Files.ReadFailure> {
        let fd: Int32
        switch Files.openRegular(dir, name, noFollow: true) {
        case .success(let o):
            fd = o.0
            if o.1.size > limit { close(fd); return .failure(.tooLarge(limit: limit)) }
        case .failure(let f): return .failure(f)
        }
        defer { close(fd) }
        if buffer.count > keep { buffer = [] }
        if buffer.count < 4096 { buffer = [UInt8](repeating: 0, count: 65536) }
        var used = 0
        while true {
            if used == buffer.count {
                guard buffer.count <= limit else { return .failure(.tooLarge(limit: limit)) }
                buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, limit + 1 - buffer.count)))
            }
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress, used < raw.count else { return -1 }
                return Glibc.read(fd, base + used, raw.count - used)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.failed(Files.errnoText()))
            }
            if n == 0 { return .success(used) }
            used += n
            if used > limit { return .failure(.tooLarge(limit: limit)) }
            // A regular file returns less than asked for only at its end (Linux file systems do
            // not split reads of regular files): skip the read that would return 0.
            if used < buffer.count { return .success(used) }
        }
    }
}

/// Byte-wise string order (what Rust's `str` Ord does); independent of Unicode normalization.
@inline(__always)
public func byteLess(_ a: String, _ b: String) -> Bool {
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
