import Dispatch

/// Maps `items` on all cores, keeping the input order in the result (deterministic output).
/// `transform` runs on `min(count, 64)` chunks of consecutive items.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    let n = items.count
    guard n > 1 else { return items.map(transform) }
    let buffer = UnsafeMutableBufferPointer<R?>.allocate(capacity: n)
    buffer.initialize(repeating: nil)
    defer {
        buffer.deinitialize()
        buffer.deallocate()
    }
    let slots = SendableBuffer(buffer)
    let chunks = min(n, 64)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        var i = chunk * n / chunks
        let end = (chunk + 1) * n / chunks
        while i < end {
            slots.buffer[i] = transform(items[i])  // each index is written by exactly one chunk
            i += 1
        }
    }
    return buffer.compactMap { $0 }
}

/// Lets concurrentPerform's workers write disjoint slots of one buffer.
struct SendableBuffer<R>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<R?>
    init(_ buffer: UnsafeMutableBufferPointer<R?>) { self.buffer = buffer }
}
