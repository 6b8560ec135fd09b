import Foundation
import NerqTestSupport
import NerqTOML

func readBytes(_ path: String) -> [UInt8]? {
    guard let d = FileManager.default.contents(atPath: path) else { return nil }
    return [UInt8](d)
}

// MARK: - toml-test comparison

/// Compares a parsed value with toml-test's typed JSON encoding.
/// Returns nil if equal, else a description of the first difference.
func compareToTomlTest(_ value: TOMLValue, _ json: Any, path: String = "") -> String? {
    let here = path.isEmpty ? "<root>" : path
    if let dict = json as? [String: Any], dict.count == 2,
        let type = dict["type"] as? String, let expected = dict["value"] as? String
    {
        return compareScalar(value, type: type, expected: expected, path: here)
    }
    switch value {
    case .table(let t):
        guard let dict = json as? [String: Any] else { return "\(here): got table, expected \(json)" }
        if dict.count != t.count {
            return "\(here): table has keys \(t.keys.sorted()), expected \(dict.keys.sorted())"
        }
        for (k, v) in t.entries {
            guard let jv = dict[k] else { return "\(here): unexpected key \(k.debugDescription)" }
            if let err = compareToTomlTest(v, jv, path: path.isEmpty ? k : path + "." + k) { return err }
        }
        return nil
    case .array(let a):
        guard let arr = json as? [Any] else { return "\(here): got array, expected \(json)" }
        if arr.count != a.count { return "\(here): array has \(a.count) elements, expected \(arr.count)" }
        for (i, (x, y)) in zip(a, arr).enumerated() {
            if let err = compareToTomlTest(x, y, path: "\(here)[\(i)]") { return err }
        }
        return nil
    default:
        return "\(here): got \(value.typeName) \(value), expected \(json)"
    }
}

private func parseExpectedFloat(_ s: String) -> Double? {
    var t = Substring(s)
    var neg = false
    if t.hasPrefix("+") { t = t.dropFirst() } else if t.hasPrefix("-") { neg = true; t = t.dropFirst() }
    let v: Double?
    switch t {
    case "inf": v = .infinity
    case "nan": v = .nan
    default: v = Double(t)
    }
    guard let v else { return nil }
    return neg ? -v : v
}

private func compareScalar(_ value: TOMLValue, type: String, expected: String, path: String) -> String? {
    guard value.typeName == type else {
        return "\(path): type \(value.typeName) (\(value)), expected \(type) \(expected.debugDescription)"
    }
    switch value {
    case .string(let s):
        return Array(s.utf8) == Array(expected.utf8) ? nil : "\(path): string \(s.debugDescription) != \(expected.debugDescription)"
    case .integer(let i):
        return String(i) == expected ? nil : "\(path): integer \(i) != \(expected)"
    case .float(let d):
        guard let e = parseExpectedFloat(expected) else { return "\(path): bad expected float \(expected)" }
        if d.isNaN && e.isNaN { return nil }
        return d == e ? nil : "\(path): float \(d) != \(expected)"
    case .bool(let b):
        return expected.lowercased() == (b ? "true" : "false") ? nil : "\(path): bool \(b) != \(expected)"
    case .offsetDateTime(let dt), .localDateTime(let dt), .localDate(let dt), .localTime(let dt):
        guard let e = ExpectedDateTime(expected) else { return "\(path): bad expected datetime \(expected)" }
        return e.matches(dt) ? nil : "\(path): datetime \(dt.rfc3339) != \(expected)"
    default:
        return "\(path): unexpected \(value.typeName)"
    }
}

/// Minimal independent RFC 3339 reader for expected values (after toml-test's
/// normalisation: ' ' / 't' -> 'T', 'z' -> 'Z').
struct ExpectedDateTime {
    var date: (Int, Int, Int)?
    var time: (Int, Int, Int, Int)?  // h, m, s, ns
    var offset: Int?

    init?(_ raw: String) {
        let s = Array(raw.replacingOccurrences(of: " ", with: "T").replacingOccurrences(of: "t", with: "T")
            .replacingOccurrences(of: "z", with: "Z").utf8)
        var i = 0
        func num(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = s[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func eat(_ c: Character) -> Bool {
            if i < s.count && s[i] == c.asciiValue { i += 1; return true }
            return false
        }
        if s.count >= 10 && s[4] == 45 {
            guard let y = num(4), eat("-"), let m = num(2), eat("-"), let d = num(2) else { return nil }
            date = (y, m, d)
            if i == s.count { return }
            guard eat("T") else { return nil }
        }
        guard let h = num(2), eat(":"), let mi = num(2), eat(":"), let se = num(2) else { return nil }
        var ns = 0
        if eat(".") {
            var scale = 100_000_000
            var any = false
            while i < s.count, s[i] >= 48 && s[i] <= 57 {
                ns += Int(s[i] - 48) * scale
                scale /= 10
                i += 1
                any = true
            }
            if !any { return nil }
        }
        time = (h, mi, se, ns)
        if i == s.count { return }
        if eat("Z") {
            offset = 0
        } else if i < s.count, s[i] == 43 || s[i] == 45 {
            let neg = s[i] == 45
            i += 1
            guard let oh = num(2), eat(":"), let om = num(2) else { return nil }
            offset = (oh * 60 + om) * (neg ? -1 : 1)
        } else {
            return nil
        }
        if i != s.count { return nil }
    }

    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    func matches(_ dt: TOMLDateTime) -> Bool {
        switch dt.kind {
        case .localDate:
            guard let date, time == nil, offset == nil else { return false }
            return date == (dt.year, dt.month, dt.day)
        case .localTime:
            guard date == nil, let time, offset == nil else { return false }
            return time == (dt.hour, dt.minute, dt.second, dt.nanosecond)
        case .localDateTime:
            guard let date, let time, offset == nil else { return false }
            return date == (dt.year, dt.month, dt.day) && time == (dt.hour, dt.minute, dt.second, dt.nanosecond)
        case .offsetDateTime:
            guard let date, let time, let offset, let dtOff = dt.offsetMinutes else { return false }
            // Compare instants.
            let a = (ExpectedDateTime.daysFromCivil(date.0, date.1, date.2) * 86400 + time.0 * 3600 + time.1 * 60 + time.2 - offset * 60)
            let b = (ExpectedDateTime.daysFromCivil(dt.year, dt.month, dt.day) * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second - dtOff * 60)
            return a == b && time.3 == dt.nanosecond
        }
    }
}
