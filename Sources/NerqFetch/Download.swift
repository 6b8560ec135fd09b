// The step every archive source shares: download to a temporary file beside the data (so the
// final rename stays on one file system), revalidating with the validators of the local copy.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqArchive
import NerqCore
import NerqIO
import NerqJSON

enum Download {
    /// Where a source would go when no cache location is known.
    static func noPlace(_ what: String) -> NerqError {
        NerqError(.invalidValue, "no place for \(what): set cache_dir, NERQ_CACHE_DIR or HOME")
    }

    /// Offline, or `update: "missing"` with the data on disk: nothing is downloaded and the result
    /// says so (returns true). The local copy is described by `describe`.
    static func skips(_ ctx: FetchContext, present: Bool, _ r: inout SourceResult, describe: (inout SourceResult) -> Void) -> Bool {
        guard ctx.offline || (ctx.update == .missing && present) else { return false }
        r.status = ctx.offline ? .offline : .upToDate
        describe(&r)
        return true
    }

    /// The local copy at `target` as its fetch record describes it (no record: only its path).
    static func describeRecorded(_ r: inout SourceResult, _ target: String) {
        guard Files.exists(target) else {
            if r.status != .failed { r.path = nil }
            return
        }
        r.describe(try? FetchRecord.read(for: target))
    }

    /// Downloads `url` for the data at `target`, sending the validators of its fetch record.
    /// Returns the new file (the caller removes it) and when it arrived; or nil after a 304, when
    /// the record has been updated (`checked_at`, validators) and describes `r`.
    static func revalidating(_ ctx: FetchContext, source: String, url: String, target: String, present: Bool, near: String? = nil,
                             label: String, _ r: inout SourceResult) throws(NerqError) -> (file: String, response: HTTPResponse, now: Timestamp)? {
        let record = present ? try? FetchRecord.read(for: target) : nil
        let (file, response) = try toTemporary(url, near: near ?? target, validators: record?.validators ?? HTTPValidators(),
                                               maxBytes: ctx.cap(source), label: label, network: ctx.network)
        let now = ctx.clock()
        r.bytes = response.bytes
        guard let file else {
            r.status = .notModified
            if var record {
                record.checkedAt = now
                record.validators = response.validators
                try record.write(for: target)
                r.describe(record)
            }
            return nil
        }
        return (file, response, now)
    }

    /// Records new data at `target` (after it is in place) and describes it in `r`.
    static func recordFetched(source: String, url: String, target: String, response: HTTPResponse, now: Timestamp,
                              newestEntry: String?, entries: Int64, _ r: inout SourceResult) throws(NerqError) {
        let written = FetchRecord(source: source, url: url, fetchedAt: now, checkedAt: now, validators: response.validators,
                                  bytes: response.bytes, newestEntry: newestEntry, entries: entries)
        try written.write(for: target)
        r.status = .fetched
        r.describe(written)
    }

    /// Downloads `url` into a new temporary file named after `near` (`<near>.download.tmp-…`).
    /// Returns its path, or nil when the server answered 304 (nothing written). The caller
    /// removes the file; on an error it is already gone.
    static func toTemporary(_ url: String, near: String, validators: HTTPValidators, maxBytes: Int64, label: String,
                            network: NetworkOptions) throws(NerqError) -> (path: String?, response: HTTPResponse) {
        let client = try HTTPClient(options: network)
        let temporary = Files.temporaryName(for: near + ".download")
        let fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Files.openError(temporary) }
        let response: HTTPResponse
        do throws(NerqError) {
            response = try client.download(url, to: fd, validators: validators, maxBytes: maxBytes, label: label)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        if response.notModified {
            unlink(temporary)
            return (nil, response)
        }
        return (temporary, response)
    }

    /// Removes what a killed fetch of the data at `target` left: `<target>.download.tmp-*` files
    /// and `<target>.tmp-*` trees. Call while holding the data's lock.
    static func removeLeftovers(of target: String) {
        Files.removeStaleTemporaries(of: target + ".download")
        Files.removeStaleTemporaries(of: target)
    }

    /// Extracts `archive` (a zip, or a tarball) into a new temporary directory beside `target`
    /// and returns the tree's root: the directory itself, or its only subdirectory when the
    /// archive wraps everything in one folder (GitHub's `advisory-db-main/`). The caller removes
    /// `temporary` when done.
    static func extract(_ archive: String, zip: Bool, beside target: String,
                        limits: ArchiveLimits) throws(NerqError) -> (temporary: String, root: String, summary: ExtractSummary) {
        let temporary = Files.temporaryName(for: target)
        guard mkdir(temporary, 0o755) == 0 else { throw NerqError(.ioError, "cannot create \(temporary): \(Files.errnoText())", path: temporary) }
        do throws(NerqError) {
            let summary = zip ? try Archive.extractZip(archive, into: temporary, limits: limits)
                              : try Archive.extractTar(archive, into: temporary, limits: limits)
            var root = temporary
            if let entries = Directory.list(path: temporary), entries.count == 1, let only = entries.first, only.kind == .directory {
                root = Files.join(temporary, only.name)
            }
            return (temporary, root, summary)
        } catch {
            Files.removeTree(temporary)
            throw error
        }
    }
}
