/// Signals written back as `nerq.signals` groups (what a report echoes when nerq collected them).
import NerqJSON
extension Advisory {
    public var json: JSONValue {
        var o = JSONObject(capacity: 12)
        o.append("id", .string(id))
        o.append("kind", .string(kind.rawValue))
        if let severity { o.append("severity", .string(severity.rawValue)) }
        if let cvss { o.append("cvss", .string(cvss)) }
        if let cvssScore { o.append("cvss_score", .double(cvssScore)) }
        if let title { o.append("title", .string(title)) }
        o.append("aliases", .strings(aliases))
        o.append("patched", .strings(patched))
        if let url { o.append("url", .string(url)) }
        if let date { o.append("date", .string(date)) }
        if let withdrawn { o.append("withdrawn", .string(withdrawn)) }
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
