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

    /// The registry group (and, when nothing better is known, the manifest) for a crate: from the
    /// dump's store when the engine has one, else from cargo's local index cache
    /// (`~/.cargo/registry/index/*/.cache`: versions, yanked flags, publish times).
    func collectRegistry(_ s: inout Signals) {
        guard s.registry == nil, s.package.ecosystem == "crates.io" else { return }
        guard let store = registry, let record = try? store.record(name: s.package.name, version: s.package.version) else {
            collectIndexCache(&s)
            return
        }
        s.registry = record.signals
        // A request that names no version is about the crate's default (current) version.
        if s.package.version == nil, let v = record.version { s.package.version = v }
        if s.manifest == nil {
            s.manifest = record.manifest
        }
    }

    func collectIndexCache(_ s: inout Signals) {
        for path in CargoIndexCache.locate(name: s.package.name, cargoHome: environment.cargoHome) {
            guard let file = try? CargoIndexCache.read(path: path), !file.entries.isEmpty else { continue }
            var signals = CargoIndexCache.signals(file, version: s.package.version)
            signals.source = "cargo index cache \(path)"
            s.registry = signals
            return
        }
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
