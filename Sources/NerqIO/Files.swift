#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqJSON
import Synchronization

/// The one file-access layer every collector uses (POSIX calls; no Foundation). Whatever it opens
/// it opens without blocking and checks for a regular file before reading, so a FIFO, a device or
/// a socket named as input gets a clear error instead of a hang; sizes are capped before memory is
/// committed; paths with a NUL byte are refused (C would open only the part before it).
public enum Files {
    public enum Kind: Sendable, Equatable { case file, directory, symlink, other }

    /// What `stat`/`lstat` says of a path.
    public struct Info: Sendable, Equatable {
        public var kind: Kind
        public var size: Int
        public var device: UInt64
        public var inode: UInt64
        /// Modification time in nanoseconds since the epoch.
        public var modified: Int64
    }

    static func info(_ st: stat) -> Info {
        let kind: Kind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        return Info(kind: kind, size: Int(truncatingIfNeeded: st.st_size), device: UInt64(truncatingIfNeeded: st.st_dev),
                    inode: UInt64(truncatingIfNeeded: st.st_ino),
                    modified: Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec))
    }

    /// What `path` is, following symlinks unless `followLinks` is false; nil when it does not exist
    /// (or the path holds a NUL byte).
    public static func info(_ path: String, followLinks: Bool = true) -> Info? {
        guard isValidPath(path) else { return nil }
        var st = stat()
        let rc = followLinks ? stat(path, &st) : lstat(path, &st)
        return rc == 0 ? info(st) : nil
    }

    /// What `path` is (following symlinks), or nil when it does not exist.
    public static func kind(_ path: String) -> Kind? { info(path)?.kind }

    public static func exists(_ path: String) -> Bool { info(path) != nil }

    public static func isDirectory(_ path: String) -> Bool { kind(path) == .directory }

    /// A path C can open as given: not empty, no NUL byte (C would stop there and open another file).
    public static func isValidPath(_ path: String) -> Bool { !path.isEmpty && !path.utf8.contains(0) }

    /// Throws `invalid_value` for a path C cannot open as given.
    public static func checkPath(_ path: String, at jsonPath: String? = nil) throws(NerqError) {
        guard !path.isEmpty else { throw NerqError(.invalidValue, "empty path", path: jsonPath) }
        guard !path.utf8.contains(0) else {
            throw NerqError(.invalidValue, "a path must not contain a NUL byte", path: jsonPath ?? path)
        }
    }

    /// A path given in a JSON document: a non-empty string without a NUL byte (the error names
    /// its JSON path).
    public static func path(_ reader: JSONReader) throws(NerqError) -> String {
        let p = try reader.nonEmptyString()
        try checkPath(p, at: reader.path)
        return p
    }

    // MARK: - Reading

    /// Why a file was not read.
    public enum ReadFailure: Error, Sendable, Equatable {
        case notFound
        case notRegular(Kind)
        case tooLarge(limit: Int)
        case failed(String)
    }

    /// Opens `path` for reading without blocking (a FIFO must not hang us) and checks that it is a
    /// regular file. `noFollow` refuses a symlink in the last component. Returns the descriptor
    /// and what fstat says, or why not.
    static func openRegular(_ dir: Int32, _ path: String, noFollow: Bool) -> Result<(Int32, Info), ReadFailure> {
        guard isValidPath(path) else { return .failure(.failed("the path holds a NUL byte")) }
        var flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY
        if noFollow { flags |= O_NOFOLLOW }
        let fd = openat(dir, path, flags)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return .failure(.notFound) }
            if code == ELOOP && noFollow { return .failure(.notRegular(.symlink)) }
            return .failure(.failed(errnoText(code)))
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let text = errnoText()
            close(fd)
            return .failure(.failed(text))
        }
        let i = info(st)
        guard i.kind == .file else {
            close(fd)
            return .failure(.notRegular(i.kind))
        }
        return .success((fd, i))
    }

    /// Reads a whole regular file of at most `limit` bytes. Reads to the end whatever the size
    /// fstat reported (files under /proc report 0 and still have content), so the cap is checked
    /// on the bytes themselves too.
    public static func readBytes(_ path: String, limit: Int, dir: Int32 = AT_FDCWD, noFollow: Bool = false) -> Result<[UInt8], ReadFailure> {
        let opened: (Int32, Info)
        switch openRegular(dir, path, noFollow: noFollow) {
        case .success(let o): opened = o
        case .failure(let f): return .failure(f)
        }
        let (fd, st) = opened
        defer { close(fd) }
        if st.size > limit { return .failure(.tooLarge(limit: limit)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, st.size) + 1)
        // A file that gives its size is read whole in one call (one byte more shows whether it
        // grew); the buffer is never grown past it, so no page of it is touched twice.
        // (At most 1 GiB per call: Linux returns at most 2 GiB - 4 KiB from one read.)
        var chunk = st.size > 0 ? min(st.size, limit, 1 << 30) + 1 : 4096
        while true {
            let before = bytes.count
            if before >= limit + 1 { return .failure(.tooLarge(limit: limit)) }
            chunk = min(chunk, limit + 1 - before)
            var n = 0
            var failure: Int32 = 0
            bytes.append(contentsOf: repeatElement(0, count: chunk))
            while true {
                n = bytes.withUnsafeMutableBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return -1 }
                    return Glibc.read(fd, base + before, chunk)
                }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failure = errno }
                break
            }
            if n < 0 {
                if failure == EAGAIN || failure == EWOULDBLOCK { return .failure(.notRegular(.other)) }
                return .failure(.failed(errnoText(failure)))
            }
            bytes.removeLast(chunk - n)
            if n == 0 { break }
            if bytes.count > limit { return .failure(.tooLarge(limit: limit)) }
            // A regular file that fstat gave a size returns less than asked for only at its end
            // (Linux file systems do not split reads of regular files): no read that returns 0.
            // Files that report no size (/proc) are read until a read returns nothing.
            if st.size > 0 && n < chunk { break }
            chunk = min(chunk * 2, 1 << 22)
        }
        return .success(bytes)
    }

    /// Reads a whole regular file of at most `limit` bytes, or throws an error naming it.
    public static func read(_ path: String, limit: Int = 512 << 20) throws(NerqError) -> [UInt8] {
        try checkPath(path)
        switch readBytes(path, limit: limit) {
        case .success(let b): return b
        case .failure(let f): throw error(f, path)
        }
    }

    /// The error document for a failed read of `path`.
    public static func error(_ failure: ReadFailure, _ path: String) -> NerqError {
        switch failure {
        case .notFound: return NerqError(.notFound, "no such file: \(path)", path: path)
        case .notRegular(let kind):
            let what = kind == .directory ? "a directory" : kind == .symlink ? "a symbolic link" : "a FIFO, device or socket"
            return NerqError(.ioError, "\(path) is not a regular file (it is \(what))", path: path)
        case .tooLarge(let limit): return NerqError(.invalidValue, "\(path) is larger than \(limit) bytes", path: path)
        case .failed(let text): return NerqError(.ioError, "cannot read \(path): \(text)", path: path)
        }
    }

    /// Calls `body` with successive chunks of the regular file at `path` (each valid only during
    /// the call); at most `limit` bytes in all.
    public static func stream(_ path: String, limit: Int = Int.max, chunkSize: Int = 1 << 20,
                              _ body: (UnsafeBufferPointer<UInt8>) throws(NerqError) -> Void) throws(NerqError) {
        try checkPath(path)
        let fd: Int32
        switch openRegular(AT_FDCWD, path, noFollow: false) {
        case .success(let o): fd = o.0
        case .failure(let f): throw error(f, path)
        }
        defer { close(fd) }
        let size = max(4096, chunkSize)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = Glibc.read(fd, buffer, size)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw error(.notRegular(.other), path) }
                throw NerqError(.ioError, "cannot read \(path): \(errnoText())", path: path)
            }
            if n == 0 { return }
            total += n
            if total > limit { throw error(.tooLarge(limit: limit), path) }
            try body(UnsafeBufferPointer(start: buffer, count: n))
        }
    }

    // MARK: - Paths

    /// The canonical absolute path (symlinks resolved), or nil.
    public static func realPath(_ path: String) -> String? {
        guard isValidPath(path), let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(validatingCString: p)
    }

    /// `path` with every symlink resolved, when that lies inside `root` (itself resolved): what a
    /// collector may read of a tree it was given. nil when it resolves outside, or does not exist.
    public static func confined(_ path: String, to root: String) -> String? {
        guard let realRoot = realPath(root) else { return nil }
        return confined(path, toReal: realRoot)
    }

    /// As `confined(_:to:)` for a root that is already resolved. An entry of the root itself that
    /// is no symlink needs no resolving (realpath costs a readlink per path component).
    public static func confined(_ path: String, toReal realRoot: String) -> String? {
        let prefix = realRoot.hasSuffix("/") ? realRoot : realRoot + "/"
        if path.hasPrefix(prefix), !path.utf8.dropFirst(prefix.utf8.count).contains(0x2F),
           let i = info(path, followLinks: false), i.kind != .symlink {
            return path
        }
        guard let real = realPath(path) else { return nil }
        return isInside(real, realRoot) ? real : nil
    }

    /// Whether the resolved path `real` is `realRoot` or below it.
    public static func isInside(_ real: String, _ realRoot: String) -> Bool {
        if real == realRoot { return true }
        let prefix = realRoot.hasSuffix("/") ? realRoot : realRoot + "/"
        return real.hasPrefix(prefix)
    }

    /// `a/b` with one slash between.
    public static func join(_ a: String, _ b: String) -> String {
        if a.isEmpty { return b }
        return a.hasSuffix("/") ? a + b : a + "/" + b
    }

    /// The directory part of `path` ("." when it has none).
    public static func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return "." }
        let dir = String(path.utf8[path.utf8.startIndex..<slash]) ?? "."
        return dir.isEmpty ? "/" : dir
    }

    /// The last component of `path`, ignoring trailing slashes.
    public static func lastComponent(_ path: String) -> String {
        var p = Substring(path)
        while p.hasSuffix("/") && p.count > 1 { p = p.dropLast() }
        guard let slash = p.utf8.lastIndex(of: 0x2F) else { return String(p) }
        return String(p[p.index(after: slash)...])
    }

    // MARK: - Directories

    /// Names in directory `path` (without `.` and `..`), sorted by their bytes.
    public static func list(_ path: String) throws(NerqError) -> [String] {
        try checkPath(path)
        guard let entries = Directory.list(path: path) else { throw openError(path) }
        return entries.map(\.name)
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(NerqError) {
        try checkPath(path)
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, mode) != 0 && errno != EEXIST {
                throw NerqError(.ioError, "cannot create \(prefix): \(errnoText())", path: prefix)
            }
        }
    }

    // MARK: - Writing whole files safely

    public static func remove(_ path: String) {
        guard isValidPath(path) else { return }
        unlink(path)
    }

    /// Flushes `path` to disk.
    public static func fsyncFile(_ path: String) throws(NerqError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw openError(path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw NerqError(.ioError, "cannot flush \(path): \(errnoText())", path: path) }
    }

    /// Renames `from` over `to` (atomic on one file system) and flushes the directory entry.
    public static func rename(_ from: String, _ to: String) throws(NerqError) {
        guard Glibc.rename(from, to) == 0 else {
            throw NerqError(.ioError, "cannot rename \(from) to \(to): \(errnoText())", path: to)
        }
        let fd = open(directory(of: to), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    // MARK: - Errors

    public static func openError(_ path: String, _ code: Int32 = errno) -> NerqError {
        if code == ENOENT || code == ENOTDIR { return NerqError(.notFound, "no such file: \(path)", path: path) }
        return NerqError(.ioError, "cannot open \(path): \(errnoText(code))", path: path)
    }

    public static func errnoText(_ code: Int32 = errno) -> String {
        guard let s = strerror(code) else { return "error \(code)" }
        return String(cString: s)
    }
}

// MARK: - Building a file in place of another

/// An exclusive advisory lock (flock) on `<path>.lock`, held until `unlock` or deinit: one
/// builder of a file at a time, across threads and processes (each lock opens its own file
/// description, so two threads of one process exclude each other too).
public final class FileLock {
    private var fd: Int32

    /// Waits for the lock on `path + ".lock"` (created if needed).
    public convenience init(_ path: String) throws(NerqError) {
        try self.init(lockFile: path + ".lock", timeoutSeconds: nil)
    }

    /// Waits for the lock on the file `lockFile` (created if needed), at most `timeoutSeconds`
    /// (nil: as long as it takes). Another program's lock file can be named exactly (cargo-audit
    /// locks `~/.cargo/advisory-db..lock`).
    public init(lockFile lockPath: String, timeoutSeconds: Int?) throws(NerqError) {
        try Files.checkPath(lockPath)
        fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw Files.openError(lockPath) }
        // Polled with LOCK_NB when there is a deadline: a blocking flock cannot be given one
        // without signals, and a library must not install signal handlers in its host.
        let deadline = timeoutSeconds.map { Files.monotonicMilliseconds() + Int64($0) * 1000 }
        while flock(fd, deadline == nil ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK, let deadline, Files.monotonicMilliseconds() < deadline {
                usleep(50_000)
                continue
            }
            let why = code == EWOULDBLOCK ? "another process holds it (waited \(timeoutSeconds ?? 0) s)" : Files.errnoText(code)
            let e = NerqError(.ioError, "cannot lock \(lockPath): \(why)", path: lockPath)
            close(fd)
            fd = -1
            throw e
        }
    }

    public func unlock() {
        guard fd >= 0 else { return }
        close(fd)  // releases the flock
        fd = -1
    }

    deinit { unlock() }
}

extension Files {
    /// A temporary name beside `path` that no other call, thread or process uses:
    /// `<path>.tmp-<pid>-<sequence>`.
    public static func temporaryName(for path: String) -> String {
        let n = temporarySequence.wrappingAdd(1, ordering: .relaxed).oldValue
        return "\(path).tmp-\(getpid())-\(n)"
    }

    /// Removes temporaries of `path` (`<path>.tmp-*`, files or directory trees) left by a builder
    /// that died (killed, out of disk). Call only while holding the `FileLock` of `path`: every
    /// live builder holds it, so whatever temporary exists then is stale. Returns how many were
    /// removed.
    @discardableResult
    public static func removeStaleTemporaries(of path: String) -> Int {
        let dir = directory(of: path)
        let prefix = lastComponent(path) + ".tmp-"
        guard let entries = Directory.list(path: dir) else { return 0 }
        var removed = 0
        for e in entries where e.name.hasPrefix(prefix) {
            switch e.kind {
            case .file, .symlink:
                if unlink(join(dir, e.name)) == 0 { removed += 1 }
            case .directory:
                // A tree a fetcher was extracting when it died.
                if removeTree(join(dir, e.name)) { removed += 1 }
            case .other:
                continue
            }
        }
        return removed
    }
}

private let temporarySequence = Atomic<Int>(0)
