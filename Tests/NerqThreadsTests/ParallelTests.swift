#if canImport(Glibc)
import Glibc
#endif
@testable import NerqThreads
import Synchronization
import Testing

// parallelMap keeps input order and maps each item exactly once, on Dispatch's per-core workers
// and on threads of its own (`threads:`, for file reading); onThreads runs every index once.

@Suite struct ParallelTests {
    @Test(arguments: [nil, 1, 2, 5, 16, 64] as [Int?])
    func mapsEachItemOnceInOrder(threads: Int?) {
        let items = Array(0..<1_000)
        let calls = Atomic<Int>(0)
        let out = parallelMap(items, threads: threads, workerState: { 0 }) { seen, x -> String in
            seen += 1
            calls.wrappingAdd(1, ordering: .relaxed)
            return "\(x * 3)"
        }
        #expect(out == items.map { "\(x3($0))" })
        #expect(calls.load(ordering: .relaxed) == items.count)
    }

    @Test func fewerItemsThanThreads() {
        #expect(parallelMap([7, 8], threads: 16, workerState: {}) { _, x in x + 1 } == [8, 9])
        #expect(parallelMap([Int](), threads: 16, workerState: {}) { _, x in x }.isEmpty)
    }

    @Test(arguments: [nil, 8] as [Int?])
    func workerStateIsPerWorkerAndKept(threads: Int?) {
        // Each worker's state is (its own id, how many items it has mapped so far): within one
        // worker the counts run 1, 2, 3, ... with no gap or repeat, and there are no more workers
        // than asked for.
        let ids = Atomic<Int>(0)
        let out = parallelMap(Array(0..<500), threads: threads,
                              workerState: { (id: ids.wrappingAdd(1, ordering: .relaxed).oldValue, count: 0) }) { state, _ in
            state.count += 1
            return (state.id, state.count)
        }
        var byWorker: [Int: [Int]] = [:]
        for (id, count) in out { byWorker[id, default: []].append(count) }
        #expect(byWorker.count <= (threads ?? cpuCount))
        for counts in byWorker.values { #expect(counts.sorted() == Array(1...counts.count)) }
        #expect(byWorker.values.reduce(0) { $0 + $1.count } == 500)
    }

    @Test(arguments: [1, 2, 9])
    func onThreadsRunsEveryIndexOnce(count: Int) {
        let hits = Mutex<[Int]>(Array(repeating: 0, count: count))
        onThreads(count) { k in hits.withLock { $0[k] += 1 } }
        #expect(hits.withLock { $0 } == Array(repeating: 1, count: count))
    }

    private func x3(_ x: Int) -> Int { x * 3 }

    /// `concurrently`: both results, the background one from another thread.
    @Test func concurrentlyRunsBothAndJoins() {
        let caller = pthread_self()
        let (a, b) = concurrently({ () -> (Int, Bool) in
            (Array(1...1000).reduce(0, +), pthread_equal(pthread_self(), caller) != 0)
        }) { Array(1...10).reduce(0, +) }
        #expect(a == 55)
        #expect(b.0 == 500_500)
        #expect(!b.1, "the background work ran on a thread of its own")
    }
}
