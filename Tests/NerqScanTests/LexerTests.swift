import Foundation
import Testing
@testable import NerqScan

/// (kind, text, line) triples for compact assertions.
func lex(_ s: String, comments: Bool = false) -> [(TokenKind, String, Int)] {
    let bytes = Array(s.utf8)
    let (toks, _) = RustLexer.tokenize(bytes, includeComments: comments)
    return toks.map { t in
        (t.kind, String(decoding: bytes[t.start..<t.end], as: UTF8.self), t.line)
    }
}

func kinds(_ s: String, comments: Bool = false) -> [TokenKind] { lex(s, comments: comments).map { $0.0 } }
func texts(_ s: String, comments: Bool = false) -> [String] { lex(s, comments: comments).map { $0.1 } }

@Suite struct LexerTests {
    @Test func nestedBlockComments() {
        let toks = lex("a /* x /* y */ still comment */ b", comments: true)
        #expect(toks.map { $0.1 } == ["a", "/* x /* y */ still comment */", "b"])
        #expect(toks[1].0 == .blockComment)
        // `unsafe` inside nested comments is not a token
        #expect(!texts("/* /* unsafe { */ unsafe { */ x").contains("unsafe"))
        // `/*/` does not close
        #expect(texts("/*/ x */ y") == ["y"])
    }

    @Test func docCommentKinds() {
        #expect(kinds("/// outer") == [.outerDocLine])
        #expect(kinds("//! inner") == [.innerDocLine])
        #expect(kinds("//// not doc").isEmpty)
        #expect(kinds("// plain").isEmpty)
        #expect(kinds("/** outer */") == [.outerDocBlock])
        #expect(kinds("/*! inner */") == [.innerDocBlock])
        #expect(kinds("/**/").isEmpty)             // empty comment, not doc
        #expect(kinds("/***/").isEmpty)            // not doc
        #expect(kinds("/*** x */").isEmpty)        // not doc
        #expect(kinds("/**/", comments: true) == [.blockComment])
        #expect(kinds("// a\n/// b\n//! c", comments: true) == [.lineComment, .outerDocLine, .innerDocLine])
    }

    @Test func stringsAndEscapes() {
        #expect(texts(#"x = "a \" unsafe { \\"; y"#) == ["x", "=", #""a \" unsafe { \\""#, ";", "y"])
        #expect(kinds(#"b"bytes\x00""#) == [.byteString])
        #expect(kinds(#"c"cstr""#) == [.cString])
        #expect(texts("\"multi\nline\" z").last == "z")
        #expect(lex("\"multi\nline\" z").last?.2 == 2)
        // escaped newline continuation
        #expect(lex("\"a\\\n b\" q").last?.2 == 2)
        // literal suffix stays in the token
        #expect(texts(#""abc"suffix x"#) == [#""abc"suffix"#, "x"])
    }

    @Test func rawStrings() {
        #expect(texts(##"r"unsafe { \" x"##) == [#"r"unsafe { \""#, "x"])
        #expect(texts(###"r#"a "quoted" unsafe"# z"###) == [##"r#"a "quoted" unsafe"#"##, "z"])
        #expect(texts(####"r##"a "# still "## z"####) == [###"r##"a "# still "##"###, "z"])
        #expect(kinds(##"br#"x"#"##) == [.rawByteString])
        #expect(kinds(##"cr#"x"#"##) == [.rawCString])
        #expect(kinds(#"br"x""#) == [.rawByteString])
        #expect(kinds(#"cr"x""#) == [.rawCString])
        // many hashes
        let h = String(repeating: "#", count: 300)
        #expect(texts("r\(h)\"a\"#\" \(h) \"\(h) k") == ["r\(h)\"a\"#\" \(h) \"\(h)", "k"])
    }

    @Test func charsVersusLifetimes() {
        #expect(kinds("'a'") == [.char])
        #expect(kinds(#"'\''"#) == [.char])
        #expect(kinds(#"'\\'"#) == [.char])
        #expect(kinds(#"'\u{1F600}'"#) == [.char])
        #expect(kinds("'😀'") == [.char])
        #expect(kinds("'é'") == [.char])
        #expect(kinds("'\"'") == [.char])
        #expect(kinds("'a") == [.lifetime])
        #expect(kinds("'static") == [.lifetime])
        #expect(texts("'r#ident x") == ["'r#ident", "x"])
        #expect(kinds("'r#ident") == [.lifetime])
        #expect(kinds("b'x'") == [.byteChar])
        #expect(kinds(#"b'\''"#) == [.byteChar])
        #expect(texts("fn f<'a>(x: &'a str) -> &'a str") ==
            ["fn", "f", "<", "'a", ">", "(", "x", ":", "&", "'a", "str", ")", "-", ">", "&", "'a", "str"])
        #expect(texts("'outer: loop { break 'outer; }") == ["'outer", ":", "loop", "{", "break", "'outer", ";", "}"])
        #expect(texts("['a', 'b']") == ["[", "'a'", ",", "'b'", "]"])
        #expect(texts("match c { 'a'..='z' => 1 }") == ["match", "c", "{", "'a'", ".", ".", "=", "'z'", "=", ">", "1", "}"])
    }

    @Test func rawIdentifiers() {
        let t = lex("r#unsafe r#fn unsafe")
        #expect(t.map { $0.0 } == [.rawIdent, .rawIdent, .ident])
        let (toks, _) = RustLexer.tokenize("r#unsafe unsafe")
        #expect(toks.map { $0.sym } == [.none, .kwUnsafe])
        // `r` followed by `##x` is an identifier `r` and punctuation
        #expect(texts("r##x") == ["r", "#", "#", "x"])
    }

    @Test func shebang() {
        #expect(kinds("#!/usr/bin/env rust-script\nfn main() {}").first == .shebang)
        #expect(kinds("#![forbid(unsafe_code)]").first == .punct)
        #expect(kinds("#!  \n [allow(x)]").first == .punct)   // #! followed by [ after whitespace
        // only on line 1
        #expect(!kinds("fn a() {}\n#!/bin/sh").contains(.shebang))
        // with a BOM
        #expect(kinds("\u{FEFF}#!/bin/x\n").first == .shebang)
    }

    @Test func numbers() {
        #expect(lex("1.0 1..2 0x1F 1e10 2.5e-3 1_000u32 1.max(2) 0b1010 0o17 1f64 3. x").map { $0.1 } ==
            ["1.0", "1", ".", ".", "2", "0x1F", "1e10", "2.5e-3", "1_000u32", "1", ".", "max", "(", "2", ")",
             "0b1010", "0o17", "1f64", "3.", "x"])
        #expect(kinds("1.0 7 1e3") == [.float, .integer, .float])
        #expect(texts("t.0.1") == ["t", ".", "0.1"])
    }

    @Test func lineNumbersAndStats() {
        let src = "// c\n\nfn a() {\n    /* x\n\n    y */\n    let s = \"\n\";\n}\n"
        let (toks, st) = RustLexer.tokenize(src)
        #expect(toks.first?.line == 3)
        #expect(toks.last?.line == 9)
        // lines: 1 comment, 2 blank, 3 code, 4 comment, 5 blank (inside comment), 6 comment, 7 code, 8 code, 9 code
        #expect(st.codeLines == 4)
        #expect(st.commentLines == 3)
        #expect(st.blankLines == 2)
        let (_, st2) = RustLexer.tokenize("fn x() {} // trailing\n   \nlast")
        #expect(st2.codeLines == 2 && st2.blankLines == 1 && st2.commentLines == 0)
    }

    @Test func unterminatedThingsAreReported() {
        let (_, a) = RustLexer.tokenize("let s = \"never closed\nfoo unsafe {")
        #expect(a.errors.map(\.kind) == [.unterminatedString])
        let (t2, b) = RustLexer.tokenize("x /* /* */ unsafe {")
        #expect(b.errors == [LexError(kind: .unterminatedBlockComment, line: 1)])
        #expect(t2.count == 1)
        let (_, c) = RustLexer.tokenize("r##\"abc\"# \n more")
        #expect(c.errors.map(\.kind) == [.unterminatedRawString])
        let (_, d) = RustLexer.tokenize("let c = '\\u{41\n;")
        #expect(d.errors.map(\.kind) == [.unterminatedChar])
        let (_, e) = RustLexer.tokenize("'")
        #expect(e.errorCount == 1)
        let (_, f) = RustLexer.tokenize("b\"abc\\")
        #expect(f.errors.map(\.kind) == [.unterminatedString])
    }

    @Test func millionNestedCommentOpenersAreLinear() {
        let n = 1_000_000
        var bytes = [UInt8]()
        bytes.reserveCapacity(n * 4 + 32)
        for _ in 0..<n { bytes.append(contentsOf: [47, 42]) }       // /*
        var (toks, stats) = RustLexer.tokenize(bytes)
        #expect(stats.errors == [LexError(kind: .unterminatedBlockComment, line: 1)])
        #expect(toks.isEmpty)
        // balanced: 1M openers, 1M closers, then code
        for _ in 0..<n { bytes.append(contentsOf: [42, 47]) }       // */
        bytes.append(contentsOf: Array(" unsafe { }".utf8))
        (toks, stats) = RustLexer.tokenize(bytes)
        #expect(stats.errorCount == 0)
        #expect(toks.map(\.sym) == [.kwUnsafe, .none, .none])
    }

    @Test func invalidUTF8DoesNotCrash() {
        var bytes = Array("fn a() { let s = \"".utf8)
        bytes += [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82]
        bytes += Array("\"; } ' \u{00}".utf8)
        bytes += [0xF0, 0x9F, 0x98]  // truncated 4-byte sequence at EOF
        let (toks, _) = RustLexer.tokenize(bytes)
        #expect(toks.count > 5)
        for t in toks { #expect(t.start >= 0 && t.start <= t.end && t.end <= bytes.count) }
    }

    @Test func fuzzNeverCrashesAndTokensAreOrdered() {
        // deterministic pseudo-random inputs over a Rust-ish alphabet
        let alphabet = Array("/*!\"'#rbc\\ \n{}()[]u0123456789.e+-_aé😀x:;".utf8) + [0xFF, 0x00, 0x80]
        var seed: UInt64 = 0x9E3779B97F4A7C15
        for _ in 0..<2000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let len = Int(seed >> 54)
            var bytes: [UInt8] = []
            for _ in 0..<len {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(alphabet[Int(seed >> 33) % alphabet.count])
            }
            let (toks, st) = RustLexer.tokenize(bytes, includeComments: true)
            var prevEnd = 0
            for t in toks {
                #expect(t.start >= prevEnd && t.start < t.end && t.end <= bytes.count)
                prevEnd = t.end
            }
            let nl = bytes.filter { $0 == 10 }.count
            let total = st.codeLines + st.commentLines + st.blankLines
            #expect(total == nl || total == nl + 1)
        }
    }
}
