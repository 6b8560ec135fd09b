import CJansson
import Testing
@testable import NerqABI
import NerqCore
import NerqEngine
import NerqJSON

/// Regressions from the bad-input catalogue (docs/bad-input.md) and the fuzzers (tests/fuzz).
@Suite struct BadInputTests {
    /// `levels` nested arrays as a json_t (the outermost is level 1).
    static func nestedArrays(_ levels: Int) -> UnsafeMutablePointer<json_t>? {
        guard let top = json_array() else { return nil }
        var inner = top
        for _ in 1..<max(levels, 1) {
            guard let next = json_array() else { break }
            json_array_append_new(inner, next)
            inner = next
        }
        return top
    }

    /// The json_t converter and the text parser refuse the same depth: 128 levels pass, 129 do not.
    /// (The converter used to accept 129, so nerq_score and nerq_score_str disagreed.)
    @Test func jsonTDepthMatchesTheTextParser() throws {
        for (levels, ok) in [(128, true), (129, false)] {
            let json = Self.nestedArrays(levels)
            defer { json_decref(json) }
            guard let json else { Issue.record("jansson could not allocate"); return }
            let converted = Result { () throws(NerqError) in try JanssonBridge.value(json) }
            let text = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
            let parsed = Result { () throws(NerqError) in try JSONParser.parse(text) }
            let convertedOK = (try? converted.get()) != nil
            let parsedOK = (try? parsed.get()) != nil
            #expect(convertedOK == ok, "json_t, \(levels) levels")
            #expect(parsedOK == ok, "text, \(levels) levels")
            if case .failure(let e) = converted { #expect(e.code == .tooDeep) }
            if case .failure(let e) = parsed { #expect(e.code == .invalidJSON) }
        }
    }

    /// A typo inside "package" is listed in ignored_keys like one anywhere else (it used to pass silently).
    @Test func unknownPackageKeysAreListed() throws {
        let report = try Engine().score(["package": ["name": "nix", "verison": "0.22.1"], "bogus": 1])
        #expect(report.objectValue?["ignored_keys"] == .array([.string("$.bogus"), .string("$.package.verison")]))
    }
}
