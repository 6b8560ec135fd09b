// Answers per-crate questions from a store built by `RegistryIngest`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqCore
import NerqIO
import NerqJSON

/// Everything the store knows about one crate and one of its versions.
public struct RegistryRecord: Sendable, Equatable {
    /// The crate's name as published (a lookup by `serde-json` finds `serde_json`).
    public var name: String
    /// The version the version-level signals describe: the one asked for, or the crate's default
    /// version when none was asked for. nil when the version asked for is not in the registry.
    public var version: String?
    /// False when a version was asked for and the registry does not have it.
    public var versionFound: Bool
    /// The `registry` group.
    public var signals: RegistrySignals
    /// What the registry published from the crate's Cargo.toml: the scored version's license,
    /// edition, rust-version (and its own keywords/categories when the dump has them), the
    /// crate's description, links and README presence (crate-level: as of its latest upload).
    /// For the `manifest` group when nothing better (the crate's own Cargo.toml) is at hand.
    public var manifest: ManifestSignals
    /// The repository URL the crate declares (for a repository collector).
    public var repositoryURL: String?
    /// Where the data came from: `crates.io database dump 2026-11-20-020004` (also in
    /// `signals.source`, which the `registry` group echoes).
    public var source: String
}

/// A crate that could replace another: same categories or keywords, ranked by a popularity and
/// recency proxy. The engine scores each with the methodology (`record.signals`).
public struct Alternative: Sendable, Equatable {
    public var name: String
    public var record: RegistryRecord
    public var sharedCategories: [String]
    public var sharedKeywords: [String]
    /// 2 per shared category + 1 per shared keyword.
    public var relevance: Int
    /// The stored proxy (0–100): 0.5 × downloads percentile + 0.3 × reverse-dependencies
    /// percentile + 20 × recency.
    public var proxy: Double
    /// proxy × relevance / (relevance + 1), rounded to 2 decimals: the order of the list (ties:
    /// the older crate first).
    public var rank: Double
}

public final class RegistryStore: @unchecked Sendable {
    // One connection; its statements are used under `lock`, so any thread may call in.
    private let db: SQLiteDB
    private let lock = Mutex()
    private let byName: SQLiteStatement
    private let byCanon: SQLiteStatement
    private let versionByNum: SQLiteStatement
    private let topCategory: SQLiteStatement
    private let topKeyword: SQLiteStatement
    private let nameById: SQLiteStatement
    /// Candidates per shared category or keyword: its best crates by proxy.
    public static let candidatesPerTopic = 1000
    public let path: String
    /// The snapshot's time (the dump's `metadata.json` timestamp, else its newest publication).
    public let snapshotTime: Timestamp
    /// `crates.io database dump <snapshot>`.
    public let source: String
    /// The tables the dump had (sorted).
    public let tables: [String]
    /// The ingest summary stored with the data.
    public let summaryJSON: String?

    static let crateColumns = """
        id, name, description, repository, documentation, homepage, downloads, recent_downloads, downloads_pct,
        rev_deps, rev_deps_pct, versions, yanked_versions, first_release, latest_release, default_version_id,
        latest_version, owners, team_owners, categories, keywords, proxy, has_readme,
        latest_version, dv_created_at, dv_yanked, dv_license, dv_edition, dv_rust_version, dv_categories, dv_keywords
        """

    public init(path: String) throws(NerqError) {
        guard Files.kind(path) == .file else { throw NerqError(.notFound, "no registry store at \(path)", path: path) }
        self.path = path
        let database = try SQLiteDB(path: path, readOnly: true, immutable: true)
        db = database
        // A page cache large enough for the indexes' inner pages and the hot rows (default 2 MB).
        try database.exec("PRAGMA cache_size = -32768")
        func meta(_ key: String) throws(NerqError) -> String? {
            let s = try database.prepare("SELECT value FROM meta WHERE key = ?1")
            s.bind(1, key)
            return try s.step() ? s.text(0) : nil
        }
        let format: String?
        do throws(NerqError) {
            format = try meta("format")
        } catch {
            throw NerqError(.invalidValue, "\(path) is not a nerq registry store (\(error.message))", path: path)
        }
        guard format == StoreSchema.format else {
            throw NerqError(.unsupportedVersion, "\(path): registry store format \(format ?? "none"), this nerq reads \(StoreSchema.format); rebuild it from the dump", path: path)
        }
        snapshotTime = Timestamp(seconds: Int64(try meta("snapshot_time") ?? "") ?? 0)
        var snapshot = try meta("snapshot")
        if snapshot == nil { snapshot = try meta("timestamp") }
        source = "crates.io database dump \(snapshot ?? "(unknown snapshot)")"
        var tables: [String] = []
        if let t = try meta("tables"), case .array(let items)? = try? JSONParser.parse(t) {
            for case .string(let s) in items { tables.append(s) }
        }
        self.tables = tables
        summaryJSON = try meta("summary")
        byName = try database.prepare("SELECT \(RegistryStore.crateColumns) FROM crates WHERE name = ?1")
        byCanon = try database.prepare("SELECT \(RegistryStore.crateColumns) FROM crates WHERE canon = ?1 ORDER BY id LIMIT 1")
        versionByNum = try database.prepare("SELECT num, created_at, yanked, license, edition, rust_version, categories, keywords FROM versions WHERE crate_id = ?1 AND num = ?2 ORDER BY id LIMIT 1")
        topCategory = try database.prepare(
            "SELECT crate_id, proxy FROM crate_categories WHERE slug = ?1 AND ok = 1 ORDER BY proxy DESC, crate_id LIMIT ?2")
        topKeyword = try database.prepare(
            "SELECT crate_id, proxy FROM crate_keywords WHERE keyword = ?1 AND ok = 1 ORDER BY proxy DESC, crate_id LIMIT ?2")
        nameById = try database.prepare("SELECT name FROM crates WHERE id = ?1")
    }

    /// crates.io's notion of the same name: ASCII lower case, `-` and `_` alike.
    public static func canonical(_ name: String) -> String {
        var bytes = Array(name.utf8)
        for i in bytes.indices {
            let c = bytes[i]
            if c >= 0x41 && c <= 0x5A { bytes[i] = c + 0x20 } else if c == 0x2D { bytes[i] = 0x5F }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The registry signals of `name` at `version` (nil: the crate's default version), or nil when
    /// the crate is not in the registry.
    public func signals(name: String, version: String?) throws(NerqError) -> RegistrySignals? {
        try record(name: name, version: version)?.signals
    }

    public func record(name: String, version: String?) throws(NerqError) -> RegistryRecord? {
        try lock.locked { () throws(NerqError) -> RegistryRecord? in try recordLocked(name: name, version: version) }
    }

    /// A JSON array of strings as the ingest wrote it. Plain elements (no escapes) are cut out
    /// directly; anything else goes through the JSON parser.
    static func strings(_ json: String?) -> [String]? {
        guard var json else { return nil }
        let fast: [String]? = json.withUTF8 { b -> [String]? in
            guard b.count >= 2, b[0] == 0x5B, b[b.count - 1] == 0x5D else { return nil }
            var out: [String] = []
            var i = 1
            let end = b.count - 1
            if i == end { return [] }
            while i < end {
                guard b[i] == 0x22 else { return nil }
                var j = i + 1
                while j < end, b[j] != 0x22 {
                    if b[j] == 0x5C { return nil }
                    j += 1
                }
                guard j < end else { return nil }
                out.append(String(decoding: UnsafeBufferPointer(rebasing: b[(i + 1)..<j]), as: UTF8.self))
                i = j + 1
                if i < end {
                    guard b[i] == 0x2C else { return nil }
                    i += 1
                }
            }
            return out
        }
        if let fast { return fast }
        guard case .array(let items)? = try? JSONParser.parse(json) else { return nil }
        var out: [String] = []
        for case .string(let s) in items { out.append(s) }
        return out
    }

    private func recordLocked(name: String, version: String?) throws(NerqError) -> RegistryRecord? {
        var c = byName
        c.reset()
        c.bind(1, name)
        if try !c.step() {
            c.reset()
            c = byCanon
            c.reset()
            c.bind(1, RegistryStore.canonical(name))
            guard try c.step() else {
                c.reset()
                return nil
            }
        }
        defer { c.reset() }
        var r = RegistrySignals()
        let crateId = c.int(0) ?? 0
        let crateName = c.text(1) ?? name
        r.downloads = c.int(6)
        r.recentDownloads = c.int(7)
        r.downloadsPercentile = c.double(8)
        r.reverseDependencies = c.int(9)
        r.reverseDependenciesPercentile = c.double(10)
        r.versions = c.int(11)
        r.yankedVersions = c.int(12)
        r.firstRelease = c.int(13).map { Timestamp(seconds: $0) }
        r.latestRelease = c.int(14).map { Timestamp(seconds: $0) }
        let defaultVersionId = c.int(15)
        r.latestVersion = c.text(16)
        r.owners = c.int(17)
        r.teamOwners = c.int(18)
        r.categories = RegistryStore.strings(c.text(19))
        r.keywords = RegistryStore.strings(c.text(20))
        r.repository = c.text(3) != nil
        r.documentation = c.text(4) != nil
        r.homepage = c.text(5) != nil
        r.source = source
        var m = ManifestSignals()
        m.description = c.text(2)
        m.repository = c.text(3)
        m.documentation = c.text(4)
        m.homepage = c.text(5)
        m.readme = (c.int(22) ?? 0) != 0
        m.keywords = r.keywords
        m.categories = r.categories
        var record = RegistryRecord(name: crateName, version: nil, versionFound: true, signals: r, manifest: m,
                                    repositoryURL: c.text(3), source: source)
        // The default version's fields are in the crate's row; another version is one more read.
        let v: SQLiteStatement
        var base: Int32 = 23
        if let version, version != r.latestVersion {
            v = versionByNum
            v.reset()
            v.bind(1, crateId)
            v.bind(2, version)
            base = 0
        } else {
            v = c
        }
        defer { if base == 0 { v.reset() } }
        let found = base == 0 ? try v.step() : defaultVersionId != nil
        if found {
            record.version = v.text(base)
            record.signals.versionReleased = v.int(base + 1).map { Timestamp(seconds: $0) }
            record.signals.yanked = v.int(base + 2).map { $0 != 0 }
            record.manifest.license = v.text(base + 3)
            // Editions nerq knows (the signals reader rejects others).
            record.manifest.edition = v.text(base + 4).flatMap { ["2015", "2018", "2021", "2024"].contains($0) ? $0 : nil }
            record.manifest.rustVersion = v.text(base + 5)
            let ownCategories = RegistryStore.strings(v.text(base + 6)).map { Array(Set($0)).sorted() }
            let ownKeywords = RegistryStore.strings(v.text(base + 7)).map { Array(Set($0)).sorted() }
            // Without the crate-level tables, the version's own categories and keywords.
            if record.signals.categories == nil { record.signals.categories = ownCategories }
            if record.signals.keywords == nil { record.signals.keywords = ownKeywords }
            if let own = ownCategories, !own.isEmpty { record.manifest.categories = own }
            if let own = ownKeywords, !own.isEmpty { record.manifest.keywords = own }
        } else if version != nil {
            record.versionFound = false
        }
        return record
    }

    /// Up to `limit` crates that share categories or keywords with `name`, best first.
    ///
    /// Candidates: the `candidatesPerTopic` crates with the highest proxy in each category and
    /// keyword of the crate (crates whose default version is yanked are never candidates), other
    /// than the crate itself. A candidate shares at least one category or two keywords (one
    /// keyword when the crate itself has a single keyword and no category). Order: `rank`
    /// (proxy × relevance / (relevance + 1)) descending, then the older crate (lower crates.io id).
    public func alternatives(for name: String, limit: Int = 5) throws(NerqError) -> [Alternative] {
        guard limit > 0, let target = try record(name: name, version: nil) else { return [] }
        let cats = target.signals.categories ?? []
        let kws = target.signals.keywords ?? []
        guard !cats.isEmpty || !kws.isEmpty else { return [] }
        let threshold = min(2, 2 * cats.count + kws.count)
        var found: [(name: String, cats: [String], kws: [String], proxy: Double, relevance: Int, rank: Double)] = []
        try lock.locked { () throws(NerqError) in
            byName.reset()
            byName.bind(1, target.name)
            let targetId = try byName.step() ? byName.int(0) : nil
            byName.reset()
            var hits: [Int64: (cats: [String], kws: [String], proxy: Double)] = [:]
            for (topics, statement, isCategory) in [(cats, topCategory, true), (kws, topKeyword, false)] {
                for topic in topics {
                    statement.reset()
                    statement.bind(1, topic)
                    statement.bind(2, Int64(RegistryStore.candidatesPerTopic))
                    while try statement.step() {
                        guard let id = statement.int(0), id != targetId else { continue }
                        var h = hits[id] ?? ([], [], statement.double(1) ?? 0)
                        if isCategory { h.cats.append(topic) } else { h.kws.append(topic) }
                        hits[id] = h
                    }
                    statement.reset()
                }
            }
            var ranked: [(id: Int64, rank: Double, relevance: Int)] = []
            for (id, h) in hits {
                let relevance = 2 * h.cats.count + h.kws.count
                guard relevance >= threshold else { continue }
                ranked.append((id, (h.proxy * Double(relevance) / Double(relevance + 1) * 100).rounded() / 100, relevance))
            }
            ranked.sort { $0.rank != $1.rank ? $0.rank > $1.rank : $0.id < $1.id }
            for c in ranked.prefix(limit) {
                guard let h = hits[c.id] else { continue }
                nameById.reset()
                nameById.bind(1, c.id)
                let candidate = try nameById.step() ? nameById.text(0) : nil
                nameById.reset()
                guard let candidate else { continue }
                found.append((candidate, h.cats.sorted(), h.kws.sorted(), h.proxy, c.relevance, c.rank))
            }
        }
        var out: [Alternative] = []
        for f in found {
            guard let rec = try record(name: f.name, version: nil) else { continue }
            out.append(Alternative(name: f.name, record: rec, sharedCategories: f.cats, sharedKeywords: f.kws,
                                   relevance: f.relevance, proxy: f.proxy, rank: f.rank))
        }
        return out
    }
}

/// How alternatives are ranked (stored per crate at ingest, documented in docs/registry.md).
public enum Alternatives {
    /// 1 when the latest release is within a year of the snapshot, falling linearly to 0 at three
    /// years; 0 when the crate has no release.
    public static func recency(latest: Int64?, snapshot: Int64) -> Double {
        guard let latest else { return 0 }
        let days = Double(snapshot - latest) / 86400
        if days <= 365 { return 1 }
        return max(0, min(1, 1 - (days - 365) / 730))
    }

    /// 0.5 × downloads percentile + 0.3 × reverse-dependencies percentile + 20 × recency,
    /// rounded to 2 decimals. An unknown percentile counts 0.
    public static func proxy(downloadsPercentile: Double?, reverseDependenciesPercentile: Double?, recency: Double) -> Double {
        let p = 0.5 * (downloadsPercentile ?? 0) + 0.3 * (reverseDependenciesPercentile ?? 0) + 20 * recency
        return (p * 100).rounded() / 100
    }
}

/// A pthread mutex (the store's statements are shared by the threads of one engine).
final class Mutex: @unchecked Sendable {
    private let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(m, nil) }

    deinit {
        pthread_mutex_destroy(m)
        m.deallocate()
    }

    func locked<R>(_ body: () throws(NerqError) -> R) throws(NerqError) -> R {
        pthread_mutex_lock(m)
        defer { pthread_mutex_unlock(m) }
        return try body()
    }
}
