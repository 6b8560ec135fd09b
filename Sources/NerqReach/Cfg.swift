import NerqJSON

/// A `cfg(…)` predicate of a `[target.'cfg(…)'.dependencies]` table: `name`, `name = "value"`,
/// `all(…)`, `any(…)`, `not(…)` (cargo-platform's grammar). Parsing is total and bounded: nesting
/// deeper than `maxDepth` or anything cargo would reject is an error naming the expression.
public indirect enum CfgExpr: Sendable, Equatable {
    case name(String)
    case keyValue(String, String)
    case all([CfgExpr])
    case any([CfgExpr])
    case not(CfgExpr)

    static let maxDepth = 64

    /// Whether the predicate holds for `platform` (`all()` holds, `any()` does not, as in rustc).
    public func holds(for platform: TargetPlatform) -> Bool {
        switch self {
        case .name(let n): return platform.has(n)
        case .keyValue(let k, let v): return platform.has(k, v)
        case .all(let xs): return xs.allSatisfy { $0.holds(for: platform) }
        case .any(let xs): return xs.contains { $0.holds(for: platform) }
        case .not(let x): return !x.holds(for: platform)
        }
    }

    /// Parses the inside of `cfg(…)`.
    public static func parse(_ text: String) throws(NerqError) -> CfgExpr {
        var p = CfgParser(Array(text.utf8), text: text)
        let e = try p.expr(depth: 0)
        p.skipSpace()
        guard p.atEnd else { throw p.error("unexpected text after the predicate") }
        return e
    }
}

/// What a `[target.X]` key says: a cfg predicate or a target triple.
public enum PlatformSpec: Sendable, Equatable {
    case cfg(CfgExpr)
    case triple(String)

    /// `cfg(…)` or a triple, as cargo-platform reads a target key.
    public static func parse(_ key: String) throws(NerqError) -> PlatformSpec {
        let trimmed = key.trimmingSpaces
        if trimmed.hasPrefix("cfg(") && trimmed.hasSuffix(")") {
            return .cfg(try CfgExpr.parse(String(trimmed.dropFirst(4).dropLast())))
        }
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0 == "(" || $0 == ")" || $0 == " " || $0 == "\"" }) else {
            throw NerqError(.invalidValue, "\"\(key)\" is neither cfg(…) nor a target triple", path: key)
        }
        return .triple(trimmed)
    }

    public func holds(for platform: TargetPlatform) -> Bool {
        switch self {
        case .cfg(let e): return e.holds(for: platform)
        case .triple(let t): return t == platform.triple
        }
    }
}

private struct CfgParser {
    let b: [UInt8]
    let text: String
    var i = 0

    init(_ bytes: [UInt8], text: String) {
        b = bytes
        self.text = text
    }

    var atEnd: Bool { i >= b.count }

    func error(_ message: String) -> NerqError {
        NerqError(.invalidValue, "cfg(\(text)): \(message)", path: text)
    }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    mutating func ident() -> String? {
        skipSpace()
        let start = i
        while i < b.count {
            let c = b[i]
            let ok = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || (i > start && c >= 0x30 && c <= 0x39) || c >= 0x80
            if !ok { break }
            i += 1
        }
        return i > start ? String(decoding: b[start..<i], as: UTF8.self) : nil
    }

    mutating func expect(_ c: UInt8) -> Bool {
        skipSpace()
        guard i < b.count, b[i] == c else { return false }
        i += 1
        return true
    }

    mutating func expr(depth: Int) throws(NerqError) -> CfgExpr {
        guard depth < CfgExpr.maxDepth else { throw error("nested too deeply") }
        guard let name = ident() else { throw error("expected a name") }
        skipSpace()
        if i < b.count, b[i] == 0x28 /* ( */ {
            i += 1
            var items: [CfgExpr] = []
            skipSpace()
            if !expect(0x29) {
                while true {
                    items.append(try expr(depth: depth + 1))
                    if expect(0x2C) {
                        skipSpace()
                        if expect(0x29) { break }  // trailing comma
                        continue
                    }
                    guard expect(0x29) else { throw error("expected `,` or `)`") }
                    break
                }
            }
            switch name {
            case "all": return .all(items)
            case "any": return .any(items)
            case "not":
                guard items.count == 1 else { throw error("not() takes exactly one predicate") }
                return .not(items[0])
            default: throw error("unknown operator \(name)()")
            }
        }
        if expect(0x3D) /* = */ {
            skipSpace()
            guard i < b.count, b[i] == 0x22 else { throw error("expected a string after `=`") }
            i += 1
            let start = i
            while i < b.count, b[i] != 0x22 { i += 1 }
            guard i < b.count else { throw error("unterminated string") }
            let value = String(decoding: b[start..<i], as: UTF8.self)
            i += 1
            return .keyValue(name, value)
        }
        return .name(name)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
