/// Keeps rendered output from acting as a GitHub Actions workflow command when a CI step prints it.
///
/// The runner (actions/runner, `ActionCommand.TryParseV2` and `TryParse`) reads every line of a
/// step's output: a line that starts with `::` after leading whitespace (`::set-output`,
/// `::add-mask::`, `::stop-commands::`) is a command, and so is `##[` anywhere in a line (the
/// older form). Values are already on one line (Escape turns CR and LF into spaces, the way
/// osv-scanner's fix for crafted lockfiles does, its #2807), but a value can still start a line
/// (a package name in the first column) or join the text around it into a command. So every
/// output goes through this last pass: a line that would start with `::` gets an escape before
/// its first colon, and every `##[` is broken, each in the way its format displays unchanged.
enum WorkflowGuard {
    enum Style {
        /// Terminal text: a visible backslash (`\::`, `##\[`).
        case text
        /// Markdown: a backslash, which Markdown renders as nothing (`\:` is `:`).
        case markdown
        /// HTML: character references, which a browser shows as the characters.
        case html
        /// JSON: `##\u005b` inside a string (a JSON line never starts with `::`: it starts with
        /// whitespace and a quote, a bracket or a number).
        case json
    }

    /// Whitespace as .NET's `char.IsWhiteSpace`, which the runner's `TrimStart` uses.
    @inline(__always)
    static func isRunnerSpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static func apply(_ bytes: [UInt8], style: Style) -> [UInt8] {
        guard needsWork(bytes) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var atLineStart = true
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A || b == 0x0D {
                out.append(b)
                atLineStart = true
                i += 1
                continue
            }
            if atLineStart {
                // Skip the runner's whitespace (ASCII or multi-byte), then look for "::".
                let (scalar, length) = decode(bytes, i)
                if isRunnerSpace(scalar) {
                    out.append(contentsOf: bytes[i..<min(n, i + length)])
                    i += length
                    continue
                }
                atLineStart = false
                if b == UInt8(ascii: ":") && i + 1 < n && bytes[i + 1] == UInt8(ascii: ":") {
                    switch style {
                    case .text, .markdown:
                        out.append(UInt8(ascii: "\\"))
                        out.append(b)
                    case .html:
                        out.append(contentsOf: Array("&#58;".utf8))
                    case .json:
                        out.append(contentsOf: Array("\\u003a".utf8))
                    }
                    i += 1
                    continue
                }
            }
            if b == UInt8(ascii: "#") && i + 2 < n && bytes[i + 1] == UInt8(ascii: "#") && bytes[i + 2] == UInt8(ascii: "[") {
                out.append(b)
                out.append(b)
                switch style {
                case .text, .markdown: out.append(contentsOf: Array("\\[".utf8))
                case .html: out.append(contentsOf: Array("&#91;".utf8))
                case .json: out.append(contentsOf: Array("\\u005b".utf8))
                }
                i += 3
                continue
            }
            out.append(b)
            i += 1
        }
        return out
    }

    /// Whether any line could be a command: one forward scan for "##[", and for "::" with nothing
    /// but whitespace (or non-ASCII bytes, left to the full pass) before it on its line. Most outputs
    /// have neither, and then the bytes are returned as they are.
    static func needsWork(_ bytes: [UInt8]) -> Bool {
        var i = 0
        let n = bytes.count
        var blankSoFar = true  // only whitespace since the line began
        while i + 1 < n {
            let b = bytes[i]
            if b == 0x0A || b == 0x0D {
                blankSoFar = true
            } else if b == UInt8(ascii: ":") && bytes[i + 1] == UInt8(ascii: ":") && blankSoFar {
                return true
            } else if b == UInt8(ascii: "#") && bytes[i + 1] == UInt8(ascii: "#") && i + 2 < n && bytes[i + 2] == UInt8(ascii: "[") {
                return true
            } else if !(b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C || b >= 0x80) {
                blankSoFar = false
            }
            i += 1
        }
        return false
    }

    /// The scalar starting at `i` and its length in bytes (output is valid UTF-8; a stray byte
    /// counts as one byte that is not whitespace).
    static func decode(_ bytes: [UInt8], _ i: Int) -> (UInt32, Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let n = bytes.count
        if b0 >= 0xC0 && b0 < 0xE0 && i + 1 < n {
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(bytes[i + 1] & 0x3F), 2)
        }
        if b0 >= 0xE0 && b0 < 0xF0 && i + 2 < n {
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F), 3)
        }
        if b0 >= 0xF0 && i + 3 < n {
            return ((UInt32(b0 & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12) | (UInt32(bytes[i + 2] & 0x3F) << 6)
                    | UInt32(bytes[i + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }
}
