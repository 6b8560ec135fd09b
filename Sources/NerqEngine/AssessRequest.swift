import NerqConfig
import NerqCore
import NerqIO
import NerqJSON

/// A `nerq_assess` request, validated.
struct AssessRequest {
    var lockfilePath: String?
    var lockfileText: String?
    var metadata: JSONValue?
    var metadataPath: String?
    var now: Timestamp?
    var includeDev = true
    var targetOS: String?
    var targetArch: String?
    /// `options.ignore` (ids) and `options.ignores` (entries with reason and expiry).
    var ignores: [IgnoreRule] = []
    var maxPaths = 3
    var scanSources = true
    var vendorDirs: [String] = []
    var reports = ReportScope.all
    /// Configuration files to read (`options.config_files`), in order.
    var configFiles: [(path: String, format: ConfigFormat)] = []
    /// Gates the caller adds (`options.gates`: the command line's --deny, --allow, --fail-under).
    var gates = GateOptions()
    var baseline: BaselineOptions?
    /// Include the graph of dependents of every flagged package (an inverted tree per finding).
    var tree = false
    /// Progress lines on stderr (a host sets it only when stderr is a terminal).
    var progress = false
    /// What is compiled and referenced, and which findings the deny gates count.
    var reach = ReachOptions()

    /// Which packages get their full `nerq.report` in `packages[]` (every package is scored and
    /// counted in the summary either way).
    enum ReportScope: String, CaseIterable {
        /// Every package.
        case all
        /// Packages with an advisory finding or a verdict of caution, warning or avoid: what a CI
        /// gate acts on, without a report for each of a thousand clean packages.
        case flagged
    }

    struct GateOptions {
        var deny: [String] = []
        var allow: [String] = []
        var failUnder: Double?
        var unusedIgnores: UnusedIgnores?
        /// Which findings of a denied kind count (`--gate-scope`); wins over nerq.toml's.
        var scope: GateScope?
    }

    struct BaselineOptions {
        var path: String
        /// Write the file from this run's findings even when it exists.
        var update: Bool
    }

    static let keys = ["kind", "version", "lockfile", "lockfile_text", "metadata", "metadata_path", "options", "now"]
    static let optionKeys = ["include_dev", "target_os", "target_arch", "ignore", "ignores", "max_paths", "scan_sources", "vendor_dirs",
                             "reports", "config_files", "gates", "baseline", "tree", "progress"] + ReachOptions.keys
    /// Paths kept per finding at most: enough for any review; the count of members is complete.
    static let maxPathsLimit: ClosedRange<Int64> = 1...1000

    static func read(_ value: JSONValue) throws(NerqError) -> AssessRequest {
        let o = try JSONReader(value).object()
        try o.checkHeader(kind: "nerq.assess_request", version: 1)
        try o.rejectUnknownKeys(known: keys)
        var r = AssessRequest()
        r.lockfilePath = try o.optional("lockfile").map { v throws(NerqError) in try Files.path(v) }
        r.lockfileText = try o.optional("lockfile_text")?.string()
        if r.lockfilePath != nil, r.lockfileText != nil {
            throw NerqError(.invalidValue, "give either \"lockfile\" or \"lockfile_text\", not both", path: o.childPath("lockfile_text"))
        }
        if let m = o.optional("metadata") {
            _ = try m.object()
            r.metadata = m.value
        }
        r.metadataPath = try o.optional("metadata_path").map { v throws(NerqError) in try Files.path(v) }
        guard r.lockfilePath != nil || r.lockfileText != nil || r.metadata != nil || r.metadataPath != nil else {
            throw NerqError(.missingField, "an assess request needs \"lockfile\", \"lockfile_text\", \"metadata\" or \"metadata_path\"", path: "$")
        }
        r.now = try o.optional("now")?.timestamp()
        if let opts = o.optional("options") { try r.readOptions(try opts.object()) }
        return r
    }

    mutating func readOptions(_ oo: ObjectReader) throws(NerqError) {
        try oo.rejectUnknownKeys(known: AssessRequest.optionKeys)
        includeDev = try oo.optional("include_dev")?.bool() ?? true
        targetOS = try oo.optional("target_os")?.nonEmptyString()
        targetArch = try oo.optional("target_arch")?.nonEmptyString()
        if let ids = oo.optional("ignore") {
            for item in try ids.array() { ignores.append(try IgnoreRule.read(item)) }
        }
        if let entries = oo.optional("ignores") { ignores += try IgnoreRule.readList(entries) }
        maxPaths = Int(try oo.optional("max_paths")?.int(in: AssessRequest.maxPathsLimit) ?? 3)
        scanSources = try oo.optional("scan_sources")?.bool() ?? true
        if let dirs = oo.optional("vendor_dirs") {
            vendorDirs = try dirs.array().map { v throws(NerqError) in try Files.path(v) }
        }
        if let scope = oo.optional("reports") { reports = try AssessRequest.choice(scope, ReportScope.self) }
        if let files = oo.optional("config_files") {
            for item in try files.array() {
                let f = try item.object()
                try f.rejectUnknownKeys(known: ["path", "format"])
                guard let p = f.optional("path"), let fmt = f.optional("format") else {
                    throw NerqError(.missingField, "a config file needs \"path\" and \"format\" (\(ConfigFormat.allCases.map(\.rawValue).joined(separator: ", ")))",
                                    path: item.path)
                }
                configFiles.append((try Files.path(p), try AssessRequest.choice(fmt, ConfigFormat.self)))
            }
        }
        if let g = oo.optional("gates") {
            let go = try g.object()
            try go.rejectUnknownKeys(known: ["deny", "allow", "fail_under", "unused_ignores", "scope"])
            gates.deny = try AssessRequest.kinds(go.optional("deny"))
            gates.allow = try AssessRequest.kinds(go.optional("allow"))
            gates.failUnder = try go.optional("fail_under")?.number(in: 0...100)
            if let u = go.optional("unused_ignores") { gates.unusedIgnores = try AssessRequest.choice(u, UnusedIgnores.self) }
            if let sc = go.optional("scope") { gates.scope = try AssessRequest.choice(sc, GateScope.self) }
        }
        if let b = oo.optional("baseline") {
            let bo = try b.object()
            try bo.rejectUnknownKeys(known: ["path", "update"])
            guard let p = bo.optional("path") else { throw NerqError(.missingField, "a baseline needs \"path\"", path: b.path) }
            baseline = BaselineOptions(path: try Files.path(p), update: try bo.optional("update")?.bool() ?? false)
        }
        tree = try oo.optional("tree")?.bool() ?? false
        progress = try oo.optional("progress")?.bool() ?? false
        reach = try ReachOptions.read(oo)
    }

    /// Finding kinds; `warnings` is cargo-audit's (unmaintained, unsound, yanked).
    static func kinds(_ reader: JSONReader?) throws(NerqError) -> [String] {
        guard let reader else { return [] }
        var out: [String] = []
        for item in try reader.array() {
            let word = try item.string()
            let expanded = word == "warnings" ? ["unmaintained", "unsound", "yanked"] : [word]
            for k in expanded {
                guard ProjectConfig.kinds.contains(k) else {
                    throw NerqError(.invalidValue, "unknown finding kind \"\(word)\"; kinds are \(ProjectConfig.kinds.joined(separator: ", ")) and warnings",
                                    path: item.path)
                }
                if !out.contains(k) { out.append(k) }
            }
        }
        return out
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ reader: JSONReader, _ type: T.Type) throws(NerqError) -> T where T.RawValue == String {
        let name = try reader.string()
        guard let parsed = T(rawValue: name) else {
            throw NerqError(.invalidValue, "expected one of \(T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), found \"\(name)\"",
                            path: reader.path)
        }
        return parsed
    }
}
