#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import NerqJSON

@Suite struct JSONTextTests {
    /// The writer's fast number path prints exactly what Swift's shortest round-trip form prints.
    @Test func realsMatchSwiftsShortestForm() {
        var values: [Double] = [0, -0.0, 45, 99.2, 0.25, 0.6, 72.3, 100, 0.001, 0.0001, 1e15, 1e16, 123456.789, -3.5, -0.5,
                                0.1 + 0.2, 1.0 / 3.0, 9.999, 37.9, 38.0, 1e-7, 5e-324, 1.7976931348623157e308]
        var x: UInt64 = 0x9E3779B97F4A7C15
        for _ in 0..<20000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let v = Double(Int64(bitPattern: x >> 20) % 2_000_000) / [1.0, 10, 100, 1000, 7][Int(x % 5)]
            values.append(v)
            values.append(Double(bitPattern: x))
        }
        for v in values where v.isFinite {
            let expected = (v == 0 ? 0.0 : v).description
            #expect(JSONText.string(.double(v)) == expected, "\(v)")
        }
    }

    @Test func integers() {
        for v: Int64 in [0, 1, -1, 9, 10, 1234567890, Int64.max, Int64.min, -1000] {
            #expect(JSONText.string(.int(v)) == String(v))
        }
    }

    @Test func stringsAreEscaped() {
        #expect(JSONText.string(.string("a\"b\\c\n\t\u{1}é")) == "\"a\\\"b\\\\c\\n\\t\\u0001é\"")
        #expect(JSONText.string(["k": [1, 2.5, true, nil, "x"]]) == "{\"k\":[1,2.5,true,null,\"x\"]}")
    }

    /// Every byte value at every position of the 8-byte words the writer scans at once, among
    /// ASCII and multi-byte UTF-8 neighbours: the escape is the one the byte-by-byte rule gives.
    @Test func escapesAtEveryWordPosition() {
        func expected(_ b: UInt8) -> String {
            switch b {
            case 0x22: return "\\\""
            case 0x5C: return "\\\\"
            case 0x0A: return "\\n"
            case 0x0D: return "\\r"
            case 0x09: return "\\t"
            case 0x08: return "\\b"
            case 0x0C: return "\\f"
            case 0..<0x20: return "\\u00" + (b < 0x10 ? "0" : "") + String(b, radix: 16)
            default: return String(UnicodeScalar(b))
            }
        }
        for filler in ["a", "é"] {
            for b in UInt8(0)..<0x80 {
                for position in 0..<17 {
                    let before = String(repeating: filler, count: position), after = String(repeating: filler, count: 9)
                    let s = before + String(UnicodeScalar(b)) + after
                    #expect(JSONText.string(.string(s)) == "\"" + before + expected(b) + after + "\"", "byte \(b) at \(position)")
                }
            }
        }
    }

    /// One walk written into both sinks: the tree is the document, and the text is its encoding.
    @Test func sinksAgree() {
        func walk<S: JSONSink>(_ s: inout S) {
            s.beginObject(capacity: 4)
            s.member("name", "a \"quoted\" \u{1} name")
            s.object("empty") { _ in }
            s.array("items", [1.5, -0.0, 72.3]) { s, x in s.value(.double(x)) }
            s.array("nested", [[Int64](), [1, 2]]) { s, list in
                s.beginArray(capacity: list.count)
                for x in list { s.value(.int(x)) }
                s.endArray()
            }
            s.array("objects", 0..<2) { s, k in
                s.beginObject(capacity: 1)
                s.member("k", .int(Int64(k)))
                s.endObject()
            }
            s.members(of: JSONObject([("tail", .null), ("flag", true)]))
            s.endObject()
        }
        var tree = JSONTreeSink()
        walk(&tree)
        let items = JSONText.items(0..<1, bytesPerItem: 1) { sink, _ in
            walk(&sink)
            return true
        }
        let whole: JSONValue = .object(JSONObject([("packages", .array([tree.result]))]))
        let spliced = JSONText.cString(JSONObject([("packages", .array([]))]), splicing: "packages", runs: [items])
        #expect(spliced.map { String(cString: $0) } == JSONText.string(whole))
        free(spliced)
        guard case .object(let o) = tree.result else {
            Issue.record("not an object")
            return
        }
        #expect(o.keys == ["name", "empty", "items", "nested", "objects", "tail", "flag"])
        #expect(o["items"] == [1.5, 0.0, 72.3])
        #expect(o["nested"] == [[], [1, 2]])
        #expect(o["objects"] == [["k": 0], ["k": 1]])
    }

    /// Runs joined in order, empty runs skipped, the other members around them as they are.
    @Test func splicedRunsEqualTheWholeArray() {
        let values: [JSONValue] = (0..<25).map { k in ["k": .int(Int64(k)), "s": .string(String(repeating: "x", count: k))] }
        for cuts in [[0, 25], [0, 0, 10, 10, 25], [0, 1, 2, 24, 25, 25]] {
            let runs = (0..<(cuts.count - 1)).map { r in
                JSONText.items(cuts[r]..<cuts[r + 1], bytesPerItem: 3) { sink, k in
                    sink.value(values[k])
                    return true
                }
            }
            let object = JSONObject([("before", 1), ("packages", "replaced"), ("after", [true])])
            let spliced = JSONText.cString(object, splicing: "packages", runs: runs)
            var whole = object
            whole.set("packages", .array(values))
            #expect(spliced.map { String(cString: $0) } == JSONText.string(.object(whole)), "\(cuts)")
            free(spliced)
        }
        // Holes, filled in order from the items of `fill`'s runs; too few to fill them is a failure.
        let holes: Set<Int> = [0, 3, 4, 12, 24]
        let holed = [0, 5, 13, 25].indices.dropLast().map { r in
            JSONText.items([0, 5, 13, 25][r]..<[0, 5, 13, 25][r + 1], bytesPerItem: 64) { sink, k in
                guard !holes.contains(k) else { return false }
                sink.value(values[k])
                return true
            }
        }
        let filling = holes.sorted()
        let fill = [0, 2, 5].indices.dropLast().map { r in
            JSONText.items([0, 2, 5][r]..<[0, 2, 5][r + 1]) { sink, j in
                sink.value(values[filling[j]])
                return true
            }
        }
        let filled = JSONText.cString(JSONObject([("packages", .null)]), splicing: "packages", runs: holed, fill: fill)
        #expect(filled.map { String(cString: $0) } == JSONText.string(["packages": .array(values)]))
        free(filled)
        #expect(JSONText.cString(JSONObject([("packages", .null)]), splicing: "packages", runs: holed, fill: [fill[0]]) == nil)
        let none = JSONText.cString(JSONObject([("packages", .null)]), splicing: "packages", runs: [])
        #expect(none.map { String(cString: $0) } == "{\"packages\":[]}")
        free(none)
    }
}
