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
}
