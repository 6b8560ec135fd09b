// The data an engine reads, where each piece came from and how fresh it is.
//
// Found when the engine is created: the advisory database (named, else cargo-audit's
// `~/.cargo/advisory-db`, else nerq's fetched copy), the OSV databases (named with `osv`, else the
// fetched export), the registry store (named with `registry`, else the store built from the
// fetched dump) and the sparse-index caches (cargo's, then nerq's). Every result then says, per
// source: where it is, where it came from, when it was fetched (the fetcher's record, or a git
// checkout's own files) and how new its newest entry is, with a warning once it is older than
// `max_staleness_days`.
//
// Age is counted from the last time the source was confirmed current (fetched or revalidated);
// data nerq has no fetch record for (a snapshot copied in by hand) is as old as its newest entry.
// The default of 90 days is cargo-audit's (rustsec `STALE_AFTER`) and cargo-deny's
// (`maximum-db-staleness = "P90D"`): long enough not to nag a project that is checked monthly,
// short enough that a database missing a season of advisories is called out.

import NerqAdvisories
import NerqCore
import NerqFetch
import NerqIO
import NerqJSON
import NerqRegistry

struct DataSources: Sendable {
    let locations: DataLocations
    let maxStalenessDays: Int64
    /// The advisory-db read (nil: none), and the OSV databases merged into it.
    let advisoryPath: String?
    let osvPaths: [String]
    /// The registry store, when the engine has one.
    let registryPath: String?
    /// The index caches the engine reads (cargo's registries, then nerq's), listed once when the
    /// engine is created: a look-up per package must not list directories.
    let indexDirectories: [String]

    static let defaultMaxStalenessDays: Int64 = 90
    /// Engine configuration keys read here (besides `advisory_db`, `registry`, `registry_store`).
    static let configKeys = ["cache_dir", "advisory_db_url", "osv_url", "index_url", "db_dump_url", "osv", "max_staleness_days"]

    init(locations: DataLocations, maxStalenessDays: Int64 = DataSources.defaultMaxStalenessDays, advisoryPath: String? = nil,
         osvPaths: [String] = [], registryPath: String? = nil) {
        self.locations = locations
        self.maxStalenessDays = maxStalenessDays
        self.advisoryPath = advisoryPath
        self.osvPaths = osvPaths
        self.registryPath = registryPath
        indexDirectories = locations.indexDirectories
    }

    /// What an engine configuration names (or the defaults find): the locations, the advisory
    /// data found (not read yet) and the registry store.
    static func read(_ o: ObjectReader, environment: Environment) throws(NerqError) -> (DataSources, AdvisorySource?, RegistryStore?) {
        let locations = try DataLocations.read(o, environment: environment)
        let maxDays = try o.optional("max_staleness_days")?.int(in: 1...36_500) ?? defaultMaxStalenessDays
        // An advisory_db that is named must exist; otherwise the default locations are tried.
        // Found and probed now (a database where nothing loads is a creation error), read in full
        // on first use; or, when this build wrote an index of it, read from that index on first
        // use if it is still current (AdvisorySource.Pending), which spares listing and probing it
        // now: assess starts that read on other cores while it parses the project.
        let index = locations.cacheDirectory.map { AdvisoryIndexCache(directory: Files.join($0, "advisory-index")) }
        func found(_ path: String) throws(NerqError) -> AdvisorySource.Pending {
            try Files.checkPath(path)
            if let index, index.hasIndex(path: path) { return .indexed(path: path) }
            let found = try AdvisoryDatabase.find(path: path)
            try found.probe()
            return .found(found)
        }
        var rustsec: AdvisorySource.Pending?
        let advisoryPath = locations.advisoryDBToRead
        if let path = advisoryPath {
            do {
                rustsec = try found(path)
            } catch {
                if let named = o.optional("advisory_db") { throw NerqError(error.code, "advisory_db: \(error.message)", path: named.path) }
                throw NerqError(error.code, "advisory database \(path) (found through NERQ_ADVISORY_DB, ~/.cargo/advisory-db or nerq's cache): \(error.message)",
                                path: path)
            }
        }
        // OSV databases: named (one path or a list), else the fetched export when it is there.
        var osvPaths: [String] = []
        if let named = o.optional("osv") {
            let list: [String]
            if case .array(let items) = named.value {
                list = try items.indices.map { k throws(NerqError) in try Files.path(JSONReader(items[k], path: named.path + "[\(k)]")) }
            } else {
                list = [try Files.path(named)]
            }
            osvPaths = list
        } else if let fetched = locations.osvDirectory, Files.isDirectory(fetched) {
            osvPaths = [fetched]
        }
        var osv: [AdvisorySource.Pending] = []
        for (k, path) in osvPaths.enumerated() {
            do {
                osv.append(try found(path))
            } catch {
                let at = o.optional("osv").map { r in { if case .array = r.value { return r.path + "[\(k)]" } else { return r.path } }() }
                throw NerqError(error.code, "osv: \(error.message)", path: at ?? path)
            }
        }
        // The registry: named, else the store built from the fetched dump.
        var registry: RegistryStore?
        var registryPath: String?
        if let r = o.optional("registry") {
            let storePath = try o.optional("registry_store").map { v throws(NerqError) in try Files.path(v) }
            let dump = try Files.path(r)
            do {
                registry = try Engine.openRegistry(dump, storePath: storePath, environment: environment)
            } catch {
                throw NerqError(error.code, "registry: \(error.message)", path: r.path)
            }
            registryPath = registry?.path
        } else if let store = locations.dumpStore, Files.exists(store) {
            do {
                registry = try RegistryStore(path: store)
            } catch {
                throw NerqError(error.code, "the registry store built from the fetched dump: \(error.message)", path: store)
            }
            registryPath = store
        }
        let advisories = rustsec != nil || !osv.isEmpty ? AdvisorySource(found: rustsec, osv: osv, cache: index) : nil
        let data = DataSources(locations: locations, maxStalenessDays: maxDays, advisoryPath: rustsec == nil ? nil : advisoryPath,
                               osvPaths: osvPaths, registryPath: registryPath)
        return (data, advisories, registry)
    }

    // MARK: - Freshness

    /// One source's provenance and age.
    struct Freshness {
        var source: String
        var path: String
        /// git (a checkout), fetched (nerq's fetch record), local (neither: put there by hand).
        var origin: String
        var url: String?
        var fetchedAt: Timestamp?
        var checkedAt: Timestamp?
        var newestEntry: String?
        var extra: [(String, JSONValue)] = []

        /// When the data was last known current: confirmed by its server, else its newest entry.
        var reference: Timestamp? { checkedAt ?? fetchedAt ?? newestEntry.flatMap { Timestamp.parse($0) } }

        func ageDays(_ now: Timestamp) -> Int64? { reference.map { max(0, $0.days(until: now)) } }

        func json(now: Timestamp, maxDays: Int64) -> JSONValue {
            var o = JSONObject(capacity: 12)
            o.append("source", .string(source))
            o.append("path", .string(path))
            o.append("origin", .string(origin))
            o.append("url", .optional(url))
            o.append("fetched_at", .optional(fetchedAt?.description))
            o.append("checked_at", .optional(checkedAt?.description))
            o.append("newest_entry", .optional(newestEntry))
            let age = ageDays(now)
            o.append("age_days", age.map { .int($0) } ?? .null)
            o.append("stale", .bool(age.map { $0 > maxDays } ?? false))
            for (k, v) in extra { o.append(k, v) }
            return .object(o)
        }

        func warning(now: Timestamp, maxDays: Int64) -> String? {
            guard let age = ageDays(now), age > maxDays else { return nil }
            let basis: String
            if let checked = checkedAt ?? fetchedAt {
                basis = "last fetched \(checked.dateString)"
            } else if let newest = newestEntry {
                basis = "newest entry \(newest.prefix(10)); never fetched by nerq"
            } else {
                basis = "date unknown"
            }
            return "\(source) at \(path) is \(age) days old (\(basis)), older than max_staleness_days (\(maxDays)): run `cargo nerq fetch` (or nerq_fetch) to update it"
        }
    }

    /// Provenance of a directory or file a fetcher may have written: a git checkout's own files, or
    /// the fetch record beside it.
    static func provenance(_ path: String, source: String) -> Freshness {
        if let git = GitCheckoutInfo.read(path) {
            return Freshness(source: source, path: path, origin: "git", url: git.origin, fetchedAt: git.fetchedAt)
        }
        if let record = try? FetchRecord.read(for: path) {
            return Freshness(source: source, path: path, origin: "fetched", url: record.url, fetchedAt: record.fetchedAt,
                             checkedAt: record.checkedAt, newestEntry: record.newestEntry)
        }
        return Freshness(source: source, path: path, origin: "local")
    }
}

extension Engine {
    /// The advisory sources' freshness (the database must be read: its newest entry is part of it).
    func advisoryFreshness() -> [DataSources.Freshness] {
        guard let source = advisorySource else { return [] }
        let state = source.state
        var out: [DataSources.Freshness] = []
        if let path = data.advisoryPath ?? (state.newestOSV.isEmpty && !state.database.path.isEmpty ? state.database.path : nil) {
            var f = DataSources.provenance(path, source: "advisory_db")
            f.newestEntry = state.newestRustSec ?? f.newestEntry
            out.append(f)
        }
        for (k, path) in data.osvPaths.enumerated() {
            var f = DataSources.provenance(path, source: "osv")
            if k < state.newestOSV.count { f.newestEntry = state.newestOSV[k] ?? f.newestEntry }
            if k < state.osvCounts.count { f.extra.append(("records", .int(Int64(state.osvCounts[k])))) }
            out.append(f)
        }
        return out
    }

    /// Every source's freshness: advisories, the registry store, and (for the index) the cache
    /// files `indexFiles` a result used.
    func freshness(indexFiles: [String]) -> [DataSources.Freshness] {
        var out = advisoryFreshness()
        if let store = registry, let path = data.registryPath {
            var f = DataSources.provenance(path, source: "registry")
            f.newestEntry = store.snapshotTime.description
            out.append(f)
        }
        if !indexFiles.isEmpty {
            // The index files are checked one by one (their mtime is when they were last written or
            // revalidated); the oldest one used speaks for them.
            let times = indexFiles.compactMap { Files.info($0)?.modified }.map { Timestamp(seconds: $0 / 1_000_000_000) }
            let ours = data.locations.indexDirectory.map { d in indexFiles.filter { $0.hasPrefix(d + "/") }.count } ?? 0
            var f = DataSources.Freshness(source: "index", path: data.locations.indexDirectory ?? "", origin: "cache",
                                          url: ours > 0 ? data.locations.indexURL : nil, checkedAt: times.min())
            f.extra = [("packages", .int(Int64(indexFiles.count))), ("from_cargo_cache", .int(Int64(indexFiles.count - ours))),
                       ("from_nerq_cache", .int(Int64(ours)))]
            out.append(f)
        }
        return out
    }

    /// `sources` and `warnings` for a result at `now`.
    func freshnessJSON(now: Timestamp, indexFiles: [String]) -> (sources: JSONValue, warnings: [String]) {
        let all = freshness(indexFiles: indexFiles)
        return (.array(all.map { $0.json(now: now, maxDays: data.maxStalenessDays) }),
                all.compactMap { $0.warning(now: now, maxDays: data.maxStalenessDays) })
    }

    /// Adds `sources` and `warnings` to a score or preflight document, when the engine has data.
    func withFreshness(_ doc: JSONValue, now: Timestamp, indexFiles: [String]) -> JSONValue {
        guard advisorySource != nil || registry != nil || !indexFiles.isEmpty, case .object(var o) = doc else { return doc }
        let (sources, warnings) = freshnessJSON(now: now, indexFiles: indexFiles)
        o.append("sources", sources)
        o.append("warnings", .strings(warnings))
        return .object(o)
    }
}
