import NerqCore
import NerqJSON

/// The crate page: "Is NAME safe?" with everything the report holds — the score as a gauge, the
/// verdict and what it means, the eight dimensions with the signals and points behind each bar,
/// the findings with their advisories and fixes, unsafe code and what the crate reaches (with
/// file:line evidence), registry data when known, alternatives, how to check it all yourself, the
/// methodology with this report's own arithmetic, and the data sources with their dates.
extension HTML {
    func report(_ r: Report) -> [UInt8] {
        let name = HTML.h(r.package.name)
        var s = hero(r)
        s += "<nav class=\"card toc\" aria-label=\"On this page\"><strong>On this page</strong>"
        var toc = [("dimensions", "Dimensions"), ("findings", "Findings"), ("unsafe", "Unsafe code"), ("reach", "What it reaches"),
                   ("registry", "Maintenance &amp; popularity")]
        if !r.alternatives.isEmpty { toc.append(("alternatives", "Alternatives")) }
        toc += [("verify", "Verify it yourself"), ("methodology", "Methodology"), ("sources", "Data sources")]
        s += toc.map { "<a href=\"#\($0.0)\">\($0.1)</a>" }.joined() + "</nav>\n"
        s += dimensionsSection(r)
        s += findingsSection(r)
        s += unsafeSection(r)
        s += reachSection(r)
        s += registrySection(r)
        s += alternativesSection(r)
        s += verifySection(r)
        s += methodologySection(r)
        s += sourcesSection(r)
        s += "<section class=\"card small muted\" id=\"disclaimer\"><h2>Disclaimer</h2><p>" + HTML.disclaimer + "</p></section>\n"
        let title = "Is \(name) safe? \(HTML.h(r.package.label)): \(Numbers.score(r.score))/100, \(HTML.h(r.label ?? Words.label(r.level))) — nerq"
        return page(title: title, date: r.now, body: s)
    }

    static let disclaimer = "This page summarises public evidence (advisories, the crate's own source, registry data when given) as of "
        + "the date above. It is not a security audit and not a guarantee: a high score does not prove a crate safe, and a low "
        + "one does not prove a flaw. Dimensions without data are left out of the score rather than counted as zero, and a "
        + "static scan shows what code can do, not what it does at run time. Check what matters for your use with the steps "
        + "under “Verify it yourself”."

    func hero(_ r: Report) -> String {
        let name = HTML.h(r.package.name)
        var s = "<section class=\"card hero\">"
        s += SVG.gauge(id: "gauge", score: r.score, level: HTML.level(r.level), grade: r.grade.map(HTML.h),
                       title: "Trust Score \(Numbers.score(r.score)) out of 100" + (r.grade.map { ", grade \(HTML.h($0))" } ?? ""))
        s += "<div><p class=\"eyebrow\">crates.io · \(HTML.h(r.package.label))</p><h1>Is \(name) safe?</h1>"
        s += HTML.badges(r)
        if let summary = r.summary { s += "<p class=\"lead\">\(HTML.h(summary))</p>" }
        s += "<p class=\"meaning v-\(HTML.level(r.level))\"><strong>What it means:</strong> \(HTML.h(Words.meaning(r.level))).</p>"
        s += "<p class=\"muted small\">Score \(Numbers.score(r.score)) out of 100, \(HTML.coverageLine(r))."
        if r.package.version == nil { s += " No version was given: advisories are matched per version." }
        if r.advisoriesChecked == false { s += " <strong>Advisories were not checked</strong>: no advisory finding does not mean none." }
        return s + "</p></div></section>\n"
    }

    func dimensionsSection(_ r: Report) -> String {
        var s = "<section class=\"card\" id=\"dimensions\"><h2>The eight dimensions</h2>"
        s += "<p>Each dimension scores 0–100 from the signals listed with it; the Trust Score is their weighted mean (weights below), "
            + "then any cap. A dimension without data is left out, not counted as zero.</p>"
        if !r.caps.isEmpty {
            s += "<div class=\"callout v-\(HTML.level(r.level))\">"
            for c in r.caps {
                s += "<p><strong>Capped at \(c.max.map(Numbers.general) ?? "?")</strong>: \(HTML.h(c.reason ?? c.id ?? "a cap applies")).</p>"
            }
            if let u = r.uncappedScore { s += "<p class=\"small\">Without caps the score would be \(Numbers.fixed(u, 1)).</p>" }
            s += "</div>"
        }
        let bars = r.dimensions.map { d in
            SVG.Bar(label: HTML.label(Words.capitalized(d.name)), value: d.score, display: d.score.map { Numbers.fixed($0, 1) } ?? "no data",
                    cls: HTML.band(d.score), note: d.weight == 0 ? "weight 0 · not counted" : "weight \(Numbers.general(d.weight ?? 0))")
        }
        let desc = r.dimensions.map { "\($0.name): \($0.score.map { Numbers.fixed($0, 1) } ?? "no data")" }.joined(separator: "; ")
        s += "<div class=\"grid2\"><figure>" + SVG.bars(id: "dims", title: "Scores of the eight dimensions", desc: HTML.h(desc), rows: bars, maximum: 100, width: 440)
        s += "<figcaption>Bars out of 100; hatched: no data. The table lists every signal and its points.</figcaption></figure>"
        s += "<div>" + strongestWeakest(r) + "</div></div>"
        s += HTML.dimensionTable(r)
        return s + "</section>\n"
    }

    func strongestWeakest(_ r: Report) -> String {
        var facts: [(String, String)] = []
        if let st = r.strongest { facts.append(("Strongest", HTML.h(Words.capitalized(st)))) }
        if let w = r.weakest { facts.append(("Weakest", HTML.h(Words.capitalized(w)))) }
        facts.append(("Scored", "\(r.scoredDimensions) of \(r.dimensions.count) dimensions"))
        if let c = r.coverage { facts.append(("Coverage", "\(Numbers.percent(c)) of the total weight had data")) }
        if let c = r.confidence { facts.append(("Confidence", HTML.h(c))) }
        if let u = r.uncappedScore, !r.caps.isEmpty { facts.append(("Before caps", Numbers.fixed(u, 1))) }
        return "<dl class=\"facts\">" + facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
    }

    func findingsSection(_ r: Report) -> String {
        var s = "<section class=\"card\" id=\"findings\"><h2>Findings</h2>"
        let notable = r.notable
        if notable.isEmpty {
            if r.advisoriesChecked == false || (!r.advisoriesGiven && r.database == nil) {
                s += "<p>No finding above information level, but <strong>advisories were not checked</strong> for this report.</p>"
            } else {
                s += "<p>No known vulnerability, unsoundness, unmaintained or yanked notice affects \(HTML.h(r.package.label))"
                if let db = r.database { s += " in the advisory database used (\(HTML.h(Words.database(db))))" }
                s += ".</p>"
            }
        }
        for f in notable { s += HTML.findingCard(f, package: r.package) }
        let info = r.findings.filter(\.isInformational)
        if !info.isEmpty {
            s += "<h3>Observations</h3><ul>"
            for f in info { s += "<li>\(HTML.h(f.text))</li>" }
            s += "</ul><p class=\"muted small\">Observations are information, not problems: they feed the dimensions above and are "
                + "detailed under Unsafe code and What it reaches.</p>"
        }
        return s + "</section>\n"
    }

    func unsafeSection(_ r: Report) -> String {
        var s = "<section class=\"card\" id=\"unsafe\"><h2>Does it use unsafe code?</h2>"
        guard let src = r.source else {
            return s + "<p><strong>Not checked.</strong> nerq did not read this crate's source (it was not found on this machine: "
                + "<code>cargo fetch</code> in a project that uses it, or a vendor directory, makes it available).</p></section>\n"
        }
        let total = src.unsafeTotal ?? 0
        if total == 0 {
            s += "<p class=\"lead\"><strong>No.</strong> No unsafe code was found"
            if let lines = src.linesCode { s += " in \(Numbers.count(lines)) lines of code" }
            s += "."
        } else {
            s += "<p class=\"lead\"><strong>Yes:</strong> \(Numbers.count(total)) unsafe items"
            if let lines = src.linesCode, lines > 0 {
                let density = Double(total) / Double(lines) * 1000
                s += " in \(Numbers.count(lines)) lines of code (\(Numbers.fixed(density, 1)) per 1,000 lines)"
            }
            s += "."
        }
        if src.forbidsUnsafe == true { s += " The crate forbids unsafe code (<code>#![forbid(unsafe_code)]</code>)." }
        else if src.deniesUnsafe == true { s += " The crate denies unsafe code (<code>#![deny(unsafe_code)]</code>)." }
        s += "</p><div class=\"counts\">"
        for (key, count) in src.unsafeCounts {
            let label = Words.capitalized(Words.humanize(String(key.dropFirst(7))))
            s += "<div class=\"tile\"><b>\(Numbers.count(count))</b><span>unsafe \(HTML.h(label.lowercased()))</span></div>"
        }
        s += "</div><p class=\"muted small\">Unsafe code is not wrong in itself (FFI and fast data structures need it), but every unsafe "
            + "block is a place where the compiler's memory-safety guarantees rest on the author's care.</p>"
        if options.showsEvidence(for: .report) {
            for kind in Words.unsafeEvidenceKinds { s += HTML.evidence(src, kind) }
        }
        return s + "</section>\n"
    }

    /// The capability rows of "What does it reach?", and the scanner kinds behind each.
    static let reachRows: [(label: String, kinds: [String])] = [
        ("Network", ["network", "build_script_network"]),
        ("Processes", ["process", "build_script_process"]),
        ("Files (writes)", ["filesystem_write", "build_script_filesystem_write", "build_script_write_outside_out_dir"]),
        ("Environment", ["env", "build_script_env"]),
        ("Foreign code (FFI)", ["ffi"]),
    ]

    func reachSection(_ r: Report) -> String {
        var s = "<section class=\"card\" id=\"reach\"><h2>What does it reach?</h2>"
        guard let src = r.source else {
            return s + "<p><strong>Not checked.</strong> The crate's source was not read, so nerq cannot say what it reaches.</p></section>\n"
        }
        s += "<p>From a static scan of the crate's source: what the code can do, not proof that it does it.</p>"
        s += "<table class=\"reach fixed\"><thead><tr><th>Reaches</th><th>Found</th></tr></thead><tbody>"
        var covered: [String] = []
        for row in HTML.reachRows {
            covered += row.kinds
            let hits = row.kinds.filter { src.capabilities.contains($0) }
            s += "<tr><td>\(row.label)</td><td>"
            if hits.isEmpty {
                s += "<span class=\"no\">Not found</span>"
            } else {
                s += hits.map { k in "<span class=\"yes\">Yes</span> — \(HTML.h(Words.capability(k)))"
                    + (src.count(k) > 0 ? " (\(Words.plural(src.count(k), "place")))" : "") }.joined(separator: "<br>")
            }
            if options.showsEvidence(for: .report) { for k in row.kinds { s += HTML.evidence(src, k) } }
            s += "</td></tr>"
        }
        let build = src.buildScript.map { $0 ? "<span class=\"yes\">Yes</span> — build.rs runs on your machine at compile time"
                                              : "<span class=\"no\">No</span>" } ?? "<span class=\"na\">unknown</span>"
        s += "<tr><td>Build script</td><td>\(build)</td></tr>"
        let proc = src.procMacro.map { $0 ? "<span class=\"yes\">Yes</span> — runs inside the compiler" : "<span class=\"no\">No</span>" }
            ?? "<span class=\"na\">unknown</span>"
        s += "<tr><td>Procedural macro</td><td>\(proc)</td></tr>"
        for c in src.capabilities where !covered.contains(c) {
            s += "<tr><td>\(HTML.h(Words.capitalized(Words.humanize(c))))</td><td><span class=\"yes\">Yes</span> — \(HTML.h(Words.capability(c)))"
            if options.showsEvidence(for: .report) { s += HTML.evidence(src, c) }
            s += "</td></tr>"
        }
        s += "</tbody></table>"
        if options.showsEvidence(for: .report) && !src.evidence("env_compile_time").isEmpty {
            s += HTML.evidence(src, "env_compile_time")
        }
        return s + "</section>\n"
    }

    /// Labels for the signal groups' keys nerq knows; other keys are shown with their own name.
    static let labels: [String: String] = [
        "downloads": "Downloads (all time)", "recent_downloads": "Downloads (last 90 days)",
        "downloads_percentile": "Downloads percentile", "reverse_dependencies": "Crates that depend on it",
        "reverse_dependencies_percentile": "Dependents percentile", "versions": "Versions published",
        "yanked_versions": "Yanked versions", "yanked": "This version yanked", "first_release": "First release",
        "latest_release": "Latest release", "version_released": "This version released", "latest_version": "Latest version",
        "owners": "Owners (people)", "team_owners": "Owners (teams)", "categories": "Categories", "keywords": "Keywords",
        "source": "Data from", "repository": "Repository", "documentation": "Documentation", "homepage": "Homepage",
        "url": "Repository", "archived": "Archived", "stars": "Stars", "forks": "Forks", "contributors": "Contributors",
        "last_commit": "Last commit", "security_policy": "Security policy", "license": "License", "edition": "Rust edition",
        "rust_version": "Minimum Rust version", "description": "Description", "readme": "README", "links": "Links (native library)",
        "authors": "Authors",
    ]

    static func facts(_ group: [(key: String, value: JSONValueView)]) -> String {
        var s = "<dl class=\"facts\">"
        for (key, value) in group {
            s += "<dt>\(h(labels[key] ?? Words.capitalized(Words.humanize(key))))</dt><dd>"
            switch value {
            case .text(let t, let url): s += link(h(t), url)
            case .count(let n): s += Numbers.count(n)
            }
            s += "</dd>"
        }
        return s + "</dl>"
    }

    func registrySection(_ r: Report) -> String {
        var s = "<section class=\"card\" id=\"registry\"><h2>Maintenance, popularity and owners</h2>"
        let groups: [(String, [(key: String, value: JSONValue)]?)] = [("Registry (crates.io)", r.registry),
                                                                       ("Source repository", r.repository),
                                                                       ("Manifest (Cargo.toml)", r.manifest)]
        let present = groups.filter { $0.1 != nil }
        if r.registry == nil {
            s += "<p><strong>No registry data in this report</strong>: downloads, release history and owners were not known "
                + "to the engine (give it a crates.io database dump), so popularity and community are not scored — no data is "
                + "not zero.</p>"
        }
        if !present.isEmpty {
            s += present.count == 3 ? "<div class=\"grid3\">" : "<div class=\"grid2\">"
            for (title, group) in present {
                s += "<div><h3>\(title)</h3>" + HTML.facts((group ?? []).map { ($0.key, JSONValueView($0.value, key: $0.key)) }) + "</div>"
            }
            s += "</div>"
        }
        return s + "</section>\n"
    }

    func alternativesSection(_ r: Report) -> String {
        guard !r.alternatives.isEmpty else { return "" }
        var s = "<section class=\"card\" id=\"alternatives\"><h2>Alternatives</h2><ul>"
        for a in r.alternatives {
            s += "<li><strong>\(HTML.link(HTML.h(a.name), a.url))</strong>"
            if let score = a.score { s += " — \(Numbers.fixed(score, 1))/100" + (a.grade.map { " (\(HTML.h($0)))" } ?? "") }
            if let reason = a.reason { s += ": \(HTML.h(reason))" }
            s += "</li>"
        }
        return s + "</ul></section>\n"
    }

    func verifySection(_ r: Report) -> String {
        let target = HTML.shell(r.package.target)
        let dir = r.source?.path.map(HTML.shell)
            ?? "\"$HOME\"/.cargo/registry/src/*/\(HTML.shell(r.package.name + (r.package.version.map { "-" + $0 } ?? "")))"
        var s = "<section class=\"card\" id=\"verify\"><h2>Verify it yourself</h2><ol class=\"steps\">"
        let advisories = r.findings.filter(\.isAdvisory)
        s += "<li><strong>Read the advisories.</strong> "
        if advisories.isEmpty {
            s += "None affects this version in the database used. Check a project that depends on it with "
                + "<a href=\"https://rustsec.org/\" rel=\"nofollow noopener noreferrer\">RustSec</a>'s <code>cargo audit</code>:"
        } else {
            s += advisories.compactMap { f in f.id.map { HTML.link(HTML.h($0), Words.advisoryLink(f)) } }.joined(separator: ", ")
                + ". The same findings come from <code>cargo audit</code> in a project that depends on it:"
        }
        s += "<pre><code>cargo audit</code></pre></li>"
        s += "<li><strong>Re-run this report</strong>, or get it as JSON (the same document nerq's C and Python APIs return):"
            + "<pre><code>cargo nerq crate \(HTML.h(target))\ncargo nerq crate \(HTML.h(target)) --format json</code></pre></li>"
        s += "<li><strong>Look at the unsafe code</strong> yourself:<pre><code>grep -rn --include='*.rs' -w unsafe \(HTML.h(dir))</code></pre></li>"
        s += "<li><strong>See what it reaches</strong> (network, processes, files, environment, FFI):<pre><code>"
            + HTML.h("grep -rnE --include='*.rs' 'TcpStream|UdpSocket|process::Command|File::create|fs::write|env::var|extern \"C\"' \(dir)")
            + "</code></pre></li>"
        s += "<li><strong>Find what pulls it into your project</strong>:<pre><code>cargo tree -i \(HTML.h(target))</code></pre></li>"
        if let up = r.findings.compactMap(\.upgradeTo).first {
            s += "<li><strong>Move to a fixed version</strong>:<pre><code>"
                + HTML.h("cargo update -p \(HTML.shell(r.package.target)) --precise \(HTML.shell(up))")
                + "</code></pre></li>"
        }
        s += "<li><strong>Recompute the score</strong> from the table above and the weights below: "
            + "<a href=\"#methodology\">the methodology</a> shows this report's arithmetic.</li>"
        let request = "{\"package\": {\"name\": \(JSONText.quoted(r.package.name)), \"version\": \(r.package.version.map(JSONText.quoted) ?? "null")}}"
        s += "<li><strong>From code</strong>: Python <code>nerq.Engine().score(\(HTML.h(request)))</code>, "
            + "C <code>nerq_score(engine, request)</code> with the same request.</li>"
        return s + "</ol></section>\n"
    }

    func methodologySection(_ r: Report) -> String {
        var s = "<section class=\"card\" id=\"methodology\"><h2>Methodology v\(HTML.h(r.methodologyVersion ?? "1"))</h2>"
        s += "<p>Trust Score = Σ(weight × score) ÷ Σ(weight) over the dimensions that have a score, then lowered by any cap. "
            + "Coverage is the share of the total weight that had data.</p>"
        let scored = r.dimensions.filter { $0.score != nil }
        if !scored.isEmpty {
            let terms = scored.map { "\(Numbers.general($0.weight ?? 0)) × \(Numbers.fixed($0.score ?? 0, 1))" }.joined(separator: " + ")
            let weights = scored.map { Numbers.general($0.weight ?? 0) }.joined(separator: " + ")
            s += "<p>For this report:</p><pre><code>(\(terms))\n  ÷ (\(weights))\n  = \(Numbers.score(r.uncappedScore ?? r.score))"
            for c in r.caps { s += "\n  capped at \(c.max.map(Numbers.general) ?? "?") (\(HTML.h(c.reason ?? c.id ?? "cap")))" }
            if !r.caps.isEmpty { s += "\n  = \(Numbers.score(r.score))" }
            s += "</code></pre>"
        }
        s += "<div class=\"grid3\"><div><h3>Weights</h3><table class=\"compact fixed\"><tbody>"
        for (name, w) in r.weights { s += "<tr><td>\(HTML.h(Words.capitalized(name)))</td><td class=\"num\">\(Numbers.general(w))</td></tr>" }
        s += "</tbody></table></div>"
        s += "<div><h3>Grades</h3><ul class=\"scale\">"
        let lowest = HTML.gradeScale.dropLast().last?.floor ?? 0
        for (grade, floor) in HTML.gradeScale {
            s += "<li><b>\(grade)</b><span>\(floor > 0 ? "≥ " + Numbers.general(floor) : "below " + Numbers.general(lowest))</span></li>"
        }
        s += "</ul></div>"
        let t = Policy.Thresholds(), c = Policy.Caps()
        s += "<div><h3>Verdicts</h3><table class=\"compact fixed\"><tbody>"
        s += "<tr><td>\(HTML.badge("safe", Words.label("safe")))</td><td class=\"num\">≥ \(Numbers.general(t.safe))</td></tr>"
        s += "<tr><td>\(HTML.badge("caution", Words.label("caution")))</td><td class=\"num\">\(Numbers.general(t.caution))–\(Numbers.general(t.safe))</td></tr>"
        s += "<tr><td>\(HTML.badge("warning", Words.label("warning")))</td><td class=\"num\">\(Numbers.general(t.warning))–\(Numbers.general(t.caution))</td></tr>"
        s += "<tr><td>\(HTML.badge("avoid", Words.label("avoid")))</td><td class=\"num\">below \(Numbers.general(t.warning))</td></tr>"
        s += "<tr><td>\(HTML.badge("unknown", "UNKNOWN"))</td><td class=\"num\">too little evidence</td></tr>"
        s += "</tbody></table><h3>Caps</h3><p class=\"small\">An advisory that affects the version caps the score: critical vulnerability "
            + "\(Numbers.general(c.critical)), high \(Numbers.general(c.high)), other vulnerability \(Numbers.general(c.vulnerability)), "
            + "unsound or unmaintained \(Numbers.general(c.unsound)), yanked \(Numbers.general(c.yanked)), malicious \(Numbers.general(c.malicious)).</p></div></div>"
        for (key, value) in r.methodologyExtra {
            s += "<p class=\"small\"><strong>\(HTML.h(Words.capitalized(Words.humanize(key))))</strong>: \(HTML.h(displayText(value)))</p>"
        }
        s += "<p class=\"muted small\">Weights are the ones this report was scored with; grade, verdict and cap values are the "
            + "published defaults of nerq's methodology (an engine's policy can change them). The full text is docs/methodology.md in "
            + "nerq's repository.</p>"
        return s + "</section>\n"
    }

    /// Each grade and the lowest score that earns it, read from the methodology's own grading
    /// (every tenth from 100 down), so this table can never disagree with it.
    static let gradeScale: [(grade: String, floor: Double)] = {
        var out: [(grade: String, floor: Double)] = []
        var tenths = 1000
        while tenths >= 0 {
            let g = Grade(score: Double(tenths) / 10).rawValue
            if let i = out.firstIndex(where: { $0.grade == g }) { out[i].floor = Double(tenths) / 10 } else { out.append((g, Double(tenths) / 10)) }
            tenths -= 1
        }
        return out
    }()

    func sourcesSection(_ r: Report) -> String {
        var rows: [(String, String)] = []
        rows.append(("Report date", r.now.map(HTML.h) ?? "not given"))
        if let e = r.exists {
            rows.append(("Known to exist", e ? "yes (registry data or its source)" : "<strong>no</strong>: nothing shows that this crate exists"))
        }
        if let db = r.database {
            rows.append(("Advisory database", HTML.h(Words.database(db))))
        } else if r.advisoriesChecked == false {
            rows.append(("Advisories", "not checked"))
        } else {
            let affecting = r.findings.filter(\.isAdvisory).count
            rows.append(("Advisories", r.advisoriesGiven ? "checked: \(affecting == 0 ? "none affects" : Words.plural(Int64(affecting), "advisory", "advisories") + " affect") this version"
                                                       : "none given"))
        }
        if let src = r.source {
            var text = src.path.map { "<code>\(HTML.h($0))</code>" } ?? "scanned"
            if let f = src.files { text += ": \(Words.plural(f, "file"))" }
            if let l = src.linesCode { text += ", \(Numbers.count(l)) lines of code" }
            let skipped = src.skipped.filter { $0.count > 0 }
            if !skipped.isEmpty { text += "; skipped: " + HTML.h(Words.counts(skipped, order: [])) }
            rows.append(("Crate source", text))
        } else {
            rows.append(("Crate source", "not read (not found on this machine)"))
        }
        rows.append(("Registry data", r.registry.map { g in g.first { $0.key == "source" }.map { HTML.h(displayText($0.value)) } ?? "given" } ?? "none"))
        rows.append(("Repository data", r.repository == nil ? "none" : "given"))
        rows.append(("Manifest", r.manifest == nil ? "not read" : "Cargo.toml"))
        if !r.ignoredKeys.isEmpty { rows.append(("Ignored request keys", HTML.h(r.ignoredKeys.joined(separator: ", ")))) }
        rows.append(("Generated by", "nerq \(HTML.h(version)), methodology v\(HTML.h(r.methodologyVersion ?? "1"))"))
        return "<section class=\"card\" id=\"sources\"><h2>Data sources</h2><dl class=\"facts\">"
            + rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl></section>\n"
    }
}

/// A signal-group value as a page shows it: a count with separators, or text (a link when the key
/// holds a URL).
enum JSONValueView {
    case text(String, url: String?)
    case count(Int64)

    init(_ value: JSONValue, key: String) {
        switch value {
        case .int(let n): self = .count(n)
        case .string(let s): self = .text(s, url: ["url", "repository", "documentation", "homepage"].contains(key) ? s : nil)
        default: self = .text(displayText(value), url: nil)
        }
    }
}

extension JSONText {
    /// A string as a JSON (and Python) string literal.
    static func quoted(_ s: String) -> String { string(.string(s)) }
}
