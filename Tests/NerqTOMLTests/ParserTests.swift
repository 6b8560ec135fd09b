import Testing
import NerqTOML

/// Parses and returns the error, or nil if parsing succeeded.
private func parseError(_ text: String) -> TOMLError? {
    do {
        _ = try TOML.parse(text)
        return nil
    } catch {
        return error
    }
}

private func parseError(bytes: [UInt8]) -> TOMLError? {
    do {
        _ = try TOML.parse(bytes)
        return nil
    } catch {
        return error
    }
}

@Suite struct BasicParsingTests {
    @Test func scalarsAndOrder() throws {
        let t = try TOML.parse("""
            z = "last?"
            a = 1
            m = 1.5
            b = true
            s = 'lit'
            d = 1979-05-27T07:32:00Z
            """)
        #expect(t.keys == ["z", "a", "m", "b", "s", "d"])
        #expect(t.string("z") == "last?")
        #expect(t.integer("a") == 1)
        #expect(t.float("m") == 1.5)
        #expect(t.bool("b") == true)
        #expect(t.string("s") == "lit")
        #expect(t.dateTime("d")?.rfc3339 == "1979-05-27T07:32:00Z")
        #expect(t.string("a") == nil)  // wrong type
        #expect(t["missing"] == nil)
    }

    @Test func threeEntryPoints() throws {
        let text = "a = [1, 2]\n"
        let a = try TOML.parse(text)
        let b = try TOML.parse(Array(text.utf8))
        let c = try Array(text.utf8).withUnsafeBytes { raw throws(TOMLError) in try TOML.parse(raw) }
        #expect(a == b)
        #expect(b == c)
        #expect(a.array("a") == [.integer(1), .integer(2)])
    }

    @Test func emptyDocuments() throws {
        #expect(try TOML.parse("").isEmpty)
        #expect(try TOML.parse([UInt8]()).isEmpty)
        #expect(try TOML.parse("\n\n# just a comment\n   \t\n").isEmpty)
    }

    @Test func largeTableUsesIndexAndKeepsOrder() throws {
        var text = ""
        for i in (0..<40).reversed() { text += "k\(i) = \(i)\n" }
        let t = try TOML.parse(text)
        #expect(t.count == 40)
        #expect(t.keys.first == "k39")
        #expect(t.keys.last == "k0")
        for i in 0..<40 {
            #expect(t.integer("k\(i)") == Int64(i))
            #expect(t.line(forKey: "k\(i)") == 40 - i)
        }
        // Mutating entries keeps lookups correct (index is dropped).
        var m = t
        m.entries.insert((key: "new", value: .bool(true)), at: 0)
        #expect(m.bool("new") == true)
        #expect(m.integer("k5") == 5)
    }

    @Test func keysAreByteExact() throws {
        // U+00E9 vs e + U+0301: canonically equivalent, but different TOML keys.
        let t = try TOML.parse("\"\u{E9}\" = 1\n\"e\u{301}\" = 2\n")
        #expect(t.count == 2)
        #expect(t.integer("\u{E9}") == 1)
        #expect(t.integer("e\u{301}") == 2)
    }

    @Test func strings() throws {
        let t = try TOML.parse(#"""
            basic = "tab\tquote\" uni\u00E9 \U0001F600"
            ml = """
            line1
            line2 \
               continued"""
            lit = 'C:\path'
            mll = '''
            raw \n '' '''
            quotes = """a""\""""
            """#)
        #expect(t.string("basic") == "tab\tquote\" uni\u{E9} \u{1F600}")
        #expect(t.string("ml") == "line1\nline2 continued")
        #expect(t.string("lit") == #"C:\path"#)
        #expect(t.string("mll") == #"raw \n '' "#)
        #expect(t.string("quotes") == "a\"\"\"")
    }

    @Test func numbers() throws {
        let t = try TOML.parse("""
            a = +99
            b = -17
            c = 1_000
            d = 0xDEAD_beef
            e = 0o755
            f = 0b1101
            g = 6.626e-34
            h = -inf
            i = nan
            j = 9223372036854775807
            k = -9223372036854775808
            l = 0.0
            m = -0e0
            """)
        #expect(t.integer("a") == 99)
        #expect(t.integer("b") == -17)
        #expect(t.integer("c") == 1000)
        #expect(t.integer("d") == 0xDEAD_BEEF)
        #expect(t.integer("e") == 0o755)
        #expect(t.integer("f") == 13)
        #expect(t.float("g") == 6.626e-34)
        #expect(t.float("h") == -.infinity)
        #expect(t.float("i")?.isNaN == true)
        #expect(t.integer("j") == Int64.max)
        #expect(t.integer("k") == Int64.min)
        #expect(t.float("l") == 0)
        #expect(t.float("m") == 0)
        #expect(t == t)  // NaN equals NaN structurally
    }

    @Test func dateTimes() throws {
        let t = try TOML.parse("""
            odt = 1979-05-27 00:32:00.999999-07:00
            ldt = 1979-05-27t07:32:00.5
            ld = 2024-02-29
            lt = 23:59:60.123456789123
            z = 1979-05-27T07:32:00z
            """)
        guard case .offsetDateTime(let odt)? = t["odt"] else {
            Issue.record("odt")
            return
        }
        #expect(odt.offsetMinutes == -420)
        #expect(odt.nanosecond == 999_999_000)
        #expect(odt.rfc3339 == "1979-05-27T00:32:00.999999-07:00")
        guard case .localDateTime(let ldt)? = t["ldt"] else {
            Issue.record("ldt")
            return
        }
        #expect(ldt.rfc3339 == "1979-05-27T07:32:00.500")
        #expect(ldt.offsetMinutes == nil)
        guard case .localDate(let ld)? = t["ld"] else {
            Issue.record("ld")
            return
        }
        #expect(ld.rfc3339 == "2024-02-29")
        guard case .localTime(let lt)? = t["lt"] else {
            Issue.record("lt")
            return
        }
        #expect(lt.rfc3339 == "23:59:60.123456789")  // truncated to nanoseconds
        #expect(t.dateTime("z")?.rfc3339 == "1979-05-27T07:32:00Z")
        #expect(parseError("d = 2023-02-29") != nil)
        #expect(parseError("d = 1979-05-27T24:00:00") != nil)
        #expect(parseError("d = 1979-05-27T07:32") != nil)  // seconds required in 1.0
    }
}

@Suite struct ErrorPositionTests {
    @Test func describesAsLineColon() {
        let e = TOMLError(line: 3, column: 7, message: "boom")
        #expect(e.description == "3:7: boom")
    }

    @Test func positions() {
        // Missing value: column of the newline after '='.
        var e = parseError("a = 1\nb = \n")
        #expect(e?.line == 2)
        #expect(e?.column == 5)

        // Bad escape: points at the backslash (bytes, 1-based).
        e = parseError("x = 1\n\n  key = \"ab\\qc\"\n")
        #expect(e?.line == 3)
        #expect(e?.column == 12)

        // Column counts bytes, not characters: "é" is 2 bytes.
        e = parseError("s = \"é\" x\n")
        #expect(e?.line == 1)
        #expect(e?.column == 10)

        // Error after a multi-line string that spans lines.
        e = parseError("a = \"\"\"\none\ntwo\"\"\" junk\n")
        #expect(e?.line == 3)
        #expect(e?.column == 8)

        // Inside a multi-line array.
        e = parseError("a = [\n  1,\n  2\n  3,\n]\n")
        #expect(e?.line == 4)
        #expect(e?.column == 3)

        // Unterminated string points at the opening quote.
        e = parseError("a = 1\nb = \"abc")
        #expect(e?.line == 2)
        #expect(e?.column == 5)
    }

    @Test func invalidUTF8() {
        var e = parseError(bytes: Array("a = \"x".utf8) + [0xC3, 0x28] + Array("\"\n".utf8))
        #expect(e?.line == 1)
        #expect(e?.column == 7)
        #expect(e?.message.contains("UTF-8") == true)
        // Surrogate encoded in UTF-8, inside a comment.
        e = parseError(bytes: Array("a = 1 # ".utf8) + [0xED, 0xA0, 0x80])
        #expect(e?.column == 9)
        // Overlong encoding.
        #expect(parseError(bytes: Array("a = '".utf8) + [0xC0, 0xAF] + Array("'".utf8)) != nil)
        // Truncated sequence at end of input.
        #expect(parseError(bytes: Array("a = 1 #".utf8) + [0xE2, 0x82]) != nil)
    }

    @Test func controlCharacters() {
        #expect(parseError("a = \"\u{0}\"") != nil)
        #expect(parseError("a = 'x\u{7F}'") != nil)
        #expect(parseError("a = 1 # \u{1F}") != nil)
        #expect(parseError("a = \"\"\"\u{8}\"\"\"") != nil)
        let ok = try? TOML.parse("a = \"tab\there\" # tab\tok\n")
        #expect(ok?.string("a") == "tab\there")
    }
}

@Suite struct DuplicateAndStructureTests {
    @Test func duplicateKeys() {
        var e = parseError("a = 1\nb = 2\na = 3\n")
        #expect(e?.line == 3)
        #expect(e?.column == 1)
        #expect(e?.message.contains("duplicate key") == true)
        e = parseError("a = 1\n'a' = 2")
        #expect(e?.line == 2)
        e = parseError("t = {x = 1, x = 2}")
        #expect(e?.line == 1)
        #expect(e?.column == 13)
        #expect(parseError("\"\\u0061\" = 1\na = 2") != nil)
    }

    @Test func duplicateTables() {
        var e = parseError("[a]\nx = 1\n\n[a]\ny = 2\n")
        #expect(e?.line == 4)
        #expect(e?.column == 2)
        #expect(e?.message.contains("already defined") == true)
        e = parseError("[a.b]\n[a]\n[a.b]\n")
        #expect(e?.line == 3)
        #expect(e?.column == 4)
        #expect(parseError("[a]\nb = 1\n[a.b]\n") != nil)  // value then table
        #expect(parseError("[[a]]\n[a]\n") != nil)  // array of tables then table
        #expect(parseError("[a]\n[[a]]\n") != nil)
        #expect(parseError("a = []\n[[a]]\n") != nil)  // static array
        #expect(parseError("a = {}\n[a.b]\n") != nil)  // inline tables are closed
        // An implicitly created table may be defined once.
        let t = try? TOML.parse("[a.b.c]\nx = 1\n[a]\ny = 2\n")
        #expect(t?.table("a")?.integer("y") == 2)
        #expect(t?.table("a")?.table("b")?.table("c")?.integer("x") == 1)
    }

    @Test func dottedKeys() throws {
        let t = try TOML.parse("""
            name = "x"
            physical.color = "orange"
            physical.shape = "round"
            site."google.com" = true
            a . b . c = 1
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            """)
        #expect(t.table("physical")?.keys == ["color", "shape"])
        #expect(t.table("site")?.bool("google.com") == true)
        #expect(t.table("a")?.table("b")?.integer("c") == 1)
        let apple = t.table("fruit")?.table("apple")
        #expect(apple?.string("color") == "red")
        #expect(apple?.table("taste")?.bool("sweet") == true)
        #expect(apple?.table("texture")?.bool("smooth") == true)
        #expect(t.line(forKey: "physical") == 2)
        #expect(t.table("physical")?.line == 2)
        #expect(t.table("physical")?.line(forKey: "shape") == 3)

        // Inline tables with dotted keys.
        let i = try TOML.parse("p = { a.b = 1, a.c = 2 }")
        #expect(i.table("p")?.table("a")?.keys == ["b", "c"])

        // Invalid uses.
        #expect(parseError("a = 1\na.b = 2") != nil)
        #expect(parseError("a.b = 1\na.b.c = 2") != nil)
        #expect(parseError("[fruit]\napple.color = 'red'\n[fruit.apple]\n") != nil)
        #expect(parseError("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n") != nil)
        #expect(parseError("[[a.b]]\n[a]\nb.y = 2\n") != nil)
        #expect(parseError("a = {b = 1}\na.c = 2") != nil)
        #expect(parseError("a = {b.a = 1, b = 2}") != nil)
    }

    @Test func arrayOfTablesLineNumbers() throws {
        let t = try TOML.parse("""
            version = 4

            [[package]]
            name = "a"
            version = "1.0.0"

            [[package]]
            name = "b"
            dependencies = [
             "a",
            ]

            [[package.sub]]
            x = 1

            [[package]]
            name = "c"
            """)
        #expect(t.line == 1)
        #expect(t.line(forKey: "version") == 1)
        #expect(t.line(forKey: "package") == 3)
        guard let pkgs = t.tables("package") else {
            Issue.record("no packages")
            return
        }
        #expect(pkgs.count == 3)
        #expect(pkgs.map { $0.line } == [3, 7, 16])
        #expect(pkgs.map { $0.string("name") ?? "" } == ["a", "b", "c"])
        #expect(pkgs[0].line(forKey: "version") == 5)
        #expect(pkgs[1].line(forKey: "dependencies") == 9)
        #expect(pkgs[1].strings("dependencies") == ["a"])
        #expect(pkgs[1].tables("sub")?.first?.line == 13)
        #expect(pkgs[1].tables("sub")?.first?.integer("x") == 1)
        #expect(pkgs[1].line(forKey: "sub") == 13)
        #expect(pkgs[2].tables("sub") == nil)
    }

    @Test func tableLines() throws {
        let t = try TOML.parse("""
            # comment
            s = '''
            a
            b'''
            [x.y]
            k = 1
            [x]
            j = { q = [
              1,
              2 ] }
            after = 2
            """)
        #expect(t.line(forKey: "s") == 2)
        #expect(t.line(forKey: "x") == 5)
        let x = t.table("x")
        #expect(x?.line == 7)  // implicit, then defined by [x]
        #expect(x?.table("y")?.line == 5)
        #expect(x?.line(forKey: "j") == 8)
        #expect(x?.table("j")?.line == 8)
        #expect(x?.line(forKey: "after") == 11)
    }
}

@Suite struct LimitsTests {
    @Test func integerOverflow() {
        var e = parseError("a = 9223372036854775808")
        #expect(e?.message.contains("out of range") == true)
        #expect(e?.column == 5)
        e = parseError("x = 1\na = -9223372036854775809")
        #expect(e?.line == 2)
        #expect(e?.message.contains("out of range") == true)
        #expect(parseError("a = 0x8000000000000000") != nil)
        #expect(parseError("a = 0o1777777777777777777777") != nil)
        #expect(parseError("a = 0b" + String(repeating: "1", count: 64)) != nil)
        #expect(parseError("a = 99999999999999999999999999999999999999") != nil)
        #expect((try? TOML.parse("a = 0x7FFFFFFFFFFFFFFF"))?.integer("a") == Int64.max)
    }

    @Test func nestingLimitArrays() {
        let deep = "a = " + String(repeating: "[", count: 100_000)
        let e = parseError(deep)
        #expect(e?.message.contains("nesting") == true)
        #expect(e?.line == 1)

        let ok = "a = " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(parseError(ok) == nil)
        let limit = TOML.maxNestingDepth
        #expect(parseError("a = " + String(repeating: "[", count: limit) + String(repeating: "]", count: limit)) == nil)
        #expect(parseError("a = " + String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)) != nil)
    }

    @Test func nestingLimitInlineTables() {
        var s = "a = "
        for _ in 0..<100_000 { s += "{b = " }
        #expect(parseError(s)?.message.contains("nesting") == true)
        var mixed = "a = "
        for _ in 0..<50_000 { mixed += "[{b = " }
        #expect(parseError(mixed)?.message.contains("nesting") == true)
    }

    @Test func nestingLimitKeys() {
        let dotted = Array(repeating: "k", count: 10_000).joined(separator: ".") + " = 1"
        #expect(parseError(dotted)?.message.contains("nesting") == true)
        let header = "[" + Array(repeating: "k", count: 10_000).joined(separator: ".") + "]"
        #expect(parseError(header)?.message.contains("nesting") == true)
        let aot = "[[" + Array(repeating: "k", count: 10_000).joined(separator: ".") + "]]"
        #expect(parseError(aot)?.message.contains("nesting") == true)
        // Combination: header depth plus inline depth.
        let h = "[" + Array(repeating: "k", count: 100).joined(separator: ".") + "]\nv = " + String(repeating: "[", count: 50)
        #expect(parseError(h)?.message.contains("nesting") == true)
    }

    @Test func manyTablesAndLongInput() throws {
        var s = ""
        for i in 0..<5000 { s += "[[p]]\nn = \(i)\nd = [\"x\", \"y\"]\n" }
        let t = try TOML.parse(s)
        #expect(t.tables("p")?.count == 5000)
        #expect(t.tables("p")?.last?.integer("n") == 4999)
        #expect(t.tables("p")?.last?.line == 3 * 4999 + 1)
    }
}

@Suite struct LineEndingAndBOMTests {
    @Test func crlf() throws {
        let t = try TOML.parse("a = 1\r\n[t]\r\nb = \"\"\"\r\nx\r\ny\"\"\"\r\nc = '''\r\nl1\r\nl2'''\r\nd = \"\"\"one \\\r\n   two\"\"\"\r\n")
        #expect(t.integer("a") == 1)
        #expect(t.table("t")?.string("b") == "x\ny")  // CRLF normalised to LF
        #expect(t.table("t")?.string("c") == "l1\nl2")
        #expect(t.table("t")?.string("d") == "one two")
        #expect(t.table("t")?.line(forKey: "c") == 6)
        #expect(t.table("t")?.line(forKey: "d") == 9)
        // A bare CR is an error.
        let e = parseError("a = 1\rb = 2\n")
        #expect(e?.line == 1)
        #expect(e?.column == 6)
        #expect(parseError("a = \"\"\"x\ry\"\"\"") != nil)
        #expect(parseError("a = 1 # c\r") != nil)
        // Error lines are counted by LF in CRLF files.
        let e2 = parseError("a = 1\r\nb = 2\r\nc = ?\r\n")
        #expect(e2?.line == 3)
        #expect(e2?.column == 5)
    }

    @Test func bom() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let t = try TOML.parse(bom + Array("a = 1\n".utf8))
        #expect(t.integer("a") == 1)
        #expect(try TOML.parse(bom).isEmpty)
        // String input with a BOM character.
        #expect(try TOML.parse("\u{FEFF}a = 2").integer("a") == 2)
        // Columns on line 1 do not count the BOM.
        let e = parseError(bytes: bom + Array("a = ?".utf8))
        #expect(e?.line == 1)
        #expect(e?.column == 5)
        // A BOM anywhere else is an error (outside strings/comments).
        #expect(parseError(bytes: bom + bom + Array("a = 1".utf8)) != nil)
        #expect(parseError(bytes: Array("a = ".utf8) + bom + Array("1".utf8)) != nil)
        // UTF-16 BOM.
        #expect(parseError(bytes: [0xFF, 0xFE, 0x61, 0x00]) != nil)
    }
}
