#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqCore
import NerqIO
import NerqScan

/// An engine's crate-source scans, kept so that asking about the same crate again never rescans
/// it. A scan is reused while the crate's directory holds the same files with the same sizes and
/// modification times (its fingerprint, taken with one walk and no reads); any change scans again.
/// Thread-safe: scans run outside the lock, so two threads asking at once may both scan (the
/// results are equal).
final class ScanCache: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var entries: [String: (fingerprint: UInt64, found: LocalSources.Found)] = [:]
    /// Crates kept at most (oldest dropped first): a long-lived engine asked about many crates
    /// must not grow without bound.
    static let capacity = 4096
    private var order: [String] = []

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// One result per wanted crate (nil where it is not on disk or could not be scanned), in
    /// order; crates not cached (or changed) are scanned on `fileReaderThreads` threads.
    /// `progress`: count the crates being scanned on stderr (cached ones are not scanned again).
    func scan(_ wanted: [LocalSources.Wanted], vendorDirs: [String], cargoSources: [String], progress: Bool = false) -> [LocalSources.Found?] {
        let located = LocalSources.locate(wanted, vendorDirs: vendorDirs, cargoSources: cargoSources)
        var out = [LocalSources.Found?](repeating: nil, count: wanted.count)
        var misses: [(index: Int, location: LocalSources.Location, fingerprint: UInt64)] = []
        for (k, location) in located.enumerated() {
            guard let location else { continue }
            let print = ScanCache.fingerprint(location.path)
            if let hit = lookup(location.key, print) { out[k] = hit } else { misses.append((k, location, print)) }
        }
        let counter = Progress(enabled: progress, verb: "Scanning", total: misses.count, noun: "crate sources")
        let tick: (@Sendable () -> Void)? = counter.enabled ? { @Sendable in counter.tick() } : nil
        let scanned = LocalSources.scan(misses.map(\.location), finished: tick)
        for (miss, found) in zip(misses, scanned) {
            out[miss.index] = found
            if let found { store(miss.location.key, miss.fingerprint, found) }
        }
        return out
    }

    private func lookup(_ key: String, _ fingerprint: UInt64) -> LocalSources.Found? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard let e = entries[key], e.fingerprint == fingerprint else { return nil }
        return e.found
    }

    private func store(_ key: String, _ fingerprint: UInt64, _ found: LocalSources.Found) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if entries[key] == nil {
            order.append(key)
            if order.count > ScanCache.capacity {
                entries[order.removeFirst()] = nil
            }
        }
        entries[key] = (fingerprint, found)
    }

    /// What a rescan would see differently: every entry below the crate directory, with its size
    /// and modification time (`Walk.fingerprint`: no file is read).
    static func fingerprint(_ directory: String) -> UInt64 {
        guard let real = Files.realPath(directory) else { return 0 }
        return Walk.fingerprint(realRoot: real)
    }
}
