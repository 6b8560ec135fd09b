/// Role of a file inside a crate.
public enum FileRole: String, Sendable {
    case product, test, example, bench, build
}

/// Per-file results that are not evidence.
struct FileFacts {
    var testFns = 0
    var pubItems = 0
    var documentedPubItems = 0
    var forbidsUnsafe = false
    var deniesUnsafe = false
    var deniesUnsafeOpInUnsafeFn = false
    var mentionsOutDir = false
    /// `#[cfg(test)] mod NAME;` declarations (module files resolved by the scanner).
    var cfgTestModules: [String] = []
    /// Lines holding code inside `#[cfg(test)]` and `#[test]` items.
    var testCodeLines = 0
}

private let chHash: UInt8 = 35, chBang: UInt8 = 33, chLBracket: UInt8 = 91, chRBracket: UInt8 = 93
private let chLParen: UInt8 = 40, chRParen: UInt8 = 41, chLBrace: UInt8 = 123, chRBrace: UInt8 = 125
private let chColon: UInt8 = 58, chSemi: UInt8 = 59, chComma: UInt8 = 44, chDot: UInt8 = 46
private let chEq: UInt8 = 61, chGt: UInt8 = 62, chDollar: UInt8 = 36, chStar: UInt8 = 42

private struct AttrFlags: OptionSet {
    let rawValue: UInt16
    static let doc = AttrFlags(rawValue: 1)
    static let hidden = AttrFlags(rawValue: 2)
    static let test = AttrFlags(rawValue: 4)
    static let cfgTest = AttrFlags(rawValue: 8)
    static let forbidUnsafe = AttrFlags(rawValue: 16)
    static let denyUnsafe = AttrFlags(rawValue: 32)
    static let link = AttrFlags(rawValue: 64)
    /// forbid(unsafe_code) under a `cfg_attr` whose condition may be false in a normal build.
    static let forbidUnsafeConditional = AttrFlags(rawValue: 128)
    /// forbid or deny(unsafe_op_in_unsafe_fn): every unsafe operation needs its own `unsafe` block.
    static let denyUnsafeOp = AttrFlags(rawValue: 256)
}

/// A macro_rules! body being walked: token ranges of its matchers (skipped),
/// and the index of the body's closing delimiter.
private struct MacroFrame {
    var matchers: [(Int, Int)]
    var cursor: Int
    var end: Int
}

private let networkTypes: Set<Sym> = [.tcpStream, .tcpListener, .udpSocket, .unixStream, .unixListener, .unixDatagram, .toSocketAddrs]
private let asyncRuntimes: Set<Sym> = [.tokio, .asyncStd, .smol, .mio, .asyncNet]
private let networkCrates: Set<Sym> = [.reqwest, .hyper, .ureq, .curl, .isahc, .surf, .attohttpc, .socket2, .tungstenite, .h2, .quinn, .hyperUtil]
private let fsWriteFns: Set<Sym> = [.write, .removeFile, .removeDir, .removeDirAll, .createDir, .createDirAll, .rename, .copy,
                                    .hardLink, .softLink, .symlink, .symlinkFile, .symlinkDir, .setPermissions]
private let execFns: Set<Sym> = [.fork, .vfork, .execv, .execve, .execvp, .execvpe, .execl, .execlp, .execle, .system,
                                 .posixSpawn, .posixSpawnp, .popen]
private let envFns: Set<Sym> = [.var, .varOs, .vars, .varsOs, .setVar, .removeVar]
private let openOptionsWriteMethods: Set<Sym> = [.write, .append, .create, .createNew, .truncate]
/// Environment variables Cargo sets for build scripts (reading them is routine).
private let cargoBuildVars: Set<String> = ["OUT_DIR", "TARGET", "HOST", "NUM_JOBS", "OPT_LEVEL", "DEBUG", "PROFILE",
                                           "RUSTC", "RUSTDOC", "RUSTC_LINKER", "RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER",
                                           "RUSTDOC_WRAPPER"]

private enum Cap { case network, fsWrite, process, env }

/// Token-level analysis of one file. One forward pass over the tokens with
/// bounded local look-ahead; no recursion except attribute nesting (capped).
struct FileAnalyzer {
    let toks: UnsafeBufferPointer<Token>
    let src: UnsafeBufferPointer<UInt8>
    let role: FileRole
    let isCrateRoot: Bool
    let file: String
    var facts = FileFacts()
    var openOptionsSeen = false
    var importsProcessCommand = false

    /// For each opening delimiter token, the index of its closing partner
    /// (the last token when unclosed); -1 for other tokens. Computed once per
    /// file with an explicit stack, so every "find the matching delimiter"
    /// is O(1) and nothing is rescanned (deeply nested input stays linear).
    let closeOf: [Int]

    init(tokens: UnsafeBufferPointer<Token>, source: UnsafeBufferPointer<UInt8>, role: FileRole, isCrateRoot: Bool, file: String) {
        toks = tokens
        src = source
        self.role = role
        self.isCrateRoot = isCrateRoot
        self.file = file
        let m = tokens.count
        var close = [Int](repeating: -1, count: m)
        var stack: [Int] = []
        var j = 0
        while j < m {
            let t = tokens[j]
            if t.kind == .punct {
                switch t.ch {
                case chLParen, chLBracket, chLBrace:
                    stack.append(j)
                case chRParen, chRBracket, chRBrace:
                    if let o = stack.popLast(), o >= 0, o < m { close[o] = j }
                default:
                    break
                }
            }
            j &+= 1
        }
        for o in stack where o >= 0 && o < m { close[o] = m &- 1 }
        closeOf = close
    }

    static let sentinel = Token(kind: .unknown, sym: .none, ch: 0, start: 0, end: 0, line: 0)

    @inline(__always) func tok(_ i: Int) -> Token {
        (i >= 0 && i < toks.count) ? toks[i] : FileAnalyzer.sentinel
    }
    @inline(__always) func isPunct(_ i: Int, _ c: UInt8) -> Bool {
        let t = tok(i)
        return t.kind == .punct && t.ch == c
    }
    @inline(__always) func isIdent(_ i: Int, _ s: Sym) -> Bool {
        let t = tok(i)
        return t.kind == .ident && t.sym == s
    }

    // MARK: text helpers

    func text(_ i: Int) -> String {
        let t = tok(i)
        guard t.start >= 0, t.end <= src.count, t.start < t.end, let b = src.baseAddress else { return "" }
        return String(decoding: UnsafeBufferPointer(start: b + t.start, count: t.end &- t.start), as: UTF8.self)
    }

    func joined(_ indices: [Int], sep: String = "::") -> String {
        indices.map { text($0) }.joined(separator: sep)
    }

    /// Trimmed source line containing byte offset `pos`, capped in length.
    func snippet(at pos: Int) -> String {
        let n = src.count
        guard n > 0, let b = src.baseAddress, pos >= 0, pos < n else { return "" }
        var s = pos
        var back = 0
        while s > 0 && b[s &- 1] != 10 && back < 400 {
            s &-= 1
            back &+= 1
        }
        var e = pos
        var fwd = 0
        while e < n && b[e] != 10 && fwd < 400 {
            e &+= 1
            fwd &+= 1
        }
        while s < e && (b[s] == 32 || b[s] == 9 || b[s] == 13) { s &+= 1 }
        while e > s && (b[e &- 1] == 32 || b[e &- 1] == 9 || b[e &- 1] == 13) { e &-= 1 }
        if e &- s > Evidence.maxSnippetBytes {
            e = s &+ Evidence.maxSnippetBytes
            // do not cut a UTF-8 sequence
            while e > s && (b[e] & 0xC0) == 0x80 { e &-= 1 }
        }
        return String(decoding: UnsafeBufferPointer(start: b + s, count: e &- s), as: UTF8.self)
    }

    /// Contents of a plain string literal token without escapes, else nil.
    func plainStringContents(_ i: Int) -> String? {
        let t = tok(i)
        guard t.kind == .string, t.end &- t.start >= 2, t.end <= src.count, let b = src.baseAddress else { return nil }
        guard b[t.end &- 1] == 34 else { return nil }
        let body = UnsafeBufferPointer(start: b + (t.start &+ 1), count: t.end &- t.start &- 2)
        if body.contains(92) { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    // MARK: structure helpers

    /// Index of the delimiter closing the one at `open` (any of ([{ )]}), or
    /// the last token when unbalanced. Always >= open.
    func matchClose(_ open: Int) -> Int {
        guard open >= 0, open < closeOf.count else { return max(open, toks.count &- 1) }
        let c = closeOf[open]
        return c >= open ? c : open
    }

    /// End (inclusive token index) of the item starting at `s`: the first `;`
    /// at nesting 0, or the `}` closing the first `{` at nesting 0.
    func itemEnd(from s: Int) -> Int {
        var j = s
        var nest = 0
        let m = toks.count
        while j < m {
            let t = toks[j]
            if t.kind == .punct {
                switch t.ch {
                case chLParen, chLBracket: nest &+= 1
                case chRParen, chRBracket:
                    nest &-= 1
                    if nest < 0 { return j }
                case chLBrace:
                    if nest == 0 { return matchClose(j) }
                    nest &+= 1
                case chRBrace:
                    nest &-= 1
                    if nest < 0 { return j }
                case chSemi:
                    if nest == 0 { return j }
                default: break
                }
            }
            j &+= 1
        }
        return max(s, m &- 1)
    }

    @inline(__always) func isItemName(_ j: Int) -> Bool {
        let t = tok(j)
        if t.kind == .ident || t.kind == .rawIdent { return true }
        return t.kind == .punct && t.ch == chDollar && (tok(j &+ 1).kind == .ident)
    }

    // MARK: attributes

    /// Whether the cfg predicate `[lo, hi)` holds only in test builds: `test`, or `all(...)` with
    /// `test` among its terms (`cfg(all(test, feature = "std"))`).
    func isTestOnly(_ lo: Int, _ hi: Int) -> Bool {
        if hi &- lo == 1 { return isIdent(lo, .test) }
        guard hi &- lo >= 3, tok(lo).kind == .ident, text(lo) == "all", isPunct(lo &+ 1, chLParen), isPunct(hi &- 1, chRParen) else {
            return false
        }
        return splitTopLevel(lo &+ 2, hi &- 1).contains { $0.1 &- $0.0 == 1 && isIdent($0.0, .test) }
    }

    /// Whether `[lo, hi)` is exactly the predicate `not(test)`.
    func isNotTest(_ lo: Int, _ hi: Int) -> Bool {
        hi &- lo == 4 && tok(lo).kind == .ident && text(lo) == "not" && isPunct(lo &+ 1, chLParen)
            && isIdent(lo &+ 2, .test) && isPunct(lo &+ 3, chRParen)
    }

    /// Split `[lo, hi)` at top-level commas.
    func splitTopLevel(_ lo: Int, _ hi: Int) -> [(Int, Int)] {
        var parts: [(Int, Int)] = []
        var nest = 0
        var s = lo
        var j = lo
        while j < hi {
            let t = tok(j)
            if t.kind == .punct {
                switch t.ch {
                case chLParen, chLBracket, chLBrace: nest &+= 1
                case chRParen, chRBracket, chRBrace: nest &-= 1
                case chComma:
                    if nest == 0 {
                        parts.append((s, j))
                        s = j &+ 1
                    }
                default: break
                }
            }
            j &+= 1
        }
        if s < hi { parts.append((s, hi)) }
        return parts
    }

    /// Parse one meta item `path`, `path(args)`, `path = value` in `[lo, hi)`.
    private func parseMeta(_ lo: Int, _ hi: Int, level: Int) -> AttrFlags {
        guard lo < hi, level < 16 else { return [] }
        var p = lo
        if isPunct(p, chColon) && isPunct(p &+ 1, chColon) { p &+= 2 }
        let t0 = tok(p)
        guard p < hi, t0.kind == .ident || t0.kind == .rawIdent else { return [] }
        let first = t0.kind == .ident ? t0.sym : .none
        var last = first
        var count = 1
        p &+= 1
        while p &+ 2 < hi && isPunct(p, chColon) && isPunct(p &+ 1, chColon) && (tok(p &+ 2).kind == .ident || tok(p &+ 2).kind == .rawIdent) {
            let s = tok(p &+ 2)
            last = s.kind == .ident ? s.sym : .none
            count &+= 1
            p &+= 3
        }
        var flags: AttrFlags = []
        let hasEq = p < hi && isPunct(p, chEq)
        var argLo = -1
        var argHi = -1
        if p < hi {
            let t = tok(p)
            if t.kind == .punct && (t.ch == chLParen || t.ch == chLBracket || t.ch == chLBrace) {
                argLo = p &+ 1
                argHi = min(matchClose(p), hi)
            }
        }
        let hasArgs = argLo >= 0 && argHi >= argLo
        if count == 1 {
            switch first {
            case .doc:
                if hasEq { flags.insert(.doc) }
                if hasArgs {
                    var j = argLo
                    while j < argHi {
                        if isIdent(j, .hidden) { flags.insert(.hidden) }
                        j &+= 1
                    }
                }
            case .cfg:
                if hasArgs && isTestOnly(argLo, argHi) { flags.insert(.cfgTest) }
            case .cfgAttr:
                if hasArgs {
                    let parts = splitTopLevel(argLo, argHi)
                    for part in parts.dropFirst() {
                        flags.formUnion(parseMeta(part.0, part.1, level: level &+ 1))
                    }
                    // `cfg_attr(not(test), forbid(unsafe_code))` forbids it in every build that
                    // ships; any other condition (a feature, a target) may leave unsafe code in.
                    if flags.contains(.forbidUnsafe), let predicate = parts.first, !isNotTest(predicate.0, predicate.1) {
                        flags.remove(.forbidUnsafe)
                        flags.insert(.forbidUnsafeConditional)
                    }
                }
            case .forbid, .deny:
                if hasArgs {
                    var j = argLo
                    while j < argHi {
                        if isIdent(j, .unsafeCode) && !isPunct(j &- 1, chColon) {
                            flags.insert(first == .forbid ? .forbidUnsafe : .denyUnsafe)
                        }
                        if isIdent(j, .unsafeOpInUnsafeFn) && !isPunct(j &- 1, chColon) { flags.insert(.denyUnsafeOp) }
                        j &+= 1
                    }
                }
            case .link:
                flags.insert(.link)
            case .test:
                flags.insert(.test)
            default:
                break
            }
        } else if last == .test {
            flags.insert(.test)  // #[tokio::test], #[async_std::test], ...
        }
        return flags
    }

    // MARK: evidence

    func record(_ kind: EvidenceKind, tokenIndex i: Int, into ev: inout EvidenceCollector, matched: () -> String) {
        let t = tok(i)
        ev.add(kind, file: file, line: t.line) { (snippet(at: t.start), matched()) }
    }

    private func mapCap(_ c: Cap) -> EvidenceKind? {
        switch role {
        case .product:
            switch c {
            case .network: return .network
            case .fsWrite: return .filesystemWrite
            case .process: return .process
            case .env: return .env
            }
        case .build:
            switch c {
            case .network: return .buildScriptNetwork
            case .fsWrite: return .buildScriptFilesystemWrite
            case .process: return .buildScriptProcess
            case .env: return .buildScriptEnv
            }
        case .test, .example, .bench:
            return nil
        }
    }

    /// Classify a path given as segment symbols.
    private func classify(_ s: [Sym], fromUse: Bool) -> Cap? {
        let n = s.count
        guard n > 0 else { return nil }
        for x in s where networkTypes.contains(x) { return .network }
        var i = 0
        while i &+ 1 < n {
            let a = s[i]
            let b = s[i &+ 1]
            if asyncRuntimes.contains(a) && b == .net { return .network }
            if a == .net && b == .lookupHost { return .network }
            if a == .libc && (b == .socket || b == .connect) { return .network }
            if a == .fs && fsWriteFns.contains(b) { return .fsWrite }
            if a == .file && (b == .create || b == .createNew) { return .fsWrite }
            if a == .process && b == .command { return .process }
            if a == .command && b == .new && importsProcessCommand { return .process }
            if (a == .libc || a == .unistd) && execFns.contains(b) { return .process }
            if a == .duct && b == .cmd { return .process }
            if a == .env && envFns.contains(b) { return .env }
            i &+= 1
        }
        if n >= 2 || fromUse {
            if networkCrates.contains(s[0]) { return .network }
            if s[0] == .subprocess { return .process }
        }
        return nil
    }

    /// Handle a path (token indices of its segments). `after` is the index
    /// of the token following the path.
    private mutating func analyzePath(_ segIdx: [Int], after: Int, fromUse: Bool, suppressed: Bool, ev: inout EvidenceCollector) {
        var syms: [Sym] = []
        syms.reserveCapacity(segIdx.count)
        for i in segIdx { syms.append(tok(i).kind == .ident ? tok(i).sym : .none) }
        if syms.contains(.openOptions) { openOptionsSeen = true }
        if fromUse {
            var i = 0
            while i &+ 1 < syms.count {
                if syms[i] == .process && syms[i &+ 1] == .command { importsProcessCommand = true }
                i &+= 1
            }
        }
        guard !suppressed, role == .product || role == .build, let lastIdx = segIdx.last else { return }
        // env!() / option_env!(): compile-time, not a runtime capability
        if !fromUse && syms.count == 1 && (syms[0] == .env || syms[0] == .optionEnv) && isPunct(after, chBang) {
            if role == .product {
                let first = segIdx[0]
                record(.envCompileTime, tokenIndex: first, into: &ev) { text(first) + "!" }
            }
            return
        }
        guard let cap = classify(syms, fromUse: fromUse), var kind = mapCap(cap) else { return }
        if kind == .buildScriptEnv && !fromUse, let lastSym = syms.last, lastSym == .var || lastSym == .varOs,
           isPunct(after, chLParen), let name = plainStringContents(after &+ 1) {
            if name.hasPrefix("CARGO") || name.hasPrefix("DEP_") || cargoBuildVars.contains(name) {
                kind = .buildScriptEnvCargo
            }
        }
        let path = segIdx
        record(kind, tokenIndex: lastIdx, into: &ev) { joined(path) }
    }

    // MARK: main pass

    /// Product code: where unsafe, FFI and pub items count.
    private var isProduct: Bool { role == .product }
    /// Where capabilities count: product code and the build script.
    private var countsCapabilities: Bool { role == .product || role == .build }

    /// What the main pass carries from one token to the next.
    private struct PassState {
        /// `{` nesting: inner attributes speak for the crate only at depth 0.
        var depth = 0
        /// An outer doc comment or `#[doc = ...]` since the last item-level token: the next pub
        /// item is documented.
        var docPending = false
        /// `#[doc(hidden)]` since then: the next pub item is not counted.
        var hiddenPending = false
        /// The macro_rules! bodies the pass is inside, innermost last.
        var macros: [MacroFrame] = []
        /// The last token of the current `#[cfg(test)]` item: capabilities up to it are test-only.
        var testRegionEnd = -1
        /// The last line counted in `facts.testCodeLines`.
        var lastTestLine = -1

        /// Any item-level token ends what pending docs and attributes applied to.
        @inline(__always) mutating func endItemPrefix() {
            docPending = false
            hiddenPending = false
        }
    }

    /// The pass itself: each construct is handled where it starts. The dispatch on punctuation and
    /// identifiers stays in this loop because it runs once per token: as helpers, the optimizer
    /// kept them as calls (`@inline(__always)` notwithstanding), 3-6% more instructions for a
    /// scan of real crates. Rarer constructs (attributes, `extern`, `macro_rules!`) go through calls.
    mutating func run(_ ev: inout EvidenceCollector) {
        let m = toks.count
        var k = 0
        var s = PassState()
        while k < m {
            if FileAnalyzer.skipMacroMatcher(at: &k, &s.macros) { continue }
            let t = toks[k]
            let suppressed = k <= s.testRegionEnd
            if suppressed && t.line != s.lastTestLine && !t.kind.isComment {
                s.lastTestLine = t.line
                facts.testCodeLines &+= 1
            }
            switch t.kind {
            case .outerDocLine, .outerDocBlock:
                s.docPending = true
                k &+= 1
            case .innerDocLine, .innerDocBlock, .lineComment, .blockComment, .shebang:
                k &+= 1
            case .punct:
                switch t.ch {
                case chHash:
                    if let next = attribute(at: k, &s, suppressed: suppressed, ev: &ev) {
                        k = next
                        continue
                    }
                case chLBrace:
                    s.depth &+= 1
                case chRBrace:
                    if s.depth > 0 { s.depth &-= 1 }
                case chDot:
                    if openOptionsSeen && countsCapabilities && !suppressed { openOptionsWrite(afterDot: k, ev: &ev) }
                default:
                    break
                }
                s.endItemPrefix()
                k &+= 1
            case .ident:
                switch t.sym {
                case .kwUnsafe:
                    if isProduct && !suppressed {
                        unsafeAt(k, &ev)
                    } else if suppressed || role == .test || role == .example || role == .bench {
                        record(.unsafeTest, tokenIndex: k, into: &ev) { "unsafe (test code)" }
                    }
                    k &+= 1
                case .kwExtern:
                    externAt(k, suppressed: suppressed, ev: &ev)
                    k &+= 1
                case .kwPub:
                    if isProduct && s.macros.isEmpty && pubItemFollows(k) && !s.hiddenPending {
                        facts.pubItems &+= 1
                        if s.docPending { facts.documentedPubItems &+= 1 }
                    }
                    k &+= 1
                case .kwUse:
                    k = useDeclaration(k, suppressed: suppressed, ev: &ev)
                case .kwMacroRules:
                    if let frame = macroRulesBody(at: k) { s.macros.append(frame) }
                    k &+= 1
                default:
                    k = path(at: k, first: t.sym, suppressed: suppressed, ev: &ev)
                }
                s.endItemPrefix()
            case .string:
                if role == .build && !facts.mentionsOutDir && containsOutDir(t) { facts.mentionsOutDir = true }
                s.endItemPrefix()
                k &+= 1
            default:
                if role == .build && t.kind.isStringLiteral && !facts.mentionsOutDir && containsOutDir(t) {
                    facts.mentionsOutDir = true
                }
                s.endItemPrefix()
                k &+= 1
            }
        }
    }

    /// macro_rules! bookkeeping before each token: leaves finished bodies, and jumps over a
    /// matcher (its fragments are patterns, not code). True when it moved `k`.
    @inline(__always) private static func skipMacroMatcher(at k: inout Int, _ macros: inout [MacroFrame]) -> Bool {
        while let top = macros.last, k > top.end { macros.removeLast() }
        guard !macros.isEmpty else { return false }
        let ti = macros.count &- 1
        while macros[ti].cursor < macros[ti].matchers.count {
            let r = macros[ti].matchers[macros[ti].cursor]
            if r.1 < k {
                macros[ti].cursor &+= 1
                continue
            }
            if k >= r.0 {
                k = r.1 &+ 1
                macros[ti].cursor &+= 1
                return true
            }
            break
        }
        return false
    }

    /// `#[...]` or `#![...]` at `k`: applies what the attribute says and returns the index after
    /// it; nil when this `#` starts no attribute.
    private mutating func attribute(at k: Int, _ s: inout PassState, suppressed: Bool,
                                                      ev: inout EvidenceCollector) -> Int? {
        var open = -1
        var inner = false
        if isPunct(k &+ 1, chLBracket) {
            open = k &+ 1
        } else if isPunct(k &+ 1, chBang) && isPunct(k &+ 2, chLBracket) {
            open = k &+ 2
            inner = true
        }
        guard open >= 0 else { return nil }
        let close = matchClose(open)
        let flags = parseMeta(open &+ 1, close, level: 0)
        if inner {
            if isCrateRoot && s.depth == 0 { crateRootAttribute(flags, at: k, ev: &ev) }
        } else {
            outerAttribute(flags, at: k, close: close, &s, suppressed: suppressed, ev: &ev)
        }
        return close &+ 1
    }

    /// `#![forbid(unsafe_code)]` / `#![deny(unsafe_code)]` at the top of the crate root.
    private mutating func crateRootAttribute(_ flags: AttrFlags, at k: Int, ev: inout EvidenceCollector) {
        if flags.contains(.forbidUnsafe) {
            facts.forbidsUnsafe = true
            record(.forbidUnsafeCode, tokenIndex: k, into: &ev) { "forbid(unsafe_code)" }
        } else if flags.contains(.forbidUnsafeConditional) {
            // Shown as evidence, but the crate does not forbid unsafe code in every build.
            record(.forbidUnsafeCode, tokenIndex: k, into: &ev) { "cfg_attr(..., forbid(unsafe_code))" }
        }
        if flags.contains(.denyUnsafe) {
            facts.deniesUnsafe = true
            record(.denyUnsafeCode, tokenIndex: k, into: &ev) { "deny(unsafe_code)" }
        }
        if flags.contains(.denyUnsafeOp) {
            facts.deniesUnsafeOpInUnsafeFn = true
            record(.denyUnsafeOpInUnsafeFn, tokenIndex: k, into: &ev) { "deny(unsafe_op_in_unsafe_fn)" }
        }
    }

    /// An outer attribute ending at `close`: docs for the next pub item, `#[test]`, `#[link]`, and
    /// `#[cfg(test)]`, whose item is test-only (and may be a module in its own file).
    private mutating func outerAttribute(_ flags: AttrFlags, at k: Int, close: Int, _ s: inout PassState, suppressed: Bool,
                                         ev: inout EvidenceCollector) {
        if flags.contains(.doc) { s.docPending = true }
        if flags.contains(.hidden) { s.hiddenPending = true }
        if flags.contains(.test) { facts.testFns &+= 1 }
        if flags.contains(.link) && isProduct && !suppressed {
            record(.ffi, tokenIndex: k, into: &ev) { "#[link]" }
        }
        // `#[cfg(test)]` items and `#[test]` functions exist only in test builds.
        if (flags.contains(.cfgTest) || flags.contains(.test)) && countsCapabilities && k > s.testRegionEnd {
            // The attribute's own line is the test item's too.
            if tok(k).line != s.lastTestLine {
                s.lastTestLine = tok(k).line
                facts.testCodeLines &+= 1
            }
            s.testRegionEnd = itemEnd(from: close &+ 1)
            if let name = outOfLineModule(from: close &+ 1, to: s.testRegionEnd) {
                facts.cfgTestModules.append(name)
            }
        }
    }

    /// The OpenOptions builder's writing calls: `.write(true)` / `.append(true)` / `.create(true)` ...
    private func openOptionsWrite(afterDot k: Int, ev: inout EvidenceCollector) {
        let mt = tok(k &+ 1)
        if mt.kind == .ident && openOptionsWriteMethods.contains(mt.sym) && isPunct(k &+ 2, chLParen)
            && isIdent(k &+ 3, .kwTrue), let kind = mapCap(.fsWrite) {
            let mi = k &+ 1
            record(kind, tokenIndex: mi, into: &ev) { "OpenOptions::" + text(mi) + "(true)" }
        }
    }

    /// `extern` at `k`: `extern crate NAME;` counts like `use NAME;`, `extern ["ABI"] {` is FFI.
    private mutating func externAt(_ k: Int, suppressed: Bool, ev: inout EvidenceCollector) {
        if isIdent(k &+ 1, .kwCrate) && tok(k &+ 2).kind == .ident {
            analyzePath([k &+ 2], after: k &+ 3, fromUse: true, suppressed: suppressed, ev: &ev)
        }
        var j = k &+ 1
        if tok(j).kind.isStringLiteral { j &+= 1 }
        if isPunct(j, chLBrace) && isProduct && !suppressed {
            let from = k
            let to = j
            record(.ffi, tokenIndex: k, into: &ev) { (from..<to).map { text($0) }.joined(separator: " ") + " {" }
        }
    }

    /// `macro_rules! NAME {...}` at `k`: the body's frame (its matchers are skipped, its
    /// transcribers analyzed like other code); nil when no body follows.
    private func macroRulesBody(at k: Int) -> MacroFrame? {
        guard isPunct(k &+ 1, chBang) else { return nil }
        var j = k &+ 2
        if tok(j).kind == .ident || tok(j).kind == .rawIdent { j &+= 1 }
        let o = tok(j)
        guard o.kind == .punct && (o.ch == chLBrace || o.ch == chLParen || o.ch == chLBracket) else { return nil }
        let close = matchClose(j)
        return MacroFrame(matchers: macroMatchers(open: j, close: close), cursor: 0, end: close)
    }

    /// A path at `k`, `ident (:: ident)*` (segments sit every 3 tokens), analyzed only when one of
    /// its segments is an anchor symbol. Returns the index after it.
    @inline(__always) private mutating func path(at k: Int, first: Sym, suppressed: Bool, ev: inout EvidenceCollector) -> Int {
        var j = k &+ 1
        var relevant = first.isAnchor
        var count = 1
        while isPunct(j, chColon) && isPunct(j &+ 1, chColon) && (tok(j &+ 2).kind == .ident || tok(j &+ 2).kind == .rawIdent) {
            if tok(j &+ 2).sym.isAnchor { relevant = true }
            count &+= 1
            j &+= 3
        }
        if relevant {
            let segs = (0..<count).map { k &+ 3 &* $0 }
            analyzePath(segs, after: j, fromUse: false, suppressed: suppressed, ev: &ev)
        }
        return j
    }

    func containsOutDir(_ t: Token) -> Bool {
        guard t.start >= 0, t.end <= src.count, t.end &- t.start >= 7, let b = src.baseAddress else { return false }
        let pat: [UInt8] = Array("OUT_DIR".utf8)
        var i = t.start
        while i &+ 7 <= t.end {
            if b[i] == 79 {
                var ok = true
                var q = 1
                while q < 7 {
                    if b[i &+ q] != pat[q] { ok = false; break }
                    q &+= 1
                }
                if ok { return true }
            }
            i &+= 1
        }
        return false
    }

    /// If tokens `[s, end]` are `[#[..]]* [pub[(..)]] mod NAME ;`, return NAME.
    func outOfLineModule(from s: Int, to end: Int) -> String? {
        guard isPunct(end, chSemi) else { return nil }
        var j = s
        while isPunct(j, chHash) && isPunct(j &+ 1, chLBracket) { j = matchClose(j &+ 1) &+ 1 }
        if isIdent(j, .kwPub) {
            j &+= 1
            if isPunct(j, chLParen) { j = matchClose(j) &+ 1 }
        }
        guard isIdent(j, .kwMod), j &+ 2 == end else { return nil }
        let nt = tok(j &+ 1)
        guard nt.kind == .ident else { return nil }
        return text(j &+ 1)
    }

    /// `unsafe` at `k` (product code only).
    mutating func unsafeAt(_ k: Int, _ ev: inout EvidenceCollector) {
        let n1 = tok(k &+ 1)
        if n1.kind == .punct && n1.ch == chLBrace {
            record(.unsafeBlock, tokenIndex: k, into: &ev) { "unsafe {" }
            return
        }
        guard n1.kind == .ident else { return }
        switch n1.sym {
        case .kwFn:
            if isItemName(k &+ 2) {
                let ni = k &+ 2
                record(.unsafeFn, tokenIndex: k, into: &ev) { "unsafe fn " + text(ni) }
            }
        case .kwImpl:
            record(.unsafeImpl, tokenIndex: k, into: &ev) { "unsafe impl" }
        case .kwTrait:
            record(.unsafeTrait, tokenIndex: k, into: &ev) { "unsafe trait" }
        case .kwAuto:
            if isIdent(k &+ 2, .kwTrait) { record(.unsafeTrait, tokenIndex: k, into: &ev) { "unsafe auto trait" } }
        case .kwExtern:
            var j = k &+ 2
            if tok(j).kind.isStringLiteral { j &+= 1 }
            if isIdent(j, .kwFn) && isItemName(j &+ 1) {
                let ni = j &+ 1
                record(.unsafeFn, tokenIndex: k, into: &ev) { "unsafe extern fn " + text(ni) }
            } else if isPunct(j, chLBrace) {
                record(.unsafeExtern, tokenIndex: k, into: &ev) { "unsafe extern {" }
            }
        default:
            break
        }
    }

    /// Whether `pub` at `k` starts a counted public item.
    func pubItemFollows(_ k: Int) -> Bool {
        var j = k &+ 1
        if isPunct(j, chLParen) { return false }  // pub(crate) / pub(super) / pub(in ..)
        var steps = 0
        while steps < 8 {
            let t = tok(j)
            guard t.kind == .ident else { return false }
            switch t.sym {
            case .kwAsync, .kwUnsafe, .kwDefault, .kwSafe, .kwAuto:
                j &+= 1
            case .kwExtern:
                j &+= 1
                if tok(j).kind.isStringLiteral { j &+= 1 }
            case .kwConst:
                let nx = tok(j &+ 1)
                if nx.kind == .ident && (nx.sym == .kwFn || nx.sym == .kwUnsafe || nx.sym == .kwAsync || nx.sym == .kwExtern) {
                    j &+= 1
                } else {
                    return true  // const item
                }
            case .kwFn, .kwStruct, .kwEnum, .kwTrait, .kwType, .kwStatic, .kwMod:
                return true
            case .kwUnion:
                let nx = tok(j &+ 1)
                return nx.kind == .ident || nx.kind == .rawIdent
            default:
                return false
            }
            steps &+= 1
        }
        return false
    }

    /// Matcher ranges (inclusive token index pairs) of a macro_rules! body
    /// delimited by `open`...`close`.
    func macroMatchers(open: Int, close: Int) -> [(Int, Int)] {
        var ranges: [(Int, Int)] = []
        var p = open &+ 1
        while p < close {
            let t = tok(p)
            if t.kind == .punct && (t.ch == chLParen || t.ch == chLBracket || t.ch == chLBrace) {
                let q = min(matchClose(p), close)
                ranges.append((p, q))
                p = q &+ 1
                if isPunct(p, chEq) && isPunct(p &+ 1, chGt) {
                    p &+= 2
                    let r = tok(p)
                    if r.kind == .punct && (r.ch == chLParen || r.ch == chLBracket || r.ch == chLBrace) {
                        p = min(matchClose(p), close) &+ 1  // transcriber: analyzed normally
                    }
                }
                if isPunct(p, chSemi) { p &+= 1 }
            } else {
                p &+= 1  // malformed: advance
            }
        }
        return ranges
    }

    /// `use` tree at `k`; returns the index after its `;` (or where parsing stopped).
    mutating func useDeclaration(_ k: Int, suppressed: Bool, ev: inout EvidenceCollector) -> Int {
        var j = k &+ 1
        var prefix: [Int] = []
        var cur: [Int] = []
        var pending = false
        let m = toks.count
        func trim(_ cur: inout [Int], to l: Int) {
            if cur.count > l { cur.removeLast(cur.count &- l) }
        }
        while j < m {
            let t = toks[j]
            if t.kind == .ident || t.kind == .rawIdent {
                if t.kind == .ident && t.sym == .kwAs {
                    j &+= 2  // `as alias`
                    continue
                }
                cur.append(j)
                pending = true
            } else if t.kind == .punct {
                switch t.ch {
                case chColon:
                    break
                case chLBrace:
                    prefix.append(cur.count)
                    pending = false
                case chComma:
                    if pending { emitUsePath(cur, suppressed: suppressed, ev: &ev) }
                    trim(&cur, to: prefix.last ?? 0)
                    pending = false
                case chRBrace:
                    if pending { emitUsePath(cur, suppressed: suppressed, ev: &ev) }
                    trim(&cur, to: prefix.popLast() ?? 0)
                    pending = false
                case chStar:
                    pending = false
                case chSemi:
                    if pending { emitUsePath(cur, suppressed: suppressed, ev: &ev) }
                    return j &+ 1
                default:
                    return j  // not a use tree after all (e.g. inside a macro)
                }
            } else {
                return j
            }
            j &+= 1
        }
        return m
    }

    private mutating func emitUsePath(_ path: [Int], suppressed: Bool, ev: inout EvidenceCollector) {
        // no real path is this deep; bounding it keeps hostile use trees linear
        guard path.count <= 64 else { return }
        var p = path
        // `use a::b::{self}` imports `a::b`
        while p.count > 1, let l = p.last, tok(l).kind == .ident, tok(l).sym == .kwSelf { p.removeLast() }
        var relevant = false
        for s in p where tok(s).sym.isAnchor {
            relevant = true
            break
        }
        if relevant, let last = p.last { analyzePath(p, after: last &+ 1, fromUse: true, suppressed: suppressed, ev: &ev) }
    }
}
