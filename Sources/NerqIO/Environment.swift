#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The environment variables nerq reads, captured once when an engine is created (so that one
/// engine's answers never change with the process environment, and an engine-less call reads
/// none). Every default location nerq uses is derived here, in one place.
public struct Environment: Sendable, Equatable {
    /// Every variable nerq reads, and nothing else.
    public static let names = [
        "HOME", "CARGO_HOME", "XDG_CACHE_HOME", "NERQ_ADVISORY_DB", "NERQ_CACHE_DIR",
        "NERQ_ADVISORY_DB_URL", "NERQ_OSV_URL", "NERQ_INDEX_URL", "NERQ_DB_DUMP_URL", "CARGO_NET_OFFLINE",
    ]

    /// Name and value of each variable that is set and not empty, in `names` order.
    public private(set) var values: [(name: String, value: String)]

    public static func == (a: Environment, b: Environment) -> Bool {
        a.values.map(\.name) == b.values.map(\.name) && a.values.map(\.value) == b.values.map(\.value)
    }

    /// The given variables (for tests and for hosts that configure nerq without a process
    /// environment); unknown names are kept too.
    public init(_ values: [(String, String)] = []) {
        self.values = values.filter { !$0.1.isEmpty }.map { (name: $0.0, value: $0.1) }
    }

    /// The process environment's values of `names`, read now.
    public static func process() -> Environment {
        var captured: [(String, String)] = []
        for name in names {
            guard let v = getenv(name), let s = String(validatingCString: v), !s.isEmpty else { continue }
            captured.append((name, s))
        }
        return Environment(captured)
    }

    public subscript(name: String) -> String? { values.first { $0.name == name }?.value }

    /// `$CARGO_HOME`, else `$HOME/.cargo`.
    public var cargoHome: String? {
        if let c = self["CARGO_HOME"] { return c }
        return self["HOME"].map { Files.join($0, ".cargo") }
    }

    /// `$XDG_CACHE_HOME`, else `$HOME/.cache`.
    public var cacheHome: String? {
        if let c = self["XDG_CACHE_HOME"] { return c }
        return self["HOME"].map { Files.join($0, ".cache") }
    }

    /// Where nerq keeps what it builds or fetches: `$NERQ_CACHE_DIR`, else `<cache home>/nerq`.
    public var nerqCache: String? {
        if let c = self["NERQ_CACHE_DIR"] { return c }
        return cacheHome.map { Files.join($0, "nerq") }
    }
}
