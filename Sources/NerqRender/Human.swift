/// Human text for a terminal: the project table (worst first), the "Is NAME safe?" report of one
/// crate, and the preflight answer; ANSI colours on request; every line within `width` columns.
///
/// Lines are built as spans of escaped text with a style, then guarded against workflow commands
/// and fitted to the width in one place (`emit`), so no renderer below has to count columns of
/// coloured text.
struct Human {
    let options: RenderOptions

    struct Span {
        var text: String
        var style: String?
    }

    typealias Line = [Span]

    /// SGR codes, as cargo colours its own output.
    static func code(_ style: String) -> String? {
        switch style {
        case "safe": return "32"
        case "caution": return "33"
        case "warning": return "1;33"
        case "avoid", "critical": return "1;31"
        case "unknown", "dim", "info", "none": return "2"
        case "bold": return "1"
        case "high": return "31"
        case "medium": return "33"
        case "low": return "36"
        default: return nil
        }
    }

    /// An input value made safe for a terminal.
    static func e(_ s: String) -> String { Escape.terminal(s) }

    static func plain(_ s: String) -> Line { [Span(text: s, style: nil)] }

    // MARK: output

    func emit(_ lines: [Line]) -> [UInt8] {
        var out: [UInt8] = []
        for var line in lines {
            let text = line.map(\.text).joined()
            let guarded = WorkflowGuard.apply(Array(text.utf8), style: .text)
            if guarded.count != text.utf8.count {
                // Rare (a value that would form a workflow command): the line loses its colour.
                line = [Span(text: String(decoding: guarded, as: UTF8.self), style: nil)]
            }
            if let width = options.width { line = Human.fit(line, width) }
            var end = line.count
            while end > 0, line[end - 1].style == nil, line[end - 1].text.allSatisfy({ $0 == " " }) { end -= 1 }
            for (i, span) in line[..<end].enumerated() {
                var text = span.text
                if i == end - 1 && span.style == nil {
                    while text.hasSuffix(" ") { text.removeLast() }
                }
                if options.color, let style = span.style, let code = Human.code(style), !text.isEmpty {
                    out.append(contentsOf: Array("\u{1b}[\(code)m".utf8))
                    out.append(contentsOf: text.utf8)
                    out.append(contentsOf: Array("\u{1b}[0m".utf8))
                } else {
                    out.append(contentsOf: text.utf8)
                }
            }
            out.append(0x0A)
        }
        return out
    }

    /// Cuts a line to `width` columns, ending it in "…".
    static func fit(_ line: Line, _ width: Int) -> Line {
        var total = 0
        for span in line { total += TextWidth.of(span.text) }
        guard total > width else { return line }
        var out: Line = []
        var used = 0
        for span in line {
            let w = TextWidth.of(span.text)
            if used + w <= width - 1 {
                out.append(span)
                used += w
                continue
            }
            let room = width - used
            if room > 0 { out.append(Span(text: TextWidth.truncate(span.text + " ", to: room), style: span.style)) }
            break
        }
        return out
    }

    // MARK: a project

    func assessment(_ doc: Assessment) -> [UInt8] {
        let packages = sortWorstFirst(doc.packages)
        let shown = options.all ? packages : packages.filter(\.needsAttention)
        var lines: [Line] = []
        lines += table(shown)
        // Counts are bounded when read (Node.countRange): these sums cannot overflow.
        let hidden = Int64(packages.count - shown.count) + max(0, doc.total - Int64(packages.count))
        if hidden > 0 {
            lines.append(Human.plain("... and \(Words.plural(hidden, "more package")) (\(hiddenLevels(doc, shown: shown))) "
                                     + "with no finding above info (--all lists them)"))
        } else if shown.isEmpty {
            lines.append(Human.plain("No packages."))
        }
        if options.showsEvidence(for: .assessment) { lines += evidence(shown) }
        lines += findings(doc)
        lines.append([])
        let s = doc.summary
        let verdicts = Words.counts(s.byVerdict, order: Words.verdictOrder)
        let extra = (s.skippedDevOnly ?? 0) > 0 ? " (\(s.skippedDevOnly ?? 0) dev-only left out)" : ""
        lines.append(Human.plain("\(Words.plural(doc.total, "package"))\(extra): \(verdicts.isEmpty ? "none" : verdicts)"))
        lines.append(Human.plain(Human.e(Words.findingCounts(s))))
        if let n = s.notReported, n > 0 {
            lines.append(Human.plain("\(Words.plural(n, "finding")) not reported under the project's configuration (scored all the same):"))
            for f in doc.notReported {
                let what = "\(f.id ?? "?") in \(f.package ?? "?") \(f.version ?? "")"
                lines += wrapped("\(Human.e(what)): \(Human.e(f.reason ?? ""))", first: "  ", rest: "    ")
            }
        }
        lines += ignores(doc)
        lines += baseline(doc)
        if doc.advisoriesChecked == false {
            lines.append([Span(text: "advisories were not checked: no finding above does not mean none", style: "warning")])
        }
        lines.append(Human.plain("advisory database: \(Human.e(Words.database(doc.database)))"))
        for issue in doc.issues { lines += wrapped("issue: \(Human.e(issue))", rest: "  ") }
        for note in doc.notes { lines += wrapped("note: \(Human.e(note))", rest: "  ") }
        if let gate = doc.gate {
            if gate.passed {
                let denies = gate.deny.isEmpty ? "nothing" : gate.deny.joined(separator: ", ")
                lines += wrapped("gate: passed (fails on \(Human.e(denies))\(gate.failUnder.map { ", or a score below \(Numbers.general($0))" } ?? ""))",
                                 rest: "  ")
            } else {
                let text = wrappedText("gate: FAILED (exit \(gate.exitCode ?? 1)): \(Human.e(gate.message ?? ""))", rest: "  ")
                for (i, l) in text.enumerated() { lines.append([Span(text: l, style: i == 0 ? "avoid" : nil)]) }
            }
            if let apart = gate.setApartText { lines += wrapped(Human.e(apart), first: "  ", rest: "    ") }
        }
        return emit(lines)
    }

    /// Text in lines that fit the width (no limit: one line).
    func wrappedText(_ text: String, first: String = "", rest: String = "") -> [String] {
        TextWidth.wrap(text, width: options.width, first: first, rest: rest)
    }

    func wrapped(_ text: String, first: String = "", rest: String = "") -> [Line] {
        wrappedText(text, first: first, rest: rest).map(Human.plain)
    }

    /// With `evidence`: for each package in the table, where its unsafe code and capabilities are
    /// (file:line), what a verdict from the package's own evidence rests on.
    func evidence(_ shown: [Report]) -> [Line] {
        var lines: [Line] = []
        for p in shown {
            guard let s = p.source else { continue }
            var block: [Line] = []
            for kind in Words.unsafeEvidenceKinds + s.capabilities { block += evidence(s, kind) }
            guard !block.isEmpty else { continue }
            lines += [[], [Span(text: "Evidence: \(Human.e(p.package.label))", style: "bold")]] + block
        }
        return lines
    }

    /// What each finding is, what the advisory says, how to fix it and what pulls the package in.
    func findings(_ doc: Assessment) -> [Line] {
        guard !doc.findings.isEmpty else { return [] }
        var lines: [Line] = [[], [Span(text: "Findings", style: "bold"),
                                  Span(text: " (\(Human.e(Words.findingCounts(doc.summary))))", style: nil)]]
        for f in doc.findings {
            lines.append([])
            lines += findingBlock(f, doc: doc, descriptionLines: 4)
        }
        return lines
    }

    /// One finding: `ID  package version  kind, severity`, its title, the advisory's description
    /// (at most `descriptionLines` lines, nil: all of it), the alternatives it recommends, the fix,
    /// and the paths (or, with `dependents` in the document, the inverted tree).
    func findingBlock(_ f: Finding, doc: Assessment?, descriptionLines: Int?) -> [Line] {
        var lines: [Line] = []
        var head = [Span(text: Human.e(f.id ?? Words.humanize(f.kind ?? "finding")), style: "bold")]
        if let p = f.package { head.append(Span(text: "  \(Human.e(p)) \(Human.e(f.version ?? ""))" + (f.devOnly ? " (dev)" : ""), style: nil)) }
        var kind = "  \(Human.e(Words.humanize(f.kind ?? "finding")))"
        head.append(Span(text: kind, style: nil))
        kind = ", \(Human.e(f.severity ?? "-"))"
        head.append(Span(text: kind, style: f.severity))
        if let score = f.cvssScore { head.append(Span(text: " (CVSS \(Numbers.general(score)))", style: nil)) }
        if f.baseline == "new" { head.append(Span(text: "  new since the baseline", style: "warning")) }
        lines.append(head)
        if let title = f.title { lines += wrapped(Human.e(title), first: "  ", rest: "  ") }
        if let text = f.description { lines += description(text, limit: descriptionLines, link: Words.advisoryLink(f)) }
        if !f.recommended.isEmpty {
            lines.append(Human.plain("  alternatives the advisory recommends:"))
            for a in f.recommended {
                var text = Human.e(a.name)
                if let note = a.note { text += " — \(Human.e(note))" }
                if let url = a.url { text += " <\(Human.e(url))>" }
                lines += wrapped(text, first: "    - ", rest: "      ")
            }
        }
        if let fix = f.fix {
            if let command = fix.command {
                lines.append([Span(text: "  fix: ", style: nil), Span(text: Human.e(command), style: "bold")])
            } else if let text = fix.text {
                lines += wrapped("fix: \(Human.e(text))", first: "  ", rest: "       ")
            }
        } else if let up = f.upgradeTo {
            lines += wrapped("fix: upgrade to \(Human.e(up)) or later", first: "  ", rest: "       ")
        }
        for text in f.reach.lines { lines += wrapped(Human.e(text), first: "  ", rest: "    ") }
        if options.tree, let doc, let graph = doc.dependents, let node = f.treeNode {
            lines.append(Human.plain("  dependency tree (who pulls it in):"))
            for l in Tree.lines(from: Int(node), graph, limit: 40) { lines.append(Human.plain("    " + Human.e(l))) }
        } else if !f.paths.isEmpty {
            let total = f.pathsTotal ?? Int64(f.paths.count)
            for (i, path) in f.paths.enumerated() {
                let label = i == 0 ? "pulled in by: " : "              "
                lines += wrapped(Human.e(path.joined(separator: " > ")), first: "  " + label, rest: "                  ")
            }
            if total > Int64(f.paths.count) {
                lines.append(Human.plain("                +\(total - Int64(f.paths.count)) more (--tree shows every path)"))
            }
        } else if let none = Words.noPath(f) {
            lines += wrapped("pulled in by: " + none, first: "  ", rest: "                ")
        }
        if let link = Words.advisoryLink(f) { lines += wrapped(Human.e(link), first: "  ", rest: "  ") }
        return lines
    }

    /// The advisory's text, wrapped, at most `limit` lines (then "…").
    func description(_ markdown: String, limit: Int?, link: String?) -> [Line] {
        var out: [String] = []
        for block in Prose.blocks(markdown) {
            switch block {
            case .paragraph(let t): out += wrappedText(Human.e(t), first: "    ", rest: "    ")
            case .heading(let t): out += wrappedText(Human.e(t) + ":", first: "    ", rest: "    ")
            case .item(let t): out += wrappedText(Human.e(t), first: "    - ", rest: "      ")
            case .code(let code): out += code.map { "      " + Human.e($0) }
            }
        }
        guard let limit, out.count > limit else { return out.map(Human.plain) }
        var cut = Array(out.prefix(limit))
        cut[limit - 1] += " …"
        return cut.map(Human.plain) + (link == nil ? [] : [Human.plain("    (the whole advisory at the link below)")])
    }

    func ignores(_ doc: Assessment) -> [Line] {
        guard !doc.ignores.isEmpty else { return [] }
        var lines: [Line] = [Human.plain("ignore entries (\(Human.e(Words.ignoreCounts(doc.ignores)))):")]
        for i in doc.ignores {
            var text = "\(Human.e(i.id)) [\(Human.e(i.status))]"
            if let source = i.source { text += " (\(Human.e(source)))" }
            if let message = i.message { text += ": \(Human.e(message))" }
            if let reason = i.reason { text += "; reason: \(Human.e(reason))" }
            if let e = i.expires, i.status != "expired" { text += "; expires \(Human.e(String(e.prefix(10))))" }
            let style: String? = i.status == "applied" ? nil : "warning"
            let wrappedLines = wrappedText(text, first: "  ", rest: "    ")
            for (k, l) in wrappedLines.enumerated() { lines.append([Span(text: l, style: k == 0 ? style : nil)]) }
        }
        return lines
    }

    func baseline(_ doc: Assessment) -> [Line] {
        guard let b = doc.baseline else { return [] }
        var lines: [Line] = []
        let path = Human.e(b.path ?? "?")
        switch b.status {
        case "written"?, "updated"?:
            lines += wrapped("baseline: \(b.status ?? "") \(path) with \(Words.plural(b.known ?? 0, "finding")); later runs fail only on findings not in it",
                             rest: "  ")
        default:
            let since = b.recorded.map { " (recorded \(Human.e(String($0.prefix(10)))))" } ?? ""
            lines += wrapped("baseline \(path)\(since): \(b.new ?? 0) new, \(b.known ?? 0) known, \(b.gone.count) gone", rest: "  ")
            for g in b.gone {
                lines += wrapped("gone: \(Human.e(g.id ?? "?")) in \(Human.e(g.package ?? "?")) \(Human.e(g.version ?? ""))", first: "  ", rest: "    ")
            }
        }
        return lines
    }

    /// Verdicts of the packages not listed. With `reports: "flagged"` the packages without a report
    /// are known only from the summary: its counts less those listed.
    func hiddenLevels(_ doc: Assessment, shown: [Report]) -> String {
        // In document order; the index keeps each add O(1) however many levels a document names.
        var levels: [(key: String, count: Int64)] = []
        var index: [String: Int] = [:]
        func add(_ key: String, _ n: Int64) {
            if let i = index[key] { levels[i].count += n } else { index[key] = levels.count; levels.append((key, n)) }
        }
        if Int64(doc.packages.count) < doc.total {
            for (k, n) in doc.summary.byVerdict { add(k, n) }
        } else {
            for p in doc.packages { add(p.level, 1) }
        }
        for p in shown { add(p.level, -1) }
        return Human.e(Words.counts(levels.map { ($0.key, max(0, $0.count)) }, order: Words.verdictOrder))
    }

    /// PACKAGE VERSION SCORE GRADE VERDICT REASON, the first five columns aligned. The reason is
    /// the worst finding above info; for a verdict below safe without one, the weakest dimension
    /// and the signals that pull it down (never an unrelated informational note).
    func table(_ reports: [Report]) -> [Line] {
        guard !reports.isEmpty else { return [] }
        var rows: [(cells: [String], level: String)] = []
        rows.reserveCapacity(reports.count)
        for p in reports {
            let name = Human.e(p.package.name) + (p.devOnly ? " (dev)" : "")
            rows.append(([name, Human.e(p.package.version ?? "-"), Numbers.score(p.score), Human.e(p.grade ?? "-"),
                          Human.e(p.level), Human.e(Words.reason(p))], p.level))
        }
        let header = ["PACKAGE", "VERSION", "SCORE", "GRADE", "VERDICT", "REASON"]
        var widths = (0..<5).map { i in rows.reduce(TextWidth.of(header[i])) { max($0, TextWidth.of($1.cells[i])) } }
        if let width = options.width {
            // Long names and versions give way first (down to 8 columns each), then the finding.
            let minimumWorst = 16
            while widths.reduce(10, +) + minimumWorst > width {
                let i = widths[0] >= widths[1] ? 0 : 1
                guard widths[i] > 8 else { break }
                widths[i] -= 1
            }
        }
        func cell(_ text: String, _ i: Int, right: Bool = false) -> String {
            TextWidth.pad(TextWidth.truncate(text, to: widths[i]), widths[i], right: right)
        }
        func line(_ cells: [String], verdictStyle: String?) -> Line {
            [Span(text: cell(cells[0], 0) + "  " + cell(cells[1], 1) + "  " + cell(cells[2], 2, right: true) + "  "
                  + cell(cells[3], 3) + "  ", style: nil),
             Span(text: cell(cells[4], 4), style: verdictStyle),
             Span(text: "  " + cells[5], style: nil)]
        }
        var lines: [Line] = [[Span(text: line(header, verdictStyle: nil).map(\.text).joined(), style: "bold")]]
        // With a width, a long reason wraps under its column (at most two lines, then "…"),
        // so the row stays readable instead of being cut after a few words.
        let reasonColumn = widths.reduce(10, +)
        for row in rows {
            guard let width = options.width, width - reasonColumn >= 16 else {
                lines.append(line(row.cells, verdictStyle: row.level))
                continue
            }
            var parts = TextWidth.wrap(row.cells[5], width: width - reasonColumn)
            if parts.count > 2 {
                parts = Array(parts.prefix(2))
                parts[1] = TextWidth.truncate(parts[1] + " …", to: width - reasonColumn)
            }
            var cells = row.cells
            cells[5] = parts.first ?? ""
            lines.append(line(cells, verdictStyle: row.level))
            for more in parts.dropFirst() { lines.append(Human.plain(String(repeating: " ", count: reasonColumn) + more)) }
        }
        return lines
    }

    // MARK: one crate

    func report(_ r: Report) -> [UInt8] {
        let name = Human.e(r.package.name)
        let width = options.width
        var lines: [Line] = [[Span(text: "Is \(name) safe?", style: "bold")], []]
        var head = "\(name) \(r.package.version.map(Human.e) ?? "(no version given)"): \(Numbers.score(r.score))/100"
        if let g = r.grade { head += " (\(Human.e(g)))" }
        lines.append([Span(text: head + "  ", style: nil), Span(text: Human.e(r.label ?? Words.label(r.level)), style: r.level),
                      Span(text: "  recommendation \(Human.e(r.recommendation ?? "-"))" + (r.verified == true ? "  verified" : ""), style: nil)])
        for l in TextWidth.wrap("What it means: \(Words.meaning(Human.e(r.level))).", width: width) { lines.append(Human.plain(l)) }
        if let summary = r.summary {
            for l in TextWidth.wrap(Human.e(summary), width: width) { lines.append(Human.plain(l)) }
        }
        lines += facts(r)
        if r.package.version == nil {
            lines.append(Human.plain("note: advisories are matched per version; give NAME@VERSION to check one"))
        }
        if r.advisoriesChecked == false {
            lines.append([Span(text: "advisories were not checked: no advisory finding does not mean none", style: "warning")])
        }
        lines.append([])
        lines += dimensions(r)
        if !r.caps.isEmpty {
            lines += [[], [Span(text: "Caps", style: "bold"), Span(text: "  (uncapped score \(Numbers.score(r.uncappedScore)))", style: nil)]]
            for c in r.caps {
                let text = "at most \(c.max.map(Numbers.general) ?? "?"): \(Human.e(c.reason ?? c.id ?? "-"))"
                for l in TextWidth.wrap(text, width: width, first: "  ", rest: "    ") { lines.append(Human.plain(l)) }
            }
        }
        lines += [[], [Span(text: "Findings", style: "bold")]]
        if r.findings.isEmpty { lines.append(Human.plain("  none")) }
        // Advisories in full (their text, alternatives and fix), then what nerq itself observed.
        // Indented by two columns: laid out for a width two columns narrower.
        var narrower = options
        narrower.width = options.width.map { max(20, $0 - 2) }
        let advisories = r.findings.filter(\.isAdvisory)
        for (i, f) in advisories.enumerated() {
            if i > 0 { lines.append([]) }
            lines += Human(options: narrower).findingBlock(f, doc: nil, descriptionLines: nil).map { [Span(text: "  ", style: nil)] + $0 }
        }
        if !advisories.isEmpty && advisories.count < r.findings.count { lines.append([]) }
        for f in r.findings where !f.isAdvisory {
            let sev = Human.e(f.severity ?? "-")
            let wrapped = TextWidth.wrap(Human.e(f.text), width: width.map { $0 }, first: "  [\(sev)] ", rest: "      ")
            for (i, l) in wrapped.enumerated() {
                if i == 0 {
                    let rest = String(String.UnicodeScalarView(l.unicodeScalars.dropFirst(4 + sev.unicodeScalars.count)))
                    lines.append([Span(text: "  ", style: nil), Span(text: "[\(sev)]", style: f.severity), Span(text: rest, style: nil)])
                } else {
                    lines.append(Human.plain(l))
                }
            }
        }
        lines += source(r)
        lines += alternatives(r)
        lines += verify(r)
        return emit(lines)
    }

    /// When the report speaks of, what the verdict bands are, the licence, and the strongest and
    /// weakest dimensions in words.
    func facts(_ r: Report) -> [Line] {
        var lines: [Line] = []
        var when = r.now.map { "as of \(Human.e(String($0.prefix(10))))" } ?? "date not given"
        if let bands = Words.bands(r) { when += "; \(bands)" }
        lines += wrapped(when, rest: "  ")
        lines += wrapped("licence: \(Human.e(Words.licence(r)))", rest: "  ")
        if let strong = Words.strongest(r) { lines += wrapped(Human.e(strong), rest: "  ") }
        if let weak = Words.weakest(r) { lines += wrapped(Human.e(weak), rest: "  ") }
        return lines
    }

    func dimensions(_ r: Report) -> [Line] {
        var lines: [Line] = []
        let coverage = r.coverage.map(Numbers.percent) ?? "-"
        let about = "(coverage \(coverage), \(Human.e(r.confidence ?? "unknown")) confidence; "
            + "score = weighted mean of the scored dimensions, then caps)"
        // Wrapped, not cut: the rest of the sentence goes on the lines below the heading.
        let parts = TextWidth.wrap(about, width: options.width.map { max(1, $0 - 10) }, first: "  ", rest: "  ")
        lines.append([Span(text: "Dimensions", style: "bold"), Span(text: parts.first ?? "", style: nil)])
        for more in parts.dropFirst() { lines.append(Human.plain(more)) }
        for d in r.dimensions {
            let base = d.base.map { ", base \(Numbers.general($0))" } ?? ""
            let name = TextWidth.pad(Human.e(d.name), 13)
            lines.append(Human.plain("  \(name) \(TextWidth.pad(Numbers.score(d.score), 5, right: true))  "
                                     + "(weight \(Numbers.general(d.weight ?? 0))\(base))"))
            for s in d.signals {
                let pts = TextWidth.pad(Numbers.points(s.points ?? 0), 6, right: true)
                for l in TextWidth.wrap(Human.e(s.text), width: options.width, first: "      \(pts)  ", rest: "              ") {
                    lines.append(Human.plain(l))
                }
            }
            if d.score == nil && d.signals.isEmpty { lines.append(Human.plain("              no data")) }
        }
        return lines
    }

    /// Unsafe code and what the crate reaches, from the scanner's group (with file:line evidence
    /// when asked for).
    func source(_ r: Report) -> [Line] {
        guard let s = r.source else { return [] }
        var lines: [Line] = [[], [Span(text: "Unsafe code", style: "bold")]]
        let total = s.unsafeTotal ?? 0
        let parts = s.unsafeCounts.filter { $0.count > 0 }.map { "\($0.count) \(Words.humanize(String($0.key.dropFirst(7))))" }
        var text = total == 0 ? "no unsafe code" : "\(Numbers.count(total)) unsafe items (\(parts.joined(separator: ", ")))"
        if let lines = s.linesCode { text += " in \(Numbers.count(lines)) lines of code" }
        if s.forbidsUnsafe == true { text += "; #![forbid(unsafe_code)]" } else if s.deniesUnsafe == true { text += "; #![deny(unsafe_code)]" }
        for l in TextWidth.wrap(text, width: options.width, first: "  ", rest: "  ") { lines.append(Human.plain(l)) }
        if options.showsEvidence(for: .report) {
            for kind in Words.unsafeEvidenceKinds { lines += evidence(s, kind) }
        }
        lines += [[], [Span(text: "What it reaches", style: "bold")]]
        if s.capabilities.isEmpty { lines.append(Human.plain("  no network, process, filesystem-write, environment or FFI use found")) }
        for c in s.capabilities {
            let n = s.count(c)
            lines.append(Human.plain("  \(Human.e(Words.capability(c)))" + (n > 0 ? " (\(Words.plural(n, "place")))" : "")))
            if options.showsEvidence(for: .report) { lines += evidence(s, c) }
        }
        if s.buildScript == true { lines.append(Human.plain("  has a build script (build.rs runs at compile time)")) }
        if s.procMacro == true { lines.append(Human.plain("  is a procedural macro (runs inside the compiler)")) }
        return lines
    }

    func evidence(_ s: SourceInfo, _ kind: String) -> [Line] {
        let items = s.evidence(kind)
        guard !items.isEmpty else { return [] }
        var lines: [Line] = [Human.plain("    \(Human.e(Words.capability(kind))):")]
        for item in items {
            let text = "\(Human.e(item.location))  \(Human.e(item.snippet ?? ""))"
            lines.append([Span(text: "      " + text, style: "dim")])
        }
        let more = s.count(kind) - Int64(items.count)
        if more > 0 { lines.append(Human.plain("      ... and \(more) more")) }
        return lines
    }

    func alternatives(_ r: Report) -> [Line] {
        guard !r.alternatives.isEmpty else { return [] }
        var lines: [Line] = [[], [Span(text: "Alternatives", style: "bold")]]
        for a in r.alternatives {
            var text = Human.e(a.name)
            if let score = a.score { text += " \(Numbers.score(score))" + (a.grade.map { " (\(Human.e($0)))" } ?? "") }
            if let reason = a.reason { text += ": \(Human.e(reason))" }
            for l in TextWidth.wrap(text, width: options.width, first: "  ", rest: "    ") { lines.append(Human.plain(l)) }
        }
        return lines
    }

    func verify(_ r: Report) -> [Line] {
        var lines: [Line] = [[], [Span(text: "Verify it yourself", style: "bold")]]
        func add(_ text: String) {
            for l in TextWidth.wrap(text, width: options.width, first: "  ", rest: "    ") { lines.append(Human.plain(l)) }
        }
        for f in r.findings {
            guard let link = Words.advisoryLink(f) else { continue }
            var text = "\(Human.e(f.id ?? "-")): \(Human.e(link))"
            if let url = f.url, url != link { text += " (source: \(Human.e(url)))" }
            add(text)
        }
        let target = Human.e(r.package.target)
        add("cargo audit: in a project that depends on \(target), run `cargo audit` against the same advisory-db")
        add("advisory database: \(Human.e(Words.database(r.database)))")
        add("methodology: \(Human.e(Words.methodology(r.methodologyVersion))); every signal's points are listed above, "
            + "so the score can be recomputed by hand")
        return lines
    }

    // MARK: preflight

    func preflight(_ p: Preflight) -> [UInt8] {
        var lines: [Line] = []
        var head = "\(Human.e(p.name)): \(Numbers.score(p.score))/100"
        if let g = p.grade { head += " (\(Human.e(g)))" }
        lines.append([Span(text: head + "  ", style: nil), Span(text: Human.e(Words.label(p.level)), style: p.level),
                      Span(text: "  recommendation \(Human.e(p.recommendation ?? "-"))" + (p.verified == true ? "  verified" : ""), style: nil)])
        if let s = p.summary { for l in TextWidth.wrap(Human.e(s), width: options.width) { lines.append(Human.plain(l)) } }
        lines.append(Human.plain("risk flags: \(p.riskFlags.isEmpty ? "none" : Human.e(p.riskFlags.joined(separator: ", ")))"))
        lines.append(Human.plain("known CVEs: \(p.knownCVEs.isEmpty ? "none" : Human.e(p.knownCVEs.joined(separator: ", ")))"))
        lines.append(Human.plain("license: \(Human.e(p.license ?? "unknown"))"))
        if let c = p.coverage {
            lines.append(Human.plain("coverage \(Numbers.percent(c)), \(Human.e(p.confidence ?? "unknown")) confidence"))
        }
        if let at = p.checkedAt {
            lines.append(Human.plain("checked at \(Human.e(at))" + (p.ttl.map { " (valid for \($0) s)" } ?? "")))
        }
        return emit(lines)
    }
}
