#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqCore
import NerqFetch
import NerqIO
import NerqJSON
import NerqRender

// Fetching data: the library fetches; this decides what to ask for and prints what happened.

struct FetchAsk {
    var advisoryDB: String?
    var lockfile: String?
    var packages: [String] = []
    var dump = false
    /// `cargo nerq fetch` updates a database named on the command line too; a project run leaves
    /// the user's own database as it is.
    var command = false
    var quiet = false
}

func fetchRequest(_ ask: FetchAsk, update: String) -> JSONObject {
    var sources = JSONObject()
    // A database named on the command line or in NERQ_ADVISORY_DB is the user's: it is used as it
    // is (the OSV records would be merged into a database the user chose not to have updated).
    let named = ask.advisoryDB ?? environment("NERQ_ADVISORY_DB").flatMap { $0.isEmpty ? nil : $0 }
    if named == nil || ask.command { sources.append("advisory_db", .object(JSONObject())) }
    if named == nil { sources.append("osv", .object(JSONObject())) }
    if ask.lockfile != nil || !ask.packages.isEmpty {
        var index = JSONObject()
        if let lockfile = ask.lockfile { index.append("lockfile", .string(absolutePath(lockfile))) }
        if !ask.packages.isEmpty { index.append("packages", .strings(ask.packages)) }
        sources.append("index", .object(index))
    }
    if ask.dump { sources.append("dump", .object(JSONObject())) }
    var request = JSONObject([("sources", .object(sources)), ("update", .string(update)),
                              ("progress", .bool(isTerminal(2) && !ask.quiet))])
    if let db = ask.advisoryDB { request.append("advisory_db", .string(absolutePath(db))) }
    return request
}

func runFetcher(_ request: JSONObject) throws(Failure) -> JSONValue {
    do {
        return try Fetcher.run(.object(request), environment: Environment.process())
    } catch {
        throw Failure("libnerq: \(error)")
    }
}

func sources(_ doc: JSONValue) -> [JSONObject] {
    guard case .array(let items)? = doc.objectValue?["sources"] else { return [] }
    return items.compactMap(\.objectValue)
}

/// Before an assessment: fetch what is not on disk yet (like cargo-audit, which fetches its
/// database when it has none); failures are warnings, what is on disk is used.
func fetchMissing(_ ask: FetchAsk, noFetch: Bool, offline: String?, progress: Progress) throws(Failure) {
    if noFetch { return }
    if let offline {
        progress("Offline", "(\(offline)): using the data on disk")
        return
    }
    let request = fetchRequest(ask, update: "missing")
    if request["sources"]?.objectValue?.isEmpty ?? true { return }
    for s in sources(try runFetcher(request)) {
        let (name, url) = (s["source"]?.stringValue ?? "", s["url"]?.stringValue ?? "")
        if s["status"] == "fetched" {
            progress("Fetched", "\(name) from \(url)")
        } else if s["status"] == "failed" {
            let message = s["error"]?.objectValue?["message"]?.stringValue ?? ""
            say("warning: could not fetch \(name) from \(url): \(message) (using what is on disk)")
        }
    }
}

/// Whole days from `earlier` to `later` (RFC 3339), at least 0; nil when either cannot be read.
func daysBetween(_ earlier: String?, _ later: String) -> Int? {
    guard let earlier, let a = Timestamp.parse(earlier), let b = Timestamp.parse(later) else { return nil }
    return max(0, Int((b.seconds - a.seconds) / 86_400))
}

func clockNow() -> String {
    Timestamp(seconds: Int64(time(nil))).description
}

/// One block per source: status, where from, where to, how old.
func renderFetch(_ doc: JSONValue, now: String, style: Style) -> String {
    var lines: [String] = []
    let pad = String(repeating: " ", count: 12)
    for s in sources(doc) {
        let status = s["status"]?.stringValue ?? ""
        let key = ["fetched": "ok", "not_modified": "ok", "up_to_date": "ok", "offline": "dim", "failed": "err"][status] ?? "dim"
        let when = s["checked_at"]?.stringValue ?? s["fetched_at"]?.stringValue
        var facts: [String] = []
        if let newest = s["newest_entry"]?.stringValue, !newest.isEmpty { facts.append("newest entry \(newest.prefix(10))") }
        if let when {
            facts.append("fetched \(when.prefix(10)) (\(Words.plural(Int64(daysBetween(when, now) ?? 0), "day")) ago)")
        } else if s["path"]?.stringValue != nil {
            facts.append("never fetched by nerq")
        }
        if case .int(let bytes)? = s["bytes"], bytes != 0 { facts.append("\(Numbers.count(bytes)) bytes") }
        if case .object(let counts)? = s["counts"] {
            let listed = counts.entries.compactMap { entry -> String? in
                guard case .int(let n) = entry.value, n != 0 else { return nil }
                return "\(n) \(Words.humanize(entry.key))"
            }
            if !listed.isEmpty { facts.append(listed.joined(separator: ", ")) }
        }
        let shownStatus = Words.humanize(status)
        lines.append("\(style(key, String(repeating: " ", count: max(0, 12 - shownStatus.count)) + shownStatus)) \(s["source"]?.stringValue ?? ""): \(s["url"]?.stringValue ?? "")")
        lines.append("\(pad) -> \(s["path"]?.stringValue ?? "(nothing on disk)")")
        if !facts.isEmpty { lines.append("\(pad)    \(facts.joined(separator: "; "))") }
        if let error = s["error"]?.objectValue {
            lines.append("\(pad)    \(style("err", "error")): \(error["message"]?.stringValue ?? "None")")
        }
    }
    if doc.objectValue?["offline"] == .bool(true) {
        lines.append("offline (\(doc.objectValue?["offline_reason"]?.stringValue ?? "None")): nothing was fetched")
    }
    return lines.joined(separator: "\n") + "\n"
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
