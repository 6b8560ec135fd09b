import Dispatch

/// Maps `items` on all cores, keeping the input order in the result (deterministic output).
/// `transform` runs on `min(count, 64)` chunks of consecutive items. Results are written straight
/// into the result array's storage (no optional slots, no second copy): results can be large
/// structs, and a thousand of them copied twice cost megabytes of fresh pages.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    let n = items.count
    guard n > 1 else { return items.map(transform) }
    return [R](unsafeUninitializedCapacity: n) { storage, initialized in
        guard let base = storage.baseAddress else { return }  // never: capacity n > 1
        let slots = SendablePointer(base)
        let chunks = min(n, 64)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var i = chunk * n / chunks
            let end = (chunk + 1) * n / chunks
            while i < end {
                // Each index is initialized by exactly one chunk, once; all n are, before return.
                (slots.base + i).initialize(to: transform(items[i]))
                i += 1
            }
        }
        initialized = n
    }
}

/// Lets concurrentPerform's workers initialize disjoint slots of one buffer.
struct SendablePointer<R>: @unchecked Sendable {
    let base: UnsafeMutablePointer<R>
    init(_ base: UnsafeMutablePointer<R>) { self.base = base }
}
