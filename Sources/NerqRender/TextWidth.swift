/// Columns a terminal gives text, so that human output fits the width it is asked for.
///
/// An approximation of POSIX `wcwidth` from what the standard library knows without tables:
/// combining and enclosing marks and format characters take no column; East Asian wide and
/// fullwidth ranges and emoji presentation take two; everything else one. The text it measures has
/// been through `Escape` (no control characters).
enum TextWidth {
    static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if isWide(v) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    static func of(_ s: String) -> Int {
        var plain = true
        for b in s.utf8 where b >= 0x80 {
            plain = false
            break
        }
        if plain { return s.utf8.count }
        var w = 0
        for scalar in s.unicodeScalars { w += of(scalar) }
        return w
    }

    /// `s` cut to at most `width` columns, ending in "…" when something was cut.
    static func truncate(_ s: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard of(s) > width else { return s }
        var out = String.UnicodeScalarView()
        var used = 0
        for scalar in s.unicodeScalars {
            let w = of(scalar)
            if used + w > width - 1 { break }
            out.append(scalar)
            used += w
        }
        return String(out) + "…"
    }

    /// `s` padded with spaces to `width` columns (on the right, or on the left when `right`).
    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let missing = width - of(s)
        guard missing > 0 else { return s }
        let spaces = String(repeating: " ", count: missing)
        return right ? spaces + s : s + spaces
    }

    /// Words of `text` in lines of at most `width` columns; the first line starts with `first`,
    /// the others with `rest` (a hanging indent). A word longer than a line is cut over lines.
    static func wrap(_ text: String, width: Int?, first: String = "", rest: String = "") -> [String] {
        guard let width, width > 0 else { return [first + text] }
        var lines: [String] = []
        var line = first
        var lineWidth = of(first)
        var empty = true
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            var w = of(word)
            if !empty && lineWidth + 1 + w > width {
                lines.append(line)
                line = rest
                lineWidth = of(rest)
                empty = true
            }
            // A word that does not fit an empty line is cut into pieces that do, in one pass over it.
            if empty && lineWidth + w > width && width - lineWidth > 1 {
                var piece = String.UnicodeScalarView()
                var used = lineWidth
                for scalar in word.unicodeScalars {
                    let sw = of(scalar)
                    if used + sw > width && !piece.isEmpty {
                        lines.append(line + String(piece))
                        line = rest
                        lineWidth = of(rest)
                        used = lineWidth
                        piece = String.UnicodeScalarView()
                    }
                    piece.append(scalar)
                    used += sw
                }
                word = String(piece)
                w = used - lineWidth
            }
            if !empty {
                line += " "
                lineWidth += 1
            }
            line += word
            lineWidth += w
            empty = false
        }
        lines.append(line)
        return lines
    }
}
