// CVSS base scores for v3.0, v3.1 and v4.0 vectors.

//
// * v3.x follows the CVSS v3.1 specification (section 7.1 base equations)
//   with double arithmetic in the specification's order. CVSS:3.1 rounds
//   with the integer-based `Roundup` of appendix A; CVSS:3.0 rounds with the
//   v3.0 specification's `ceil(x * 10) / 10` (what the FIRST v3.0
//   calculator does).
// * v4.0 is a port of the FIRST reference calculator's MacroVector algorithm
//   (RedHatProductSecurity/cvss-v4-calculator `cvss_score.js`, as translated
//   in the Python `cvss` package's `cvss/cvss4.py`, whose behaviour is the
//   test oracle): MacroVector lookup, severity distance to the highest
//   vector of the MacroVector, proportional refinement, and final rounding
//   half-up to one decimal after adding 1e-6.
//
// Parsing is as strict as the Python `cvss` package: the `CVSS:3.0/`,
// `CVSS:3.1/` or `CVSS:4.0/` prefix is required, metrics may come in any
// order, every `KEY:VALUE` must be a known metric with a valid value, no
// metric may repeat, no empty field or trailing `/`, and all base metrics
// must be present. Temporal / threat / environmental / supplemental metrics
// are validated; v3 base scores ignore them, v4 scores include them (as the
// reference does: CVSS-B, -BT, -BE or -BTE depending on what is given).

/// Error for a malformed or unsupported CVSS vector.
public struct CVSSError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case empty
        /// Not `CVSS:3.0/`, `CVSS:3.1/` or `CVSS:4.0/` (CVSS v2 vectors are not supported).
        case unsupportedVersion
        /// Empty field, trailing `/`, or a field that is not `KEY:VALUE`.
        case malformed
        case unknownMetric
        case unknownValue
        case duplicateMetric
        case missingMetric
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

public enum CVSS {
    /// Base score and qualitative severity (`none`, `low`, `medium`, `high`,
    /// `critical`) of a CVSS v3.0, v3.1 or v4.0 vector.
    public static func baseScore(_ vector: String) throws(CVSSError) -> (score: Double, severity: String) {
        let score: Double
        switch try version(of: vector) {
        case .v3_0: score = try CVSS3.score(vector, minorVersion: 0)
        case .v3_1: score = try CVSS3.score(vector, minorVersion: 1)
        case .v4_0: score = try CVSS4.score(vector)
        }
        return (score, severity(score))
    }

    /// Checks a vector as strictly as `baseScore` without scoring it (a database load validates
    /// every vector but scores only those of the advisories it reports).
    public static func validate(_ vector: String) throws(CVSSError) {
        // Valid vectors (nearly all) are checked on their bytes without building anything; the
        // metric parser runs only to say what is wrong with an invalid one.
        let version = try version(of: vector)
        if (version == .v4_0 ? MetricTable.v4 : MetricTable.v3).accepts(vector) { return }
        _ = try metrics(vector, version)
    }

    /// The metrics of a vector of `version`, validated as `baseScore` validates them.
    static func metrics(_ vector: String, _ version: Version) throws(CVSSError) -> [String: String] {
        switch version {
        case .v3_0: return try parseMetrics(vector, allowed: CVSS3.allowed, mandatory: CVSS3.mandatory, version: "3.0")
        case .v3_1: return try parseMetrics(vector, allowed: CVSS3.allowed, mandatory: CVSS3.mandatory, version: "3.1")
        case .v4_0: return try parseMetrics(vector, allowed: CVSS4.allowed, mandatory: CVSS4.mandatory, version: "4.0")
        }
    }

    /// A version's metrics and their allowed values as bytes, for `validate`'s fast check.
    struct MetricTable {
        static let v3 = MetricTable(allowed: CVSS3.allowed, mandatory: CVSS3.mandatory)
        static let v4 = MetricTable(allowed: CVSS4.allowed, mandatory: CVSS4.mandatory)

        let keys: [[UInt8]]
        let values: [[[UInt8]]]
        let mandatory: UInt64  // bit k: keys[k] must appear

        init(allowed: [String: [String]], mandatory: [String]) {
            let names = allowed.keys.sorted()
            keys = names.map { Array($0.utf8) }
            values = names.map { (allowed[$0] ?? []).map { Array($0.utf8) } }
            var mask: UInt64 = 0
            for (k, name) in names.enumerated() where k < 64 && mandatory.contains(name) { mask |= 1 << UInt64(k) }
            self.mandatory = mask
        }

        /// Whether `vector` (after its `CVSS:x.y` prefix) is `/`-separated `METRIC:VALUE` fields, each
        /// metric known, at most once, with an allowed value, and every mandatory metric present:
        /// exactly what `parseMetrics` accepts.
        func accepts(_ vector: String) -> Bool {
            var vector = vector
            return vector.withUTF8 { b -> Bool in
                guard keys.count <= 64, var i = b.firstIndex(of: UInt8(ascii: "/")) else { return false }
                var seen: UInt64 = 0
                while i < b.count {  // b[i] is the "/" before a field
                    let start = i + 1
                    var colon = -1
                    var end = start
                    while end < b.count && b[end] != UInt8(ascii: "/") {
                        if b[end] == UInt8(ascii: ":") {
                            if colon >= 0 { return false }
                            colon = end
                        }
                        end += 1
                    }
                    guard colon > start, colon < end - 1 else { return false }  // "K:V", both non-empty
                    guard let k = keys.firstIndex(where: { equal(b, start, colon, $0) }) else { return false }
                    let bit: UInt64 = 1 << UInt64(k)
                    guard seen & bit == 0, values[k].contains(where: { equal(b, colon + 1, end, $0) }) else { return false }
                    seen |= bit
                    i = end
                }
                return seen & mandatory == mandatory
            }
        }

        private func equal(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ word: [UInt8]) -> Bool {
            guard to - from == word.count else { return false }
            var k = 0
            while k < word.count {
                if b[from + k] != word[k] { return false }
                k += 1
            }
            return true
        }
    }

    enum Version { case v3_0, v3_1, v4_0 }

    static func version(of vector: String) throws(CVSSError) -> Version {
        if vector.isEmpty { throw CVSSError(.empty, "empty CVSS vector") }
        if vector.hasPrefix("CVSS:3.0/") { return .v3_0 }
        if vector.hasPrefix("CVSS:3.1/") { return .v3_1 }
        if vector.hasPrefix("CVSS:4.0/") { return .v4_0 }
        throw CVSSError(.unsupportedVersion,
                        "CVSS vector \"\(vector)\" does not start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/")
    }

    /// Qualitative severity rating of a score: none 0.0, low 0.1-3.9,
    /// medium 4.0-6.9, high 7.0-8.9, critical 9.0-10.0.
    public static func severity(_ score: Double) -> String {
        if score < 0.1 { return "none" }
        if score < 4.0 { return "low" }
        if score < 7.0 { return "medium" }
        if score < 9.0 { return "high" }
        return "critical"
    }

    /// Split `CVSS:x.y/K:V/...` into metrics, validating against `allowed`.
    static func parseMetrics(_ vector: String, allowed: [String: [String]], mandatory: [String],
                             version: String) throws(CVSSError) -> [String: String] {
        if vector.hasSuffix("/") {
            throw CVSSError(.malformed, "malformed CVSS \(version) vector \"\(vector)\": trailing \"/\"")
        }
        // Split on the UTF-8 bytes of '/' and ':' (a Character-wise split is several times slower
        // and a database validates a few hundred vectors).
        let fields = vector.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
        var metrics: [String: String] = [:]
        for fieldBytes in fields {
            let field = Substring(fieldBytes)
            if field.isEmpty {
                throw CVSSError(.malformed, "empty field in CVSS \(version) vector \"\(vector)\"")
            }
            let parts = fieldBytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard parts.count == 2, let keyPart = parts.first, let valuePart = parts.last else {
                throw CVSSError(.malformed, "malformed CVSS \(version) field \"\(field)\" (expected METRIC:VALUE)")
            }
            let key = String(Substring(keyPart)), value = String(Substring(valuePart))
            guard let values = allowed[key] else {
                throw CVSSError(.unknownMetric, "unknown CVSS \(version) metric \"\(key)\" in field \"\(field)\"")
            }
            guard values.contains(value) else {
                throw CVSSError(.unknownValue,
                                "unknown value \"\(value)\" for CVSS \(version) metric \(key) (expected one of \(values.joined(separator: ", ")))")
            }
            if metrics[key] != nil {
                throw CVSSError(.duplicateMetric, "duplicate CVSS \(version) metric \"\(key)\"")
            }
            metrics[key] = value
        }
        let missing = mandatory.filter { metrics[$0] == nil }
        if !missing.isEmpty {
            throw CVSSError(.missingMetric,
                            "missing mandatory CVSS \(version) metrics \(missing.joined(separator: ", ")) in \"\(vector)\"")
        }
        return metrics
    }

    /// Round half up to one decimal, exactly on the binary value of `x`
    /// (like Python's `Decimal(x).quantize(Decimal("0.1"), ROUND_HALF_UP)`),
    /// for 0 <= x <= ~11.
    static func roundHalfUpOneDecimal(_ x: Double) -> Double {
        guard x.isFinite, x > 0 else { return 0 }
        // x = m * 2^s with m an integer < 2^53.
        let m: UInt64
        let s: Int
        if x.isNormal {
            m = (UInt64(1) << 52) | x.significandBitPattern
            s = Int(x.exponent) - 52
        } else {
            return 0 // subnormal: far below 0.05
        }
        if x >= 16 {
            // Outside the range used here; fall back to double arithmetic.
            return (x * 10).rounded(.toNearestOrAwayFromZero) / 10
        }
        // 10x = (10m) * 2^s, with 10m < 2^57 and s <= 3 - 52 < 0.
        let tenM = m &* 10
        let shift = -s
        if shift >= 64 {
            return 0 // 10x < 2^57 / 2^64: below 0.5
        }
        let k = tenM >> UInt64(shift)
        let remainder = tenM & ((UInt64(1) << UInt64(shift)) &- 1)
        let half = UInt64(1) << UInt64(shift - 1)
        let rounded = remainder >= half ? k &+ 1 : k
        return Double(rounded) / 10
    }
}

// MARK: - CVSS v3.x

enum CVSS3 {
    static let allowed: [String: [String]] = [
        "AV": ["N", "A", "L", "P"],
        "AC": ["L", "H"],
        "PR": ["N", "L", "H"],
        "UI": ["N", "R"],
        "S": ["U", "C"],
        "C": ["H", "L", "N"],
        "I": ["H", "L", "N"],
        "A": ["H", "L", "N"],
        "E": ["X", "H", "F", "P", "U"],
        "RL": ["X", "U", "W", "T", "O"],
        "RC": ["X", "C", "R", "U"],
        "CR": ["X", "H", "M", "L"],
        "IR": ["X", "H", "M", "L"],
        "AR": ["X", "H", "M", "L"],
        "MAV": ["X", "N", "A", "L", "P"],
        "MAC": ["X", "L", "H"],
        "MPR": ["X", "N", "L", "H"],
        "MUI": ["X", "N", "R"],
        "MS": ["X", "U", "C"],
        "MC": ["X", "H", "L", "N"],
        "MI": ["X", "H", "L", "N"],
        "MA": ["X", "H", "L", "N"],
    ]
    static let mandatory = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"]

    static func score(_ vector: String, minorVersion: Int) throws(CVSSError) -> Double {
        let metrics = try CVSS.parseMetrics(vector, allowed: allowed, mandatory: mandatory,
                                            version: "3.\(minorVersion)")
        let scopeChanged = metrics["S"] == "C"

        let av: Double
        switch metrics["AV"] {
        case "N": av = 0.85
        case "A": av = 0.62
        case "L": av = 0.55
        default: av = 0.2
        }
        let ac: Double = metrics["AC"] == "L" ? 0.77 : 0.44
        let pr: Double
        switch metrics["PR"] {
        case "N": pr = 0.85
        case "L": pr = scopeChanged ? 0.68 : 0.62
        default: pr = scopeChanged ? 0.5 : 0.27
        }
        let ui: Double = metrics["UI"] == "N" ? 0.85 : 0.62
        func cia(_ key: String) -> Double {
            switch metrics[key] {
            case "H": return 0.56
            case "L": return 0.22
            default: return 0
            }
        }
        let c = cia("C"), i = cia("I"), a = cia("A")

        let iss = 1 - ((1 - c) * (1 - i) * (1 - a))
        let impact: Double
        if scopeChanged {
            impact = 7.52 * (iss - 0.029) - 3.25 * pow15(iss - 0.02)
        } else {
            impact = 6.42 * iss
        }
        let exploitability = 8.22 * av * ac * pr * ui
        if impact <= 0 {
            return 0
        }
        let raw = scopeChanged ? min(1.08 * (impact + exploitability), 10) : min(impact + exploitability, 10)
        return minorVersion == 1 ? roundup31(raw) : roundup30(raw)
    }

    /// x^15 by repeated squaring (no Foundation `pow`).
    static func pow15(_ x: Double) -> Double {
        let x2 = x * x
        let x4 = x2 * x2
        let x8 = x4 * x4
        return x8 * x4 * x2 * x
    }

    /// CVSS v3.1 Appendix A `Roundup`.
    static func roundup31(_ x: Double) -> Double {
        let intInput = Int((x * 100_000).rounded(.toNearestOrAwayFromZero))
        if intInput % 10_000 == 0 {
            return Double(intInput) / 100_000
        }
        return (Double(intInput / 10_000) + 1) / 10
    }

    /// CVSS v3.0 `Round up`: smallest one-decimal number >= x.
    static func roundup30(_ x: Double) -> Double {
        (x * 10).rounded(.up) / 10
    }
}

// MARK: - CVSS v4.0

enum CVSS4 {
    static let allowed: [String: [String]] = [
        "AV": ["N", "A", "L", "P"],
        "AC": ["L", "H"],
        "AT": ["N", "P"],
        "PR": ["N", "L", "H"],
        "UI": ["N", "P", "A"],
        "VC": ["H", "L", "N"],
        "VI": ["H", "L", "N"],
        "VA": ["H", "L", "N"],
        "SC": ["H", "L", "N"],
        "SI": ["H", "L", "N"],
        "SA": ["H", "L", "N"],
        "E": ["X", "A", "P", "U"],
        "CR": ["X", "H", "M", "L"],
        "IR": ["X", "H", "M", "L"],
        "AR": ["X", "H", "M", "L"],
        "MAV": ["X", "N", "A", "L", "P"],
        "MAC": ["X", "L", "H"],
        "MAT": ["X", "N", "P"],
        "MPR": ["X", "N", "L", "H"],
        "MUI": ["X", "N", "P", "A"],
        "MVC": ["X", "H", "L", "N"],
        "MVI": ["X", "H", "L", "N"],
        "MVA": ["X", "H", "L", "N"],
        "MSC": ["X", "H", "L", "N"],
        "MSI": ["X", "S", "H", "L", "N"],
        "MSA": ["X", "S", "H", "L", "N"],
        "S": ["X", "N", "P"],
        "AU": ["X", "N", "Y"],
        "R": ["X", "A", "U", "I"],
        "V": ["X", "D", "C"],
        "RE": ["X", "L", "M", "H"],
        "U": ["X", "Clear", "Green", "Amber", "Red"],
    ]
    static let mandatory = ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"]

    static let avLevels: [String: Double] = ["N": 0.0, "A": 0.1, "L": 0.2, "P": 0.3]
    static let prLevels: [String: Double] = ["N": 0.0, "L": 0.1, "H": 0.2]
    static let uiLevels: [String: Double] = ["N": 0.0, "P": 0.1, "A": 0.2]
    static let acLevels: [String: Double] = ["L": 0.0, "H": 0.1]
    static let atLevels: [String: Double] = ["N": 0.0, "P": 0.1]
    static let vLevels: [String: Double] = ["H": 0.0, "L": 0.1, "N": 0.2]
    static let scLevels: [String: Double] = ["H": 0.1, "L": 0.2, "N": 0.3]
    static let siaLevels: [String: Double] = ["S": 0.0, "H": 0.1, "L": 0.2, "N": 0.3]
    static let reqLevels: [String: Double] = ["H": 0.0, "M": 0.1, "L": 0.2]

    /// The reference's `EPSILON` added before the final rounding.
    static let epsilon = 1e-6

    /// Effective metrics: `add_missing_optional` + `m()` of the reference.
    struct Selected {
        var metrics: [String: String]

        init(_ parsed: [String: String]) {
            var metrics = parsed
            // Modified base metrics default to the base value when absent or X.
            for key in ["MAV", "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC", "MSI", "MSA"] {
                if metrics[key] == nil || metrics[key] == "X" {
                    metrics[key] = metrics[String(key.dropFirst())] ?? "X"
                }
            }
            for key in ["S", "AU", "R", "V", "RE", "U", "CR", "IR", "AR", "E"] where metrics[key] == nil {
                metrics[key] = "X"
            }
            self.metrics = metrics
        }

        /// `m(metric)`: E:X means A, CR/IR/AR:X mean H, otherwise the
        /// modified metric wins over the base one unless it is X.
        func m(_ metric: String) -> String {
            let selected = metrics[metric] ?? "X"
            if metric == "E" && selected == "X" { return "A" }
            if (metric == "CR" || metric == "IR" || metric == "AR") && selected == "X" { return "H" }
            if let modified = metrics["M" + metric], modified != "X" {
                return modified
            }
            return selected
        }
    }

    static func score(_ vector: String) throws(CVSSError) -> Double {
        let parsed = try CVSS.parseMetrics(vector, allowed: allowed, mandatory: mandatory, version: "4.0")
        return score(Selected(parsed))
    }

    /// MacroVector levels (eq1, ..., eq6).
    static func macroVector(_ s: Selected) -> [Int] {
        let av = s.m("AV"), pr = s.m("PR"), ui = s.m("UI")
        let eq1: Int
        if av == "N" && pr == "N" && ui == "N" {
            eq1 = 0
        } else if (av == "N" || pr == "N" || ui == "N") && !(av == "N" && pr == "N" && ui == "N") && av != "P" {
            eq1 = 1
        } else {
            eq1 = 2
        }

        let eq2 = (s.m("AC") == "L" && s.m("AT") == "N") ? 0 : 1

        let vc = s.m("VC"), vi = s.m("VI"), va = s.m("VA")
        let eq3: Int
        if vc == "H" && vi == "H" {
            eq3 = 0
        } else if vc == "H" || vi == "H" || va == "H" {
            eq3 = 1
        } else {
            eq3 = 2
        }

        let eq4: Int
        if s.m("MSI") == "S" || s.m("MSA") == "S" {
            eq4 = 0
        } else if s.m("SC") == "H" || s.m("SI") == "H" || s.m("SA") == "H" {
            eq4 = 1
        } else {
            eq4 = 2
        }

        let e = s.m("E")
        let eq5 = e == "A" ? 0 : (e == "P" ? 1 : 2)

        let eq6 = ((s.m("CR") == "H" && vc == "H") || (s.m("IR") == "H" && vi == "H")
            || (s.m("AR") == "H" && va == "H")) ? 0 : 1

        return [eq1, eq2, eq3, eq4, eq5, eq6]
    }

    static func key(_ eqs: [Int]) -> String {
        eqs.map(String.init).joined()
    }

    /// Score of a MacroVector, NaN when it does not exist (as in the reference).
    static func lookup(_ eqs: [Int]) -> Double {
        CVSS4Tables.lookup[key(eqs)] ?? Double.nan
    }

    /// Parse a max vector fragment "AV:N/PR:N/UI:N/..." into a dictionary.
    static func parseMaxVector(_ s: String) -> [String: String] {
        var out: [String: String] = [:]
        for field in s.split(separator: "/") {
            let parts = field.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 2, let k = parts.first, let v = parts.last {
                out[String(k)] = String(v)
            }
        }
        return out
    }

    /// The reference's score: the MacroVector's score, lowered by the mean proportional distance
    /// to the next lower MacroVectors, clamped to 0...10 and rounded.
    static func score(_ s: Selected) -> Double {
        // Exception for no impact on the system (shortcut).
        if ["VC", "VI", "VA", "SC", "SI", "SA"].allSatisfy({ s.m($0) == "N" }) {
            return 0.0
        }
        let mv = macroVector(s)
        guard mv.count == 6 else { return 0.0 }
        var value = lookup(mv)
        let lower = nextLowerScores(mv)
        let d = Distances(s, toHighestOf: maxVectors(mv))
        let maxSeverity = maxSeverities(mv)
        // The eq dimensions in the reference's order: eq1, eq2, eq3+eq6, eq4, eq5 (whose
        // proportion is always 0).
        let proportion = [d.eq1 / maxSeverity[0], d.eq2 / maxSeverity[1], d.eq3eq6 / maxSeverity[2], d.eq4 / maxSeverity[3], 0]
        let mean = meanDistance(available: lower.map { value - $0 }, proportion: proportion)
        value -= mean
        if !(value >= 0) { value = 0 } // also maps NaN to 0
        if value > 10 { value = 10 }
        return CVSS.roundHalfUpOneDecimal(value + epsilon)
    }

    /// Scores of the next lower MacroVectors for eq1, eq2, eq3+eq6, eq4 and eq5 (NaN where none
    /// exists).
    static func nextLowerScores(_ mv: [Int]) -> [Double] {
        let eq1 = mv[0], eq2 = mv[1], eq3 = mv[2], eq4 = mv[3], eq5 = mv[4], eq6 = mv[5]
        let scoreEq3Eq6Next: Double
        if eq3 == 1 && eq6 == 1 {
            scoreEq3Eq6Next = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6])
        } else if eq3 == 0 && eq6 == 1 {
            scoreEq3Eq6Next = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6])
        } else if eq3 == 1 && eq6 == 0 {
            scoreEq3Eq6Next = lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1])
        } else if eq3 == 0 && eq6 == 0 {
            let left = lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1])
            let right = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6])
            // Python's max(left, right): left unless right > left.
            scoreEq3Eq6Next = right > left ? right : left
        } else {
            scoreEq3Eq6Next = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1])
        }
        return [lookup([eq1 + 1, eq2, eq3, eq4, eq5, eq6]), lookup([eq1, eq2 + 1, eq3, eq4, eq5, eq6]), scoreEq3Eq6Next,
                lookup([eq1, eq2, eq3, eq4 + 1, eq5, eq6]), lookup([eq1, eq2, eq3, eq4, eq5 + 1, eq6])]
    }

    /// The highest-severity vectors of the MacroVector: every combination of the eq tables'
    /// maxima, in the reference's order.
    static func maxVectors(_ mv: [Int]) -> [String] {
        let eq1Maxes = CVSS4Tables.eq1Maxes[mv[0]] ?? []
        let eq2Maxes = CVSS4Tables.eq2Maxes[mv[1]] ?? []
        let eq3eq6Maxes = CVSS4Tables.eq3eq6Maxes[mv[2]]?[mv[5]] ?? []
        let eq4Maxes = CVSS4Tables.eq4Maxes[mv[3]] ?? []
        let eq5Maxes = CVSS4Tables.eq5Maxes[mv[4]] ?? []
        var maxVectors: [String] = []
        for a in eq1Maxes {
            for b in eq2Maxes {
                for c in eq3eq6Maxes {
                    for d in eq4Maxes {
                        for e in eq5Maxes {
                            maxVectors.append(a + b + c + d + e)
                        }
                    }
                }
            }
        }
        return maxVectors
    }

    /// The severity depth of each eq dimension's MacroVector (eq1, eq2, eq3+eq6, eq4), in steps of 0.1.
    static func maxSeverities(_ mv: [Int]) -> [Double] {
        let step = 0.1
        return [Double(CVSS4Tables.eq1MaxSeverity[mv[0]] ?? 0) * step, Double(CVSS4Tables.eq2MaxSeverity[mv[1]] ?? 0) * step,
                Double(CVSS4Tables.eq3eq6MaxSeverity[mv[2]]?[mv[5]] ?? 0) * step, Double(CVSS4Tables.eq4MaxSeverity[mv[3]] ?? 0) * step]
    }

    /// Per-metric severity distances of the vector from a highest-severity vector of its
    /// MacroVector: the first one it does not exceed (the last one tried when none qualifies; all
    /// zero when there is none).
    struct Distances {
        var av = 0.0, pr = 0.0, ui = 0.0, ac = 0.0, at = 0.0
        var vc = 0.0, vi = 0.0, va = 0.0, sc = 0.0, si = 0.0, sa = 0.0
        var cr = 0.0, ir = 0.0, ar = 0.0

        var eq1: Double { av + pr + ui }
        var eq2: Double { ac + at }
        var eq3eq6: Double { vc + vi + va + cr + ir + ar }
        var eq4: Double { sc + si + sa }

        init(_ s: Selected, toHighestOf maxVectors: [String]) {
            for maxVector in maxVectors {
                self = Distances(s, parseMaxVector(maxVector))
                // If any is less than zero this is not the right max.
                let all = [av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar]
                if all.contains(where: { $0 < 0 }) {
                    continue
                }
                // If multiple maxes exist to reach it, the first one is enough.
                break
            }
        }

        private init(_ s: Selected, _ mx: [String: String]) {
            func level(_ table: [String: Double], _ v: String?) -> Double {
                guard let v, let x = table[v] else { return Double.nan }
                return x
            }
            av = level(avLevels, s.m("AV")) - level(avLevels, mx["AV"])
            pr = level(prLevels, s.m("PR")) - level(prLevels, mx["PR"])
            ui = level(uiLevels, s.m("UI")) - level(uiLevels, mx["UI"])
            ac = level(acLevels, s.m("AC")) - level(acLevels, mx["AC"])
            at = level(atLevels, s.m("AT")) - level(atLevels, mx["AT"])
            vc = level(vLevels, s.m("VC")) - level(vLevels, mx["VC"])
            vi = level(vLevels, s.m("VI")) - level(vLevels, mx["VI"])
            va = level(vLevels, s.m("VA")) - level(vLevels, mx["VA"])
            sc = level(scLevels, s.m("SC")) - level(scLevels, mx["SC"])
            si = level(siaLevels, s.m("SI")) - level(siaLevels, mx["SI"])
            sa = level(siaLevels, s.m("SA")) - level(siaLevels, mx["SA"])
            cr = level(reqLevels, s.m("CR")) - level(reqLevels, mx["CR"])
            ir = level(reqLevels, s.m("IR")) - level(reqLevels, mx["IR"])
            ar = level(reqLevels, s.m("AR")) - level(reqLevels, mx["AR"])
        }
    }

    /// The mean over the dimensions that have a lower MacroVector (`available` >= 0, the score
    /// down to it) of the available score times the dimension's proportion.
    static func meanDistance(available: [Double], proportion: [Double]) -> Double {
        var nExistingLower = 0
        var normalized = [0.0, 0.0, 0.0, 0.0, 0.0]
        for i in 0..<5 where available[i] >= 0 {
            nExistingLower += 1
            normalized[i] = available[i] * proportion[i]
        }
        if nExistingLower == 0 { return 0 }
        return (normalized[0] + normalized[1] + normalized[2] + normalized[3] + normalized[4]) / Double(nExistingLower)
    }
}
