#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import NerqAdvisories

/// An engine's advisory database: found when the engine is created (a missing database is a
/// creation error), read and parsed once, by the first request that needs it. `assess` starts the
/// read on other cores before it parses the project's lockfile, so the two overlap.
///
/// A pthread mutex (not `Synchronization.Mutex`, which ThreadSanitizer cannot see on Linux) guards
/// the one-time read; every caller after it takes the lock only to pick up the result.
final class AdvisorySource: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var found: AdvisoryDatabase.Found?
    private var loaded: AdvisoryDatabase?

    convenience init(found: AdvisoryDatabase.Found) { self.init(found: found, loaded: nil) }

    convenience init(loaded: AdvisoryDatabase) { self.init(found: nil, loaded: loaded) }

    private init(found: AdvisoryDatabase.Found?, loaded: AdvisoryDatabase?) {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        self.found = found
        self.loaded = loaded
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The database, read now if no one has read it yet (other callers wait for that read).
    var database: AdvisoryDatabase {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let loaded { return loaded }
        let db = found?.read() ?? AdvisoryDatabase(path: "", advisories: [])
        loaded = db
        found = nil  // closes its directories
        return db
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
