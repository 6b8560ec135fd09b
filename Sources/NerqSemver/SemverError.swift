// Typed errors for version / requirement parsing and advisory range validation.
//
// The parse error kinds and messages mirror `semver` 1.x (`src/error.rs`,
// `ErrorKind` and its `Display` impl) so that a message names the same thing
// the Rust crate would name. Advisory range errors mirror the `BadParam`
// errors raised by `rustsec` (`osv/unaffected_range.rs`,
// `osv/ranges_for_advisory.rs`).

/// Which part of a version string a parse error refers to
/// (mirrors `semver::error::Position`).
public enum SemverPosition: Sendable, Hashable, CustomStringConvertible {
    case major
    case minor
    case patch
    case pre
    case build

    public var description: String {
        switch self {
        case .major: return "major version number"
        case .minor: return "minor version number"
        case .patch: return "patch version number"
        case .pre: return "pre-release identifier"
        case .build: return "build metadata"
        }
    }
}

/// An error from parsing a `Version` / `VersionReq`, or from validating the
/// `[versions]` ranges of an advisory.
public struct SemverError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// `Version.parse("")`.
        case empty
        /// Input ended in the middle of the given position.
        case unexpectedEnd(SemverPosition)
        /// A numeric component (or numeric pre-release identifier) has a leading zero.
        case leadingZero(SemverPosition)
        /// A numeric component does not fit in a `UInt64`.
        case overflow(SemverPosition)
        /// An empty dot-separated segment in a pre-release or build identifier.
        case emptySegment(SemverPosition)
        /// A character that is not allowed in a pre-release / build identifier.
        case illegalCharacter(SemverPosition)
        /// A wildcard (`*`, `x`, `X`) appears in a list with other comparators.
        case wildcardNotTheOnlyComparator(Character)
        /// Something follows a wildcard (e.g. `1.*.3`).
        case unexpectedAfterWildcard
        /// A comparator is followed by something other than a comma.
        case expectedCommaFound(SemverPosition, Character)
        /// More than 32 comparators in one requirement.
        case excessiveComparators
        /// A character that cannot start the given position.
        case unexpectedChar(SemverPosition, Character)
        /// A character that cannot follow the given position.
        case unexpectedCharAfter(SemverPosition, Character)
        /// An advisory `[versions]` requirement that rustsec refuses
        /// (rustsec `ErrorKind::BadParam`): unsupported operator, too many
        /// comparators, overlapping ranges, empty range, ...
        case invalidAdvisoryRange
    }

    public let kind: Kind
    /// Human readable message naming what was wrong.
    public let message: String

    public init(_ kind: Kind, message: String? = nil) {
        self.kind = kind
        self.message = message ?? SemverError.defaultMessage(kind)
    }

    public var description: String { message }

    static func defaultMessage(_ kind: Kind) -> String {
        switch kind {
        case .empty:
            return "empty string, expected a semver version"
        case .unexpectedEnd(let pos):
            return "unexpected end of input while parsing \(pos)"
        case .leadingZero(let pos):
            return "invalid leading zero in \(pos)"
        case .overflow(let pos):
            return "value of \(pos) exceeds u64::MAX"
        case .emptySegment(let pos):
            return "empty identifier segment in \(pos)"
        case .illegalCharacter(let pos):
            return "unexpected character in \(pos)"
        case .wildcardNotTheOnlyComparator(let ch):
            return "wildcard req (\(ch)) must be the only comparator in the version req"
        case .unexpectedAfterWildcard:
            return "unexpected character after wildcard in version req"
        case .expectedCommaFound(let pos, let ch):
            return "expected comma after \(pos), found \(quoted(ch))"
        case .excessiveComparators:
            return "excessive number of version comparators"
        case .unexpectedChar(let pos, let ch):
            return "unexpected character \(quoted(ch)) while parsing \(pos)"
        case .unexpectedCharAfter(let pos, let ch):
            return "unexpected character \(quoted(ch)) after \(pos)"
        case .invalidAdvisoryRange:
            return "invalid advisory version range"
        }
    }
}

/// Quote a character the way Rust's `{:?}` does for the common cases.
func quoted(_ ch: Character) -> String {
    switch ch {
    case "\0": return "'\\0'"
    case "\n": return "'\\n'"
    case "\r": return "'\\r'"
    case "\t": return "'\\t'"
    case "'": return "'\\''"
    case "\\": return "'\\\\'"
    default: return "'\(ch)'"
    }
}
