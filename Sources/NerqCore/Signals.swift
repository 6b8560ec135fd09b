/// What is known about one package version: the `nerq.signals` document.
import NerqJSON
///
/// Every group is optional, and an absent group means "not looked at", never "nothing found":
/// `advisories: []` says the advisory database was checked and nothing affects this version,
/// while no `advisories` key says nobody checked.
public struct Signals: Sendable, Equatable {
    public var package: PackageID
    public var now: Timestamp?
    public var advisories: [Advisory]?
    public var registry: RegistrySignals?
    public var repository: RepositorySignals?
    public var source: SourceSignals?
    public var manifest: ManifestSignals?
    /// Whether the package is known to exist, and from what (nil: nothing said either way).
    public var existence: Existence?
    /// False for a package that does not come from a registry (a workspace member, a path or git
    /// dependency): registry advisories do not apply to it, so not checking them is no gap.
    public var fromRegistry = true
    /// Advisories of the same crate that do not affect this version, published by `now`: its
    /// advisory history (nil: not checked).
    public var history: AdvisoryHistory?
    /// Dimension scores computed elsewhere; used as given.
    public var dimensions: [Dimension: Double]
    /// The groups the request gave, as it gave them (echoed in the report's `signals`; collected
    /// groups are written from their typed values, see `groupsJSON`).
    public var given: JSONObject
    /// Keys the reader did not know (ignored, and listed in the report).
    public var ignoredKeys: [String]

    public init(package: PackageID, now: Timestamp? = nil, advisories: [Advisory]? = nil,
                registry: RegistrySignals? = nil, repository: RepositorySignals? = nil,
                source: SourceSignals? = nil, manifest: ManifestSignals? = nil,
                dimensions: [Dimension: Double] = [:], given: JSONObject = JSONObject(), ignoredKeys: [String] = []) {
        self.package = package
        self.now = now
        self.advisories = advisories
        self.registry = registry
        self.repository = repository
        self.source = source
        self.manifest = manifest
        self.dimensions = dimensions
        self.given = given
        self.ignoredKeys = ignoredKeys
    }
}

public struct PackageID: Sendable, Hashable {
    public var ecosystem: String
    public var name: String
    public var version: String?

    public init(ecosystem: String = "crates.io", name: String, version: String?) {
        self.ecosystem = ecosystem
        self.name = name
        self.version = version
    }

    public var json: JSONValue {
        var sink = JSONTreeSink()
        write(to: &sink)
        return sink.result
    }

    func write<S: JSONSink>(to s: inout S) {
        s.beginObject(capacity: 3)
        s.member("ecosystem", .string(ecosystem))
        s.member("name", .string(name))
        s.member("version", .optional(version))
        s.endObject()
    }

    /// `name@version` (or `name`).
    public var display: String { version.map { "\(name)@\($0)" } ?? name }
}

/// An advisory that affects the scored version.
public struct Advisory: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case vulnerability, unmaintained, unsound, notice, yanked, malicious
    }

    public var id: String
    public var kind: Kind
    /// Given, or derived from `cvss`; nil when neither says.
    public var severity: Severity?
    public var cvss: String?
    public var cvssScore: Double?
    public var title: String?
    /// The advisory's text (RustSec's Markdown body, OSV `details`): shown to people deciding what
    /// to do, and the source of the alternatives the advisory recommends (`AdvisoryText`).
    public var description: String?
    public var aliases: [String]
    public var patched: [String]
    public var url: String?
    public var date: String?
    public var withdrawn: String?
    /// `[affected] functions`: the paths the advisory names (`crate::module::Type::method`), each
    /// with the versions it applies to (empty: every affected version).
    public var functions: [AffectedFunction] = []
    /// `[affected] os` and `arch` (empty: every platform).
    public var os: [String] = []
    public var arch: [String] = []

    public init(id: String, kind: Kind, severity: Severity? = nil, cvss: String? = nil, cvssScore: Double? = nil,
                title: String? = nil, description: String? = nil, aliases: [String] = [], patched: [String] = [],
                url: String? = nil, date: String? = nil, withdrawn: String? = nil) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.cvss = cvss
        self.cvssScore = cvssScore
        self.title = title
        self.description = description
        self.aliases = aliases
        self.patched = patched
        self.url = url
        self.date = date
        self.withdrawn = withdrawn
    }

    /// The id and every alias: what an ignore entry may name.
    public var names: [String] { [id] + aliases }
}

/// One `[affected] functions` entry of an advisory.
public struct AffectedFunction: Sendable, Equatable {
    public var path: String
    /// Version requirements (`< 1.2.1`); empty means every version the advisory affects.
    public var versions: [String]

    public init(path: String, versions: [String] = []) {
        self.path = path
        self.versions = versions
    }

    public var json: JSONValue { .object(JSONObject([("path", .string(path)), ("versions", .strings(versions))])) }
}

/// Severity of a vulnerability (CVSS qualitative rating) and of a finding (which adds `info`).
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case critical, high, medium, low, none, info

    /// Most severe first.
    public var rank: Int {
        switch self {
        case .critical: return 0
        case .high: return 1
        case .medium: return 2
        case .low: return 3
        case .none: return 4
        case .info: return 5
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    /// The CVSS v3/v4 qualitative rating of a base score.
    public static func fromCVSSScore(_ score: Double) -> Severity {
        if score >= 9.0 { return .critical }
        if score >= 7.0 { return .high }
        if score >= 4.0 { return .medium }
        if score > 0 { return .low }
        return .none
    }
}

/// What the registry knows about the crate and the scored version.
public struct RegistrySignals: Sendable, Equatable {
    public var downloads: Int64?
    public var recentDownloads: Int64?
    /// Percentile (0–100) of the crate's downloads among all crates of the registry snapshot.
    public var downloadsPercentile: Double?
    public var reverseDependencies: Int64?
    public var reverseDependenciesPercentile: Double?
    public var versions: Int64?
    public var yankedVersions: Int64?
    public var yanked: Bool?
    public var firstRelease: Timestamp?
    public var latestRelease: Timestamp?
    public var versionReleased: Timestamp?
    public var latestVersion: String?
    public var owners: Int64?
    public var teamOwners: Int64?
    public var categories: [String]?
    public var keywords: [String]?
    /// Whether the crate declares a source repository, a documentation link and a homepage on the
    /// registry (what crates.io shows; the URLs themselves belong to `manifest`/`repository`).
    public var repository: Bool?
    public var documentation: Bool?
    public var homepage: Bool?
    /// Where the data came from (`crates.io database dump 2026-11-20-020004`, `cargo index cache PATH`).
    public var source: String?

    public init() {}
}

/// Whether a package exists, and the evidence: the registry data lists it (or, for a complete
/// source such as the database dump, does not), its source is on disk, or cargo recorded
/// crates.io's checksum for it in Cargo.lock.
public struct Existence: Sendable, Equatable {
    public var known: Bool
    /// What says so: `crates.io database dump 2026-11-20-020004`, `source on disk PATH`, ...
    public var via: String

    public init(known: Bool, via: String) {
        self.known = known
        self.via = via
    }
}

/// The crate's earlier advisories: those of any version that do not affect the scored one.
public struct AdvisoryHistory: Sendable, Equatable {
    /// Their ids, oldest first.
    public var ids: [String]

    public init(ids: [String]) { self.ids = ids }
}

/// What the source repository shows.
public struct RepositorySignals: Sendable, Equatable {
    public var url: String?
    public var archived: Bool?
    public var stars: Int64?
    public var forks: Int64?
    public var contributors: Int64?
    public var lastCommit: Timestamp?
    public var securityPolicy: Bool?

    public init() {}
}

/// What the crate's own source shows (the scanner's group). Its JSON form, and the reading of it,
/// come from one table (`SourceSignals.fields`): a new scanner signal is a property here and a
/// row there.
public struct SourceSignals: Sendable, Equatable {
    /// The crate directory scanned.
    public var path: String?
    /// Set when the directory could not be scanned at all.
    public var error: String?
    public var files: Int64?
    public var linesCode: Int64?
    /// The part of `linesCode` that is test code (tests, benches, examples, `#[cfg(test)]`).
    public var linesCodeTests: Int64?
    public var linesComment: Int64?
    public var linesBlank: Int64?
    public var unsafeBlocks: Int64?
    public var unsafeFns: Int64?
    public var unsafeImpls: Int64?
    public var unsafeTraits: Int64?
    public var unsafeExterns: Int64?
    /// Unsafe code in test code: counted apart, never as the crate's own.
    public var unsafeInTests: Int64?
    public var forbidsUnsafe: Bool?
    public var deniesUnsafe: Bool?
    public var deniesUnsafeOpInUnsafeFn: Bool?
    public var buildScript: Bool?
    public var procMacro: Bool?
    public var capabilities: [String]?
    public var tests: Int64?
    public var testFns: Int64?
    public var examples: Int64?
    public var benches: Int64?
    public var hasReadme: Bool?
    public var licenseFiles: Int64?
    public var licenseFileNames: [String]?
    public var licensesDetected: [String]?
    public var licenseMatches: Bool?
    public var docCoverage: Double?
    public var pubItems: Int64?
    public var documentedPubItems: Int64?
    /// Scanner evidence per kind (capability or unsafe kind): `{file, line, snippet}` items.
    public var evidence: [(kind: String, items: [JSONValue])]?
    /// Per evidence kind, how many findings there were (evidence lists are capped).
    public var evidenceCounts: [(key: String, count: Int64)]?
    /// Files the scanner could not use, by reason.
    public var skippedFiles: [(key: String, count: Int64)]?
    public var lexErrorCount: Int64?

    public init() {}

    public static func == (a: SourceSignals, b: SourceSignals) -> Bool {
        JSONValue.object(a.json) == JSONValue.object(b.json)
    }

    /// Evidence items for `kind`, if any.
    public func evidence(for kind: String) -> [JSONValue] { evidence?.first { $0.kind == kind }?.items ?? [] }

    /// Lines of the code that ships: `linesCode` without its test code.
    public var productLinesCode: Int64? {
        guard let all = linesCode else { return nil }
        return max(0, all - (linesCodeTests ?? 0))
    }

    /// Unsafe blocks, functions, impls and traits together, when any count was given.
    public var unsafeItems: Int64? {
        let parts = [unsafeBlocks, unsafeFns, unsafeImpls, unsafeTraits].compactMap { $0 }
        guard !parts.isEmpty else { return nil }
        // Each part is bounded by the reader (<= 1e12), so the sum cannot overflow.
        return parts.reduce(0, +)
    }
}

/// What the crate's Cargo.toml declares.
public struct ManifestSignals: Sendable, Equatable {
    public var license: String?
    public var edition: String?
    public var rustVersion: String?
    public var description: String?
    public var repository: String?
    public var documentation: String?
    public var homepage: String?
    public var readme: Bool?
    public var keywords: [String]?
    public var categories: [String]?

    public init() {}
}
