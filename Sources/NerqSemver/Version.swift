// Cargo / SemVer 2.0 versions, mirroring Rust's `semver` crate 1.x
// (`src/parse.rs` `impl FromStr for Version`, `src/impls.rs` `impl Ord for
// Prerelease` / `impl Ord for BuildMetadata`).
//
// Everything here is total: no force unwraps, no unchecked indexing on
// input-derived positions, no trapping arithmetic on input.

// MARK: - Byte-level input helper

/// UTF-8 bytes of an input string with bounds-checked access.
struct ByteInput {
    let bytes: [UInt8]

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var count: Int { bytes.count }

    /// The byte at `i`, or nil when `i` is out of bounds.
    func at(_ i: Int) -> UInt8? {
        i >= 0 && i < bytes.count ? bytes[i] : nil
    }

    /// The character starting at byte offset `i` (which must lie on a
    /// scalar boundary; callers only stop on ASCII bytes), or nil at the end.
    func char(at i: Int) -> Character? {
        guard i >= 0, i < bytes.count else { return nil }
        guard let scalar = String(decoding: bytes[i...], as: UTF8.self).unicodeScalars.first else {
            return nil
        }
        return Character(scalar)
    }

    /// The ASCII text in `[from, to)` (callers only pass ASCII ranges).
    func string(_ from: Int, _ to: Int) -> String {
        guard from >= 0, from <= to, to <= bytes.count else { return "" }
        return String(decoding: bytes[from..<to], as: UTF8.self)
    }

    /// Index of the first byte at or after `i` that is not a space (0x20).
    /// Mirrors Rust's `trim_start_matches(' ')` (only spaces, not tabs).
    func skipSpaces(_ i: Int) -> Int {
        var j = i
        while at(j) == 0x20 { j += 1 }
        return j
    }
}

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
@inline(__always) func isAlpha(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
}

// MARK: - Identifier

/// One dot-separated pre-release identifier.
///
/// `numeric` holds the decimal digits verbatim (no leading zero unless it is
/// exactly "0"); numeric identifiers are not limited to `UInt64`, exactly like
/// the `semver` crate, which compares them by length and then lexically.
public enum Identifier: Sendable, Hashable, Comparable, CustomStringConvertible {
    case numeric(String)
    case alphanumeric(String)

    /// Classifies `text` as the `semver` crate does: all ASCII digits means
    /// numeric, anything else alphanumeric.
    public init(_ text: String) {
        if !text.isEmpty && text.utf8.allSatisfy(isDigit) {
            self = .numeric(text)
        } else {
            self = .alphanumeric(text)
        }
    }

    public var description: String {
        switch self {
        case .numeric(let s): return s
        case .alphanumeric(let s): return s
        }
    }

    /// Numeric value when the identifier is numeric and fits in a `UInt64`.
    public var numericValue: UInt64? {
        guard case .numeric(let s) = self else { return nil }
        var value: UInt64 = 0
        for b in s.utf8 {
            guard isDigit(b) else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(b &- 0x30))
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }

    /// SemVer 2.0 identifier precedence, as `semver`'s `Ord for Prerelease`
    /// applies it per identifier.
    static func compare(_ lhs: Identifier, _ rhs: Identifier) -> Int {
        switch (lhs, rhs) {
        case (.numeric(let a), .numeric(let b)):
            // "Identifiers consisting of only digits are compared numerically":
            // no leading zeros, so compare by length, then lexically.
            let la = a.utf8.count, lb = b.utf8.count
            if la != lb { return la < lb ? -1 : 1 }
            return compareBytes(a, b)
        case (.numeric, .alphanumeric):
            return -1
        case (.alphanumeric, .numeric):
            return 1
        case (.alphanumeric(let a), .alphanumeric(let b)):
            return compareBytes(a, b)
        }
    }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
        compare(lhs, rhs) < 0
    }
}

/// Byte-wise (ASCII) lexical comparison, like Rust's `str` ordering.
func compareBytes(_ a: String, _ b: String) -> Int {
    var ia = a.utf8.makeIterator()
    var ib = b.utf8.makeIterator()
    while true {
        switch (ia.next(), ib.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let x?, let y?):
            if x != y { return x < y ? -1 : 1 }
        }
    }
}

/// `semver`'s `Ord for Prerelease`: an empty pre-release (a release) is
/// greater than any non-empty one; otherwise identifiers are compared in
/// order and a longer list wins when all shared identifiers are equal.
func comparePre(_ lhs: [Identifier], _ rhs: [Identifier]) -> Int {
    if lhs.isEmpty && rhs.isEmpty { return 0 }
    if lhs.isEmpty { return 1 }
    if rhs.isEmpty { return -1 }
    var i = 0
    while i < lhs.count {
        guard i < rhs.count else { return 1 }
        let c = Identifier.compare(lhs[i], rhs[i])
        if c != 0 { return c }
        i += 1
    }
    return i < rhs.count ? -1 : 0
}

/// `semver`'s `Ord for BuildMetadata` (1.0.x): only used by
/// `Version.compareIncludingBuild`.
func compareBuild(_ lhs: String, _ rhs: String) -> Int {
    if lhs == rhs { return 0 }
    let l = lhs.split(separator: ".", omittingEmptySubsequences: false)
    let r = rhs.split(separator: ".", omittingEmptySubsequences: false)
    var i = 0
    while i < l.count {
        guard i < r.count else { return 1 }
        let a = String(l[i]), b = String(r[i])
        let aNum = a.utf8.allSatisfy(isDigit), bNum = b.utf8.allSatisfy(isDigit)
        var c = 0
        switch (aNum, bNum) {
        case (true, true):
            // 0 < 00 < 1 < 01 < 001 < 2 < 02 < 002 < 10
            let av = String(a.drop(while: { $0 == "0" }))
            let bv = String(b.drop(while: { $0 == "0" }))
            let lav = av.utf8.count, lbv = bv.utf8.count
            if lav != lbv {
                c = lav < lbv ? -1 : 1
            } else {
                c = compareBytes(av, bv)
                if c == 0 {
                    let la = a.utf8.count, lb = b.utf8.count
                    c = la == lb ? 0 : (la < lb ? -1 : 1)
                }
            }
        case (true, false): return -1
        case (false, true): return 1
        case (false, false): c = compareBytes(a, b)
        }
        if c != 0 { return c }
        i += 1
    }
    return i < r.count ? -1 : 0
}

// MARK: - Version

/// A Cargo (SemVer 2.0) version: `MAJOR.MINOR.PATCH[-PRE][+BUILD]`.
///
/// Equality, hashing and ordering follow SemVer 2.0 precedence and ignore
/// build metadata. (Rust's `semver::Version` derives `Ord` over all fields and
/// so tie-breaks on build metadata; use `compareIncludingBuild` for that
/// order. For advisory matching the two orders give identical answers because
/// every range bound rustsec builds has empty build metadata.)
public struct Version: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var major: UInt64
    public var minor: UInt64
    public var patch: UInt64
    /// Pre-release identifiers; empty for a release.
    public var pre: [Identifier]
    /// Build metadata without the leading `+` (dot-separated, kept verbatim);
    /// empty when absent.
    public var build: String

    public init(_ major: UInt64, _ minor: UInt64, _ patch: UInt64,
                pre: [Identifier] = [], build: String = "") {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.pre = pre
        self.build = build
    }

    /// Parse a version exactly as strictly as `semver::Version::parse`
    /// (no `v` prefix, no leading zeros, no whitespace, all three numeric
    /// components required, components must fit in `UInt64`).
    public static func parse(_ text: String) throws(SemverError) -> Version {
        let input = ByteInput(text)
        if input.count == 0 {
            throw SemverError(.empty)
        }
        var i = 0
        var pos = SemverPosition.major
        let major = try parseNumeric(input, &i, pos)
        try parseDot(input, &i, pos)

        pos = .minor
        let minor = try parseNumeric(input, &i, pos)
        try parseDot(input, &i, pos)

        pos = .patch
        let patch = try parseNumeric(input, &i, pos)

        if i >= input.count {
            return Version(major, minor, patch)
        }

        var pre: [Identifier] = []
        if input.at(i) == 0x2D { // '-'
            pos = .pre
            let start = i + 1
            let end = try parseIdentifier(input, start, .pre)
            if end == start {
                throw SemverError(.emptySegment(pos))
            }
            pre = splitPre(input.string(start, end))
            i = end
        }

        var build = ""
        if input.at(i) == 0x2B { // '+'
            pos = .build
            let start = i + 1
            let end = try parseIdentifier(input, start, .build)
            if end == start {
                throw SemverError(.emptySegment(pos))
            }
            build = input.string(start, end)
            i = end
        }

        if let unexpected = input.char(at: i) {
            throw SemverError(.unexpectedCharAfter(pos, unexpected))
        }
        return Version(major, minor, patch, pre: pre, build: build)
    }

    /// Same as `Version.parse`.
    public init(parsing text: String) throws(SemverError) {
        self = try Version.parse(text)
    }

    public var isPrerelease: Bool { !pre.isEmpty }

    public var description: String {
        var s = "\(major).\(minor).\(patch)"
        if !pre.isEmpty {
            s += "-" + pre.map(\.description).joined(separator: ".")
        }
        if !build.isEmpty {
            s += "+" + build
        }
        return s
    }

    /// SemVer precedence: -1, 0 or 1. Build metadata is ignored.
    public static func comparePrecedence(_ lhs: Version, _ rhs: Version) -> Int {
        if lhs.major != rhs.major { return lhs.major < rhs.major ? -1 : 1 }
        if lhs.minor != rhs.minor { return lhs.minor < rhs.minor ? -1 : 1 }
        if lhs.patch != rhs.patch { return lhs.patch < rhs.patch ? -1 : 1 }
        return comparePre(lhs.pre, rhs.pre)
    }

    /// The total order of Rust's `semver::Version` (derived `Ord`): precedence,
    /// then build metadata (`Ord for BuildMetadata`). -1, 0 or 1.
    public static func compareIncludingBuild(_ lhs: Version, _ rhs: Version) -> Int {
        let c = comparePrecedence(lhs, rhs)
        if c != 0 { return c }
        return compareBuild(lhs.build, rhs.build)
    }

    public static func < (lhs: Version, rhs: Version) -> Bool {
        comparePrecedence(lhs, rhs) < 0
    }

    public static func == (lhs: Version, rhs: Version) -> Bool {
        comparePrecedence(lhs, rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(pre)
    }
}

// MARK: - Shared parsing pieces (mirroring semver's parse.rs)

/// `numeric_identifier`: digits without a leading zero, overflow-checked.
func parseNumeric(_ input: ByteInput, _ i: inout Int, _ pos: SemverPosition) throws(SemverError) -> UInt64 {
    var len = 0
    var value: UInt64 = 0
    while let digit = input.at(i + len), isDigit(digit) {
        if value == 0 && len > 0 {
            throw SemverError(.leadingZero(pos))
        }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = m.addingReportingOverflow(UInt64(digit &- 0x30))
        if o1 || o2 {
            throw SemverError(.overflow(pos))
        }
        value = sum
        len += 1
    }
    if len > 0 {
        i += len
        return value
    }
    if let unexpected = input.char(at: i) {
        throw SemverError(.unexpectedChar(pos, unexpected))
    }
    throw SemverError(.unexpectedEnd(pos))
}

/// `dot`: a required '.'.
func parseDot(_ input: ByteInput, _ i: inout Int, _ pos: SemverPosition) throws(SemverError) {
    if input.at(i) == 0x2E {
        i += 1
        return
    }
    if let unexpected = input.char(at: i) {
        throw SemverError(.unexpectedCharAfter(pos, unexpected))
    }
    throw SemverError(.unexpectedEnd(pos))
}

/// `identifier`: dot-separated `[0-9A-Za-z-]+` segments starting at `start`.
/// Returns the end offset (exclusive); `start` itself when nothing matched.
/// Numeric pre-release segments must not have leading zeros.
func parseIdentifier(_ input: ByteInput, _ start: Int, _ pos: SemverPosition) throws(SemverError) -> Int {
    var accumulated = 0
    var segmentLen = 0
    var segmentHasNondigit = false
    while true {
        let b = input.at(start + accumulated + segmentLen)
        if let b, isAlpha(b) || b == 0x2D {
            segmentLen += 1
            segmentHasNondigit = true
            continue
        }
        if let b, isDigit(b) {
            segmentLen += 1
            continue
        }
        // boundary
        if segmentLen == 0 {
            if accumulated == 0 && b != 0x2E {
                return start
            }
            throw SemverError(.emptySegment(pos))
        }
        if pos == .pre && segmentLen > 1 && !segmentHasNondigit
            && input.at(start + accumulated) == 0x30 {
            throw SemverError(.leadingZero(pos))
        }
        accumulated += segmentLen
        if b == 0x2E {
            accumulated += 1
            segmentLen = 0
            segmentHasNondigit = false
        } else {
            return start + accumulated
        }
    }
}

/// Split an already validated pre-release string into identifiers.
func splitPre(_ text: String) -> [Identifier] {
    text.split(separator: ".", omittingEmptySubsequences: false).map { Identifier(String($0)) }
}
