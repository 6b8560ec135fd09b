// Extracting an archive into a directory, strictly: every entry name is checked before anything
// is written (no absolute path, no `..`, no backslash, no NUL), nothing but regular files and
// directories is created (a symbolic or hard link in an archive is an error, not something to
// follow later), files are created exclusively and never through a link, and sizes are capped
// on the bytes actually written. An archive that breaks a rule fails as a whole: the caller
// extracts into a fresh temporary directory and throws it away.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CNerqSys
import NerqIO
import NerqJSON

/// Bounds on what one archive may put on disk.
public struct ArchiveLimits: Sendable, Equatable {
    /// Entries (files and directories).
    public var maxEntries: Int
    /// Bytes of one file.
    public var maxEntryBytes: Int64
    /// Bytes of all files together.
    public var maxTotalBytes: Int64

    public init(maxEntries: Int = 500_000, maxEntryBytes: Int64 = 256 << 20, maxTotalBytes: Int64 = 4 << 30) {
        self.maxEntries = maxEntries
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
    }
}

/// What an extraction wrote.
public struct ExtractSummary: Sendable, Equatable {
    public var files = 0
    public var directories = 0
    public var bytes: Int64 = 0
}

public enum Archive {
    /// Extracts the `.tar.gz` (or plain `.tar`) file at `path` into the existing, empty directory
    /// `destination`.
    public static func extractTar(_ path: String, into destination: String, limits: ArchiveLimits = ArchiveLimits()) throws(NerqError) -> ExtractSummary {
        let writer = try TreeWriter(root: destination, archive: path, limits: limits)
        try readTar(path, into: TarExtractor(writer: writer))
        try writer.finish()
        return writer.summary
    }

    /// Streams the tarball at `path` (gzip-compressed or not, as its first bytes say) through
    /// `consumer`, entry by entry; fails unless the gzip stream and the archive both end cleanly
    /// (a truncated download is an error, never a shorter archive).
    public static func readTar(_ path: String, into consumer: TarConsumer) throws(NerqError) {
        let tar = TarReader(path: path, consumer: consumer)
        var gzip: Inflater?
        var decided = false
        try Files.stream(path) { (chunk: UnsafeBufferPointer<UInt8>) throws(NerqError) in
            if !decided {
                decided = true
                if chunk.count >= 2, chunk[0] == 0x1F, chunk[1] == 0x8B { gzip = try Inflater(path: path) }
            }
            if let gz = gzip {
                try gz.feed(chunk) { (out: UnsafeBufferPointer<UInt8>) throws(NerqError) in try tar.feed(out) }
            } else {
                try tar.feed(chunk)
            }
        }
        guard decided else { throw NerqError(.parseError, "\(path): empty file, not a tarball", path: path) }
        try gzip?.finish()
        try tar.finish()
    }

    /// Extracts the zip file at `path` into the existing, empty directory `destination`.
    public static func extractZip(_ path: String, into destination: String, limits: ArchiveLimits = ArchiveLimits()) throws(NerqError) -> ExtractSummary {
        let zip = try ZipFile(path: path)
        let entries = try zip.entries()
        guard entries.count <= limits.maxEntries else {
            throw NerqError(.invalidValue, "\(path): \(entries.count) entries, more than the \(limits.maxEntries) allowed", path: path)
        }
        let writer = try TreeWriter(root: destination, archive: path, limits: limits)
        for entry in entries {
            if entry.isSymlink {
                throw NerqError(.invalidValue, "\(path): entry \"\(entry.name)\" is a symbolic link: refused (an archive may hold only files and directories)", path: path)
            }
            if entry.isDirectory {
                try writer.directory(entry.name)
                continue
            }
            try writer.beginFile(entry.name, declaredSize: entry.size)
            try zip.read(entry, maxBytes: limits.maxEntryBytes) { (bytes: UnsafeBufferPointer<UInt8>) throws(NerqError) in
                try writer.data(bytes)
            }
            try writer.endFile()
        }
        try writer.finish()
        return writer.summary
    }

    /// The relative path an archive entry names, as components, or why it is refused. `.`
    /// components and a trailing `/` are dropped; an empty name, an absolute path, a `..`
    /// component, a backslash or a NUL byte are refused.
    public static func components(of name: String) -> Result<[String], NameRefused> {
        if name.utf8.contains(0) { return .failure(NameRefused("holds a NUL byte")) }
        if name.utf8.contains(0x5C) { return .failure(NameRefused("holds a backslash (not a portable path)")) }
        if name.hasPrefix("/") { return .failure(NameRefused("is an absolute path")) }
        var parts: [String] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { return .failure(NameRefused("leaves the destination (a \"..\" component)")) }
            parts.append(String(part))
        }
        if parts.isEmpty { return .failure(NameRefused("names no file")) }
        if parts.count > maxDepth { return .failure(NameRefused("is nested more than \(maxDepth) levels deep")) }
        return .success(parts)
    }

    /// Why an entry name is refused.
    public struct NameRefused: Error, Equatable {
        public var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    static let maxDepth = 32
}

/// The tar consumer that writes files and directories and refuses everything else.
final class TarExtractor: TarConsumer {
    let writer: TreeWriter
    var inFile = false

    init(writer: TreeWriter) { self.writer = writer }

    func tarEntryBegin(name: String, size: Int64, kind: TarEntryKind) throws(NerqError) {
        switch kind {
        case .file:
            try writer.beginFile(name, declaredSize: size)
            inFile = true
        case .directory:
            try writer.directory(name)
        case .symlink, .hardlink:
            throw writer.refused(name, "is a \(kind == .symlink ? "symbolic" : "hard") link: refused (an archive may hold only files and directories)")
        case .other:
            throw writer.refused(name, "is a device, FIFO or other special file: refused")
        }
    }

    func tarEntryData(_ bytes: UnsafeBufferPointer<UInt8>) throws(NerqError) { try writer.data(bytes) }

    func tarEntryEnd() throws(NerqError) {
        if inFile { try writer.endFile() }
        inFile = false
    }
}

/// Writes files and directories below one root directory, through directory descriptors, never
/// following a link, within `ArchiveLimits`.
final class TreeWriter {
    let root: Int32
    let archive: String
    let limits: ArchiveLimits
    private(set) var summary = ExtractSummary()
    private var file: Int32 = -1
    private var fileName = ""
    private var fileBytes: Int64 = 0
    private var entries = 0

    init(root: String, archive: String, limits: ArchiveLimits) throws(NerqError) {
        guard let fd = Directory.open(AT_FDCWD, root) else { throw Files.openError(root) }
        self.root = fd
        self.archive = archive
        self.limits = limits
    }

    deinit {
        if file >= 0 { close(file) }
        close(root)
    }

    func refused(_ name: String, _ why: String) -> NerqError {
        NerqError(.invalidValue, "\(archive): entry \"\(name)\" \(why)", path: archive)
    }

    private func counted(_ name: String) throws(NerqError) {
        entries += 1
        guard entries <= limits.maxEntries else {
            throw NerqError(.invalidValue, "\(archive): more than \(limits.maxEntries) entries", path: archive)
        }
    }

    private func parts(_ name: String) throws(NerqError) -> [String] {
        switch Archive.components(of: name) {
        case .success(let p): return p
        case .failure(let why): throw refused(name, why.reason)
        }
    }

    /// Opens (creating as needed) the directories `parts`, returning a descriptor the caller closes.
    private func openDirectories(_ parts: ArraySlice<String>, name: String) throws(NerqError) -> Int32 {
        var fd = dup(root)
        guard fd >= 0 else { throw NerqError(.ioError, "\(archive): \(Files.errnoText())", path: archive) }
        for part in parts {
            if mkdirat(fd, part, 0o755) != 0 && errno != EEXIST {
                let e = refused(name, "cannot be created: \(Files.errnoText())")
                close(fd)
                throw e
            }
            guard let next = Directory.open(fd, part) else {
                let e = refused(name, "cannot be created: \(part) is not a directory")
                close(fd)
                throw e
            }
            close(fd)
            fd = next
        }
        return fd
    }

    func directory(_ name: String) throws(NerqError) {
        try counted(name)
        let p = try parts(name)
        close(try openDirectories(p[...], name: name))
        summary.directories += 1
    }

    func beginFile(_ name: String, declaredSize: Int64) throws(NerqError) {
        try counted(name)
        guard declaredSize <= limits.maxEntryBytes else {
            throw refused(name, "is \(declaredSize) bytes, more than the \(limits.maxEntryBytes) allowed")
        }
        let p = try parts(name)
        let dir = try openDirectories(p.dropLast(), name: name)
        defer { close(dir) }
        guard let leaf = p.last else { throw refused(name, "names no file") }
        let fd = openat(dir, leaf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            let why = errno == EEXIST ? "appears twice in the archive (or names a directory)" : "cannot be created: \(Files.errnoText())"
            throw refused(name, why)
        }
        file = fd
        fileName = name
        fileBytes = 0
    }

    func data(_ bytes: UnsafeBufferPointer<UInt8>) throws(NerqError) {
        guard file >= 0, let base = bytes.baseAddress, bytes.count > 0 else { return }
        fileBytes += Int64(bytes.count)
        summary.bytes += Int64(bytes.count)
        guard fileBytes <= limits.maxEntryBytes else {
            throw refused(fileName, "is larger than the \(limits.maxEntryBytes) bytes allowed")
        }
        guard summary.bytes <= limits.maxTotalBytes else {
            throw NerqError(.invalidValue, "\(archive): more than \(limits.maxTotalBytes) bytes in all", path: archive)
        }
        var offset = 0
        while offset < bytes.count {
            let n = write(file, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw NerqError(.ioError, "\(archive): cannot write \(fileName): \(Files.errnoText())", path: archive)
            }
            offset += n
        }
    }

    func endFile() throws(NerqError) {
        guard file >= 0 else { return }
        let rc = close(file)
        file = -1
        guard rc == 0 else { throw NerqError(.ioError, "\(archive): cannot write \(fileName): \(Files.errnoText())", path: archive) }
        summary.files += 1
    }

    /// Flushes what was written (one syncfs for the whole tree).
    func finish() throws(NerqError) {
        if file >= 0 { try endFile() }
        _ = cnerqsys_syncfs(root)
    }
}
