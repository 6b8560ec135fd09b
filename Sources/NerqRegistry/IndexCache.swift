// cargo's local index cache: `$CARGO_HOME/registry/index/<registry>/.cache/<prefix>/<name>`.
//
// The format is cargo's `SummariesCache` (src/cargo/sources/registry/index/cache.rs):
//
//     u8 cache version (3) | u32 LE index schema version (2) | index file version (revision) | 0
//     then per version:  semver version | 0 | JSON line of the index | 0
//
// Each JSON line is the registry index entry of one published version (`name`, `vers`, `deps`,
// `cksum`, `features`, `yanked`, `links`, `v`, `rust_version`, and `pubtime` in newer
// registries). The file name is the crate name in lower case under cargo's prefix directories
// (`1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd…`).

import NerqCore
import NerqIO
import NerqJSON
import NerqSemver

public struct IndexCacheEntry: Sendable, Equatable {
    /// The version as the entry's JSON says (`vers`).
    public var version: String
    public var yanked: Bool
    /// Publication time (`pubtime`), when the registry records it.
    public var published: Timestamp?
    public var rustVersion: String?
    /// Index entry schema (`v`; 1 when absent).
    public var schema: Int64
    public var checksum: String?
    /// `features` and `features2` together, in the order the line gives them.
    public var features: [IndexFeature] = []
    public var dependencies: [IndexDependency] = []
    /// `links` (the native library the crate links), when it declares one.
    public var links: String?

    public init(version: String, yanked: Bool, published: Timestamp?, rustVersion: String?, schema: Int64, checksum: String?) {
        self.version = version
        self.yanked = yanked
        self.published = published
        self.rustVersion = rustVersion
        self.schema = schema
        self.checksum = checksum
    }
}

/// One feature of a published version: its name and what it enables.
public struct IndexFeature: Sendable, Equatable {
    public var name: String
    public var enables: [String]
}

/// One dependency of a published version, as the index lists it.
public struct IndexDependency: Sendable, Equatable {
    /// The name the crate uses for it (the dependency's own name is `package` when renamed).
    public var name: String
    public var requirement: String
    /// normal, build or dev.
    public var kind: String
    public var optional: Bool
    public var defaultFeatures: Bool
    public var features: [String]
    /// A `cfg(...)` expression or target triple, when the dependency is target-specific.
    public var target: String?
    /// The crate's real name when it is renamed.
    public var package: String?
    /// Another registry's index URL (never set by crates.io).
    public var registry: String?
}

public struct IndexCacheFile: Sendable, Equatable {
    public var path: String
    public var cacheVersion: Int
    public var indexFormatVersion: UInt32
    /// The index file version cargo caches against (a git revision or an HTTP ETag/Last-Modified).
    public var revision: String
    /// The crate's name from the entries (nil when there are none).
    public var name: String?
    public var entries: [IndexCacheEntry]
    /// Entries that could not be read (`path: byte N: entry K (version V): why`), left out as cargo
    /// leaves out the lines it cannot parse.
    public var errors: [String] = []

    public init(path: String, cacheVersion: Int, indexFormatVersion: UInt32, revision: String, name: String?,
                entries: [IndexCacheEntry], errors: [String] = []) {
        self.path = path
        self.cacheVersion = cacheVersion
        self.indexFormatVersion = indexFormatVersion
        self.revision = revision
        self.name = name
        self.entries = entries
        self.errors = errors
    }
}

public enum CargoIndexCache {
    /// Cache versions with this layout: 2 added the schema-version field, 3 only invalidated
    /// old entries. Version 1 (no schema field) is not read.
    public static let readableCacheVersions: ClosedRange<Int> = 2...3

    /// cargo's `make_dep_path(name.to_lowercase(), false)`.
    public static func relativePath(for name: String) -> String {
        let lower = String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        let chars = Array(lower)
        switch chars.count {
        case 0: return lower
        case 1: return "1/\(lower)"
        case 2: return "2/\(lower)"
        case 3: return "3/\(chars[0])/\(lower)"
        default: return "\(chars[0])\(chars[1])/\(chars[2])\(chars[3])/\(lower)"
        }
    }

    /// The cache files for `name` under `cargoHome` (nil: none), one per registry index
    /// directory, sorted by the directory name. A name that is not a crate name (letters, digits,
    /// `-` and `_`, at most 64 bytes) has none: it must never become a path outside the cache.
    public static func locate(name: String, cargoHome: String?) -> [String] {
        guard let home = cargoHome else { return [] }
        let index = home + "/registry/index"
        guard let registries = try? Files.list(index) else { return [] }
        return locate(name: name, indexDirectories: registries.map { "\(index)/\($0)" })
    }

    /// The cache files for `name` in these registry index directories (each holding `.cache/`),
    /// in the order given.
    public static func locate(name: String, indexDirectories: [String]) -> [String] {
        // No cache to look in (the usual case without cargo's or nerq's index): no names built.
        guard !indexDirectories.isEmpty, isCrateName(name) else { return [] }
        // As cargo does: the name as given, then with `-` and `_` swapped (crates.io treats them
        // as the same name; the cache keeps the published spelling).
        for candidate in [name, name.replacingAll("-", with: "_"), name.replacingAll("_", with: "-")] {
            let relative = relativePath(for: candidate)
            let found = indexDirectories.map { "\($0)/.cache/\(relative)" }.filter { Files.kind($0) == .file }
            if !found.isEmpty { return found }
        }
        return []
    }

    /// What crates.io accepts as a crate name: ASCII letters, digits, `-` and `_`, 1 to 64 bytes.
    public static func isCrateName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
        }
    }

    public static func read(path: String) throws(NerqError) -> IndexCacheFile {
        try parse(try Files.read(path, limit: 256 << 20), path: path)
    }

    public static func parse(_ bytes: [UInt8], path: String) throws(NerqError) -> IndexCacheFile {
        func fail(_ offset: Int, _ what: String) -> NerqError {
            NerqError(.parseError, "\(path): byte \(offset): \(what)", path: "\(path):\(offset)")
        }
        guard let first = bytes.first else { throw fail(0, "empty file, not a cargo index cache") }
        let cacheVersion = Int(first)
        guard readableCacheVersions.contains(cacheVersion) else {
            throw fail(0, "cache version \(cacheVersion) (cargo writes \(readableCacheVersions.upperBound); this reader knows \(readableCacheVersions.lowerBound)–\(readableCacheVersions.upperBound))")
        }
        guard bytes.count >= 5 else { throw fail(1, "truncated: expected 4 bytes of index schema version") }
        let schema = UInt32(bytes[1]) | UInt32(bytes[2]) << 8 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 24
        // Fields are NUL-terminated; cargo's `split` also accepts a missing final NUL.
        var fields: [(start: Int, end: Int)] = []
        var start = 5
        var i = 5
        while i < bytes.count {
            if bytes[i] == 0 {
                fields.append((start, i))
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { fields.append((start, bytes.count)) }
        guard let revisionField = fields.first else { throw fail(5, "truncated: no index file version") }
        let revision = String(decoding: bytes[revisionField.start..<revisionField.end], as: UTF8.self)
        var entries: [IndexCacheEntry] = []
        var errors: [String] = []
        var name: String?
        var k = 1
        while k < fields.count {
            let key = fields[k]
            let keyText = String(decoding: bytes[key.start..<key.end], as: UTF8.self)
            guard k + 1 < fields.count else {
                throw fail(key.start, "version \"\(keyText)\" has no JSON entry after it (truncated file)")
            }
            let blob = fields[k + 1]
            k += 2
            let entryNumber = entries.count + errors.count + 1
            switch entry(Array(bytes[blob.start..<blob.end]), key: keyText) {
            case .success(let (e, n)):
                if name == nil { name = n }
                entries.append(e)
            case .failure(let why):
                errors.append(fail(blob.start, "entry \(entryNumber) (version \(keyText)): \(why.message)").message)
            }
        }
        return IndexCacheFile(path: path, cacheVersion: cacheVersion, indexFormatVersion: schema, revision: revision,
                              name: name, entries: entries, errors: errors)
    }

    /// One index line (a published version): its entry and the crate name it gives, or why not.
    public static func entry(_ line: [UInt8], key: String?) -> Result<(IndexCacheEntry, String?), NerqError> {
        let value: JSONValue
        do throws(NerqError) {
            value = try JSONParser.parse(line)
        } catch {
            return .failure(NerqError(.parseError, "invalid JSON: \(error.message)"))
        }
        guard case .object(let o) = value else { return .failure(NerqError(.parseError, "expected a JSON object")) }
        var entry = IndexCacheEntry(version: key ?? "", yanked: false, published: nil, rustVersion: nil, schema: 1, checksum: nil)
        if case .string(let vers)? = o["vers"] { entry.version = vers }
        guard !entry.version.isEmpty else { return .failure(NerqError(.parseError, "no \"vers\"")) }
        switch o["yanked"] {
        case .bool(let y)?: entry.yanked = y
        case nil, .null?: break
        default: return .failure(NerqError(.parseError, "\"yanked\" is not a boolean"))
        }
        if case .string(let p)? = o["pubtime"] {
            guard let t = Timestamp.parse(p) else {
                return .failure(NerqError(.parseError, "\"pubtime\" is not an RFC 3339 time: \"\(p)\""))
            }
            entry.published = t
        }
        if case .string(let rv)? = o["rust_version"] { entry.rustVersion = rv }
        if case .int(let v)? = o["v"] { entry.schema = v }
        if case .string(let c)? = o["cksum"] { entry.checksum = c }
        if case .string(let l)? = o["links"] { entry.links = l }
        for key in ["features", "features2"] {
            guard case .object(let features)? = o[key] else { continue }
            for (feature, list) in features.entries {
                guard case .array(let items) = list else { continue }
                entry.features.append(IndexFeature(name: feature, enables: items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }))
            }
        }
        if case .array(let deps)? = o["deps"] {
            for d in deps {
                guard case .object(let dep) = d, case .string(let depName)? = dep["name"] else { continue }
                func text(_ k: String) -> String? { if case .string(let s)? = dep[k] { return s } else { return nil } }
                func flag(_ k: String, _ otherwise: Bool) -> Bool { if case .bool(let b)? = dep[k] { return b } else { return otherwise } }
                var features: [String] = []
                if case .array(let f)? = dep["features"] { features = f.compactMap { if case .string(let s) = $0 { return s } else { return nil } } }
                entry.dependencies.append(IndexDependency(name: depName, requirement: text("req") ?? "*", kind: text("kind") ?? "normal",
                                                          optional: flag("optional", false), defaultFeatures: flag("default_features", true),
                                                          features: features, target: text("target"), package: text("package"),
                                                          registry: text("registry")))
            }
        }
        var crateName: String?
        if case .string(let n)? = o["name"] { crateName = n }
        return .success((entry, crateName))
    }

    /// cargo's cache file for a sparse index file (cache version 3, index schema 2): `revision` is
    /// `etag: <ETag>`, `last-modified: <date>` or `Unknown`, as cargo writes it, so cargo could
    /// read what nerq caches and nerq reads both with one reader. Lines that are not index entries
    /// are left out (as cargo does) and returned with their line numbers.
    public static func encode(indexFile: [UInt8], revision: String) -> (bytes: [UInt8], skipped: [String]) {
        var out: [UInt8] = [3, 2, 0, 0, 0]
        out += Array(revision.utf8.filter { $0 != 0 }) + [0]
        var skipped: [String] = []
        var lineNumber = 0
        var start = 0
        while start < indexFile.count {
            var end = start
            while end < indexFile.count, indexFile[end] != 0x0A { end += 1 }
            lineNumber += 1
            let line = Array(indexFile[start..<end])
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            switch entry(line, key: nil) {
            case .success(let (e, _)) where !line.contains(0) && !e.version.utf8.contains(0):
                out += Array(e.version.utf8) + [0] + line + [0]
            case .success:
                skipped.append("line \(lineNumber): holds a NUL byte")
            case .failure(let why):
                skipped.append("line \(lineNumber): \(why.message)")
            }
        }
        return (out, skipped)
    }

    /// Registry signals from one crate's cache: versions, yanked versions, the scored version's
    /// yanked flag and publication time, first/latest publication (when `pubtime` is recorded),
    /// and the latest version (highest non-yanked stable, as crates.io's default).
    public static func signals(_ file: IndexCacheFile, version: String?) -> RegistrySignals {
        var r = RegistrySignals()
        r.versions = Int64(file.entries.count)
        r.yankedVersions = Int64(file.entries.filter(\.yanked).count)
        let times = file.entries.compactMap(\.published)
        r.firstRelease = times.min()
        r.latestRelease = times.max()
        var best: (rank: (Bool, Bool, Int), version: Version?, text: String)?
        for e in file.entries {
            let parsed = try? Version.parse(e.version)
            let key = (!e.yanked, parsed.map { $0.pre.isEmpty } ?? false, parsed == nil ? 0 : 1)
            if let b = best {
                if key.0 != b.rank.0 { if key.0 { best = (key, parsed, e.version) }; continue }
                if key.1 != b.rank.1 { if key.1 { best = (key, parsed, e.version) }; continue }
                if key.2 != b.rank.2 { if key.2 > b.rank.2 { best = (key, parsed, e.version) }; continue }
                if let p = parsed, let q = b.version, Version.compareIncludingBuild(p, q) > 0 { best = (key, parsed, e.version) }
            } else {
                best = (key, parsed, e.version)
            }
        }
        r.latestVersion = best?.text
        let target = version ?? best?.text
        if let target, let e = file.entries.first(where: { $0.version == target }) {
            r.yanked = e.yanked
            r.versionReleased = e.published
        }
        return r
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension String {
    /// Every `old` character replaced by `new` (ASCII names only).
    func replacingAll(_ old: Character, with new: Character) -> String {
        String(map { $0 == old ? new : $0 })
    }
}
