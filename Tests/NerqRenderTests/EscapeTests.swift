import Testing
@testable import NerqRender

/// The escapers, one format at a time, and the workflow-command guard.
@Suite struct EscapeTests {
    @Test func terminalShowsEveryControlVisibly() {
        #expect(Escape.terminal("a\u{1b}[31mb") == "a\\x1b[31mb")
        #expect(Escape.terminal("tab\there\r\nline") == "tab here  line")
        #expect(Escape.terminal("\u{7f}\u{80}\u{9b}") == "\\x7f\\x80\\x9b")
        #expect(Escape.terminal("\u{202e}rtl\u{2066}\u{200b}\u{2028}") == "\\u{202e}rtl\\u{2066}\\u{200b}\\u{2028}")
        #expect(Escape.terminal("\u{e0041}") == "\\u{e0041}")  // a tag character (invisible)
        #expect(Escape.terminal("ünïcødé 漢字 ✓") == "ünïcødé 漢字 ✓")  // ordinary text untouched
        #expect(Escape.terminal("\u{0}") == "\\x00")
    }

    /// Every scalar that is a C0/C1 control or a bidi control is a hazard; none of them survives.
    @Test func noControlSurvivesAnyFormat() {
        var all = ""
        for v in UInt32(0)...0x9F { if let s = Unicode.Scalar(v) { all.unicodeScalars.append(s) } }
        for v in [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] as [UInt32] {
            all.unicodeScalars.append(Unicode.Scalar(v)!)
        }
        for escaped in [Escape.terminal(all), Escape.html(all), Escape.markdown(all), Escape.markdownCode(all)] {
            for s in escaped.unicodeScalars {
                #expect(!Escape.isHazard(s.value), "\(s.value) survived")
            }
        }
    }

    @Test func htmlEscapesMarkupAndQuotes() {
        #expect(Escape.html("<a href=\"x\" title='y'>&amp;</a>") == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;")
        #expect(Escape.html("plain text 1.0") == "plain text 1.0")
    }

    @Test func onlyHTTPLinks() {
        #expect(Escape.linkable("https://rustsec.org/advisories/RUSTSEC-2021-0119.html") != nil)
        #expect(Escape.linkable("HTTP://example.com/x") != nil)
        for bad in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example/", "/relative",
                    "https:///nohost", "https://a b", "https://a\"onmouseover=x", "https://a\u{202e}b", "https://x/<script>",
                    "vbscript:x", "file:///etc/passwd", " https://leading.space"] {
            #expect(Escape.linkable(bad) == nil, "\(bad)")
        }
    }

    @Test func markdownEscapesEverythingThatFormats() {
        #expect(Escape.markdown("a*b_c[d](e)<f>|g`h\\i&j~k#l!m$n") == "a\\*b\\_c\\[d\\]\\(e\\)\\<f\\>\\|g\\`h\\\\i\\&j\\~k\\#l\\!m\\$n")
        #expect(Escape.markdown("- item") == "\\- item")
        #expect(Escape.markdown("serde_json 1.0.87") == "serde\\_json 1.0.87")
        #expect(Escape.markdown("line\nbreak") == "line break")
    }

    @Test func markdownCodeSpansHoldBackticks() {
        #expect(Escape.markdownCode("atty") == "`atty`")
        #expect(Escape.markdownCode("a`b") == "``a`b``")
        #expect(Escape.markdownCode("``x") == "``` ``x ```")
        #expect(Escape.markdownCode("a|b") == "`a\\|b`")  // a table cell ends at a bare pipe, code span or not
        #expect(Escape.markdownCode("a|b", inTable: false) == "`a|b`")
    }

    @Test func guardBreaksWorkflowCommands() {
        func guarded(_ s: String, _ style: WorkflowGuard.Style) -> String {
            String(decoding: WorkflowGuard.apply(Array(s.utf8), style: style), as: UTF8.self)
        }
        #expect(guarded("::set-output name=x::y\n  ::add-mask::s\nok :: fine\n", .text) == "\\::set-output name=x::y\n  \\::add-mask::s\nok :: fine\n")
        #expect(guarded("a ##[add-mask]x", .text) == "a ##\\[add-mask]x")
        #expect(guarded("\u{3000}\u{a0}::x::y", .markdown) == "\u{3000}\u{a0}\\::x::y")  // the runner trims Unicode spaces too
        #expect(guarded("<td>\n::error::x</td>", .html) == "<td>\n&#58;:error::x</td>")
        #expect(guarded("{\"a\":\"##[x]\"}", .json) == "{\"a\":\"##\\u005bx]\"}")
        #expect(guarded("r\r::x::y", .text) == "r\r\\::x::y")
        let command = Array("nothing to do\n:: not a command? it is\n".utf8)
        #expect(WorkflowGuard.apply(command, style: .text) != command)
        let plain = Array("a: b\nc ::d\n".utf8)
        #expect(WorkflowGuard.apply(plain, style: .text) == plain)
    }

    @Test func widthsAndWrapping() {
        #expect(TextWidth.of("abc") == 3)
        #expect(TextWidth.of("漢字") == 4)
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(TextWidth.truncate("漢字漢字", to: 5) == "漢字…")
        #expect(TextWidth.truncate("abc", to: 4) == "abc")
        let lines = TextWidth.wrap("one two three four five", width: 10, first: "- ", rest: "  ")
        #expect(lines == ["- one two", "  three", "  four", "  five"])
        let long = TextWidth.wrap(String(repeating: "x", count: 25), width: 10, first: "", rest: "")
        #expect(long == ["xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"])
        #expect(TextWidth.wrap("no limit at all", width: nil) == ["no limit at all"])
    }
}

@Suite struct WordsTests {
    @Test func numbers() {
        #expect(Numbers.fixed(59, 1) == "59.0")
        #expect(Numbers.fixed(0.25, 2) == "0.25")
        #expect(Numbers.fixed(-20, 1) == "-20.0")
        #expect(Numbers.fixed(-0.04, 1) == "0.0")
        #expect(Numbers.points(13.1) == "+13.1")
        #expect(Numbers.points(-5) == "-5.0")
        #expect(Numbers.general(0.1) == "0.1" && Numbers.general(100) == "100" && Numbers.general(0.05) == "0.05")
        #expect(Numbers.percent(0.8) == "80%")
        #expect(Numbers.count(1234567) == "1,234,567" && Numbers.count(12) == "12" && Numbers.count(-1000) == "-1,000")
        #expect(Numbers.fixed(.infinity, 1) == "–")
    }

    @Test func pathsAreLexical() {
        #expect(Paths.normalize("/a/./b/../c/") == "/a/c")
        #expect(Paths.normalize("a/../../b") == "../b")
        #expect(Paths.relative("/work/demo/Cargo.lock", to: "/work/demo/") == "Cargo.lock")
        #expect(Paths.relative("/work/demo2/Cargo.lock", to: "/work/demo") == nil)
        #expect(Paths.join("/work/demo", "../x/Cargo.lock") == "/work/x/Cargo.lock")
        #expect(Paths.fileURI("/a b/ü/Cargo.lock") == "file:///a%20b/%C3%BC/Cargo.lock")
        #expect(Paths.lastComponent("/work/demo/Cargo.lock") == "Cargo.lock")
    }

    /// FIPS 180-4 test vectors.
    @Test func sha256() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func worstFirstIsDeterministic() throws {
        func report(_ name: String, _ score: Double?) -> Report {
            Report(package: PackageName(name: name, version: "1.0.0"), score: score, level: "safe", advisoriesGiven: false)
        }
        let sorted = sortWorstFirst([report("b", 50), report("z", nil), report("a", 50), report("c", 10), report("y", nil)])
        #expect(sorted.map(\.package.name) == ["c", "a", "b", "y", "z"])
    }
}
