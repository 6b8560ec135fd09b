// nerq-assess-phases: where an assessment's CPU time goes, phase by phase, in one process (each
// phase repeated, medians; files in the page cache). For finding what to make faster; the
// end-to-end comparison with cargo-audit is bench/bench_assess.py.
//
// usage: nerq-assess-phases ADVISORY_DB LOCKFILE [--runs N]
import Glibc
import NerqAdvisories
import NerqCargo
import NerqCore
import NerqEngine
import NerqIO
import NerqTOML
import NerqJSON

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func cpuTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var args = Array(CommandLine.arguments.dropFirst())
var runsWanted = 15
if let k = args.firstIndex(of: "--runs"), k + 1 < args.count {
    runsWanted = max(1, Int(args[k + 1]) ?? 15)
    args.removeSubrange(k...(k + 1))
}
guard args.count == 2 else {
    print("usage: nerq-assess-phases ADVISORY_DB LOCKFILE [--runs N]")
    exit(2)
}
let (dbPath, lockPath) = (args[0], args[1])
let runs = runsWanted
guard let lockBytes = try? Files.read(lockPath) else {
    print("cannot read \(lockPath)")
    exit(2)
}

/// Median wall and CPU milliseconds of `body` over `runs` runs.
@MainActor func measure(_ name: String, _ body: () throws -> Void) rethrows {
    var walls: [Double] = [], cpus: [Double] = []
    for _ in 0..<runs {
        let (w0, c0) = (now(), cpuTime())
        try body()
        walls.append((now() - w0) * 1000)
        cpus.append((cpuTime() - c0) * 1000)
    }
    let m = { (xs: [Double]) in xs.sorted()[xs.count / 2] }
    print(String("  \(name)".padding(36)) + " wall \(fmt(m(walls))) ms   cpu \(fmt(m(cpus))) ms")
}

func fmt(_ x: Double) -> String {
    let t = Int((x * 100).rounded())
    return "\(t / 100).\(t % 100 < 10 ? "0" : "")\(t % 100)"
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

print("nerq-assess-phases: \(lockPath), \(dbPath), \(runs) runs, medians")
try measure("TOML.parse(lockfile)") { _ = try TOML.parse(lockBytes) }
try measure("Lockfile.parse") { _ = try Lockfile.parse(lockBytes) }
try measure("AdvisoryDatabase.load") { _ = try AdvisoryDatabase.load(path: dbPath) }
// The same database from its index (AdvisoryIndexCache), written by the first read: the listing
// checked against it, then the index decoded.
let indexDir = "/tmp/nerq-assess-phases-\(getpid())"
let indexCache = AdvisoryIndexCache(directory: indexDir)
_ = try AdvisoryDatabase.find(path: dbPath).read(cache: indexCache)
try measure("AdvisoryDatabase read (from index)") { _ = try AdvisoryDatabase.find(path: dbPath).read(cache: indexCache) }
_ = Files.removeTree(indexDir)
let db = try AdvisoryDatabase.load(path: dbPath)
let request: JSONValue = .object(JSONObject([("lockfile", .string(lockPath)),
                                             ("options", .object(JSONObject([("scan_sources", .bool(false)),
                                                                              ("reports", .string("flagged"))])))]))
let engine = Engine(now: Timestamp(seconds: 1_795_219_200), advisories: db)  // 2026-11-21
try measure("assess (database loaded)") { _ = try engine.assess(request) }
let result = try engine.assess(request)
measure("JSONText.encode(result)") { _ = JSONText.encode(result) }
// Every package's full report (what the C API's callers get by default).
let full: JSONValue = .object(JSONObject([("lockfile", .string(lockPath)),
                                          ("options", .object(JSONObject([("scan_sources", .bool(false))])))]))
try measure("assess, full reports") { _ = try engine.assess(full) }
let fullResult = try engine.assess(full)
measure("JSONText.encode(full result)") { _ = JSONText.encode(fullResult) }
// The text API's path (Engine.assessText): reports written straight into text as they are built.
try measure("assessText, full reports") { free(try engine.assessText(full)) }
let flaggedOnly: JSONValue = .object(JSONObject([("lockfile", .string(lockPath)),
                                                 ("options", .object(JSONObject([("scan_sources", .bool(false)),
                                                                                  ("reports", .string("flagged"))])))]))
try measure("assessText, flagged reports") { free(try engine.assessText(flaggedOnly)) }
// One package's report (the first of deno's, scored without data) written 1,000 times: the cost
// of the report writer alone.
let oneSignals = Signals(package: PackageID(name: "aead-gcm-stream", version: "0.4.0"))
let oneReport = Methodology.score(oneSignals, policy: Policy(), now: Timestamp(seconds: 1_795_219_200))
measure("1,000 x Report.encode") { _ = JSONText.items(0..<1000) { sink, _ in oneReport.encode(into: &sink); return true } }
measure("1,000 x Report.json") { for _ in 0..<1000 { _ = oneReport.json } }
measure("1,000 x Methodology.score") { for _ in 0..<1000 { _ = Methodology.score(oneSignals, policy: Policy(), now: Timestamp(seconds: 1_795_219_200)) } }
