// Replacing what fetchers bring in: whole files written beside their target and renamed over it,
// directory trees swapped in with one atomic exchange, and old trees removed without ever
// following a symbolic link out of them.

import CNerqSys
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqJSON

extension Files {
    /// Milliseconds of the monotonic clock (for deadlines and durations; not a date).
    public static func monotonicMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) &* 1000 &+ Int64(ts.tv_nsec) / 1_000_000
    }

    /// Seconds since the epoch, from the real-time clock: when something happened (a fetch), not
    /// the `now` a report speaks of.
    public static func wallClockSeconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec)
    }

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

    /// Sets the modification time of `path` to now (a cache entry that was checked and found
    /// current). Returns false when it cannot.
    @discardableResult
    public static func touch(_ path: String) -> Bool {
        guard isValidPath(path) else { return false }
        return utimensat(AT_FDCWD, path, nil, 0) == 0
    }

    /// Puts the directory `new` at `target`: renamed there when `target` does not exist, else
    /// exchanged with it in one step (renameat2 RENAME_EXCHANGE) and the old tree, now at `new`,
    /// removed. Where the file system cannot exchange, the old tree is renamed aside first (then
    /// `target` is briefly absent). Both paths must be on one file system (`new` is made beside
    /// `target`).
    public static func replaceDirectory(_ target: String, with new: String) throws(NerqError) {
        try checkPath(target)
        try checkPath(new)
        if info(target, followLinks: false) == nil {
            try rename(new, target)
            return
        }
        if cnerqsys_exchange(new, target) == 0 {
            removeTree(new)
            syncDirectory(of: target)
            return
        }
        guard errno == EINVAL || errno == ENOSYS else {
            throw NerqError(.ioError, "cannot replace \(target) with \(new): \(errnoText())", path: target)
        }
        let aside = temporaryName(for: target)
        try rename(target, aside)
        do throws(NerqError) {
            try rename(new, target)
        } catch {
            _ = Glibc.rename(aside, target)
            throw error
        }
        removeTree(aside)
    }

    static func syncDirectory(of path: String) {
        let fd = open(directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    /// Removes `path` and, when it is a directory, everything below it. Symbolic links are removed,
    /// never followed; the tree is walked through directory descriptors (`unlinkat`), so a link
    /// planted inside cannot redirect the removal elsewhere. Returns whether `path` is gone.
    @discardableResult
    public static func removeTree(_ path: String) -> Bool {
        guard isValidPath(path), let i = info(path, followLinks: false) else { return false }
        if i.kind != .directory { return unlink(path) == 0 }
        guard let fd = Directory.open(AT_FDCWD, path) else { return false }
        removeContents(fd, depth: 0)
        close(fd)
        return rmdir(path) == 0
    }

    /// Deepest nesting removed (a fetched tree is a few levels deep; the bound keeps a hostile one
    /// from exhausting descriptors or the stack).
    static let maxRemoveDepth = 64

    private static func removeContents(_ dir: Int32, depth: Int) {
        guard depth < maxRemoveDepth, let entries = Directory.entries(dir) else { return }
        for e in entries {
            if e.kind == .directory, let sub = Directory.open(dir, e.name) {
                removeContents(sub, depth: depth + 1)
                close(sub)
                unlinkat(dir, e.name, AT_REMOVEDIR)
            } else {
                unlinkat(dir, e.name, 0)
            }
        }
    }
}
