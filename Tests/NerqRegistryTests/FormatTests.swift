import Foundation
import NerqCore
@testable import NerqRegistry
import NerqTestSupport
import Testing
import NerqJSON

/// Parses `text` as CSV, fed in chunks of `chunk` bytes; returns the records (nil = NULL).
func csv(_ text: String, chunk: Int = 1 << 20, file: String = "t.csv") throws(NerqError) -> [(line: Int, fields: [String?])] {
    var out: [(Int, [String?])] = []
    let parser = CSVParser(file: file) { (row: CSVRow) throws(NerqError) in
        var fields: [String?] = []
        for i in 0..<row.count { fields.append(row.field(i).map { String(decoding: $0, as: UTF8.self) }) }
        out.append((row.line, fields))
    }
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count {
        let end = min(bytes.count, i + chunk)
        let piece = Array(bytes[i..<end])
        try piece.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(NerqError) in try parser.feed(b) }
        i = end
    }
    try parser.finish()
    return out
}

@Suite struct CSVTests {
    static let sample = "id,name,readme,flag\n1,a,\"line 1\nline \"\"2\"\", with comma\",t\n2,,\"\",f\r\n3,c,,t"

    @Test(arguments: [1, 2, 3, 7, 1 << 20])
    func quotingNullsAndLines(chunk: Int) throws {
        let rows = try csv(CSVTests.sample, chunk: chunk)
        #expect(rows.count == 4)
        #expect(rows[0].fields == ["id", "name", "readme", "flag"])
        #expect(rows[1].line == 2)
        #expect(rows[1].fields == ["1", "a", "line 1\nline \"2\", with comma", "t"])
        #expect(rows[2].line == 4)  // the quoted newline moved it down
        #expect(rows[2].fields == ["2", nil, "", "f"])  // unquoted empty is NULL, "" is empty
        #expect(rows[3].line == 5)
        #expect(rows[3].fields == ["3", "c", nil, "t"])  // last line without a newline
    }

    @Test func trailingEmptyField() throws {
        let rows = try csv("a,b\n1,\n")
        #expect(rows[1].fields == ["1", nil])
    }

    @Test(arguments: [
        ("a,b\n1,x\"y\n", "line 2", "quote inside an unquoted field"),
        ("a,b\n1,\"x\"y\n", "line 2", "after a closing quote"),
        ("a,b\n1,2\n3,\"open\nstill open", "line 3", "unterminated quoted field"),
    ])
    func malformed(text: String, line: String, fragment: String) {
        do {
            _ = try csv(text, chunk: 3)
            Issue.record("no error for \(text.debugDescription)")
        } catch {
            #expect(error.message.contains("t.csv \(line)"), "\(error.message)")
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.code == .parseError)
        }
    }
}

@Suite struct PGTextTests {
    func t(_ s: String) -> Int64? {
        Array(s.utf8).withUnsafeBufferPointer { PGText.dateTime($0) }
    }

    @Test func timestamps() {
        #expect(t("2017-01-17 19:13:05.112025+00") == 1484680385)
        #expect(t("2017-01-17 19:13:05+00") == 1484680385)
        #expect(t("2017-01-17 19:13:05.1+00") == 1484680385)
        #expect(t("2017-01-17 21:13:05+02") == 1484680385)
        #expect(t("2017-01-17 14:43:05-04:30") == 1484680385)
        #expect(t("2017-01-17T19:13:05Z") == 1484680385)
        #expect(t("2017-01-17 19:13:05") == 1484680385)
        #expect(t("1969-12-31 23:59:59+00") == -1)
        #expect(t("2024-02-29 00:00:00+00") == 1709164800)
        for bad in ["2017-01-17 19:13:05.+00", "2017-13-01 00:00:00+00", "2023-02-29 00:00:00+00", "2017-01-17 19:13",
                    "2017-01-17  19:13:05+00", "17-01-17 19:13:05+00", "2017-01-17 19:13:05+0", "", "2017-01-17 19:13:05 +00",
                    "2017-01-17 19:61:05+00", "2017-01-17 19:13:05+00x"] {
            #expect(t(bad) == nil, "\(bad)")
        }
    }

    @Test func dates() {
        func d(_ s: String) -> Int64? { Array(s.utf8).withUnsafeBufferPointer { PGText.date($0) } }
        #expect(d("1970-01-01") == 0)
        #expect(d("2026-11-20") == 20777)
        #expect(d("1969-12-31") == -1)
        #expect(d("2026-11-20 00:00:00+00") == nil)
        #expect(d("2026-11-31") == nil)
    }

    @Test func arrays() {
        func a(_ s: String) -> [String]? { Array(s.utf8).withUnsafeBufferPointer { PGText.array($0) } }
        #expect(a("{}") == [])
        #expect(a("{ }") == [])
        #expect(a("{a,b}") == ["a", "b"])
        #expect(a("{cli,\"null\",NULL,x}") == ["cli", "null", "x"])
        #expect(a("{\"with space\",\"quote \\\" in\",\"back\\\\slash\",\"a,b\",\"{}\"}") == ["with space", "quote \" in", "back\\slash", "a,b", "{}"])
        #expect(a("{ a , b }") == ["a", "b"])
        #expect(a("{web-programming::http-client}") == ["web-programming::http-client"])
        #expect(a("{\"\"}") == [""])
        for bad in ["", "{", "}", "a,b", "{a,}", "{,a}", "{a\"b}", "{\"open}", "{{a},{b}}", "{a}x", "{a b\"}", "{a,\"b\"c}"] {
            #expect(a(bad) == nil, "\(bad)")
        }
    }

    @Test func integersAndBooleans() {
        func i(_ s: String) -> Int64? { Array(s.utf8).withUnsafeBufferPointer { PGText.int64($0) } }
        func b(_ s: String) -> Bool? { Array(s.utf8).withUnsafeBufferPointer { PGText.bool($0) } }
        #expect(i("0") == 0 && i("-12") == -12 && i("9223372036854775807") == Int64.max && i("-9223372036854775808") == Int64.min)
        #expect(i("9223372036854775808") == nil && i("") == nil && i("-") == nil && i("1.5") == nil && i(" 1") == nil)
        #expect(b("t") == true && b("f") == false && b("true") == nil && b("T") == nil && b("") == nil)
    }
}
