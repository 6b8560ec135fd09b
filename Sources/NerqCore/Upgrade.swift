/// Which version to move to: the smallest version named by an advisory's patched requirements that
import NerqSemver
/// is above the current one and satisfies its requirement.
enum Upgrade {
    static func smallestPatched(above current: Version, patched: [String]) -> Version? {
        var best: Version?
        for text in patched {
            guard let req = try? VersionReq.parse(text) else { continue }
            for c in req.comparators {
                guard var candidate = lowerBound(c) else { continue }
                // `> 1.2.3` starts at 1.2.4, `> 1.2` at 1.3.0, `> 1` at 2.0.0 (wrapping at u64::MAX
                // gives a candidate the requirement rejects, never a trap).
                if c.op == .greater {
                    if c.patch != nil {
                        candidate = Version(c.major, candidate.minor, candidate.patch &+ 1)
                    } else if let minor = c.minor {
                        candidate = Version(c.major, minor &+ 1, 0)
                    } else {
                        candidate = Version(c.major &+ 1, 0, 0)
                    }
                }
                guard current < candidate, req.matches(candidate) else { continue }
                if best.map({ candidate < $0 }) ?? true { best = candidate }
            }
        }
        return best
    }

    /// The smallest version a comparator can admit (nil for `<`, `<=`, which give no lower bound).
    static func lowerBound(_ c: Comparator) -> Version? {
        switch c.op {
        case .less, .lessEq: return nil
        default: return Version(c.major, c.minor ?? 0, c.patch ?? 0, pre: c.pre)
        }
    }
}
