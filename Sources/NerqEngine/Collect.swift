import NerqAdvisories
import NerqCore
import NerqIO
import NerqRegistry
import NerqSemver

/// What a project knows about one of its packages (assess); score and preflight know nothing more
/// than the request.
struct PackageContext: Sendable {
    /// Where cargo metadata says the crate's Cargo.toml is.
    var manifestPath: String?
    /// The manifest cargo metadata reported.
    var manifest: ManifestSignals?
    /// Cargo.lock records crates.io's checksum for it: cargo fetched it from there.
    var lockfileChecksum = false
    /// Only a crates.io package is matched against advisories and looked up in registry data.
    var fromRegistry = true
    /// Target platforms (an advisory limited to other platforms does not apply); empty: all.
    var targetOS: [String] = []
    var targetArch: [String] = []
    var vendorDirs: [String] = []

    static let none = PackageContext()
}

extension Engine {
    /// The one way a package's signals are gathered, for score, preflight and assess alike, so
    /// the same package@version on the same engine gets the same dimensions and Trust Score from
    /// every call. What the request gives always wins; what is collected comes, group by group:
    ///
    /// - name: as given; spelled as crates.io spells it when the registry data or the crate's own
    ///   Cargo.toml on disk knows it (crates.io compares names case-insensitively, `-` == `_`);
    /// - registry: the database dump's store, else cargo's index cache;
    /// - advisories: the engine's database (those published by `now`; an advisory published
    ///   later was not known then), with the crate's earlier advisories as its history;
    /// - source: the crate's own source on disk, scanned once per engine (cached by its files'
    ///   paths, sizes and modification times);
    /// - manifest: cargo metadata's, else the crate's own Cargo.toml on disk, else the registry's;
    /// - existence: the registry data (which can also say the crate is not there), else the
    ///   source on disk, else Cargo.lock's crates.io checksum. Evidence that it exists wins over
    ///   a snapshot that does not list it (the crate may be newer than the snapshot).
    ///
    /// `local`: the source scan when the caller already has it (assess scans all its packages in
    /// parallel first); `.none` scans here when sources are scanned at all.
    func collect(_ given: Signals, context: PackageContext = .none, local: LocalSources.Found?? = .none, now: Timestamp) -> Signals {
        var s = given
        guard s.package.ecosystem == "crates.io" else { return s }
        s.fromRegistry = context.fromRegistry
        var existsVia: String?
        var missingFrom: String?
        var registryManifest: ManifestSignals?

        // Registry data (and with it the crate's name as the registry spells it).
        if context.fromRegistry {
            switch lookUpRegistry(s.package) {
            case .found(let signals, let name, let version, let manifest, let via):
                s.package.name = name
                if s.package.version == nil { s.package.version = version }
                if s.registry == nil { s.registry = signals }
                registryManifest = manifest
                existsVia = via
            case .missing(let via):
                missingFrom = via
            case .unknown:
                break
            }
        }

        // The crate's own source and Cargo.toml.
        var found: LocalSources.Found?
        switch local {
        case .some(let f): found = f
        case .none:
            if scanSources, let version = s.package.version, s.source == nil || s.manifest == nil {
                found = scanCache.scan([LocalSources.Wanted(name: s.package.name, version: version, manifestPath: context.manifestPath,
                                                           license: context.manifest?.license ?? s.manifest?.license)],
                                       vendorDirs: context.vendorDirs, cargoSources: cargoSourceDirectories).first ?? nil
            }
        }
        if let found {
            if let name = found.name, !context.fromRegistry || existsVia == nil { s.package.name = name }
            if s.source == nil { s.source = found.scan.signals }
            if existsVia == nil { existsVia = "source on disk (\(found.scan.directory))" }
        }
        if s.manifest == nil { s.manifest = context.manifest ?? found?.manifest ?? registryManifest }

        // Advisories, under the name as the registry spells it.
        if s.advisories == nil, context.fromRegistry, let db = advisories {
            let known = Engine.knownBy(now)
            if let v = s.package.version, let version = try? Version.parse(v) {
                let affecting = db.matching(package: s.package.name, version: version, targetOS: context.targetOS,
                                          targetArch: context.targetArch)
                    .filter(known)
                s.advisories = affecting.map(\.signal)
                if s.history == nil {
                    let ids = Set(affecting.map(\.id))
                    let earlier = db.advisories(forPackage: s.package.name)
                        .filter { $0.withdrawn == nil && !ids.contains($0.id) && known($0) && $0.collection == .crates }
                        .sorted { ($0.date ?? "", $0.id) < ($1.date ?? "", $1.id) }
                    s.history = AdvisoryHistory(ids: earlier.map(\.id))
                }
            }
        }

        if s.existence == nil {
            if existsVia == nil && context.lockfileChecksum { existsVia = "Cargo.lock (crates.io checksum)" }
            if let via = existsVia {
                s.existence = Existence(known: true, via: via)
            } else if let from = missingFrom {
                s.existence = Existence(known: false, via: from)
            }
        }
        return s
    }

    /// Whether an advisory was published by `now` (undated ones always were).
    static func knownBy(_ now: Timestamp) -> (AdvisoryRecord) -> Bool {
        let day = now.dateString
        return { record in (record.date.map { $0 <= day } ?? true) }
    }
}
