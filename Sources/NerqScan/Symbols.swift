import Glibc

// Interned identifiers the analyzers care about. The lexer tags every plain
// (non-raw) identifier token with one of these, or `.none`, so later passes
// compare one byte instead of byte slices. Raw identifiers (`r#unsafe`) are
// never tagged: they are never keywords.

public enum Sym: UInt8, Sendable, CaseIterable {
    case none = 0
    // keywords / contextual keywords
    case kwUnsafe, kwFn, kwImpl, kwTrait, kwExtern, kwAuto, kwCrate, kwPub, kwStruct, kwEnum
    case kwType, kwConst, kwStatic, kwMod, kwUnion, kwUse, kwMacroRules, kwAsync, kwSafe
    case kwDefault, kwAs, kwSelf, kwSuper, kwIn, kwTrue
    // attributes
    case doc, hidden, forbid, deny, cfgAttr, unsafeCode, unsafeOpInUnsafeFn, test, cfg, link
    // path segments
    case std, core, net, fs, process, env, tokio, asyncStd, smol, mio, asyncNet
    case tcpStream, tcpListener, udpSocket, unixStream, unixListener, unixDatagram, toSocketAddrs
    case lookupHost, reqwest, hyper, ureq, curl, isahc, surf, attohttpc, socket2, tungstenite
    case h2, quinn, hyperUtil
    case write, removeFile, removeDir, removeDirAll, createDir, createDirAll, rename, copy
    case hardLink, softLink, symlink, symlinkFile, symlinkDir, setPermissions
    case file, create, createNew, openOptions, append, truncate
    case command, new, `var`, varOs, vars, varsOs, setVar, removeVar, optionEnv
    case libc, fork, vfork, execv, execve, execvp, execvpe, execl, execlp, execle, system
    case posixSpawn, posixSpawnp, popen, nix, unistd, duct, cmd, subprocess, socket, connect

    /// Symbols that can make a path capability-relevant on their own; paths
    /// without one are not classified (keeps the hot path allocation-free).
    @inline(__always) var isAnchor: Bool {
        switch self {
        case .net, .fs, .process, .env, .optionEnv, .tokio, .asyncStd, .smol, .mio, .asyncNet,
             .tcpStream, .tcpListener, .udpSocket, .unixStream, .unixListener, .unixDatagram, .toSocketAddrs,
             .reqwest, .hyper, .ureq, .curl, .isahc, .surf, .attohttpc, .socket2, .tungstenite, .h2, .quinn, .hyperUtil,
             .file, .openOptions, .command, .libc, .unistd, .duct, .subprocess:
            return true
        default:
            return false
        }
    }

    /// The Rust spelling of the symbol.
    public var text: String {
        switch self {
        case .none: return ""
        case .kwUnsafe: return "unsafe"
        case .kwFn: return "fn"
        case .kwImpl: return "impl"
        case .kwTrait: return "trait"
        case .kwExtern: return "extern"
        case .kwAuto: return "auto"
        case .kwCrate: return "crate"
        case .kwPub: return "pub"
        case .kwStruct: return "struct"
        case .kwEnum: return "enum"
        case .kwType: return "type"
        case .kwConst: return "const"
        case .kwStatic: return "static"
        case .kwMod: return "mod"
        case .kwUnion: return "union"
        case .kwUse: return "use"
        case .kwMacroRules: return "macro_rules"
        case .kwAsync: return "async"
        case .kwSafe: return "safe"
        case .kwDefault: return "default"
        case .kwAs: return "as"
        case .kwSelf: return "self"
        case .kwSuper: return "super"
        case .kwIn: return "in"
        case .kwTrue: return "true"
        case .doc: return "doc"
        case .hidden: return "hidden"
        case .forbid: return "forbid"
        case .deny: return "deny"
        case .cfgAttr: return "cfg_attr"
        case .unsafeCode: return "unsafe_code"
        case .unsafeOpInUnsafeFn: return "unsafe_op_in_unsafe_fn"
        case .test: return "test"
        case .cfg: return "cfg"
        case .link: return "link"
        case .std: return "std"
        case .core: return "core"
        case .net: return "net"
        case .fs: return "fs"
        case .process: return "process"
        case .env: return "env"
        case .tokio: return "tokio"
        case .asyncStd: return "async_std"
        case .smol: return "smol"
        case .mio: return "mio"
        case .asyncNet: return "async_net"
        case .tcpStream: return "TcpStream"
        case .tcpListener: return "TcpListener"
        case .udpSocket: return "UdpSocket"
        case .unixStream: return "UnixStream"
        case .unixListener: return "UnixListener"
        case .unixDatagram: return "UnixDatagram"
        case .toSocketAddrs: return "ToSocketAddrs"
        case .lookupHost: return "lookup_host"
        case .reqwest: return "reqwest"
        case .hyper: return "hyper"
        case .ureq: return "ureq"
        case .curl: return "curl"
        case .isahc: return "isahc"
        case .surf: return "surf"
        case .attohttpc: return "attohttpc"
        case .socket2: return "socket2"
        case .tungstenite: return "tungstenite"
        case .h2: return "h2"
        case .quinn: return "quinn"
        case .hyperUtil: return "hyper_util"
        case .write: return "write"
        case .removeFile: return "remove_file"
        case .removeDir: return "remove_dir"
        case .removeDirAll: return "remove_dir_all"
        case .createDir: return "create_dir"
        case .createDirAll: return "create_dir_all"
        case .rename: return "rename"
        case .copy: return "copy"
        case .hardLink: return "hard_link"
        case .softLink: return "soft_link"
        case .symlink: return "symlink"
        case .symlinkFile: return "symlink_file"
        case .symlinkDir: return "symlink_dir"
        case .setPermissions: return "set_permissions"
        case .file: return "File"
        case .create: return "create"
        case .createNew: return "create_new"
        case .openOptions: return "OpenOptions"
        case .append: return "append"
        case .truncate: return "truncate"
        case .command: return "Command"
        case .new: return "new"
        case .var: return "var"
        case .varOs: return "var_os"
        case .vars: return "vars"
        case .varsOs: return "vars_os"
        case .setVar: return "set_var"
        case .removeVar: return "remove_var"
        case .optionEnv: return "option_env"
        case .libc: return "libc"
        case .fork: return "fork"
        case .vfork: return "vfork"
        case .execv: return "execv"
        case .execve: return "execve"
        case .execvp: return "execvp"
        case .execvpe: return "execvpe"
        case .execl: return "execl"
        case .execlp: return "execlp"
        case .execle: return "execle"
        case .system: return "system"
        case .posixSpawn: return "posix_spawn"
        case .posixSpawnp: return "posix_spawnp"
        case .popen: return "popen"
        case .nix: return "nix"
        case .unistd: return "unistd"
        case .duct: return "duct"
        case .cmd: return "cmd"
        case .subprocess: return "subprocess"
        case .socket: return "socket"
        case .connect: return "connect"
        }
    }
}

/// Identifier -> Sym lookup. Buckets are keyed by (length, first byte & 63)
/// and stored in one immortal flat allocation, so a lookup is a couple of
/// loads and, for the rare candidate, a short byte compare. Never freed (one
/// process-wide instance, a few KB).
struct SymTable: @unchecked Sendable {
    /// The longest symbol's length, so a new symbol of any length is found (a fixed limit once
    /// dropped longer ones without a word); identifiers longer than this are never symbols.
    let maxLength: Int
    private let bucketCount: Int
    /// bucketStart[b] ..< bucketStart[b+1] index `entrySym` / `entryOffset`.
    private let bucketStart: UnsafeMutablePointer<Int32>
    private let entrySym: UnsafeMutablePointer<UInt8>
    private let entryOffset: UnsafeMutablePointer<Int32>
    private let bytes: UnsafeMutablePointer<UInt8>
    private let entryCount: Int
    private let byteCount: Int

    init() {
        let longest = Sym.allCases.reduce(0) { max($0, $1.text.utf8.count) }
        maxLength = longest
        bucketCount = (longest &+ 1) &* 64
        var lists = [[Sym]](repeating: [], count: bucketCount)
        for s in Sym.allCases where s != .none {
            let u = Array(s.text.utf8)
            if let f = u.first {
                lists[u.count &* 64 &+ Int(f & 63)].append(s)
            }
        }
        let total = lists.reduce(0) { $0 &+ $1.count }
        entryCount = total
        bucketStart = .allocate(capacity: bucketCount &+ 1)
        entrySym = .allocate(capacity: max(total, 1))
        entryOffset = .allocate(capacity: max(total, 1))
        var flat: [UInt8] = []
        var e = 0
        for b in 0..<bucketCount {
            bucketStart[b] = Int32(e)
            for s in lists[b] {
                entrySym[e] = s.rawValue
                entryOffset[e] = Int32(flat.count)
                flat.append(contentsOf: Array(s.text.utf8))
                e &+= 1
            }
        }
        bucketStart[bucketCount] = Int32(e)
        byteCount = flat.count
        bytes = .allocate(capacity: max(flat.count, 1))
        for (i, b) in flat.enumerated() { bytes[i] = b }
    }

    static let shared = SymTable()

    /// Look up bytes `[start, end)` of `base`. Callers guarantee the range is
    /// inside the buffer (it comes from the lexer's own bounds-checked scan).
    @inline(__always)
    func lookup(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Sym {
        let len = end &- start
        guard len > 0, len <= maxLength else { return .none }
        let first = base[start]
        let b = len &* 64 &+ Int(first & 63)
        guard b >= 0, b < bucketCount else { return .none }
        var e = Int(bucketStart[b])
        let eEnd = Int(bucketStart[b &+ 1])
        while e < eEnd && e < entryCount {
            let off = Int(entryOffset[e])
            if off >= 0 && off &+ len <= byteCount {
                var k = 1  // byte 0 matched via the bucket's low 6 bits only, so check it too
                var same = bytes[off] == first
                while same && k < len {
                    same = bytes[off &+ k] == base[start &+ k]
                    k &+= 1
                }
                if same { return Sym(rawValue: entrySym[e]) ?? .none }
            }
            e &+= 1
        }
        return .none
    }
}
