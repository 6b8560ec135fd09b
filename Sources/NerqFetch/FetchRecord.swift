// What a fetcher writes beside the data it fetched (`<data>.fetch.json`): where it came from,
// when it was fetched and last confirmed current, the server's validators for the next
// conditional request, and how new its newest entry is. The engine reads it for the freshness
// every result reports.
//
// It is written after the data has been renamed into place: if the process dies between the
// two, the record still holds the old validators, the next request gets the new data again
// (200) and the pair heals. The other order could leave new validators beside old data and make
// the server answer 304 to it forever.

import NerqCore
import NerqIO
import NerqJSON

public struct FetchRecord: Sendable, Equatable {
    /// advisory_db, osv, index or dump.
    public var source: String
    public var url: String
    /// When the data last changed (a 200 answer, a new commit), seconds since the epoch.
    public var fetchedAt: Timestamp
    /// When the server last confirmed it current (a 200 or 304 answer).
    public var checkedAt: Timestamp
    public var validators: HTTPValidators
    public var bytes: Int64?
    /// The newest entry's date (YYYY-MM-DD or an RFC 3339 time), when the data has dated entries.
    public var newestEntry: String?
    /// How many entries (advisories, OSV records, crates) the data holds.
    public var entries: Int64?

    public init(source: String, url: String, fetchedAt: Timestamp, checkedAt: Timestamp, validators: HTTPValidators = HTTPValidators(),
                bytes: Int64? = nil, newestEntry: String? = nil, entries: Int64? = nil) {
        self.source = source
        self.url = url
        self.fetchedAt = fetchedAt
        self.checkedAt = checkedAt
        self.validators = validators
        self.bytes = bytes
        self.newestEntry = newestEntry
        self.entries = entries
    }

    public static let kind = "nerq.fetch_record"

    /// The record of the data at `dataPath`.
    public static func path(for dataPath: String) -> String { dataPath + ".fetch.json" }

    public var json: JSONValue {
        var o = JSONObject(capacity: 10)
        o.append("kind", .string(FetchRecord.kind))
        o.append("version", 1)
        o.append("source", .string(source))
        o.append("url", .string(url))
        o.append("fetched_at", .string(fetchedAt.description))
        o.append("checked_at", .string(checkedAt.description))
        o.append("etag", .optional(validators.etag))
        o.append("last_modified", .optional(validators.lastModified))
        o.append("bytes", bytes.map { .int($0) } ?? .null)
        o.append("newest_entry", .optional(newestEntry))
        o.append("entries", entries.map { .int($0) } ?? .null)
        return .object(o)
    }

    /// Writes the record of `dataPath` (atomically).
    public func write(for dataPath: String) throws(NerqError) {
        try Files.writeAtomically(FetchRecord.path(for: dataPath), JSONText.encode(json) + [0x0A])
    }

    /// The record of `dataPath`, or nil when there is none. A record that cannot be read is an
    /// error naming it (the caller reports it; the data itself may still be used).
    public static func read(for dataPath: String) throws(NerqError) -> FetchRecord? {
        let path = FetchRecord.path(for: dataPath)
        guard Files.exists(path) else { return nil }
        let value: JSONValue
        do throws(NerqError) {
            value = try JSONParser.parse(try Files.read(path, limit: 1 << 20))
        } catch {
            throw NerqError(error.code, "\(path): \(error.message)", path: path)
        }
        do throws(NerqError) {
            let o = try JSONReader(value).object()
            try o.checkHeader(kind: kind, version: 1)
            func string(_ k: String) throws(NerqError) -> String? {
                guard let r = o.optional(k), r.value != .null else { return nil }
                return try r.string()
            }
            func int(_ k: String) throws(NerqError) -> Int64? {
                guard let r = o.optional(k), r.value != .null else { return nil }
                return try r.int()
            }
            return FetchRecord(source: try o.required("source").string(), url: try o.required("url").string(),
                               fetchedAt: try o.required("fetched_at").timestamp(), checkedAt: try o.required("checked_at").timestamp(),
                               validators: HTTPValidators(etag: try string("etag"), lastModified: try string("last_modified")),
                               bytes: try int("bytes"), newestEntry: try string("newest_entry"), entries: try int("entries"))
        } catch {
            throw NerqError(error.code, "\(path): \(error.message)", path: "\(path): \(error.path ?? "$")")
        }
    }
}
