/// The items of one file, read from its tokens without a parser: enough to follow names — `use`
/// and `extern crate` bindings, type aliases, functions (with the type or trait they belong to and
/// the token range of their body), the types defined, and `macro_rules!` macros. Items inside
/// macro invocations are read too (`cfg_if! { … }` holds real items), and anything not understood
/// is skipped token by token, so a file always yields what it can.
struct RustItems {
    struct UseBinding: Equatable {
        /// The name bound (the last segment, or the `as` name); nil for a glob.
        var name: String?
        /// The path as written, with `crate`/`self`/`super`/`$crate` kept.
        var path: [String]
        var isGlob: Bool
        var isPub: Bool
        var line: Int
        /// The module the `use` sits in.
        var module: [String]
        /// Inside a test-only item.
        var testOnly = false
    }

    struct FnDef {
        var name: String
        /// The type of the `impl` block (or the trait of a `trait` block) it is in.
        var owner: String?
        /// The trait an `impl Trait for Type` block implements.
        var implTrait: String?
        /// Declared inside `trait X { … }`.
        var inTrait: Bool
        /// `pub` (not `pub(crate)`, `pub(super)`, `pub(in …)`), or a trait method.
        var visible: Bool
        var module: [String]
        /// Identifiers of the return type.
        var returns: [String]
        /// The body's token range (empty for a declaration without a body).
        var body: Range<Int>
        /// The parameter list's token range (inside the parentheses).
        var parameters: Range<Int>
        /// Takes `self` (a method).
        var hasSelf: Bool
        var line: Int
        var testOnly: Bool
    }

    /// An `impl` block: the type, the trait, and its associated types (`type Target = …`,
    /// `type Item = …`: the identifiers of each).
    struct ImplDef {
        var type: String
        var trait: String?
        var associated: [(name: String, idents: [String])]
    }

    struct TypeDef {
        var name: String
        var module: [String]
        var isTrait: Bool
    }

    struct MacroDef {
        var name: String
        var exported: Bool
        var body: Range<Int>
        var line: Int
    }

    var uses: [UseBinding] = []
    /// `extern crate x [as y]` (name bound → crate).
    var externCrates: [(bound: String, crate: String, isPub: Bool, line: Int)] = []
    /// `type X = a::b::C<…>;` (name → path).
    var typeAliases: [(name: String, path: [String], line: Int)] = []
    var fns: [FnDef] = []
    var types: [TypeDef] = []
    var macros: [MacroDef] = []
    var impls: [ImplDef] = []
    /// Named struct fields: (struct, field, identifiers of its type).
    var fields: [(owner: String, field: String, idents: [String])] = []
    /// The file moves a module with `#[path = …]`: module paths taken from file names may be wrong.
    var hasPathAttribute = false

    static let maxDepth = 200

    init(_ f: RustFile, module: [String]) {
        var ctx = Context(module: module, owner: nil, implTrait: nil, inTrait: false)
        items(f, 0, f.count, &ctx, depth: 0)
    }

    private struct Context {
        var module: [String]
        var owner: String?
        var implTrait: String?
        var inTrait: Bool
    }

    private mutating func items(_ f: RustFile, _ lo: Int, _ hi: Int, _ ctx: inout Context, depth: Int) {
        guard depth < Self.maxDepth else { return }
        var i = lo
        var exportNext = false
        while i < hi {
            // Attributes.
            if f.isPunct(i, chHash) {
                var a = i + 1
                if f.isPunct(a, chBang) { a += 1 }
                if f.isPunct(a, chLBracket) {
                    let end = f.close(a)
                    if f.isWord(a + 1, "path") && f.isPunct(a + 2, chEq) { hasPathAttribute = true }
                    if f.isWord(a + 1, "macro_export") { exportNext = true }
                    i = end + 1
                    continue
                }
            }
            let start = i
            var visible = false
            if f.isWord(i, "pub") {
                i += 1
                if f.isPunct(i, chLParen) {
                    i = f.close(i) + 1
                } else {
                    visible = true
                }
            }
            while let w = f.ident(i) {
                if w == "unsafe" && f.isPunct(i + 1, chLBrace) { break }  // an unsafe block
                if w == "const" && !(f.isWord(i + 1, "fn") || f.isWord(i + 1, "unsafe") || f.isWord(i + 1, "async") || f.isWord(i + 1, "extern")) {
                    break  // a const item
                }
                guard ["const", "async", "unsafe", "default", "safe"].contains(w) else { break }
                i += 1
            }
            guard let word = f.ident(i) else {
                if f.isPunct(i, chLBrace) {
                    // A block at item level (inside a macro body): read through it.
                    let end = f.close(i)
                    items(f, i + 1, end, &ctx, depth: depth + 1)
                    i = end + 1
                } else {
                    i += 1
                }
                continue
            }
            switch word {
            case "use":
                let end = f.itemEnd(from: i)
                useTree(f, i + 1, end, isPub: visible, module: ctx.module)
                i = end + 1
            case "extern":
                if f.isWord(i + 1, "crate"), let name = f.ident(i + 2) {
                    var bound = name
                    if f.isWord(i + 3, "as"), let alias = f.ident(i + 4) { bound = alias }
                    externCrates.append((bound, name, visible, f.line(i)))
                    i = f.itemEnd(from: i) + 1
                } else {
                    // `extern "C" { … }` blocks hold function declarations; `extern "C" fn` is a function.
                    var k = i + 1
                    if k < f.count, f.tokens[k].kind.isStringLiteral { k += 1 }
                    if f.isPunct(k, chLBrace) {
                        let end = f.close(k)
                        var inner = ctx
                        inner.owner = nil
                        items(f, k + 1, end, &inner, depth: depth + 1)
                        i = end + 1
                    } else if f.isWord(k, "fn") {
                        i = function(f, k, ctx, visible: visible || ctx.inTrait || ctx.implTrait != nil, start: start)
                    } else {
                        i = k
                    }
                }
            case "mod":
                guard let name = f.ident(i + 1) else { i += 1; continue }
                if f.isPunct(i + 2, chLBrace) {
                    let end = f.close(i + 2)
                    var inner = Context(module: ctx.module + [name], owner: nil, implTrait: nil, inTrait: false)
                    items(f, i + 3, end, &inner, depth: depth + 1)
                    i = end + 1
                } else {
                    i += 2
                }
            case "fn":
                i = function(f, i, ctx, visible: visible || ctx.inTrait || ctx.implTrait != nil, start: start)
            case "impl":
                i = implBlock(f, i, &ctx, depth: depth)
            case "trait":
                guard let name = f.ident(i + 1) else { i += 1; continue }
                types.append(TypeDef(name: name, module: ctx.module, isTrait: true))
                var k = i + 2
                while k < hi && !f.isPunct(k, chLBrace) && !f.isPunct(k, chSemi) { k += 1 }
                if f.isPunct(k, chLBrace) {
                    let end = f.close(k)
                    var inner = Context(module: ctx.module, owner: name, implTrait: nil, inTrait: true)
                    items(f, k + 1, end, &inner, depth: depth + 1)
                    i = end + 1
                } else {
                    i = k + 1
                }
            case "struct", "enum", "union":
                let end = f.itemEnd(from: i)
                if let name = f.ident(i + 1) {
                    types.append(TypeDef(name: name, module: ctx.module, isTrait: false))
                    if word == "struct", f.isPunct(end, chRBrace), let open = f.open(end) { structFields(f, name, open + 1, end) }
                }
                i = end + 1
            case "type":
                let end = f.itemEnd(from: i)
                if let name = f.ident(i + 1) {
                    types.append(TypeDef(name: name, module: ctx.module, isTrait: false))
                    var k = i + 2
                    while k < end && !f.isPunct(k, chEq) { k += 1 }
                    if f.isPunct(k, chEq) {
                        let path = Self.path(f, k + 1, end)
                        if !path.isEmpty { typeAliases.append((name, path, f.line(i))) }
                    }
                }
                i = end + 1
            case "macro_rules":
                if f.isPunct(i + 1, chBang), let name = f.ident(i + 2) {
                    var k = i + 3
                    while k < hi && !(f.isPunct(k, chLBrace) || f.isPunct(k, chLParen) || f.isPunct(k, chLBracket)) { k += 1 }
                    let end = f.close(k)
                    macros.append(MacroDef(name: name, exported: exportNext, body: (k + 1)..<max(k + 1, end), line: f.line(i)))
                    exportNext = false
                    i = end + 1
                } else {
                    i += 1
                }
            default:
                if f.isPunct(i + 1, chBang) {
                    // A macro invocation at item level: its body may hold items.
                    var k = i + 2
                    if f.ident(k) != nil { k += 1 }
                    if f.isPunct(k, chLBrace) || f.isPunct(k, chLParen) || f.isPunct(k, chLBracket) {
                        let end = f.close(k)
                        items(f, k + 1, end, &ctx, depth: depth + 1)
                        i = end + 1
                        continue
                    }
                }
                i += 1
            }
        }
    }

    /// `name: Type,` pairs of a struct body.
    private mutating func structFields(_ f: RustFile, _ owner: String, _ lo: Int, _ hi: Int) {
        var k = lo
        while k < hi {
            if f.isPunct(k, chHash) && f.isPunct(k + 1, chLBracket) {
                k = f.close(k + 1) + 1
                continue
            }
            if f.isWord(k, "pub") {
                k += 1
                if f.isPunct(k, chLParen) { k = f.close(k) + 1 }
                continue
            }
            guard let name = f.ident(k), f.isPunct(k + 1, chColon), !f.isPunct(k + 2, chColon) else {
                k += 1
                continue
            }
            var j = k + 2
            var idents: [String] = []
            var depth = 0
            while j < hi {
                if f.isPunct(j, chLt) || f.isPunct(j, chLParen) || f.isPunct(j, chLBracket) { depth += 1 }
                if (f.isPunct(j, chGt) && !f.isPunct(j - 1, chMinus)) || f.isPunct(j, chRParen) || f.isPunct(j, chRBracket) { depth -= 1 }
                if depth <= 0 && f.isPunct(j, chComma) { break }
                if let w = f.ident(j) { idents.append(w) }
                j += 1
            }
            fields.append((owner, name, idents))
            k = j + 1
        }
    }

    private mutating func function(_ f: RustFile, _ at: Int, _ ctx: Context, visible: Bool, start: Int) -> Int {
        guard let name = f.ident(at + 1) else { return at + 1 }
        var k = at + 2
        var returns: [String] = []
        var inReturn = false
        var parameters = k..<k
        var hasSelf = false
        while k < f.count {
            if f.isPunct(k, chLParen) && parameters.isEmpty && !inReturn {
                let end = f.close(k)
                parameters = (k + 1)..<max(k + 1, end)
                var j = k + 1
                while j < end && (f.isPunct(j, 38) || f.isWord(j, "mut") || f.tokens[j].kind == .lifetime) { j += 1 }  // & 'a mut
                hasSelf = f.isWord(j, "self")
                k = end + 1
                continue
            }
            if f.isPunct(k, chLParen) || f.isPunct(k, chLBracket) {
                if inReturn { for j in k..<f.close(k) { if let w = f.ident(j) { returns.append(w) } } }
                k = f.close(k) + 1
                continue
            }
            if f.isPunct(k, chLBrace) || f.isPunct(k, chSemi) { break }
            if f.isPunct(k, chMinus) && f.isPunct(k + 1, chGt) {
                inReturn = true
                k += 2
                continue
            }
            if f.isWord(k, "where") { inReturn = false }
            if inReturn, let w = f.ident(k) { returns.append(w) }
            k += 1
        }
        var body = k..<k
        var next = k + 1
        if f.isPunct(k, chLBrace) {
            let end = f.close(k)
            body = (k + 1)..<max(k + 1, end)
            next = end + 1
        }
        fns.append(FnDef(name: name, owner: ctx.owner, implTrait: ctx.implTrait, inTrait: ctx.inTrait, visible: visible,
                         module: ctx.module, returns: returns, body: body, parameters: parameters, hasSelf: hasSelf, line: f.line(at),
                         testOnly: f.isTest(at) || f.isTest(start)))
        return next
    }

    /// `impl<…> [!]Trait<…> for Type<…> where … { … }` or `impl<…> Type<…> { … }`.
    private mutating func implBlock(_ f: RustFile, _ at: Int, _ ctx: inout Context, depth: Int) -> Int {
        var k = at + 1
        if f.isPunct(k, chLt) { k = f.skipAngles(k) }
        var header: [Int] = []
        while k < f.count && !f.isPunct(k, chLBrace) && !f.isPunct(k, chSemi) {
            header.append(k)
            k += 1
        }
        guard f.isPunct(k, chLBrace) else { return k + 1 }
        let end = f.close(k)
        // Split at `for` (at angle depth 0) and drop the `where` clause.
        var angle = 0
        var forAt: Int?
        var whereAt: Int?
        for j in header {
            if f.isPunct(j, chLt) { angle += 1 } else if f.isPunct(j, chGt) && !f.isPunct(j - 1, chMinus) { angle -= 1 }
            if angle == 0 && f.isWord(j, "for") && forAt == nil && !f.isPunct(j + 1, chLt) { forAt = j }
            if angle == 0 && f.isWord(j, "where") && whereAt == nil { whereAt = j }
        }
        let headEnd = whereAt ?? k
        var traitName: String?
        var typeLo = header.first ?? k
        if let forAt {
            traitName = Self.lastSegment(f, header.first ?? forAt, forAt)
            typeLo = forAt + 1
        }
        let owner = Self.lastSegment(f, typeLo, headEnd)
        if let owner {
            var assoc: [(name: String, idents: [String])] = []
            var j = k + 1
            while j < end {
                if f.isWord(j, "type"), let name = f.ident(j + 1) {
                    var e = j + 2
                    var idents: [String] = []
                    while e < end && !f.isPunct(e, chSemi) {
                        if let w = f.ident(e) { idents.append(w) }
                        e += 1
                    }
                    assoc.append((name, idents))
                    j = e
                } else if f.isPunct(j, chLBrace) {
                    j = f.close(j)  // skip bodies
                }
                j += 1
            }
            impls.append(ImplDef(type: owner, trait: traitName, associated: assoc))
        }
        var inner = Context(module: ctx.module, owner: owner, implTrait: traitName, inTrait: false)
        items(f, k + 1, end, &inner, depth: depth + 1)
        return end + 1
    }

    /// The last path segment before generic arguments in `[lo, hi)` (`a::b::Type<T>` → Type;
    /// `&mut Type` → Type).
    static func lastSegment(_ f: RustFile, _ lo: Int, _ hi: Int) -> String? {
        var last: String?
        var k = lo
        var angle = 0
        while k < hi {
            if f.isPunct(k, chLt) { angle += 1 }
            if f.isPunct(k, chGt) && !f.isPunct(k - 1, chMinus) { angle -= 1 }
            if angle == 0, let w = f.ident(k), !["dyn", "mut", "const", "unsafe", "for", "impl"].contains(w) {
                if f.isPunct(k - 1, chColon) && f.isPunct(k - 2, chColon) { last = w } else if last == nil || !f.isPathSep(k - 2) { last = w }
            }
            k += 1
        }
        return last
    }

    /// The path at `[lo, hi)` up to generic arguments (`a::b::C<T>` → [a, b, C]).
    static func path(_ f: RustFile, _ lo: Int, _ hi: Int) -> [String] {
        var out: [String] = []
        var k = lo
        if f.isPathSep(k) { k += 2 }
        while k < hi, let w = f.ident(k) {
            out.append(w)
            if f.isPathSep(k + 1) { k += 3 } else { break }
        }
        return out
    }

    // MARK: - use trees

    private mutating func useTree(_ f: RustFile, _ lo: Int, _ hi: Int, isPub: Bool, module: [String]) {
        var k = lo
        if f.isPathSep(k) { k += 2 }
        tree(f, &k, hi, prefix: [], isPub: isPub, module: module, depth: 0)
    }

    private mutating func tree(_ f: RustFile, _ k: inout Int, _ hi: Int, prefix: [String], isPub: Bool, module: [String], depth: Int) {
        guard depth < 64 else {
            k = hi
            return
        }
        var path = prefix
        while k < hi {
            if f.isPunct(k, chStar) {
                uses.append(UseBinding(name: nil, path: path, isGlob: true, isPub: isPub, line: f.line(k), module: module, testOnly: f.isTest(k)))
                k += 1
                return
            }
            if f.isPunct(k, chLBrace) {
                let end = f.close(k)
                k += 1
                while k < end {
                    tree(f, &k, end, prefix: path, isPub: isPub, module: module, depth: depth + 1)
                    while k < end && !f.isPunct(k, chComma) { k += 1 }
                    if f.isPunct(k, chComma) { k += 1 }
                }
                k = end + 1
                return
            }
            var word = f.ident(k)
            if word == nil && f.isPunct(k, chDollar) && f.isWord(k + 1, "crate") {
                word = "$crate"
                k += 1
            }
            guard let w = word else {
                k += 1
                return
            }
            let line = f.line(k)
            k += 1
            if f.isPathSep(k) {
                path.append(w)
                k += 2
                continue
            }
            var bound = w == "self" ? path.last : w
            let full = w == "self" ? path : path + [w]
            if f.isWord(k, "as"), let alias = f.ident(k + 1) {
                bound = alias
                k += 2
            } else if f.isWord(k, "as"), f.isPunct(k + 1, 95) {  // `as _`
                bound = nil
                k += 2
            }
            if let bound, bound != "_" {
                uses.append(UseBinding(name: bound, path: full, isGlob: false, isPub: isPub, line: line, module: module, testOnly: f.isTest(k - 1)))
            }
            return
        }
    }
}
