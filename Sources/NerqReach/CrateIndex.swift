/// A crate's source read once for the reference search: its files and the items of each, with
/// each file's module path.
final class CrateIndex: @unchecked Sendable {  // built once, then only read
    let source: CrateSource
    let items: [RustItems]
    let modules: [[String]]
    /// A `#[path]` attribute moves modules: module paths taken from file names are not reliable.
    let moduleMapUncertain: Bool

    init(_ source: CrateSource) {
        self.source = source
        var items: [RustItems] = []
        var modules: [[String]] = []
        for sf in source.files {
            let module = CrateSource.modulePath(of: sf.relative)
            modules.append(module)
            items.append(RustItems(sf.file, module: module))
        }
        self.items = items
        self.modules = modules
        moduleMapUncertain = items.contains { $0.hasPathAttribute }
    }

    var files: [CrateSource.SourceFile] { source.files }

    /// What one function body or macro body names: methods called (`.x(`), qualified pairs
    /// (`A::x`), bare identifiers (`x`, not after `.` or `::`), and macros invoked (`m!`).
    struct Mentions {
        var methods = Set<String>()
        /// Each method call with its receiver's type when it could be told.
        var methodSites: [(name: String, receiver: String?)] = []
        var qualified = Set<String>()  // "A\u{0}x"
        var bare = Set<String>()
        var macros = Set<String>()

        var names: Set<String> {
            var all = methods.union(bare).union(macros)
            for q in qualified { if let sep = q.firstIndex(of: "\u{0}") { all.insert(String(q[q.index(after: sep)...])) } }
            return all
        }
    }

    /// The mentions in `range` of file `file` (test-only tokens skipped unless `tests`).
    func mentions(file: Int, _ range: Range<Int>, tests: Bool = false, types: ReceiverTypes? = nil) -> Mentions {
        var m = Mentions()
        guard file >= 0, file < files.count else { return m }
        let f = files[file].file
        var k = max(0, range.lowerBound)
        let hi = min(range.upperBound, f.count)
        while k < hi {
            guard let w = f.ident(k), tests || !f.isTest(k) else {
                k += 1
                continue
            }
            if f.isPunct(k - 1, chDot) {
                if f.isPunct(k + 1, chLParen) || f.isPathSep(k + 1) {
                    m.methods.insert(w)
                    var receiver: String?
                    if let types, case .vulnerable(let t) = types.receiver(at: k - 1) { receiver = t }
                    m.methodSites.append((w, receiver))
                }
            } else if f.isPathSep(k - 2) && f.isPunct(k - 1, chColon) {
                if let a = f.ident(k - 3) {
                    m.qualified.insert(a + "\u{0}" + w)
                } else if f.isPunct(k - 3, chGt) {
                    m.qualified.insert(">\u{0}" + w)  // `<T as Trait>::x`
                }
            } else if f.isPunct(k + 1, chBang) && !f.isPunct(k + 2, chEq) {
                m.macros.insert(w)
            } else {
                m.bare.insert(w)
            }
            k += 1
        }
        return m
    }
}
