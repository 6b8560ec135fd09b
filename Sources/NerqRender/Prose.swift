import NerqCore

/// An advisory's Markdown description as plain blocks for a terminal: paragraphs (joined lines,
/// `[text](url)` shown as its text), list items, headings, and code kept line by line. The
/// section of recommended alternatives is left out (reports list those on their own), and so is
/// nothing else: a description is shown as its authors wrote it, only without the markup.
enum Prose {
    enum Block: Equatable {
        case paragraph(String)
        case item(String)
        case heading(String)
        case code([String])
    }

    static func blocks(_ markdown: String) -> [Block] {
        var out: [Block] = []
        var paragraph: [Substring] = []
        var item: [Substring]?
        var code: [String]?
        var skipLevel: Int?
        func flush() {
            if !paragraph.isEmpty { out.append(.paragraph(inline(paragraph.joined(separator: " ")))) }
            paragraph = []
            if let lines = item { out.append(.item(inline(lines.joined(separator: " ")))) }
            item = nil
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if var lines = code {
                if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                    if skipLevel == nil { out.append(.code(lines)) }
                    code = nil
                } else {
                    lines.append(String(line))
                    code = lines
                }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                flush()
                code = []
                continue
            }
            if let level = AdvisoryText.headingLevel(trimmed) {
                flush()
                let text = trimmed.drop { $0 == "#" }.drop { $0 == " " }
                if let skip = skipLevel, level > skip { continue }
                skipLevel = text.lowercased().contains("alternative") ? level : nil
                if skipLevel == nil { out.append(.heading(inline(String(text)))) }
                continue
            }
            if skipLevel != nil { continue }
            if trimmed.isEmpty {
                flush()
            } else if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.hasPrefix("+ ") {
                flush()
                item = [trimmed.dropFirst(2)]
            } else if var lines = item, line.first == " " || line.first == "\t" {
                lines.append(trimmed)
                item = lines
            } else {
                if item != nil { flush() }
                paragraph.append(trimmed)
            }
        }
        if let lines = code, skipLevel == nil { out.append(.code(lines)) }
        flush()
        return out
    }

    /// `[text](url)` -> `text`; `![alt](url)` -> `alt`; everything else as written.
    static func inline(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "[") {
            let before = rest[..<open]
            guard let close = rest[open...].firstIndex(of: "]"), rest[close...].dropFirst().first == "(",
                  let end = rest[close...].firstIndex(of: ")") else {
                out += rest[...open]
                rest = rest[rest.index(after: open)...]
                continue
            }
            out += before.hasSuffix("!") ? before.dropLast() : before
            out += rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }
}
