import NerqScan

let chHash: UInt8 = 35, chBang: UInt8 = 33, chLBracket: UInt8 = 91, chRBracket: UInt8 = 93
let chLParen: UInt8 = 40, chRParen: UInt8 = 41, chLBrace: UInt8 = 123, chRBrace: UInt8 = 125
let chColon: UInt8 = 58, chSemi: UInt8 = 59, chComma: UInt8 = 44, chDot: UInt8 = 46
let chEq: UInt8 = 61, chLt: UInt8 = 60, chGt: UInt8 = 62, chDollar: UInt8 = 36, chStar: UInt8 = 42, chMinus: UInt8 = 45

/// One Rust source file as tokens (the scanner's lexer: comments, strings, raw strings and doc
/// comments never produce identifiers), with its delimiter pairs and the token ranges of test-only
/// items (`#[cfg(test)]`, `#[test]`), which a dependent's build never compiles.
struct RustFile {
    let path: String
    let bytes: [UInt8]
    let tokens: [Token]
    let text: [String?]
    /// For each opening delimiter, the index of its closing partner (the last token if unclosed).
    let closeOf: [Int]
    /// For each closing delimiter, the index of its opening partner (-1 when unmatched).
    let openOf: [Int]
    /// Per token: inside a test-only item.
    private(set) var inTest: [Bool]
    /// `#[cfg(test)] mod NAME;` declarations: their files are test code.
    private(set) var testModules: [String] = []

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        let (toks, _) = RustLexer.tokenize(bytes)
        tokens = toks.filter { !$0.kind.isComment }
        var text = [String?](repeating: nil, count: tokens.count)
        for (i, t) in tokens.enumerated() where t.kind == .ident || t.kind == .rawIdent {
            guard t.start >= 0, t.end <= bytes.count, t.start < t.end else { continue }
            var s = String(decoding: bytes[t.start..<t.end], as: UTF8.self)
            if t.kind == .rawIdent, s.hasPrefix("r#") { s.removeFirst(2) }
            text[i] = s
        }
        self.text = text
        var close = [Int](repeating: -1, count: tokens.count)
        var open = [Int](repeating: -1, count: tokens.count)
        var stack: [Int] = []
        for (j, t) in tokens.enumerated() where t.kind == .punct {
            switch t.ch {
            case chLParen, chLBracket, chLBrace: stack.append(j)
            case chRParen, chRBracket, chRBrace:
                if let o = stack.popLast() {
                    close[o] = j
                    open[j] = o
                }
            default: break
            }
        }
        for o in stack { close[o] = max(0, tokens.count - 1) }
        closeOf = close
        openOf = open
        inTest = [Bool](repeating: false, count: tokens.count)
        markTestItems()
    }

    var count: Int { tokens.count }

    /// The source line of token `i`, trimmed and cut to 160 bytes (evidence).
    func snippet(_ i: Int) -> String {
        guard i >= 0, i < tokens.count else { return "" }
        var lo = min(max(0, tokens[i].start), bytes.count)
        var hi = lo
        while lo > 0 && bytes[lo - 1] != 0x0A { lo -= 1 }
        while hi < bytes.count && bytes[hi] != 0x0A { hi += 1 }
        while lo < hi && (bytes[lo] == 0x20 || bytes[lo] == 0x09) { lo += 1 }
        let cut = min(hi, lo + 160)
        return String(decoding: bytes[lo..<cut], as: UTF8.self) + (cut < hi ? "…" : "")
    }

    func ident(_ i: Int) -> String? { i >= 0 && i < text.count ? text[i] : nil }
    func isPunct(_ i: Int, _ c: UInt8) -> Bool { i >= 0 && i < tokens.count && tokens[i].kind == .punct && tokens[i].ch == c }
    func isWord(_ i: Int, _ w: String) -> Bool { i >= 0 && i < tokens.count && tokens[i].kind == .ident && text[i] == w }
    func isPathSep(_ i: Int) -> Bool { isPunct(i, chColon) && isPunct(i + 1, chColon) }
    func line(_ i: Int) -> Int { i >= 0 && i < tokens.count ? tokens[i].line : 0 }
    func close(_ open: Int) -> Int { open >= 0 && open < closeOf.count && closeOf[open] >= open ? closeOf[open] : open }
    /// The opening partner of the closing delimiter at `close` (nil when unmatched).
    /// Past the generic arguments that open at `open` (`<…>`, nested; `->` is not a closing
    /// angle): the token after the matching `>`, or the `;`/`{` where they stop unclosed.
    func skipAngles(_ open: Int) -> Int {
        var k = open
        var depth = 0
        while k < count {
            if isPunct(k, chLt) { depth += 1 }
            if isPunct(k, chGt) && !isPunct(k - 1, chMinus) {
                depth -= 1
                if depth == 0 { return k + 1 }
            }
            if isPunct(k, chSemi) || isPunct(k, chLBrace) { return k }
            k += 1
        }
        return k
    }

    func open(_ close: Int) -> Int? { close >= 0 && close < openOf.count && openOf[close] >= 0 ? openOf[close] : nil }
    func isTest(_ i: Int) -> Bool { i >= 0 && i < inTest.count && inTest[i] }

    /// End (inclusive) of the item starting at `s`: the first `;` at depth 0, or the `}` closing
    /// the first `{` at depth 0.
    func itemEnd(from s: Int) -> Int {
        var j = s
        var depth = 0
        while j < tokens.count {
            if tokens[j].kind == .punct {
                switch tokens[j].ch {
                case chLParen, chLBracket: depth += 1
                case chRParen, chRBracket:
                    depth -= 1
                    if depth < 0 { return j }
                case chLBrace:
                    if depth == 0 { return close(j) }
                    depth += 1
                case chRBrace:
                    depth -= 1
                    if depth < 0 { return j }
                case chSemi:
                    if depth == 0 { return j }
                default: break
                }
            }
            j += 1
        }
        return max(s, tokens.count - 1)
    }

    /// `#[cfg(test)]`, `#[cfg(all(test, …))]`, `#[test]`, `#[x::test]` on an item: the item (with
    /// its other attributes) is test code.
    private mutating func markTestItems() {
        var i = 0
        while i < tokens.count {
            guard isPunct(i, chHash), isPunct(i + 1, chLBracket) else {
                i += 1
                continue
            }
            let open = i + 1
            let end = close(open)
            if attributeIsTest(open + 1, end) {
                // Skip further attributes, then the item.
                var s = end + 1
                while isPunct(s, chHash) && isPunct(s + 1, chLBracket) { s = close(s + 1) + 1 }
                let e = itemEnd(from: s)
                if let name = moduleDeclName(s), isPunct(e, chSemi) {
                    testModules.append(name)
                }
                var k = i
                while k <= e && k < inTest.count {
                    inTest[k] = true
                    k += 1
                }
                i = e + 1
                continue
            }
            i = end + 1
        }
    }

    /// The name of `mod NAME` / `pub mod NAME` at `s`.
    func moduleDeclName(_ s: Int) -> String? {
        var k = s
        if isWord(k, "pub") {
            k += 1
            if isPunct(k, chLParen) { k = close(k) + 1 }
        }
        guard isWord(k, "mod") else { return nil }
        return ident(k + 1)
    }

    private func attributeIsTest(_ lo: Int, _ hi: Int) -> Bool {
        // [lo, hi): the attribute's contents.
        if hi - lo == 1 && isWord(lo, "test") { return true }
        // `x::test`, `tokio::test(...)`
        var k = lo
        var last: String?
        while k < hi, let w = ident(k) {
            last = w
            if isPathSep(k + 1) { k += 3 } else { k += 1; break }
        }
        if k > lo + 1 && last == "test" && (k >= hi || isPunct(k, chLParen)) { return true }
        guard isWord(lo, "cfg"), isPunct(lo + 1, chLParen) else { return false }
        let a = lo + 2, b = close(lo + 1)
        if b - a == 1 && isWord(a, "test") { return true }
        if isWord(a, "all"), isPunct(a + 1, chLParen) {
            var j = a + 2
            var depth = 0
            let e = close(a + 1)
            while j < e {
                if isPunct(j, chLParen) { depth += 1 } else if isPunct(j, chRParen) { depth -= 1 }
                if depth == 0 && isWord(j, "test") && (isPunct(j + 1, chComma) || j + 1 == e) && (isPunct(j - 1, chComma) || j == a + 2) {
                    return true
                }
                j += 1
            }
        }
        return false
    }
}
