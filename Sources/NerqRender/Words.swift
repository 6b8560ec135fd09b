import NerqCore
import NerqJSON

/// Numbers as reports print them (no Foundation: no printf). Scores carry one decimal in every
/// document nerq writes, so rounding here only ever meets exact tenths.
public enum Numbers {
    /// `d` with `places` decimals ("59.0", "0.25").
    public static func fixed(_ d: Double, _ places: Int) -> String {
        guard d.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<max(0, places) { scale *= 10 }
        let scaled = (abs(d) * scale).rounded()
        guard scaled < 9e15 else { return general(d) }
        let n = Int64(scaled)
        let unit = Int64(scale)
        var text = String(n / unit)
        if places > 0 {
            let fraction = String(n % unit)
            text += "." + String(repeating: "0", count: max(0, places - fraction.count)) + fraction
        }
        return (d < 0 && n != 0 ? "-" : "") + text
    }

    /// One decimal, as scores are shown.
    static func score(_ d: Double?) -> String { d.map { fixed($0, 1) } ?? "-" }

    /// One decimal with a sign ("+20.0", "-30.0"), as points are shown.
    static func points(_ d: Double) -> String { (d >= 0 ? "+" : "") + fixed(d, 1) }

    /// The shortest form that reads back as `d`, without a trailing ".0" ("0.25", "100", "1e+21").
    static func general(_ d: Double) -> String { shortNumber(d) }

    /// A share as a whole percentage ("50%").
    static func percent(_ share: Double) -> String { fixed(share * 100, 0) + "%" }

    /// A count with thousands separators ("1,234,567").
    public static func count(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}

/// The vocabulary every format shares: what a verdict means, the order of verdicts and kinds,
/// plurals and the one-line descriptions of the data behind a report.
public enum Words {
    static let verdictOrder = ["avoid", "warning", "caution", "safe", "unknown"]
    static let kindOrder = ["malicious", "vulnerability", "unsound", "unmaintained", "yanked", "notice"]
    static let severityOrder = ["critical", "high", "medium", "low", "info", "none"]

    static func meaning(_ level: String) -> String {
        switch level {
        case "safe":
            return "safe to use as far as the evidence goes: no counted advisory holds it back and its dimensions score well"
        case "caution": return "usable, but read the findings and the weakest dimensions before relying on it"
        case "warning": return "use only with care: a finding or weak dimensions pull it down; the reasons are below"
        case "avoid":
            return "do not use it as is: a serious finding caps the score; look for a fixed version or an alternative"
        case "unknown": return "nerq has too little evidence to say, so it does not (no data is not the same as bad)"
        default: return "a verdict this version of nerq does not know (\(level)); read the findings and dimensions below"
        }
    }

    /// The verdict's label when a document does not carry one.
    static func label(_ level: String) -> String {
        switch level {
        case "safe": return "YES — SAFE"
        case "caution": return "CAUTION"
        case "warning": return "NO — USE WITH CAUTION"
        case "avoid": return "NO — AVOID"
        default: return level.uppercased()
        }
    }

    static func capitalized(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst()
    }

    /// `filesystem_write` -> `filesystem write`.
    public static func humanize(_ key: String) -> String {
        String(key.map { $0 == "_" ? " " : $0 })
    }

    public static func plural(_ n: Int64, _ word: String, _ many: String? = nil) -> String {
        "\(n) \(n == 1 ? word : (many ?? word + "s"))"
    }

    /// "2 vulnerability, 1 unsound": the non-zero counts, known keys in `order` first.
    static func counts(_ counts: [(key: String, count: Int64)], order: [String]) -> String {
        ordered(counts, order: order).filter { $0.count != 0 }.map { "\($0.count) \($0.key)" }.joined(separator: ", ")
    }

    /// Known keys in `order`, then the others in document order (a new kind is shown, not dropped).
    static func ordered(_ counts: [(key: String, count: Int64)], order: [String]) -> [(key: String, count: Int64)] {
        var out: [(key: String, count: Int64)] = []
        for k in order { if let c = counts.first(where: { $0.key == k }) { out.append(c) } }
        for c in counts where !order.contains(c.key) { out.append(c) }
        return out
    }

    /// "9 findings (8 advisories) in 7 packages: 4 vulnerability, 2 unsound, 3 unmaintained": the
    /// kinds add up to the findings (one advisory in two packages is two findings).
    static func findingCounts(_ s: Summary) -> String {
        let kinds = ordered(s.byFindingKind, order: kindOrder).filter { $0.count != 0 }
        // Bounded counts (Node.countRange): the sum cannot overflow.
        let total = s.findings ?? kinds.reduce(Int64(0)) { $0 + $1.count }
        guard total > 0 else { return "no advisory affects these packages" }
        var text = plural(total, "finding")
        if let a = s.advisories, a != total { text += " (\(plural(a, "advisory", "advisories")))" }
        text += " in \(plural(s.affectedPackages ?? 0, "package"))"
        if !kinds.isEmpty { text += ": " + kinds.map { "\($0.count) \($0.key)" }.joined(separator: ", ") }
        return text
    }

    /// "2 applied, 1 unused, 1 expired".
    static func ignoreCounts(_ entries: [Assessment.IgnoreEntry]) -> String {
        var counts: [(key: String, count: Int64)] = []
        for e in entries {
            if let i = counts.firstIndex(where: { $0.key == e.status }) { counts[i].count += 1 } else { counts.append((e.status, 1)) }
        }
        return Words.counts(counts, order: ["applied", "expired", "unknown", "unused"])
    }

    /// Why a package is in the table: its worst finding above info, else (a verdict below safe
    /// from its own evidence) the weakest dimension and the signals that pull it down.
    static func reason(_ p: Report) -> String {
        let notable = p.notable
        // An advisory by id and title: its fix and text are in the findings below the table.
        func short(_ f: Finding) -> String { f.isAdvisory ? "\(f.id ?? ""): \(f.title ?? f.text)" : f.text }
        if let f = notable.first { return short(f) + (notable.count > 1 ? " (+\(notable.count - 1) more)" : "") }
        if ["caution", "warning", "avoid"].contains(p.level), let weak = weakest(p) { return weak }
        if let f = p.findings.first { return f.text + (p.findings.count > 1 ? " (+\(p.findings.count - 1) more)" : "") }
        return "-"
    }

    /// "weakest: security 52.5 (12,400 lines of code -8.2; unsafe code -8.5)".
    static func weakest(_ p: Report) -> String? {
        guard let name = p.weakest, let d = p.dimensions.first(where: { $0.name == name }) else { return nil }
        let pulls = d.signals.filter { ($0.points ?? 0) < 0 }.sorted { ($0.points ?? 0) < ($1.points ?? 0) }.prefix(2)
        var text = "weakest: \(name) \(Numbers.score(d.score))"
        if !pulls.isEmpty { text += " (" + pulls.map { "\($0.text) \(Numbers.points($0.points ?? 0))" }.joined(separator: "; ") + ")" }
        return text
    }

    /// "verdict bands: safe from 70, caution from 55, warning from 40, avoid below (this is 59.0: caution)".
    static func bands(_ r: Report) -> String? {
        func number(_ v: JSONValue?) -> Double? {
            switch v {
            case .double(let d)?: return d
            case .int(let i)?: return Double(i)
            default: return nil
            }
        }
        guard case .object(let o)? = r.methodologyExtra.first(where: { $0.key == "thresholds" })?.value,
              let safe = number(o["safe"]), let caution = number(o["caution"]), let warning = number(o["warning"]) else { return nil }
        var text = "verdict bands: safe from \(Numbers.general(safe)), caution from \(Numbers.general(caution)), "
            + "warning from \(Numbers.general(warning)), avoid below"
        if let score = r.score { text += " (this is \(Numbers.score(score)): \(r.level))" }
        return text
    }

    /// The licence the manifest declares.
    static func licence(_ r: Report) -> String {
        guard let manifest = r.manifest else { return "unknown (no manifest data)" }
        if case .string(let l)? = manifest.first(where: { $0.key == "license" })?.value { return l }
        return "not declared"
    }

    /// "strongest: maintenance 100.0 (quiet, but finished)".
    static func strongest(_ r: Report) -> String? {
        guard let name = r.strongest, let d = r.dimensions.first(where: { $0.name == name }) else { return nil }
        var text = "strongest: \(name) \(Numbers.score(d.score))"
        if let best = d.signals.max(by: { ($0.points ?? 0) < ($1.points ?? 0) }), (best.points ?? 0) > 0 {
            text += " (\(best.text))"
        }
        return text
    }

    static func database(_ db: DatabaseInfo?) -> String {
        guard let db else { return "no advisory database" }
        var line = "\(db.path ?? "?") (\(plural(db.advisories ?? 0, "advisory", "advisories"))"
        if let newest = db.newest { line += ", newest \(newest)" }
        if let e = db.errorCount, e > 0 { line += ", \(plural(e, "file")) could not be read" }
        return line + ")"
    }

    /// For a finding no workspace member reaches (`paths_total` 0), said rather than left blank:
    /// cargo metadata's resolve holds the selected features only, while Cargo.lock also lists the
    /// packages of features not selected, so a finding can have no path at all.
    static func noPath(_ f: Finding) -> String? {
        f.paths.isEmpty && f.pathsTotal == 0 ? "no workspace member reaches it in the dependency graph read" : nil
    }

    /// The advisory's page: RustSec's for RUSTSEC ids, else the advisory's own URL.
    static func advisoryLink(_ f: Finding) -> String? {
        if let id = f.id, id.hasPrefix("RUSTSEC-") { return "https://rustsec.org/advisories/\(id).html" }
        return f.url
    }

    /// A link for an alias: CVE and GHSA ids have public pages.
    static func aliasLink(_ alias: String) -> String? {
        if alias.hasPrefix("CVE-") { return "https://www.cve.org/CVERecord?id=\(alias)" }
        if alias.hasPrefix("GHSA-") { return "https://github.com/advisories/\(alias)" }
        if alias.hasPrefix("RUSTSEC-") { return "https://rustsec.org/advisories/\(alias).html" }
        return nil
    }

    /// The methodology by name and version (not a path in nerq's source tree, which installed
    /// users do not have).
    static func methodology(_ version: String?) -> String {
        "nerq methodology v\(version ?? "1")"
    }

    /// What the scanner's capability and evidence kinds mean.
    static func capability(_ kind: String) -> String {
        switch kind {
        case "network": return "opens network connections"
        case "process": return "spawns processes"
        case "filesystem_write": return "writes to the filesystem"
        case "env": return "reads environment variables"
        case "env_compile_time": return "reads environment variables at compile time (env!(...))"
        case "ffi": return "calls foreign code (FFI)"
        case "build_script_process": return "build script spawns processes"
        case "build_script_network": return "build script opens network connections"
        case "build_script_env": return "build script reads the environment"
        case "build_script_env_cargo": return "build script reads Cargo's variables"
        case "build_script_filesystem_write": return "build script writes files"
        case "build_script_write_outside_out_dir": return "build script writes outside OUT_DIR"
        case "unsafe_block": return "unsafe blocks"
        case "unsafe_fn": return "unsafe functions"
        case "unsafe_impl": return "unsafe impls"
        case "unsafe_trait": return "unsafe traits"
        case "unsafe_extern": return "unsafe extern blocks"
        default: return humanize(kind)
        }
    }

    static let unsafeEvidenceKinds = ["unsafe_block", "unsafe_fn", "unsafe_impl", "unsafe_trait", "unsafe_extern"]

    /// Severity words, most severe first: for sorting a list worst first.
    static func severityRank(_ s: String?) -> Int {
        guard let s, let i = severityOrder.firstIndex(of: s) else { return severityOrder.count }
        return i
    }
}

/// Reports worst first: score ascending, unscored last; ties by name and version (deterministic).
func sortWorstFirst(_ reports: [Report]) -> [Report] {
    reports.enumerated().sorted { a, b in
        let x = a.element, y = b.element
        switch (x.score, y.score) {
        case (nil, .some): return false
        case (.some, nil): return true
        case (let s?, let t?) where s != t: return s < t
        default: break
        }
        if x.package.name != y.package.name { return x.package.name < y.package.name }
        if (x.package.version ?? "") != (y.package.version ?? "") { return (x.package.version ?? "") < (y.package.version ?? "") }
        return a.offset < b.offset
    }.map(\.element)
}

/// Lexical path arithmetic for SARIF locations (the renderer reads no file system: symlinks are
/// taken as written).
enum Paths {
    /// `/a/./b/../c/` -> `/a/c`; relative paths stay relative.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." { parts.removeLast(); continue }
                if absolute { continue }
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    static func join(_ base: String, _ path: String) -> String {
        path.hasPrefix("/") ? normalize(path) : normalize(base + "/" + path)
    }

    /// `path` relative to `base` when it lies below it, else nil.
    static func relative(_ path: String, to base: String) -> String? {
        let p = normalize(path), b = normalize(base)
        if b == "/" { return p.hasPrefix("/") ? String(p.dropFirst()) : nil }
        guard p.hasPrefix(b + "/") else { return nil }
        return String(p.dropFirst(b.count + 1))
    }

    static func parent(_ path: String) -> String? {
        let n = normalize(path)
        guard let slash = n.lastIndex(of: "/") else { return nil }
        return slash == n.startIndex ? "/" : String(n[..<slash])
    }

    static func lastComponent(_ path: String) -> String {
        let n = normalize(path)
        guard let slash = n.lastIndex(of: "/") else { return n }
        let tail = n[n.index(after: slash)...]
        return tail.isEmpty ? n : String(tail)
    }

    /// Percent-encoding of a path for a URI: unreserved characters and `/` stay, every other byte
    /// is `%XX` (Python's `urllib.parse.quote`, as `pathlib`'s `as_uri` uses it).
    static func percentEncoded(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in path.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(b)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func fileURI(_ absolutePath: String) -> String { "file://" + percentEncoded(normalize(absolutePath)) }
}
