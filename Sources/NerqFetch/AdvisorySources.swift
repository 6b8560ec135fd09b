// The advisory sources: the RustSec advisory-db (a git clone kept as cargo-audit keeps it, or a
// tarball of the same tree) and an OSV export (a zip of `<ID>.json` records). Each new copy is
// read with the advisory loader before it replaces the old one: what is not a readable database
// never reaches the place the engine reads.

import NerqAdvisories
import NerqArchive
import NerqCore
import NerqIO
import NerqJSON

enum AdvisoryDBSource {
    static func fetch(_ ctx: FetchContext) -> SourceResult {
        let locations = ctx.locations
        let url = locations.advisoryDBURL
        let tarball = locations.advisoryDBIsTarball
        let target = locations.advisoryDBTarget
        let start = SourceResult(source: "advisory_db", url: url, method: tarball ? "tarball" : "git", status: .fetched, path: target)
        return timed({ (r: inout SourceResult) throws(NerqError) in
            guard let target else { throw Download.noPlace("the advisory database") }
            if Download.skips(ctx, present: Files.isDirectory(target), &r, describe: { describeLocal(&$0, target) }) { return }
            try Files.makeDirectories(Files.directory(of: target))
            let lock = try FileLock(lockFile: DataLocations.advisoryDBLock(target), timeoutSeconds: ctx.lockTimeoutSeconds)
            defer { lock.unlock() }
            if tarball {
                try fetchTarball(ctx, url: url, target: target, into: &r)
            } else {
                try Git.checkURL(url, allowHTTP: ctx.network.allowHTTP)
                let outcome = try Git.update(target, from: url, timeoutSeconds: ctx.network.gitTimeoutSeconds)
                r.status = outcome.changed ? .fetched : .notModified
                r.details.append(("commit", .string(outcome.commit)))
                r.details.append(("commit_date", .optional(outcome.commitDate)))
                let db = try AdvisoryDatabase.load(path: target)
                r.newestEntry = db.newestDate
                r.entries = Int64(db.advisories.count)
                let now = ctx.clock()
                r.checkedAt = now
                r.fetchedAt = outcome.changed ? now : GitCheckoutInfo.read(target)?.fetchedAt
            }
        }, into: start, onFailure: { r in
            if let target = r.path { describeLocal(&r, target) }
        })
    }

    /// What is on disk at `target`: what its git files say, or its fetch record (tarball copies).
    static func describeLocal(_ r: inout SourceResult, _ target: String) {
        guard let git = GitCheckoutInfo.read(target) else {
            Download.describeRecorded(&r, target)
            return
        }
        r.fetchedAt = r.fetchedAt ?? git.fetchedAt
        r.details.append(("origin", .optional(git.origin)))
    }

    static func fetchTarball(_ ctx: FetchContext, url: String, target: String, into r: inout SourceResult) throws(NerqError) {
        if Files.isDirectory(Files.join(target, ".git")) {
            throw NerqError(.invalidValue, "\(target) is a git checkout (cargo-audit's?): a tarball does not replace it; fetch the tarball into another directory with advisory_db", path: target)
        }
        Download.removeLeftovers(of: target)
        guard let (file, response, now) = try Download.revalidating(ctx, source: "advisory_db", url: url, target: target,
                                                                   present: Files.isDirectory(target), label: "advisory-db tarball", &r) else { return }
        defer { Files.remove(file) }
        let (temporary, root, _) = try renamed(Download.extract(file, zip: false, beside: target, limits: ctx.limits("advisory_db")), file, url)
        defer { Files.removeTree(temporary) }
        // Read before it replaces anything: a tarball of something else fails here.
        let db = try loadFetched(root, url: url, what: "not a RustSec advisory database", needs: "crates")
        try Files.replaceDirectory(target, with: root)
        try Download.recordFetched(source: "advisory_db", url: url, target: target, response: response, now: now,
                                   newestEntry: db.newestDate, entries: Int64(db.advisories.count), &r)
    }

    /// The advisories of a freshly extracted copy at `root`, which must hold the folder `needs`
    /// (when given) and at least one readable advisory; else an error saying `what` it is.
    static func loadFetched(_ root: String, url: String, what: String, needs: String? = nil) throws(NerqError) -> AdvisoryDatabase {
        do throws(NerqError) {
            if let needs, !Files.isDirectory(Files.join(root, needs)) { throw NerqError(.notFound, "no \(needs)/ folder") }
            let db = try AdvisoryDatabase.load(path: root)
            guard !db.advisories.isEmpty else { throw NerqError(.notFound, "no advisory could be read") }
            return db
        } catch {
            throw NerqError(.parseError, "\(url): \(what): \(error.message.replacing(root, with: "the download"))", path: url)
        }
    }

    /// An archive error names the temporary download; the user knows the URL.
    static func renamed<T>(_ body: @autoclosure () throws(NerqError) -> T, _ temporary: String, _ url: String) throws(NerqError) -> T {
        do throws(NerqError) {
            return try body()
        } catch {
            var e = error
            e.message = e.message.replacing(temporary, with: url)
            if e.path == temporary { e.path = url }
            throw e
        }
    }
}

enum OSVSource {
    static func fetch(_ ctx: FetchContext) -> SourceResult {
        let url = ctx.locations.osvURL
        let target = ctx.locations.osvDirectory
        let start = SourceResult(source: "osv", url: url, method: "zip", status: .fetched, path: target)
        return timed({ (r: inout SourceResult) throws(NerqError) in
            guard let target else { throw Download.noPlace("OSV data") }
            if Download.skips(ctx, present: Files.isDirectory(target), &r, describe: { Download.describeRecorded(&$0, target) }) { return }
            try Files.makeDirectories(Files.directory(of: target))
            let lock = try FileLock(lockFile: target + ".lock", timeoutSeconds: ctx.lockTimeoutSeconds)
            defer { lock.unlock() }
            Download.removeLeftovers(of: target)
            guard let (file, response, now) = try Download.revalidating(ctx, source: "osv", url: url, target: target,
                                                                       present: Files.isDirectory(target), label: "OSV export", &r) else { return }
            defer { Files.remove(file) }
            let (temporary, root, _) = try AdvisoryDBSource.renamed(Download.extract(file, zip: true, beside: target, limits: ctx.limits("osv")), file, url)
            defer { Files.removeTree(temporary) }
            let db = try AdvisoryDBSource.loadFetched(root, url: url, what: "no OSV records for crates.io in the zip")
            try Files.replaceDirectory(target, with: root)
            try Download.recordFetched(source: "osv", url: url, target: target, response: response, now: now,
                                       newestEntry: db.newestDate, entries: Int64(db.advisories.count), &r)
            r.details.append(("records_with_errors", .int(Int64(db.errors.count))))
        }, into: start, onFailure: { r in
            if let target = r.path { Download.describeRecorded(&r, target) }
        })
    }
}
