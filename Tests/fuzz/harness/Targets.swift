// nerq's libFuzzer targets. Built only by `make fuzz` / `make fuzz-smoke` (swift build
// --sanitize=fuzzer --sanitize=address -Xswiftc -DNERQ_FUZZ); a plain `swift build` compiles the
// stub in Stub.swift instead, so this file may use @testable imports (debug builds only).
//
// A target returns normally for any input: errors are results. It calls `violation` (which aborts,
// so libFuzzer saves the input) when an oracle fails: an error document with an unknown code or
// internal_error, a text result that is not JSON, the text and json_t forms disagreeing, a parser
// disagreeing with jansson, a printed value that does not parse back.
#if NERQ_FUZZ
#if canImport(Glibc)
import Glibc
#endif
import NerqArchive
import NerqIO
import NerqJSON
import NerqSemver
import NerqCVSS
import CJansson
@testable import NerqABI
@testable import NerqAdvisories
@testable import NerqCargo
@testable import NerqConfig
import NerqCore
@testable import NerqEngine
@testable import NerqRegistry
@testable import NerqRender
@testable import NerqScan
import NerqTOML

/// The moment every fuzzed report speaks of, so outputs do not depend on the clock.
let fixedNow = "2026-11-21T00:00:00Z"

func violation(_ what: String) -> Never {
    say("nerq-fuzz: ORACLE VIOLATION: \(what)\n")
    abort()
}

struct FuzzTarget {
    let name: String
    let run: (UnsafeRawBufferPointer) -> Void
}

nonisolated(unsafe) let targets: [FuzzTarget] = [
    FuzzTarget(name: "json", run: fuzzJSON),
    FuzzTarget(name: "score", run: { fuzzCall($0, call: .score) }),
    FuzzTarget(name: "preflight", run: { fuzzCall($0, call: .preflight) }),
    FuzzTarget(name: "assess", run: { fuzzCall($0, call: .assess) }),
    FuzzTarget(name: "assess_lockfile", run: fuzzAssessLockfile),
    FuzzTarget(name: "engine_new", run: fuzzEngineNew),
    FuzzTarget(name: "toml", run: fuzzTOML),
    FuzzTarget(name: "lockfile", run: fuzzLockfile),
    FuzzTarget(name: "rustsec", run: { fuzzAdvisory($0, type: .rustsec(.crates)) }),
    FuzzTarget(name: "osv", run: { fuzzAdvisory($0, type: .osv) }),
    FuzzTarget(name: "scan", run: fuzzScan),
    FuzzTarget(name: "semver", run: fuzzSemver),
    FuzzTarget(name: "cvss", run: fuzzCVSS),
    FuzzTarget(name: "index_cache", run: fuzzIndexCache),
    FuzzTarget(name: "registry_csv", run: fuzzRegistryCSV),
    FuzzTarget(name: "zip", run: { fuzzArchive($0, zip: true) }),
    FuzzTarget(name: "tar", run: { fuzzArchive($0, zip: false) }),
    FuzzTarget(name: "render", run: fuzzRender),
    FuzzTarget(name: "config", run: fuzzConfig),
]

// MARK: - config

/// The same text as each configuration format (audit.toml, deny.toml, nerq.toml, a Cargo.toml
/// with [workspace.metadata.nerq]). An error must be one of the codes a file can cause and name
/// the file (`fuzz.toml:LINE`); what is read must hold only well-formed ignore ids, known kinds
/// and a policy the engine accepts.
func fuzzConfig(_ data: UnsafeRawBufferPointer) {
    guard let text = String(validating: data, as: UTF8.self) else { return }
    let allowed: [NerqError.Code] = [.parseError, .unknownKey, .invalidType, .invalidValue, .missingField]
    for format in ConfigFormat.allCases {
        var config = ProjectConfig()
        do throws(NerqError) {
            try ProjectConfig.read(text: text, name: "fuzz.toml", format: format, into: &config)
        } catch {
            guard allowed.contains(error.code) else { violation("config \(format.rawValue): unexpected code \(error.document)") }
            guard error.path?.hasPrefix("fuzz.toml") == true, error.message.hasPrefix("fuzz.toml") else {
                violation("config \(format.rawValue): error does not name the file: \(error.document)")
            }
            continue
        }
        for rule in config.ignores where AdvisoryID.problem(rule.id) != nil {
            violation("config \(format.rawValue): malformed id accepted: \(rule.id)")
        }
        for d in config.deny where !ProjectConfig.kinds.contains(d.kind) { violation("config: unknown kind \(d.kind)") }
        if let p = config.policy {
            do throws(NerqError) { _ = try Policy.read(JSONReader(p.json)) } catch { violation("config: policy accepted, then refused: \(error)") }
        }
    }
}

// MARK: - render

/// nerq_render_str on any text, in every format (the human one 40 columns wide). A failure must be
/// an error document naming a `$.document` path; a rendering must hold no NUL, no raw control, bidi
/// or invisible character, no line a GitHub runner would take as a command, no human line wider
/// than asked; the json format must give back the document read; the json_t form must agree.
func fuzzRender(_ data: UnsafeRawBufferPointer) {
    let formats = ["human", "markdown", "sarif", "html", "json"]
    var human: String?
    for format in formats {
        let options = format == "human" ? "{\"format\":\"human\",\"width\":40,\"evidence\":true}" : "{\"format\":\"\(format)\"}"
        var err: UnsafeMutablePointer<CChar>?
        let text: UnsafeMutablePointer<CChar>? = withCString(data) { nerq_render_str($0, options, &err) }
        defer { nerq_free(text); nerq_free(err) }
        guard let text else {
            let doc = checkDocument(err, kind: "-", what: "render \(format)")
            guard let code = errorCode(doc) else { violation("render \(format): NULL without an error") }
            if case .object(let o) = doc, case .object(let e)? = o["error"], case .string(let path)? = e["path"],
               !path.hasPrefix("$.document") {
                violation("render \(format): \(code) names \(path), not the document")
            }
            return  // the document is refused the same way in every format
        }
        let out = String(cString: text)
        for scalar in out.unicodeScalars where scalar != "\n" && Escape.isHazard(scalar.value) {
            violation("render \(format): raw U+\(String(scalar.value, radix: 16)) in the output")
        }
        for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { WorkflowGuard.isRunnerSpace($0.unicodeScalars.first?.value ?? 0) }
            if trimmed.hasPrefix("::") || line.contains("##[") { violation("render \(format): workflow command: \(line)") }
            if format == "human" && TextWidth.of(String(line)) > 40 { violation("render human: wider than 40: \(line)") }
        }
        if format == "human" { human = out }
        if format == "json" {
            do throws(NerqError) {
                let back = try JSONParser.parse(out)
                let input = try JSONParser.parse(UnsafeRawBufferPointer(prefixBeforeNUL(data)))
                if back != input { violation("render json: not the same document") }
            } catch {
                violation("render json: \(error)")
            }
        }
    }
    // The json_t form on what jansson reads gives the same human text.
    guard let human, let doc = janssonLoad(prefixBeforeNUL(data)) else { return }
    defer { json_decref(doc) }
    guard let options = JanssonBridge.json(["format": "human", "width": 40, "evidence": true]) else { return }
    defer { json_decref(options) }
    var err: UnsafeMutablePointer<json_t>?
    let text = nerq_render(doc, options, &err)
    defer { nerq_free(text); json_decref(err) }
    guard let text, String(cString: text) == human else { violation("render: json_t and text forms differ") }
}

// MARK: - engines (made once per process)

/// `{"now": fixed, "scan_sources": false}`: default policy, no data, no source scan.
nonisolated(unsafe) var plainEngine: OpaquePointer?
/// With the shared advisory snapshot when NERQ_FUZZ_ADVISORY_DB names it (else the plain engine).
nonisolated(unsafe) var dataEngine: OpaquePointer?

func setUpEngines() {
    // Engines must not pick up a default advisory database from the environment.
    unsetenv("NERQ_ADVISORY_DB")
    setenv("HOME", "/nonexistent-nerq-fuzz-home", 1)
    // The advisory snapshot path must be absolute: the sandbox below changes the working directory.
    setUpSandbox()
    plainEngine = nerq_engine_new_str("{\"now\":\"\(fixedNow)\",\"scan_sources\":false}", nil)
    dataEngine = plainEngine
    if let db = getenv("NERQ_FUZZ_ADVISORY_DB") {
        let config = JSONText.string(.object(JSONObject([("advisory_db", .string(String(cString: db))), ("now", .string(fixedNow))])))
        var err: UnsafeMutablePointer<CChar>?
        if let e = nerq_engine_new_str(config, &err) {
            dataEngine = e
        } else {
            say("nerq-fuzz: cannot load NERQ_FUZZ_ADVISORY_DB: \(err.map { String(cString: $0) } ?? "?")\n")
        }
        nerq_free(err)
    }
}

// MARK: - helpers

/// A NUL-terminated copy of the input (a C string stops at the first NUL byte, as a host's would).
func withCString<R>(_ data: UnsafeRawBufferPointer, _ body: (UnsafePointer<CChar>) -> R) -> R {
    var bytes = [CChar](repeating: 0, count: data.count + 1)
    for k in 0..<data.count { bytes[k] = CChar(bitPattern: data[k]) }
    return bytes.withUnsafeBufferPointer { buf in
        guard let base = buf.baseAddress else { violation("empty buffer") }
        return body(base)
    }
}

let knownCodes = Set(NerqError.Code.allCases.map(\.rawValue)).subtracting(["internal_error"])

/// Checks a text result: JSON, an object, either an error with a known code or a document of `kind`.
@discardableResult
func checkDocument(_ text: UnsafeMutablePointer<CChar>?, kind: String, what: String) -> JSONValue {
    guard let text else { violation("\(what): NULL result (memory did not run out)") }
    let doc: JSONValue
    do throws(NerqError) {
        doc = try JSONParser.parse(UnsafeRawBufferPointer(start: text, count: strlen(text)))
    } catch {
        violation("\(what): result is not JSON (\(error.message)): \(String(cString: text))")
    }
    checkDocument(doc, kind: kind, what: what)
    return doc
}

func checkDocument(_ doc: JSONValue, kind: String, what: String) {
    guard case .object(let o) = doc else { violation("\(what): result is not an object") }
    if case .object(let e)? = o["error"] {
        guard case .string(let code)? = e["code"], knownCodes.contains(code) else {
            violation("\(what): bad error code: \(JSONText.string(doc))")
        }
        guard case .string? = e["message"] else { violation("\(what): error without a message") }
        switch e["path"] {
        case .string?, .null?: break
        default: violation("\(what): error path is neither a string nor null")
        }
    } else {
        guard o["kind"] == .string(kind) else { violation("\(what): expected kind \(kind): \(JSONText.string(doc))") }
    }
}

func errorCode(_ doc: JSONValue) -> String? {
    if case .object(let o) = doc, case .object(let e)? = o["error"], case .string(let c)? = e["code"] { return c }
    return nil
}

/// jansson's reading of the same text, with the flags nerq's parser mirrors.
func janssonLoad(_ data: UnsafeRawBufferPointer) -> UnsafeMutablePointer<json_t>? {
    var err = json_error_t()
    let flags = JSON_REJECT_DUPLICATES | JSON_DECODE_ANY
    return data.withMemoryRebound(to: CChar.self) { json_loadb($0.baseAddress, data.count, Int(flags), &err) }
}

/// The C string up to its first NUL byte.
func prefixBeforeNUL(_ data: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var n = 0
    while n < data.count && data[n] != 0 { n += 1 }
    return UnsafeRawBufferPointer(rebasing: data[0..<n])
}

// MARK: - JSON parser

func fuzzJSON(_ data: UnsafeRawBufferPointer) {
    let ours: JSONValue?
    var ourError: NerqError?
    do throws(NerqError) {
        ours = try JSONParser.parse(data)
    } catch {
        ours = nil
        ourError = error
        guard error.code == .invalidJSON, error.path == "$" else { violation("json: unexpected error \(error.document)") }
    }
    // Differential against jansson (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY): the same verdict,
    // except that nerq refuses nesting deeper than 128 levels (jansson allows 2048), and that
    // json_loadb stops at a NUL byte after a value ("0\0" is accepted) where nerq refuses it.
    let theirs = data.contains(0) ? nil : janssonLoad(data)
    defer { json_decref(theirs) }
    switch (ours, theirs) {
    case (let v?, let j?):
        let converted: JSONValue
        do throws(NerqError) { converted = try JanssonBridge.value(j) } catch {
            violation("json: jansson's value does not convert: \(error.document)")
        }
        guard converted == v else { violation("json: nerq and jansson read different values") }
    case (.some, nil):
        if !data.contains(0) { violation("json: nerq accepts what jansson refuses") }
    case (nil, .some):
        guard let e = ourError, e.message.contains("nested deeper than") else {
            violation("json: nerq refuses what jansson accepts: \(ourError?.message ?? "")")
        }
    case (nil, nil):
        break
    }
    // Round trip: what nerq prints parses back to the same value.
    if let v = ours {
        let text = JSONText.encode(v)
        do throws(NerqError) {
            let again = try JSONParser.parse(text)
            guard again == v else { violation("json: printed value reads back differently") }
        } catch {
            violation("json: printed value does not parse: \(error.message)")
        }
    }
}

// MARK: - C API: score / preflight / assess (text and json_t forms)

func fuzzCall(_ data: UnsafeRawBufferPointer, call: Call) {
    let engine = call == .assess ? dataEngine : (data.first.map { $0 & 1 == 0 } ?? true ? dataEngine : plainEngine)
    let kind: String
    switch call {
    case .score: kind = "nerq.report"
    case .preflight: kind = "nerq.preflight"
    case .assess: kind = "nerq.assessment"
    }
    let text: UnsafeMutablePointer<CChar>? = withCString(data) { request in
        switch call {
        case .score: return nerq_score_str(engine, request)
        case .preflight: return nerq_preflight_str(engine, request)
        case .assess: return nerq_assess_str(engine, request)
        }
    }
    defer { nerq_free(text) }
    let fromText = checkDocument(text, kind: kind, what: call.name + "_str")

    // The json_t form on what jansson reads from the same C string must give the same document.
    guard let request = janssonLoad(prefixBeforeNUL(data)) else { return }
    defer { json_decref(request) }
    let result: UnsafeMutablePointer<json_t>?
    switch call {
    case .score: result = nerq_score(engine, request)
    case .preflight: result = nerq_preflight(engine, request)
    case .assess: result = nerq_assess(engine, request)
    }
    guard let result else { violation("\(call.name): NULL result") }
    defer { json_decref(result) }
    let fromJSON: JSONValue
    do throws(NerqError) { fromJSON = try JanssonBridge.value(result) } catch {
        violation("\(call.name): result does not convert: \(error.document)")
    }
    checkDocument(fromJSON, kind: kind, what: call.name)
    if fromJSON != fromText {
        // nerq's text parser stops at 128 levels (invalid_json), the json_t converter too (too_deep).
        if errorCode(fromText) == "invalid_json" && errorCode(fromJSON) == "too_deep" { return }
        violation("\(call.name): text and json_t forms differ:\n  text: \(JSONText.string(fromText))\n  json: \(JSONText.string(fromJSON))")
    }
}

func fuzzAssessLockfile(_ data: UnsafeRawBufferPointer) {
    // The lockfile as a JSON string: invalid UTF-8 becomes U+FFFD (JSON text cannot carry it).
    let lock = String(decoding: data, as: UTF8.self)
    let request = JSONValue.object(JSONObject([
        ("lockfile_text", .string(lock)), ("now", .string(fixedNow)),
        ("options", .object(JSONObject([("scan_sources", .bool(false))]))),
    ]))
    let text = JSONText.string(request)
    let result = nerq_assess_str(dataEngine, text)
    defer { nerq_free(result) }
    checkDocument(result, kind: "nerq.assessment", what: "nerq_assess_str(lockfile_text)")
}

/// Loading a real directory tree is slow by design (advisory_db "/" or "/proc": every *.json up to
/// 4 levels deep, symlinks followed; 16-18 s in a release build, see docs/bad-input.md), so the
/// engine_new target loads databases only from its sandbox: the working directory, set up by
/// `setUpSandbox` with a few advisories. Absolute paths and ".." in advisory_db, registry and
/// registry_store (which nerq writes a store to) are left out (not fuzzed).
func namesPathOutsideSandbox(_ data: UnsafeRawBufferPointer) -> Bool {
    guard case .object(let o)? = try? JSONParser.parse(prefixBeforeNUL(data)) else { return false }
    // advisory_db is read; registry is read (a dump is ingested into registry_store, which is written).
    for key in ["advisory_db", "registry", "registry_store"] {
        guard case .string(let path)? = o[key] else { continue }
        if path.hasPrefix("/") || path.hasPrefix("~") || path.contains("..") { return true }
    }
    return false
}

/// The working directory: $NERQ_FUZZ_SANDBOX (made if missing; run.sh gives each target its own),
/// else a new directory under /tmp; it gets a small advisory database in `db/` (RustSec and OSV
/// files). libFuzzer's paths must then be absolute (run.sh passes them so).
func setUpSandbox() {
    var dir: String
    if let s = getenv("NERQ_FUZZ_SANDBOX") {
        dir = String(cString: s)
        mkdir(dir, 0o755)
    } else {
        var template = Array("/tmp/nerq-fuzz-sandbox-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buf -> Bool in
            guard let base = buf.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { return }
        dir = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    guard chdir(dir) == 0 else {
        say("nerq-fuzz: cannot enter the sandbox \(dir)\n")
        return
    }
    for d in ["db", "db/crates", "db/crates/nix", "db/crates/atty"] { mkdir(d, 0o755) }
    let files = [
        ("db/crates/nix/RUSTSEC-2021-0119.md", "```toml\n[advisory]\nid = \"RUSTSEC-2021-0119\"\npackage = \"nix\"\ndate = \"2021-12-04\"\ncvss = \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"\n[versions]\npatched = [\"^0.20.2\", \">= 0.23.0\"]\n```\n\n# Out-of-bounds write\n"),
        ("db/crates/atty/RUSTSEC-2021-0145.md", "```toml\n[advisory]\nid = \"RUSTSEC-2021-0145\"\npackage = \"atty\"\ndate = \"2021-07-04\"\ninformational = \"unsound\"\n[versions]\npatched = []\n```\n\n# Unaligned read\n"),
        ("db/osv.json", "{\"id\":\"GHSA-1\",\"affected\":[{\"package\":{\"ecosystem\":\"crates.io\",\"name\":\"nix\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"0.23.0\"}]}]}]}"),
    ]
    for (name, text) in files {
        guard let f = fopen(name, "w") else { continue }
        fputs(text, f)
        fclose(f)
    }
}

func fuzzEngineNew(_ data: UnsafeRawBufferPointer) {
    if namesPathOutsideSandbox(data) { return }
    var err: UnsafeMutablePointer<CChar>?
    let engine = withCString(data) { nerq_engine_new_str($0, &err) }
    defer { nerq_free(err) }
    if let engine {
        guard err == nil else { violation("engine_new_str: an engine and an error") }
        // The engine works.
        let r = nerq_score_str(engine, "{\"package\":{\"name\":\"nix\",\"version\":\"0.22.1\"}}")
        checkDocument(r, kind: "nerq.report", what: "score with a fuzzed engine")
        nerq_free(r)
        nerq_engine_free(engine)
    } else {
        guard err != nil else { violation("engine_new_str: no engine and no error") }
        let doc = checkDocument(err, kind: "-", what: "engine_new_str")
        guard errorCode(doc) != nil else { violation("engine_new_str: failure without an error document") }
    }
    // The json_t form agrees on success or failure.
    guard let config = janssonLoad(prefixBeforeNUL(data)) else { return }
    defer { json_decref(config) }
    var jerr: UnsafeMutablePointer<json_t>?
    let e2 = nerq_engine_new(config, &jerr)
    defer { json_decref(jerr) }
    if (e2 == nil) != (engine == nil) {
        let deep = jerr.flatMap { try? JanssonBridge.value($0) }.flatMap(errorCode) == "too_deep"
        if !deep { violation("engine_new: text and json_t forms disagree") }
    }
    nerq_engine_free(e2)
}

// MARK: - parsers

func fuzzTOML(_ data: UnsafeRawBufferPointer) {
    do throws(TOMLError) {
        let table = try TOML.parse(data)
        _ = table.count
    } catch {
        guard error.line >= 1, error.column >= 1 else { violation("toml: error position \(error.line):\(error.column)") }
    }
}

func fuzzLockfile(_ data: UnsafeRawBufferPointer) {
    let lock: Lockfile
    do throws(NerqError) {
        lock = try Lockfile.parse(Array(data), file: "Cargo.lock")
    } catch {
        guard error.code == .parseError else { violation("lockfile: unexpected error \(error.document)") }
        return
    }
    guard lock.dependencies.count == lock.packages.count else { violation("lockfile: dependency table size") }
    for deps in lock.dependencies {
        for d in deps where d < 0 || d >= lock.packages.count { violation("lockfile: dependency index \(d) out of range") }
    }
    // The project graph and its dependency paths (cycles, duplicates, dangling references).
    let graph = ProjectGraph.build(lockfile: lock, metadata: nil)
    _ = graph.paths(to: Set(graph.nodes.indices), limit: 3, reverse: graph.reverseEdges())
}

func fuzzAdvisory(_ data: UnsafeRawBufferPointer, type: AdvisoryDatabase.FileType) {
    let outcomes = AdvisoryDatabase.parseFile(data, rel: "crates/fuzz/RUSTSEC-0000-0000.md", type: type)
    let db = AdvisoryDatabase.assemble(path: "fuzz", outcomes: [outcomes], filter: nil)
    let probes = ["0.0.0", "0.1.0", "1.0.0", "1.2.3-alpha.1", "18446744073709551615.0.0"].compactMap { try? Version.parse($0) }
    for r in db.advisories {
        for v in probes { _ = r.affects(v) }
        _ = JSONText.encode(r.signal.json)
        for v in probes { _ = db.matching(package: r.package, version: v, os: "linux", arch: "x86_64") }
    }
}

nonisolated(unsafe) let scanStorage = TokenStorage()

func fuzzScan(_ data: UnsafeRawBufferPointer) {
    let bytes = Array(data)
    bytes.withUnsafeBufferPointer { src in
        for (role, root) in [(FileRole.product, true), (FileRole.build, false)] {
            let stats = RustLexer.tokenize(src, into: scanStorage)
            guard stats.errors.count <= RustLexer.maxStoredErrors else { violation("scan: too many stored errors") }
            for t in scanStorage.tokens where t.start > t.end || t.end > src.count {
                violation("scan: token range \(t.start)..<\(t.end) outside the file")
            }
            var ev = EvidenceCollector(cap: 20)
            var a = FileAnalyzer(tokens: scanStorage.tokens, source: src, role: role, isCrateRoot: root, file: "src/lib.rs")
            a.run(&ev)
        }
    }
    _ = try? CargoManifest.parse(bytes)
    _ = LicenseDetector.detect(bytes)
}

func fuzzSemver(_ data: UnsafeRawBufferPointer) {
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var versions: [Version] = []
    var reqs: [VersionReq] = []
    for line in lines.prefix(64) {
        if let v = try? Version.parse(line) {
            versions.append(v)
            // What nerq prints reads back as the same version.
            guard let again = try? Version.parse(v.description), Version.compareIncludingBuild(again, v) == 0 else {
                violation("semver: \(line) prints as \(v.description), which does not read back")
            }
        }
        if let r = try? VersionReq.parse(line) {
            reqs.append(r)
            guard (try? VersionReq.parse(r.description)) != nil else {
                violation("semver: requirement \(line) prints as \(r.description), which does not parse")
            }
        }
    }
    for r in reqs.prefix(16) { for v in versions.prefix(16) { _ = r.matches(v) } }
    for v in versions.prefix(16) { for w in versions.prefix(16) { _ = v < w } }
    let half = lines.count / 2
    if let av = try? AdvisoryVersions(patched: Array(lines.prefix(half).prefix(16)), unaffected: Array(lines.dropFirst(half).prefix(16))) {
        for v in versions.prefix(16) { _ = av.affects(v) }
    }
    _ = try? Preflight.parseTarget(lines.first ?? "", path: "$.target")
}

/// A cargo index cache file (~/.cargo/registry/index/*/.cache/…), read for registry signals.
func fuzzIndexCache(_ data: UnsafeRawBufferPointer) {
    do throws(NerqError) {
        let file = try CargoIndexCache.parse(Array(data), path: "cache/se/rd/serde")
        for v in ["1.0.0", "0.1.0-alpha.1", "x"] { _ = CargoIndexCache.signals(file, version: v) }
        _ = CargoIndexCache.signals(file, version: nil)
    } catch {
        guard error.code == .parseError else { violation("index_cache: unexpected error \(error.document)") }
    }
}

/// The crates.io database dump's CSV (PostgreSQL COPY text), fed in two chunks split where the
/// first byte says, with every field read as the store's loaders read them.
func fuzzRegistryCSV(_ data: UnsafeRawBufferPointer) {
    let bytes = Array(data)
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    let parser = CSVParser(file: "crates.csv") { (row: CSVRow) throws(NerqError) in
        guard row.line >= 1 else { violation("registry_csv: line \(row.line)") }
        for i in 0..<row.count {
            guard let f = row.field(i) else { continue }
            _ = PGText.int64(f)
            _ = PGText.bool(f)
            _ = PGText.date(f)
            _ = PGText.dateTime(f)
            _ = PGText.array(f)
        }
    }
    do throws(NerqError) {
        try bytes.withUnsafeBufferPointer { (buf: UnsafeBufferPointer<UInt8>) throws(NerqError) in
            try parser.feed(UnsafeBufferPointer(rebasing: buf[0..<split]))
            try parser.feed(UnsafeBufferPointer(rebasing: buf[split..<buf.count]))
        }
        try parser.finish()
    } catch {
        guard error.code == .parseError || error.code == .invalidValue else { violation("registry_csv: unexpected error \(error.document)") }
    }
}

func fuzzCVSS(_ data: UnsafeRawBufferPointer) {
    let vector = String(decoding: data, as: UTF8.self)
    if let (score, severity) = try? CVSS.baseScore(vector) {
        guard score >= 0, score <= 10 else { violation("cvss: score \(score) for \(vector)") }
        guard ["none", "low", "medium", "high", "critical"].contains(severity) else { violation("cvss: severity \(severity)") }
    }
}
#endif

#if NERQ_FUZZ
/// Bytes as a fetched archive (a zip, or a tarball, gzipped or not), extracted into a fresh
/// directory of the sandbox with small caps: only `parse_error`/`invalid_value`/`io_error` come
/// back, and whatever was written is regular files and directories below that directory.
func fuzzArchive(_ data: UnsafeRawBufferPointer, zip: Bool) {
    let file = zip ? "archive.zip" : "archive.tar.gz"
    let dest = "extracted"
    Files.removeTree(dest)
    guard mkdir(dest, 0o755) == 0, let f = fopen(file, "w") else { return }
    if let base = data.baseAddress { fwrite(base, 1, data.count, f) }
    fclose(f)
    let limits = ArchiveLimits(maxEntries: 64, maxEntryBytes: 1 << 20, maxTotalBytes: 4 << 20)
    do throws(NerqError) {
        _ = zip ? try Archive.extractZip(file, into: dest, limits: limits) : try Archive.extractTar(file, into: dest, limits: limits)
    } catch {
        guard [.parseError, .invalidValue, .ioError].contains(error.code) else { violation("\(file): unexpected error \(error.document)") }
    }
    var stack = [dest]
    while let dir = stack.popLast() {
        for e in Directory.list(path: dir) ?? [] {
            switch e.kind {
            case .directory: stack.append(dir + "/" + e.name)
            case .file: break
            case .symlink, .other: violation("\(file): extraction made \(dir)/\(e.name), not a file or directory")
            }
        }
    }
    Files.removeTree(dest)
}
#endif
