import Glibc

/// Kinds of tokens produced by `RustLexer`.
public enum TokenKind: UInt8, Sendable {
    case ident          // identifier or keyword (see `Token.sym`)
    case rawIdent       // r#ident — never a keyword
    case lifetime       // 'a, 'static, 'r#ident (also loop labels)
    case punct          // one ASCII punctuation byte (`::` is two `:` tokens)
    case char           // 'a', '\n', '\u{1F600}'
    case byteChar       // b'a'
    case string         // "..."
    case byteString     // b"..."
    case cString        // c"..."
    case rawString      // r"...", r#"..."#
    case rawByteString  // br"...", br#"..."#
    case rawCString     // cr"...", cr#"..."#
    case integer
    case float
    case lineComment    // only emitted with `includeComments`
    case blockComment   // only emitted with `includeComments`
    case outerDocLine   // /// ...
    case innerDocLine   // //! ...
    case outerDocBlock  // /** ... */
    case innerDocBlock  // /*! ... */
    case shebang        // #!... on line 1
    case unknown        // a byte that starts no token (control byte, stray quote)

    public var isDocComment: Bool {
        switch self {
        case .outerDocLine, .innerDocLine, .outerDocBlock, .innerDocBlock: return true
        default: return false
        }
    }
    public var isOuterDoc: Bool { self == .outerDocLine || self == .outerDocBlock }
    public var isComment: Bool {
        isDocComment || self == .lineComment || self == .blockComment || self == .shebang
    }
    public var isStringLiteral: Bool {
        switch self {
        case .string, .byteString, .cString, .rawString, .rawByteString, .rawCString: return true
        default: return false
        }
    }
}

/// A token: a byte range of the source plus its starting line (1-based).
/// 24 bytes; no String is allocated per token.
public struct Token: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var line32: Int32
    public var kind: TokenKind
    /// Interned identifier (only for `.ident`), `.none` otherwise.
    public var sym: Sym
    /// First byte of the token (the punctuation character for `.punct`).
    public var ch: UInt8

    public var line: Int { Int(line32) }

    @inline(__always)
    init(kind: TokenKind, sym: Sym, ch: UInt8, start: Int, end: Int, line: Int) {
        self.start = start
        self.end = end
        self.line32 = Int32(clamping: line)
        self.kind = kind
        self.sym = sym
        self.ch = ch
    }
}

public enum LexErrorKind: String, Sendable, Codable {
    case unterminatedBlockComment = "unterminated_block_comment"
    case unterminatedString = "unterminated_string"
    case unterminatedRawString = "unterminated_raw_string"
    case unterminatedChar = "unterminated_char"
    case strayQuote = "stray_quote"
}

public struct LexError: Sendable, Equatable {
    public var kind: LexErrorKind
    public var line: Int
}

/// Per-file line statistics and lexical errors.
public struct LexStats: Sendable, Equatable {
    /// Lines holding at least one non-comment token (a line inside a multi-line
    /// string counts as code).
    public var codeLines = 0
    /// Lines holding only comments (incl. doc comments, lines inside block
    /// comments and the shebang) and whitespace.
    public var commentLines = 0
    /// Whitespace-only lines outside comments and strings.
    public var blankLines = 0
    /// First `RustLexer.maxStoredErrors` errors (in source order).
    public var errors: [LexError] = []
    /// Total number of lexical errors (may exceed `errors.count`).
    public var errorCount = 0
    public init() {}
}

/// A single-pass, allocation-light Rust lexer over raw bytes.
///
/// * Never traps: every read goes through a bounds-checked accessor that
///   yields 0 past the end; counters use wrapping arithmetic.
/// * Non-recursive; nested block comments are tracked with a depth counter,
///   so a million `/*` take O(n).
/// * Invalid UTF-8 is fine: bytes >= 0x80 are treated as identifier bytes.
/// * Unterminated strings/comments/chars run to EOF (or end of line for chars)
///   and are reported in `LexStats.errors`.
public enum RustLexer {
    public static let maxStoredErrors = 100

    /// Tokenize `bytes` into `tokens` (which is cleared first).
    /// Ordinary comments are dropped unless `includeComments`; doc comments
    /// and the shebang are always emitted.
    public static func tokenize(
        _ bytes: UnsafeBufferPointer<UInt8>, into tokens: inout [Token], includeComments: Bool = false
    ) -> LexStats {
        let storage = TokenStorage()
        let stats = tokenize(bytes, into: storage, includeComments: includeComments)
        tokens = Array(storage.tokens)
        return stats
    }

    /// Tokenize into a reusable buffer (no per-call allocation once warm).
    public static func tokenize(
        _ bytes: UnsafeBufferPointer<UInt8>, into storage: TokenStorage, includeComments: Bool = false
    ) -> LexStats {
        storage.count = 0
        guard let base = bytes.baseAddress, bytes.count > 0 else { return LexStats() }
        var st = LexState(base: base, n: bytes.count, includeComments: includeComments, storage: storage)
        st.run()
        storage.adopt(base: st.tbuf, capacity: st.tcap, count: st.tcount)
        return st.stats
    }

    /// Convenience: tokenize an array.
    public static func tokenize(_ bytes: [UInt8], includeComments: Bool = false) -> ([Token], LexStats) {
        var toks: [Token] = []
        let stats = bytes.withUnsafeBufferPointer { tokenize($0, into: &toks, includeComments: includeComments) }
        return (toks, stats)
    }

    /// Convenience for tests: tokenize a string's UTF-8.
    public static func tokenize(_ source: String, includeComments: Bool = false) -> ([Token], LexStats) {
        tokenize(Array(source.utf8), includeComments: includeComments)
    }
}

// ASCII constants
@usableFromInline let cNL: UInt8 = 10
private let cSpace: UInt8 = 32, cTab: UInt8 = 9, cCR: UInt8 = 13, cVT: UInt8 = 11, cFF: UInt8 = 12
private let cSlash: UInt8 = 47, cStar: UInt8 = 42, cBang: UInt8 = 33, cHash: UInt8 = 35
private let cQuote: UInt8 = 34, cApos: UInt8 = 39, cBackslash: UInt8 = 92, cLBracket: UInt8 = 91
private let cDot: UInt8 = 46, cUnderscore: UInt8 = 95, cPlus: UInt8 = 43, cMinus: UInt8 = 45
private let c0: UInt8 = 48, c9: UInt8 = 57

@inline(__always) func isIdentStart(_ b: UInt8) -> Bool {
    let l = b | 0x20
    return (l >= 97 && l <= 122) || b == 95 || b >= 0x80
}
@inline(__always) func isIdentContinue(_ b: UInt8) -> Bool {
    let l = b | 0x20
    return (l >= 97 && l <= 122) || (b >= 48 && b <= 57) || b == 95 || b >= 0x80
}
@inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
@inline(__always) private func isSpace(_ b: UInt8) -> Bool {
    b == cSpace || b == cTab || b == cCR || b == cVT || b == cFF
}

private struct LexState {
    let base: UnsafePointer<UInt8>
    let n: Int
    let includeComments: Bool
    let table = SymTable.shared
    // token buffer, owned while lexing, handed back to the TokenStorage
    var tbuf: UnsafeMutablePointer<Token>
    var tcap: Int
    var tcount = 0
    var stats = LexStats()
    var line = 1
    var lineStart = 0
    var lineHasCode = false
    var lineHasComment = false

    init(base: UnsafePointer<UInt8>, n: Int, includeComments: Bool, storage: TokenStorage) {
        self.base = base
        self.n = n
        self.includeComments = includeComments
        (tbuf, tcap) = storage.take()
    }

    mutating func grow() {
        let nc = max(1024, tcap &* 2)
        let nb = UnsafeMutablePointer<Token>.allocate(capacity: nc)
        nb.moveInitialize(from: tbuf, count: tcount)
        tbuf.deallocate()
        tbuf = nb
        tcap = nc
    }

    /// Bounds-checked read: 0 outside `[0, n)`.
    @inline(__always) func at(_ i: Int) -> UInt8 {
        (i >= 0 && i < n) ? base[i] : 0
    }

    @inline(__always) mutating func finishLine() {
        if lineHasCode {
            stats.codeLines &+= 1
        } else if lineHasComment {
            stats.commentLines &+= 1
        } else {
            stats.blankLines &+= 1
        }
        lineHasCode = false
        lineHasComment = false
    }

    /// Called with `i` at a newline byte.
    @inline(__always) mutating func newline(_ i: Int) {
        finishLine()
        line &+= 1
        lineStart = i &+ 1
    }

    @inline(__always) mutating func emit(_ kind: TokenKind, _ start: Int, _ end: Int, _ tokLine: Int, sym: Sym = .none) {
        if tcount >= tcap { grow() }
        (tbuf + tcount).initialize(to: Token(kind: kind, sym: sym, ch: at(start), start: start, end: end, line: tokLine))
        tcount &+= 1
    }

    mutating func error(_ kind: LexErrorKind, _ atLine: Int) {
        stats.errorCount &+= 1
        if stats.errors.count < RustLexer.maxStoredErrors {
            stats.errors.append(LexError(kind: kind, line: atLine))
        }
    }

    mutating func run() {
        var i = 0
        // UTF-8 BOM
        if at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF { i = 3 }
        // Shebang: `#!` on the first line, unless the next non-whitespace
        // byte after `#!` is `[` (then it is an inner attribute `#![...]`).
        if at(i) == cHash && at(i &+ 1) == cBang {
            var j = i &+ 2
            while j < n && (isSpace(base[j]) || base[j] == cNL) { j &+= 1 }
            if at(j) != cLBracket {
                let end = findByte(cNL, from: i) ?? n
                emit(.shebang, i, end, line)
                lineHasComment = true
                i = end
            }
        }
        while i < n {
            let c = base[i]
            switch c {
            case cNL:
                newline(i)
                i &+= 1
            case cSpace, cTab, cCR, cVT, cFF:
                i &+= 1
                while i < n && base[i] == cSpace { i &+= 1 }  // indentation runs
            case cSlash:
                let nx = at(i &+ 1)
                if nx == cSlash {
                    i = lineComment(i)
                } else if nx == cStar {
                    i = blockComment(i)
                } else {
                    lineHasCode = true
                    emit(.punct, i, i &+ 1, line)
                    i &+= 1
                }
            case cQuote:
                i = quotedString(i, prefix: 0, kind: .string)
            case cApos:
                i = charOrLifetime(i)
            case 114: // r
                let nx = at(i &+ 1)
                if nx == cQuote || nx == cHash {
                    i = rawStringOrIdent(i, prefix: 1, kind: .rawString)
                } else {
                    i = ident(i)
                }
            case 98: // b
                let nx = at(i &+ 1)
                if nx == cQuote {
                    i = quotedString(i, prefix: 1, kind: .byteString)
                } else if nx == cApos {
                    i = byteChar(i)
                } else if nx == 114 && (at(i &+ 2) == cQuote || at(i &+ 2) == cHash) {
                    i = rawStringOrIdent(i, prefix: 2, kind: .rawByteString)
                } else {
                    i = ident(i)
                }
            case 99: // c
                let nx = at(i &+ 1)
                if nx == cQuote {
                    i = quotedString(i, prefix: 1, kind: .cString)
                } else if nx == 114 && (at(i &+ 2) == cQuote || at(i &+ 2) == cHash) {
                    i = rawStringOrIdent(i, prefix: 2, kind: .rawCString)
                } else {
                    i = ident(i)
                }
            default:
                if isDigit(c) {
                    i = number(i)
                } else if isIdentStart(c) {
                    i = ident(i)
                } else {
                    lineHasCode = true
                    emit(c < 0x20 || c == 0x7F ? .unknown : .punct, i, i &+ 1, line)
                    i &+= 1
                }
            }
        }
        // last line without a trailing newline
        if lineStart < n { finishLine() }
    }

    @inline(__always) func findByte(_ b: UInt8, from i: Int) -> Int? {
        guard i >= 0, i < n else { return nil }
        guard let p = memchr(base + i, Int32(b), n &- i) else { return nil }
        let off = UnsafeRawPointer(p) - UnsafeRawPointer(base)
        return (off >= i && off < n) ? off : nil
    }

    mutating func lineComment(_ i: Int) -> Int {
        let end = findByte(cNL, from: i) ?? n
        lineHasComment = true
        let third = at(i &+ 2)
        var kind: TokenKind = .lineComment
        if third == cSlash && at(i &+ 3) != cSlash {
            kind = .outerDocLine
        } else if third == cBang {
            kind = .innerDocLine
        }
        if kind != .lineComment || includeComments { emit(kind, i, end, line) }
        return end
    }

    mutating func blockComment(_ i: Int) -> Int {
        let startLine = line
        lineHasComment = true
        var kind: TokenKind = .blockComment
        let third = at(i &+ 2)
        if third == cStar {
            let fourth = at(i &+ 3)
            if fourth != cStar && fourth != cSlash { kind = .outerDocBlock }
        } else if third == cBang {
            kind = .innerDocBlock
        }
        var j = i &+ 2
        var depth = 1
        while j < n {
            let b = base[j]
            if b == cSlash && at(j &+ 1) == cStar {
                depth &+= 1
                lineHasComment = true
                j &+= 2
            } else if b == cStar && at(j &+ 1) == cSlash {
                depth &-= 1
                lineHasComment = true
                j &+= 2
                if depth == 0 { break }
            } else {
                if b == cNL {
                    // a whitespace-only line inside a block comment counts
                    // as blank (as cloc/tokei do)
                    newline(j)
                } else if !lineHasComment && !isSpace(b) {
                    lineHasComment = true
                }
                j &+= 1
            }
        }
        if depth != 0 {
            error(.unterminatedBlockComment, startLine)
            j = n
        }
        if j > n { j = n }
        if kind != .blockComment || includeComments { emit(kind, i, j, startLine) }
        return j
    }

    /// `"..."`, `b"..."`, `c"..."`; `prefix` bytes precede the quote.
    mutating func quotedString(_ i: Int, prefix: Int, kind: TokenKind) -> Int {
        let startLine = line
        lineHasCode = true
        var j = i &+ prefix &+ 1
        var closed = false
        while j < n {
            let b = base[j]
            if b == cQuote {
                closed = true
                j &+= 1
                break
            } else if b == cBackslash {
                if at(j &+ 1) == cNL {
                    newline(j &+ 1)
                    lineHasCode = true
                }
                j &+= 2
            } else {
                if b == cNL {
                    newline(j)
                    lineHasCode = true
                }
                j &+= 1
            }
        }
        if j > n { j = n }
        if !closed {
            error(.unterminatedString, startLine)
        } else {
            while j < n && isIdentContinue(base[j]) { j &+= 1 }  // literal suffix
        }
        emit(kind, i, j, startLine)
        return j
    }

    /// At `r`, `br` or `cr` followed by `"` or `#`.
    mutating func rawStringOrIdent(_ i: Int, prefix: Int, kind: TokenKind) -> Int {
        var j = i &+ prefix
        while j < n && base[j] == cHash { j &+= 1 }
        let hashes = j &- (i &+ prefix)
        if at(j) != cQuote {
            // r#ident: a raw identifier
            if prefix == 1 && hashes == 1 && isIdentStart(at(j)) {
                var k = j &+ 1
                while k < n && isIdentContinue(base[k]) { k &+= 1 }
                lineHasCode = true
                emit(.rawIdent, i, k, line)
                return k
            }
            // not a raw string: lex the prefix letters as an identifier
            return ident(i)
        }
        let startLine = line
        lineHasCode = true
        j &+= 1
        var end = n
        var closed = false
        while j < n {
            let b = base[j]
            if b == cQuote {
                var k = j &+ 1
                var h = 0
                while h < hashes && at(k) == cHash {
                    h &+= 1
                    k &+= 1
                }
                if h == hashes {
                    end = k
                    closed = true
                    break
                }
                j &+= 1
            } else {
                if b == cNL {
                    newline(j)
                    lineHasCode = true
                }
                j &+= 1
            }
        }
        if !closed {
            error(.unterminatedRawString, startLine)
            end = n
        } else {
            while end < n && isIdentContinue(base[end]) { end &+= 1 }
        }
        emit(kind, i, end, startLine)
        return end
    }

    /// Length of the UTF-8 sequence starting with `b` (1 for invalid lead bytes).
    @inline(__always) func utf8Len(_ b: UInt8) -> Int {
        if b < 0xC0 { return 1 }
        if b < 0xE0 { return 2 }
        if b < 0xF0 { return 3 }
        if b < 0xF8 { return 4 }
        return 1
    }

    /// If a char literal body starts at `q` (just after the opening quote),
    /// return the index just past its closing quote.
    func charLiteralEnd(_ q: Int) -> Int? {
        let c1 = at(q)
        if q >= n || c1 == cNL || c1 == cApos { return nil }
        if c1 == cBackslash {
            // escape: \n \' \\ \x7f \u{10FFFF}; closing quote within 12 bytes
            var j = q &+ 2  // skip the backslash and the escaped byte
            let limit = min(n, q &+ 14)
            while j < limit {
                let b = base[j]
                if b == cApos { return j &+ 1 }
                if b == cNL { return nil }
                j &+= 1
            }
            return nil
        }
        let len = utf8Len(c1)
        let close = q &+ len
        if close < n && base[close] == cApos { return close &+ 1 }
        return nil
    }

    mutating func charOrLifetime(_ i: Int) -> Int {
        lineHasCode = true
        if let end = charLiteralEnd(i &+ 1) {
            emit(.char, i, end, line)
            return end
        }
        let c1 = at(i &+ 1)
        if i &+ 1 < n && isIdentStart(c1) {
            var j = i &+ 1
            if c1 == 114 && at(i &+ 2) == cHash && isIdentStart(at(i &+ 3)) { j = i &+ 3 }  // 'r#ident
            while j < n && isIdentContinue(base[j]) { j &+= 1 }
            if at(j) == cApos && j < n {
                // 'ab' — an (invalid) multi-char literal; keep it one token
                emit(.char, i, j &+ 1, line)
                return j &+ 1
            }
            emit(.lifetime, i, j, line)
            return j
        }
        if c1 == cBackslash {
            // '\ with no closing quote on this line
            error(.unterminatedChar, line)
            var j = i &+ 2
            while j < n && base[j] != cNL { j &+= 1 }
            if j > n { j = n }
            emit(.char, i, j, line)
            return j
        }
        if c1 == cApos {
            // '' — empty char literal
            error(.unterminatedChar, line)
            emit(.char, i, i &+ 2, line)
            return i &+ 2
        }
        error(.strayQuote, line)
        emit(.unknown, i, i &+ 1, line)
        return i &+ 1
    }

    mutating func byteChar(_ i: Int) -> Int {
        lineHasCode = true
        if let end = charLiteralEnd(i &+ 2) {
            emit(.byteChar, i, end, line)
            return end
        }
        // `b` followed by a quote that starts no literal: identifier `b`
        emit(.ident, i, i &+ 1, line, sym: .none)
        return i &+ 1
    }

    mutating func number(_ i: Int) -> Int {
        lineHasCode = true
        var j = i &+ 1
        var kind: TokenKind = .integer
        let nx = at(i &+ 1)
        if base[i] == c0 && (nx == 120 || nx == 111 || nx == 98) {  // 0x 0o 0b
            j = i &+ 2
            while j < n && isIdentContinue(base[j]) { j &+= 1 }
        } else {
            while j < n && (isDigit(base[j]) || base[j] == cUnderscore) { j &+= 1 }
            if at(j) == cDot && j < n {
                let after = at(j &+ 1)
                if after != cDot && !isIdentStart(after) {
                    kind = .float
                    j &+= 1
                    while j < n && (isDigit(base[j]) || base[j] == cUnderscore) { j &+= 1 }
                }
            }
            let e = at(j)
            if e == 101 || e == 69 {
                var k = j &+ 1
                if at(k) == cPlus || at(k) == cMinus { k &+= 1 }
                while at(k) == cUnderscore && k < n { k &+= 1 }
                if isDigit(at(k)) && k < n {
                    kind = .float
                    j = k
                    while j < n && (isDigit(base[j]) || base[j] == cUnderscore) { j &+= 1 }
                }
            }
            while j < n && isIdentContinue(base[j]) { j &+= 1 }  // suffix (u8, f64, ...)
        }
        if j > n { j = n }
        emit(kind, i, j, line)
        return j
    }

    mutating func ident(_ i: Int) -> Int {
        lineHasCode = true
        var j = i &+ 1
        while j < n && isIdentContinue(base[j]) { j &+= 1 }
        let sym = table.lookup(base, i, j)
        emit(.ident, i, j, line, sym: sym)
        return j
    }
}

/// A growable token buffer that can be reused across files (one per worker
/// thread; not thread-safe). `Token` is a trivial type, so the memory is
/// simply reused and released on deinit.
public final class TokenStorage {
    private var base: UnsafeMutablePointer<Token>
    private var capacity: Int
    public internal(set) var count = 0

    public init(capacity: Int = 4096) {
        let c = max(16, capacity)
        base = .allocate(capacity: c)
        self.capacity = c
    }

    deinit { base.deallocate() }

    /// The tokens of the last `tokenize` call. Valid until the next call.
    public var tokens: UnsafeBufferPointer<Token> {
        UnsafeBufferPointer(start: base, count: min(count, capacity))
    }

    /// Hand the allocation to a lexer run (the storage keeps a tiny
    /// placeholder until `adopt` gives it back).
    func take() -> (UnsafeMutablePointer<Token>, Int) {
        let r = (base, capacity)
        base = .allocate(capacity: 1)
        capacity = 1
        count = 0
        return r
    }

    func adopt(base newBase: UnsafeMutablePointer<Token>, capacity newCap: Int, count newCount: Int) {
        base.deallocate()
        base = newBase
        capacity = newCap
        count = min(newCount, newCap)
    }

    /// Release a very large buffer (after a huge file).
    func shrink(above limit: Int) {
        if capacity > limit {
            base.deallocate()
            base = .allocate(capacity: 4096)
            capacity = 4096
            count = 0
        }
    }
}
