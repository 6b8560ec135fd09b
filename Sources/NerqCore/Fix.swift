import NerqJSON
import NerqSemver

/// What to do about an advisory finding, as a command where one exists (a finding's `fix`):
///
/// - a patched version that Cargo.lock can move to without touching any Cargo.toml (semver
///   compatible with the locked one: same major, or same minor below 1.0, or same patch below 0.1)
///   gives `cargo update -p SPEC --precise VERSION` (SPEC is the name, or `name@version` when the
///   lockfile holds several versions of the name, as cargo then requires);
/// - a patched version that is not compatible needs the requirement changed where it is declared;
/// - no patched version at all is said plainly, pointing at the advisory's own alternatives.
public enum Fix {
    public static func json(kind: FindingKind, package name: String, version: String, upgradeTo: String?, patched: [String],
                            hasAlternatives: Bool, spec: String? = nil) -> JSONValue? {
        var o = JSONObject(capacity: 4)
        if let to = upgradeTo {
            o.append("to", .string(to))
            var isCompatible = false
            if let from = try? Version.parse(version), let target = try? Version.parse(to) { isCompatible = compatible(from, target) }
            o.append("compatible", .bool(isCompatible))
            if isCompatible {
                o.append("command", .string("cargo update -p \(spec ?? name) --precise \(to)"))
                o.append("text", .string("upgrade \(name) to \(to) (semver-compatible: only Cargo.lock changes)"))
            } else {
                o.append("command", .null)
                o.append("text", .string("upgrade \(name) to \(to) or later: not semver-compatible with \(version), so the requirement on \(name) "
                                         + "must change where it is declared (your Cargo.toml, or the crate that depends on it)"))
            }
            return .object(o)
        }
        o.append("to", .null)
        o.append("compatible", .bool(false))
        o.append("command", .null)
        let alternatives = hasAlternatives ? " (the advisory recommends the alternatives listed)" : ""
        switch kind {
        case .vulnerability, .unsound, .malicious:
            if patched.isEmpty {
                o.append("text", .string("no fixed version of \(name) exists: remove or replace it\(alternatives)"))
            } else {
                o.append("text", .string("no patched release above \(version) (patched: \(patched.joined(separator: " or "))): move to a patched release line"))
            }
        case .unmaintained:
            o.append("text", .string("no fix will come: \(name) is unmaintained; "
                                     + (hasAlternatives ? "the advisory recommends the alternatives listed" : "look for a maintained replacement")))
        default:
            return nil
        }
        return .object(o)
    }

    /// Cargo's default (caret) compatibility: what `cargo update` may move to.
    public static func compatible(_ a: Version, _ b: Version) -> Bool {
        guard b >= a else { return false }
        if a.major != b.major { return false }
        if a.major > 0 { return true }
        if a.minor != b.minor { return false }
        if a.minor > 0 { return true }
        return a.patch == b.patch
    }
}
