import Glibc

/// License-text recognition by characteristic phrases, and a small SPDX
/// expression reader.
///
/// Texts are normalized to lowercase ASCII words separated by single spaces
/// (every run of non-alphanumeric bytes becomes one space), so line wrapping,
/// comment markers and punctuation do not matter.
public enum LicenseDetector {
    struct Rule: Sendable {
        let id: String
        let all: [String]
        let none: [String]
    }

    static let rules: [Rule] = [
        Rule(id: "MIT", all: ["permission is hereby granted free of charge to any person obtaining a copy"], none: []),
        Rule(id: "Apache-2.0", all: ["apache license", "version 2 0"], none: []),
        Rule(id: "BSD-3-Clause", all: ["redistribution and use in source and binary forms", "neither the name"], none: []),
        Rule(id: "BSD-2-Clause", all: ["redistribution and use in source and binary forms"], none: ["neither the name"]),
        Rule(id: "ISC", all: ["permission to use copy modify and or distribute this software for any purpose", "provided that the above copyright notice"], none: []),
        Rule(id: "0BSD", all: ["permission to use copy modify and or distribute this software for any purpose"], none: ["provided that the above copyright notice"]),
        Rule(id: "Unlicense", all: ["this is free and unencumbered software released into the public domain"], none: []),
        Rule(id: "MPL-2.0", all: ["mozilla public license", "2 0"], none: []),
        Rule(id: "LGPL-2.1", all: ["gnu lesser general public license", "version 2 1"], none: []),
        Rule(id: "LGPL-3.0", all: ["gnu lesser general public license", "version 3"], none: []),
        Rule(id: "AGPL-3.0", all: ["gnu affero general public license", "version 3"], none: []),
        Rule(id: "GPL-2.0", all: ["gnu general public license", "version 2"], none: ["gnu lesser general public license", "gnu affero general public license"]),
        Rule(id: "GPL-3.0", all: ["gnu general public license", "version 3"], none: ["gnu lesser general public license", "gnu affero general public license"]),
        Rule(id: "Zlib", all: ["altered source versions must be plainly marked as such", "this notice may not be removed or altered from any source distribution"], none: []),
        Rule(id: "BSL-1.0", all: ["boost software license version 1 0"], none: []),
        Rule(id: "CC0-1.0", all: ["cc0 1 0 universal"], none: []),
        Rule(id: "Unicode-DFS-2016", all: ["unicode inc license agreement data files and software"], none: []),
        Rule(id: "Unicode-3.0", all: ["unicode license v3"], none: []),
        Rule(id: "WTFPL", all: ["do what the fuck you want to public license"], none: []),
        Rule(id: "Zlib-acknowledgement", all: ["zlib libpng license"], none: []),
    ]

    /// Lowercase alphanumeric words joined by single spaces, with a leading
    /// and trailing space so phrase matches are whole-word.
    static func normalize(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [32]
        out.reserveCapacity(bytes.count &+ 2)
        for b in bytes {
            let l = (b >= 65 && b <= 90) ? b | 0x20 : b
            if (l >= 97 && l <= 122) || (l >= 48 && l <= 57) {
                out.append(l)
            } else if out.last != 32 {
                out.append(32)
            }
        }
        if out.last != 32 { out.append(32) }
        return out
    }

    /// Byte-level substring test (memchr for the first byte + memcmp);
    /// no String/grapheme work.
    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        let nlen = needle.count
        let hlen = hay.count
        if nlen == 0 { return true }
        if nlen > hlen { return false }
        return hay.withUnsafeBytes { h in
            needle.withUnsafeBytes { nd in
                guard let hb = h.baseAddress, let nb = nd.baseAddress else { return false }
                // Anchor on the rarest-looking byte we can cheaply pick: the
                // needle's last byte that is not a space (needles are
                // " words " so the first byte is a very common space).
                var a = nlen &- 1
                while a > 0 && nd[a] == 32 { a &-= 1 }
                let anchor = Int32(nd[a])
                var i = a
                let lastAnchor = hlen &- nlen &+ a
                while i <= lastAnchor {
                    guard let p = memchr(hb + i, anchor, lastAnchor &- i &+ 1) else { return false }
                    let off = UnsafeRawPointer(p) - hb
                    if off < a || off > lastAnchor { return false }
                    if memcmp(hb + (off &- a), nb, nlen) == 0 { return true }
                    i = off &+ 1
                }
                return false
            }
        }
    }

    /// Rules with phrases pre-normalized to " words ... " byte strings.
    static let compiled: [(id: String, all: [[UInt8]], none: [[UInt8]])] = rules.map { r in
        (r.id, r.all.map { Array((" " + $0 + " ").utf8) }, r.none.map { Array((" " + $0 + " ").utf8) })
    }

    /// SPDX ids whose characteristic phrases occur in `text`, sorted.
    public static func detect(_ text: [UInt8]) -> [String] {
        let norm = normalize(text)
        var found: [String] = []
        for r in compiled {
            if r.all.allSatisfy({ contains(norm, $0) }) && !r.none.contains(where: { contains(norm, $0) }) {
                found.append(r.id)
            }
        }
        return found.sorted()
    }

    /// License ids named by an SPDX expression (operators, parentheses and
    /// `WITH` exceptions removed; legacy `/` treated as OR; `+`, `-only`,
    /// `-or-later` suffixes dropped), sorted and de-duplicated.
    public static func licenseIds(inExpression expr: String) -> [String] {
        var words: [String] = []
        var cur = ""
        for ch in expr {
            if ch == " " || ch == "\t" || ch == "(" || ch == ")" || ch == "/" || ch == "," {
                if !cur.isEmpty { words.append(cur) }
                cur = ""
            } else {
                cur.append(ch)
            }
        }
        if !cur.isEmpty { words.append(cur) }
        var ids: [String] = []
        var skipNext = false
        for w in words {
            if skipNext {
                skipNext = false
                continue
            }
            let u = w.uppercased()
            if u == "AND" || u == "OR" { continue }
            if u == "WITH" {
                skipNext = true
                continue
            }
            ids.append(canonical(w))
        }
        return Array(Set(ids)).sorted()
    }

    static func canonical(_ id: String) -> String {
        var s = id
        if s.hasSuffix("+") { s.removeLast() }
        for suf in ["-only", "-or-later"] where s.hasSuffix(suf) {
            s.removeLast(suf.count)
        }
        return s
    }

    /// Whether every license named by `expression` has a recognized text
    /// among `detected`. `LicenseRef-*` ids are satisfied by any license
    /// file. Returns nil when the expression names no license.
    public static func matches(expression: String, detected: [String], licenseFileCount: Int) -> (ok: Bool, missing: [String])? {
        let want = licenseIds(inExpression: expression)
        if want.isEmpty { return nil }
        let have = Set(detected.map { $0.lowercased() })
        var missing: [String] = []
        for id in want {
            if id.hasPrefix("LicenseRef-") || id.hasPrefix("DocumentRef-") {
                if licenseFileCount == 0 { missing.append(id) }
                continue
            }
            if !have.contains(id.lowercased()) { missing.append(id) }
        }
        return (missing.isEmpty, missing)
    }

    /// Whether a crate-root file name looks like a license file.
    public static func isLicenseFileName(_ name: String) -> Bool {
        let u = name.uppercased()
        return u.hasPrefix("LICENSE") || u.hasPrefix("LICENCE") || u.hasPrefix("COPYING") || u.hasPrefix("UNLICENSE")
    }
}
