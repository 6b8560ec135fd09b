import NerqJSON

/// How to render: the `options` object of nerq_render.
///
///     {"format": "human" | "markdown" | "sarif" | "html" | "json",   default "human"
///      "color": false,        human: ANSI colours for verdicts and severities
///      "width": 100,          human: lines of at most this many columns (absent or 0: no limit)
///      "all": false,          human: every package, not only those needing attention
///      "evidence": null,      file:line evidence of unsafe code and capabilities
///                             (default: on a crate's html page; elsewhere only when true)
///      "tree": false,         human, markdown: each finding's inverted dependency tree (from the
///                             assessment's `dependents`), instead of its first paths
///      "base": "/project"}    sarif: directory that locations are relative to (the workspace root)
///
/// Unknown keys are errors, as in engine configuration: a misspelt option must not pass silently.
public struct RenderOptions: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case human, markdown, sarif, html, json
    }

    public var format: Format = .human
    public var color = false
    public var width: Int?
    public var all = false
    public var evidence: Bool?
    public var tree = false
    public var base: String?

    public init(format: Format = .human) { self.format = format }

    public static let keys = ["format", "color", "width", "all", "evidence", "tree", "base"]

    /// Narrower than this cannot hold a table row's first columns; wider is no terminal.
    public static let widthRange: ClosedRange<Int64> = 20...10_000

    /// Reads options; `path` names the argument in errors (`$.options`).
    public static func read(_ value: JSONValue?, path: String = "$.options") throws(NerqError) -> RenderOptions {
        var options = RenderOptions()
        guard let value, value != .null else { return options }
        let o = try JSONReader(value, path: path).object()
        try o.rejectUnknownKeys(known: keys)
        if let f = o.optional("format") {
            let name = try f.string()
            guard let format = Format(rawValue: name) else {
                throw NerqError(.invalidValue, "unknown format \"\(name)\"; formats are \(Format.allCases.map(\.rawValue).joined(separator: ", "))",
                                path: f.path)
            }
            options.format = format
        }
        if let c = o.optional("color") { options.color = try c.bool() }
        if let w = o.optional("width") {
            let n = try w.int(in: 0...widthRange.upperBound)
            if n != 0 {
                guard widthRange.contains(n) else {
                    throw NerqError(.invalidValue, "expected a width of \(widthRange.lowerBound)...\(widthRange.upperBound) columns (or 0: no limit), found \(n)",
                                    path: w.path)
                }
                options.width = Int(n)
            }
        }
        if let a = o.optional("all") { options.all = try a.bool() }
        if let e = o.optional("evidence") { options.evidence = try e.bool() }
        if let t = o.optional("tree") { options.tree = try t.bool() }
        if let b = o.optional("base") {
            let s = try b.nonEmptyString()
            guard s.hasPrefix("/") else {
                throw NerqError(.invalidValue, "expected an absolute directory (\"/...\"), found \"\(s)\"", path: b.path)
            }
            options.base = s
        }
        return options
    }

    public enum Subject: Sendable { case report, assessment, preflight }

    /// Evidence is listed by default where there is room for it: on a crate's page, not in a
    /// terminal and not for each of a project's packages.
    public func showsEvidence(for subject: Subject) -> Bool { evidence ?? (format == .html && subject == .report) }
}
