/// The vulnerable crate's side of the search: the advisory's affected functions found in the
/// crate's own source, and every function and macro of the crate that calls one of them, directly
/// or through others (a name-based call graph: a method call `.x(` counts as a call of every `x`
/// the crate defines, so it over-approximates; nothing that does call an affected function is
/// left out). A dependent that names any of these reaches the affected code.
struct AffectedClosure {
    struct Item: Equatable {
        /// The type (impl block) or trait it belongs to; nil for a free function or a macro.
        var owner: String?
        var name: String
        /// The trait an `impl Trait for Type` block implements (nil for inherent methods).
        var implTrait: String?
        var isMacro = false
        /// Callable from another crate (`pub`, a trait method, an exported macro).
        var visible: Bool
        /// Calls into it happen through a trait the crate does not define (`Read`, `Drop`,
        /// `FromStr`, …): a dependent using the type may call it without naming it.
        var foreignTrait: Bool
        /// It only creates a value whose foreign-trait impl reaches the affected code.
        var carrier = false
        /// Every step from it to the affected function is a call nerq could tell: qualified
        /// (`Type::f`, `Self::f`, a free function), on a receiver of known type, or of a method
        /// name only one type defines and that is not a common name. Only precise items make a
        /// finding `referenced`; the others make it `unknown`.
        var precise = true
        /// Takes `self`.
        var hasSelf = false
        /// `Type::name` (or `name`, `name!`).
        var label: String { isMacro ? name + "!" : (owner.map { "\($0)::\(name)" } ?? name) }
        /// How it reaches an affected function (`connect -> into_ssl -> set_host`).
        var via: [String]
    }

    /// One affected function of the advisory, as found (or not) in the crate.
    struct Target {
        var path: String
        var owner: String?
        var name: String
        var found: Bool
        /// When the type is missing but the name exists on other types (a renamed type: zerocopy
        /// 0.6's `LayoutVerified` for the advisory's `Ref`).
        var standIns: [String]
    }

    var targets: [Target] = []
    var items: [Item] = []
    /// Method names of items with an owner (`.x(` may call them).
    var methodNames = Set<String>()
    var itemsByName: [String: [Int]] = [:]
    /// Owner types of the items.
    var ownerTypes = Set<String>()
    /// Types the crate defines (for the glob and path checks).
    var definedTypes = Set<String>()
    /// Traits the crate defines.
    var definedTraits = Set<String>()
    /// The crate's types, for receiver types.
    var model = TypeModel()
    /// Cut short at `maxItems`: the search must answer `unknown` rather than `not referenced`.
    var truncated = false
    private var keys = Set<String>()

    static let maxItems = 20_000

    /// `crate::module::Type::method` or `crate::module::function` → (owner, name).
    static func split(_ path: String) -> (crate: String, modules: [String], owner: String?, name: String)? {
        let segs = path.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        guard segs.count >= 2, let name = segs.last, let crate = segs.first else { return nil }
        let middle = Array(segs.dropFirst().dropLast())
        if let last = middle.last, let c = last.first, c.isUppercase {
            return (crate, Array(middle.dropLast()), last, name)
        }
        return (crate, middle, nil, name)
    }

    init(index: CrateIndex?, functions: [String]) {
        for path in functions {
            guard let s = Self.split(path) else { continue }
            targets.append(Target(path: path, owner: s.owner, name: s.name, found: false, standIns: []))
        }
        guard let index else { return }
        model = TypeModel(index)
        // Every function definition of the library (and build script), outside test code.
        var defs: [(file: Int, def: RustItems.FnDef)] = []
        var traits = Set<String>()
        for (fi, items) in index.items.enumerated() where index.files[fi].part == .library {
            for t in items.types {
                definedTypes.insert(t.name)
                if t.isTrait { traits.insert(t.name) }
            }
            for d in items.fns where !d.testOnly { defs.append((fi, d)) }
        }
        definedTraits = traits
        for ta in index.items.enumerated().filter({ index.files[$0.offset].part == .library }).flatMap({ $0.element.typeAliases }) {
            definedTypes.insert(ta.name)
        }
        // The affected functions themselves.
        for (t, target) in targets.enumerated() {
            let matches = defs.filter { d in
                d.def.name == target.name && (target.owner == nil ? d.def.owner == nil : d.def.owner == target.owner)
            }
            if !matches.isEmpty {
                targets[t].found = true
                for m in matches { add(item(m.def, traits: traits, via: [target.path])) }
                continue
            }
            if target.owner != nil {
                // The type is not there under that name; the method may be, on a renamed type
                // (only for a name few types define: `new` on every type says nothing).
                let others = defs.filter { $0.def.name == target.name && $0.def.owner != nil }
                let owners = Array(Set(others.compactMap { $0.def.owner })).sorted()
                if !owners.isEmpty && owners.count <= 3 && !Self.commonMethods.contains(target.name) {
                    targets[t].standIns = owners
                    for m in others {
                        var it = item(m.def, traits: traits, via: [target.path + " (as \(m.def.owner ?? "?")::\(target.name))"])
                        it.precise = false
                        add(it)
                    }
                }
            }
        }
        // Callers, to a fixed point: a reverse index from each name to the functions mentioning it.
        var mentions: [CrateIndex.Mentions] = []
        var byName: [String: [Int]] = [:]
        for (k, d) in defs.enumerated() {
            var types = ReceiverTypes(file: index.files[d.file].file, model: model, selfType: d.def.owner,
                                      typeOfPath: { [model] segs in segs.last.flatMap { model.defined.contains($0) ? $0 : nil } },
                                      callType: { [model] segs in Self.callType(segs, owner: d.def.owner, model) })
            types.bind(d.def.parameters)
            types.bind(d.def.body)
            let m = index.mentions(file: d.file, d.def.body, types: types)
            mentions.append(m)
            for n in m.names { byName[n, default: []].append(k) }
        }
        var macroDefs: [(file: Int, def: RustItems.MacroDef)] = []
        for (fi, items) in index.items.enumerated() where index.files[fi].part == .library {
            for m in items.macros { macroDefs.append((fi, m)) }
        }
        var macroMentions: [CrateIndex.Mentions] = []
        var macroByName: [String: [Int]] = [:]
        for (k, d) in macroDefs.enumerated() {
            let m = index.mentions(file: d.file, d.def.body)
            macroMentions.append(m)
            for n in m.names { macroByName[n, default: []].append(k) }
        }
        var inClosure = [Bool](repeating: false, count: defs.count)
        var macroIn = [Bool](repeating: false, count: macroDefs.count)
        let seeded = Set(items.filter { !$0.isMacro }.map { "\($0.owner ?? "")\u{0}\($0.name)" })
        for (k, d) in defs.enumerated() where seeded.contains("\(d.def.owner ?? "")\u{0}\(d.def.name)") { inClosure[k] = true }
        var queue = Array(items.indices)
        var head = 0
        var indexOfDef = [Int?](repeating: nil, count: defs.count)
        for (k, d) in defs.enumerated() {
            indexOfDef[k] = items.firstIndex { !$0.isMacro && $0.owner == d.def.owner && $0.name == d.def.name }
        }
        while head < queue.count && !truncated {
            let it = items[queue[head]]
            head += 1
            for k in byName[it.name] ?? [] {
                let (call, precise) = calls(mentions[k], caller: defs[k].def, it)
                guard call else { continue }
                let stepPrecise = precise && it.precise
                if let existing = indexOfDef[k] {
                    // Reached again: a precise route upgrades an imprecise item (once).
                    if stepPrecise && !items[existing].precise {
                        items[existing].precise = true
                        items[existing].via = [Self.defLabel(defs[k].def)] + it.via
                        queue.append(existing)
                    }
                    continue
                }
                inClosure[k] = true
                let d = defs[k].def
                var new = item(d, traits: traits, via: [Self.defLabel(d)] + it.via)
                new.precise = stepPrecise
                if add(new) {
                    indexOfDef[k] = items.count - 1
                    queue.append(items.count - 1)
                }
            }
            for k in macroByName[it.name] ?? [] where !macroIn[k] && calls(macroMentions[k], caller: nil, it).0 {
                macroIn[k] = true
                let d = macroDefs[k].def
                if add(Item(owner: nil, name: d.name, implTrait: nil, isMacro: true, visible: d.exported, foreignTrait: false,
                            precise: it.precise, via: [d.name + "!"] + it.via)) { queue.append(items.count - 1) }
            }
            if items.count > Self.maxItems { truncated = true }
        }
        // Values of a type whose foreign-trait impl reaches the affected code (a `Drop`, a `Read`)
        // are made by the functions that return the type: calling one can lead there too.
        let carried = Set(items.filter { $0.foreignTrait && $0.hasSelf }.compactMap(\.owner))
        if !carried.isEmpty {
            for (k, d) in defs.enumerated() where !inClosure[k] && d.def.visible && d.def.returns.contains(where: carried.contains) {
                inClosure[k] = true
                var it = item(d.def, traits: traits, via: [Self.defLabel(d.def)] + ["returns \(d.def.returns.first(where: carried.contains) ?? "")"])
                it.carrier = true
                it.precise = false
                add(it)
            }
        }
    }

    static func defLabel(_ d: RustItems.FnDef) -> String { d.owner.map { "\($0)::\(d.name)" } ?? d.name }

    private func item(_ d: RustItems.FnDef, traits: Set<String>, via: [String]) -> Item {
        let foreign = d.implTrait.map { !traits.contains($0) } ?? false
        return Item(owner: d.owner, name: d.name, implTrait: d.implTrait, visible: d.visible, foreignTrait: foreign, hasSelf: d.hasSelf,
                    via: via)
    }

    @discardableResult
    private mutating func add(_ it: Item) -> Bool {
        let key = "\(it.owner ?? "")\u{0}\(it.name)\u{0}\(it.isMacro)\u{0}\(it.implTrait ?? "")"
        guard keys.insert(key).inserted else { return false }
        itemsByName[it.name, default: []].append(items.count)
        items.append(it)
        if let o = it.owner {
            methodNames.insert(it.name)
            ownerTypes.insert(o)
        }
        return true
    }

    /// Whether code with these mentions, inside `caller`, may call `it`, and whether surely so.
    private func calls(_ m: CrateIndex.Mentions, caller: RustItems.FnDef?, _ it: Item) -> (Bool, Bool) {
        if it.isMacro { return (m.macros.contains(it.name), true) }
        if let owner = it.owner {
            for q in [owner, it.implTrait, ">", caller?.owner == owner ? "Self" : nil].compactMap({ $0 }) where m.qualified.contains(q + "\u{0}" + it.name) {
                return (true, q != ">")
            }
            // `Self::x` inside a trait's default method may call any implementation.
            if caller?.inTrait == true, it.implTrait == caller?.owner, m.qualified.contains("Self\u{0}" + it.name) { return (true, false) }
            var call = false
            var precise = false
            for site in m.methodSites where site.name == it.name {
                if let r = site.receiver {
                    if model.method(of: r, matches: owner, implTrait: it.implTrait) {
                        call = true
                        precise = true
                    }
                } else {
                    call = true
                    if uniquelyNamed(it) { precise = true }
                }
            }
            return (call, precise)
        }
        if m.bare.contains(it.name) { return (true, true) }
        let q = m.qualified.contains { q in
            guard let sep = q.firstIndex(of: "\u{0}"), q[q.index(after: sep)...] == it.name else { return false }
            let a = q[..<sep]
            return a.first.map { !$0.isUppercase } ?? true  // a module path, not a type
        }
        return (q, true)
    }

    /// A method only one type of the crate defines, under a name that is not common: a call of
    /// that name with an unknown receiver is taken to be it.
    func uniquelyNamed(_ it: Item) -> Bool {
        !it.foreignTrait && !Self.commonMethods.contains(it.name) && (model.methodOwners[it.name]?.count ?? 0) <= 1
    }

    /// What a path call returns (for receiver types inside the crate).
    static func callType(_ segs: [String], owner: String?, _ model: TypeModel) -> String? {
        guard let last = segs.last else { return nil }
        if segs.count >= 2 {
            var o = segs[segs.count - 2]
            if o == "Self", let owner { o = owner }
            if model.defined.contains(o) { return model.returnType(owner: o, name: last) }
            return o.first?.isUppercase == true ? nil : model.returnType(owner: nil, name: last)
        }
        return model.returnType(owner: nil, name: last)
    }

    /// Method names so common (std traits, collections, builders) that a call by name alone says
    /// nothing about which type it is on.
    static let commonMethods: Set<String> = [
        "new", "default", "from", "into", "try_from", "try_into", "clone", "clone_from", "to_owned", "to_string", "as_ref",
        "as_mut", "borrow", "borrow_mut", "deref", "deref_mut", "drop", "eq", "ne", "cmp", "partial_cmp", "hash", "fmt",
        "read", "write", "flush", "read_exact", "read_to_end", "read_to_string", "write_all", "write_fmt", "seek",
        "next", "next_back", "size_hint", "iter", "iter_mut", "into_iter", "len", "is_empty", "get", "get_mut", "set",
        "insert", "remove", "push", "pop", "contains", "clear", "extend", "map", "and_then", "unwrap", "expect", "ok",
        "err", "find", "filter", "collect", "parse", "build", "finish", "update", "reset", "start", "run", "call", "send",
        "recv", "connect", "accept", "bind", "close", "shutdown", "lock", "take", "replace", "split", "join", "open", "load",
        "store", "poll", "poll_next", "poll_read", "poll_write", "poll_flush", "poll_close", "poll_shutdown", "poll_ready",
        "encode", "decode", "serialize", "deserialize", "with_capacity", "as_str", "as_bytes", "as_slice", "as_ptr",
        "to_vec", "index", "index_mut", "add", "sub", "mul", "div", "neg", "not", "apply", "handle", "process", "init",
        "value", "key", "name", "kind", "data", "inner", "into_inner", "get_ref", "error", "source", "description",
    ]
}
