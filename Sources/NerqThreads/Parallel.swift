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

/// Maps `items` on parallel workers (one per core unless `threads` says), each taking the next
/// unmapped item until none is left (items that differ in cost balance themselves) and keeping its own `workerState()`
/// (a read buffer, a cache) across the items it maps. Results are written straight into the result
/// array's storage, in input order (no optional slots, no second copy: results can be large
/// structs, and a thousand of them copied twice cost megabytes of fresh pages).
///
/// `threads`: how many workers. nil means one per core, run on Dispatch's threads (CPU-bound work).
/// Work that waits on the disk (reading files that are not in the page cache) wants more workers
/// than cores, so that while some wait others have reads queued; those run on threads of their own
/// (`onThreads`).
public func parallelMap<T: Sendable, R: Sendable, S>(_ items: [T], threads: Int? = nil, workerState: @Sendable () -> S,
                                                     _ transform: @Sendable (inout S, T) -> R) -> [R] {
    let n = items.count
    let workers = min(n, threads ?? cpuCount)
    if workers <= 1 {
        var state = workerState()
        return items.map { transform(&state, $0) }
    }
    return [R](unsafeUninitializedCapacity: n) { storage, initialized in
        guard let base = storage.baseAddress else { return }  // never: capacity n > 1
        let slots = SendablePointer(base)
        let next = Atomic<Int>(0)
        let work = { @Sendable (_: Int) in
            var state = workerState()
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < n else { break }
                // Each index is taken by exactly one worker, once; all n are, before return.
                (slots.base + i).initialize(to: transform(&state, items[i]))
            }
        }
        if threads == nil {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        } else {
            withoutActuallyEscaping(work) { onThreads(workers, $0) }
        }
        initialized = n
    }
}

/// Runs `body(k)` for k in 0..<count, each on its own thread (the caller runs `body(0)`), and
/// returns when all have returned. A thread that cannot be started is skipped: callers hand out
/// their work from a shared counter, so the threads that do run finish it.
public func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    var started: [pthread_t] = []
    if count > 1 {
        for k in 1..<count {
            if let thread = startThread(ThreadBody(body, k)) { started.append(thread) }
        }
    }
    body(0)
    for thread in started { pthread_join(thread, nil) }
}

/// `work.body(work.index)` on a new thread (to be joined), or nil when none could be started.
private func startThread(_ work: ThreadBody) -> pthread_t? {
    let context = Unmanaged.passRetained(work).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        let start = Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue()
        start.body(start.index)
        return nil
    }, context)
    guard rc == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        return nil
    }
    return thread
}

private final class ThreadBody: Sendable {
    let body: @Sendable (Int) -> Void
    let index: Int
    init(_ body: @escaping @Sendable (Int) -> Void, _ index: Int) {
        self.body = body
        self.index = index
    }
}

/// Workers for reading many files: more than the cores, because a file that is not in the page
/// cache keeps its reader waiting on the disk (on a 2-core machine, an assessment from a cold
/// advisory database takes about half as long with 16 readers as with 2; with the files cached,
/// the count makes no measurable difference).
public var fileReaderThreads: Int { max(cpuCount, 16) }

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

/// Runs `background` on a thread of its own while the caller runs `body`, and returns both results
/// when both are done (`background` runs after `body` on the caller when no thread can be started).
public func concurrently<A, B: Sendable>(_ background: @escaping @Sendable () -> B, _ body: () -> A) -> (A, B) {
    let box = ResultBox<B>()
    let thread = startThread(ThreadBody({ _ in box.value = background() }, 1))
    let a = body()
    if let thread {
        pthread_join(thread, nil)
    } else {
        box.value = background()
    }
    // Set by the joined thread (or here): the join orders that write before this read.
    guard let b = box.value else { return (a, background()) }
    return (a, b)
}

/// One result handed from a thread to the one that joins it.
private final class ResultBox<B>: @unchecked Sendable {
    var value: B?
}
