// One source's line in a `nerq.fetch` document, and what every source fetcher is given.

import NerqArchive
import NerqCore
import NerqIO
import NerqJSON

/// What happened to one source.
public enum FetchStatus: String, Sendable, CaseIterable {
    /// New data was downloaded and put in place.
    case fetched
    /// The server confirmed the local copy current (HTTP 304, or no new git commit).
    case notModified = "not_modified"
    /// The local copy was used without asking the server (`update: "missing"`).
    case upToDate = "up_to_date"
    /// Offline: nothing was asked; the local copy, if any, is described.
    case offline
    /// The fetch failed; any previous copy is intact and described.
    case failed
}

/// Whether a fetch refreshes what is already on disk.
public enum UpdateMode: String, Sendable, CaseIterable {
    /// Revalidate or update every source asked for (conditional requests keep this cheap).
    case always
    /// Fetch only what is missing, use what is on disk (cargo-audit's default is to fetch; this is
    /// `cargo nerq`'s when it runs an assessment).
    case missing
}

public struct SourceResult: Sendable {
    public var source: String
    public var url: String
    public var path: String?
    /// git, tarball, zip, sparse-index, dump.
    public var method: String
    public var status: FetchStatus
    public var error: NerqError?
    /// Bytes downloaded by this fetch (nil when nothing was or it is unknown, as for git).
    public var bytes: Int64?
    public var durationMilliseconds: Int64 = 0
    public var fetchedAt: Timestamp?
    public var checkedAt: Timestamp?
    public var newestEntry: String?
    public var entries: Int64?
    /// Source-specific facts (a git commit, the index's package list), in order.
    public var details: [(String, JSONValue)] = []

    public init(source: String, url: String, method: String, status: FetchStatus, path: String? = nil) {
        self.source = source
        self.url = url
        self.method = method
        self.status = status
        self.path = path
    }

    /// Describes the local copy from its fetch record (when it has one).
    mutating func describe(_ record: FetchRecord?) {
        guard let record else { return }
        fetchedAt = fetchedAt ?? record.fetchedAt
        checkedAt = checkedAt ?? record.checkedAt
        newestEntry = newestEntry ?? record.newestEntry
        entries = entries ?? record.entries
    }

    public var json: JSONValue {
        var o = JSONObject(capacity: 16)
        o.append("source", .string(source))
        o.append("url", .string(url))
        o.append("path", .optional(path))
        o.append("method", .string(method))
        o.append("status", .string(status.rawValue))
        o.append("error", error.map { e in
            .object(JSONObject([("code", .string(e.code.rawValue)), ("message", .string(e.message)), ("path", .optional(e.path))]))
        } ?? .null)
        o.append("bytes", bytes.map { .int($0) } ?? .null)
        o.append("duration_ms", .int(durationMilliseconds))
        o.append("fetched_at", .optional(fetchedAt?.description))
        o.append("checked_at", .optional(checkedAt?.description))
        o.append("newest_entry", .optional(newestEntry))
        o.append("entries", entries.map { .int($0) } ?? .null)
        for (k, v) in details { o.append(k, v) }
        return .object(o)
    }
}

/// What every source fetcher is given.
struct FetchContext: Sendable {
    var locations: DataLocations
    var network: NetworkOptions
    var update: UpdateMode
    var offline: Bool
    /// Byte caps per source name.
    var maxBytes: [String: Int64]
    /// Seconds to wait for another process's lock on a source.
    var lockTimeoutSeconds = 300
    var clock: @Sendable () -> Timestamp = { Timestamp(seconds: Files.wallClockSeconds()) }

    func cap(_ source: String) -> Int64 { maxBytes[source] ?? FetchContext.defaultMaxBytes[source] ?? (256 << 20) }

    /// Generous caps: ten times today's sizes or more (the advisory-db tarball is ~4 MB, OSV's
    /// crates.io export a few MB, an index file up to a few hundred KB, the dump ~1.7 GB).
    static let defaultMaxBytes: [String: Int64] = [
        "advisory_db": 256 << 20, "osv": 512 << 20, "index": 16 << 20, "dump": 8 << 30,
    ]

    /// Extraction caps for a source's archive: at most eight times the download's cap unpacked
    /// (text compresses about tenfold; more than that is a bomb, not data).
    func limits(_ source: String) -> ArchiveLimits {
        let cap = self.cap(source)
        let (total, overflow) = cap.multipliedReportingOverflow(by: 8)
        return ArchiveLimits(maxEntries: 500_000, maxEntryBytes: 64 << 20, maxTotalBytes: overflow ? Int64.max : total)
    }
}

/// Times a source's fetch and turns a thrown error into a `failed` result (the local copy, if
/// any, is described by `onFailure`).
func timed(_ body: (inout SourceResult) throws(NerqError) -> Void, into result: SourceResult,
           onFailure: (inout SourceResult) -> Void) -> SourceResult {
    var r = result
    let start = Files.monotonicMilliseconds()
    do throws(NerqError) {
        try body(&r)
    } catch {
        r.status = .failed
        r.error = error
        onFailure(&r)
    }
    r.durationMilliseconds = Files.monotonicMilliseconds() - start
    return r
}
