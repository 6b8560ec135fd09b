#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NerqIO
import Synchronization

/// Progress of a long assessment, as cargo prints its own: `    Scanning 120/480 crate sources`
/// on stderr, at most a few times a second, and the final count once. Only when the request asks
/// (`options.progress`: a host sets it when stderr is a terminal); otherwise every call is a no-op.
/// Written with write(2) on descriptor 2: no buffering shared with the host, one line per write.
final class Progress: Sendable {
    let enabled: Bool
    private let done = Atomic<Int>(0)
    private let lastReport = Atomic<Int64>(0)
    private let total: Int
    private let verb: String
    private let noun: String

    init(enabled: Bool, verb: String, total: Int, noun: String) {
        self.enabled = enabled && total > 0
        self.verb = verb
        self.total = total
        self.noun = noun
    }

    /// One more item done (from any thread).
    func tick() {
        guard enabled else { return }
        let n = done.wrappingAdd(1, ordering: .relaxed).newValue
        if n == total {
            Progress.line("\(verb) \(n)/\(total) \(noun)")
            return
        }
        let now = Files.monotonicMilliseconds()
        let last = lastReport.load(ordering: .relaxed)
        guard now - last >= 250, lastReport.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged
        else { return }
        Progress.line("\(verb) \(n)/\(total) \(noun)")
    }

    static func line(_ text: String) {
        let padded = String(repeating: " ", count: max(0, 12 - (text.firstIndex(of: " ").map { text.distance(from: text.startIndex, to: $0) } ?? 0))) + text + "\n"
        var bytes = Array(padded.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = write(2, base + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
