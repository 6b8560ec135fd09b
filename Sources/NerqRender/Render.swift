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
        case .human: return Human(options: options).render(doc)
        case .markdown: return Markdown(options: options, version: version).render(doc)
        case .sarif: return SARIF(options: options, version: version).render(doc)
        case .html: return HTML(options: options, version: version).render(doc)
        }
    }
}

/// A format: one function per kind of document.
protocol DocumentRenderer {
    func report(_ r: Report) -> [UInt8]
    func assessment(_ a: Assessment) -> [UInt8]
    func preflight(_ p: Preflight) -> [UInt8]
}

extension DocumentRenderer {
    func render(_ doc: Document) -> [UInt8] {
        switch doc {
        case .report(let r): return report(r)
        case .assessment(let a): return assessment(a)
        case .preflight(let p): return preflight(p)
        }
    }
}

extension Human: DocumentRenderer {}
extension Markdown: DocumentRenderer {}
extension SARIF: DocumentRenderer {}
extension HTML: DocumentRenderer {}
