import NerqJSON

/// A target platform as cargo sees it: its triple and the cfg set `rustc --print cfg --target T`
/// prints (`unix`, `target_os="linux"`, …). `[target.'cfg(…)']` tables are evaluated against it.
public struct TargetPlatform: Sendable, Equatable {
    public var triple: String
    /// `name` entries.
    private var names: Set<String>
    /// `key=value` entries.
    private var pairs: Set<String>

    /// A platform from `rustc --print cfg` lines (`name` or `key="value"`).
    public init(triple: String, cfg lines: [String]) {
        self.triple = triple
        var names = Set<String>()
        var pairs = Set<String>()
        for raw in lines {
            let line = raw.trimmingSpaces
            guard !line.isEmpty else { continue }
            if let eq = line.firstIndex(of: "=") {
                var value = String(line[line.index(after: eq)...]).trimmingSpaces
                if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                pairs.insert(String(line[..<eq]).trimmingSpaces + "=" + value)
            } else {
                names.insert(line)
            }
        }
        self.names = names
        self.pairs = pairs
    }

    public func has(_ name: String) -> Bool { names.contains(name) }
    public func has(_ key: String, _ value: String) -> Bool { pairs.contains(key + "=" + value) }

    /// A target nerq knows by name (tools/gen_target_cfgs.py), else nil.
    public static func known(_ triple: String) -> TargetPlatform? {
        guard let e = TargetTable.entries.first(where: { $0.triple == triple }) else { return nil }
        return TargetPlatform(triple: e.triple, cfg: e.cfg.split(separator: "|").map(String.init))
    }

    /// The triples nerq knows by name, sorted.
    public static var knownTriples: [String] { TargetTable.entries.map(\.triple).sorted() }

    /// The rustc the table was taken from.
    public static var tableSource: String { TargetTable.rustc }

    /// The platform this library was built for: cargo's host when nerq runs beside it.
    public static var buildHost: String {
        #if os(Linux) && arch(x86_64)
        return "x86_64-unknown-linux-gnu"
        #elseif os(Linux) && arch(arm64)
        return "aarch64-unknown-linux-gnu"
        #elseif os(macOS) && arch(arm64)
        return "aarch64-apple-darwin"
        #elseif os(macOS) && arch(x86_64)
        return "x86_64-apple-darwin"
        #elseif os(Windows) && arch(x86_64)
        return "x86_64-pc-windows-msvc"
        #else
        return "x86_64-unknown-linux-gnu"
        #endif
    }
}

/// What the compiled set is computed for: one platform, or every platform at once (cargo's
/// `--target all`: no `[target.…]` table is filtered, features of every platform unify).
public enum TargetSelection: Sendable, Equatable {
    case platform(TargetPlatform)
    case all

    public var name: String {
        switch self {
        case .platform(let p): return p.triple
        case .all: return "all"
        }
    }

    /// Reads `"triple"`, `"all"` or `{"triple": "...", "cfg": ["unix", "target_os=\"linux\"", ...]}`.
    public static func read(_ r: JSONReader) throws(NerqError) -> TargetSelection {
        if case .string(let s) = r.value {
            if s == "all" { return .all }
            guard let p = TargetPlatform.known(s) else {
                throw NerqError(.invalidValue,
                                "unknown target \"\(s)\": give it as {\"triple\": \"\(s)\", \"cfg\": [...]} with the lines of `rustc --print cfg --target \(s)` (known: \(TargetPlatform.knownTriples.joined(separator: ", ")))",
                                path: r.path)
            }
            return .platform(p)
        }
        let o = try r.object()
        try o.rejectUnknownKeys(known: ["triple", "cfg"])
        let triple = try o.required("triple").nonEmptyString()
        return .platform(TargetPlatform(triple: triple, cfg: try o.required("cfg").strings()))
    }

    /// Whether a dependency for `spec` is built on this selection (every one is, for `all`).
    func allows(_ spec: PlatformSpec?) -> Bool {
        guard let spec else { return true }
        switch self {
        case .all: return true
        case .platform(let p): return spec.holds(for: p)
        }
    }
}
