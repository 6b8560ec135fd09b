#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A bounded walk of a tree nerq was given (a crate's source directory) that never leaves it.
public enum Walk {
    /// One regular file found below the root.
    public struct File: Sendable, Equatable {
        /// Root-relative, "/"-separated.
        public var relative: String
        /// The path to open (the resolved target for a symlink that stays inside the root).
        public var absolute: String
        public var size: Int
        public var modified: Int64
    }

    public struct Result: Sendable {
        public var files: [File] = []
        /// Symlinks whose target lies outside the root (not followed).
        public var symlinkOutside = 0
        /// Symlinks to directories (never followed: a link cannot make the walk revisit or loop).
        public var symlinkDirectories = 0
        /// Entries that could not be listed or stat'ed, dangling symlinks, names that are not UTF-8.
        public var unreadable = 0
        /// Set when the walk stopped at `maxDirectories` or `maxFiles`.
        public var truncated = false
    }

    /// Walks `realRoot` (an already resolved path). Hidden entries (".git", ".github", ...) and
    /// the top-level `target/` are skipped; directories are visited once each, by device and inode
    /// (so bind mounts and hard-linked trees cannot loop); symlinks to files are followed only when
    /// their target resolves inside the root. Output is sorted by relative path (byte order).
    public static func tree(realRoot: String, maxDirectories: Int = 200_000, maxFiles: Int = 1_000_000,
                            wantFile: (String) -> Bool) -> Result {
        var result = Result()
        var visited = Set<[UInt64]>()
        if let i = Files.info(realRoot) { visited.insert([i.device, i.inode]) }
        var stack: [(rel: String, abs: String)] = [("", realRoot)]
        var directories = 0
        while let (rel, abs) = stack.popLast() {
            directories += 1
            if directories > maxDirectories || result.files.count >= maxFiles {
                result.truncated = true
                break
            }
            guard let entries = Directory.list(path: abs) else {
                result.unreadable += 1
                continue
            }
            var subdirectories: [(String, String)] = []
            for entry in entries {
                let name = entry.name
                if name.hasPrefix(".") { continue }
                if rel.isEmpty && name == "target" { continue }
                let childRel = rel.isEmpty ? name : rel + "/" + name
                let childAbs = abs + "/" + name
                switch entry.kind {
                case .directory:
                    guard let i = Files.info(childAbs, followLinks: false) else {
                        result.unreadable += 1
                        continue
                    }
                    if visited.insert([i.device, i.inode]).inserted { subdirectories.append((childRel, childAbs)) }
                case .file:
                    guard wantFile(childRel) else { continue }
                    guard let i = Files.info(childAbs, followLinks: false) else {
                        result.unreadable += 1
                        continue
                    }
                    result.files.append(File(relative: childRel, absolute: childAbs, size: i.size, modified: i.modified))
                case .symlink:
                    guard let target = Files.realPath(childAbs), let i = Files.info(target) else {
                        result.unreadable += 1  // dangling
                        continue
                    }
                    guard Files.isInside(target, realRoot) else {
                        result.symlinkOutside += 1
                        continue
                    }
                    if i.kind == .directory {
                        result.symlinkDirectories += 1
                    } else if i.kind == .file, wantFile(childRel) {
                        result.files.append(File(relative: childRel, absolute: target, size: i.size, modified: i.modified))
                    }
                case .other:
                    continue
                }
            }
            // Pushed in reverse so that popLast visits them in name order.
            for d in subdirectories.reversed() { stack.append(d) }
        }
        result.files.sort { byteLess($0.relative, $1.relative) }
        return result
    }

    /// FNV-1a over every entry below `realRoot` (its name, and for a file its size and
    /// modification time), in listing order, skipping what `tree` skips: what a new walk or scan
    /// would find differently. Reads no file; each directory is listed relative to its parent's
    /// descriptor and each entry stat'ed relative to its directory (no path is walked twice).
    /// Bounded like `tree` (directories by device and inode, symlinks not followed).
    public static func fingerprint(realRoot: String, maxDirectories: Int = 200_000) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) {
            var x = v
            for _ in 0..<8 {
                h = (h ^ (x & 0xFF)) &* 0x100_0000_01b3
                x >>= 8
            }
        }
        func mix(_ s: String) {
            for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0x2F) &* 0x100_0000_01b3
        }
        guard let rootFD = Directory.open(AT_FDCWD, realRoot) else { return 0 }
        var stack: [(fd: Int32, depth: Int)] = [(rootFD, 0)]
        var visited = Set<[UInt64]>()
        var directories = 0
        while let (fd, depth) = stack.popLast() {
            defer { close(fd) }
            directories += 1
            guard directories <= maxDirectories, let entries = Directory.entries(fd) else { continue }
            var st = stat()
            if fstat(fd, &st) == 0 && !visited.insert([UInt64(truncatingIfNeeded: st.st_dev), UInt64(truncatingIfNeeded: st.st_ino)]).inserted {
                continue
            }
            mix(UInt64(entries.count))
            for e in entries where !e.name.hasPrefix(".") && !(depth == 0 && e.name == "target") {
                mix(e.name)
                var es = stat()
                guard fstatat(fd, e.name, &es, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                let info = Files.info(es)
                mix(UInt64(truncatingIfNeeded: info.size))
                mix(UInt64(bitPattern: info.modified))
                if info.kind == .directory, let child = Directory.open(fd, e.name) {
                    stack.append((child, depth + 1))
                }
            }
        }
        return h
    }

    /// The regular file `relative` inside the directory `root` (symlinks followed only while they
    /// stay inside it), read whole up to `limit` bytes; nil when it is absent, outside, not a
    /// regular file, too large or unreadable.
    public static func readInside(_ root: String, _ relative: String, limit: Int) -> [UInt8]? {
        guard let path = Files.confined(Files.join(root, relative), to: root),
              case .success(let bytes) = Files.readBytes(path, limit: limit) else { return nil }
        return bytes
    }
}
