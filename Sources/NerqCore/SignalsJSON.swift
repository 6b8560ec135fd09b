import NerqJSON

/// The groups of `nerq.signals`, written from their typed values: the one serialization of each
/// group (the reader is `SignalsReader`). What a report echoes as `signals` is built here.
extension Signals {
    /// The groups the score was computed from, in one fixed order: each as the request gave it,
    /// else as nerq collected it.
    public var groupsJSON: JSONObject {
        var o = JSONObject(capacity: 6)
        func add(_ key: String, _ collected: @autoclosure () -> JSONValue?) {
            if let g = given[key] { o.append(key, g) } else if let c = collected() { o.append(key, c) }
        }
        add("advisories", advisories.map { .array($0.map(\.json)) })
        add("registry", registry.map { .object($0.json) })
        add("repository", repository.map { .object($0.json) })
        add("source", source.map { .object($0.json) })
        add("manifest", manifest.map(\.json))
        add("existence", existence.map { .object(JSONObject([("known", .bool($0.known)), ("via", .string($0.via))])) })
        add("history", history.map { .object(JSONObject([("advisories", .strings($0.ids))])) })
        add("dimensions", nil)
        return o
    }
}

extension Advisory {
    public var json: JSONValue {
        var o = JSONObject(capacity: 12)
        o.append("id", .string(id))
        o.append("kind", .string(kind.rawValue))
        if let severity { o.append("severity", .string(severity.rawValue)) }
        if let cvss { o.append("cvss", .string(cvss)) }
        if let cvssScore { o.append("cvss_score", .double(cvssScore)) }
        if let title { o.append("title", .string(title)) }
        if let description { o.append("description", .string(description)) }
        o.append("aliases", .strings(aliases))
        o.append("patched", .strings(patched))
        if let url { o.append("url", .string(url)) }
        if let date { o.append("date", .string(date)) }
        if let withdrawn { o.append("withdrawn", .string(withdrawn)) }
        if !functions.isEmpty { o.append("functions", .array(functions.map(\.json))) }
        if !os.isEmpty { o.append("os", .strings(os)) }
        if !arch.isEmpty { o.append("arch", .strings(arch)) }
        return .object(o)
    }
}

extension ManifestSignals {
    public var json: JSONValue {
        var o = JSONObject(capacity: 10)
        if let license { o.append("license", .string(license)) }
        if let edition { o.append("edition", .string(edition)) }
        if let rustVersion { o.append("rust_version", .string(rustVersion)) }
        if let description { o.append("description", .string(description)) }
        if let repository { o.append("repository", .string(repository)) }
        if let documentation { o.append("documentation", .string(documentation)) }
        if let homepage { o.append("homepage", .string(homepage)) }
        if let readme { o.append("readme", .bool(readme)) }
        if let keywords { o.append("keywords", .strings(keywords)) }
        if let categories { o.append("categories", .strings(categories)) }
        return .object(o)
    }
}

extension RegistrySignals {
    /// Counts the signals reader accepts (`SignalsReader.countRange`): larger values are clamped so
    /// that what nerq writes it can always read back.
    static func count(_ v: Int64) -> JSONValue { .int(min(max(0, v), 1_000_000_000_000)) }

    /// The `registry` group (keys in the schema's order; absent values omitted).
    public var json: JSONObject {
        var o = JSONObject(capacity: 20)
        if let downloads { o.append("downloads", Self.count(downloads)) }
        if let recentDownloads { o.append("recent_downloads", Self.count(recentDownloads)) }
        if let downloadsPercentile { o.append("downloads_percentile", .double(downloadsPercentile)) }
        if let reverseDependencies { o.append("reverse_dependencies", Self.count(reverseDependencies)) }
        if let reverseDependenciesPercentile { o.append("reverse_dependencies_percentile", .double(reverseDependenciesPercentile)) }
        if let versions { o.append("versions", Self.count(versions)) }
        if let yankedVersions { o.append("yanked_versions", Self.count(yankedVersions)) }
        if let yanked { o.append("yanked", .bool(yanked)) }
        if let firstRelease { o.append("first_release", .string(firstRelease.description)) }
        if let latestRelease { o.append("latest_release", .string(latestRelease.description)) }
        if let versionReleased { o.append("version_released", .string(versionReleased.description)) }
        if let latestVersion { o.append("latest_version", .string(latestVersion)) }
        if let owners { o.append("owners", Self.count(owners)) }
        if let teamOwners { o.append("team_owners", Self.count(teamOwners)) }
        if let categories { o.append("categories", .strings(categories)) }
        if let keywords { o.append("keywords", .strings(keywords)) }
        if let repository { o.append("repository", .bool(repository)) }
        if let documentation { o.append("documentation", .bool(documentation)) }
        if let homepage { o.append("homepage", .bool(homepage)) }
        if let source { o.append("source", .string(source)) }
        return o
    }
}

extension RepositorySignals {
    public var json: JSONObject {
        var o = JSONObject(capacity: 7)
        if let url { o.append("url", .string(url)) }
        if let archived { o.append("archived", .bool(archived)) }
        if let stars { o.append("stars", .int(stars)) }
        if let forks { o.append("forks", .int(forks)) }
        if let contributors { o.append("contributors", .int(contributors)) }
        if let lastCommit { o.append("last_commit", .string(lastCommit.description)) }
        if let securityPolicy { o.append("security_policy", .bool(securityPolicy)) }
        return o
    }
}

/// One key of the `source` group: its JSON name and the property it reads and writes.
enum SourceField {
    case text(String, WritableKeyPath<SourceSignals, String?>)
    case count(String, WritableKeyPath<SourceSignals, Int64?>)
    case flag(String, WritableKeyPath<SourceSignals, Bool?>)
    case names(String, WritableKeyPath<SourceSignals, [String]?>)
    /// A share from 0 to 1, written to three decimals.
    case share(String, WritableKeyPath<SourceSignals, Double?>)
    /// An object of counts by name.
    case tally(String, WritableKeyPath<SourceSignals, [(key: String, count: Int64)]?>)
    case capabilities
    case evidence

    var key: String {
        switch self {
        case .text(let k, _), .count(let k, _), .flag(let k, _), .names(let k, _), .share(let k, _), .tally(let k, _): return k
        case .capabilities: return "capabilities"
        case .evidence: return "evidence"
        }
    }
}

extension SourceSignals {
    /// The `source` group's keys, in the order they are written. A scanner signal is one row.
    nonisolated(unsafe) static let fields: [SourceField] = [  // immutable; key paths are not Sendable
        .text("path", \.path), .text("error", \.error),
        .count("files", \.files), .count("lines_code", \.linesCode), .count("lines_code_tests", \.linesCodeTests),
        .count("lines_comment", \.linesComment),
        .count("lines_blank", \.linesBlank),
        .count("unsafe_blocks", \.unsafeBlocks), .count("unsafe_fns", \.unsafeFns), .count("unsafe_impls", \.unsafeImpls),
        .count("unsafe_traits", \.unsafeTraits), .count("unsafe_externs", \.unsafeExterns),
        .count("unsafe_in_tests", \.unsafeInTests),
        .flag("forbids_unsafe", \.forbidsUnsafe), .flag("denies_unsafe", \.deniesUnsafe),
        .flag("denies_unsafe_op_in_unsafe_fn", \.deniesUnsafeOpInUnsafeFn),
        .flag("build_script", \.buildScript), .flag("proc_macro", \.procMacro),
        .capabilities,
        .count("tests", \.tests), .count("test_fns", \.testFns), .count("examples", \.examples), .count("benches", \.benches),
        .flag("has_readme", \.hasReadme),
        .count("license_files", \.licenseFiles), .names("license_file_names", \.licenseFileNames),
        .names("licenses_detected", \.licensesDetected), .flag("license_matches", \.licenseMatches),
        .share("doc_coverage", \.docCoverage),
        .count("pub_items", \.pubItems), .count("documented_pub_items", \.documentedPubItems),
        .evidence, .tally("evidence_counts", \.evidenceCounts), .tally("skipped_files", \.skippedFiles),
        .count("lex_error_count", \.lexErrorCount),
    ]

    /// The rows of `fields` by key, for reading.
    nonisolated(unsafe) static let fieldsByKey: [String: SourceField] = Dictionary(fields.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })

    /// Keys a request may give that nerq reads elsewhere or only echoes.
    static let otherKeys = ["lex_errors"]

    /// The `source` group.
    public var json: JSONObject {
        var o = JSONObject(capacity: Self.fields.count)
        for field in Self.fields {
            switch field {
            case .text(let k, let p): if let v = self[keyPath: p] { o.append(k, .string(v)) }
            case .count(let k, let p): if let v = self[keyPath: p] { o.append(k, .int(v)) }
            case .flag(let k, let p): if let v = self[keyPath: p] { o.append(k, .bool(v)) }
            case .names(let k, let p): if let v = self[keyPath: p] { o.append(k, .strings(v)) }
            case .share(let k, let p): if let v = self[keyPath: p] { o.append(k, .double(roundTenth(v * 1000) / 1000)) }
            case .tally(let k, let p):
                if let v = self[keyPath: p] { o.append(k, .object(JSONObject(v.map { ($0.key, .int($0.count)) }))) }
            case .capabilities: if let v = capabilities { o.append("capabilities", .strings(v)) }
            case .evidence:
                if let v = evidence { o.append("evidence", .object(JSONObject(v.map { ($0.kind, .array($0.items)) }))) }
            }
        }
        return o
    }
}
