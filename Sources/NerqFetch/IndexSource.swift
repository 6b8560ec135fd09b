// The crates.io sparse index, for the packages of the project at hand only: `config.json`, then
// one file per crate at cargo's path (`1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd…` of the lower-cased
// name), revalidated with the ETag or Last-Modified the cached copy was stored with, and kept in
// cargo's own cache format under nerq's cache (`<cache>/registry/index/<host>-<hash>/.cache/…`),
// so one reader serves cargo's cache and nerq's.
//
// Privacy: the index host learns the names asked for, and nothing else (no versions, no project
// name). Only packages whose lockfile source is crates.io are asked about; names from other
// registries, git and path dependencies are never sent.

import NerqCargo
import NerqCore
import NerqIO
import NerqJSON
import NerqRegistry
import NerqThreads

enum IndexSource {
    /// cargo sends these with every sparse-index request.
    static let headers = ["cargo-protocol: version=1", "Accept: text/plain"]
    /// Requests in flight at once (cargo runs many; a handful is plenty for one project).
    static let parallel = 8

    struct PackageOutcome {
        var name: String
        var status: String
        var path: String?
        var error: NerqError?
        var bytes: Int64 = 0
        var skippedLines: [String] = []
    }

    static func fetch(_ ctx: FetchContext, packages: [String], lockfile: String?) -> SourceResult {
        let root = ctx.locations.indexURL
        let directory = ctx.locations.indexDirectory
        let start = SourceResult(source: "index", url: root, method: "sparse-index", status: .fetched, path: directory)
        return timed({ (r: inout SourceResult) throws(NerqError) in
            guard let directory else { throw Download.noPlace("index files") }
            var names = packages
            if let lockfile { names += try lockfileNames(lockfile) }
            names = Array(Set(names)).sorted { byteLess($0, $1) }
            var outcomes: [PackageOutcome] = []
            var toFetch: [String] = []
            for name in names {
                guard CargoIndexCache.isCrateName(name) else {
                    outcomes.append(PackageOutcome(name: name, status: FetchStatus.failed.rawValue,
                                                   error: NerqError(.invalidValue, "\"\(name)\" is not a crate name (letters, digits, - and _, at most 64)")))
                    continue
                }
                let ours = CargoIndexCache.locate(name: name, indexDirectories: [directory]).first
                let cargos = CargoIndexCache.locate(name: name, indexDirectories: ctx.locations.cargoIndexDirectories).first
                if ctx.offline || (ctx.update == .missing && (ours ?? cargos) != nil) {
                    outcomes.append(PackageOutcome(name: name, status: ctx.offline ? FetchStatus.offline.rawValue : FetchStatus.upToDate.rawValue,
                                                   path: cargos ?? ours))
                    continue
                }
                toFetch.append(name)
            }
            if !toFetch.isEmpty {
                try Files.makeDirectories(directory)
                let lock = try FileLock(lockFile: directory + ".lock", timeoutSeconds: ctx.lockTimeoutSeconds)
                defer { lock.unlock() }
                let client = try HTTPClient(options: ctx.network)
                try fetchConfig(root: root, directory: directory, client: client)
                r.bytes = 0
                let fetched = parallelMap(toFetch, threads: parallel, workerState: { () -> HTTPClient? in try? HTTPClient(options: ctx.network) }) {
                    client, name in
                    fetchOne(name, root: root, directory: directory, client: client, ctx: ctx)
                }
                outcomes += fetched
            }
            outcomes.sort { byteLess($0.name, $1.name) }
            let now = ctx.clock()
            r.checkedAt = toFetch.isEmpty ? nil : now
            r.bytes = toFetch.isEmpty ? nil : outcomes.reduce(0) { $0 + $1.bytes }
            r.entries = Int64(outcomes.filter { $0.path != nil }.count)
            var counts = JSONObject()
            for s in ["fetched", "not_modified", "up_to_date", "offline", "not_found", "failed"] {
                counts.append(s, .int(Int64(outcomes.filter { $0.status == s }.count)))
            }
            r.details.append(("counts", .object(counts)))
            r.details.append(("packages", .array(outcomes.map(\.json))))
            let failed = outcomes.filter { $0.status == FetchStatus.failed.rawValue }
            if ctx.offline {
                r.status = .offline
            } else if !failed.isEmpty {
                r.status = .failed
                r.error = NerqError(.networkError, "\(failed.count) of \(outcomes.count) packages could not be fetched (first: \(failed[0].name): \(failed[0].error?.message ?? ""))")
            } else if outcomes.contains(where: { $0.status == FetchStatus.fetched.rawValue }) {
                r.status = .fetched
                r.fetchedAt = now
            } else if outcomes.contains(where: { $0.status == FetchStatus.notModified.rawValue || $0.status == "not_found" }) {
                r.status = .notModified
            } else {
                r.status = .upToDate
            }
        }, into: start, onFailure: { _ in })
    }

    /// The crates.io packages of a Cargo.lock (other registries, git and path packages are not
    /// crates.io's to be asked about).
    static func lockfileNames(_ path: String) throws(NerqError) -> [String] {
        let lock = try Lockfile.parse(try Files.read(path), file: path)
        return lock.packages.compactMap { $0.source == .cratesIO ? $0.name : nil }
    }

    /// `config.json` first, as cargo does: it says this is a registry index at all (an index
    /// without it is refused with a clear error rather than 404s for every crate).
    static func fetchConfig(root: String, directory: String, client: HTTPClient) throws(NerqError) {
        let url = root + "config.json"
        let (_, body) = try client.fetch(url, maxBytes: 64 << 10, headers: headers)
        let value: JSONValue
        do throws(NerqError) {
            value = try JSONParser.parse(body)
        } catch {
            throw NerqError(.parseError, "\(url): not a registry index configuration: \(error.message)", path: url)
        }
        guard case .object(let o) = value, case .string? = o["dl"] else {
            throw NerqError(.parseError, "\(url): not a registry index configuration (no \"dl\")", path: url)
        }
        try Files.writeAtomically(Files.join(directory, "config.json"), body)
    }

    static func fetchOne(_ name: String, root: String, directory: String, client: HTTPClient?, ctx: FetchContext) -> PackageOutcome {
        var out = PackageOutcome(name: name, status: FetchStatus.fetched.rawValue)
        guard let client else {
            out.status = FetchStatus.failed.rawValue
            out.error = NerqError(.internalError, "libcurl could not start")
            return out
        }
        // cargo asks again with `-` and `_` swapped when a name is not found (crates.io treats
        // them as one name; the file is stored under the spelling first published).
        var spellings = [name]
        let swapped = String(name.map { $0 == "-" ? "_" : $0 == "_" ? "-" : $0 })
        if swapped != name { spellings.append(swapped) }
        for spelling in spellings {
            let relative = CargoIndexCache.relativePath(for: spelling)
            let cached = Files.join(directory, ".cache/" + relative)
            let validators = storedValidators(cached)
            do throws(NerqError) {
                let (response, body) = try client.fetch(root + relative, validators: validators, maxBytes: ctx.cap("index"), headers: headers)
                out.bytes += response.bytes
                out.path = cached
                if response.notModified {
                    Files.touch(cached)
                    out.status = FetchStatus.notModified.rawValue
                    return out
                }
                let (bytes, skipped) = CargoIndexCache.encode(indexFile: body, revision: revision(response.validators))
                try Files.makeDirectories(Files.directory(of: cached))
                try Files.writeAtomically(cached, bytes)
                out.skippedLines = skipped
                return out
            } catch {
                if error.code == .notFound {
                    // A deleted crate's file is deleted from the index: drop the stale copy.
                    Files.remove(cached)
                    out.path = nil
                    out.status = "not_found"
                    continue
                }
                out.status = FetchStatus.failed.rawValue
                out.error = error
                out.path = Files.exists(cached) ? cached : nil
                return out
            }
        }
        return out
    }

    /// The revision string cargo stores: the ETag when there is one, else Last-Modified.
    static func revision(_ v: HTTPValidators) -> String {
        if let etag = v.etag { return "etag: \(etag)" }
        if let date = v.lastModified { return "last-modified: \(date)" }
        return "Unknown"
    }

    /// The validators a cache file was stored with (its revision string), read from its header.
    static func storedValidators(_ path: String) -> HTTPValidators {
        guard case .success(let bytes) = Files.readBytes(path, limit: 64 << 20), bytes.count > 5 else { return HTTPValidators() }
        var end = 5
        while end < bytes.count, bytes[end] != 0 { end += 1 }
        let revision = String(decoding: bytes[5..<end], as: UTF8.self)
        if revision.hasPrefix("etag: ") { return HTTPValidators(etag: String(revision.dropFirst(6))) }
        if revision.hasPrefix("last-modified: ") { return HTTPValidators(lastModified: String(revision.dropFirst(15))) }
        return HTTPValidators()
    }
}

extension IndexSource.PackageOutcome {
    var json: JSONValue {
        var o = JSONObject(capacity: 5)
        o.append("name", .string(name))
        o.append("status", .string(status))
        o.append("path", .optional(path))
        o.append("error", error.map { .string($0.message) } ?? .null)
        if !skippedLines.isEmpty { o.append("skipped_lines", .strings(skippedLines)) }
        return .object(o)
    }
}
