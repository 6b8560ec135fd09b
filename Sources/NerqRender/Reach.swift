import NerqJSON

/// What an assessment knows of a finding's code (docs/reachability.md): whether the package is
/// compiled for the requested targets, whether the advisory's affected functions are referenced,
/// and whether the deny gate counts it. Read once; every format words it the same way, so a
/// reader of the human text, the Markdown, the HTML or SARIF sees the same three answers.
struct Reach {
    struct Compiled {
        /// yes | no | unknown
        var status: String
        var summary: String?
        /// For a finding not compiled: the first edge cargo does not follow (the feature or cfg
        /// that keeps it out), from the first target that has one.
        var edge: String?
        /// unknown: why (the first target's reasons).
        var reasons: [String] = []
        /// yes, but only in test builds (dev-dependencies) / only for the build host (build
        /// scripts, proc-macros): on every target where it is compiled.
        var testOnly = false
        var hostOnly = false
    }

    struct Referenced {
        /// referenced | not referenced | unknown
        var status: String
        /// referenced: the first place (`crate file:line`); unknown: the first possible one.
        var site: String?
        var siteWhy: String?
        var reasons: [String] = []
        var searched: [String] = []
        var possible: Int64 = 0
    }

    var compiled: Compiled?
    var referenced: Referenced?
    /// Whether the deny gate counts the finding (absent: nothing set it apart).
    var gates: Bool?
    var gatesNote: String?

    var isEmpty: Bool { compiled == nil && referenced == nil }

    static func read(_ n: Node) throws(NerqError) -> Reach {
        var r = Reach()
        let c = try n["compiled"]
        if !c.isAbsent {
            var out = Compiled(status: try c["status"].string() ?? "unknown", summary: try c["summary"].string())
            var builds: [String] = []
            var built: [[String]] = []
            for t in try c["targets"].array() {
                if try t["status"].string() == "yes" {
                    builds.append(try t["build"].string() ?? "normal")
                    built.append(try t["for"].strings())
                }
                let edges = try t["edges"].strings()
                if out.edge == nil, let first = edges.first { out.edge = first }
                if out.reasons.isEmpty, try t["status"].string() == "unknown" { out.reasons = try t["reasons"].strings() }
            }
            out.testOnly = !builds.isEmpty && builds.allSatisfy { $0 == "test" }
            out.hostOnly = !built.isEmpty && built.allSatisfy { $0 == ["host"] }
            r.compiled = out
        }
        let ref = try n["referenced"]
        if !ref.isAbsent {
            var out = Referenced(status: try ref["status"].string() ?? "unknown")
            let evidence = try ref["evidence"].array()
            let possible = try ref["possible"].array()
            out.possible = Int64(possible.count)
            if let first = evidence.first ?? possible.first {
                out.site = try site(first)
                if evidence.isEmpty { out.siteWhy = try first["why"].string() }
            }
            out.reasons = try ref["reasons"].strings()
            out.searched = try ref["searched"].strings()
            r.referenced = out
        }
        r.gates = try n["gates"].bool()
        r.gatesNote = try n["gates_note"].string()
        return r
    }

    /// `file:line`, the file from the crate's own directory on (`tempfile-3.3.0/src/dir.rs:11`)
    /// when the path goes through it: the registry's prefix says nothing a reader needs.
    static func site(_ n: Node) throws(NerqError) -> String? {
        guard let file = try n["file"].string() else { return nil }
        var shown = file
        if let crate = try n["crate"].string() {
            let dir = crate.split(separator: " ").joined(separator: "-")
            let parts = file.split(separator: "/", omittingEmptySubsequences: false)
            // A workspace member's directory is often named without the version.
            let name = crate.split(separator: " ").first.map(String.init) ?? crate
            if let at = parts.lastIndex(where: { $0 == dir }) ?? parts.lastIndex(where: { $0 == name }), at + 1 < parts.count {
                shown = parts[at...].joined(separator: "/")
            }
        }
        return try n["line"].count().map { "\(shown):\($0)" } ?? shown
    }

    /// `compiled: no — not compiled for x86_64-unknown-linux-gnu (reqwest 0.11.13 -> rustls …)`.
    var compiledText: String? {
        guard let c = compiled else { return nil }
        var text = "compiled: \(c.status)"
        var detail: [String] = []
        if let s = c.summary { detail.append(s) }
        if c.status == "no", let edge = c.edge { detail.append(edge) }
        if c.status == "yes" && c.testOnly { detail.append("in test builds only (dev-dependencies)") }
        if c.status == "yes" && c.hostOnly { detail.append("for the build host only (build scripts, proc-macros)") }
        if c.status == "unknown", !c.reasons.isEmpty { detail.append(c.reasons.joined(separator: ", ")) }
        if !detail.isEmpty { text += " — " + detail.joined(separator: ": ") }
        return text
    }

    /// `referenced: yes — tempfile-3.3.0/src/dir.rs:11`, `referenced: no — searched native-tls
    /// 0.2.11`, `referenced: unknown — …`.
    var referencedText: String? {
        guard let r = referenced else { return nil }
        switch r.status {
        case "referenced":
            return "referenced: yes" + (r.site.map { " — \($0)" } ?? "")
        case "not referenced":
            let searched = r.searched.prefix(3).joined(separator: ", ") + (r.searched.count > 3 ? " and \(r.searched.count - 3) more" : "")
            return "referenced: no" + (r.searched.isEmpty ? "" : " — searched \(searched)")
        default:
            var why: [String] = []
            if let first = r.reasons.first { why.append(first) }
            if let site = r.site {
                let count = r.possible > 1 ? "\(r.possible) possible sites, first " : "possible site "
                why.append(count + site + (r.siteWhy.map { " (\($0))" } ?? ""))
            }
            return "referenced: unknown" + (why.isEmpty ? "" : " — " + why.joined(separator: "; "))
        }
    }

    /// `not counted by the deny gate: …`, only when the gate sets the finding apart.
    var gateText: String? {
        guard gates == false else { return nil }
        return "not counted by the deny gate" + (gatesNote.map { ": \($0)" } ?? "")
    }

    /// The lines above, in order.
    var lines: [String] { [compiledText, referencedText, gateText].compactMap { $0 } }

    /// SARIF result properties: the statuses, the words, and where.
    func properties(into props: inout JSONObject) {
        if let c = compiled {
            props.append("compiled", .string(c.status))
            if let t = compiledText { props.append("compiled_reason", .string(t)) }
        }
        if let r = referenced {
            props.append("referenced", .string(r.status))
            if let t = referencedText { props.append("referenced_reason", .string(t)) }
            if r.status == "referenced", let site = r.site { props.append("referenced_at", .string(site)) }
        }
        if let g = gates { props.append("gates", .bool(g)) }
    }
}
