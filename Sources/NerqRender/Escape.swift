/// Escaping of values that came from input (crate names, advisory text, file paths, snippets) for
/// the format they land in. Every renderer writes input only through these functions; the text a
/// renderer writes itself is fixed and known to be safe.
///
/// One rule for all formats first: a character that could act on the reader instead of being read
/// (a control character, ESC above all; a line or paragraph separator; a bidirectional override;
/// an invisible "default ignorable" one) is shown as a visible escape such as `\x1b` or `\u{202e}`,
/// so what reaches a terminal, a browser or a pull request is what the reader sees. Tab, newline and
/// carriage return become a space: every value is shown on one line.
enum Escape {
    /// Whether a Unicode scalar must not reach a reader as it is.
    @inline(__always)
    static func isHazard(_ v: UInt32) -> Bool {
        if v < 0x20 || (v >= 0x7F && v <= 0x9F) { return true }
        if v < 0xAD { return false }
        return isRareHazard(v)
    }

    static func isRareHazard(_ v: UInt32) -> Bool {
        switch v {
        case 0xAD, 0x34F, 0x61C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F: return true
        case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F: return true  // zero-width, separators, bidi
        case 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0...0xFFF8: return true
        case 0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF: return true
        default: return false
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// The visible form of a hazard: a space for tab, newline and carriage return; `\xNN` for the
    /// other C0 and C1 controls; `\u{NNNN}` for the rest.
    static func visible(_ v: UInt32, into out: inout [UInt8]) {
        if v == 0x09 || v == 0x0A || v == 0x0D {
            out.append(0x20)
            return
        }
        out.append(UInt8(ascii: "\\"))
        if v < 0x100 {
            out.append(UInt8(ascii: "x"))
            out.append(hexDigits[Int(v >> 4)])
            out.append(hexDigits[Int(v & 0xF)])
            return
        }
        out.append(contentsOf: Array("u{".utf8))
        var started = false
        var shift: UInt32 = 20
        while true {
            let digit = (v >> shift) & 0xF
            if digit != 0 || started || shift < 16 {
                started = true
                out.append(hexDigits[Int(digit)])
            }
            if shift == 0 { break }
            shift -= 4
        }
        out.append(UInt8(ascii: "}"))
    }

    static func append(_ s: Unicode.Scalar, into out: inout [UInt8]) {
        var buffer: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { b in
            var n = 0
            UTF8.encode(s) { byte in
                if n < 4 { b[n] = byte }
                n += 1
            }
            for i in 0..<min(n, 4) { out.append(b[i]) }
        }
    }

    /// Applies `special` to ASCII bytes that need it (returning false to copy the byte as is),
    /// shows hazards visibly and copies everything else. ASCII text with no special byte is copied
    /// in one go (the common case: crate names, versions, most advisory titles).
    @inline(__always)
    static func write(_ s: String, into out: inout [UInt8], isSpecial: (UInt8) -> Bool,
                      special: (UInt8, inout [UInt8]) -> Void) {
        var plain = true
        for b in s.utf8 where b < 0x20 || b >= 0x7F || isSpecial(b) {
            plain = false
            break
        }
        if plain {
            out.append(contentsOf: s.utf8)
            return
        }
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if isHazard(v) {
                visible(v, into: &out)
            } else if v < 0x80 && isSpecial(UInt8(v)) {
                special(UInt8(v), &out)
            } else {
                append(scalar, into: &out)
            }
        }
    }

    static func string(_ build: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        build(&out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: terminal

    /// Text for a terminal: hazards (ESC included) shown visibly, nothing else changed.
    static func terminal(_ s: String) -> String {
        string { terminal(s, into: &$0) }
    }

    static func terminal(_ s: String, into out: inout [UInt8]) {
        write(s, into: &out, isSpecial: { _ in false }, special: { _, _ in })
    }

    // MARK: HTML

    /// Text for HTML, in element content or in a quoted attribute: `& < > " '` as entities.
    static func html(_ s: String, into out: inout [UInt8]) {
        write(s, into: &out, isSpecial: { b in b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 }) { b, out in
            switch b {
            case 0x26: out.append(contentsOf: Array("&amp;".utf8))
            case 0x3C: out.append(contentsOf: Array("&lt;".utf8))
            case 0x3E: out.append(contentsOf: Array("&gt;".utf8))
            case 0x22: out.append(contentsOf: Array("&quot;".utf8))
            default: out.append(contentsOf: Array("&#39;".utf8))
            }
        }
    }

    static func html(_ s: String) -> String { string { html(s, into: &$0) } }

    /// A URL a page may link to: only `http:` and `https:` with a host and no whitespace, quote or
    /// hazard in it. Anything else (`javascript:`, `data:`, a relative path) is shown as text, never
    /// as a link.
    static func linkable(_ url: String) -> String? {
        let lower = url.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = lower.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = lower.dropFirst(7)
        } else {
            return nil
        }
        guard let first = rest.unicodeScalars.first, first != "/" else { return nil }
        for s in url.unicodeScalars {
            let v = s.value
            if v <= 0x20 || v == 0x22 || v == 0x27 || v == 0x3C || v == 0x3E || v == 0x5C || v == 0x60 || isHazard(v) { return nil }
        }
        return url
    }

    // MARK: Markdown (GitHub-flavoured)

    /// Markdown punctuation that can start emphasis, links, code, HTML, tables, math or
    /// strikethrough; each is backslash-escaped, which CommonMark renders as the character itself.
    @inline(__always)
    static func isMarkdownSpecial(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "&"),
             UInt8(ascii: "~"), UInt8(ascii: "#"), UInt8(ascii: "!"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    /// Text for Markdown (also safe inside a table cell): no emphasis, link, image, HTML or code can
    /// start inside it, and a leading `-`, `+` or `=` cannot start a list or a heading.
    static func markdown(_ s: String) -> String {
        string { out in
            if let first = s.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: "=") {
                out.append(UInt8(ascii: "\\"))
            }
            write(s, into: &out, isSpecial: isMarkdownSpecial) { b, out in
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            }
        }
    }

    /// A Markdown code span holding `s` literally. Backslashes do not escape inside code spans, so
    /// the fence is one backtick longer than the longest run of backticks in `s`; in a table a `|`
    /// still ends the cell and is written `\|` (GitHub removes the backslash).
    static func markdownCode(_ s: String, inTable: Bool = true) -> String {
        var longest = 0, run = 0
        for b in s.utf8 {
            run = b == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let body = string { out in
            write(s, into: &out, isSpecial: { inTable && $0 == UInt8(ascii: "|") }) { b, out in
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            }
        }
        let pad = body.hasPrefix("`") || body.hasSuffix("`") || body.isEmpty ? " " : ""
        return fence + pad + body + pad + fence
    }
}
