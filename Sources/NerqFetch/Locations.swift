// Where each data source comes from and where it lives on disk: one answer for the fetcher (where
// to put it) and the engine (where to read it). Each location has a default, an environment
// variable and an engine configuration key; the configuration wins over the variable.

import NerqIO
import NerqJSON

public struct DataLocations: Sendable, Equatable {
    /// The repository cargo-audit clones (rustsec `repository::git::DEFAULT_URL`).
    public static let defaultAdvisoryDBURL = "https://github.com/RustSec/advisory-db.git"
    /// OSV.dev's export of every crates.io record (RUSTSEC-, GHSA- and MAL- ids), one `<ID>.json`
    /// per record in a zip (google/osv.dev docs/data.md, "Data dumps").
    public static let defaultOSVURL = "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip"
    /// crates.io's sparse index (cargo's `CRATES_IO_HTTP_INDEX`).
    public static let defaultIndexURL = "https://index.crates.io/"
    /// crates.io's daily database dump.
    public static let defaultDumpURL = "https://static.crates.io/db-dump.tar.gz"

    public let environment: Environment
    /// Where fetched data lives: `cache_dir`, else `$NERQ_CACHE_DIR`, else `$XDG_CACHE_HOME/nerq`
    /// (`~/.cache/nerq`); nil without any of them.
    public let cacheDirectory: String?
    /// An advisory database named explicitly (`advisory_db`, else `$NERQ_ADVISORY_DB`).
    public let advisoryDB: String?
    public let advisoryDBURL: String
    public let osvURL: String
    public let indexURL: String
    public let dumpURL: String

    public init(environment: Environment, cacheDirectory: String? = nil, advisoryDB: String? = nil, advisoryDBURL: String? = nil,
                osvURL: String? = nil, indexURL: String? = nil, dumpURL: String? = nil) {
        self.environment = environment
        self.cacheDirectory = cacheDirectory ?? environment.nerqCache
        self.advisoryDB = advisoryDB ?? environment["NERQ_ADVISORY_DB"]
        self.advisoryDBURL = advisoryDBURL ?? environment["NERQ_ADVISORY_DB_URL"] ?? DataLocations.defaultAdvisoryDBURL
        self.osvURL = osvURL ?? environment["NERQ_OSV_URL"] ?? DataLocations.defaultOSVURL
        self.indexURL = DataLocations.indexRoot(indexURL ?? environment["NERQ_INDEX_URL"] ?? DataLocations.defaultIndexURL)
        self.dumpURL = dumpURL ?? environment["NERQ_DB_DUMP_URL"] ?? DataLocations.defaultDumpURL
    }

    /// The configuration keys (shared by the engine configuration and fetch requests) read by
    /// `read(_:environment:)`.
    public static let configKeys = ["cache_dir", "advisory_db", "advisory_db_url", "osv_url", "index_url", "db_dump_url"]

    /// The locations a configuration object names (unknown keys are the caller's business).
    public static func read(_ o: ObjectReader, environment: Environment) throws(NerqError) -> DataLocations {
        func path(_ key: String) throws(NerqError) -> String? {
            try o.optional(key).map { r throws(NerqError) in try Files.path(r) }
        }
        func url(_ key: String) throws(NerqError) -> String? {
            guard let r = o.optional(key) else { return nil }
            let s = try r.nonEmptyString()
            guard !s.utf8.contains(0), s.contains("://") || s.hasPrefix("/") || s.contains("@") else {
                throw NerqError(.invalidValue, "expected a URL, found \"\(s)\"", path: r.path)
            }
            return s
        }
        return DataLocations(environment: environment, cacheDirectory: try path("cache_dir"), advisoryDB: try path("advisory_db"),
                             advisoryDBURL: try url("advisory_db_url"), osvURL: try url("osv_url"), indexURL: try url("index_url"),
                             dumpURL: try url("db_dump_url"))
    }

    /// A sparse index root as cargo writes it: `sparse+` dropped, one trailing slash.
    static func indexRoot(_ url: String) -> String {
        var u = url.hasPrefix("sparse+") ? String(url.dropFirst(7)) : url
        while u.hasSuffix("//") { u.removeLast() }
        return u.hasSuffix("/") ? u : u + "/"
    }

    // MARK: - The advisory database

    /// Whether the advisory database URL names a tarball of the tree rather than a git repository.
    public var advisoryDBIsTarball: Bool { DataLocations.isTarball(advisoryDBURL) }

    static func isTarball(_ url: String) -> Bool {
        let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        return path.hasSuffix(".tar.gz") || path.hasSuffix(".tgz") || path.hasSuffix(".tar")
    }

    /// cargo-audit's checkout, `$CARGO_HOME/advisory-db` (`~/.cargo/advisory-db`).
    public var cargoAdvisoryDB: String? { environment.cargoHome.map { Files.join($0, "advisory-db") } }

    /// nerq's own copy, `<cache>/advisory-db`.
    public var cachedAdvisoryDB: String? { cacheDirectory.map { Files.join($0, "advisory-db") } }

    /// The advisory database the engine reads: the one named explicitly (even when it does not
    /// exist: that is an error to report, not a reason to read another), else cargo-audit's
    /// checkout when it exists, else nerq's cached copy when it exists.
    public var advisoryDBToRead: String? {
        if let advisoryDB { return advisoryDB }
        for candidate in [cargoAdvisoryDB, cachedAdvisoryDB].compactMap({ $0 }) where Files.isDirectory(candidate) {
            return candidate
        }
        return nil
    }

    /// Where a fetch of the advisory database goes: the database named explicitly; else, for a
    /// git URL, cargo-audit's checkout when it exists (updated as cargo-audit updates it); else
    /// nerq's cache. A tarball never replaces cargo-audit's checkout.
    public var advisoryDBTarget: String? {
        if let advisoryDB { return advisoryDB }
        if !advisoryDBIsTarball, let cargo = cargoAdvisoryDB, Files.isDirectory(Files.join(cargo, ".git")) { return cargo }
        return cachedAdvisoryDB
    }

    /// cargo-audit's lock for a checkout at `path`: the sibling file `<path>..lock` (rustsec
    /// locks `path.with_extension(".lock")`). nerq takes the same lock for every advisory
    /// database it writes.
    public static func advisoryDBLock(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p + "..lock"
    }

    // MARK: - OSV, the index, the dump

    /// The extracted OSV export, `<cache>/osv` (flat `<ID>.json` files).
    public var osvDirectory: String? { cacheDirectory.map { Files.join($0, "osv") } }

    /// nerq's sparse-index cache for `indexURL`: `<cache>/registry/index/<host>-<hash>`, holding
    /// `config.json` and `.cache/<prefix>/<name>` files in cargo's own cache format.
    public var indexDirectory: String? {
        cacheDirectory.map { Files.join($0, "registry/index/" + DataLocations.directoryName(forIndex: indexURL)) }
    }

    /// cargo's index caches (`$CARGO_HOME/registry/index/*`), read before nerq's own.
    public var cargoIndexDirectories: [String] {
        guard let home = environment.cargoHome else { return [] }
        let index = Files.join(home, "registry/index")
        guard let names = try? Files.list(index) else { return [] }
        return names.map { Files.join(index, $0) }.filter { Files.isDirectory($0) }
    }

    /// Every index cache the engine reads, cargo's first.
    public var indexDirectories: [String] { cargoIndexDirectories + (indexDirectory.map { [$0] } ?? []) }

    /// The registry store built from the fetched dump, `<cache>/crates-io-dump.sqlite`.
    public var dumpStore: String? { cacheDirectory.map { Files.join($0, "crates-io-dump.sqlite") } }

    /// `<host>[-<port>]-<16 hex digits of FNV-1a 64 of the URL>`: one directory per index URL.
    /// (cargo names its own with a SipHash of its SourceId; nerq never writes into cargo's.)
    static func directoryName(forIndex url: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in url.utf8 {
            hash ^= UInt64(b)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let afterScheme: Substring
        if let scheme = url.firstRange(of: "://") { afterScheme = url[scheme.upperBound...] } else { afterScheme = Substring(url) }
        let authority = afterScheme.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let host = authority.split(separator: "@").last.map(String.init) ?? authority
        let safe = String(host.map { c in c.isLetter || c.isNumber || c == "." || c == "-" ? c : "-" })
        let hex = String(hash, radix: 16)
        return (safe.isEmpty ? "index" : safe) + "-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
