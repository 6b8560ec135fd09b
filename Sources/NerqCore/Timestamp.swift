/// A point in time, in whole seconds since 1970-01-01T00:00:00Z.
import NerqJSON
///
/// nerq never reads the clock in its core: `now` is an input, so the same signals give the same
/// report tomorrow. Parsing is RFC 3339 (`2026-11-21T00:00:00Z`, offsets, fractions) and bare dates
/// (`2026-11-21`, read as midnight UTC), which is what advisories and registries carry.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.seconds < b.seconds }

    /// Days from 1970-01-01 to the civil date (proleptic Gregorian), after H. Hinnant's algorithm.
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func civilFromDays(_ z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses RFC 3339 date-time or a full date. Returns nil on anything else.
    public static func parse(_ text: String) -> Timestamp? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + n) {
                let c = b[k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int64(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if i == b.count { return Timestamp(seconds: days * 86400) }
        guard i < b.count, b[i] == 0x54 || b[i] == 0x74 || b[i] == 0x20 else { return nil }
        i += 1
        guard let hh = digits(2), expect(0x3A), let mm = digits(2), expect(0x3A), let ss = digits(2),
              hh <= 23, mm <= 59, ss <= 60
        else { return nil }
        if i < b.count, b[i] == 0x2E {  // fraction: ignored (whole seconds)
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        var offset: Int64 = 0
        guard i < b.count else { return nil }  // RFC 3339 requires an offset
        if b[i] == 0x5A || b[i] == 0x7A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            let sign: Int64 = b[i] == 0x2D ? -1 : 1
            i += 1
            guard let oh = digits(2), expect(0x3A), let om = digits(2), oh <= 23, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        return Timestamp(seconds: days * 86400 + hh * 3600 + mm * 60 + min(ss, 59) - offset)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var description: String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rem = seconds - days * 86400
        let (y, m, d) = Timestamp.civilFromDays(days)
        // Four-digit years, the ones nerq meets, are written digit by digit (a report writes its
        // `now`, and every package of an assessment has a report).
        if (0...9999).contains(y) {
            return String(unsafeUninitializedCapacity: 20) { out in
                var k = 0
                func put(_ v: Int64, _ width: Int64) {
                    var unit: Int64 = 1
                    for _ in 1..<width { unit &*= 10 }
                    while unit > 0 {
                        out[k] = UInt8(truncatingIfNeeded: v / unit % 10) &+ 0x30
                        k &+= 1
                        unit /= 10
                    }
                }
                put(y, 4); out[4] = 0x2D; k = 5
                put(m, 2); out[7] = 0x2D; k = 8
                put(d, 2); out[10] = 0x54; k = 11
                put(rem / 3600, 2); out[13] = 0x3A; k = 14
                put(rem / 60 % 60, 2); out[16] = 0x3A; k = 17
                put(rem % 60, 2); out[19] = 0x5A
                return 20
            }
        }
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))Z"
    }

    /// `YYYY-MM-DD`.
    public var dateString: String { String(description.prefix(10)) }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    public func days(until later: Timestamp) -> Int64 { (later.seconds - seconds) / 86400 }
}

extension JSONReader {
    /// An RFC 3339 date-time or a full date.
    public func timestamp() throws(NerqError) -> Timestamp {
        let s = try string()
        guard let t = Timestamp.parse(s) else {
            throw NerqError(.invalidValue, "expected an RFC 3339 date-time or a YYYY-MM-DD date, found \"\(s)\"", path: path)
        }
        return t
    }
}
