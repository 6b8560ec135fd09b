#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqIO
import NerqTOML

// Finding things as each tool finds its own: the project's files, the configuration files
// (read by the library, which knows what each key means), and whether cargo is offline here.

func isFile(_ path: String) -> Bool { Files.kind(path) == .file }

func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `path` made absolute against the current directory (not resolving links), normalised.
func absolutePath(_ path: String) -> String {
    normalise(path.hasPrefix("/") ? path : Files.join(currentDirectory(), path))
}

/// "." and ".." removed lexically (os.path.normpath of an absolute path).
func normalise(_ path: String) -> String {
    var parts: [Substring] = []
    for p in path.split(separator: "/", omittingEmptySubsequences: true) {
        if p == "." { continue }
        if p == ".." { _ = parts.popLast(); continue }
        parts.append(p)
    }
    return "/" + parts.joined(separator: "/")
}

/// A path as messages show it: relative to the current directory when it lies below it.
func shown(_ path: String) -> String {
    let absolute = absolutePath(path)
    let here = normalise(currentDirectory())
    if absolute == here { return "." }
    let prefix = here == "/" ? "/" : here + "/"
    return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
}

/// `start` and every folder above it, to the root.
func foldersUp(from start: String) -> [String] {
    var folders = [start]
    while let last = folders.last {
        let parent = Files.directory(of: last)
        if parent == last || parent.isEmpty { return folders }
        folders.append(parent)
    }
    return folders
}

/// cargo-deny 0.20.2's lookup: in `start`, then each parent, the first of `names` that exists.
func firstUp(from start: String, _ names: [String]) -> String? {
    for folder in foldersUp(from: start) {
        for name in names where isFile(Files.join(folder, name)) { return Files.join(folder, name) }
    }
    return nil
}

/// $CARGO_HOME, else ~/.cargo (as the engine resolves it).
func cargoHome() -> String { Environment.process().cargoHome ?? "/.cargo" }

/// cargo-audit 0.22.2's lookup: ./.cargo/audit.toml in the current directory (no walk up), else
/// $CARGO_HOME/audit.toml; the first that exists, never both.
func auditToml() -> String? {
    let local = ".cargo/audit.toml"
    if isFile(local) { return local }
    let home = Files.join(cargoHome(), "audit.toml")
    return isFile(home) ? home : nil
}

func realPath(_ path: String) -> String { Files.realPath(path) ?? absolutePath(path) }

/// Whether a manifest has `[workspace.metadata.nerq]` or `[package.metadata.nerq]`: a cheap look
/// for the table header; the library parses the file (and reports its errors).
func hasNerqMetadata(_ manifest: String) -> Bool {
    guard case .success(let bytes) = Files.readBytes(manifest, limit: 16 << 20) else { return false }
    for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
        let line = raw.filter { $0 != " " && $0 != "\t" }
        if line.hasPrefix("[workspace.metadata.nerq") || line.hasPrefix("[package.metadata.nerq") {
            let rest = line.dropFirst(line.hasPrefix("[workspace") ? 24 : 22)
            if rest.first.map({ !($0.isLetter || $0.isNumber || $0 == "_") }) ?? true { return true }
        }
    }
    return false
}

/// Why cargo would be offline here, or nil: --offline, --frozen, CARGO_NET_OFFLINE, or
/// `net.offline` in a cargo config file (cargo's order: .cargo/config.toml from the current
/// directory up, then $CARGO_HOME/config.toml; the nearest one that sets it wins).
func offlineReason(offline: Bool, frozen: Bool) -> String? {
    if offline { return "--offline" }
    if frozen { return "--frozen" }
    if let env = environment("CARGO_NET_OFFLINE") { return env == "true" ? "CARGO_NET_OFFLINE=true" : nil }
    var candidates: [String] = []
    for folder in foldersUp(from: realPath(currentDirectory())) {
        candidates += [Files.join(folder, ".cargo/config.toml"), Files.join(folder, ".cargo/config")]
    }
    let home = cargoHome()
    candidates += [Files.join(home, "config.toml"), Files.join(home, "config")]
    for path in candidates {
        if let value = netOffline(path) { return value ? "net.offline in \(path)" : nil }
    }
    return nil
}

private func netOffline(_ path: String) -> Bool? {
    guard case .success(let bytes) = Files.readBytes(path, limit: 16 << 20), let table = try? TOML.parse(bytes) else { return nil }
    return table.table("net")?.bool("offline")
}
