#if canImport(Glibc)
import Glibc
#endif
import NerqAdvisories
import NerqCore
import NerqIO

/// Loaded data and policy. Immutable after creation, so one engine serves any number of threads.
public final class Engine: Sendable {
    public let policy: Policy
    /// The configured `now`; nil means the clock at each call.
    public let now: Timestamp?
    /// The advisory database, loaded once at creation; nil when there is none.
    public let advisories: AdvisoryDatabase?
    /// Whether `score`/`preflight` read a crate's source (and Cargo.toml) when it is on disk.
    public let scanSources: Bool

    public static let configKeys = ["advisory_db", "registry", "now", "policy", "scan_sources"]

    public init(policy: Policy = Policy(), now: Timestamp? = nil, advisories: AdvisoryDatabase? = nil, scanSources: Bool = true) {
        self.policy = policy
        self.now = now
        self.advisories = advisories
        self.scanSources = scanSources
    }

    /// Builds an engine from its JSON configuration (`nil` = defaults). Unknown keys are errors.
    public convenience init(config: JSONValue?) throws(NerqError) {
        guard let config else {
            self.init()
            return
        }
        let o = try JSONReader(config).object()
        try o.rejectUnknownKeys(known: Engine.configKeys)
        let policy = try o.optional("policy").map { r throws(NerqError) in try Policy.read(r) } ?? Policy()
        let now = try o.optional("now")?.timestamp()
        // An advisory_db that is named must exist; otherwise the default locations are tried.
        var database: AdvisoryDatabase?
        if let db = o.optional("advisory_db") {
            let path = try db.nonEmptyString()
            do {
                database = try AdvisoryDatabase.load(path: path)
            } catch {
                throw NerqError(error.code, "advisory_db: \(error.message)", path: db.path)
            }
        } else if let path = AdvisoryDatabase.defaultLocation(configured: nil, environment: Files.environment) {
            database = try AdvisoryDatabase.load(path: path)
        }
        if let r = o.optional("registry") {
            throw NerqError(.invalidValue, "registry snapshots are not supported yet (see issue: registry signals offline)", path: r.path)
        }
        let scan = try o.optional("scan_sources")?.bool() ?? true
        self.init(policy: policy, now: now, advisories: database, scanSources: scan)
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
        let signals = collect(try SignalsReader.read(request))
        return Methodology.score(signals, policy: policy, now: resolveNow(signals.now)).json
    }

    /// Adds what the engine's data knows to signals the request did not give (given ones win).
    func collect(_ given: Signals) -> Signals {
        var s = given
        if s.advisories == nil, let db = advisories, s.package.ecosystem == "crates.io",
           let v = s.package.version, let version = try? Version.parse(v) {
            let found = db.matching(package: s.package.name, version: version).map(\.signal)
            s.advisories = found
            s.raw.set("advisories", .array(found.map(\.json)))
        }
        // The crate's own source and Cargo.toml, when it is on this machine.
        if scanSources, s.source == nil || s.manifest == nil, s.package.ecosystem == "crates.io", let v = s.package.version,
           let found = LocalSources.scan([LocalSources.Wanted(name: s.package.name, version: v, manifestPath: nil,
                                                              license: s.manifest?.license)]).first ?? nil {
            if s.manifest == nil, let m = found.manifest {
                s.manifest = m
                s.raw.set("manifest", m.json)
            }
            found.apply(to: &s)
        }
        return s
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
        let signals = collect(try SignalsReader.read(.object(doc)))
        let report = Methodology.score(signals, policy: policy, now: resolveNow(signals.now))
        return Preflight.document(target: target, report: report)
    }
}
