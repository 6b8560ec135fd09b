import NerqCore

/// Validates each distinct CVSS vector once per loading worker (a database repeats a hundred or so
/// vectors across a thousand advisories). One instance per worker thread: no lock, nothing shared,
/// so workers never contend on it. Vectors are only validated here; scores are computed when an
/// advisory is reported (`AdvisoryRecord.cvssScore`).
final class CVSSChecks {
    private var seen: [String: CVSSError?] = [:]

    /// nil when `vector` is valid, else why not.
    func problem(_ vector: String) -> CVSSError? {
        if let known = seen[vector] { return known }
        var result: CVSSError? = nil
        do throws(CVSSError) {
            try CVSS.validate(vector)
        } catch {
            result = error
        }
        seen[vector] = result
        return result
    }
}
