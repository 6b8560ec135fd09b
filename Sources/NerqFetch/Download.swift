// The step every archive source shares: download to a temporary file beside the data (so the
// final rename stays on one file system), revalidating with the validators of the local copy.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqArchive
import NerqIO
import NerqJSON

enum Download {
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
