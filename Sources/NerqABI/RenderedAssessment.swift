import NerqEngine
import NerqJSON
import NerqRender

/// nerq_assess with a top-level "render" (nerq_render's options; every key optional): the project
/// is assessed and rendered in one call, and the answer is a small `nerq.rendered` document —
/// `format`, `text`, `gate`, `config`, `summary`, `warnings` — instead of the assessment. A host
/// that only prints the report (cargo nerq) then decodes kilobytes rather than the whole document
/// (megabytes for a large project), and the library does not parse back what it just built.
///
/// Left out, `format` is the configuration's (`[output] format` of audit.toml), else human, and
/// `tree` is the configuration's `show_tree`. The human table lists only the packages that need
/// attention, so unless `all` or the request's own `options.reports` says otherwise, only flagged
/// packages get full reports; when the configuration then asks for another format, the project is
/// assessed again with every report (the same result).
public enum RenderedAssessment {
    public static func run(_ engine: Engine, _ request: JSONValue) throws(NerqError) -> JSONValue {
        guard case .object(let whole) = request, let renderValue = whole["render"] else { return try engine.assess(request) }
        guard case .object(let given) = renderValue else {
            throw NerqError(.invalidType, "expected an object of render options, found \(renderValue.typeName)", path: "$.render")
        }
        var options = try RenderOptions.read(renderValue, path: "$.render")
        var assess = JSONObject(capacity: whole.count)
        for (key, value) in whole.entries where key != "render" { assess.append(key, value) }

        // Trimmed only where the request leaves `options` absent or an object (anything else is the
        // engine's error to report) and says nothing of reports itself.
        let requestOptions = assess["options"]
        let trim = options.format == .human && !options.all
            && (requestOptions == nil || requestOptions?.objectValue.map { $0["reports"] == nil } == true)
        var trimmed = assess
        if trim {
            var o = requestOptions?.objectValue ?? JSONObject()
            o.set("reports", "flagged")
            trimmed.set("options", .object(o))
        }
        var document = try engine.assess(.object(trimmed))

        let output = document.objectValue?["config"]?.objectValue?["output"]?.objectValue
        if given["format"] == nil, case .string(let name)? = output?["format"], let format = RenderOptions.Format(rawValue: name),
           format != options.format {
            options.format = format
            if trim { document = try engine.assess(.object(assess)) }
        }
        if given["tree"] == nil, case .bool(let tree)? = output?["show_tree"] { options.tree = tree }

        let text = try Renderer.render(document, options: options, version: nerqVersionText)
        let doc = document.objectValue
        return .object(JSONObject([
            ("kind", "nerq.rendered"), ("version", 1), ("format", .string(options.format.rawValue)),
            ("text", .string(String(decoding: text, as: UTF8.self))),
            ("gate", doc?["gate"] ?? .null), ("config", doc?["config"] ?? .null),
            ("summary", doc?["summary"] ?? .null), ("warnings", doc?["warnings"] ?? .array([])),
        ]))
    }
}
