// nerq-registry-bench: the registry collector's benchmark.
//
//   nerq-registry-bench ingest DUMP STORE     build STORE from DUMP (tarball or folder): wall time,
//                                             CPU time and peak memory (this process's max RSS)
//   nerq-registry-bench lookup STORE [N]      N per-crate signal lookups by name (pseudo-random
//                                             crates of the store) against a bare SQLite primary-key
//                                             query (crates.name) of the same crates, same order, on
//                                             the same store opened the same way: time per call, ratio
//   nerq-registry-bench show STORE NAME [VERSION]   the registry group of one crate, and its alternatives
import CSQLite
import Glibc
import NerqCore
import NerqRegistry
import NerqJSON

func wallClock() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func usage() -> Int32 {
    print("usage: nerq-registry-bench ingest DUMP STORE | lookup STORE [N] | show STORE NAME [VERSION]")
    return 2
}

func fixed(_ x: Double, _ digits: Int = 2) -> String {
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let v = (x * p).rounded() / p
    var s = String(v)
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    }
    return s
}

func ingest(_ dump: String, _ store: String) -> Int32 {
    let t0 = wallClock()
    var usage0 = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage0)
    do {
        let summary = try RegistryIngest.build(dump: dump, store: store)
        let wall = wallClock() - t0
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        let cpu = Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
        print(JSONText.string(summary.json))
        print("ingest: \(summary.crates) crates, \(summary.versions) versions, " +
              "\(summary.tables.first { $0.name == "dependencies" }?.rows ?? 0) dependency rows in \(fixed(wall)) s " +
              "(CPU \(fixed(cpu)) s), peak memory \(fixed(Double(u.ru_maxrss) / 1024, 1)) MiB")
        return 0
    } catch {
        print("ingest failed: \(error.description)")
        return 1
    }
}

func lookup(_ store: String, _ count: Int) -> Int32 {
    do {
        let s = try RegistryStore(path: store)
        // The names to look up: every k-th crate by id (deterministic, spread over the store).
        var db: OpaquePointer?
        // Opened as the store opens itself: read-only and immutable (no locking per query).
        guard sqlite3_open_v2("file:\(store)?immutable=1", &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil) == SQLITE_OK, let db else {
            print("cannot open \(store)")
            return 1
        }
        defer { sqlite3_close_v2(db) }
        var stmt: OpaquePointer?
        sqlite3_prepare_v2(db, "SELECT id, name FROM crates ORDER BY id", -1, &stmt, nil)
        var all: [(Int64, String)] = []
        while sqlite3_step(stmt) == SQLITE_ROW {
            let id = sqlite3_column_int64(stmt, 0)
            let name = sqlite3_column_text(stmt, 1).map { String(cString: $0) } ?? ""
            all.append((id, name))
        }
        sqlite3_finalize(stmt)
        guard !all.isEmpty else { print("empty store"); return 1 }
        // `count` crates in a fixed pseudo-random order (a project's dependencies are not sorted
        // by id): the same crates, in the same order, for both sides.
        var picks: [(Int64, String)] = []
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<count {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            picks.append(all[Int((x >> 33) % UInt64(all.count))])
        }
        // Bare primary-key query: one prepared statement, step, read one column, reset; the same
        // page cache size as the store's connection.
        sqlite3_exec(db, "PRAGMA cache_size = -32768", nil, nil, nil)
        var pk: OpaquePointer?
        sqlite3_prepare_v2(db, "SELECT downloads FROM crates WHERE name = ?1", -1, &pk, nil)
        defer { sqlite3_finalize(pk) }
        func bare() -> (Double, Int64) {
            var sink: Int64 = 0
            let t0 = wallClock()
            for (_, name) in picks {
                _ = name.withCString { sqlite3_bind_text(pk, 1, $0, -1, nil) }
                if sqlite3_step(pk) == SQLITE_ROW { sink &+= sqlite3_column_int64(pk, 0) }
                sqlite3_reset(pk)
            }
            return (wallClock() - t0, sink)
        }
        func signals() throws(NerqError) -> (Double, Int64) {
            var sink: Int64 = 0
            let t0 = wallClock()
            for (_, name) in picks {
                if let r = try s.signals(name: name, version: nil) { sink &+= r.downloads ?? 0 }
            }
            return (wallClock() - t0, sink)
        }
        // Warm both (page cache, statement caches), then take the best of 3.
        _ = bare()
        _ = try signals()
        var bestBare = Double.infinity
        var bestSignals = Double.infinity
        for _ in 0..<3 {
            bestBare = min(bestBare, bare().0)
            bestSignals = min(bestSignals, try signals().0)
        }
        let n = Double(picks.count)
        print("lookup: \(picks.count) crates; signals(name:version:) \(fixed(bestSignals / n * 1e6)) µs/call, " +
              "bare SQLite primary-key query \(fixed(bestBare / n * 1e6)) µs/call, ratio \(fixed(bestSignals / bestBare, 1))x")
        // Alternatives, for the record.
        let t0 = wallClock()
        var altCount = 0
        for (_, name) in picks.prefix(200) { altCount += try s.alternatives(for: name, limit: 5).count }
        print("alternatives: \(min(200, picks.count)) crates in \(fixed((wallClock() - t0) / Double(min(200, picks.count)) * 1e3, 3)) ms/call (\(altCount) found)")
        return 0
    } catch {
        print("lookup failed: \(error.description)")
        return 1
    }
}

func show(_ store: String, _ name: String, _ version: String?) -> Int32 {
    do {
        let s = try RegistryStore(path: store)
        guard let r = try s.record(name: name, version: version) else {
            print("\(name): not in the registry")
            return 1
        }
        print(JSONText.string(.object(r.signals.json)))
        for a in try s.alternatives(for: name, limit: 5) {
            print("  alternative \(a.name) rank \(a.rank) proxy \(a.proxy) relevance \(a.relevance) categories \(a.sharedCategories) keywords \(a.sharedKeywords)")
        }
        return 0
    } catch {
        print("show failed: \(error.description)")
        return 1
    }
}

let args = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch args.first {
case "ingest" where args.count == 3: status = ingest(args[1], args[2])
case "lookup" where args.count >= 2: status = lookup(args[1], args.count > 2 ? max(1, Int(args[2]) ?? 100_000) : 100_000)
case "show" where args.count >= 3: status = show(args[1], args[2], args.count > 3 ? args[3] : nil)
default: status = usage()
}
exit(status)
