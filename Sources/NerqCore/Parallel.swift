import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Maps `items` on all cores, keeping the input order in the result (deterministic output).
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    parallelMap(items, workerState: {}) { _, item in transform(item) }
}

/// Maps `items` on all cores with one worker per core, each taking the next unmapped item until
/// none is left (items that differ in cost balance themselves) and keeping its own `workerState()`
/// (a read buffer, a cache) across the items it maps. Results are written straight into the result
/// array's storage, in input order (no optional slots, no second copy: results can be large
/// structs, and a thousand of them copied twice cost megabytes of fresh pages).
public func parallelMap<T: Sendable, R: Sendable, S>(_ items: [T], workerState: @Sendable () -> S,
                                                     _ transform: @Sendable (inout S, T) -> R) -> [R] {
    let n = items.count
    let workers = min(n, cpuCount)
    if workers <= 1 {
        var state = workerState()
        return items.map { transform(&state, $0) }
    }
    return [R](unsafeUninitializedCapacity: n) { storage, initialized in
        guard let base = storage.baseAddress else { return }  // never: capacity n > 1
        let slots = SendablePointer(base)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var state = workerState()
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < n else { break }
                // Each index is taken by exactly one worker, once; all n are, before return.
                (slots.base + i).initialize(to: transform(&state, items[i]))
            }
        }
        initialized = n
    }
}

/// Number of CPUs online (at least 1).
public var cpuCount: Int {
    let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    return n > 0 ? Int(n) : 1
}

/// Lets concurrentPerform's workers initialize disjoint slots of one buffer.
struct SendablePointer<R>: @unchecked Sendable {
    let base: UnsafeMutablePointer<R>
    init(_ base: UnsafeMutablePointer<R>) { self.base = base }
}
