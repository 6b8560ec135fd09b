import Foundation
import NerqFetch
import NerqIO
import NerqJSON
import NerqTestSupport
import Testing

/// The local test server (Tests/fetch_server.py), started once for the whole test run on
/// 127.0.0.1 with a site built from ../shared/data. nil (after saying why) when the shared data
/// is absent; under CI that absence is a failure (see `requireServer`).
final class FetchServer: @unchecked Sendable {
    let port: Int
    let site: String
    let process: Process
    let input: Pipe
    let buildTimings: String

    static let shared: FetchServer? = {
        guard let data = SharedData.directory, Files.isDirectory(data + "/advisory-db"), Files.isDirectory(data + "/advisory-db-osv") else {
            return nil
        }
        do {
            return try FetchServer(shared: data)
        } catch {
            print("the fetch test server did not start: \(error)")
            return nil
        }
    }()

    init(shared: String) throws {
        let dir = try TempDir()
        site = dir.path + "/site"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("Tests/fetch_server.py").path,
                             "--site", site, "--shared", shared, "--build"]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var text = ""
        var port = 0
        let handle = output.fileHandleForReading
        while port == 0 {
            let chunk = handle.availableData
            if chunk.isEmpty { throw TestFailure("fetch_server.py exited: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
            for line in text.split(separator: "\n") where line.hasPrefix("READY ") {
                port = Int(line.dropFirst(6)) ?? 0
            }
        }
        self.port = port
        buildTimings = text.split(separator: "\n").first { $0.hasPrefix("BUILT ") }.map { String($0.dropFirst(6)) } ?? ""
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func url(_ path: String) -> String { base + "/" + path }

    /// A new commit in the served advisory-db repository.
    func advanceGit() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = "import sys; sys.path.insert(0, sys.argv[1]); import fetch_server; fetch_server.advance_git(sys.argv[2])"
        p.arguments = ["python3", "-c", script, repositoryRoot.appendingPathComponent("Tests").path, site]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestFailure("advance_git failed") }
    }

    /// The requests the server received for paths starting with `prefix`.
    func requests(_ prefix: String) throws -> [(path: String, headers: [String: String])] {
        let (_, body) = try HTTPClient(options: NetworkOptions()).fetch(url("__log"), maxBytes: 64 << 20)
        guard let list = try JSONSerialization.jsonObject(with: Data(body)) as? [[String: Any]] else { return [] }
        return list.compactMap { e in
            guard let path = e["path"] as? String, path.hasPrefix(prefix) else { return nil }
            return (path, e["headers"] as? [String: String] ?? [:])
        }
    }
}

/// The server, or nil after the rule of `required` (skip locally, fail under CI=true).
func requireServer(sourceLocation: SourceLocation = #_sourceLocation) -> FetchServer? {
    required(FetchServer.shared, "the local fetch test server (needs ../shared/data/advisory-db and advisory-db-osv, python3, git)",
             sourceLocation: sourceLocation)
}

/// Network settings for tests: quick retries, short timeouts.
func testNetwork(tries: Int = 3) -> JSONValue {
    ["tries": .int(Int64(tries)), "retry_delay_ms": 10, "connect_timeout_s": 5, "low_speed_bytes": 1000, "low_speed_time_s": 2,
     "lock_timeout_s": 1]
}

/// A fetch request document.
func fetchRequest(_ cache: String, sources: JSONValue, _ extra: [(String, JSONValue)] = [], tries: Int = 3) -> JSONValue {
    var o = JSONObject([("cache_dir", .string(cache)), ("sources", sources), ("network", testNetwork(tries: tries))])
    for (k, v) in extra { o.set(k, v) }
    return .object(o)
}

/// An environment with nothing of the machine's: HOME and CARGO_HOME inside `dir`.
func isolatedEnvironment(_ dir: String, _ extra: [(String, String)] = []) -> Environment {
    Environment([("HOME", dir + "/home"), ("CARGO_HOME", dir + "/cargo")] + extra)
}

/// Runs a fetch and returns the document and its sources by name.
func runFetch(_ request: JSONValue, environment: Environment) throws -> (doc: JSONObject, sources: [String: JSONObject]) {
    let doc = try Fetcher.run(request, environment: environment)
    guard case .object(let o) = doc, case .array(let list)? = o["sources"] else { throw TestFailure("not a fetch document: \(doc)") }
    var byName: [String: JSONObject] = [:]
    for case .object(let s) in list {
        if case .string(let name)? = s["source"] { byName[name] = s }
    }
    return (o, byName)
}

extension JSONObject {
    func string(_ key: String) -> String? { if case .string(let s)? = self[key] { return s } else { return nil } }
    func int(_ key: String) -> Int64? { if case .int(let n)? = self[key] { return n } else { return nil } }
    func object(_ key: String) -> JSONObject? { self[key]?.objectValue }
    var status: String? { string("status") }
    var errorMessage: String? { object("error")?.string("message") }
}
