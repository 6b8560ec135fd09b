/// The search of one crate on the paths for what leads to the affected functions: every path in
/// its code is resolved through the names that stand for the vulnerable crate — the name its
/// manifest gives the dependency (renames included), `extern crate … as`, `use … as`, type aliases,
/// a dependency's re-exports, glob imports — and compared with the affected functions and every
/// function of the vulnerable crate that reaches one. Method calls `.x(` count as references when
/// the same file names the type that defines `x`, else as possible. Anything the search cannot
/// decide (a call through a trait, a macro or derive of the vulnerable crate, a glob it cannot
/// see into) is `unknown`, never "not referenced".
struct CrateSearch {
    let index: CrateIndex
    let crate: String
    let closure: AffectedClosure
    let vulnerable: CrateIndex?
    /// Name → paths inside the vulnerable crate it stands for, crate-wide (a `use` in one module
    /// can be reached from another through `crate::`, `super::` or `use super::*`).
    private(set) var aliases: [String: [[String]]]
    private(set) var globs: [[String]]
    let directDependent: Bool
    /// The parts of the crate that can name the vulnerable crate (its library and binaries for a
    /// normal dependency, its build script for a build-dependency, its tests for a dev-dependency).
    let parts: Set<CrateSource.Part>

    private(set) var references: [ReferenceResult.Evidence] = []
    private(set) var possible: [ReferenceResult.Evidence] = []
    private(set) var reasons: [String] = []
    private(set) var exports = Exports(names: [:], globs: [], isVulnerable: false)
    private var moduleNames: [String: Set<String>]?
    private var moduleHasGlob = Set<String>()
    /// Names the vulnerable crate makes available that may be macros (its exported `macro_rules!`
    /// and what it re-exports from other crates: derives and attributes live in proc-macro
    /// crates); nil when any name may be (no source, or a glob re-export of another crate).
    private var macroNames: Set<String>? = []
    private var localFields: [String: String] = [:]
    private var localTypes = Set<String>()
    /// The searching crate's types with a `Deref` impl (they may lead to the vulnerable crate's).
    private var localDerefs = Set<String>()

    init(index: CrateIndex, crate: String, closure: AffectedClosure, vulnerable: CrateIndex?, seeds: Exports, directDependent: Bool,
         parts: Set<CrateSource.Part>) {
        self.parts = parts
        self.index = index
        self.crate = crate
        self.closure = closure
        self.vulnerable = vulnerable
        aliases = seeds.names
        globs = seeds.globs
        self.directDependent = directDependent
    }

    mutating func run() {
        buildModuleNames()
        bind()
        localFields = computeLocalFields()
        for items in index.items {
            for t in items.types { localTypes.insert(t.name) }
            for im in items.impls where im.trait == "Deref" || im.trait == "DerefMut" { localDerefs.insert(im.type) }
        }
        for fi in index.files.indices where parts.contains(index.files[fi].part) { scan(fi) }
    }

    /// A binding that counts: not inside test-only code unless the crate's tests are searched.
    private func counts(_ u: RustItems.UseBinding) -> Bool { !u.testOnly || index.source.tests }

    // MARK: - Names

    private static func moduleLike(_ s: String) -> Bool {
        if ["crate", "self", "super", "$crate"].contains(s) { return true }
        guard let c = s.first else { return false }
        return c.isLowercase || c == "_"
    }

    private static func isType(_ s: String) -> Bool { s.first?.isUppercase ?? false }

    /// The paths inside the vulnerable crate that `segs` may denote (none: it does not lead there).
    func resolve(_ segs: [String]) -> [[String]] {
        var out: [[String]] = []
        var k = 0
        while k < segs.count && ["crate", "self", "super", "$crate"].contains(segs[k]) { k += 1 }
        var j = k
        while j < segs.count {
            if let targets = aliases[segs[j]] {
                let rest = Array(segs[(j + 1)...])
                for t in targets { out.append(t + rest) }
                return out
            }
            guard Self.moduleLike(segs[j]) else { break }
            j += 1
        }
        if k < segs.count {
            let first = segs[k]
            let rest = Array(segs[k...])
            for g in globs where globProvides(g, first) { out.append(g + rest) }
        }
        return out
    }

    /// Whether a glob import of `module` (a path inside the vulnerable crate) can bring `name` into
    /// scope. Without the vulnerable crate's source, or with modules moved by `#[path]`, any name.
    private func globProvides(_ module: [String], _ name: String) -> Bool {
        guard let moduleNames, vulnerable?.moduleMapUncertain == false else { return true }
        let key = module.joined(separator: "::")
        if moduleHasGlob.contains(key) { return true }
        return moduleNames[key]?.contains(name) ?? false
    }

    /// Per module of the vulnerable crate, the names it holds: items defined there, submodules,
    /// and its `use` bindings (re-exports included).
    private mutating func buildModuleNames() {
        guard let v = vulnerable else {
            macroNames = nil
            return
        }
        var names: [String: Set<String>] = [:]
        func add(_ module: [String], _ name: String) { names[module.joined(separator: "::"), default: []].insert(name) }
        for (fi, items) in v.items.enumerated() where v.files[fi].part == .library {
            let m = v.modules[fi]
            for p in 1...max(1, m.count) where p <= m.count { add(Array(m.prefix(p - 1)), m[p - 1]) }
            for t in items.types { add(t.module, t.name) }
            for f in items.fns where f.owner == nil { add(f.module, f.name) }
            for mac in items.macros where mac.exported { add([], mac.name) }
            for u in items.uses where u.isPub {
                let head = u.path.first ?? ""
                let local = ["crate", "self", "super", "$crate"].contains(head) || v.modules.contains { $0.first == head }
                    || items.fns.contains { $0.module.first == head }
                if !local {
                    if u.isGlob { macroNames = nil } else if let n = u.name { macroNames?.insert(n) }
                }
            }
            for mac in items.macros where mac.exported { macroNames?.insert(mac.name) }
            for u in items.uses {
                if u.isGlob { moduleHasGlob.insert(u.module.joined(separator: "::")) }
                if let n = u.name { add(u.module, n) }
                // inline modules
                for p in 1...max(1, u.module.count) where p <= u.module.count { add(Array(u.module.prefix(p - 1)), u.module[p - 1]) }
            }
            for f in items.fns {
                for p in 1...max(1, f.module.count) where p <= f.module.count { add(Array(f.module.prefix(p - 1)), f.module[p - 1]) }
            }
        }
        moduleNames = names
    }

    /// The crate's own bindings, to a fixed point: `use`, `extern crate … as`, `type X = …`.
    private mutating func bind() {
        var rounds = 0
        var changed = true
        while changed && rounds < 16 {
            changed = false
            rounds += 1
            for items in index.items {
                for e in items.externCrates {
                    for p in aliases[e.crate] ?? [] where p.isEmpty { changed = insert(e.bound, p) || changed }
                }
                for u in items.uses where !u.isGlob && counts(u) {
                    guard let name = u.name else { continue }
                    for p in resolve(u.path) { changed = insert(name, p) || changed }
                }
                for t in items.typeAliases {
                    for p in resolve(t.path) { changed = insert(t.name, p) || changed }
                }
            }
        }
        var globSet = Set(globs.map { $0.joined(separator: "::") })
        for items in index.items {
            for u in items.uses where u.isGlob && counts(u) {
                for p in resolve(u.path) where globSet.insert(p.joined(separator: "::")).inserted { globs.append(p) }
            }
        }
        // What this crate re-exports of the vulnerable crate, for its dependents.
        for items in index.items {
            for u in items.uses where u.isPub && counts(u) {
                let paths = resolve(u.path)
                if u.isGlob {
                    exports.globs += paths
                } else if let name = u.name, !paths.isEmpty {
                    exports.names[name, default: []] += paths
                }
            }
            for e in items.externCrates where e.isPub {
                if let p = aliases[e.crate], !p.isEmpty { exports.names[e.bound, default: []] += p }
            }
        }
    }

    private mutating func insert(_ name: String, _ path: [String]) -> Bool {
        var list = aliases[name] ?? []
        guard !list.contains(path), list.count < 64 else { return false }
        list.append(path)
        aliases[name] = list
        return true
    }

    // MARK: - Scan

    private func match(_ p: [String]) -> AffectedClosure.Item? {
        guard let last = p.last else { return nil }
        for i in closure.itemsByName[last] ?? [] {
            let item = closure.items[i]
            guard !item.isMacro, item.visible || item.implTrait != nil || item.foreignTrait else { continue }
            if let owner = item.owner {
                if p.count >= 2 && (p[p.count - 2] == owner || p[p.count - 2] == item.implTrait) { return item }
            } else if p.count == 1 || !Self.isType(p[p.count - 2]) {
                return item
            }
        }
        return nil
    }

    private func evidence(_ f: RustFile, _ i: Int, _ item: AffectedClosure.Item?, why: String?) -> ReferenceResult.Evidence {
        ReferenceResult.Evidence(crate: crate, file: f.path, line: f.line(i), code: f.snippet(i),
                                 reaches: item.map { $0.via.joined(separator: " -> ") } ?? "", why: why)
    }

    private mutating func scan(_ fi: Int) {
        let f = index.files[fi].file
        var typesNamed = Set<String>()
        var traitsNamed = !globs.isEmpty
        var methodCalls: [(Int, String)] = []
        var attrEnd = -1
        var attrStart = -1
        let generics = Self.genericParameters(f)
        let (fileTypes, fnTypes, fnAt) = environments(fi)
        var i = 0
        while i < f.count {
            if f.isTest(i) && !index.source.tests {
                i += 1
                continue
            }
            if f.isPunct(i, chHash) {
                let open = f.isPunct(i + 1, chBang) ? i + 2 : i + 1
                if f.isPunct(open, chLBracket) {
                    attrStart = open + 1
                    attrEnd = f.close(open)
                }
            }
            if f.isPunct(i, chDot), let w = f.ident(i + 1), f.isPunct(i + 2, chLParen) || f.isPathSep(i + 2) {
                if closure.methodNames.contains(w) {
                    let env = fnAt[i] >= 0 ? fnTypes[fnAt[i]] : fileTypes
                    methodCall(f, i, w, types: env, into: &methodCalls)
                }
                i += 2
                continue
            }
            // The start of a path: an identifier (or `$crate`, or a leading `::`) not inside one.
            var start = i
            if f.isPathSep(i) && f.ident(i + 2) != nil && f.ident(i - 1) == nil && !f.isPunct(i - 1, chGt) { start = i + 2 }
            let dollarCrate = f.isPunct(start, chDollar) && f.isWord(start + 1, "crate")
            guard f.ident(start) != nil || dollarCrate, !f.isPathSep(start - 2) || start == i + 2, !f.isPunct(start - 1, chDot) else {
                i += 1
                continue
            }
            var segs: [String] = []
            var k = start
            if dollarCrate {
                segs.append("$crate")
                k += 2
                if f.isPathSep(k) { k += 2 }
            }
            while let w = f.ident(k) {
                segs.append(w)
                k += 1
                if f.isPathSep(k) && f.isPunct(k + 2, chLt) {
                    k = f.skipAngles(k + 2)  // `::<…>`
                }
                guard f.isPathSep(k), f.ident(k + 2) != nil || (f.isPunct(k + 2, chDollar)) else { break }
                k += 2
            }
            let isMacro = f.isPunct(k, chBang) && !f.isPunct(k + 1, chEq)
            // Inside an attribute only its own path and the names a derive lists are macros.
            let inAttribute = i <= attrEnd
            let attributeMacro = inAttribute && (start == attrStart || Self.inDerive(f, start, attrStart))
                && !(start == attrStart && segs.count == 1 && Self.builtinAttributes.contains(segs[0]))
                && !(start != attrStart && segs.count == 1 && Self.builtinDerives.contains(segs[0]))
            if inAttribute && !attributeMacro {
                i = max(k, i + 1)
                continue
            }
            let resolved = resolve(segs)
            for p in resolved {
                for s in p where closure.ownerTypes.contains(s) { typesNamed.insert(s) }
                if let last = p.last, closure.definedTraits.contains(last) { traitsNamed = true }
                if isMacro {
                    if let last = p.last, let item = closure.itemsByName[last]?.map({ closure.items[$0] }).first(where: { $0.isMacro }) {
                        possible.append(evidence(f, start, item, why: "invokes the macro `\(last)!` of the vulnerable crate, which reaches an affected function"))
                    }
                } else if attributeMacro {
                    if let last = p.last, macroNames.map({ $0.contains(last) }) ?? true, !closure.items.isEmpty {
                        possible.append(evidence(f, start, nil, why: "the attribute or derive \(segs.joined(separator: "::")) comes from the vulnerable crate: its expansion is not visible"))
                    }
                } else if let item = match(p) {
                    if item.foreignTrait || item.carrier {
                        possible.append(evidence(f, start, item, why: item.carrier ? "makes a value whose trait impl reaches an affected function" :
                                                    "\(item.owner ?? "")'s \(item.implTrait ?? "trait") impl reaches an affected function; trait calls are not followed"))
                    } else if !item.precise {
                        possible.append(evidence(f, start, item, why: "reaches an affected function only through calls whose receiver could not be told"))
                    } else {
                        references.append(evidence(f, start, item, why: nil))
                    }
                }
            }
            // `T::parse(…)` on a generic parameter bounded by one of the crate's traits.
            if resolved.isEmpty && segs.count == 2 && !isMacro && generics.contains(segs[0]), let last = segs.last,
               let item = closure.itemsByName[last]?.map({ closure.items[$0] }).first(where: { ($0.implTrait != nil && !$0.foreignTrait) || closure.definedTraitOwner($0) }) {
                possible.append(evidence(f, start, item, why: "\(segs.joined(separator: "::")) may be the trait method \(item.label) called through a generic"))
            }
            if resolved.isEmpty && isMacro && directDependent, segs.count == 1,
               let item = closure.itemsByName[segs[0]]?.map({ closure.items[$0] }).first(where: { $0.isMacro && $0.visible }) {
                possible.append(evidence(f, start, item, why: "the macro `\(segs[0])!` may be the vulnerable crate's exported one (#[macro_use])"))
            }
            i = max(k, i + 1)
        }
        for (k, name) in methodCalls {
            let items = (closure.itemsByName[name] ?? []).map { closure.items[$0] }.filter { callableAsMethod($0, traitsNamed: traitsNamed) }
            if let item = items.first(where: { $0.precise && !$0.foreignTrait && !$0.carrier && closure.uniquelyNamed($0) && typesNamed.contains($0.owner ?? "") }) {
                references.append(evidence(f, k, item, why: nil))
            } else if let item = items.first {
                let owners = Array(Set(items.compactMap(\.owner))).sorted().prefix(4).joined(separator: ", ")
                possible.append(evidence(f, k, item, why: ".\(name)( is a method of \(owners) in the vulnerable crate; the receiver's type is not decided here"))
            }
        }
        for t in typesNamed.sorted() {
            for item in (closure.items.filter { $0.owner == t && $0.foreignTrait }).prefix(1) {
                possible.append(ReferenceResult.Evidence(crate: crate, file: f.path, line: 0, code: "", reaches: item.via.joined(separator: " -> "),
                                                         why: "uses \(t), whose \(item.implTrait ?? "trait") impl reaches an affected function; trait calls are not followed"))
            }
        }
    }

    /// A method call `.name(` at `dot`: decided by its receiver's type when the file tells it (a
    /// literal is no type of the vulnerable crate; a variable bound to one of its types is), else
    /// left for the end of the file (`methodCalls`).
    private mutating func methodCall(_ f: RustFile, _ dot: Int, _ name: String, types: ReceiverTypes, into pending: inout [(Int, String)]) {
        let receiver = types.receiver(at: dot)
        var type: String
        switch receiver {
        case .vulnerable(let t): type = t
        case .other(let t):
            // A standard type: only the crate's own trait impls for it can be called on it.
            guard (closure.itemsByName[name] ?? []).contains(where: { closure.items[$0].owner == t }) else { return }
            type = t
        case .local(let t):
            // The searching crate's own type: the vulnerable crate's inherent methods are out of
            // reach unless it derefs to something; its traits' methods are not.
            if localDerefs.contains(t) {
                pending.append((dot + 1, name))
            } else if (closure.itemsByName[name] ?? []).contains(where: { i in
                let it = closure.items[i]
                return (it.implTrait.map { closure.definedTraits.contains($0) } ?? false) || (it.owner.map { closure.definedTraits.contains($0) } ?? false)
            }) {
                pending.append((dot + 1, name))
            }
            return
        case .unknown:
            pending.append((dot + 1, name))
            return
        }
        if closure.model.traits.contains(type) {
            // Through a trait object or `impl Trait`: one of its implementations, not decided here.
            if let it = (closure.itemsByName[name] ?? []).map({ closure.items[$0] }).first(where: { callableAsMethod($0, traitsNamed: true) }) {
                possible.append(evidence(f, dot + 1, it, why: "called through the trait \(type): which implementation runs is not decided here"))
            }
            return
        }
        let items = (closure.itemsByName[name] ?? []).map { closure.items[$0] }
            .filter { it in it.owner.map { closure.model.method(of: type, matches: $0, implTrait: it.implTrait) || $0 == type } ?? false }
        guard let item = items.first(where: { $0.precise && !$0.foreignTrait && !$0.carrier }) ?? items.first else { return }
        if item.precise && !item.foreignTrait && !item.carrier {
            references.append(evidence(f, dot + 1, item, why: nil))
        } else {
            possible.append(evidence(f, dot + 1, item, why: "a \(type) reaches an affected function only through calls whose receiver could not be told"))
        }
    }

    /// Whether `.name(` with an unknown receiver may call the item: it takes `self`, and a trait
    /// method of the crate's own trait needs the trait in scope (the file names one of its traits,
    /// or imports a glob).
    private func callableAsMethod(_ it: AffectedClosure.Item, traitsNamed: Bool) -> Bool {
        guard it.owner != nil, it.hasSelf else { return false }
        let ownTrait = (it.implTrait.map { closure.definedTraits.contains($0) } ?? false) || (it.owner.map { closure.definedTraits.contains($0) } ?? false)
        return !ownTrait || traitsNamed
    }

    /// The receiver-type environments of a file: the whole file, and each function with its
    /// `self` type and parameters; `fnAt[i]` is the innermost function holding token i (-1: none).
    private func environments(_ fi: Int) -> (ReceiverTypes, [ReceiverTypes], [Int]) {
        let f = index.files[fi].file
        func make(_ selfType: String?) -> ReceiverTypes {
            var t = ReceiverTypes(file: f, model: closure.model, selfType: nil, typeOfPath: { [self] segs in self.vulnerableType(segs) },
                                  callType: { [self] segs in self.callType(segs) })
            t.localSelf = selfType
            t.localFields = localFields
            t.localTypes = localTypes
            return t
        }
        var file = make(nil)
        file.bind(0..<f.count)
        var envs: [ReceiverTypes] = []
        var fnAt = [Int](repeating: -1, count: f.count)
        for d in index.items[fi].fns.sorted(by: { $0.body.lowerBound < $1.body.lowerBound }) where !d.body.isEmpty {
            var env = make(d.owner)
            env.bind(d.parameters)
            env.bind(d.body)
            for k in d.body where k >= 0 && k < fnAt.count { fnAt[k] = envs.count }
            envs.append(env)
        }
        return (file, envs, fnAt)
    }

    /// The searching crate's struct fields whose type is one of the vulnerable crate's.
    private func computeLocalFields() -> [String: String] {
        var out: [String: String] = [:]
        for items in index.items {
            for fl in items.fields {
                for w in fl.idents where w.first?.isUppercase == true {
                    if let t = vulnerableType([w]) {
                        out["\(fl.owner)\u{0}\(fl.field)"] = t
                        break
                    }
                }
            }
        }
        return out
    }

    /// The vulnerable crate's type a path names, if any.
    private func vulnerableType(_ segs: [String]) -> String? {
        for p in resolve(segs) { if let last = p.last, closure.model.defined.contains(last) { return last } }
        return nil
    }

    /// What a path call into the vulnerable crate returns, when its signatures say.
    private func callType(_ segs: [String]) -> String? {
        for p in resolve(segs) {
            guard let last = p.last else { continue }
            if p.count >= 2, closure.model.defined.contains(p[p.count - 2]) {
                if let t = closure.model.returnType(owner: p[p.count - 2], name: last) { return t }
            } else if let t = closure.model.returnType(owner: nil, name: last) {
                return t
            }
        }
        return nil
    }

    /// Attributes the compiler itself defines: never a crate's macro.
    static let builtinAttributes: Set<String> = ["cfg", "cfg_attr", "derive", "allow", "warn", "deny", "forbid", "deprecated",
                                                 "must_use", "doc", "inline", "cold", "test", "ignore", "should_panic", "repr",
                                                 "path", "macro_use", "macro_export", "non_exhaustive", "automatically_derived",
                                                 "no_mangle", "link", "link_name", "export_name", "used", "track_caller",
                                                 "feature", "recursion_limit", "crate_type", "crate_name", "no_std", "no_main",
                                                 "global_allocator", "target_feature", "proc_macro", "proc_macro_derive",
                                                 "proc_macro_attribute", "rustfmt", "clippy", "expect", "debugger_visualizer",
                                                 "unsafe", "diagnostic", "windows_subsystem", "bench", "global_asm", "naked"]

    /// The standard library's derives.
    static let builtinDerives: Set<String> = ["Debug", "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default"]

    /// Names declared as generic parameters in the file (`<T: Trait>`, `<R, W>`, `where T:`).
    static func genericParameters(_ f: RustFile) -> Set<String> {
        var out: Set<String> = ["Self"]
        for k in 0..<f.count where f.isPunct(k, chLt) {
            // Declarations only: `impl<…>`, `fn f<…>`, `struct S<…>`, `enum`, `trait`, `type`, `union`.
            let declares = f.isWord(k - 1, "impl") || (f.ident(k - 1) != nil && ["fn", "struct", "enum", "trait", "type", "union"].contains { f.isWord(k - 2, $0) })
            guard declares else { continue }
            var j = k + 1
            var depth = 1
            while j < f.count && depth > 0 {
                if f.isPunct(j, chLt) { depth += 1 }
                if f.isPunct(j, chGt) && !f.isPunct(j - 1, chMinus) { depth -= 1 }
                if depth == 1, let w = f.ident(j), f.isPunct(j - 1, chLt) || f.isPunct(j - 1, chComma) { out.insert(w) }
                if f.isPunct(j, chLBrace) || f.isPunct(j, chSemi) { break }
                j += 1
            }
        }
        return out
    }

    /// Whether token `i` is a name listed in `#[derive(…)]` whose contents start at `attrStart`.
    static func inDerive(_ f: RustFile, _ i: Int, _ attrStart: Int) -> Bool {
        guard f.isWord(attrStart, "derive"), f.isPunct(attrStart + 1, chLParen) else { return false }
        return i > attrStart + 1 && i < f.close(attrStart + 1) && (f.isPunct(i - 1, chLParen) || f.isPunct(i - 1, chComma))
    }
}

extension AffectedClosure {
    /// A method declared in a trait the vulnerable crate defines (`trait Parsable { fn parse }`).
    func definedTraitOwner(_ item: Item) -> Bool {
        guard let owner = item.owner, item.implTrait == nil else { return false }
        return definedTraits.contains(owner)
    }
}
