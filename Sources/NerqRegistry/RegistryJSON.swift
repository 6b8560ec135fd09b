import NerqCore
import NerqJSON

extension RegistrySignals {
    /// Counts the signals reader accepts (`SignalsReader.countRange`): larger values are clamped so
    /// that what nerq writes it can always read back.
    static func count(_ v: Int64) -> JSONValue { .int(min(max(0, v), 1_000_000_000_000)) }

    /// The `registry` group of `nerq.signals` (keys in the schema's order; absent values omitted).
    public var registryJSON: JSONObject {
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
        return o
    }
}
