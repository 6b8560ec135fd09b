/// Decodes a `nerq.signals` document, validating every value it uses.
import NerqJSON
import NerqCVSS
///
/// Unknown keys are not errors (readers ignore keys they do not know), but they are counted:
/// their paths end up in the report's `ignored_keys`, so a typo never passes silently.
public enum SignalsReader {
    /// Counts are bounded so that sums of them can never overflow.
    static let countRange: ClosedRange<Int64> = 0...1_000_000_000_000

    public static let groupKeys = ["advisories", "registry", "repository", "source", "manifest", "existence", "history"]
    static let topKeys = ["kind", "version", "package", "now", "dimensions"] + groupKeys
    static let advisoryKeys: [String] = ["id", "kind", "severity", "cvss", "cvss_score", "title", "aliases",
                                                  "patched", "url", "date", "withdrawn", "package", "informational",
                                                  "description", "categories", "keywords", "unaffected", "references",
                                                  "related", "affected", "license", "source", "functions", "os", "arch"]
    static let registryKeys: [String] = ["downloads", "recent_downloads", "downloads_percentile", "reverse_dependencies",
                                              "reverse_dependencies_percentile", "versions", "yanked_versions", "yanked",
                                              "first_release", "latest_release", "version_released", "latest_version",
                                              "owners", "team_owners", "categories", "keywords", "source",
                                              "repository", "documentation", "homepage"]
    static let repositoryKeys: [String] = ["url", "archived", "stars", "forks", "contributors", "last_commit", "security_policy"]
    static let sourceKeys: [String] = SourceSignals.fields.map(\.key) + SourceSignals.otherKeys
    static let packageKeys: [String] = ["ecosystem", "name", "version"]
    static let manifestKeys: [String] = ["license", "edition", "rust_version", "description", "repository",
                                              "documentation", "homepage", "readme", "keywords", "categories", "links", "authors"]

    public static func read(_ value: JSONValue, path: String = "$") throws(NerqError) -> Signals {
        let doc = try JSONReader(value, path: path).object()
        try doc.checkHeader(kind: "nerq.signals", version: 1)
        var ignored = doc.unknownKeyPaths(known: topKeys)
        let packageReader = try doc.required("package")
        let package = try readPackage(packageReader)
        ignored += try packageReader.object().unknownKeyPaths(known: packageKeys)
        var signals = Signals(package: package)
        var raw = JSONObject()
        if let now = doc.optional("now") { signals.now = try now.timestamp() }
        if let a = doc.optional("advisories") {
            signals.advisories = try readAdvisories(a, ignored: &ignored)
            raw.append("advisories", a.value)
        }
        if let r = doc.optional("registry") {
            signals.registry = try readRegistry(try r.object(), ignored: &ignored)
            raw.append("registry", r.value)
        }
        if let r = doc.optional("repository") {
            signals.repository = try readRepository(try r.object(), ignored: &ignored)
            raw.append("repository", r.value)
        }
        if let s = doc.optional("source") {
            signals.source = try readSource(try s.object(), ignored: &ignored)
            raw.append("source", s.value)
        }
        if let m = doc.optional("manifest") {
            signals.manifest = try readManifest(try m.object(), ignored: &ignored)
            raw.append("manifest", m.value)
        }
        if let e = doc.optional("existence") {
            let o = try e.object()
            ignored += o.unknownKeyPaths(known: ["known", "via"])
            signals.existence = Existence(known: try o.required("known").bool(), via: try o.optional("via")?.string() ?? "given")
            raw.append("existence", e.value)
        }
        if let h = doc.optional("history") {
            let o = try h.object()
            ignored += o.unknownKeyPaths(known: ["advisories"])
            signals.history = AdvisoryHistory(ids: try o.optional("advisories")?.strings() ?? [])
            raw.append("history", h.value)
        }
        if let d = doc.optional("dimensions") {
            let dims = try d.object()
            for (key, _) in dims.object.entries {
                guard let dim = Dimension(rawValue: key) else {
                    throw NerqError(.invalidValue, "unknown dimension \"\(key)\"; dimensions are \(Dimension.allCases.map(\.rawValue).joined(separator: ", "))",
                                    path: dims.childPath(key))
                }
                if let v = dims.optional(key) { signals.dimensions[dim] = try v.number(in: 0...100) }
            }
            raw.append("dimensions", d.value)
        }
        signals.given = raw
        signals.ignoredKeys = ignored
        return signals
    }

    public static func readPackage(_ reader: JSONReader) throws(NerqError) -> PackageID {
        let p = try reader.object()
        let name = try p.required("name").nonEmptyString()
        let version = try p.optional("version")?.nonEmptyString()
        let ecosystem = try p.optional("ecosystem")?.nonEmptyString() ?? "crates.io"
        return PackageID(ecosystem: ecosystem, name: name, version: version)
    }

    static func readAdvisories(_ reader: JSONReader, ignored: inout [String]) throws(NerqError) -> [Advisory] {
        var out: [Advisory] = []
        for item in try reader.array() {
            let o = try item.object()
            ignored += o.unknownKeyPaths(known: advisoryKeys)
            let id = try o.required("id").nonEmptyString()
            let kindReader = try o.required("kind")
            let kindText = try kindReader.string()
            guard let kind = Advisory.Kind(rawValue: kindText) else {
                throw NerqError(.invalidValue, "unknown advisory kind \"\(kindText)\"; kinds are \(Advisory.Kind.allCases.map(\.rawValue).joined(separator: ", "))",
                                path: kindReader.path)
            }
            var advisory = Advisory(id: id, kind: kind)
            if let s = o.optional("severity") {
                let text = try s.string()
                guard let sev = Severity(rawValue: text), sev != .info else {
                    throw NerqError(.invalidValue, "unknown severity \"\(text)\"; severities are critical, high, medium, low, none", path: s.path)
                }
                advisory.severity = sev
            }
            if let c = o.optional("cvss") {
                let vector = try c.string()
                advisory.cvss = vector
                do {
                    advisory.cvssScore = try CVSS.baseScore(vector).score
                } catch {
                    throw NerqError(.invalidValue, "invalid CVSS vector: \(error.description)", path: c.path)
                }
            }
            if let c = o.optional("cvss_score") {
                advisory.cvssScore = try c.number(in: 0...10)
            }
            if advisory.severity == nil, let score = advisory.cvssScore {
                advisory.severity = Severity.fromCVSSScore(score)
            }
            advisory.title = try o.optional("title")?.string()
            advisory.description = try o.optional("description")?.string()
            advisory.aliases = try o.optional("aliases")?.strings() ?? []
            advisory.patched = try o.optional("patched")?.strings() ?? []
            advisory.url = try o.optional("url")?.string()
            advisory.date = try o.optional("date")?.string()
            advisory.withdrawn = try o.optional("withdrawn")?.string()
            for f in try o.optional("functions")?.array() ?? [] {
                let fo = try f.object()
                ignored += fo.unknownKeyPaths(known: ["path", "versions"])
                advisory.functions.append(AffectedFunction(path: try fo.required("path").nonEmptyString(),
                                                           versions: try fo.optional("versions")?.strings() ?? []))
            }
            advisory.os = try o.optional("os")?.strings() ?? []
            advisory.arch = try o.optional("arch")?.strings() ?? []
            out.append(advisory)
        }
        return out
    }

    static func readRegistry(_ o: ObjectReader, ignored: inout [String]) throws(NerqError) -> RegistrySignals {
        ignored += o.unknownKeyPaths(known: registryKeys)
        var r = RegistrySignals()
        r.downloads = try o.optional("downloads")?.int(in: countRange)
        r.recentDownloads = try o.optional("recent_downloads")?.int(in: countRange)
        r.downloadsPercentile = try o.optional("downloads_percentile")?.number(in: 0...100)
        r.reverseDependencies = try o.optional("reverse_dependencies")?.int(in: countRange)
        r.reverseDependenciesPercentile = try o.optional("reverse_dependencies_percentile")?.number(in: 0...100)
        r.versions = try o.optional("versions")?.int(in: countRange)
        r.yankedVersions = try o.optional("yanked_versions")?.int(in: countRange)
        r.yanked = try o.optional("yanked")?.bool()
        r.firstRelease = try o.optional("first_release")?.timestamp()
        r.latestRelease = try o.optional("latest_release")?.timestamp()
        r.versionReleased = try o.optional("version_released")?.timestamp()
        r.latestVersion = try o.optional("latest_version")?.string()
        r.owners = try o.optional("owners")?.int(in: countRange)
        r.teamOwners = try o.optional("team_owners")?.int(in: countRange)
        r.categories = try o.optional("categories")?.strings()
        r.keywords = try o.optional("keywords")?.strings()
        r.repository = try o.optional("repository")?.bool()
        r.documentation = try o.optional("documentation")?.bool()
        r.homepage = try o.optional("homepage")?.bool()
        r.source = try o.optional("source")?.string()
        return r
    }

    static func readRepository(_ o: ObjectReader, ignored: inout [String]) throws(NerqError) -> RepositorySignals {
        ignored += o.unknownKeyPaths(known: repositoryKeys)
        var r = RepositorySignals()
        r.url = try o.optional("url")?.string()
        r.archived = try o.optional("archived")?.bool()
        r.stars = try o.optional("stars")?.int(in: countRange)
        r.forks = try o.optional("forks")?.int(in: countRange)
        r.contributors = try o.optional("contributors")?.int(in: countRange)
        r.lastCommit = try o.optional("last_commit")?.timestamp()
        r.securityPolicy = try o.optional("security_policy")?.bool()
        return r
    }

    public static func readSource(_ o: ObjectReader) throws(NerqError) -> SourceSignals {
        var ignored: [String] = []
        return try readSource(o, ignored: &ignored)
    }

    static func readSource(_ o: ObjectReader, ignored: inout [String]) throws(NerqError) -> SourceSignals {
        var s = SourceSignals()
        // One pass over the group's keys (a scanner's group has some thirty of them).
        for (key, value) in o.object.entries {
            guard let field = SourceSignals.fieldsByKey[key] else {
                if !SourceSignals.otherKeys.contains(key) { ignored.append(o.childPath(key)) }
                continue
            }
            let r = JSONReader(value, path: o.childPath(key))
            switch field {
            case .text(_, let p): s[keyPath: p] = try r.string()
            case .count(_, let p): s[keyPath: p] = try r.int(in: countRange)
            case .flag(_, let p): s[keyPath: p] = try r.bool()
            case .names(_, let p): s[keyPath: p] = try r.strings()
            case .share(_, let p): s[keyPath: p] = try r.number(in: 0...1)
            case .tally(_, let p):
                let t = try r.object()
                var counts: [(key: String, count: Int64)] = []
                for (key, _) in t.object.entries {
                    if let v = t.optional(key) { counts.append((key, try v.int(in: countRange))) }
                }
                s[keyPath: p] = counts
            case .capabilities:
                let list = try r.strings()
                for (i, c) in list.enumerated() where !Capability.known.contains(c) {
                    throw NerqError(.invalidValue, "unknown capability \"\(c)\"; capabilities are \(Capability.known.joined(separator: ", "))",
                                    path: "\(r.path)[\(i)]")
                }
                s.capabilities = list
            case .evidence:
                // Kept as given (file, line, snippet per item): findings cite it.
                let e = try r.object()
                var evidence: [(kind: String, items: [JSONValue])] = []
                for (kind, _) in e.object.entries {
                    if let items = e.optional(kind) { evidence.append((kind, try items.array().map(\.value))) }
                }
                s.evidence = evidence
            }
        }
        return s
    }

    static func readManifest(_ o: ObjectReader, ignored: inout [String]) throws(NerqError) -> ManifestSignals {
        ignored += o.unknownKeyPaths(known: manifestKeys)
        var m = ManifestSignals()
        m.license = try o.optional("license")?.string()
        if let e = o.optional("edition") {
            let edition = try e.string()
            guard ["2015", "2018", "2021", "2024"].contains(edition) else {
                throw NerqError(.invalidValue, "unknown edition \"\(edition)\"; editions are 2015, 2018, 2021, 2024", path: e.path)
            }
            m.edition = edition
        }
        m.rustVersion = try o.optional("rust_version")?.string()
        m.description = try o.optional("description")?.string()
        m.repository = try o.optional("repository")?.string()
        m.documentation = try o.optional("documentation")?.string()
        m.homepage = try o.optional("homepage")?.string()
        m.readme = try o.optional("readme")?.bool()
        m.keywords = try o.optional("keywords")?.strings()
        m.categories = try o.optional("categories")?.strings()
        return m
    }
}

/// The capabilities the source scanner reports, by name.
public enum Capability {
    public static let known = ["network", "filesystem_write", "process", "env", "ffi",
                               "build_script_process", "build_script_network", "build_script_env",
                               "build_script_write_outside_out_dir"]
}
