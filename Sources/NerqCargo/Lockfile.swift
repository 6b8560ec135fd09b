import NerqCore
import NerqTOML
import NerqJSON

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
        guard let hash = source.utf8.firstIndex(of: UInt8(ascii: "#")) else { return Substring(source) }
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
        let root = try CargoTOML.parse(bytes, file: file)
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
            // One walk over the table's entries picks out the keys (TOML keys are unique).
            var nameValue, versionValue, sourceValue, checksumValue, dependenciesValue: TOMLValue?
            for e in t.entries {
                switch e.key {
                case "name": nameValue = e.value
                case "version": versionValue = e.value
                case "source": sourceValue = e.value
                case "checksum": checksumValue = e.value
                case "dependencies": dependenciesValue = e.value
                default: break
                }
            }
            guard let name = nameValue?.stringValue, !name.isEmpty else {
                throw NerqError(.parseError, "\(file):\(t.line): [[package]] without a name", path: "\(file):\(t.line)")
            }
            guard let version = versionValue?.stringValue, !version.isEmpty else {
                throw NerqError(.parseError, "\(file):\(t.line): package \(name) has no version", path: "\(file):\(t.line)")
            }
            var deps: [String] = []
            if let d = dependenciesValue {
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
            // A source that is not a string would read as "no source", turning a registry package
            // into a workspace member that is never checked: refuse it.
            if let sv = sourceValue, sv.stringValue == nil {
                throw NerqError(.parseError, "\(file):\(t.line(forKey: "source") ?? t.line): source of \(name) must be a string, found \(sv.typeName)",
                                path: "\(file):\(t.line(forKey: "source") ?? t.line)")
            }
            if let cv = checksumValue, cv.stringValue == nil {
                throw NerqError(.parseError, "\(file):\(t.line(forKey: "checksum") ?? t.line): checksum of \(name) must be a string, found \(cv.typeName)",
                                path: "\(file):\(t.line(forKey: "checksum") ?? t.line)")
            }
            let checksum = checksumValue?.stringValue
            if checksum != nil { hasInlineChecksums = true }
            packages.append(LockedPackage(name: name, version: version, source: PackageSource(sourceValue?.stringValue),
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
    /// References are cut and compared on their UTF-8 bytes, and packages are found by a hash of
    /// their name and version bytes (then compared byte for byte, as cargo compares): no String is
    /// built or hashed per reference, and a lockfile has thousands of them. A reference with a
    /// version looks only at the packages of that name and version, and a name-only reference at a
    /// summary of its name, so the cost stays linear however many versions one name has.
    static func resolve(_ packages: [LockedPackage], file: String) -> ([[Int]], [String]) {
        // Packages by name and version (candidates for a versioned reference).
        var byVersion: [UInt64: [Int]] = [:]
        byVersion.reserveCapacity(packages.count)
        // Per distinct name: how many packages have it, the first, and its path packages.
        struct Named {
            var first: Int
            var count = 0
            var paths = 0
            var lastPath = -1
        }
        var byName: [UInt64: [Named]] = [:]
        byName.reserveCapacity(packages.count)
        for (i, p) in packages.enumerated() {
            let nameHash = Bytes.hash(p.name)
            byVersion[Bytes.hash(name: nameHash, version: p.version.utf8), default: []].append(i)
            var group = byName[nameHash] ?? []
            let k = group.firstIndex { packages[$0.first].name.utf8.elementsEqual(p.name.utf8) } ?? {
                group.append(Named(first: i))
                return group.count - 1
            }()
            group[k].count += 1
            if p.source == .path {
                group[k].paths += 1
                group[k].lastPath = i
            }
            byName[nameHash] = group
        }
        var edges = [[Int]](repeating: [], count: packages.count)
        var issues: [String] = []
        for (i, p) in packages.enumerated() {
            edges[i].reserveCapacity(p.dependencyRefs.count)
            for ref in p.dependencyRefs {
                var text = ref
                let (found, count) = text.withUTF8 { bytes -> (Int, Int) in
                    let parts = Reference(bytes)
                    let nameHash = Bytes.hash(parts.name)
                    guard let version = parts.version else {
                        // A name alone: the one package of that name, or with several, the one
                        // path package (path dependencies never list a source), as cargo's
                        // lockfile decoder does.
                        guard let named = byName[nameHash]?.first(where: { Bytes.equal(packages[$0.first].name, parts.name) }) else {
                            return (-1, 0)
                        }
                        if named.count == 1 { return (named.first, 1) }
                        return named.paths == 1 ? (named.lastPath, 1) : (-1, named.count)
                    }
                    let candidates = byVersion[Bytes.hash(name: nameHash, version: version)] ?? []
                    var found = -1, count = 0
                    for c in candidates where parts.accepts(packages[c]) {
                        if count == 0 { found = c }
                        count += 1
                    }
                    if count > 1 && parts.source == nil {
                        // No source written: the one path package of that name and version.
                        var paths = 0
                        for c in candidates where parts.accepts(packages[c]) && packages[c].source == .path {
                            found = c
                            paths += 1
                        }
                        if paths == 1 { count = 1 }
                    }
                    return (found, count)
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
    /// `(source)` (parentheses removed, git `#revision` dropped); views of the reference's bytes.
    struct Reference {
        var name: Slice<UnsafeBufferPointer<UInt8>>
        var version: Slice<UnsafeBufferPointer<UInt8>>?
        var source: Slice<UnsafeBufferPointer<UInt8>>?

        init(_ b: UnsafeBufferPointer<UInt8>) {
            let space = UInt8(ascii: " ")
            guard let first = b.firstIndex(of: space) else {
                name = b[...]
                return
            }
            name = b[..<first]
            guard let second = b[(first + 1)...].firstIndex(of: space) else {
                version = b[(first + 1)...]
                return
            }
            version = b[(first + 1)..<second]
            var src = b[(second + 1)...]
            if src.count >= 2, src.first == UInt8(ascii: "("), src.last == UInt8(ascii: ")") {
                src = src.dropFirst().dropLast()
            }
            if let hash = src.firstIndex(of: UInt8(ascii: "#")) { src = src[..<hash] }
            source = src
        }

        /// Byte equality, as cargo compares (and without `StringProtocol`'s Unicode-aware `==`).
        func accepts(_ p: LockedPackage) -> Bool {
            guard Bytes.equal(p.name, name) else { return false }  // candidates share a hash of the name
            if let version, !Bytes.equal(p.version, version) { return false }
            if let source {
                guard let raw = p.source.raw else { return false }
                return Bytes.equal(raw, source, upTo: UInt8(ascii: "#"))
            }
            return true
        }
    }

    /// Byte-level hashing and comparison of strings against slices of another string's bytes.
    enum Bytes {
        /// FNV-1a of the bytes, continuing from `seed` (deterministic; collisions are told apart
        /// by `equal`).
        static func hash<C: Collection<UInt8>>(_ bytes: C, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
            var h = seed
            for c in bytes { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
            return h
        }

        /// The hash of a name and a version, with a space between them (as a reference has it).
        static func hash(name: UInt64, version: some Collection<UInt8>) -> UInt64 {
            hash(version, seed: hash(CollectionOfOne(UInt8(ascii: " ")), seed: name))
        }

        static func hash(_ s: String, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
            s.utf8.withContiguousStorageIfAvailable { hash($0, seed: seed) } ?? hash(s.utf8, seed: seed)
        }

        /// Whether `s` (cut at its first `stop` byte, when given) has exactly the bytes of `b`.
        static func equal(_ s: String, _ b: Slice<UnsafeBufferPointer<UInt8>>, upTo stop: UInt8? = nil) -> Bool {
            func same<C: Collection<UInt8>>(_ u: C) -> Bool {
                var k = b.startIndex
                for c in u {
                    if c == stop { break }
                    guard k < b.endIndex, b[k] == c else { return false }
                    k += 1
                }
                return k == b.endIndex
            }
            return s.utf8.withContiguousStorageIfAvailable { same($0) } ?? same(s.utf8)
        }
    }
}
