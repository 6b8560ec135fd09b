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
    private var found: AdvisoryDatabase.Found?
    private var foundOSV: [AdvisoryDatabase.Found] = []
    private var loaded: Loaded?

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

    convenience init(found: AdvisoryDatabase.Found?, osv: [AdvisoryDatabase.Found] = []) {
        self.init(found: found, osv: osv, loaded: nil)
    }

    convenience init(loaded: AdvisoryDatabase) {
        self.init(found: nil, osv: [], loaded: Loaded(database: loaded, merge: nil, newestRustSec: loaded.newestDate, newestOSV: [], osvCounts: []))
    }

    private init(found: AdvisoryDatabase.Found?, osv: [AdvisoryDatabase.Found], loaded: Loaded?) {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        self.found = found
        self.foundOSV = osv
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
        let rustsec = found?.read()
        let osv = foundOSV.map { $0.read() }
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
