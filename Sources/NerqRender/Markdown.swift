/// GitHub-flavoured Markdown: a pull-request comment for a project (summary line, the packages that
/// need attention in a table, the rest folded away), and the "Is NAME safe?" report of one crate.
/// Values go through `Escape.markdown` (or a code span), so no input becomes a link, an image,
/// HTML, a table cell or a heading.
struct Markdown {
    let options: RenderOptions
    let version: String

    static let icons = ["safe": "🟢", "caution": "🟡", "warning": "🟠", "avoid": "🔴", "unknown": "⚪"]

    static func e(_ s: String) -> String { Escape.markdown(s) }

    /// `[text](url)` when the URL is http(s), else the text alone. Parentheses in the URL are
    /// percent-encoded so that none can end the link early.
    static func link(_ text: String, _ url: String?) -> String {
        guard let url, let safe = Escape.linkable(url) else { return e(text) }
        var target = ""
        for c in safe {
            switch c {
            case "(": target += "%28"
            case ")": target += "%29"
            default: target.append(c)
            }
        }
        return "[\(e(text))](\(target))"
    }

    static func score(_ d: Double?) -> String { d.map { Numbers.fixed($0, 1) } ?? "–" }

    static func packageCell(_ r: Report) -> String {
        Escape.markdownCode(r.package.name) + (r.devOnly ? " (dev)" : "")
    }

    /// One finding: its advisory as a link, kind, severity, title, the fix and the path that pulls
    /// the package in when it is indirect.
    static func finding(_ f: Finding, paths: [[String]] = []) -> String {
        var text: String
        if let id = f.id {
            text = "\(link(id, Words.advisoryLink(f))) \(e(Words.humanize(f.kind ?? "finding"))) (\(e(f.severity ?? "-"))): "
                + e(f.title ?? f.message ?? "")
        } else {
            // Something nerq observed (unsafe code, a capability, not found): no advisory to link.
            text = "\(e(Words.humanize(f.kind ?? "finding"))) (\(e(f.severity ?? "-"))): \(e(f.message ?? f.title ?? ""))"
        }
        if let up = f.upgradeTo { text += " — upgrade to \(e(up))" }
        let via = f.paths.isEmpty ? paths : f.paths
        if let first = via.first, first.count > 2 {
            text += " — via \(Escape.markdownCode(first.joined(separator: " > ")))"
        }
        return text
    }

    // MARK: a project

    func assessment(_ doc: Assessment) -> [UInt8] {
        let packages = sortWorstFirst(doc.packages)
        let affected = packages.filter(\.needsAttention)
        let rest = packages.filter { !$0.needsAttention }
        let s = doc.summary
        let verdicts = Words.counts(s.byVerdict, order: Words.verdictOrder)
        var out: [String] = []
        if !affected.isEmpty {
            out.append("### nerq: \(Words.plural(Int64(affected.count), "package")) of \(doc.total) need attention "
                       + "(\(Words.plural(s.advisories ?? 0, "advisory", "advisories")); \(Markdown.e(verdicts)))")
        } else {
            out.append("### nerq: all \(Words.plural(doc.total, "package")) look fine (\(verdicts.isEmpty ? "none" : Markdown.e(verdicts)))")
        }
        out.append("")
        if doc.advisoriesChecked == false {
            out += ["> **Advisories were not checked**: no finding below does not mean none.", ""]
        }
        let paths = Assessment.DependencyPaths(doc.findings)
        if !affected.isEmpty {
            out.append("| Package | Version | Score | Grade | Verdict | Findings |")
            out.append("|---|---|---:|---|---|---|")
            for p in affected {
                let shown = p.notable
                var findings = shown.map { f in
                    Markdown.finding(f, paths: paths.of(f, in: p))
                }.joined(separator: "<br>")
                if findings.isEmpty { findings = "–" }
                let info = p.findings.count - shown.count
                if info > 0 {
                    findings = (shown.isEmpty ? "" : findings + "<br>") + "+\(Words.plural(Int64(info), "informational finding"))"
                }
                out.append("| \(Markdown.packageCell(p)) | \(Markdown.e(p.package.version ?? "–")) | \(Markdown.score(p.score)) | "
                           + "\(Markdown.e(p.grade ?? "–")) | \(Markdown.icons[p.level] ?? "") \(Markdown.e(p.level)) | \(findings) |")
            }
            out.append("")
        }
        if !rest.isEmpty {
            out.append("<details><summary>\(Words.plural(Int64(rest.count), "other package")) (no finding above info)</summary>")
            out.append("")
            out.append("| Package | Version | Score | Grade | Verdict |")
            out.append("|---|---|---:|---|---|")
            for p in rest {
                out.append("| \(Markdown.packageCell(p)) | \(Markdown.e(p.package.version ?? "–")) | \(Markdown.score(p.score)) | "
                           + "\(Markdown.e(p.grade ?? "–")) | \(Markdown.e(p.level)) |")
            }
            out += ["", "</details>", ""]
        }
        let missing = doc.total - Int64(packages.count)
        if missing > 0 {
            out += ["\(Words.plural(missing, "more package")) without a full report in this assessment (options.reports = flagged).", ""]
        }
        out += findingDetails(doc)
        out += configuration(doc)
        for issue in doc.issues { out += ["- issue: \(Markdown.e(issue))"] }
        for note in doc.notes { out += ["- note: \(Markdown.e(note))"] }
        if !doc.issues.isEmpty || !doc.notes.isEmpty { out.append("") }
        let methodology = doc.packages.first?.methodologyVersion ?? "1"
        out.append("<sub>Advisory database: \(Markdown.e(Words.database(doc.database))) · methodology v\(Markdown.e(methodology)) · "
                   + "nerq \(Markdown.e(version)) · \(Markdown.e(doc.now ?? ""))</sub>")
        return Markdown.finish(out)
    }

    /// Every finding folded: the advisory's text, the alternatives it recommends, the fix as a
    /// command, and what pulls the package in (the inverted tree with `tree`).
    func findingDetails(_ doc: Assessment) -> [String] {
        guard !doc.findings.isEmpty else { return [] }
        var out = ["**Findings**: \(Markdown.e(Words.findingCounts(doc.summary)))", ""]
        for f in doc.findings {
            // A <summary> line is raw HTML to a Markdown reader (not Markdown): escaped as HTML.
            var summary = "\(f.id ?? "finding") · \(f.package ?? "?") \(f.version ?? "") · \(f.kind ?? "") (\(f.severity ?? "-"))"
            if let title = f.title { summary += ": \(title)" }
            if f.baseline == "new" { summary += " · new since the baseline" }
            summary = Escape.html(Escape.terminal(summary))
            out += ["<details><summary>\(summary)</summary>", ""]
            if let text = f.description {
                for block in Prose.blocks(text) {
                    switch block {
                    case .paragraph(let t): out += [Markdown.e(t), ""]
                    case .heading(let t): out += ["**\(Markdown.e(t))**", ""]
                    case .item(let t): out.append("- \(Markdown.e(t))")
                    case .code(let lines):
                        out += ["", "```text"] + lines.map { $0.replacingFences() } + ["```", ""]
                    }
                }
                out.append("")
            }
            if !f.recommended.isEmpty {
                out.append("Alternatives the advisory recommends:")
                for a in f.recommended { out.append("- " + Markdown.link(a.name, a.url) + (a.note.map { " — \(Markdown.e($0))" } ?? "")) }
                out.append("")
            }
            if let command = f.fix?.command {
                out += ["Fix: \(Escape.markdownCode(command, inTable: false))", ""]
            } else if let text = f.fix?.text {
                out += ["Fix: \(Markdown.e(text))", ""]
            }
            if !f.reach.isEmpty {
                out += f.reach.lines.map { "- " + Markdown.e($0) } + [""]
            }
            if options.tree, let graph = doc.dependents, let node = f.treeNode {
                out += ["```text"] + Tree.lines(from: Int(node), graph, limit: 40).map { $0.replacingFences() } + ["```", ""]
            } else if !f.paths.isEmpty {
                let more = (f.pathsTotal ?? 0) > Int64(f.paths.count) ? " (+\((f.pathsTotal ?? 0) - Int64(f.paths.count)) more)" : ""
                out += ["Pulled in by: " + f.paths.map { Escape.markdownCode($0.joined(separator: " > "), inTable: false) }.joined(separator: "; ") + more, ""]
            } else if let none = Words.noPath(f) {
                out += ["Pulled in by: " + Markdown.e(none), ""]
            }
            if let link = Words.advisoryLink(f) { out += [Markdown.link(link, link), ""] }
            out += ["</details>", ""]
        }
        return out
    }

    /// Ignore entries and their fate, the baseline, the gate.
    func configuration(_ doc: Assessment) -> [String] {
        var out: [String] = []
        if !doc.configFiles.isEmpty {
            out.append("- configuration: " + doc.configFiles.map { "\(Escape.markdownCode($0.path, inTable: false)) (\(Markdown.e($0.format)))" }
                .joined(separator: ", "))
        }
        for i in doc.ignores {
            var line = "- ignore \(Escape.markdownCode(i.id, inTable: false)) **\(Markdown.e(i.status))**"
            if let source = i.source { line += " (\(Markdown.e(source)))" }
            if let m = i.message { line += ": \(Markdown.e(m))" }
            if let r = i.reason { line += "; reason: \(Markdown.e(r))" }
            out.append(line)
        }
        if let b = doc.baseline {
            out.append("- baseline \(Escape.markdownCode(b.path ?? "?", inTable: false)): \(Markdown.e(b.status ?? "")); "
                       + "\(b.new ?? 0) new, \(b.known ?? 0) known, \(b.gone.count) gone")
        }
        if let g = doc.gate {
            out.append(g.passed ? "- gate: passed" : "- gate: **failed** (exit \(g.exitCode ?? 1)): \(Markdown.e(g.message ?? ""))")
            if let apart = g.setApartText { out.append("  - " + Markdown.e(apart)) }
        }
        return out.isEmpty ? [] : out + [""]
    }

    static func finish(_ lines: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for l in lines {
            bytes.append(contentsOf: l.utf8)
            bytes.append(0x0A)
        }
        return WorkflowGuard.apply(bytes, style: .markdown)
    }

    // MARK: one crate

    func report(_ r: Report) -> [UInt8] {
        let name = Markdown.e(r.package.name)
        var out = ["## Is \(name) safe?", ""]
        let grade = r.grade.map { " (\(Markdown.e($0)))" } ?? ""
        out.append("**\(name) \(Markdown.e(r.package.version ?? ""))**: \(Numbers.score(r.score))/100\(grade) — "
                   + "\(Markdown.icons[r.level] ?? "") **\(Markdown.e(r.label ?? Words.label(r.level)))** "
                   + "(recommendation \(Markdown.e(r.recommendation ?? "-"))\(r.verified == true ? ", verified" : ""))")
        out += ["", Markdown.e(Words.capitalized(Words.meaning(r.level))) + ".", ""]
        if let summary = r.summary { out += [Markdown.e(summary), ""] }
        if r.advisoriesChecked == false { out += ["> **Advisories were not checked**: no advisory finding does not mean none.", ""] }
        out += ["| Dimension | Score | Weight | Signals |", "|---|---:|---:|---|"]
        for d in r.dimensions {
            var signals = d.signals.map { "\(Numbers.points($0.points ?? 0)) \(Markdown.e($0.text))" }.joined(separator: "<br>")
            if signals.isEmpty { signals = "no data" }
            out.append("| \(Markdown.e(d.name)) | \(Numbers.score(d.score)) | \(Numbers.general(d.weight ?? 0)) | \(signals) |")
        }
        if !r.caps.isEmpty {
            out += ["", "**Caps** (uncapped score \(Numbers.score(r.uncappedScore)))", ""]
            for c in r.caps { out.append("- at most \(c.max.map(Numbers.general) ?? "?"): \(Markdown.e(c.reason ?? c.id ?? "-"))") }
        }
        out += ["", "**Findings**", ""]
        out += r.findings.isEmpty ? ["- none"] : r.findings.map { "- \(Markdown.finding($0))" }
        if let s = r.source {
            out += ["", "**Unsafe code**: " + unsafeLine(s), ""]
            let reach = s.capabilities.map { c -> String in
                let n = s.count(c)
                return Markdown.e(Words.capability(c)) + (n > 0 ? " (\(Words.plural(n, "place")))" : "")
            }
            out.append("**What it reaches**: " + (reach.isEmpty ? "no network, process, filesystem-write, environment or FFI use found"
                                                  : reach.joined(separator: "; ")))
            if options.showsEvidence(for: .report) { out += evidence(s) }
        }
        if !r.alternatives.isEmpty {
            out += ["", "**Alternatives**", ""]
            for a in r.alternatives {
                var text = "- " + Markdown.link(a.name, a.url)
                if let score = a.score { text += " \(Numbers.score(score))" + (a.grade.map { " (\(Markdown.e($0)))" } ?? "") }
                if let reason = a.reason { text += ": \(Markdown.e(reason))" }
                out.append(text)
            }
        }
        out += ["", "**Verify it yourself**", ""]
        for f in r.findings {
            guard let id = f.id, let url = Words.advisoryLink(f), Escape.linkable(url) != nil else { continue }
            var line = "- " + Markdown.link(id, url)
            if let source = f.url, source != url, Escape.linkable(source) != nil { line += " · " + Markdown.link("source", source) }
            out.append(line)
        }
        out.append("- `cargo audit` in a project that depends on it, against the same advisory database")
        out.append("- advisory database: \(Markdown.e(Words.database(r.database)))")
        out.append("- methodology: \(Markdown.e(Words.methodology(r.methodologyVersion)))")
        return Markdown.finish(out)
    }

    func unsafeLine(_ s: SourceInfo) -> String {
        let total = s.unsafeTotal ?? 0
        var text = total == 0 ? "none found" : "\(Numbers.count(total)) unsafe items"
        if let lines = s.linesCode { text += " in \(Numbers.count(lines)) lines of code" }
        if s.forbidsUnsafe == true { text += " (the crate forbids unsafe code)" }
        return text
    }

    /// File:line evidence per kind, folded away.
    func evidence(_ s: SourceInfo) -> [String] {
        var out: [String] = []
        for (kind, items) in s.evidence where !items.isEmpty {
            out += ["", "<details><summary>\(Markdown.e(Words.capability(kind))): \(Words.plural(s.count(kind), "place"))</summary>", ""]
            for item in items {
                out.append("- \(Escape.markdownCode(item.location, inTable: false)) \(Escape.markdownCode(item.snippet ?? "", inTable: false))")
            }
            out += ["", "</details>"]
        }
        return out
    }

    // MARK: preflight

    func preflight(_ p: Preflight) -> [UInt8] {
        var out = ["### nerq preflight: \(Escape.markdownCode(p.name, inTable: false)) — \(Markdown.icons[p.level] ?? "") "
                   + "**\(Markdown.e(Words.label(p.level)))**", ""]
        if let s = p.summary { out += [Markdown.e(s), ""] }
        out += ["| Score | Grade | Recommendation | Risk flags | Known CVEs | License | Checked at |",
                "|---:|---|---|---|---|---|---|"]
        let cves = p.knownCVEs.map { Markdown.link($0, Words.aliasLink($0)) }.joined(separator: ", ")
        out.append("| \(Numbers.score(p.score)) | \(Markdown.e(p.grade ?? "–")) | \(Markdown.e(p.recommendation ?? "–")) | "
                   + "\(p.riskFlags.isEmpty ? "none" : Markdown.e(p.riskFlags.joined(separator: ", "))) | \(cves.isEmpty ? "none" : cves) | "
                   + "\(Markdown.e(p.license ?? "unknown")) | \(Markdown.e(p.checkedAt ?? "–")) |")
        return Markdown.finish(out)
    }
}

extension String {
    /// A line inside a fenced block that cannot close it early.
    func replacingFences() -> String {
        let text = Escape.terminal(self)
        // Up to three spaces may indent a closing fence; a zero-width space first makes it text.
        return text.drop { $0 == " " }.hasPrefix("```") ? "\u{200B}" + text : text
    }
}
