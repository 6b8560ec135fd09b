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

    init(found: AdvisoryDatabase.Found) {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        self.found = found
    }

    init(loaded: AdvisoryDatabase) {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
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

    /// Starts the read on another thread when it has not happened yet; `database` then waits for
    /// it. The returned group is left when that thread is done (callers wait on it so that no
    /// work of theirs outlives their call).
    func startReading() -> DispatchGroup? {
        pthread_mutex_lock(mutex)
        let pending = loaded == nil
        pthread_mutex_unlock(mutex)
        guard pending else { return nil }
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { _ = self.database }
        return group
    }
}
