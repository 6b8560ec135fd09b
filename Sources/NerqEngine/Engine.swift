#if canImport(Glibc)
import Glibc
#endif
import NerqCore

/// Loaded data and policy. Immutable after creation, so one engine serves any number of threads.
public final class Engine: Sendable {
    public let policy: Policy
    /// The configured `now`; nil means the clock at each call.
    public let now: Timestamp?

    public static let configKeys = ["advisory_db", "registry", "now", "policy"]

    public init(policy: Policy = Policy(), now: Timestamp? = nil) {
        self.policy = policy
        self.now = now
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
        self.init(policy: policy, now: now)
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
        let signals = try SignalsReader.read(request)
        return Methodology.score(signals, policy: policy, now: resolveNow(signals.now)).json
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
        let signals = try SignalsReader.read(.object(doc))
        let report = Methodology.score(signals, policy: policy, now: resolveNow(signals.now))
        return Preflight.document(target: target, report: report)
    }
}

extension Engine {
    /// `nerq_assess`: a project's lockfile in, a `nerq.assessment` out.
    public func assess(_ request: JSONValue) throws(NerqError) -> JSONValue {
        throw NerqError(.internalError, "nerq_assess is not implemented yet", path: nil)
    }
}
