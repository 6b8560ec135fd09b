import Glibc

/// Thin Glibc wrappers. Everything returns optionals / enums; nothing traps.
enum FS {
    static let typeMask: UInt32 = 0o170000
    static let typeDir: UInt32 = 0o040000
    static let typeReg: UInt32 = 0o100000
    static let typeLink: UInt32 = 0o120000

    enum Kind: Sendable { case directory, regular, symlink, other }

    struct Info: Sendable {
        var kind: Kind
        var size: Int
    }

    static func kind(ofMode mode: UInt32) -> Kind {
        switch mode & typeMask {
        case typeDir: return .directory
        case typeReg: return .regular
        case typeLink: return .symlink
        default: return .other
        }
    }

    /// lstat: does not follow symlinks.
    static func lstatInfo(_ path: String) -> Info? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return Info(kind: kind(ofMode: UInt32(truncatingIfNeeded: st.st_mode)), size: Int(truncatingIfNeeded: st.st_size))
    }

    /// stat: follows symlinks.
    static func statInfo(_ path: String) -> Info? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Info(kind: kind(ofMode: UInt32(truncatingIfNeeded: st.st_mode)), size: Int(truncatingIfNeeded: st.st_size))
    }

    static func exists(_ path: String) -> Bool { statInfo(path) != nil }

    static func isDirectory(_ path: String) -> Bool { statInfo(path)?.kind == .directory }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(validatingCString: p)
    }

    /// Names in a directory (without "." and ".."), sorted by their UTF-8
    /// bytes. Names that are not valid UTF-8 are reported in `invalidNames`.
    static func listDirectory(_ path: String) -> (names: [String], invalidNames: Int)? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        var invalid = 0
        while let ent = readdir(dir) {
            let name: String? = withUnsafePointer(to: &ent.pointee.d_name) { tp in
                tp.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tp.pointee)) {
                    String(validatingCString: $0)
                }
            }
            guard let nm = name else {
                invalid &+= 1
                continue
            }
            if nm == "." || nm == ".." { continue }
            names.append(nm)
        }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return (names, invalid)
    }

    enum ReadResult {
        case ok([UInt8])
        case huge(Int)
        case unreadable
    }

    /// Read a whole regular file, refusing files larger than `maxSize`.
    /// `O_NOFOLLOW`: a path that became a symlink since it was listed fails.
    static func readFile(_ path: String, maxSize: Int) -> ReadResult {
        // O_NONBLOCK: if the entry was swapped for a FIFO since it was
        // listed, open must not hang (no effect on regular files).
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return .unreadable }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .unreadable }
        guard kind(ofMode: UInt32(truncatingIfNeeded: st.st_mode)) == .regular else { return .unreadable }
        let size = Int(truncatingIfNeeded: st.st_size)
        if size < 0 { return .unreadable }
        if size > maxSize { return .huge(size) }
        if size == 0 { return .ok([]) }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
            count = 0
            guard let p = buf.baseAddress else { return }
            var got = 0
            while got < size {
                let r = read(fd, p + got, size &- got)
                if r < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    break
                }
                if r == 0 { break }  // file shrank
                got &+= r
            }
            count = min(got, size)
        }
        if failed { return .unreadable }
        return .ok(bytes)
    }

    static func containsNul(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let b = raw.baseAddress, raw.count > 0 else { return false }
            return memchr(b, 0, raw.count) != nil
        }
    }

    static func getenv(_ name: String) -> String? {
        guard let v = Glibc.getenv(name) else { return nil }
        return String(validatingCString: v)
    }
}

/// One regular file found under a crate directory.
struct FoundFile: Sendable {
    var relative: String  // crate-relative, "/"-separated
    var absolute: String  // path to open (resolved for in-crate symlinks)
    var size: Int
}

struct WalkResult: Sendable {
    var files: [FoundFile] = []
    var symlinkOutside = 0
    var unreadable = 0
}

/// Walk a crate directory without leaving it.
/// * Hidden entries (".git", ".github", ...) and the top-level `target/` are skipped.
/// * Symlinks are resolved with realpath; targets outside the crate's real
///   path are skipped and counted; dangling ones count as unreadable;
///   directories are visited once (cycle-safe).
/// * Output is sorted by relative path (byte order).
func walkCrate(root: String, realRoot: String, wantFile: (String) -> Bool) -> WalkResult {
    var result = WalkResult()
    let prefix = realRoot.hasSuffix("/") ? realRoot : realRoot + "/"
    var visited = Set<String>()
    visited.insert(realRoot)
    var stack: [(rel: String, abs: String)] = [("", realRoot)]
    var dirsSeen = 0
    while let (rel, abs) = stack.popLast() {
        dirsSeen &+= 1
        if dirsSeen > 200_000 { break }  // pathological trees
        guard let listing = FS.listDirectory(abs) else {
            result.unreadable &+= 1
            continue
        }
        result.unreadable &+= listing.invalidNames
        var subdirs: [(String, String)] = []
        for name in listing.names {
            if name.hasPrefix(".") { continue }
            if rel.isEmpty && name == "target" { continue }
            let childRel = rel.isEmpty ? name : rel + "/" + name
            let childAbs = abs + "/" + name
            guard let info = FS.lstatInfo(childAbs) else {
                result.unreadable &+= 1
                continue
            }
            switch info.kind {
            case .directory:
                // plain directory: its real path is childAbs (abs is real)
                if !visited.contains(childAbs) { subdirs.append((childRel, childAbs)) }
            case .regular:
                if wantFile(childRel) {
                    result.files.append(FoundFile(relative: childRel, absolute: childAbs, size: info.size))
                }
            case .symlink:
                guard let target = FS.realPath(childAbs) else {
                    result.unreadable &+= 1  // dangling
                    continue
                }
                guard target == realRoot || target.hasPrefix(prefix) else {
                    result.symlinkOutside &+= 1
                    continue
                }
                guard let tinfo = FS.statInfo(target) else {
                    result.unreadable &+= 1
                    continue
                }
                if tinfo.kind == .directory {
                    if !visited.contains(target) {
                        visited.insert(target)
                        subdirs.append((childRel, target))
                    }
                } else if tinfo.kind == .regular {
                    if wantFile(childRel) {
                        result.files.append(FoundFile(relative: childRel, absolute: target, size: tinfo.size))
                    }
                }
            case .other:
                continue
            }
        }
        // push in reverse so that popLast visits in sorted order
        for d in subdirs.reversed() {
            visited.insert(d.1)
            stack.append((d.0, d.1))
        }
    }
    result.files.sort { $0.relative.utf8.lexicographicallyPrecedes($1.relative.utf8) }
    return result
}
