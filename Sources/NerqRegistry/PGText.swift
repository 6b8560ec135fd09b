// PostgreSQL's text forms of the values in the dump: integers, `t`/`f` booleans, `timestamp with
// time zone` (`2017-01-17 19:13:05.112025+00`), dates, and one-dimensional array literals
// (`{a,b}`, `{}`, `{"with space","quote \" inside",NULL}`). All functions are total: malformed
// input gives nil, never a trap.

import NerqCore

enum PGText {
    @inline(__always) static func int64(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let p = b.baseAddress, b.count > 0, b.count <= 20 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D {
            negative = true
            i = 1
            guard b.count > 1 else { return nil }
        }
        var v: Int64 = 0
        while i < b.count {
            let d = p[i] &- 0x30
            guard d <= 9 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            v = a
            i += 1
        }
        return v
    }

    @inline(__always) static func bool(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard b.count == 1, let c = b.first else { return nil }
        if c == 0x74 { return true }   // t
        if c == 0x66 { return false }  // f
        return nil
    }

    /// `YYYY-MM-DD` → days since 1970-01-01.
    static func date(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 10 else { return nil }
        return dateTime(b).map { $0 >= 0 ? $0 / 86400 : ($0 - 86399) / 86400 }
    }

    /// `YYYY-MM-DD[ HH:MM:SS[.frac]][(+|-)HH[:MM[:SS]]|Z]` → whole seconds since the epoch (UTC).
    /// Also accepts `T` between date and time. Fractions are truncated.
    static func dateTime(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let p = b.baseAddress else { return nil }
        let n = b.count
        var i = 0
        func digits(_ count: Int) -> Int64? {
            guard i + count <= n else { return nil }
            var v: Int64 = 0
            for k in i..<(i + count) {
                let d = p[k] &- 0x30
                guard d <= 9 else { return nil }
                v = v * 10 + Int64(d)
            }
            i += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, p[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2),
              (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year)
        else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        if i == n { return days * 86400 }
        guard p[i] == 0x20 || p[i] == 0x54 else { return nil }
        i += 1
        guard let hh = digits(2), expect(0x3A), let mm = digits(2), expect(0x3A), let ss = digits(2),
              hh <= 24, mm <= 59, ss <= 60
        else { return nil }
        if i < n, p[i] == 0x2E {
            i += 1
            let start = i
            while i < n, p[i] &- 0x30 <= 9 { i += 1 }
            guard i > start else { return nil }
        }
        var offset: Int64 = 0
        if i < n {
            if p[i] == 0x5A {
                i += 1
            } else if p[i] == 0x2B || p[i] == 0x2D {
                let sign: Int64 = p[i] == 0x2D ? -1 : 1
                i += 1
                guard let oh = digits(2), oh <= 15 else { return nil }
                var om: Int64 = 0
                var os: Int64 = 0
                if expect(0x3A) {
                    guard let m = digits(2), m <= 59 else { return nil }
                    om = m
                    if expect(0x3A) {
                        guard let s = digits(2), s <= 59 else { return nil }
                        os = s
                    }
                } else if i + 2 <= n {
                    guard let m = digits(2), m <= 59 else { return nil }
                    om = m
                }
                offset = sign * (oh * 3600 + om * 60 + os)
            } else {
                return nil
            }
        }
        guard i == n else { return nil }
        return days * 86400 + hh * 3600 + mm * 60 + min(ss, 59) - offset
    }

    /// A one-dimensional array literal. NULL elements are dropped. nil when malformed.
    static func array(_ b: UnsafeBufferPointer<UInt8>) -> [String]? {
        guard let p = b.baseAddress, b.count >= 2, p[0] == 0x7B, p[b.count - 1] == 0x7D else { return nil }
        let end = b.count - 1
        var out: [String] = []
        var i = 1
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        while i < end, isSpace(p[i]) { i += 1 }
        if i == end { return [] }
        while true {
            while i < end, isSpace(p[i]) { i += 1 }
            guard i < end else { return nil }  // an element is missing (`{a,}`)
            var element: [UInt8] = []
            if p[i] == 0x22 {
                i += 1
                var closed = false
                while i < end {
                    let c = p[i]
                    if c == 0x5C {
                        guard i + 1 < end else { return nil }
                        element.append(p[i + 1])
                        i += 2
                    } else if c == 0x22 {
                        i += 1
                        closed = true
                        break
                    } else {
                        element.append(c)
                        i += 1
                    }
                }
                guard closed else { return nil }
                while i < end, isSpace(p[i]) { i += 1 }
                out.append(String(decoding: element, as: UTF8.self))
            } else {
                let start = i
                while i < end {
                    let c = p[i]
                    if c == 0x2C { break }
                    // Quotes, braces and backslashes must be quoted/escaped in an unquoted element.
                    if c == 0x22 || c == 0x7B || c == 0x7D || c == 0x5C { return nil }
                    i += 1
                }
                var stop = i
                while stop > start, isSpace(p[stop - 1]) { stop -= 1 }
                guard stop > start else { return nil }
                let raw = UnsafeBufferPointer(rebasing: b[start..<stop])
                let isNull = raw.count == 4 && raw.elementsEqual("NULL".utf8, by: { ($0 | 0x20) == ($1 | 0x20) })
                if !isNull { out.append(String(decoding: raw, as: UTF8.self)) }
            }
            if i == end { return out }
            guard p[i] == 0x2C else { return nil }
            i += 1
        }
    }
}
