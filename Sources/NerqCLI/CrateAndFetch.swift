import NerqCore
import NerqEngine
import NerqIO
import NerqJSON
import NerqRender

// MARK: - cargo nerq crate NAME[@VERSION]

func runCrate(_ args: ParsedArguments) throws(Failure) -> Int32 {
    let progress = Progress(quiet: args.flag("quiet"))
    let target = args.positionals.first ?? ""
    // The crate's own index file with the advisory data (the crate page shows its registry data).
    let name = String(target.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    let plainName = (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    try fetchMissing(FetchAsk(advisoryDB: args.value("advisory_db"), packages: plainName ? [name] : [], quiet: args.flag("quiet")),
                     noFetch: args.flag("no_fetch"), offline: offlineReason(offline: args.flag("offline"), frozen: false), progress: progress)
    let engine = try makeEngine(args)
    let db = try loadedDatabase(engine)
    try checkDatabase(db)
    var report: JSONValue
    do throws(NerqError) {
        let answer = try engine.preflight(.object(JSONObject([("target", .string(target))])))
        var package = answer.objectValue?["package"]?.objectValue ?? JSONObject()
        if !target.contains("@") {
            // The version this project uses comes first; else the newest the registry data knows.
            let locked = lockedVersions(package["name"]?.stringValue ?? name, lockfile: args.value("lockfile"))
            if let newest = locked.last {
                package.set("version", .string(newest))
                let others = locked.count > 1 ? " (also locked: \(locked.dropLast().joined(separator: ", ")))" : ""
                progress("Resolved", "\(package["name"]?.stringValue ?? name) to \(newest), the version Cargo.lock locks\(others)")
            }
        }
        report = try engine.score(.object(JSONObject([("package", .object(package))])))
    } catch {
        throw Failure(error.code == .invalidValue ? "\(target): \(error.message)" : error.description)
    }
    let reportPackage = report.objectValue?["package"]?.objectValue
    if (reportPackage?["version"]?.stringValue ?? "").isEmpty {
        say("note: \(reportPackage?["name"]?.stringValue ?? name): no version given, none locked here, and no registry data names the newest: "
            + "give NAME@VERSION")
    }
    let format = args.value("format") ?? "human"
    let rendered: String
    if format == "json" {
        rendered = String(decoding: JSONText.encode(report), as: UTF8.self) + "\n"
    } else {
        // The page names the advisory database it was checked against (readers ignore unknown keys).
        if var o = report.objectValue, let db {
            o.set("database", .object(db))
            report = .object(o)
        }
        let options = try renderOptions(args, format: format).with("format", .string(format))
        do throws(NerqError) {
            rendered = String(decoding: try Renderer.render(report, options: .object(options), version: nerqVersion), as: UTF8.self)
        } catch {
            throw Failure("rendering \(format): \(error.description)")
        }
    }
    let message = crateGate(report, failUnder: args.value("fail_under").flatMap(Double.init), deny: args.all("deny"))
    return finish(rendered, to: args.value("output"), gate: message == nil ? Exit.ok : Exit.gate, message: message,
                  progress: progress, format: format)
}

extension JSONObject {
    func with(_ key: String, _ value: JSONValue) -> JSONObject {
        var o = self
        o.set(key, value)
        return o
    }
}

/// The versions of `name` that Cargo.lock locks (the nearest one from here up when not given),
/// oldest first.
func lockedVersions(_ name: String, lockfile: String?) -> [String] {
    guard let path = lockfile ?? firstUp(from: currentDirectory(), ["Cargo.lock"]),
          case .success(let bytes) = Files.readBytes(path, limit: 512 << 20) else { return [] }
    let wanted = name.crateNameKey()
    var versions: [String] = []
    for block in String(decoding: bytes, as: UTF8.self).split(separator: "[[package]]", omittingEmptySubsequences: false).dropFirst() {
        var n: String?, v: String?
        for line in block.split(separator: "\n") {
            let t = line.trimmingSpaces()
            if n == nil, let value = quotedValue(t, key: "name") { n = value }
            if v == nil, let value = quotedValue(t, key: "version") { v = value }
        }
        if let n, let v, n.crateNameKey() == wanted, !versions.contains(v) { versions.append(v) }
    }
    return versions.sorted { versionKey($0) < versionKey($1) }
}

/// `key = "value"` on one line: the value.
func quotedValue(_ line: String, key: String) -> String? {
    guard line.hasPrefix(key) else { return nil }
    let rest = line.dropFirst(key.count).trimmingSpaces()
    guard rest.hasPrefix("=") else { return nil }
    let value = rest.dropFirst().trimmingSpaces()
    guard value.hasPrefix("\""), let end = value.dropFirst().firstIndex(of: "\"") else { return nil }
    return String(value[value.index(after: value.startIndex)..<end])
}

struct VersionKey: Comparable {
    let numbers: [Int]
    let release: Bool
    let pre: String
    static func < (a: VersionKey, b: VersionKey) -> Bool {
        if a.numbers != b.numbers { return a.numbers.lexicographicallyPrecedes(b.numbers) }
        if a.release != b.release { return !a.release }
        return a.pre < b.pre
    }
}

func versionKey(_ v: String) -> VersionKey {
    let core = v.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? v
    let parts = core.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
    let main = parts.first.map(String.init) ?? ""
    let pre = parts.count > 1 ? String(parts[1]) : ""
    return VersionKey(numbers: main.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) ?? 0 }, release: pre.isEmpty, pre: pre)
}

extension String {
    func crateNameKey() -> String { String(map { $0 == "_" ? "-" : $0 }).lowercased() }
}

/// One line when the crate trips --fail-under or --deny, else nil.
func crateGate(_ report: JSONValue, failUnder: Double?, deny: [String]) -> String? {
    let r = report.objectValue
    var parts: [String] = []
    let pkg = r?["package"]?.objectValue
    let label = "\(pkg?["name"]?.stringValue ?? "None") \(pkg?["version"]?.stringValue ?? "")".trimmingSpaces()
    var score: Double?
    switch r?["trust_score"] {
    case .double(let d)?: score = d
    case .int(let i)?: score = Double(i)
    default: score = nil
    }
    if let failUnder, let score, score < failUnder {
        parts.append("\(label) scores \(Numbers.fixed(score, 1)), below --fail-under \(shortNumber(failUnder))")
    }
    var hits: [JSONObject] = []
    if case .array(let findings)? = r?["findings"] {
        hits = findings.compactMap(\.objectValue).filter { deny.contains($0["kind"]?.stringValue ?? "") }
    }
    if !hits.isEmpty {
        let listed = hits.prefix(5).map { f -> String in
            let kind = f["kind"]?.stringValue ?? ""
            let id = f["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? kind
            return "\(id) (\(kind))"
        }.joined(separator: ", ")
        parts.append("\(Words.plural(Int64(hits.count), "denied finding")): \(listed)" + (hits.count > 5 ? " and \(hits.count - 5) more" : ""))
    }
    return parts.isEmpty ? nil : parts.joined(separator: "; ")
}

// MARK: - cargo nerq fetch

func runFetch(_ args: ParsedArguments) throws(Failure) -> Int32 {
    let style = Style(enabled: try useColour(args.value("color")))
    let ask = FetchAsk(advisoryDB: args.value("advisory_db"), lockfile: projectLockfile(args), packages: args.all("package"),
                       dump: args.flag("dump"), command: true, quiet: args.flag("quiet"))
    var request = fetchRequest(ask, update: args.flag("missing") ? "missing" : "always")
    let reason = offlineReason(offline: args.flag("offline"), frozen: false)
    if reason != nil { request.append("offline", true) }
    let names = request["sources"]?.objectValue?.keys ?? []
    Progress(quiet: args.flag("quiet"))("Fetching", names.joined(separator: ", ") + (reason.map { " (\($0): offline)" } ?? ""))
    var doc = try runFetcher(request)
    if let reason, var o = doc.objectValue {
        o.set("offline_reason", .string(reason))  // more precise than the library's "the request says offline"
        doc = .object(o)
    }
    let text = args.value("format") == "json"
        ? String(decoding: JSONText.encode(doc), as: UTF8.self) + "\n"
        : renderFetch(doc, now: args.value("now") ?? clockNow(), style: style)
    do throws(OutputError) {
        try writeOutput(text, to: nil)
    } catch {
        say("error: \(error.message)")
        return Exit.error
    }
    // `failed`: how many sources could not be fetched.
    if case .int(let failed)? = doc.objectValue?["failed"], failed > 0 { return Exit.error }
    return Exit.ok
}
