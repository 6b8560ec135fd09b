#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import NerqAdvisories

/// An engine's advisory data: the RustSec advisory-db and any OSV databases, found when the engine
/// is created (a missing database is a creation error), read, merged and parsed once, by the
/// first request that needs them. `assess` starts the read on other cores before it parses the
/// project's lockfile, so the two overlap.
///
/// A pthread mutex (not `Synchronization.Mutex`, which ThreadSanitizer cannot see on Linux) guards
/// the one-time read; every caller after it takes the lock only to pick up the result.
final class AdvisorySource: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var found: Pending?
    private var foundOSV: [Pending] = []
    /// Where parsed databases are kept between processes (nil: always parse).
    private let cache: AdvisoryIndexCache?
    private var loaded: Loaded?

    /// A database as the engine's creation left it, to be read on first use: found and probed;
    /// or, when this build wrote an index of it, only named. Its index is then checked at first
    /// use (AdvisoryIndexCache: every file's status against the index's), and stands for the
    /// listing and the probe: it was written by a read of this very database, unchanged since.
    /// When the files changed, they are read; a database that can no longer be found then reads
    /// as empty, with the reason as its one error (an empty database checks no package, and the
    /// assessment says so).
    enum Pending {
        case found(AdvisoryDatabase.Found)
        case indexed(path: String)

        func read(cache: AdvisoryIndexCache?) -> AdvisoryDatabase {
            switch self {
            case .found(let f): return f.read(cache: cache)
            case .indexed(let path):
                if let db = cache?.load(path: path) { return db }
                do {
                    return try AdvisoryDatabase.find(path: path).read(cache: cache, readingIndex: false)
                } catch {
                    return AdvisoryDatabase(path: path, advisories: [], errors: [AdvisoryLoadError(file: path, line: nil, message: error.message)])
                }
            }
        }
    }

    /// What the read produced.
    struct Loaded {
        var database: AdvisoryDatabase
        /// Set when OSV databases were merged in.
        var merge: AdvisoryMergeSummary?
        /// The newest advisory date of the RustSec database and of each OSV database (their
        /// freshness; computed once).
        var newestRustSec: String?
        var newestOSV: [String?]
        var osvCounts: [Int]
    }

    convenience init(found: Pending?, osv: [Pending] = [], cache: AdvisoryIndexCache? = nil) {
        self.init(found: found, osv: osv, cache: cache, loaded: nil)
    }

    convenience init(loaded: AdvisoryDatabase) {
        self.init(found: nil, osv: [], cache: nil, loaded: Loaded(database: loaded, merge: nil, newestRustSec: loaded.newestDate, newestOSV: [], osvCounts: []))
    }

    private init(found: Pending?, osv: [Pending], cache: AdvisoryIndexCache?, loaded: Loaded?) {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        self.found = found
        self.foundOSV = osv
        self.cache = cache
        self.loaded = loaded
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The database, read now if no one has read it yet (other callers wait for that read).
    var database: AdvisoryDatabase { state.database }

    var state: Loaded {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let loaded { return loaded }
        let rustsec = found?.read(cache: cache)
        let osv = foundOSV.map { $0.read(cache: cache) }
        let result: Loaded
        if osv.isEmpty {
            let db = rustsec ?? AdvisoryDatabase(path: "", advisories: [])
            result = Loaded(database: db, merge: nil, newestRustSec: db.newestDate, newestOSV: [], osvCounts: [])
        } else {
            let (db, summary) = AdvisoryDatabase.merged(rustsec: rustsec, osv: osv)
            result = Loaded(database: db, merge: summary, newestRustSec: rustsec?.newestDate, newestOSV: osv.map(\.newestDate),
                            osvCounts: osv.map(\.advisories.count))
        }
        loaded = result
        found = nil  // closes its directories
        foundOSV = []
        return result
    }

    /// Starts the read on another thread when it has not happened yet. Whoever asks for `database`
    /// first, that thread or a caller, does the read; the other waits for it on the lock (so a
    /// caller never depends on a free Dispatch thread).
    func startReading() {
        pthread_mutex_lock(mutex)
        let pending = loaded == nil
        pthread_mutex_unlock(mutex)
        guard pending else { return }
        DispatchQueue.global().async { _ = self.database }
    }
}
