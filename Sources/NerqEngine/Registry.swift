import NerqAdvisories
import NerqCore
import NerqIO
import NerqRegistry
import NerqJSON
import NerqSemver

/// The engine's registry data: a store built from the crates.io database dump (docs/registry.md).
extension Engine {
    /// Opens `path` as a store, or, when it is a dump (a folder, or a `.tar.gz`/`.tgz` tarball),
    /// builds the store first at `storePath` (default: `~/.cache/nerq/registry-NAME.sqlite`) unless
    /// one is already there.
    static func openRegistry(_ path: String, storePath: String?, environment: Environment) throws(NerqError) -> RegistryStore {
        guard Files.exists(path) else { throw NerqError(.notFound, "no registry store or dump at \(path)", path: path) }
        let isDump = Files.isDirectory(path) || path.hasSuffix(".tar.gz") || path.hasSuffix(".tgz")
        guard isDump else { return try RegistryStore(path: path) }
        let store: String
        if let storePath { store = storePath } else { store = try defaultStorePath(forDump: path, environment: environment) }
        if !Files.exists(store) { _ = try RegistryIngest.buildIfMissing(dump: path, store: store) }
        return try RegistryStore(path: store)
    }

    static func defaultStorePath(forDump dump: String, environment: Environment) throws(NerqError) -> String {
        guard let base = environment.nerqCache else {
            throw NerqError(.invalidValue, "no HOME, XDG_CACHE_HOME or NERQ_CACHE_DIR to keep the registry store in; set registry_store", path: dump)
        }
        let trimmed = dump.hasSuffix("/") ? String(dump.dropLast()) : dump
        let name = String(trimmed.split(separator: "/").last ?? "dump").map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        try Files.makeDirectories(base)
        return base + "/registry-" + String(name) + ".sqlite"
    }

    /// What the registry data says of a package.
    enum RegistryLookup {
        /// Listed: its registry group, its name as published, the version the group describes
        /// (the default one when none was asked for), what it published of its manifest, and
        /// where the data came from.
        case found(RegistrySignals, name: String, version: String?, manifest: ManifestSignals?, via: String)
        /// Not listed in data that lists every crate (the database dump).
        case missing(via: String)
        /// No registry data that could say.
        case unknown
    }

    /// The registry data for a crate: the dump's store when the engine has one (which lists every
    /// crate as of its snapshot), else the sparse-index caches: cargo's
    /// (`~/.cargo/registry/index/*/.cache`) first, then nerq's fetched copies (versions, yanked
    /// flags, publish times). A crate or version the store lacks is looked up in the index caches
    /// too (it may be newer than the snapshot) and reported missing only when they lack it as
    /// well; a crate the caches lack may simply never have been fetched.
    func lookUpRegistry(_ package: PackageID) -> RegistryLookup {
        var missing: String?
        if let store = registry {
            if let record = try? store.record(name: package.name, version: package.version) {
                if record.versionFound {
                    return .found(record.signals, name: record.name, version: record.version, manifest: record.manifest, via: store.source)
                }
                missing = "\(store.source) (\(record.name) has no version \(package.version ?? ""))"
            } else {
                missing = store.source
            }
        }
        if let (path, file) = indexEntries(name: package.name) {
            var signals = CargoIndexCache.signals(file, version: package.version)
            let via = indexCacheLabel(path)
            signals.source = via
            return .found(signals, name: file.name ?? package.name, version: package.version ?? signals.latestVersion, manifest: nil, via: via)
        }
        return missing.map { .missing(via: $0) } ?? .unknown
    }

    /// Everything the index says of a crate (every version with its yanked flag, publication time,
    /// features, dependencies and rust_version), from the first cache that has it: cargo's, then
    /// nerq's. nil when no cache has it.
    public func indexEntries(name: String) -> (path: String, file: IndexCacheFile)? {
        for path in CargoIndexCache.locate(name: name, indexDirectories: data.indexDirectories) {
            guard let file = try? CargoIndexCache.read(path: path), !file.entries.isEmpty else { continue }
            return (path, file)
        }
        return nil
    }

    static let cargoIndexLabel = "cargo index cache "
    static let nerqIndexLabel = "nerq index cache "

    /// `cargo index cache PATH` or `nerq index cache PATH` (fetched by nerq_fetch).
    func indexCacheLabel(_ path: String) -> String {
        let ours = data.locations.indexDirectory.map { path.hasPrefix($0 + "/") } ?? false
        return (ours ? Engine.nerqIndexLabel : Engine.cargoIndexLabel) + path
    }

    /// The index cache file collected signals came from (for a result's freshness), if they did.
    static func indexFile(of s: Signals) -> String? {
        guard let via = s.registry?.source else { return nil }
        for label in [cargoIndexLabel, nerqIndexLabel] where via.hasPrefix(label) { return String(via.dropFirst(label.count)) }
        return nil
    }

    /// Up to five crates from the same categories and keywords that score better, for a package
    /// that is not verified (empty when it is, or without a registry).
    func alternatives(for report: Report, now: Timestamp) -> JSONValue? {
        guard !report.verified, let store = registry,
              let candidates = try? store.alternatives(for: report.package.name, limit: 10) else { return nil }
        var scored: [(Report, Alternative)] = []
        for candidate in candidates {
            var s = Signals(package: PackageID(name: candidate.name, version: candidate.record.version))
            s.registry = candidate.record.signals
            s.manifest = candidate.record.manifest
            if let db = advisories, let v = candidate.record.version, let version = try? Version.parse(v) {
                s.advisories = db.matching(package: candidate.name, version: version).map(\.signal)
            }
            let r = Methodology.score(s, policy: policy, now: now)
            if let mine = report.trustScore, let theirs = r.trustScore, theirs <= mine { continue }
            if r.trustScore == nil { continue }
            scored.append((r, candidate))
        }
        scored.sort { a, b in
            ((a.0.trustScore ?? 0), b.1.name) > ((b.0.trustScore ?? 0), a.1.name)
        }
        return .array(scored.prefix(5).map { r, c in
            var o = JSONObject(capacity: 8)
            o.append("name", .string(c.name))
            o.append("version", .optional(c.record.version))
            o.append("trust_score", .optional(r.trustScore))
            o.append("grade", .optional(r.grade?.rawValue))
            o.append("verdict", .string(r.verdict.level.rawValue))
            o.append("verified", .bool(r.verified))
            o.append("shared_categories", .strings(c.sharedCategories))
            o.append("shared_keywords", .strings(c.sharedKeywords))
            return .object(o)
        })
    }
}
