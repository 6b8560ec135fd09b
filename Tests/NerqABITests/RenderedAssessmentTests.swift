import Foundation
import Testing
import NerqEngine
import NerqJSON
import NerqRender
import NerqTestSupport
@testable import NerqABI

/// nerq_assess with "render": the same text as assessing, then rendering the document (the two
/// calls a host made before), on the demo's real lockfile and the shared advisory snapshot; the
/// format and tree from audit.toml's [output] when the request leaves them out.
@Suite struct RenderedAssessmentTests {
    static let lockfile = repositoryRoot.appendingPathComponent("examples/demo/Cargo.lock").path

    static func engine() throws -> Engine? {
        guard let db = SharedData.path("advisory-db") else { return nil }
        return try Engine(config: ["advisory_db": .string(db), "now": "2026-11-21T00:00:00Z"])
    }

    static func request(_ render: JSONValue?, options: [(String, JSONValue)] = []) -> JSONValue {
        var o = JSONObject([("lockfile", .string(lockfile)), ("options", .object(JSONObject([("scan_sources", false)] + options)))])
        if let render { o.append("render", render) }
        return .object(o)
    }

    static func text(_ doc: JSONValue) -> String? {
        if case .string(let s)? = doc.objectValue?["text"] { return s }
        return nil
    }

    /// What a host got from the two calls: every report, then nerq_render.
    static func twoCalls(_ engine: Engine, _ render: JSONValue, options: [(String, JSONValue)] = []) throws -> String {
        let doc = try engine.assess(request(nil, options: options))
        return String(decoding: try Renderer.render(doc, options: render, version: nerqVersionText), as: UTF8.self)
    }

    @Test(arguments: ["human", "json", "sarif", "markdown"])
    func sameTextAsAssessThenRender(_ format: String) throws {
        guard let engine = try Self.engine() else { return }
        let render: JSONValue = ["format": .string(format), "width": 100, "tree": true]
        let doc = try RenderedAssessment.run(engine, Self.request(render))
        let o = try #require(doc.objectValue)
        #expect(o["kind"] == "nerq.rendered")
        #expect(o["format"] == .string(format))
        #expect(Self.text(doc) == (try Self.twoCalls(engine, render)))
        #expect(o["gate"]?.objectValue?["exit_code"] == .int(1))  // the demo has vulnerabilities
        #expect(o["summary"]?.objectValue?["findings"] != nil)
        #expect(Self.text(doc)?.contains("RUSTSEC-") == true)
    }

    @Test func formatAndTreeFromAuditToml() throws {
        guard let engine = try Self.engine() else { return }
        let dir = try TempDir()
        defer { dir.cleanup() }
        let audit = "\(dir.path)/audit.toml"
        try "[output]\nformat = \"json\"\nquiet = false\nshow_tree = true\n".write(toFile: audit, atomically: true, encoding: .utf8)
        let files: [(String, JSONValue)] = [("config_files", .array([.object(JSONObject([("path", .string(audit)), ("format", "cargo-audit")]))]))]
        // No format in the request: the file's json, with every report (not the human table's trim).
        let doc = try RenderedAssessment.run(engine, Self.request(["color": false], options: files))
        #expect(doc.objectValue?["format"] == "json")
        #expect(Self.text(doc) == (try Self.twoCalls(engine, ["format": "json"], options: files)))
        // The request's format wins; the file's show_tree draws the trees (of the dependents graph
        // the request asks for).
        let graph = files + [("tree", JSONValue.bool(true))]
        let human = try RenderedAssessment.run(engine, Self.request(["format": "human"], options: graph))
        #expect(human.objectValue?["format"] == "human")
        #expect(Self.text(human) == (try Self.twoCalls(engine, ["format": "human", "tree": true], options: graph)))
        #expect(Self.text(human) != (try Self.twoCalls(engine, ["format": "human"], options: graph)))
    }

    @Test func badRenderOptionsNameTheirPath() throws {
        guard let engine = try Self.engine() else { return }
        for (render, code, path) in [(JSONValue.string("human"), NerqError.Code.invalidType, "$.render"),
                                     (["format": "pdf"], .invalidValue, "$.render.format"),
                                     (["colour": true], .unknownKey, "$.render.colour")] {
            #expect(throws: NerqError.self) { try RenderedAssessment.run(engine, Self.request(render)) }
            do {
                _ = try RenderedAssessment.run(engine, Self.request(render))
            } catch {
                #expect(error.code == code)
                #expect(error.path == path)
            }
        }
        // Without "render" the answer is the assessment itself.
        #expect(try RenderedAssessment.run(engine, Self.request(nil)).objectValue?["kind"] == "nerq.assessment")
    }
}
