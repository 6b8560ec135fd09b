import NerqCore
import NerqJSON

/// The configuration files nerq reads, by whose format they are in.
public enum ConfigFormat: String, Sendable, CaseIterable {
    /// cargo-audit's `audit.toml` (0.22.2 schema).
    case cargoAudit = "cargo-audit"
    /// cargo-deny's `deny.toml`; only its `[advisories]` table concerns nerq.
    case cargoDeny = "cargo-deny"
    /// nerq's own `nerq.toml`.
    case nerq
    /// A workspace's Cargo.toml, for `[workspace.metadata.nerq]` (or `[package.metadata.nerq]`).
    case cargoManifest = "cargo-manifest"
}

/// What a tool reports of the advisory kinds it knows (the rest it does not show at all).
/// cargo-audit: `informational_warnings` picks the informational kinds shown; cargo-deny:
/// `unmaintained`/`unsound` choose a scope. What is not reported is still scored (the Trust Score
/// is the methodology's); it is left out of the project's finding list and of the gates.
public struct Reporting: Sendable, Equatable {
    public enum Scope: String, Sendable, CaseIterable {
        /// Every affected package.
        case all
        /// Packages that a workspace member depends on directly (cargo-deny's `workspace`).
        case workspace
        /// Packages that some other package depends on (cargo-deny's `transitive`).
        case transitive
        /// None.
        case none
    }

    /// The file this comes from.
    public var source: String
    /// Scope per advisory kind (`vulnerability`, `unmaintained`, `unsound`, `notice`, `yanked`);
    /// a kind not listed is reported everywhere.
    public var scopes: [(kind: String, scope: Scope)]
    /// Vulnerabilities whose CVSS base score rates below this are not reported (cargo-audit's
    /// `severity_threshold`; those without a CVSS score always are).
    public var severityThreshold: Severity?

    public init(source: String, scopes: [(kind: String, scope: Scope)] = [], severityThreshold: Severity? = nil) {
        self.source = source
        self.scopes = scopes
        self.severityThreshold = severityThreshold
    }

    public func scope(of kind: String) -> Scope { scopes.first { $0.kind == kind }?.scope ?? .all }

    public static func == (a: Reporting, b: Reporting) -> Bool {
        a.source == b.source && a.severityThreshold == b.severityThreshold
            && a.scopes.map(\.kind) == b.scopes.map(\.kind) && a.scopes.map(\.scope) == b.scopes.map(\.scope)
    }
}

/// How an ignore entry that matched nothing is treated (cargo-deny's `unused-ignored-advisory`).
public enum UnusedIgnores: String, Sendable, CaseIterable, Comparable {
    case allow, warn, deny

    var rank: Int { self == .allow ? 0 : self == .warn ? 1 : 2 }
    public static func < (a: UnusedIgnores, b: UnusedIgnores) -> Bool { a.rank < b.rank }
}

/// Which findings the deny gate counts, by what is known of their code (docs/reachability.md): the
/// broader scope is the stricter one (`all` counts the most).
public enum GateScope: String, Sendable, CaseIterable, Comparable {
    /// Every reported finding of a denied kind.
    case all
    /// All but those compiled for none of the requested targets (the default; without targets
    /// nothing is known not to be compiled, so every finding counts).
    case compiled
    /// All but those not compiled, and those whose affected functions nothing references.
    case referenced

    var breadth: Int { self == .all ? 2 : self == .compiled ? 1 : 0 }
    /// `a < b`: `a` counts fewer findings than `b`.
    public static func < (a: GateScope, b: GateScope) -> Bool { a.breadth < b.breadth }
}

/// What the configuration files of a project say, merged: every file's ignores apply, a kind that
/// any file denies fails the run, a finding that any file reports is reported (docs/configuration.md).
public struct ProjectConfig: Sendable {
    /// A file that was read, and what of it has no effect in nerq (said, not silently dropped).
    public struct File: Sendable, Equatable {
        public var path: String
        public var format: ConfigFormat
        public var notes: [String]
    }

    public var files: [File] = []
    public var ignores: [IgnoreRule] = []
    public var reporting: [Reporting] = []
    /// Kinds that fail the run, each with the file that asks for it (a file may add the kinds its
    /// own tool always fails on: cargo-audit fails on every vulnerability).
    public var deny: [(kind: String, source: String)] = []
    /// nerq.toml's `[gates] deny`: replaces the default list (vulnerability, malicious).
    public var baseDeny: (kinds: [String], source: String)?
    /// nerq.toml's `[gates] allow`: kinds reported but never failing the run.
    public var allow: [(kind: String, source: String)] = []
    public var failUnder: (score: Double, source: String)?
    public var unusedIgnores: (level: UnusedIgnores, source: String)?
    /// nerq.toml's `[gates] scope`: which findings of a denied kind count; the broadest of the files wins.
    public var gateScope: (scope: GateScope, source: String)?
    /// nerq.toml's `[policy]` (weights, caps, thresholds) as the engine's `policy` object, with
    /// the file and the line of each key for messages.
    public var policy: (json: JSONValue, source: String)?
    public var targetOS: [String] = []
    public var targetArch: [String] = []
    /// cargo-audit's `[output]`: a host may honour `format`, `quiet` and `show_tree`.
    public var output = Output()

    public struct Output: Sendable, Equatable {
        public var format: String?
        public var quiet: Bool?
        public var showTree: Bool?
        public var source: String?
    }

    public init() {}

    /// Kinds a finding may have that configuration can name (`warnings` expands in each reader).
    public static let kinds = ["vulnerability", "malicious", "unsound", "unmaintained", "notice", "yanked"]

    /// Reads `files` in order; each must exist (a host passes only files it found).
    public static func read(_ files: [(path: String, format: ConfigFormat)]) throws(NerqError) -> ProjectConfig {
        var config = ProjectConfig()
        for f in files { try apply(try TOMLSource.load(f.path), f.format, into: &config) }
        return config
    }

    /// One file from text already in memory (`name` stands for its path in messages).
    public static func read(text: String, name: String, format: ConfigFormat, into config: inout ProjectConfig) throws(NerqError) {
        try apply(try TOMLSource.parse(Array(text.utf8), file: name), format, into: &config)
    }

    static func apply(_ source: TOMLSource, _ format: ConfigFormat, into config: inout ProjectConfig) throws(NerqError) {
        switch format {
        case .cargoAudit: try AuditConfigReader.read(source, into: &config)
        case .cargoDeny: try DenyConfigReader.read(source, into: &config)
        case .nerq: try NerqConfigReader.read(source, table: source.table(source.root, named: ""), format: .nerq, into: &config)
        case .cargoManifest: try NerqConfigReader.readManifest(source, into: &config)
        }
    }

    mutating func addDeny(_ kind: String, _ source: String) {
        if !deny.contains(where: { $0.kind == kind && $0.source == source }) { deny.append((kind, source)) }
    }

    mutating func broaderScope(_ scope: GateScope, _ source: String) {
        if let current = gateScope, current.scope >= scope { return }
        gateScope = (scope, source)
    }

    mutating func stricterUnused(_ level: UnusedIgnores, _ source: String) {
        if let current = unusedIgnores, current.level >= level { return }
        unusedIgnores = (level, source)
    }
}
