#if canImport(Glibc)
import Glibc
#endif
import NerqAdvisories
import NerqCore
import NerqFetch
import NerqIO
import NerqRegistry
import NerqScan
import NerqJSON
import NerqSemver

/// Loaded data and policy. Immutable after creation (the advisory database, found at creation, is
/// read once on first use, under a lock), so one engine serves any number of threads.
public final class Engine: Sendable {
    public let policy: Policy
    /// The configured `now`; nil means the clock at each call.
    public let now: Timestamp?
    /// The advisory database (read on first use; see `AdvisorySource`); nil when there is none.
    /// A database that no advisory could be read from (it was probed at creation; its files may
    /// have gone since) is no database: nothing can be said to have been checked against it.
    public var advisories: AdvisoryDatabase? {
        guard let db = advisorySource?.database, !db.advisories.isEmpty else { return nil }
        return db
    }
    let advisorySource: AdvisorySource?
    /// Whether `score`/`preflight` read a crate's source (and Cargo.toml) when it is on disk.
    public let scanSources: Bool
    /// Registry data from the crates.io database dump; nil when none is configured.
    public let registry: RegistryStore?
    /// The environment variables nerq reads, captured when the engine was created (empty for
    /// an engine built in code): every default location comes from here, never from the process
    /// environment at call time.
    public let environment: Environment
    /// Crate sources scanned so far (reused while their files are unchanged).
    let scanCache = ScanCache()
    /// `$CARGO_HOME/registry/src/*`, listed once when the engine is created (only when it reads
    /// crate sources at all).
    let cargoSourceDirectories: [String]
    /// Where the engine's data is and how fresh it is (DataSources.swift).
    let data: DataSources

    public static let configKeys = ["advisory_db", "registry", "registry_store", "now", "policy", "scan_sources"] + DataSources.configKeys

    public convenience init(policy: Policy = Policy(), now: Timestamp? = nil, advisories: AdvisoryDatabase? = nil,
                            scanSources: Bool = true, registry: RegistryStore? = nil, environment: Environment = Environment()) {
        self.init(policy: policy, now: now, advisorySource: advisories.map { AdvisorySource(loaded: $0) },
                  scanSources: scanSources, registry: registry, environment: environment,
                  data: DataSources(locations: DataLocations(environment: environment), registryPath: registry?.path))
    }

    init(policy: Policy, now: Timestamp?, advisorySource: AdvisorySource?, scanSources: Bool, registry: RegistryStore?,
         environment: Environment, data: DataSources) {
        self.policy = policy
        self.now = now
        self.advisorySource = advisorySource
        self.scanSources = scanSources
        self.registry = registry
        self.environment = environment
        cargoSourceDirectories = scanSources ? CrateLocator.sourceDirectories(cargoHome: environment.cargoHome) : []
        self.data = data
    }

    /// Builds an engine from its JSON configuration (`nil` = defaults). Unknown keys are errors.
    /// Builds an engine from its JSON configuration; nil is exactly `{}` (all defaults, the
    /// advisory database found where it is usually kept).
    public convenience init(config: JSONValue?, environment: Environment = Environment.process()) throws(NerqError) {
        let o = try JSONReader(config ?? .object(JSONObject())).object()
        try o.rejectUnknownKeys(known: Engine.configKeys)
        let policy = try o.optional("policy").map { r throws(NerqError) in try Policy.read(r) } ?? Policy()
        let now = try o.optional("now")?.timestamp()
        // The advisory database, OSV data and registry store: named, else where fetches put them.
        let (data, advisories, registry) = try DataSources.read(o, environment: environment)
        let scan = try o.optional("scan_sources")?.bool() ?? true
        self.init(policy: policy, now: now, advisorySource: advisories, scanSources: scan, registry: registry,
                  environment: environment, data: data)
    }

    /// The current time from the clock; used only when neither request nor engine gives `now`.
    static func clock() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec))
    }

    func resolveNow(_ requestNow: Timestamp?) -> Timestamp { requestNow ?? now ?? Engine.clock() }

    /// `nerq_score`: a `nerq.signals` document in, a `nerq.report` out.
    public func score(_ request: JSONValue) throws(NerqError) -> JSONValue {
        let given = try SignalsReader.read(request)
        let now = resolveNow(given.now)
        let signals = collect(given, now: now)
        let report = Methodology.score(signals, policy: policy, now: now)
        var doc = report.json
        if let alternatives = alternatives(for: report, now: now), case .object(var o) = doc {
            o.append("alternatives", alternatives)
            doc = .object(o)
        }
        return withFreshness(doc, now: now, indexFiles: Engine.indexFile(of: signals).map { [$0] } ?? [])
    }

    /// `nerq_preflight`: `{"target": "name@version", ...signal groups}` in, `nerq.preflight` out.
    public func preflight(_ request: JSONValue) throws(NerqError) -> JSONValue {
        let o = try JSONReader(request).object()
        try o.checkHeader(kind: "nerq.preflight_request", version: 1)
        if o.has("package") {
            throw NerqError(.invalidValue, "a preflight request names its package with \"target\", not \"package\"", path: o.childPath("package"))
        }
        let targetReader = try o.required("target")
        let target = try targetReader.string()
        let package = try Preflight.parseTarget(target, path: targetReader.path)
        // The rest of the request is a signals document for that package.
        var doc = JSONObject()
        doc.append("package", package.json)
        for (k, v) in o.object.entries where k != "target" && k != "kind" && k != "version" { doc.append(k, v) }
        let given = try SignalsReader.read(.object(doc))
        let now = resolveNow(given.now)
        let signals = collect(given, now: now)
        let report = Methodology.score(signals, policy: policy, now: now)
        var answer = Preflight.document(target: target, report: report)
        if let alternatives = alternatives(for: report, now: now), case .object(var o) = answer {
            o.append("alternatives", alternatives)
            answer = .object(o)
        }
        return withFreshness(answer, now: now, indexFiles: Engine.indexFile(of: signals).map { [$0] } ?? [])
    }
}
