// The advisory index cache: a loaded database kept in nerq's cache directory as bytes
// (AdvisoryIndex.swift), so that a new process reads one file instead of parsing a thousand.
//
// It is verified, never trusted: an index is used only when
// - it was written by this very build of nerq (the library file's path, size, modification time
//   and inode are in its header, with the index format's version);
// - it is whole: its checksum (over everything before it) matches and its payload decodes to the
//   end; a truncated or damaged file is a miss, and is rebuilt;
// - it describes this database as it is now: its real path, and the status of every directory
//   the loader lists and every file it reads — device, inode, type, size, modification and
//   status-change times — each stat'ed again (without following links) and found equal. A file
//   added, removed or renamed changes its directory's times (the directory listing is covered by
//   its directory's status, not by storing the names); a file rewritten or touched changes its
//   own. So any change to any file of the database makes the next load read the files again.
//
// Why stat and not the bytes: hashing every file costs most of what the index saves (reading
// them is the cost). Why the stat is enough: the kernel sets the status-change time (ctime) on
// every write, rename, link and chmod, and no call sets it to a chosen value (`touch -d` and
// utimensat set only mtime and atime), so content cannot change behind an unchanged ctime unless
// the system clock is set back into the tick of the stamp; a file replaced by another (git
// checkout, rsync, a new clone) has another inode. What it does not cover: a file system whose
// times are not kept (some FUSE and network mounts cache attributes, and NFS can show a stale
// ctime for the attribute cache's lifetime) — there an edit made on another machine within that
// window is seen on a later run, not the next one; and a clock moved back. Both leave the index
// of a database that was consistent when written, never a mix.
// An index is written only after a full read whose files had all been left alone for a while
// (`settleSeconds`): a file changed twice within one tick of the file system's clock would keep
// the same times (git's "racily clean" entries), so an index is never made from files that
// could still change unseen. Writes go to a temporary beside the index, renamed into place under
// a lock that no one waits for; any failure to write is silent: the cache only saves time.

import CNerqSys
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqIO
import NerqJSON
import NerqThreads

public struct AdvisoryIndexCache: Sendable {
    /// Where index files are kept (`<nerq cache>/advisory-index`).
    public let directory: String
    /// The clock (nanoseconds since the epoch) that says which files have settled.
    let clock: @Sendable () -> Int64

    /// Files whose status changed less than this long before the listing keep an index from being
    /// written: more than the coarsest timestamp granularity of common file systems (FAT's 2 s).
    static let settleSeconds: Int64 = 3

    /// The largest index file read.
    static let maxFileSize = 512 << 20

    public init(directory: String) {
        self.init(directory: directory, clock: AdvisoryIndexCache.realtime)
    }

    init(directory: String, clock: @escaping @Sendable () -> Int64) {
        self.directory = directory
        self.clock = clock
    }

    static func realtime() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_nsec)
    }

    // MARK: - The database's files, as the loader sees them

    /// What an index is keyed by: the database's real path, and the status of each directory the
    /// loader listed and each file it reads (`paths`, relative to the real path; `""` is the
    /// database itself), encoded as the index stores them.
    struct Stamp {
        var realPath: String
        var paths: [UInt8]
        /// Every one of them last changed before the settle time: an index may be written.
        var settled: Bool
    }

    /// One path's status, as compared.
    struct Status: Equatable {
        var device: UInt64, inode: UInt64, mode: UInt64, size: Int64, modified: Int64, changed: Int64

        /// `name` relative to the directory `dir` (AT_FDCWD: a path), without following a link.
        init?(_ dir: Int32, _ name: String) {
            var st = stat()
            guard Files.isValidPath(name), fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
            self.init(st)
        }

        init?(_ dir: Int32, cString name: UnsafePointer<CChar>) {
            var st = stat()
            guard fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
            self.init(st)
        }

        /// The open file `fd` itself.
        init?(fd: Int32) {
            var st = stat()
            guard fstat(fd, &st) == 0 else { return nil }
            self.init(st)
        }

        init(_ st: stat) {
            device = UInt64(truncatingIfNeeded: st.st_dev)
            inode = UInt64(truncatingIfNeeded: st.st_ino)
            mode = UInt64(truncatingIfNeeded: st.st_mode)
            size = Int64(st.st_size)
            modified = Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec)
            changed = Int64(st.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_ctim.tv_nsec)
        }

        init(_ r: inout BinaryReader) throws(BinaryCorrupt) {
            device = try r.uint()
            inode = try r.uint()
            mode = try r.uint()
            size = try r.int64()
            modified = try r.int64()
            changed = try r.int64()
        }

        func write(_ w: inout BinaryWriter) {
            w.uint(device)
            w.uint(inode)
            w.uint(mode)
            w.int64(size)
            w.int64(modified)
            w.int64(changed)
        }
    }

    /// The stamp of a database the loader has listed (nil: its real path is unknown, or a path
    /// vanished meanwhile). Taken before its files are read.
    func stamp(path: String, items: [AdvisoryDatabase.WorkItem]) -> Stamp? {
        guard let real = Files.realPath(path) else { return nil }
        let started = clock()
        // A database that is one file stands for itself.
        let parts = Files.kind(real) == .file ? [Status(AT_FDCWD, real).map { [("", $0)] }]
            : parallelMap(items, threads: fileReaderThreads, workerState: {}) { _, item in AdvisoryIndexCache.paths(of: item, root: real) }
        var w = BinaryWriter()
        var count = 0
        var newest = Int64.min
        for part in parts {
            guard let part else { return nil }
            for (rel, status) in part {
                w.string(rel)
                status.write(&w)
                newest = max(newest, status.changed)
                count += 1
            }
        }
        var out = BinaryWriter()
        out.int(count)
        out.raw(w.bytes)
        return Stamp(realPath: real, paths: out.bytes, settled: newest < started &- AdvisoryIndexCache.settleSeconds &* 1_000_000_000)
    }

    /// The paths one work item stands for, with their status: a listed directory; an advisory
    /// directory and the files in it; a file; a link. nil when one cannot be stat'ed.
    static func paths(of item: AdvisoryDatabase.WorkItem, root: String) -> [(String, Status)]? {
        func one(_ rel: String) -> [(String, Status)]? {
            guard let s = Status(AT_FDCWD, rel.isEmpty ? root : Files.join(root, rel)) else { return nil }
            return [(rel, s)]
        }
        switch item {
        case .listed(let rel), .symlink(let rel), .file(_, _, let rel, _):
            return one(rel)
        case .advisoryDir(let parent, let name, let rel, _):
            guard let dir = Status(parent, name) else { return nil }
            let files: [(String, Status)]?? = Directory.with(parent, name) { fd, entries in
                var out: [(String, Status)] = []
                for e in entries where e.kind == .file || e.kind == .symlink {
                    guard let s = Status(fd, e.name) else { return nil }
                    out.append((rel + "/" + e.name, s))
                }
                return out
            }
            guard let files, let files else { return nil }
            return [(rel, dir)] + files
        }
    }

    /// A stored stamp's paths (each NUL-terminated, for fstatat) with the status each had; nil
    /// when one holds a NUL (no path the loader read).
    static func stampedPaths(_ r: inout BinaryReader) throws(BinaryCorrupt) -> [(path: [CChar], status: Status)]? {
        let n = try r.count()
        var entries: [(path: [CChar], status: Status)] = []
        entries.reserveCapacity(n)
        var valid = true
        for _ in 0..<n {
            let rel = try r.bytes(try r.int())
            let status = try Status(&r)
            if rel.contains(0) { valid = false }
            var path = [CChar](repeating: 0, count: rel.count + 1)
            for (k, b) in rel.enumerated() { path[k] = CChar(bitPattern: b) }
            entries.append((path, status))
        }
        return valid ? entries : nil
    }

    /// Whether every stamped path still has the status it had, stat'ed from the database's real
    /// path without following links, on a few threads (a database is ~2,000 paths; its index is
    /// decoded meanwhile, and the project parsed: on 2 cores, 2 to 8 threads took the same time
    /// with the files cached, 16 longer, and inodes not cached want a few stats in flight).
    static func unchanged(_ list: [(path: [CChar], status: Status)], root: String) -> Bool {
        let rootFD = open(root, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard rootFD >= 0 else { return false }
        defer { close(rootFD) }
        let chunk = 256
        let starts = Array(stride(from: 0, to: list.count, by: chunk))
        let same = parallelMap(starts, threads: max(cpuCount, 4), workerState: {}) { _, start in
            for k in start..<min(start + chunk, list.count) {
                let e = list[k]
                let now: Status? = e.path.count <= 1 ? Status(fd: rootFD)
                    : e.path.withUnsafeBufferPointer { buf in buf.baseAddress.flatMap { Status(rootFD, cString: $0) } }
                if now != e.status { return false }
            }
            return true
        }
        return same.allSatisfy { $0 }
    }

    // MARK: - The index file

    static let magic = Array("nerq advisory index\n".utf8)

    /// `<directory>/<database folder name>-<hash of its real path>-<hash of the build>.idx`: one
    /// index per database and build (a library and the self-contained one built from the same
    /// tree each keep theirs).
    func file(forRealPath real: String, build: String) -> String {
        prefix(forRealPath: real) + AdvisoryIndexCache.hex(AdvisoryIndexCache.checksum(build)) + ".idx"
    }

    func prefix(forRealPath real: String) -> String {
        var name = Files.lastComponent(real).filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        if name.isEmpty || name.hasPrefix(".") { name = "db" + name }
        return Files.join(directory, "\(name.prefix(64))-\(AdvisoryIndexCache.hex(AdvisoryIndexCache.checksum(real)))-")
    }

    static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Indexes of the same database written by other builds more than a day ago (a build that
    /// is gone, most likely): removed when a new index is written.
    static let otherBuildsKeptSeconds: Int64 = 86_400

    func removeOldIndexes(_ stamp: Stamp, keeping target: String) {
        let prefix = Files.lastComponent(prefix(forRealPath: stamp.realPath))
        guard let entries = Directory.list(path: directory) else { return }
        let cutoff = clock() &- AdvisoryIndexCache.otherBuildsKeptSeconds &* 1_000_000_000
        for e in entries where e.kind == .file && e.name.hasPrefix(prefix) && e.name.hasSuffix(".idx") {
            let path = Files.join(directory, e.name)
            guard path != target, let info = Files.info(path, followLinks: false), info.modified < cutoff else { continue }
            unlink(path)
            unlink(path + ".lock")
        }
    }

    /// The build that writes and reads indexes: this library (or program) file, by path, size,
    /// modification time and inode, with nerq's version and the format's. nil when it cannot be
    /// told (then no index is read or written).
    static let build: String? = {
        guard let name = cnerqsys_image_path(), let path = String(validatingCString: name), let i = Files.info(path) else { return nil }
        let version = String(validatingCString: cnerqsys_version()) ?? "?"
        return "nerq \(version), index format \(AdvisoryIndex.formatVersion), \(path) \(i.size) \(i.modified) \(i.device):\(i.inode)"
    }()

    /// Whether an index of the database at `path` was written by this build (not whether it is
    /// current: `load` checks that). An engine that finds one leaves the database to its first use.
    public func hasIndex(path: String) -> Bool {
        guard let build = AdvisoryIndexCache.build, let real = Files.realPath(path) else { return false }
        return Files.kind(file(forRealPath: real, build: build)) == .file
    }

    /// The database at `path` from its index, when one was written and is verifiably this
    /// database's as it is now; nil otherwise (then the files are read).
    public func load(path: String) -> AdvisoryDatabase? {
        guard let build = AdvisoryIndexCache.build, let real = Files.realPath(path),
              case .success(let bytes) = Files.readBytes(file(forRealPath: real, build: build), limit: AdvisoryIndexCache.maxFileSize,
                                                         noFollow: true)
        else { return nil }
        return bytes.withUnsafeBytes { raw -> AdvisoryDatabase? in
            let trailer = 8
            guard raw.count >= AdvisoryIndexCache.magic.count + trailer else { return nil }
            let body = UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - trailer)])
            var stored: UInt64 = 0
            for k in 0..<trailer { stored |= UInt64(raw[raw.count - trailer + k]) << (8 * UInt64(k)) }
            guard AdvisoryIndexCache.checksum(body) == stored else { return nil }
            var r = BinaryReader(body)
            do throws(BinaryCorrupt) {
                guard try r.bytes(AdvisoryIndexCache.magic.count).elementsEqual(AdvisoryIndexCache.magic),
                      try r.string() == build, try r.string() == real,
                      let list = try AdvisoryIndexCache.stampedPaths(&r)
                else { return nil }
                // The files are stat'ed on other threads while this one decodes; the database is
                // returned only when both say yes.
                let (decoded, unchanged) = concurrently({ AdvisoryIndexCache.unchanged(list, root: real) }) {
                    () -> AdvisoryDatabase? in
                    guard let db = try? AdvisoryIndex.decode(&r, path: path), r.remaining == 0 else { return nil }
                    return db
                }
                return unchanged ? decoded : nil
            } catch {
                return nil
            }
        }
    }

    /// Writes the index of `db` for this stamp, when its files have settled; silent on failure.
    func store(_ db: AdvisoryDatabase, _ stamp: Stamp) {
        guard stamp.settled, let build = AdvisoryIndexCache.build else { return }
        var w = BinaryWriter()
        w.raw(AdvisoryIndexCache.magic)
        w.string(build)
        w.string(stamp.realPath)
        w.raw(stamp.paths)
        AdvisoryIndex.encode(db, into: &w)
        let sum = w.bytes.withUnsafeBytes { AdvisoryIndexCache.checksum($0) }
        for k in 0..<8 { w.byte(UInt8(truncatingIfNeeded: sum >> (8 * UInt64(k)))) }
        let target = file(forRealPath: stamp.realPath, build: build)
        do throws(NerqError) {
            try Files.makeDirectories(directory, mode: 0o700)
            // Whoever holds the lock is writing the same index: leave it to them.
            let lock = try FileLock(lockFile: target + ".lock", timeoutSeconds: 0)
            defer { lock.unlock() }
            Files.removeStaleTemporaries(of: target)
            try Files.writeAtomically(target, w.bytes, mode: 0o600)
        } catch {
            return
        }
        removeOldIndexes(stamp, keeping: target)
    }

    // MARK: - Checksum

    static func checksum(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBytes { checksum($0) } }

    /// FNV-1a over 64-bit little-endian words (then the remaining bytes, then the length): each
    /// step is a bijection of the state, so any one damaged word always changes the result.
    static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        let prime: UInt64 = 0x100_0000_01b3
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let words = raw.count / 8
        var k = 0
        while k < words {
            h = (h ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self))) &* prime
            k += 1
        }
        var j = words * 8
        while j < raw.count {
            h = (h ^ UInt64(raw[j])) &* prime
            j += 1
        }
        return (h ^ UInt64(raw.count)) &* prime
    }
}
