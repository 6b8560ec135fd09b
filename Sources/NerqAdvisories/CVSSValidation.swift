import NerqCore
import NerqCVSS

/// Why an advisory's CVSS vector is invalid, or nil when it is valid. Vectors are only validated at
/// load (`CVSS.validate` checks a valid one on its bytes, without allocating: cheaper than looking
/// it up in a cache); scores are computed when an advisory is reported (`AdvisoryRecord.cvssScore`).
func cvssProblem(_ vector: String) -> CVSSError? {
    do throws(CVSSError) {
        try CVSS.validate(vector)
        return nil
    } catch {
        return error
    }
}
