/// What the vulnerable crate's source says about its types, for deciding the receiver of a method
/// call: the types it defines, what its functions return, its struct fields, `Deref` targets,
/// iterator items, and the traits each type implements.
struct TypeModel {
    var defined = Set<String>()
    /// The traits among them: a receiver of a trait type (`&dyn T`, `impl T`) may be any of its
    /// implementations.
    var traits = Set<String>()
    var returns: [String: [String]] = [:]   // "Owner\u{0}name" ("" owner: free function) → types
    var fields: [String: [String]] = [:]    // "Owner\u{0}field" → types
    var derefs: [String: [String]] = [:]
    var iterItems: [String: [String]] = [:]
    var traitsOf: [String: Set<String>] = [:]
    /// Method name → the owners defining it.
    var methodOwners: [String: Set<String>] = [:]

    /// Wrappers a type is seen through (`io::Result<Entries<R>>` is an `Entries`).
    static let wrappers: Set<String> = ["Result", "Option", "Box", "Rc", "Arc", "RefCell", "Cell", "Mutex", "RwLock", "Pin", "Cow",
                                        "MutexGuard", "Ref", "RefMut", "io", "std", "core", "alloc", "sync", "mut", "dyn", "impl",
                                        "crate", "self", "super"]

    init() {}

    init(_ index: CrateIndex) {
        for (fi, items) in index.items.enumerated() where index.files[fi].part == .library {
            for t in items.types {
                defined.insert(t.name)
                if t.isTrait { traits.insert(t.name) }
            }
            for a in items.typeAliases { defined.insert(a.name) }
        }
        for (fi, items) in index.items.enumerated() where index.files[fi].part == .library {
            for d in items.fns where !d.testOnly {
                if let t = firstType(d.returns, selfType: d.owner) { returns["\(d.owner ?? "")\u{0}\(d.name)", default: []].append(t) }
                if let o = d.owner { methodOwners[d.name, default: []].insert(o) }
            }
            for fl in items.fields {
                if let t = firstType(fl.idents, selfType: fl.owner) { fields["\(fl.owner)\u{0}\(fl.field)", default: []].append(t) }
            }
            for im in items.impls {
                if let tr = im.trait { traitsOf[im.type, default: []].insert(tr) }
                for a in im.associated {
                    guard let t = firstType(a.idents, selfType: im.type) else { continue }
                    if a.name == "Target" && im.trait == "Deref" { derefs[im.type, default: []].append(t) }
                    if a.name == "Item" && (im.trait == "Iterator" || im.trait == "IntoIterator") { iterItems[im.type, default: []].append(t) }
                }
            }
        }
    }

    /// The first identifier that is a type of the crate (`Self` is the owner), past wrappers.
    func firstType(_ idents: [String], selfType: String?) -> String? {
        for w in idents {
            if w == "Self", let s = selfType { return s }
            if defined.contains(w) && !Self.wrappers.contains(w) { return w }
        }
        return nil
    }

    /// A single answer, else none (several definitions disagree).
    func single(_ list: [String]?) -> String? {
        guard let list, let first = list.first, list.allSatisfy({ $0 == first }) else { return nil }
        return first
    }

    func returnType(owner: String?, name: String) -> String? {
        if let owner {
            for t in [owner] + derefChain(owner) {
                if let r = single(returns["\(t)\u{0}\(name)"]) { return r }
                for tr in traitsOf[t] ?? [] { if let r = single(returns["\(tr)\u{0}\(name)"]) { return r == tr ? t : r } }
            }
            return nil
        }
        return single(returns["\u{0}\(name)"])
    }

    func fieldType(_ owner: String, _ field: String) -> String? {
        for t in [owner] + derefChain(owner) { if let r = single(fields["\(t)\u{0}\(field)"]) { return r } }
        return nil
    }

    func derefChain(_ t: String) -> [String] {
        var out: [String] = []
        var cur = t
        while out.count < 4, let next = single(derefs[cur]), !out.contains(next), next != t {
            out.append(next)
            cur = next
        }
        return out
    }

    /// Whether a method named by an item of `owner` (an `impl implTrait for owner` block, or the
    /// trait `owner` itself) is what `receiver.m(` calls.
    func method(of receiver: String, matches owner: String, implTrait: String?) -> Bool {
        // Through a trait: any trait method may be the one called (its supertraits' too).
        if traits.contains(receiver) { return implTrait != nil || traits.contains(owner) }
        for t in [receiver] + derefChain(receiver) {
            if t == owner { return true }
            if traitsOf[t]?.contains(owner) == true { return true }  // a trait's default method
        }
        return false
    }
}

/// The type of expressions in one file, as far as a lexer can tell: a variable bound with `let`,
/// a parameter, a `for` loop or `if let` to something whose type the crate's signatures give.
/// Flow-insensitive (a name bound twice to different types has none), and only ever used to
/// *confirm* a call; the one conclusion it draws against a call is from a literal receiver.
struct ReceiverTypes {
    enum Kind: Equatable {
        /// A type of the vulnerable crate.
        case vulnerable(String)
        /// A type of the searching crate itself (its `self`), whose fields may be the crate's.
        case local(String)
        /// Surely not one of its types: a literal, `String::new()`, `format!`, a variable declared
        /// with a concrete standard type (the name: the crate's trait impls for it still count).
        case other(String)
        case unknown
    }

    let f: RustFile
    let model: TypeModel
    /// The type a path names, when it is one of the vulnerable crate's.
    let typeOfPath: ([String]) -> String?
    /// What a path call returns (the crate's signatures), when it is one of its functions.
    let callType: ([String]) -> String?
    private(set) var vars: [String: String] = [:]
    /// Variables declared with a concrete standard type (`buf: &mut Vec<u8>`).
    private(set) var stdVars: [String: String] = [:]
    private var conflicting = Set<String>()
    /// The searching crate's own type of `self` and its fields' types (of the vulnerable crate).
    var localSelf: String?
    var localFields: [String: String] = [:]
    /// The searching crate's own types (a variable of one is `.local`).
    var localTypes = Set<String>()
    private var localVars: [String: String] = [:]

    static let stdConstructors: Set<String> = ["String", "Vec", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "VecDeque", "PathBuf",
                                               "OsString", "Duration", "Instant"]
    static let passThrough: Set<String> = ["unwrap", "expect", "unwrap_or_default", "unwrap_or", "unwrap_or_else", "clone",
                                           "to_owned", "as_ref", "as_mut", "borrow", "borrow_mut", "lock", "read", "write",
                                           "into_inner", "get_mut", "get_ref", "by_ref", "map_err", "ok", "ok_or", "ok_or_else",
                                           "context", "with_context", "as_deref", "as_deref_mut", "chain_err", "wrap_err"]
    /// Concrete standard types: a variable declared with one is that type, which no crate derefs.
    static let stdTypes: Set<String> = ["String", "str", "Vec", "VecDeque", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "Path",
                                        "PathBuf", "OsStr", "OsString", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16",
                                        "i32", "i64", "i128", "isize", "f32", "f64", "bool", "char", "Duration", "Instant",
                                        "SystemTime", "Cow"]
    static let keywords: Set<String> = ["return", "in", "match", "if", "while", "let", "else", "for", "loop", "move", "as", "break",
                                        "yield", "ref", "box", "unsafe", "async", "dyn", "impl", "where", "fn", "mut", "continue"]

    init(file: RustFile, model: TypeModel, selfType: String?, typeOfPath: @escaping ([String]) -> String?,
         callType: @escaping ([String]) -> String?) {
        self.f = file
        self.model = model
        self.typeOfPath = typeOfPath
        self.callType = callType
        if let selfType { vars["self"] = selfType }
    }

    /// Binds the variables of `range` (a function's parameters and body, or a whole file).
    mutating func bind(_ range: Range<Int>) {
        var k = max(0, range.lowerBound)
        let hi = min(range.upperBound, f.count)
        rebound(k, hi)
        while k < hi {
            // `if let Some(x) = e` / `while let Ok(x) = e`: x has e's type.
            if f.isWord(k, "let"), let w = f.ident(k + 1), ["Some", "Ok"].contains(w), f.isPunct(k + 2, chLParen) {
                var p = k + 3
                if f.isWord(p, "mut") { p += 1 }
                if let name = f.ident(p), f.isPunct(p + 1, chRParen), f.isPunct(p + 2, chEq) {
                    var e = p + 3
                    while e < hi && !f.isPunct(e, chLBrace) && !f.isPunct(e, chSemi) { e += 1 }
                    if case .vulnerable(let t) = expression(p + 3, e) { set(name, t) } else { set(name, nil) }
                }
                k = p + 1
                continue
            }
            if f.isWord(k, "let") {
                var p = k + 1
                if f.isWord(p, "mut") { p += 1 }
                guard let name = f.ident(p) else { k += 1; continue }
                let end = statementEnd(from: p, hi)
                if f.isPunct(p + 1, chColon) && !f.isPunct(p + 2, chColon) {
                    var e = p + 2
                    while e < end && !f.isPunct(e, chEq) { e += 1 }
                    set(name, typeOf(p + 2, e))
                    setStd(name, stdType(p + 2, e))
                    setLocal(name, localType(p + 2, e))
                } else if f.isPunct(p + 1, chEq) {
                    if case .vulnerable(let t) = expression(p + 2, end) { set(name, t) } else { set(name, nil) }
                }
                k = p + 1
                continue
            }
            if f.isWord(k, "for"), let name = f.ident(k + 1), f.isWord(k + 2, "in") {
                var e = k + 3
                while e < hi && !f.isPunct(e, chLBrace) { e += 1 }
                if case .vulnerable(let t) = expression(k + 3, e), let item = model.single(model.iterItems[t]) { set(name, item) } else { set(name, nil) }
                k += 3
                continue
            }
            // `name: Type` in parameter lists and closures.
            if let name = f.ident(k), f.isPunct(k + 1, chColon), !f.isPunct(k + 2, chColon), !f.isPathSep(k - 2),
               f.isPunct(k - 1, chLParen) || f.isPunct(k - 1, chComma) || f.isPunct(k - 1, 124) /* | */ {
                var e = k + 2
                var depth = 0
                while e < hi {
                    if f.isPunct(e, chLt) || f.isPunct(e, chLParen) || f.isPunct(e, chLBracket) { depth += 1 }
                    if (f.isPunct(e, chGt) && !f.isPunct(e - 1, chMinus)) || f.isPunct(e, chRParen) || f.isPunct(e, chRBracket) { depth -= 1 }
                    if depth < 0 || (depth == 0 && (f.isPunct(e, chComma) || f.isPunct(e, 124))) { break }
                    e += 1
                }
                set(name, typeOf(k + 2, e))
                setStd(name, stdType(k + 2, e))
                setLocal(name, localType(k + 2, e))
            }
            k += 1
        }
    }

    /// Names bound by patterns nerq does not type — match arms (`Some(x) =>`) and closure
    /// parameters (`|x|`) — have no type: a variable they shadow must not keep one.
    private mutating func rebound(_ lo: Int, _ hi: Int) {
        var k = lo
        while k < hi {
            if f.isPunct(k, chEq) && f.isPunct(k + 1, chGt) {
                // Back to the start of the arm (a `,` or `{` at the same depth).
                var j = k - 1
                while j >= lo {
                    if f.isPunct(j, chRParen) || f.isPunct(j, chRBracket) || f.isPunct(j, chRBrace) {
                        guard let o = f.open(j) else { break }
                        for x in o..<j { markUntyped(x) }
                        j = o - 1
                        continue
                    }
                    if f.isPunct(j, chComma) || f.isPunct(j, chLBrace) { break }
                    markUntyped(j)
                    j -= 1
                }
            }
            if f.isPunct(k, 124) && !f.isPunct(k + 1, 124) && (f.isPunct(k - 1, chLParen) || f.isPunct(k - 1, chComma)
                || f.isPunct(k - 1, chEq) || f.isWord(k - 1, "move") || f.isWord(k - 1, "return")) {
                var j = k + 1
                while j < hi && !f.isPunct(j, 124) { markUntyped(j); j += 1 }
                k = j
            }
            k += 1
        }
    }

    private mutating func markUntyped(_ i: Int) {
        guard let w = f.ident(i), w.first?.isLowercase == true || w.first == "_", !f.isPathSep(i + 1), !f.isPunct(i + 1, chLParen) else { return }
        conflicting.insert(w)
        vars[w] = nil
        stdVars[w] = nil
        localVars[w] = nil
    }

    private mutating func setLocal(_ name: String, _ type: String?) {
        guard !conflicting.contains(name) else { return }
        if let type, localVars[name] == nil || localVars[name] == type { localVars[name] = type } else { localVars[name] = nil }
    }

    /// The searching crate's own type written at `[lo, hi)` (`&mut TlsStream<IO>` → TlsStream).
    private func localType(_ lo: Int, _ hi: Int) -> String? {
        var k = lo
        while k < hi && (f.isPunct(k, 38) || f.isWord(k, "mut") || f.tokens[k].kind == .lifetime) { k += 1 }
        guard let w = f.ident(k), localTypes.contains(w), !f.isPathSep(k + 1) else { return nil }
        return w
    }

    private mutating func setStd(_ name: String, _ type: String?) {
        guard !conflicting.contains(name) else { return }
        if let type, stdVars[name] == nil || stdVars[name] == type { stdVars[name] = type } else { stdVars[name] = nil; conflicting.insert(name) }
    }

    /// The concrete standard type written at `[lo, hi)` (`&mut Vec<u8>` → Vec); nil for anything
    /// else (generics, `dyn`, `impl`, other crates' types).
    private func stdType(_ lo: Int, _ hi: Int) -> String? {
        var k = lo
        while k < hi && (f.isPunct(k, 38) || f.isWord(k, "mut") || f.tokens[k].kind == .lifetime) { k += 1 }
        guard let w = f.ident(k), Self.stdTypes.contains(w) else { return nil }
        if f.isWord(k, "str") && !f.isPunct(k - 1, 38) { return nil }
        return w
    }

    private mutating func set(_ name: String, _ type: String?) {
        guard !conflicting.contains(name) else { return }
        guard let type else {
            if vars[name] != nil { conflicting.insert(name); vars[name] = nil }
            return
        }
        if let old = vars[name], old != type {
            conflicting.insert(name)
            vars[name] = nil
        } else {
            vars[name] = type
        }
    }

    private func statementEnd(from s: Int, _ hi: Int) -> Int {
        var j = s
        while j < hi {
            if f.isPunct(j, chSemi) { return j }
            if f.isPunct(j, chLParen) || f.isPunct(j, chLBracket) || f.isPunct(j, chLBrace) { j = f.close(j) }
            j += 1
        }
        return hi
    }

    /// The type written at `[lo, hi)` (`&mut Entry<'a, R>` → Entry), when it is the crate's.
    private func typeOf(_ lo: Int, _ hi: Int) -> String? {
        var segs: [String] = []
        var k = lo
        while k < hi {
            if let w = f.ident(k), !TypeModel.wrappers.contains(w) || segs.last == "std" || segs.last == "io" {
                if TypeModel.wrappers.contains(w) { k += 1; continue }
                segs.append(w)
                if f.isPathSep(k + 1) { k += 3; continue }
                if let t = typeOfPath(segs) { return t }
                segs = []
            }
            k += 1
        }
        return nil
    }

    /// The type of the expression at `[lo, hi)`.
    func expression(_ lo: Int, _ hi: Int, depth: Int = 0) -> Kind {
        guard depth < 32 else { return .unknown }
        var k = lo
        while k < hi && (f.isPunct(k, 38) || f.isPunct(k, chStar) || f.isWord(k, "mut")) { k += 1 }  // & * mut
        guard k < hi else { return .unknown }
        var cur: Kind
        let t = f.tokens[k]
        if t.kind.isStringLiteral || t.kind == .integer || t.kind == .float || t.kind == .char || t.kind == .byteChar
            || f.isWord(k, "true") || f.isWord(k, "false") {
            cur = .other(t.kind.isStringLiteral ? "str" : (t.kind == .char ? "char" : (f.ident(k) != nil ? "bool" : "number")))
            k += 1
        } else if f.ident(k) != nil {
            var segs: [String] = []
            while let w = f.ident(k) {
                segs.append(w)
                k += 1
                if f.isPathSep(k) && f.isPunct(k + 2, chLt) { k = f.skipAngles(k + 2) }
                guard f.isPathSep(k), f.ident(k + 2) != nil else { break }
                k += 2
            }
            if f.isPunct(k, chBang) {
                cur = ["format", "concat", "stringify"].contains(segs.last ?? "") ? .other("String") : (segs.last == "vec" ? .other("Vec") : .unknown)
                k += 1
                if f.isPunct(k, chLParen) || f.isPunct(k, chLBracket) || f.isPunct(k, chLBrace) { k = f.close(k) + 1 }
            } else if f.isPunct(k, chLParen) {
                if let r = callType(segs) {
                    cur = .vulnerable(r)
                } else if let first = segs.first, Self.stdConstructors.contains(first), segs.count == 2 {
                    cur = .other(first)
                } else {
                    cur = .unknown
                }
                k = f.close(k) + 1
            } else if f.isPunct(k, chLBrace), let last = segs.last, last.first?.isUppercase == true {
                cur = typeOfPath(segs).map { .vulnerable($0) } ?? .unknown
                k = f.close(k) + 1
            } else if segs.count == 1, let v = vars[segs[0]] {
                cur = .vulnerable(v)
            } else if segs.count == 1, let v = stdVars[segs[0]] {
                cur = .other(v)
            } else if segs == ["self"], let s = localSelf {
                cur = .local(s)
            } else if segs.count == 1, let v = localVars[segs[0]] {
                cur = .local(v)
            } else {
                cur = .unknown
            }
        } else {
            return .unknown
        }
        // Postfix: `?`, `.await`, `.method(…)`, `.field`.
        while k < hi {
            if f.isPunct(k, 63) { k += 1; continue }  // ?
            guard f.isPunct(k, chDot), let m = f.ident(k + 1) else { break }
            k += 2
            if f.isPathSep(k) && f.isPunct(k + 2, chLt) { k = f.skipAngles(k + 2) }
            if m == "await" { continue }
            if f.isPunct(k, chLParen) {
                k = f.close(k) + 1
                switch cur {
                case .vulnerable(let type):
                    if Self.passThrough.contains(m) && model.returnType(owner: type, name: m) == nil { continue }
                    cur = model.returnType(owner: type, name: m).map { .vulnerable($0) } ?? .unknown
                default:
                    cur = .unknown
                }
            } else {
                switch cur {
                case .vulnerable(let type): cur = model.fieldType(type, m).map { .vulnerable($0) } ?? .unknown
                case .local(let type): cur = localFields["\(type)\u{0}\(m)"].map { .vulnerable($0) } ?? .unknown
                default: cur = .unknown
                }
            }
        }
        return cur
    }

    /// The receiver of the method call whose `.` is at `dot`.
    func receiver(at dot: Int) -> Kind {
        var k = dot - 1
        var steps = 0
        while k >= 0 && steps < 256 {
            steps += 1
            if f.isPunct(k, chRParen) || f.isPunct(k, chRBracket) || f.isPunct(k, chRBrace) {
                guard let o = f.open(k) else { return .unknown }
                if f.isPunct(k, chRBrace) { break }
                k = o - 1
                continue
            }
            if f.isPunct(k, 63) || f.isPunct(k, chDot) { k -= 1; continue }
            if f.isPunct(k, chColon) && f.isPunct(k - 1, chColon) { k -= 2; continue }
            if f.isPunct(k, chGt), f.isPunct(k - 1, chLt) == false {
                // `::<…>` turbofish: walk back to its `<`.
                var j = k
                var d = 0
                while j >= 0 {
                    if f.isPunct(j, chGt) { d += 1 }
                    if f.isPunct(j, chLt) { d -= 1; if d == 0 { break } }
                    j -= 1
                }
                guard j >= 2, f.isPathSep(j - 2) else { break }
                k = j - 3
                continue
            }
            if let w = f.ident(k), !Self.keywords.contains(w) { k -= 1; continue }
            let t = f.tokens[k]
            if t.kind.isStringLiteral || t.kind == .integer || t.kind == .float || t.kind == .char { k -= 1; continue }
            break
        }
        return expression(k + 1, dot)
    }
}
