import Foundation
import Testing
import NerqCore
import NerqTestSupport
@testable import NerqEngine
import NerqJSON

/// `assess` with `targets`: every package's `compiled` equals `cargo tree -e features --target T`
/// (recorded in Tests/NerqReachTests/Fixtures/ground-truth, cargo 1.95) on the fixture projects,
/// for Linux, Windows and macOS, from Cargo.lock and the crates' own Cargo.toml (Debian's crate
/// sources; scripts/deps.sh) and from cargo metadata; the findings carry `compiled`,
/// `referenced` and `gates`.
@Suite struct ReachTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("NerqReachTests/Fixtures").path
    static let targets = ["x86_64-unknown-linux-gnu", "x86_64-pc-windows-msvc", "aarch64-apple-darwin"]
    static let projects = ["demo", "netfetch", "archiver", "archiver-r1", "bat", "rav1e"]

    static let engine: Engine? = {
        guard let db = SharedData.path("advisory-db") else { return nil }
        return try? Engine(config: ["advisory_db": .string(db), "now": "2026-11-21T00:00:00Z"])
    }()

    /// The Debian crates the fixture projects resolve to (their debian-packages.txt lists the
    /// packages; every lockfile package must be there, exact version).
    static func cratesInstalled(_ project: String) -> Bool {
        guard let text = try? String(contentsOfFile: "\(fixtures)/projects/\(project)/Cargo.lock", encoding: .utf8) else { return false }
        var name: String?
        var missing: [String] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("name = ") { name = String(line.dropFirst(8).dropLast()) }
            if line.hasPrefix("version = "), let n = name {
                let v = String(line.dropFirst(11).dropLast())
                let plain = v.split(separator: "+").first.map(String.init) ?? v
                if !FileManager.default.fileExists(atPath: "/usr/share/cargo/registry/\(n)-\(v)")
                    && !FileManager.default.fileExists(atPath: "/usr/share/cargo/registry/\(n)-\(plain)") {
                    missing.append("\(n)-\(v)")
                }
                name = nil
            }
        }
        let local = ["nerq-demo", "netfetch", "arc-cli", "arc-core", "bat", "rav1e"]
        missing.removeAll { m in local.contains { m.hasPrefix($0 + "-") } }
        return required(missing.isEmpty ? true : nil,
                        "Debian crate sources for \(project) (\(missing.prefix(3).joined(separator: ", ")); scripts/deps.sh)") != nil
    }

    /// The `cargo tree` view of an assessment: per "name version", its feature sets on `target`.
    static func compiled(_ doc: JSONValue, target: String, tests: Bool) -> [String: Set<[String]>] {
        var out: [String: Set<[String]>] = [:]
        guard case .array(let packages)? = doc.objectValue?["packages"] else { return out }
        for case .object(let p) in packages {
            guard case .object(let pkg)? = p["package"], case .string(let name)? = pkg["name"], case .string(let version)? = pkg["version"],
                  case .object(let c)? = p["compiled"], case .array(let ts)? = c["targets"] else { continue }
            for case .object(let t) in ts where t["target"] == .string(target) && t["status"] == .string("yes") {
                let key = "\(name) \(version)"
                if tests, t["test_features"] != nil || t["test_host_features"] != nil {
                    for k in ["test_features", "test_host_features"] {
                        if case .array(let f)? = t[k] { out[key, default: []].insert(f.compactMap { if case .string(let s) = $0 { return s } else { return nil } }) }
                    }
                    continue
                }
                if case .array(let f)? = t["features"] { out[key, default: []].insert(f.compactMap { if case .string(let s) = $0 { return s } else { return nil } }) }
                if case .array(let f)? = t["host_features"] { out[key, default: []].insert(f.compactMap { if case .string(let s) = $0 { return s } else { return nil } }) }
            }
        }
        return out
    }

    static func tree(_ project: String, _ target: String, _ file: String) throws -> [String: Set<[String]>] {
        let text = try String(contentsOfFile: "\(fixtures)/ground-truth/\(project)/\(target)/\(file)", encoding: .utf8)
        var out: [String: Set<[String]>] = [:]
        for raw in text.split(separator: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.contains(" feature \"") { continue }
            if line.hasSuffix("(*)") { line = String(line.dropLast(3)).trimmingCharacters(in: .whitespaces) }
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count >= 2, parts[1].hasPrefix("v") else { continue }
            var features: [String] = []
            if let last = parts.last, parts.count > 2, !last.hasSuffix(")") { features = last.split(separator: ",").map(String.init).sorted() }
            out["\(parts[0]) \(parts[1].dropFirst())", default: []].insert(features)
        }
        return out
    }

    static func diff(_ a: [String: Set<[String]>], _ b: [String: Set<[String]>]) -> [String] {
        Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }.map { k in
            "\(k): nerq \(a[k].map { $0.map { $0.joined(separator: ",") }.sorted() } ?? ["-"]) cargo \(b[k].map { $0.map { $0.joined(separator: ",") }.sorted() } ?? ["-"])"
        }
    }

    static let lockfileCases: [(project: String, file: String, dev: Bool, options: [(String, JSONValue)])] = projects.flatMap { p in
        [(p, "tree.features.no-dev.txt", false, []), (p, "tree.features.txt", true, [])]
    } + ["netfetch", "archiver"].flatMap { p in
        [(p, "tree.features.no-dev--all-features.txt", false, [("all_features", JSONValue.bool(true))]),
         (p, "tree.features.no-dev--no-default-features.txt", false, [("no_default_features", .bool(true))])]
    }

    /// From Cargo.lock alone: every manifest read from disk (the members' beside the lockfile,
    /// the rest from Debian's registry).
    @Test(arguments: lockfileCases.indices)
    func compiledFromLockfile(_ i: Int) throws {
        let c = Self.lockfileCases[i]
        guard let engine = Self.engine, Self.cratesInstalled(c.project) else { return }
        var options = JSONObject([("targets", .strings(Self.targets)), ("host", "x86_64-unknown-linux-gnu"),
                                  ("include_dev", .bool(c.dev)), ("scan_sources", .bool(false))])
        for (k, v) in c.options { options.append(k, v) }
        let doc = try engine.assess(.object(JSONObject([("lockfile", .string("\(Self.fixtures)/projects/\(c.project)/Cargo.lock")),
                                                        ("options", .object(options))])))
        for target in Self.targets {
            let diff = Self.diff(Self.compiled(doc, target: target, tests: c.dev), try Self.tree(c.project, target, c.file))
            #expect(diff.isEmpty, "\(c.project) \(target) \(c.file):\n\(diff.joined(separator: "\n"))")
        }
    }

    /// From the recorded cargo metadata with the lockfile (what `cargo nerq` gives the library).
    @Test(arguments: projects)
    func compiledFromMetadata(_ project: String) throws {
        guard let engine = Self.engine, Self.cratesInstalled(project) else { return }
        let text = try String(contentsOfFile: "\(Self.fixtures)/ground-truth/\(project)/metadata.all.json", encoding: .utf8)
            .replacingOccurrences(of: "/FIXTURES/projects/", with: "\(Self.fixtures)/projects/")
        let metadata = try JSONParser.parse(Array(text.utf8))
        let doc = try engine.assess(.object(JSONObject([
            ("lockfile", .string("\(Self.fixtures)/projects/\(project)/Cargo.lock")), ("metadata", metadata),
            ("options", .object(JSONObject([("targets", .strings(Self.targets)), ("host", "x86_64-unknown-linux-gnu"),
                                            ("scan_sources", .bool(false))]))),
        ])))
        for target in Self.targets {
            let diff = Self.diff(Self.compiled(doc, target: target, tests: true), try Self.tree(project, target, "tree.features.txt"))
            #expect(diff.isEmpty, "\(project) \(target):\n\(diff.joined(separator: "\n"))")
        }
    }

    static func finding(_ doc: JSONValue, _ id: String, _ package: String) -> JSONObject? {
        guard case .array(let findings)? = doc.objectValue?["findings"] else { return nil }
        for case .object(let f) in findings where f["id"] == .string(id) && f["package"] == .string(package) { return f }
        return nil
    }

    /// netfetch: openssl's findings are compiled on Linux only, the rustls stack on no target with
    /// the default features (and say which edge keeps it out); set_host is referenced through
    /// native-tls; a finding not compiled does not count for the deny gates, under `referenced`
    /// neither does one whose functions nothing references.
    @Test func netfetchFindings() throws {
        guard let engine = Self.engine, Self.cratesInstalled("netfetch") else { return }
        func assess(_ extra: [(String, JSONValue)]) throws -> JSONValue {
            try engine.assess(.object(JSONObject([
                ("lockfile", .string("\(Self.fixtures)/projects/netfetch/Cargo.lock")),
                ("options", .object(JSONObject([("targets", .strings(Self.targets)), ("host", "x86_64-unknown-linux-gnu")] + extra))),
            ])))
        }
        let doc = try assess([])
        let setHost = try #require(Self.finding(doc, "RUSTSEC-2023-0044", "openssl"))
        guard case .object(let compiled)? = setHost["compiled"], case .array(let targets)? = compiled["targets"] else {
            Issue.record("no compiled")
            return
        }
        #expect(compiled["status"] == .string("yes"))
        let statuses = targets.compactMap { t -> String? in
            guard case .object(let o) = t, case .string(let s)? = o["status"] else { return nil }
            return s
        }
        #expect(statuses == ["yes", "no", "no"])
        guard case .object(let windows) = targets[1], case .array(let edges)? = windows["edges"] else {
            Issue.record("no edges for Windows")
            return
        }
        #expect(edges.contains(.string("native-tls 0.2.11 -> openssl 0.10.45 (cfg(not(any(target_os = \"windows\", target_os = \"macos\", target_os = \"ios\"))), not x86_64-pc-windows-msvc)")),
                "\(edges)")
        guard case .object(let referenced)? = setHost["referenced"] else {
            Issue.record("no referenced")
            return
        }
        #expect(referenced["status"] == .string("referenced"))
        #expect(setHost["gates"] == .bool(true))

        let rustls = try #require(Self.finding(doc, "RUSTSEC-2024-0336", "rustls"))
        guard case .object(let rc)? = rustls["compiled"], case .array(let rts)? = rc["targets"], case .object(let linux) = rts[0] else {
            Issue.record("no compiled for rustls")
            return
        }
        #expect(rc["status"] == .string("no"))
        #expect(linux["reasons"] == .strings(["feature"]))
        #expect(rustls["gates"] == .bool(false))

        // gate scope "all": everything gates; "referenced": not-referenced findings do not.
        let all = try assess([("gates", .object(JSONObject([("scope", "all")])))])
        #expect(Self.finding(all, "RUSTSEC-2024-0336", "rustls")?["gates"] == .bool(true))
        let byReference = try assess([("gates", .object(JSONObject([("scope", "referenced")])))])
        let namebuilder = try #require(Self.finding(byReference, "RUSTSEC-2023-0022", "openssl"))
        if case .object(let r)? = namebuilder["referenced"], r["status"] == .string("not referenced") {
            #expect(namebuilder["gates"] == .bool(false))
        }
        let shlex = try #require(Self.finding(byReference, "RUSTSEC-2024-0006", "shlex"))
        #expect(shlex["referenced"]?.objectValue?["status"] == .string("referenced"))  // words::quote, shlex renamed
        #expect(shlex["gates"] == .bool(true))
    }

    static func gateIDs(_ doc: JSONValue, _ key: String) -> [String] {
        guard case .object(let gate)? = doc.objectValue?["gate"] else { return [] }
        var out: [String] = []
        if key == "set_apart" {
            guard case .array(let items)? = gate["set_apart"] else { return [] }
            for case .object(let o) in items { if case .string(let id)? = o["id"], case .string(let p)? = o["package"] { out.append("\(id) \(p)") } }
            return out
        }
        guard case .array(let failures)? = gate["failures"] else { return [] }
        for case .object(let f) in failures where f["gate"] == .string("deny") {
            guard case .array(let items)? = f["findings"] else { continue }
            for case .object(let o) in items { if case .string(let id)? = o["id"], case .string(let p)? = o["package"] { out.append("\(id) \(p)") } }
        }
        return out
    }

    /// The deny gate through assess, netfetch on Linux alone: by default (scope "compiled") the
    /// rustls stack's vulnerabilities (not compiled: the `rustls` feature is off) are reported but
    /// do not fail the run and are listed in `set_apart`; nerq.toml's `[gates] scope = "all"` puts
    /// them back; the request's scope wins over the file's; "referenced" also sets apart
    /// findings whose affected functions nothing references, never an unknown one; without
    /// targets nothing is known not to be compiled and every finding counts.
    @Test func gateScope() throws {
        guard let engine = Self.engine, Self.cratesInstalled("netfetch") else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let toml = "\(dir.path)/nerq.toml"
        try "[gates]\nscope = \"all\"\n".write(toFile: toml, atomically: true, encoding: .utf8)
        func assess(targets: [String] = ["x86_64-unknown-linux-gnu"], scope: String? = nil, config: Bool = false) throws -> JSONValue {
            var options: [(String, JSONValue)] = [("targets", .strings(targets)), ("host", "x86_64-unknown-linux-gnu")]
            if let scope { options.append(("gates", .object(JSONObject([("scope", .string(scope))])))) }
            if config { options.append(("config_files", .array([.object(JSONObject([("path", .string(toml)), ("format", "nerq")]))]))) }
            return try engine.assess(.object(JSONObject([("lockfile", .string("\(Self.fixtures)/projects/netfetch/Cargo.lock")),
                                                         ("options", .object(JSONObject(options)))])))
        }
        let notCompiled = ["RUSTSEC-2024-0336 rustls", "RUSTSEC-2023-0052 webpki", "RUSTSEC-2025-0009 ring"]

        let byDefault = try assess()
        #expect(byDefault.objectValue?["gate"]?.objectValue?["scope"] == .object(JSONObject([("scope", "compiled"), ("source", "default")])))
        let denied = Self.gateIDs(byDefault, "deny")
        let apart = Self.gateIDs(byDefault, "set_apart")
        for id in notCompiled {
            #expect(apart.contains(id) && !denied.contains(id), "\(id): denied \(denied), set apart \(apart)")
            // Reported all the same.
            let parts = id.split(separator: " ").map(String.init)
            #expect(Self.finding(byDefault, parts[0], parts[1])?["gates"] == .bool(false))
        }
        #expect(denied.contains("RUSTSEC-2023-0044 openssl"))  // compiled on Linux
        #expect(byDefault.objectValue?["gate"]?.objectValue?["exit_code"] == .int(1))

        let fromFile = try assess(config: true)
        #expect(fromFile.objectValue?["gate"]?.objectValue?["scope"]?.objectValue?["source"] == .string("\(toml):2"))
        for id in notCompiled { #expect(Self.gateIDs(fromFile, "deny").contains(id)) }
        #expect(Self.gateIDs(fromFile, "set_apart").isEmpty)

        let requestWins = try assess(scope: "compiled", config: true)
        #expect(Self.gateIDs(requestWins, "set_apart") == apart)

        let referenced = try assess(scope: "referenced")
        let apartByReference = Self.gateIDs(referenced, "set_apart")
        #expect(apartByReference.count > apart.count)
        #expect(Set(apart).isSubset(of: Set(apartByReference)))
        // Every finding set apart under "referenced" is not compiled or not referenced, never unknown.
        guard case .array(let findings)? = referenced.objectValue?["findings"] else { return }
        for case .object(let f) in findings where f["gates"] == .bool(false) {
            let compiledNo = f["compiled"]?.objectValue?["status"] == .string("no")
            let notReferenced = f["referenced"]?.objectValue?["status"] == .string("not referenced")
            #expect(compiledNo || notReferenced, "\(f["id"] ?? .null) \(f["package"] ?? .null)")
        }

        let noTargets = try assess(targets: [])
        #expect(Self.gateIDs(noTargets, "set_apart").isEmpty)
        for id in notCompiled { #expect(Self.gateIDs(noTargets, "deny").contains(id)) }
    }

    /// Reach options and the gate's scope that are wrong are errors naming the value, before any
    /// work: a target nerq has no cfg table for, "all" beside a triple, the host as "all", a
    /// resolver that does not exist, a scope that is not one.
    @Test(arguments: [
        ("targets", JSONValue.strings(["x86_64-unknown-plan9"]), "$.options.targets[0]", "unknown target"),
        ("targets", .strings(["all", "x86_64-unknown-linux-gnu"]), "$.options.targets", "give it alone"),
        ("targets", .strings(["aarch64-apple-darwin", "aarch64-apple-darwin"]), "$.options.targets[1]", "given twice"),
        ("targets", .array([.object(JSONObject([("triple", "my-os")]))]), "$.options.targets[0]", "cfg"),
        ("host", "all", "$.options.host", "one platform"),
        ("resolver", 4, "$.options.resolver", ""),
        ("gates", .object(JSONObject([("scope", "called")])), "$.options.gates.scope", "\"compiled\""),
    ])
    func badReachOptions(_ key: String, _ value: JSONValue, _ path: String, _ text: String) throws {
        let engine = try Engine(config: .object(JSONObject([("now", "2026-11-21T00:00:00Z")])))
        do {
            _ = try engine.assess(.object(JSONObject([("lockfile_text", ""), ("options", .object(JSONObject([(key, value)])))])))
            Issue.record("no error for \(key)")
        } catch {
            #expect(error.code == .invalidValue || error.code == .missingField, "\(error)")
            #expect(error.path == path, "\(error)")
            if !text.isEmpty { #expect(error.message.contains(text), "\(error)") }
        }
    }
}
