/// The project page: a summary (verdicts, grades and finding kinds as charts, the worst packages),
/// the advisories with the dependency paths that pull each in, a table of every package sorted
/// worst first (a small script resorts it by any column; without scripts it stays sorted by risk),
/// and a section for each package that the table links to.
extension HTML {
    /// `p12-atty-0.2.14`: unique by its number, readable by its name (only [a-z0-9._-] kept).
    static func anchor(_ index: Int, _ p: PackageName) -> String {
        var slug = ""
        for s in p.label.lowercased().unicodeScalars {
            let v = s.value
            if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || v == 0x2E || v == 0x5F || v == 0x2D {
                slug.unicodeScalars.append(s)
            } else if v == 0x20 {
                slug += "-"
            }
            if slug.utf8.count >= 60 { break }
        }
        return "p\(index)" + (slug.isEmpty ? "" : "-" + slug)
    }

    static let gradeOrder = ["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D", "E", "F", "none"]

    func assessment(_ doc: Assessment) -> [UInt8] {
        let packages = sortWorstFirst(doc.packages)
        var anchors: [String: String] = [:]
        for (i, p) in packages.enumerated() where anchors[p.package.label] == nil { anchors[p.package.label] = HTML.anchor(i, p.package) }
        let paths = Assessment.DependencyPaths(doc.findings)
        let attention = packages.filter(\.needsAttention).count
        let title = HTML.h(doc.title)
        var s = "<section class=\"card\"><p class=\"eyebrow\">dependency trust report</p><h1>\(title): \(Words.plural(doc.total, "package")), \(attention) need\(attention == 1 ? "s" : "") attention</h1>"
        if let l = doc.lockfile { s += "<p class=\"muted small\"><code>\(HTML.h(l))</code></p>" }
        let sum = doc.summary
        let kinds = Words.counts(sum.byFindingKind, order: Words.kindOrder)
        if (sum.advisories ?? 0) > 0 {
            s += "<p class=\"lead\">\(Words.plural(sum.advisories ?? 0, "advisory", "advisories")) affect "
                + "\(Words.plural(sum.affectedPackages ?? 0, "package")) (\(HTML.h(kinds))).</p>"
        } else {
            s += "<p class=\"lead\">No advisory affects these packages"
                + (doc.database.map { " in the advisory database used (\(Words.plural($0.advisories ?? 0, "advisory", "advisories")))" } ?? "") + ".</p>"
        }
        if doc.advisoriesChecked == false {
            s += "<p class=\"callout v-warning\"><strong>Advisories were not checked</strong>: no finding below does not mean none.</p>"
        }
        let unscored = packages.filter { $0.score == nil }.count
        let tiles: [(String, String)] = [(Numbers.count(doc.total), "packages"), ("\(attention)", "need attention"),
                                         (Numbers.count(sum.advisories ?? 0), "advisories"), (Numbers.count(sum.affectedPackages ?? 0), "affected packages"),
                                         (Numbers.count(sum.verified ?? 0), "verified (70+)"), ("\(unscored)", "without a score")]
        s += "<div class=\"tiles\">" + tiles.map { "<div class=\"tile\"><b>\($0.0)</b><span>\($0.1)</span></div>" }.joined() + "</div></section>\n"
        s += "<nav class=\"card toc\" aria-label=\"On this page\"><strong>On this page</strong><a href=\"#summary\">Summary</a>"
            + "<a href=\"#advisories\">Advisories</a><a href=\"#packages\">Packages</a><a href=\"#details\">Package details</a>"
            + "<a href=\"#sources\">Data sources</a></nav>\n"
        s += summarySection(doc, packages: packages, anchors: anchors)
        s += advisoriesSection(doc, anchors: anchors)
        s += packagesTable(doc, packages: packages)
        s += "<section id=\"details\"><h2 class=\"part\">Package details</h2>\n"
        for (i, p) in packages.enumerated() { s += packageSection(p, anchor: HTML.anchor(i, p.package), paths: paths) }
        s += "</section>\n"
        s += projectSources(doc)
        s += "<section class=\"card small muted\" id=\"disclaimer\"><h2>Disclaimer</h2><p>" + HTML.disclaimer + "</p></section>\n"
        return page(title: "\(title): \(Words.plural(doc.total, "package")), \(attention) need attention — nerq", date: doc.now, body: s, sortable: true)
    }

    /// A chart's numbers as a table, folded under it (the chart's text equivalent on the page).
    static func countsTable(_ caption: String, _ rows: [(key: String, count: Int64)]) -> String {
        "<details><summary>\(caption) as a table</summary><table class=\"compact fixed\"><tbody>"
            + rows.map { "<tr><td>\(h($0.key))</td><td class=\"num\">\($0.count)</td></tr>" }.joined() + "</tbody></table></details>"
    }

    func summarySection(_ doc: Assessment, packages: [Report], anchors: [String: String]) -> String {
        let sum = doc.summary
        var s = "<section class=\"card\" id=\"summary\"><h2>Summary</h2><div class=\"grid3\">"
        // Verdicts: the counts the summary gives, else counted from the reports.
        var verdicts = Words.ordered(sum.byVerdict, order: Words.verdictOrder)
        if verdicts.isEmpty {
            for level in Words.verdictOrder { verdicts.append((level, Int64(packages.filter { $0.level == level }.count))) }
        }
        let vmax = Double(verdicts.map(\.count).max() ?? 0)
        let vdesc = verdicts.map { "\($0.key): \($0.count)" }.joined(separator: ", ")
        s += "<figure><h3>Verdicts</h3>" + SVG.bars(id: "verdicts", title: "Packages by verdict", desc: HTML.h(vdesc),
            rows: verdicts.map { SVG.Bar(label: HTML.label(Words.label($0.key)), value: Double($0.count), display: "\($0.count)",
                                         cls: "v-\(HTML.level($0.key))") }, maximum: vmax)
        s += HTML.countsTable("Verdicts", verdicts) + "</figure>"
        let grades = Words.ordered(sum.byGrade, order: HTML.gradeOrder)
        let gdesc = grades.map { "\($0.key): \($0.count)" }.joined(separator: ", ")
        s += "<figure><h3>Grades</h3>" + SVG.columns(id: "grades", title: "Packages by grade", desc: HTML.h(gdesc),
            rows: grades.map { g in
                let floor = HTML.gradeScale.first { $0.grade == g.key }?.floor
                return SVG.Bar(label: HTML.label(g.key == "none" ? "–" : g.key, 4), value: Double(g.count), display: "\(g.count)",
                               cls: floor.map { HTML.band($0 + 0.1) } ?? "band-none")
            })
        s += HTML.countsTable("Grades", grades) + "</figure>"
        let kinds = Words.ordered(sum.byFindingKind, order: Words.kindOrder)
        let kmax = Double(kinds.map(\.count).max() ?? 0)
        let kdesc = kinds.map { "\($0.key): \($0.count)" }.joined(separator: ", ")
        s += "<figure><h3>Findings by kind</h3>" + SVG.bars(id: "kinds", title: "Advisory findings by kind", desc: HTML.h(kdesc),
            rows: kinds.map { k in
                let cls = k.key == "malicious" || k.key == "vulnerability" ? "s-high" : (k.key == "unsound" || k.key == "yanked" ? "s-medium" : "s-low")
                return SVG.Bar(label: HTML.label(Words.capitalized(k.key)), value: Double(k.count), display: "\(k.count)", cls: cls)
            }, maximum: kmax)
        s += HTML.countsTable("Findings by kind", kinds) + "</figure></div>"
        if !sum.worst.isEmpty {
            s += "<h3>Worst packages</h3><ol>"
            for w in sum.worst {
                let label = w.version.map { "\(w.name) \($0)" } ?? w.name
                let name = anchors[label].map { "<a href=\"#\($0)\">\(HTML.h(label))</a>" } ?? HTML.h(label)
                s += "<li><strong>\(name)</strong> — \(Numbers.score(w.score))"
                if let g = w.grade { s += " (\(HTML.h(g)))" }
                if let v = w.verdict { s += ", <span class=\"vtext v-\(HTML.level(v))\">\(HTML.h(v))</span>" }
                if let f = w.finding { s += ": \(HTML.h(f))" }
                s += "</li>"
            }
            s += "</ol>"
        }
        return s + "</section>\n"
    }

    func advisoriesSection(_ doc: Assessment, anchors: [String: String]) -> String {
        var s = "<section class=\"card\" id=\"advisories\"><h2>Advisories</h2>"
        guard !doc.findings.isEmpty else { return s + "<p>No advisory affects any package of this project.</p></section>\n" }
        s += "<p>Each advisory that affects a package version, with the dependency paths that pull it into the project.</p>"
        // A column for what is known of the code, only when the assessment asked (targets or references).
        let reach = doc.findings.contains { !$0.reach.isEmpty }
        s += "<div class=\"scroll wide\"><table><thead><tr><th>Advisory</th><th>Severity</th><th>Package</th><th>Fix</th>"
            + (reach ? "<th>Compiled, referenced</th>" : "") + "<th>Pulled in by</th></tr></thead><tbody>"
        for f in doc.findings {
            let label = f.version.map { "\(f.package ?? "?") \($0)" } ?? (f.package ?? "?")
            let package = anchors[label].map { "<a href=\"#\($0)\">\(HTML.h(label))</a>" } ?? HTML.h(label)
            s += "<tr><td class=\"nowrap\">\(HTML.link(HTML.h(f.id ?? "-"), Words.advisoryLink(f)))<br><span class=\"muted small\">"
                + "\(HTML.h(Words.humanize(f.kind ?? "finding")))</span></td><td>\(HTML.sevChip(f.severity))</td><td>\(package)"
                + "<br><span class=\"small\">\(HTML.h(f.text))</span></td><td>"
            s += f.upgradeTo.map { "upgrade to <strong>\(HTML.h($0))</strong>" } ?? "<span class=\"na\">no fixed version</span>"
            if reach {
                let lines = f.reach.lines
                s += "</td><td class=\"small\">" + (lines.isEmpty ? "<span class=\"na\">–</span>" : lines.map { HTML.h($0) }.joined(separator: "<br>"))
            }
            s += "</td><td>"
            let paths = f.paths.prefix(4).map { "<code>\(HTML.h($0.joined(separator: " › ")))</code>" }
            s += paths.isEmpty ? "<span class=\"na\">\(Words.noPath(f).map(HTML.h) ?? "–")</span>" : paths.joined(separator: "<br>")
            if f.paths.count > 4 { s += "<br><span class=\"muted small\">and \(f.paths.count - 4) more</span>" }
            s += "</td></tr>"
        }
        return s + "</tbody></table></div></section>\n"
    }

    func packagesTable(_ doc: Assessment, packages: [Report]) -> String {
        var s = "<section class=\"card\" id=\"packages\"><h2>Packages</h2>"
        s += "<p>Every package, worst first (lowest score first; unscored last). Select a name for its details"
            + "; with scripts on, a column heading sorts by that column.</p>"
        if Int64(packages.count) < doc.total {
            s += "<p class=\"callout\">\(Words.plural(doc.total - Int64(packages.count), "package")) without a full report in this "
                + "assessment (it kept reports only for packages that need attention) are counted in the summary only.</p>"
        }
        s += "<div class=\"scroll wide\"><table class=\"sortable\"><thead><tr><th data-sort=\"num\" class=\"num\">#</th>"
            + "<th data-sort=\"text\">Package</th><th data-sort=\"text\">Version</th><th data-sort=\"num\" class=\"num\">Score</th>"
            + "<th data-sort=\"num\">Grade</th><th data-sort=\"num\">Verdict</th><th data-sort=\"num\" class=\"num\">Findings</th>"
            + "<th>Worst finding</th></tr></thead><tbody>"
        for (i, p) in packages.enumerated() {
            let anchor = HTML.anchor(i, p.package)
            let gradeRank = HTML.gradeOrder.firstIndex(of: p.grade ?? "none") ?? HTML.gradeOrder.count
            let levelRank = Words.verdictOrder.firstIndex(of: p.level) ?? Words.verdictOrder.count
            let notable = p.notable
            s += "<tr><td class=\"num\" data-v=\"\(i + 1)\">\(i + 1)</td>"
            s += "<td data-v=\"\(HTML.h(p.package.name.lowercased()))\"><a href=\"#\(anchor)\">\(HTML.h(p.package.name))</a>"
            if p.devOnly { s += " <span class=\"muted small\">dev</span>" }
            if p.workspaceMember { s += " <span class=\"muted small\">member</span>" }
            s += "</td><td data-v=\"\(HTML.h(p.package.version ?? ""))\">\(HTML.h(p.package.version ?? "–"))</td>"
            s += "<td class=\"num\" data-v=\"\(p.score.map { Numbers.fixed($0, 1) } ?? "")\">\(HTML.meter(p.score, cls: "v-\(HTML.level(p.level))"))"
                + "\(Numbers.score(p.score))</td>"
            s += "<td data-v=\"\(gradeRank)\">\(HTML.h(p.grade ?? "–"))</td>"
            s += "<td data-v=\"\(levelRank)\"><span class=\"vtext v-\(HTML.level(p.level))\">\(HTML.h(p.level))</span></td>"
            s += "<td class=\"num\" data-v=\"\(notable.count)\">\(notable.count)"
            if p.findings.count > notable.count { s += " <span class=\"muted small\">+\(p.findings.count - notable.count) info</span>" }
            s += "</td><td class=\"small\">\(HTML.h(notable.first?.text ?? p.findings.first?.text ?? "–"))</td></tr>"
        }
        return s + "</tbody></table></div></section>\n"
    }

    func packageSection(_ p: Report, anchor: String, paths: Assessment.DependencyPaths) -> String {
        var s = "<section class=\"card pkg\" id=\"\(anchor)\"><h3>\(HTML.h(p.package.name)) <span class=\"muted\">\(HTML.h(p.package.version ?? ""))</span></h3>"
        s += "<p class=\"badges\">\(HTML.badge(p.level, p.label ?? Words.label(p.level)))<span class=\"chip\">\(Numbers.score(p.score))/100</span>"
        if let g = p.grade { s += "<span class=\"chip\">Grade \(HTML.h(g))</span>" }
        if p.verified == true { s += "<span class=\"chip\">Verified (70+)</span>" }
        if p.devOnly { s += "<span class=\"chip\">dev-dependency only</span>" }
        if p.workspaceMember { s += "<span class=\"chip\">workspace member</span>" }
        if let k = p.sourceKind { s += "<span class=\"chip\">\(HTML.h(k))</span>" }
        s += "</p>"
        if let summary = p.summary { s += "<p>\(HTML.h(summary))</p>" }
        for f in p.notable {
            s += HTML.findingCard(f, package: p.package, paths: paths.of(f, in: p))
        }
        if let src = p.source {
            var line = "<p class=\"small\"><strong>Unsafe code:</strong> "
            let total = src.unsafeTotal ?? 0
            line += total == 0 ? "none found" : "\(Numbers.count(total)) items"
            if let l = src.linesCode { line += " in \(Numbers.count(l)) lines" }
            if src.forbidsUnsafe == true { line += " (forbids unsafe code)" }
            line += ". <strong>Reaches:</strong> "
            line += src.capabilities.isEmpty ? "nothing the scanner looks for" : HTML.h(src.capabilities.map(Words.capability).joined(separator: "; "))
            if src.buildScript == true { line += "; has a build script" }
            s += line + ".</p>"
            if options.showsEvidence(for: .assessment) {
                for (kind, items) in src.evidence where !items.isEmpty { s += HTML.evidence(src, kind) }
            }
        }
        s += "<details><summary>Dimensions and signals (\(HTML.coverageLine(p)))</summary>\(HTML.dimensionTable(p, compact: true))</details>"
        s += "<p class=\"top\"><a href=\"#packages\">↑ back to the table</a></p></section>\n"
        return s
    }

    func projectSources(_ doc: Assessment) -> String {
        var rows: [(String, String)] = []
        rows.append(("Report date", doc.now.map(HTML.h) ?? "not given"))
        rows.append(("Advisory database", doc.advisoriesChecked == false ? "not checked" : HTML.h(Words.database(doc.database))))
        if let db = doc.database, !db.errors.isEmpty {
            let shown = db.errors.prefix(10).map { e in "<code>\(HTML.h("\(e.file ?? "?"):\(e.line ?? 0)"))</code> \(HTML.h(e.message ?? ""))" }
            rows.append(("Unreadable advisories", shown.joined(separator: "<br>") + (db.errors.count > 10 ? "<br>and \(db.errors.count - 10) more" : "")))
        }
        if let l = doc.lockfile { rows.append(("Lockfile", "<code>\(HTML.h(l))</code>")) }
        if let root = doc.workspaceRoot { rows.append(("Workspace", "<code>\(HTML.h(root))</code>")) }
        if !doc.workspaceMembers.isEmpty { rows.append(("Members", HTML.h(doc.workspaceMembers.joined(separator: ", ")))) }
        if !doc.summary.bySource.isEmpty { rows.append(("Package sources", HTML.h(Words.counts(doc.summary.bySource, order: [])))) }
        if let skipped = doc.summary.skippedDevOnly, skipped > 0 { rows.append(("Left out", "\(Words.plural(skipped, "dev-only package"))")) }
        for issue in doc.issues { rows.append(("Issue", HTML.h(issue))) }
        for note in doc.notes { rows.append(("Note", HTML.h(note))) }
        rows.append(("Generated by", "nerq \(HTML.h(version)), methodology v\(HTML.h(doc.packages.first?.methodologyVersion ?? "1"))"))
        return "<section class=\"card\" id=\"sources\"><h2>Data sources</h2><dl class=\"facts\">"
            + rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
            + "<p class=\"muted small\">Each package's score follows the methodology its report names: Trust Score = Σ(weight × score) ÷ "
            + "Σ(weight) over the scored dimensions, then caps; the signals and points behind every dimension are in its details.</p></section>\n"
    }
}
