import NerqCore
import NerqSemver
import NerqCVSS

/// One advisory, whatever format it was read from (a RustSec advisory-db Markdown file or an OSV
/// JSON record).
@dynamicMemberLookup
public struct AdvisoryRecord: Sendable, Equatable {
    /// Which part of the database the advisory belongs to: `crates/` (crates.io packages, matched
    /// against Cargo.lock) or `rust/` (the toolchain: std, cargo, rustdoc; never matched against
    /// Cargo.lock packages).
    public enum Collection: String, Sendable, CaseIterable {
        case crates, rust
    }

    /// The format the record was read from.
    public enum Format: String, Sendable {
        case rustsec, osv
    }

    /// Everything an advisory says, as plain values. `AdvisoryRecord` keeps one shared copy of it.
    public struct Fields: Sendable {
        public var id: String
        public var package: String
        public var collection: Collection = .crates
        /// `YYYY-MM-DD` (OSV `published` is cut to its date).
        public var date: String?
        /// The Markdown `# ` heading (RustSec) or OSV `summary`.
        public var title: String?
        /// The Markdown body after the title (RustSec) or OSV `details`; nil when empty.
        public var description: String?
        public var url: String?
        /// `vulnerability` unless `informational` says `unmaintained`, `unsound` or `notice`; any
        /// other informational string gives `.notice`.
        public var kind: Advisory.Kind = .vulnerability
        /// The `informational` value as written.
        public var informational: String?
        public var categories: [String] = []
        public var keywords: [String] = []
        public var aliases: [String] = []
        public var related: [String] = []
        public var references: [String] = []
        /// The CVSS vector as written (3.0, 3.1 or 4.0; validated at load). Its base score and
        /// rating are computed when asked for (`AdvisoryRecord.cvssScore` / `severity`).
        public var cvss: String?
        /// A severity the source states in words (an OSV record's GHSA `database_specific.severity`);
        /// a CVSS vector's rating takes precedence.
        public var statedSeverity: Severity?
        /// The withdrawal date; a withdrawn advisory never matches.
        public var withdrawn: String?
        /// `license` as written (nil when absent; RustSec treats absent as CC0-1.0).
        public var license: String?
        public var expectDeleted = false
        /// `source` (the registry of the affected package) as written; nil means crates.io.
        public var source: String?
        /// `[versions] patched` / `unaffected` as written (OSV: derived from `fixed` events, see
        /// `OSVAffectedVersions.patchedRequirements`).
        public var patched: [String] = []
        public var unaffected: [String] = []
        /// `[affected] functions` in document order (OSV: `ecosystem_specific.affects.functions`,
        /// with no versions).
        public var affectedFunctions: [(path: String, versions: [String])] = []
        public var os: [String] = []
        public var arch: [String] = []
        /// Path of the file relative to the database root (the file name when a single file was loaded).
        public var file = ""
        /// What decides `affects`: the validated `[versions]` ranges, or the OSV ranges/versions.
        public var versionMatcher: VersionMatcher
        /// Keys of the advisory TOML that nerq does not know (`advisory.foo`, `versions.bar`, `baz`);
        /// tolerated and ignored.
        public var unknownKeys: [String] = []
        public var format: Format = .rustsec
    }

    // Copy-on-write: a record is copied often (merging, sorting, query results) and has some 25
    // reference-counted fields; sharing one box makes a copy a single retain.
    final class Box: @unchecked Sendable {  // mutated only while uniquely referenced
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    /// Every field of `Fields` reads as a property of the record (`record.id`, `record.patched`).
    public subscript<T>(dynamicMember keyPath: WritableKeyPath<Fields, T>) -> T {
        get { box.fields[keyPath: keyPath] }
        set { mutate { $0[keyPath: keyPath] = newValue } }
    }

    // The fields an assessment reads for every package, as plain properties: a dynamic member
    // read from another module instantiates its key path at run time, on every read.
    public var id: String {
        get { box.fields.id }
        set { mutate { $0.id = newValue } }
    }
    public var package: String {
        get { box.fields.package }
        set { mutate { $0.package = newValue } }
    }
    public var collection: Collection {
        get { box.fields.collection }
        set { mutate { $0.collection = newValue } }
    }
    public var date: String? {
        get { box.fields.date }
        set { mutate { $0.date = newValue } }
    }
    public var withdrawn: String? {
        get { box.fields.withdrawn }
        set { mutate { $0.withdrawn = newValue } }
    }
    public var aliases: [String] {
        get { box.fields.aliases }
        set { mutate { $0.aliases = newValue } }
    }

    private mutating func mutate(_ change: (inout Fields) -> Void) {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        change(&box.fields)
    }

    public init(id: String, package: String, collection: Collection = .crates, date: String? = nil,
                title: String? = nil, description: String? = nil, url: String? = nil,
                kind: Advisory.Kind = .vulnerability, informational: String? = nil,
                categories: [String] = [], keywords: [String] = [], aliases: [String] = [],
                related: [String] = [], references: [String] = [], cvss: String? = nil,
                severity: Severity? = nil, withdrawn: String? = nil,
                license: String? = nil, expectDeleted: Bool = false, source: String? = nil,
                patched: [String] = [], unaffected: [String] = [],
                affectedFunctions: [(path: String, versions: [String])] = [], os: [String] = [],
                arch: [String] = [], file: String = "", versionMatcher: VersionMatcher,
                unknownKeys: [String] = [], format: Format = .rustsec) {
        box = Box(Fields(id: id, package: package, collection: collection, date: date, title: title, description: description,
                         url: url, kind: kind, informational: informational, categories: categories, keywords: keywords,
                         aliases: aliases, related: related, references: references, cvss: cvss,
                         statedSeverity: severity, withdrawn: withdrawn, license: license, expectDeleted: expectDeleted,
                         source: source, patched: patched, unaffected: unaffected, affectedFunctions: affectedFunctions,
                         os: os, arch: arch, file: file, versionMatcher: versionMatcher, unknownKeys: unknownKeys,
                         format: format))
    }

    /// Whether version `v` of the package is affected: cargo-audit 0.22.2's
    /// `Versions::is_vulnerable` for RustSec advisories, the OSV evaluation algorithm for OSV
    /// records. Always false for a withdrawn advisory.
    public func affects(_ v: Version) -> Bool {
        let f = box.fields
        if f.withdrawn != nil { return false }
        return f.versionMatcher.affects(v)
    }

    /// `[affected] os` / `arch` as cargo-audit applies them: an empty list means every platform,
    /// and a nil target does not filter (cargo-audit's default without `--target-os/--target-arch`).
    public func appliesTo(os targetOS: String?, arch targetArch: String?) -> Bool {
        appliesTo(os: targetOS.map { [$0] } ?? [], arch: targetArch.map { [$0] } ?? [])
    }

    /// With lists of targets (cargo-audit's `[target] os = ["linux", "macos"]`): the advisory
    /// applies when it names no platform, or one of the targets; an empty list does not filter.
    public func appliesTo(os targetOS: [String], arch targetArch: [String]) -> Bool {
        let f = box.fields
        if !targetOS.isEmpty, !f.os.isEmpty, !targetOS.contains(where: f.os.contains) { return false }
        if !targetArch.isEmpty, !f.arch.isEmpty, !targetArch.contains(where: f.arch.contains) { return false }
        return true
    }

    /// How cargo-audit 0.22.2 (default settings) reports a matching package: a vulnerability, an
    /// `unmaintained`/`unsound`/`notice` warning, or nothing (the `rust` collection, withdrawn
    /// advisories, informational kinds other than those three).
    public var cargoAuditReport: AdvisoryReport? {
        RustSecScope.reportKind(collection: box.fields.collection.rawValue, withdrawn: box.fields.withdrawn != nil,
                                informational: box.fields.informational)
    }

    /// The CVSS base score of `cvss` (nil without a vector). Computed on each use: a load validates
    /// every vector but only reported advisories need a score.
    public var cvssScore: Double? { cvssRating?.score }

    /// The qualitative rating of `cvss`, else the severity the source states, else nil.
    public var severity: Severity? { cvssRating?.severity ?? box.fields.statedSeverity }

    private var cvssRating: (score: Double, severity: Severity?)? {
        guard let v = box.fields.cvss, let s = try? CVSS.baseScore(v) else { return nil }
        return (s.score, Severity(rawValue: s.severity))
    }

    /// The core's `Advisory` for a `nerq.signals` document.
    public var signal: Advisory {
        let f = box.fields
        let rating = cvssRating
        var a = Advisory(id: f.id, kind: f.kind, severity: rating?.severity ?? f.statedSeverity, cvss: f.cvss,
                         cvssScore: rating?.score, title: f.title, description: f.description,
                         aliases: f.aliases, patched: f.patched, url: f.url, date: f.date, withdrawn: f.withdrawn)
        a.functions = f.affectedFunctions.map { AffectedFunction(path: $0.path, versions: $0.versions) }
        a.os = f.os
        a.arch = f.arch
        return a
    }

    /// `Advisory.Kind` for an advisory: `malicious` when RustSec files it under the `malicious`
    /// category, or it is (or is an alias of) an OpenSSF malicious-packages record (`MAL-…`: that
    /// feed lists nothing but malware); else by its `informational` value.
    public static func kind(informational: String?, id: String, aliases: [String], categories: [String]) -> Advisory.Kind {
        if informational == nil && (categories.contains("malicious") || id.hasPrefix("MAL-") || aliases.contains(where: { $0.hasPrefix("MAL-") })) {
            return .malicious
        }
        return kind(informational: informational)
    }

    /// `Advisory.Kind` for an `informational` value.
    public static func kind(informational: String?) -> Advisory.Kind {
        switch informational {
        case nil: return .vulnerability
        case "unmaintained": return .unmaintained
        case "unsound": return .unsound
        default: return .notice
        }
    }

    public static func == (a: AdvisoryRecord, b: AdvisoryRecord) -> Bool {
        if a.box === b.box { return true }
        guard a.id == b.id, a.package == b.package, a.collection == b.collection, a.date == b.date,
              a.title == b.title, a.description == b.description, a.url == b.url, a.kind == b.kind,
              a.informational == b.informational, a.categories == b.categories, a.keywords == b.keywords,
              a.aliases == b.aliases, a.related == b.related, a.references == b.references,
              a.cvss == b.cvss, a.statedSeverity == b.statedSeverity,
              a.withdrawn == b.withdrawn, a.license == b.license, a.expectDeleted == b.expectDeleted,
              a.source == b.source, a.patched == b.patched, a.unaffected == b.unaffected,
              a.os == b.os, a.arch == b.arch, a.file == b.file, a.versionMatcher == b.versionMatcher,
              a.unknownKeys == b.unknownKeys, a.format == b.format,
              a.affectedFunctions.count == b.affectedFunctions.count
        else { return false }
        for (x, y) in zip(a.affectedFunctions, b.affectedFunctions) where x.path != y.path || x.versions != y.versions {
            return false
        }
        return true
    }
}

/// What decides whether a version is affected.
public enum VersionMatcher: Sendable, Equatable {
    /// A RustSec `[versions]` section, validated and converted to OSV ranges exactly as rustsec does.
    case rustsec(AdvisoryVersions)
    /// The `affected[]` entries of an OSV record for one package (any of them affecting is enough).
    case osv([OSVAffectedVersions])

    public func affects(_ v: Version) -> Bool {
        switch self {
        case .rustsec(let versions):
            return versions.affects(v)
        case .osv(let entries):
            for e in entries where e.affects(v) { return true }
            return false
        }
    }
}

/// One event of an OSV range.
public struct OSVEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case introduced
        case fixed
        case lastAffected = "last_affected"
        case limit
    }

    public var kind: Kind
    /// nil for `introduced: "0"` (before every version) and `limit: "*"` (after every version).
    public var version: Version?

    public init(_ kind: Kind, _ version: Version?) {
        self.kind = kind
        self.version = version
    }
}

/// An OSV `SEMVER` or `ECOSYSTEM` range (crates.io versions are SemVer either way).
public struct OSVVersionRange: Sendable, Equatable {
    public var type: String
    /// The events sorted by version (`introduced: "0"` first, `limit: "*"` last; ties keep document
    /// order), as the OSV evaluation algorithm walks them.
    public var events: [OSVEvent]

    public init(type: String, events: [OSVEvent]) {
        self.type = type
        // Sort by (version, position): stable whatever the sort algorithm.
        let keyed = events.enumerated().map { ($0.offset, $0.element) }
        self.events = keyed.sorted { a, b in
            let c = OSVVersionRange.compare(a.1, b.1)
            return c != 0 ? c < 0 : a.0 < b.0
        }.map { $0.1 }
    }

    /// -1/0/1 order of two events' versions ("0" lowest, "*" highest).
    static func compare(_ a: OSVEvent, _ b: OSVEvent) -> Int {
        func rank(_ e: OSVEvent) -> Int {
            if e.version != nil { return 1 }
            return e.kind == .limit ? 2 : 0
        }
        let ra = rank(a), rb = rank(b)
        if ra != rb { return ra < rb ? -1 : 1 }
        guard let va = a.version, let vb = b.version else { return 0 }
        return Version.comparePrecedence(va, vb)
    }

    /// The OSV schema's `IncludedInRanges` for this one range (`BeforeLimits`, then the event walk).
    public func affects(_ v: Version) -> Bool {
        let limits = events.filter { $0.kind == .limit }
        if !limits.isEmpty {
            var before = false
            for l in limits {
                guard let lv = l.version else { before = true; break }   // "*"
                if v < lv { before = true; break }
            }
            if !before { return false }
        }
        var vulnerable = false
        for e in events {
            switch e.kind {
            case .introduced:
                if let iv = e.version {
                    if !(v < iv) { vulnerable = true }
                } else {
                    vulnerable = true
                }
            case .fixed:
                if let fv = e.version, !(v < fv) { vulnerable = false }
            case .lastAffected:
                if let lv = e.version, lv < v { vulnerable = false }
            case .limit:
                break
            }
        }
        return vulnerable
    }
}

/// The versions one OSV `affected[]` entry describes: any range, or the explicit list.
public struct OSVAffectedVersions: Sendable, Equatable {
    public var ranges: [OSVVersionRange]
    /// `versions`: exactly these are affected (SemVer precedence equality, build metadata ignored).
    public var versions: [Version]

    public init(ranges: [OSVVersionRange], versions: [Version]) {
        self.ranges = ranges
        self.versions = versions
    }

    public func affects(_ v: Version) -> Bool {
        for x in versions where x == v { return true }
        for r in ranges where r.affects(v) { return true }
        return false
    }

    /// Requirements for the versions after each `fixed` event, in RustSec's notation: `>= F` when
    /// nothing is re-introduced later, `>= F, < I` up to the next `introduced`.
    public var patchedRequirements: [String] {
        var out: [String] = []
        for r in ranges {
            var k = 0
            while k < r.events.count {
                let e = r.events[k]
                if e.kind == .fixed, let fv = e.version {
                    var next: Version? = nil
                    var j = k + 1
                    while j < r.events.count {
                        if r.events[j].kind == .introduced, let iv = r.events[j].version {
                            next = iv
                            break
                        }
                        j += 1
                    }
                    out.append(next.map { ">= \(fv), < \($0)" } ?? ">= \(fv)")
                }
                k += 1
            }
        }
        return out
    }
}

/// A file that could not be loaded as an advisory.
public struct AdvisoryLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Path relative to the database root.
    public var file: String
    /// 1-based line in the file, when known.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
