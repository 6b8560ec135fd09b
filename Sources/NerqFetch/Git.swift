// The advisory database as cargo-audit keeps it: a full clone of the RustSec repository, updated
// with `git fetch <url> +HEAD:refs/remotes/origin/HEAD` and `git reset --hard` to that commit,
// under cargo-audit's own lock (`<dir>..lock`), so that nerq and cargo-audit can share
// `~/.cargo/advisory-db`.
//
// The `git` program rather than libgit2: it is installed wherever Rust developers work, it
// honours the user's git configuration, credential helpers and proxy settings exactly as their
// own git does (rustsec goes out of its way to read git's configuration for the same reason;
// cargo-deny 0.20 shells out too), and it adds no C library to libnerq.so. It runs with an
// argument list (no shell), no terminal prompt, no hooks, git's location variables removed, and a
// time limit.

import NerqCore
import NerqIO
import NerqJSON

enum Git {
    /// Runs `git ARGS` (in `directory`), failing with git's own message when it exits non-zero.
    @discardableResult
    static func run(_ args: [String], in directory: String? = nil, timeoutSeconds: Int) throws(NerqError) -> String {
        // Hooks off, the `ext::` transport off (it runs commands named in a URL).
        let argv = ["git"] + (directory.map { ["-C", $0] } ?? []) + ["-c", "core.hooksPath=/dev/null", "-c", "protocol.ext.allow=never"] + args
        let env = Program.environment(
            removing: ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                       "GIT_CEILING_DIRECTORIES", "GIT_NAMESPACE"],
            adding: [("GIT_TERMINAL_PROMPT", "0"), ("GCM_INTERACTIVE", "never"), ("LC_ALL", "C")])
        let r = try Program.run(argv, environment: env, timeoutSeconds: timeoutSeconds)
        let shown = "git " + args.prefix(2).joined(separator: " ")
        if r.timedOut {
            throw NerqError(.networkError, "\(shown) did not finish within \(timeoutSeconds) s", path: directory)
        }
        guard r.status == 0 else {
            let lines = r.stderr.split(separator: "\n").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            let message = lines.suffix(3).joined(separator: "; ")
            throw NerqError(.networkError, "\(shown) failed (exit \(r.status)): \(message.isEmpty ? "no message" : message)", path: directory)
        }
        return r.stdout
    }

    /// The URL schemes git may fetch from: https, ssh and local repositories; plain http and
    /// git:// only to loopback hosts or when allowed.
    static func checkURL(_ url: String, allowHTTP: Bool) throws(NerqError) {
        if url.hasPrefix("-") { throw NerqError(.invalidValue, "\(url): not a repository URL", path: url) }
        let lower = url.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("ssh://") || lower.hasPrefix("file://") || lower.hasPrefix("/") { return }
        if lower.hasPrefix("http://") || lower.hasPrefix("git://") {
            if allowHTTP { return }
            let rest = lower.drop { $0 != "/" }.dropFirst(2)
            let authority = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
            var host = authority.split(separator: "@").last.map(String.init) ?? authority
            if host.hasPrefix("[") { host = String(host.prefix { $0 != "]" }) + "]" } else if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
            if URLPolicy.isLoopback(host) { return }
            throw NerqError(.invalidValue, "\(url): unencrypted git transport is allowed only to loopback hosts or with allow_http", path: url)
        }
        // scp-like ssh: user@host:path
        if let at = url.firstIndex(of: "@"), url[at...].contains(":"), !url.contains("://") { return }
        throw NerqError(.invalidValue, "\(url): not a git URL nerq fetches (https, ssh, file or a local path)", path: url)
    }

    struct Outcome {
        var cloned: Bool
        var changed: Bool
        var commit: String
        var commitDate: String?
    }

    /// Clones `url` into `target` (through a temporary beside it, renamed into place when
    /// complete) or, when `target` is already a checkout, fetches and resets it to the fetched
    /// commit. The caller holds the database's lock.
    static func update(_ target: String, from url: String, timeoutSeconds: Int) throws(NerqError) -> Outcome {
        if Files.isDirectory(Files.join(target, ".git")) {
            // cargo-audit keeps whatever origin the checkout has; nerq updates only a checkout of
            // the URL it was asked to fetch, and says so otherwise.
            let origin = (try? run(["config", "--get", "remote.origin.url"], in: target, timeoutSeconds: 30))?.trimmingSpaces ?? ""
            guard origin == url else {
                throw NerqError(.invalidValue, "\(target) is a clone of \(origin.isEmpty ? "an unknown origin" : origin), not of \(url): not updated (fetch into another directory with advisory_db, or use that URL)", path: target)
            }
            let before = try head(target)
            try run(["fetch", "--quiet", "--no-tags", "--", url, "+HEAD:refs/remotes/origin/HEAD"], in: target, timeoutSeconds: timeoutSeconds)
            let fetched = try run(["rev-parse", "--verify", "refs/remotes/origin/HEAD^{commit}"], in: target, timeoutSeconds: 30).trimmingSpaces
            if fetched != before {
                try run(["reset", "--hard", "--quiet", fetched], in: target, timeoutSeconds: 300)
            }
            return Outcome(cloned: false, changed: fetched != before, commit: fetched, commitDate: try? commitDate(target))
        }
        if Files.exists(target) {
            guard let entries = try? Files.list(target), entries.isEmpty else {
                throw NerqError(.invalidValue, "\(target) exists and is not a git checkout: not replaced by a clone", path: target)
            }
            try Files.removeTreeOrThrow(target)
        }
        try Files.makeDirectories(Files.directory(of: target))
        Files.removeStaleTemporaries(of: target)
        let temporary = Files.temporaryName(for: target)
        do throws(NerqError) {
            try run(["clone", "--quiet", "--single-branch", "--no-tags", "--", url, temporary], timeoutSeconds: timeoutSeconds)
            let commit = try head(temporary)
            try Files.rename(temporary, target)
            return Outcome(cloned: true, changed: true, commit: commit, commitDate: try? commitDate(target))
        } catch {
            Files.removeTree(temporary)
            throw error
        }
    }

    static func head(_ dir: String) throws(NerqError) -> String {
        try run(["rev-parse", "--verify", "HEAD^{commit}"], in: dir, timeoutSeconds: 30).trimmingSpaces
    }

    /// The committer date of HEAD (what cargo-audit's staleness check looks at).
    static func commitDate(_ dir: String) throws(NerqError) -> String {
        try run(["log", "-1", "--format=%cI", "HEAD"], in: dir, timeoutSeconds: 30).trimmingSpaces
    }
}

extension Files {
    static func removeTreeOrThrow(_ path: String) throws(NerqError) {
        guard removeTree(path) else { throw NerqError(.ioError, "cannot remove \(path): \(errnoText())", path: path) }
    }
}

/// What the files of a git checkout say about its freshness, read without running git (the engine
/// reads this at every creation): when it was last fetched (`.git/FETCH_HEAD`'s mtime, as
/// cargo-deny reads it; a fresh clone has none, so the newest of that, the last reflog entry and
/// `.git/HEAD`'s mtime) and its origin URL.
public struct GitCheckoutInfo: Sendable, Equatable {
    public var fetchedAt: Timestamp?
    public var origin: String?

    public static func read(_ dir: String) -> GitCheckoutInfo? {
        let git = Files.join(dir, ".git")
        guard Files.isDirectory(git) else { return nil }
        var newest: Int64?
        for f in ["FETCH_HEAD", "HEAD", "logs/HEAD"] {
            if let i = Files.info(Files.join(git, f)), i.kind == .file {
                let seconds = i.modified / 1_000_000_000
                newest = max(newest ?? seconds, seconds)
            }
        }
        return GitCheckoutInfo(fetchedAt: newest.map { Timestamp(seconds: $0) }, origin: originURL(git))
    }

    /// `[remote "origin"] url = ...` from `.git/config` (the one key needed; not a git config parser).
    static func originURL(_ git: String) -> String? {
        guard case .success(let bytes) = Files.readBytes(Files.join(git, "config"), limit: 1 << 20) else { return nil }
        var inOrigin = false
        for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let line = String(raw).trimmingSpaces
            if line.hasPrefix("[") {
                inOrigin = line == "[remote \"origin\"]"
                continue
            }
            guard inOrigin, line.hasPrefix("url") else { continue }
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters() == "url" { return String(parts[1]).trimmingSpaces }
        }
        return nil
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingSpaces }
}
