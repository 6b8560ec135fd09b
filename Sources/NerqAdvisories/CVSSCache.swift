import NerqCore
import Synchronization

/// Scores each distinct CVSS vector once per load, shared by the parsing workers. The lock is held
/// only for lookups and inserts, never while scoring (two workers may score the same new vector at
/// the same time; both get the same answer).
final class CVSSCache: Sendable {
    struct Score: Sendable {
        var score: Double
        var severity: Severity?
    }

    private let table = Mutex<[String: Result<Score, CVSSError>]>([:])

    init() {}

    func score(_ vector: String) -> Result<Score, CVSSError> {
        if let hit = table.withLock({ $0[vector] }) { return hit }
        let r: Result<Score, CVSSError>
        do throws(CVSSError) {
            let s = try CVSS.baseScore(vector)
            r = .success(Score(score: s.score, severity: Severity(rawValue: s.severity)))
        } catch {
            r = .failure(error)
        }
        table.withLock { $0[vector] = r }
        return r
    }
}
