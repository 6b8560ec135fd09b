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
            guard let store else { throw Download.noPlace("the registry store") }
            if Download.skips(ctx, present: Files.exists(store), &r, describe: { Download.describeRecorded(&$0, store) }) { return }
            try Files.makeDirectories(Files.directory(of: store))
            // Not `<store>.lock`: RegistryIngest takes that one while it builds.
            let lock = try FileLock(lockFile: store + ".fetch.lock", timeoutSeconds: ctx.lockTimeoutSeconds)
            defer { lock.unlock() }
            let tarball = Files.join(Files.directory(of: store), "db-dump.tar.gz")
            Files.removeStaleTemporaries(of: tarball + ".download")
            guard let (file, response, now) = try Download.revalidating(ctx, source: "dump", url: url, target: store, present: Files.exists(store),
                                                                       near: tarball, label: "crates.io database dump", &r) else { return }
            defer { Files.remove(file) }
            let summary = try AdvisoryDBSource.renamed(RegistryIngest.build(dump: file, store: store), file, url)
            let opened = try RegistryStore(path: store)
            try Download.recordFetched(source: "dump", url: url, target: store, response: response, now: now,
                                       newestEntry: opened.snapshotTime.description, entries: Int64(summary.crates), &r)
        }, into: start, onFailure: { r in
            if let store = r.path { Download.describeRecorded(&r, store) }
        })
    }
}
