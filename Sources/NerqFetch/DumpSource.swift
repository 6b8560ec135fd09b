// The crates.io database dump (`db-dump.tar.gz`, ~1.7 GB): downloaded to a temporary file,
// ingested into nerq's registry store (RegistryIngest builds the store beside the old one and
// renames it over it when complete, so the ingest is the verification: a truncated or damaged
// tarball fails there and the old store stays), then the tarball is removed. Only the store and
// its fetch record are kept.

import NerqCore
import NerqIO
import NerqJSON
import NerqRegistry

enum DumpSource {
    static func fetch(_ ctx: FetchContext) -> SourceResult {
        let url = ctx.locations.dumpURL
        let store = ctx.locations.dumpStore
        let start = SourceResult(source: "dump", url: url, method: "dump", status: .fetched, path: store)
        return timed({ (r: inout SourceResult) throws(NerqError) in
            guard let store else {
                throw NerqError(.invalidValue, "no place for the registry store: set cache_dir, NERQ_CACHE_DIR or HOME")
            }
            if ctx.offline || (ctx.update == .missing && Files.exists(store)) {
                r.status = ctx.offline ? .offline : .upToDate
                describeLocal(&r, store)
                return
            }
            try Files.makeDirectories(Files.directory(of: store))
            // Not `<store>.lock`: RegistryIngest takes that one while it builds.
            let lock = try FileLock(lockFile: store + ".fetch.lock", timeoutSeconds: ctx.lockTimeoutSeconds)
            defer { lock.unlock() }
            let tarball = Files.join(Files.directory(of: store), "db-dump.tar.gz")
            Files.removeStaleTemporaries(of: tarball + ".download")
            let record = Files.exists(store) ? try? FetchRecord.read(for: store) : nil
            let (file, response) = try Download.toTemporary(url, near: tarball, validators: record?.validators ?? HTTPValidators(),
                                                           maxBytes: ctx.cap("dump"), label: "crates.io database dump", network: ctx.network)
            let now = ctx.clock()
            r.bytes = response.bytes
            guard let file else {
                r.status = .notModified
                if var record {
                    record.checkedAt = now
                    record.validators = response.validators
                    try record.write(for: store)
                    r.describe(record)
                }
                return
            }
            defer { Files.remove(file) }
            let summary = try AdvisoryDBSource.renamed(RegistryIngest.build(dump: file, store: store), file, url)
            let opened = try RegistryStore(path: store)
            let written = FetchRecord(source: "dump", url: url, fetchedAt: now, checkedAt: now, validators: response.validators,
                                      bytes: response.bytes, newestEntry: opened.snapshotTime.description, entries: Int64(summary.crates))
            try written.write(for: store)
            r.status = .fetched
            r.describe(written)
        }, into: start, onFailure: { r in
            if let store = r.path { describeLocal(&r, store) }
        })
    }

    static func describeLocal(_ r: inout SourceResult, _ store: String) {
        guard Files.exists(store) else {
            if r.status != .failed { r.path = nil }
            return
        }
        r.describe(try? FetchRecord.read(for: store))
    }
}
