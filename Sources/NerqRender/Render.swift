import NerqJSON

/// Renders any document nerq emits (`nerq.report`, `nerq.assessment`, `nerq.preflight`) as human
/// text, Markdown, SARIF 2.1.0, a self-contained HTML page, or JSON, so that every host (C,
/// Python, cargo nerq) presents the same thing. Pure: no I/O, no clock (dates come from the
/// document), the same bytes for the same document and options.
public enum Renderer {
    /// `document` and `options` are the two arguments of nerq_render; errors name paths under
    /// `$.document` and `$.options`. `version` is the library's, for SARIF's tool and page footers.
    public static func render(_ document: JSONValue, options: JSONValue?, version: String) throws(NerqError) -> [UInt8] {
        let options = try RenderOptions.read(options, path: "$.options")
        return try render(document, options: options, version: version)
    }

    public static func render(_ document: JSONValue, options: RenderOptions, version: String) throws(NerqError) -> [UInt8] {
        // Every format reads the document the same way first, so a document one format accepts
        // is accepted by all (a bad value fails in every format, naming its path).
        let doc = try Document.read(document, path: "$.document")
        switch options.format {
        case .json:
            var bytes = JSONOut.compact(document)
            bytes.append(0x0A)
            return WorkflowGuard.apply(bytes, style: .json)
        case .human:
            let h = Human(options: options)
            switch doc {
            case .report(let r): return h.report(r)
            case .assessment(let a): return h.assessment(a)
            case .preflight(let p): return h.preflight(p)
            }
        case .markdown:
            let m = Markdown(options: options, version: version)
            switch doc {
            case .report(let r): return m.report(r)
            case .assessment(let a): return m.assessment(a)
            case .preflight(let p): return m.preflight(p)
            }
        case .sarif:
            let s = SARIF(options: options, version: version)
            switch doc {
            case .report(let r): return s.report(r)
            case .assessment(let a): return s.assessment(a)
            case .preflight(let p): return s.preflight(p)
            }
        case .html:
            let page = HTML(options: options, version: version)
            switch doc {
            case .report(let r): return page.report(r)
            case .assessment(let a): return page.assessment(a)
            case .preflight(let p): return page.preflight(p)
            }
        }
    }
}
