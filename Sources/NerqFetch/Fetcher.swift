// `nerq_fetch`: a `nerq.fetch_request` in, a `nerq.fetch` document out. The one way C, Python
// and cargo nerq bring data onto disk.
//
//     {"kind": "nerq.fetch_request", "version": 1,
//      "sources": {"advisory_db": {}, "osv": {}, "index": {"packages": ["serde"], "lockfile": "Cargo.lock"}, "dump": {}},
//      "offline": false, "update": "always" | "missing", "progress": false,
//      "cache_dir": "...", "advisory_db": "...", "advisory_db_url": "...", "osv_url": "...", "index_url": "...",
//      "db_dump_url": "...",
//      "network": {"connect_timeout_s": 30, "low_speed_bytes": 10, "low_speed_time_s": 30, "tries": 3,
//                  "retry_delay_ms": 1000, "allow_http": false, "git_timeout_s": 900, "lock_timeout_s": 300},
//      "max_bytes": {"advisory_db": ..., "osv": ..., "index": ..., "dump": ...}}
//
// Without "sources" the advisory database and the OSV export are fetched (the index needs package
// names; the dump is large and asked for explicitly). A failed source is a `failed` line in the
// result, never an error of the call: the others are still fetched, and the previous copy of the
// failed one stays in place. Only a malformed request is an error document.

import NerqCore
import NerqIO
import NerqJSON

public struct FetchRequest: Sendable {
    public var locations: DataLocations
    public var network = NetworkOptions()
    public var update = UpdateMode.always
    public var offline = false
    /// Why the fetch is offline (the request, or CARGO_NET_OFFLINE).
    public var offlineReason: String?
    public var advisoryDB = true
    public var osv = true
    public var index = false
    public var dump = false
    public var packages: [String] = []
    public var lockfile: String?
    public var maxBytes: [String: Int64] = [:]
    public var lockTimeoutSeconds = 300

    public static let sourceNames = ["advisory_db", "osv", "index", "dump"]
    static let keys = ["kind", "version", "sources", "offline", "update", "progress", "network", "max_bytes"] + DataLocations.configKeys
    static let networkKeys = ["connect_timeout_s", "low_speed_bytes", "low_speed_time_s", "tries", "retry_delay_ms", "allow_http",
                              "git_timeout_s", "lock_timeout_s"]

    public static func read(_ value: JSONValue, environment: Environment) throws(NerqError) -> FetchRequest {
        let o = try JSONReader(value).object()
        try o.checkHeader(kind: "nerq.fetch_request", version: 1)
        try o.rejectUnknownKeys(known: keys)
        var r = FetchRequest(locations: try DataLocations.read(o, environment: environment))
        if let s = o.optional("sources") {
            let so = try s.object()
            try so.rejectUnknownKeys(known: sourceNames)
            r.advisoryDB = so.has("advisory_db")
            r.osv = so.has("osv")
            r.index = so.has("index")
            r.dump = so.has("dump")
            for name in ["advisory_db", "osv", "dump"] {
                if let sub = so.optional(name) { try sub.object().rejectUnknownKeys(known: []) }
            }
            if let idx = so.optional("index") {
                let io = try idx.object()
                try io.rejectUnknownKeys(known: ["packages", "lockfile"])
                r.packages = try io.optional("packages")?.strings() ?? []
                if let l = io.optional("lockfile") {
                    let path = try l.nonEmptyString()
                    try Files.checkPath(path, at: l.path)
                    r.lockfile = path
                }
            }
        }
        if let u = o.optional("update") {
            let name = try u.string()
            guard let mode = UpdateMode(rawValue: name) else {
                throw NerqError(.invalidValue, "expected \"always\" or \"missing\", found \"\(name)\"", path: u.path)
            }
            r.update = mode
        }
        if try o.optional("offline")?.bool() == true {
            r.offline = true
            r.offlineReason = "the request says offline"
        } else if environment["CARGO_NET_OFFLINE"] == "true" {
            // cargo's own rule: only the value `true` (cargo refuses anything but true/false).
            r.offline = true
            r.offlineReason = "CARGO_NET_OFFLINE=true"
        }
        r.network.progress = try o.optional("progress")?.bool() ?? false
        if let n = o.optional("network") {
            let no = try n.object()
            try no.rejectUnknownKeys(known: networkKeys)
            func int(_ k: String, _ range: ClosedRange<Int64>) throws(NerqError) -> Int? {
                try no.optional(k).map { r throws(NerqError) in Int(try r.int(in: range)) }
            }
            if let v = try int("connect_timeout_s", 1...600) { r.network.connectTimeoutSeconds = v }
            if let v = try int("low_speed_bytes", 1...(1 << 30)) { r.network.lowSpeedBytes = v }
            if let v = try int("low_speed_time_s", 1...3600) { r.network.lowSpeedSeconds = v }
            if let v = try int("tries", 1...10) { r.network.tries = v }
            if let v = try int("retry_delay_ms", 0...60_000) { r.network.retryDelayMilliseconds = v }
            if let v = try int("git_timeout_s", 1...86_400) { r.network.gitTimeoutSeconds = v }
            if let v = try int("lock_timeout_s", 0...86_400) { r.lockTimeoutSeconds = v }
            r.network.allowHTTP = try no.optional("allow_http")?.bool() ?? false
        }
        if let m = o.optional("max_bytes") {
            let mo = try m.object()
            try mo.rejectUnknownKeys(known: sourceNames)
            for name in sourceNames {
                if let v = mo.optional(name) { r.maxBytes[name] = try v.int(in: 1...(1 << 40)) }
            }
        }
        return r
    }
}

public enum Fetcher {
    /// Runs a fetch request; `environment` supplies the default locations (the process
    /// environment, captured by the caller).
    public static func run(_ request: JSONValue, environment: Environment) throws(NerqError) -> JSONValue {
        run(try FetchRequest.read(request, environment: environment))
    }

    public static func run(_ request: FetchRequest) -> JSONValue {
        let ctx = FetchContext(locations: request.locations, network: request.network, update: request.update,
                               offline: request.offline, maxBytes: request.maxBytes, lockTimeoutSeconds: request.lockTimeoutSeconds)
        var results: [SourceResult] = []
        if request.advisoryDB { results.append(AdvisoryDBSource.fetch(ctx)) }
        if request.osv { results.append(OSVSource.fetch(ctx)) }
        if request.index { results.append(IndexSource.fetch(ctx, packages: request.packages, lockfile: request.lockfile)) }
        if request.dump { results.append(DumpSource.fetch(ctx)) }
        var doc = JSONObject(capacity: 8)
        doc.append("kind", "nerq.fetch")
        doc.append("version", 1)
        doc.append("offline", .bool(request.offline))
        doc.append("offline_reason", .optional(request.offlineReason))
        doc.append("update", .string(request.update.rawValue))
        doc.append("cache_dir", .optional(request.locations.cacheDirectory))
        doc.append("sources", .array(results.map(\.json)))
        doc.append("failed", .int(Int64(results.filter { $0.status == .failed }.count)))
        return .object(doc)
    }
}
