import NerqCore
import NerqTOML

/// Where a locked package comes from.
public enum PackageSource: Sendable, Equatable {
    /// crates.io (`registry+https://github.com/rust-lang/crates.io-index`).
    case cratesIO
    /// crates.io through the sparse protocol, or another registry.
    case registry(String)
    case git(String)
    /// No `source`: a workspace member or a path dependency.
    case path

    public static let cratesIOSource = "registry+https://github.com/rust-lang/crates.io-index"

    public init(_ raw: String?) {
        guard let raw else {
            self = .path
            return
        }
        if raw == PackageSource.cratesIOSource {
            self = .cratesIO
        } else if raw.hasPrefix("git+") {
            self = .git(raw)
        } else {
            self = .registry(raw)
        }
    }

    public var kind: String {
        switch self {
        case .cratesIO, .registry: return "registry"
        case .git: return "git"
        case .path: return "path"
        }
    }

    static func withoutRevision(_ source: String) -> Substring {
        withoutRevision(Substring(source))
    }

    static func withoutRevision(_ source: Substring) -> Substring {
        guard let hash = source.utf8.firstIndex(of: UInt8(ascii: "#")) else { return source }
        return source[..<hash]
    }

    public var raw: String? {
        switch self {
        case .cratesIO: return PackageSource.cratesIOSource
        case .registry(let s), .git(let s): return s
        case .path: return nil
        }
    }
}

/// One `[[package]]` of a Cargo.lock.
public struct LockedPackage: Sendable, Equatable {
    public var name: String
    public var version: String
    public var source: PackageSource
    public var checksum: String?
    /// Dependency references as written (`name`, `name version`, `name version (source)`).
    public var dependencyRefs: [String]
    /// Line of the `[[package]]` header.
    public var line: Int

    public var id: String { "\(name) \(version)\(source.raw.map { " (\($0))" } ?? "")" }

    /// The id as references write it: a git source without its `#revision` (cargo identifies a git
    /// source by URL and branch/tag, and v1 lockfiles leave the revision out of references).
    var referenceID: String { "\(name) \(version)\(source.raw.map { " (\(PackageSource.withoutRevision($0)))" } ?? "")" }
}

/// A parsed Cargo.lock: packages in file order, dependency edges resolved to indices.
public struct Lockfile: Sendable {
    /// The `version` key (3, 4) or what the layout implies (1: `[metadata]` checksums, 2: inline checksums).
    public var format: Int
    public var packages: [LockedPackage]
    /// `dependencies[i]` are the indices of the packages `packages[i]` depends on.
    public var dependencies: [[Int]]
    /// What could not be used, each with its line: duplicate packages, unresolvable references.
    public var issues: [String]

    /// Parses Cargo.lock bytes. `file` names the file in errors (`Cargo.lock:12:5: ...`).
    public static func parse(_ bytes: [UInt8], file: String = "Cargo.lock") throws(NerqError) -> Lockfile {
        let root: TOMLTable
        do {
            root = try TOML.parse(bytes)
        } catch {
            throw NerqError(.parseError, "\(file):\(error.line):\(error.column): \(error.message)", path: "\(file):\(error.line):\(error.column)")
        }
        var issues: [String] = []
        var format = 0
        if let v = root["version"] {
            guard case .integer(let n) = v, (1...4).contains(n) else {
                throw NerqError(.parseError, "\(file):\(root.line(forKey: "version") ?? 1): unsupported lockfile version \(v)", path: file)
            }
            format = Int(n)
        }
        guard let packageValue = root["package"] else {
            // An empty workspace has no packages; anything else without [[package]] is not a lockfile.
            if root.isEmpty || (root.count == 1 && format > 0) {
                return Lockfile(format: max(format, 1), packages: [], dependencies: [], issues: [])
            }
            throw NerqError(.parseError, "\(file): no [[package]] tables: not a Cargo.lock", path: file)
        }
        guard case .array(let items) = packageValue else {
            throw NerqError(.parseError, "\(file):\(root.line(forKey: "package") ?? 1): `package` must be an array of tables", path: file)
        }
        var packages: [LockedPackage] = []
        packages.reserveCapacity(items.count)
        var hasInlineChecksums = false
        for item in items {
            guard case .table(let t) = item else {
                throw NerqError(.parseError, "\(file): `package` must be an array of tables", path: file)
            }
            guard let name = t.string("name"), !name.isEmpty else {
                throw NerqError(.parseError, "\(file):\(t.line): [[package]] without a name", path: "\(file):\(t.line)")
            }
            guard let version = t.string("version"), !version.isEmpty else {
                throw NerqError(.parseError, "\(file):\(t.line): package \(name) has no version", path: "\(file):\(t.line)")
            }
            var deps: [String] = []
            if let d = t["dependencies"] {
                guard case .array(let list) = d else {
                    throw NerqError(.parseError, "\(file):\(t.line(forKey: "dependencies") ?? t.line): dependencies of \(name) must be an array",
                                    path: "\(file):\(t.line)")
                }
                for entry in list {
                    guard case .string(let s) = entry else {
                        throw NerqError(.parseError, "\(file):\(t.line(forKey: "dependencies") ?? t.line): dependency of \(name) is not a string",
                                        path: "\(file):\(t.line)")
                    }
                    deps.append(s)
                }
            }
            let checksum = t.string("checksum")
            if checksum != nil { hasInlineChecksums = true }
            packages.append(LockedPackage(name: name, version: version, source: PackageSource(t.string("source")),
                                          checksum: checksum, dependencyRefs: deps, line: t.line))
        }
        if format == 0 { format = root["metadata"] != nil && !hasInlineChecksums ? 1 : 2 }
        // v1 keeps checksums in [metadata] as "checksum NAME VERSION (SOURCE)" = "HEX". Debian
        // writes placeholders and git packages say "<none>": both are kept as text, never checked.
        if format == 1, case .table(let meta)? = root["metadata"] {
            var byID: [String: String] = [:]
            for (key, value) in meta.entries where key.hasPrefix("checksum ") {
                if case .string(let sum) = value { byID[String(key.dropFirst("checksum ".count))] = sum }
            }
            for i in packages.indices where packages[i].checksum == nil {
                packages[i].checksum = byID[packages[i].referenceID]
            }
        }
        // Duplicates: cargo refuses them; nerq keeps the first and reports the rest.
        struct Key: Hashable {
            var name: String, version: String, source: String?
        }
        var seen: [Key: Int] = [:]
        seen.reserveCapacity(packages.count)
        var unique: [LockedPackage] = []
        unique.reserveCapacity(packages.count)
        for p in packages {
            let key = Key(name: p.name, version: p.version, source: p.source.raw)
            if let first = seen[key] {
                issues.append("\(file):\(p.line): duplicate package \(p.id) (first at line \(unique[first].line)); skipped")
                continue
            }
            seen[key] = unique.count
            unique.append(p)
        }
        let (edges, unresolved) = resolve(unique, file: file)
        return Lockfile(format: format, packages: unique, dependencies: edges, issues: issues + unresolved)
    }

    /// Resolves `name`, `name version` and `name version (source)` references to indices.
    /// References are cut on the UTF-8 bytes of their spaces (no Character walk, no arrays per
    /// reference): a lockfile has thousands of them.
    static func resolve(_ packages: [LockedPackage], file: String) -> ([[Int]], [String]) {
        var byName: [String: [Int]] = [:]
        for (i, p) in packages.enumerated() { byName[p.name, default: []].append(i) }
        var edges = [[Int]](repeating: [], count: packages.count)
        var issues: [String] = []
        for (i, p) in packages.enumerated() {
            edges[i].reserveCapacity(p.dependencyRefs.count)
            for ref in p.dependencyRefs {
                let parts = Reference(ref)
                let candidates = byName[String(parts.name)] ?? []
                var found = -1, count = 0
                for c in candidates where parts.accepts(packages[c]) {
                    if count == 0 { found = c }
                    count += 1
                }
                if count > 1 && parts.source == nil {
                    // No source written: cargo takes the one path package of that name and version
                    // (path dependencies never list a source), as its lockfile decoder does.
                    var paths = 0
                    for c in candidates where parts.accepts(packages[c]) && packages[c].source == .path {
                        found = c
                        paths += 1
                    }
                    if paths == 1 { count = 1 }
                }
                if count == 1 && found >= 0 {
                    edges[i].append(found)
                } else {
                    let why = count == 0 ? "no such package" : "ambiguous: \(count) packages match"
                    issues.append("\(file):\(p.line): dependency \"\(ref)\" of \(p.name) \(p.version) not resolved (\(why))")
                }
            }
        }
        return (edges, issues)
    }

    /// A dependency reference cut at its first two spaces: name, optional version, optional
    /// `(source)` (parentheses removed, git `#revision` dropped).
    struct Reference {
        var name: Substring
        var version: Substring?
        var source: Substring?

        init(_ ref: String) {
            let u = ref.utf8
            let space = UInt8(ascii: " ")
            guard let first = u.firstIndex(of: space) else {
                name = Substring(ref)
                return
            }
            name = ref[..<first]
            let afterFirst = u.index(after: first)
            guard let second = u[afterFirst...].firstIndex(of: space) else {
                version = ref[afterFirst...]
                return
            }
            version = ref[afterFirst..<second]
            var src = ref[u.index(after: second)...]
            if src.utf8.first == UInt8(ascii: "("), src.utf8.last == UInt8(ascii: ")"), src.utf8.count >= 2 {
                src = src.dropFirst().dropLast()
            }
            source = PackageSource.withoutRevision(src)
        }

        /// Byte equality, as cargo compares (and without `StringProtocol`'s Unicode-aware `==`).
        func accepts(_ p: LockedPackage) -> Bool {
            if let version, !p.version.utf8.elementsEqual(version.utf8) { return false }
            if let source {
                guard let raw = p.source.raw else { return false }
                return PackageSource.withoutRevision(Substring(raw)).utf8.elementsEqual(source.utf8)
            }
            return true
        }
    }
}
