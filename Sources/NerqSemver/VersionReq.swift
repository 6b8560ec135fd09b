// Cargo version requirements, mirroring Rust's `semver` crate 1.x:
// parsing from `src/parse.rs` (`impl FromStr for VersionReq`, `comparator`,
// `version_req`, `op`, `wildcard`), matching from `src/eval.rs`
// (`matches_req`, `matches_impl`, `matches_exact`, `matches_greater`,
// `matches_less`, `matches_tilde`, `matches_caret`, `pre_is_compatible`),
// display from `src/display.rs`.

/// One comparator of a requirement, e.g. `>=1.2.3-alpha` or `1.*`.
public struct Comparator: Sendable, Hashable, CustomStringConvertible {
    public enum Op: Sendable, Hashable {
        /// `=I.J.K`, `=I.J`, `=I`
        case exact
        /// `>I.J.K`, `>I.J`, `>I`
        case greater
        /// `>=I.J.K`, `>=I.J`, `>=I`
        case greaterEq
        /// `<I.J.K`, `<I.J`, `<I`
        case less
        /// `<=I.J.K`, `<=I.J`, `<=I`
        case lessEq
        /// `~I.J.K`, `~I.J`, `~I`
        case tilde
        /// `^I.J.K`, `^I.J`, `^I`, and bare `I.J.K` / `I.J` / `I`
        case caret
        /// `I.J.*`, `I.*`, `I.J.x`, ... (only when no explicit operator is given)
        case wildcard
    }

    public var op: Op
    public var major: UInt64
    public var minor: UInt64?
    public var patch: UInt64?
    /// Pre-release identifiers (only possible when `patch` is present).
    public var pre: [Identifier]

    public init(op: Op, major: UInt64, minor: UInt64? = nil, patch: UInt64? = nil, pre: [Identifier] = []) {
        self.op = op
        self.major = major
        self.minor = minor
        self.patch = patch
        self.pre = pre
    }

    /// `semver::Comparator::matches` (`matches_comparator`): the comparator
    /// alone, including the pre-release rule.
    public func matches(_ v: Version) -> Bool {
        matchesImpl(v) && (v.pre.isEmpty || preIsCompatible(v))
    }

    func matchesImpl(_ v: Version) -> Bool {
        switch op {
        case .exact, .wildcard: return matchesExact(v)
        case .greater: return matchesGreater(v)
        case .greaterEq: return matchesExact(v) || matchesGreater(v)
        case .less: return matchesLess(v)
        case .lessEq: return matchesExact(v) || matchesLess(v)
        case .tilde: return matchesTilde(v)
        case .caret: return matchesCaret(v)
        }
    }

    func matchesExact(_ v: Version) -> Bool {
        if v.major != major { return false }
        if let minor, v.minor != minor { return false }
        if let patch, v.patch != patch { return false }
        return comparePre(v.pre, pre) == 0
    }

    func matchesGreater(_ v: Version) -> Bool {
        if v.major != major { return v.major > major }
        guard let minor else { return false }
        if v.minor != minor { return v.minor > minor }
        guard let patch else { return false }
        if v.patch != patch { return v.patch > patch }
        return comparePre(v.pre, pre) > 0
    }

    func matchesLess(_ v: Version) -> Bool {
        if v.major != major { return v.major < major }
        guard let minor else { return false }
        if v.minor != minor { return v.minor < minor }
        guard let patch else { return false }
        if v.patch != patch { return v.patch < patch }
        return comparePre(v.pre, pre) < 0
    }

    func matchesTilde(_ v: Version) -> Bool {
        if v.major != major { return false }
        if let minor, v.minor != minor { return false }
        if let patch, v.patch != patch { return v.patch > patch }
        return comparePre(v.pre, pre) >= 0
    }

    func matchesCaret(_ v: Version) -> Bool {
        if v.major != major { return false }
        guard let minor else { return true }
        guard let patch else {
            if major > 0 {
                return v.minor >= minor
            } else {
                return v.minor == minor
            }
        }
        if major > 0 {
            if v.minor != minor {
                return v.minor > minor
            } else if v.patch != patch {
                return v.patch > patch
            }
        } else if minor > 0 {
            if v.minor != minor {
                return false
            } else if v.patch != patch {
                return v.patch > patch
            }
        } else if v.minor != minor || v.patch != patch {
            return false
        }
        return comparePre(v.pre, pre) >= 0
    }

    /// A pre-release version may only match a comparator that names the same
    /// `major.minor.patch` and itself has a pre-release.
    func preIsCompatible(_ v: Version) -> Bool {
        major == v.major && minor == v.minor && patch == v.patch && !pre.isEmpty
    }

    public var description: String {
        var s: String
        switch op {
        case .exact: s = "="
        case .greater: s = ">"
        case .greaterEq: s = ">="
        case .less: s = "<"
        case .lessEq: s = "<="
        case .tilde: s = "~"
        case .caret: s = "^"
        case .wildcard: s = ""
        }
        s += "\(major)"
        if let minor {
            s += ".\(minor)"
            if let patch {
                s += ".\(patch)"
                if !pre.isEmpty {
                    s += "-" + pre.map(\.description).joined(separator: ".")
                }
            } else if op == .wildcard {
                s += ".*"
            }
        } else if op == .wildcard {
            s += ".*"
        }
        return s
    }
}

/// A Cargo version requirement: comma-separated comparators, all of which
/// must match. An empty comparator list is `*` (matches every release).
public struct VersionReq: Sendable, Hashable, CustomStringConvertible {
    public var comparators: [Comparator]

    /// `*`: matches any version without a pre-release.
    public static let star = VersionReq(comparators: [])

    /// Maximum number of comparators accepted by `semver` (`MAX_COMPARATORS`).
    public static let maxComparators = 32

    public init(comparators: [Comparator]) {
        self.comparators = comparators
    }

    /// Parse a requirement exactly as `semver::VersionReq::parse` does.
    public static func parse(_ text: String) throws(SemverError) -> VersionReq {
        let input = ByteInput(text)
        var i = input.skipSpaces(0)
        if let ch = wildcardChar(input.at(i)) {
            let rest = input.skipSpaces(i + 1)
            if rest >= input.count {
                return .star
            } else if input.at(rest) == 0x2C { // ','
                throw SemverError(.wildcardNotTheOnlyComparator(ch))
            } else {
                throw SemverError(.unexpectedAfterWildcard)
            }
        }

        var comparators: [Comparator] = []
        while true {
            let comparatorStart = i
            let parsed: (Comparator, SemverPosition)
            do throws(SemverError) {
                parsed = try parseComparator(input, &i)
            } catch {
                // `version_req`: a wildcard in a list gets a clearer error.
                if let ch = wildcardChar(input.at(comparatorStart)) {
                    let rest = input.skipSpaces(comparatorStart + 1)
                    if rest >= input.count || input.at(rest) == 0x2C {
                        throw SemverError(.wildcardNotTheOnlyComparator(ch))
                    }
                }
                throw error
            }
            let (comparator, pos) = parsed
            if i >= input.count {
                comparators.append(comparator)
                return VersionReq(comparators: comparators)
            }
            if input.at(i) == 0x2C { // ','
                i = input.skipSpaces(i + 1)
            } else {
                let unexpected = input.char(at: i) ?? " "
                throw SemverError(.expectedCommaFound(pos, unexpected))
            }
            if comparators.count + 1 == VersionReq.maxComparators {
                throw SemverError(.excessiveComparators)
            }
            comparators.append(comparator)
        }
    }

    /// Same as `VersionReq.parse`.
    public init(parsing text: String) throws(SemverError) {
        self = try VersionReq.parse(text)
    }

    /// `semver::VersionReq::matches`: every comparator matches, and a
    /// pre-release version additionally needs some comparator with the same
    /// `major.minor.patch` that has a pre-release.
    public func matches(_ v: Version) -> Bool {
        for cmp in comparators where !cmp.matchesImpl(v) {
            return false
        }
        if v.pre.isEmpty {
            return true
        }
        for cmp in comparators where cmp.preIsCompatible(v) {
            return true
        }
        return false
    }

    public var description: String {
        if comparators.isEmpty {
            return "*"
        }
        return comparators.map(\.description).joined(separator: ", ")
    }
}

/// `wildcard`: `*`, `x` or `X`.
func wildcardChar(_ b: UInt8?) -> Character? {
    switch b {
    case 0x2A: return "*"
    case 0x78: return "x"
    case 0x58: return "X"
    default: return nil
    }
}

/// `op`: the operator prefix; `nil` means none was written (default caret).
func parseOp(_ input: ByteInput, _ i: inout Int) -> Comparator.Op? {
    switch input.at(i) {
    case 0x3D: // '='
        i += 1
        return .exact
    case 0x3E: // '>'
        if input.at(i + 1) == 0x3D {
            i += 2
            return .greaterEq
        }
        i += 1
        return .greater
    case 0x3C: // '<'
        if input.at(i + 1) == 0x3D {
            i += 2
            return .lessEq
        }
        i += 1
        return .less
    case 0x7E: // '~'
        i += 1
        return .tilde
    case 0x5E: // '^'
        i += 1
        return .caret
    default:
        return nil
    }
}

/// `comparator`: one comparator starting at `i`; trailing spaces are consumed.
/// Returns the comparator and the last position parsed (for error messages).
func parseComparator(_ input: ByteInput, _ i: inout Int) throws(SemverError) -> (Comparator, SemverPosition) {
    let explicitOp = parseOp(input, &i)
    var op = explicitOp ?? .caret
    let defaultOp = explicitOp == nil
    i = input.skipSpaces(i)

    var pos = SemverPosition.major
    let major = try parseNumeric(input, &i, pos)
    var hasWildcard = false

    var minor: UInt64? = nil
    if input.at(i) == 0x2E {
        i += 1
        pos = .minor
        if wildcardChar(input.at(i)) != nil {
            i += 1
            hasWildcard = true
            if defaultOp {
                op = .wildcard
            }
        } else {
            minor = try parseNumeric(input, &i, pos)
        }
    }

    var patch: UInt64? = nil
    if input.at(i) == 0x2E {
        i += 1
        pos = .patch
        if wildcardChar(input.at(i)) != nil {
            i += 1
            if defaultOp {
                op = .wildcard
            }
        } else if hasWildcard {
            throw SemverError(.unexpectedAfterWildcard)
        } else {
            patch = try parseNumeric(input, &i, pos)
        }
    }

    var pre: [Identifier] = []
    if patch != nil && input.at(i) == 0x2D { // '-'
        pos = .pre
        let start = i + 1
        let end = try parseIdentifier(input, start, .pre)
        if end == start {
            throw SemverError(.emptySegment(pos))
        }
        pre = splitPre(input.string(start, end))
        i = end
    }

    if patch != nil && input.at(i) == 0x2B { // '+': build metadata is parsed and dropped
        pos = .build
        let start = i + 1
        let end = try parseIdentifier(input, start, .build)
        if end == start {
            throw SemverError(.emptySegment(pos))
        }
        i = end
    }

    i = input.skipSpaces(i)
    return (Comparator(op: op, major: major, minor: minor, patch: patch, pre: pre), pos)
}
