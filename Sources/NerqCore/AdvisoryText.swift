/// What an advisory's own text recommends instead of the affected crate.
///
/// RustSec advisories for unmaintained crates list replacements under a heading of their own
/// (`## Recommended alternatives`, `## Alternative(s)`, `## Possible Alternatives`: 146 advisories
/// of the snapshot use one of eleven spellings), one Markdown list item each, usually a link and a
/// note: `- [std::io::IsTerminal](https://doc.rust-lang.org/...) - Stable since Rust 1.70.0`.
/// Reading that section is what lets a report say "atty: use std::io::IsTerminal" instead of
/// leaving the reader to open the advisory.
public struct AdvisoryAlternative: Sendable, Equatable {
    /// The link text or the item's leading words (`std::io::IsTerminal`).
    public var name: String
    public var url: String?
    /// What the item says after the name, without the separating dash (may be empty).
    public var note: String?

    public init(name: String, url: String? = nil, note: String? = nil) {
        self.name = name
        self.url = url
        self.note = note
    }
}

public enum AdvisoryText {
    /// The list items of the first heading whose text mentions "alternative" (any case), up to the
    /// next heading of the same or a higher level. Items are `- ` or `* ` lines; a continuation
    /// line (indented) joins its item. Nothing else of the Markdown is interpreted.
    public static func alternatives(_ description: String?) -> [AdvisoryAlternative] {
        guard let description else { return [] }
        var out: [AdvisoryAlternative] = []
        var sectionLevel: Int?
        var item: String?
        func flush() {
            if let text = item, let parsed = parseItem(text) { out.append(parsed) }
            item = nil
        }
        for raw in description.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let trimmed = line.drop { $0 == " " }
            if let level = headingLevel(trimmed) {
                if let current = sectionLevel {
                    if level <= current {
                        flush()
                        break
                    }
                    continue
                }
                if trimmed.lowercased().contains("alternative") { sectionLevel = level }
                continue
            }
            guard sectionLevel != nil else { continue }
            if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                flush()
                item = String(trimmed.dropFirst(2))
            } else if trimmed.isEmpty {
                flush()
            } else if let current = item, line.first == " " || line.first == "\t" {
                item = current + " " + trimmed
            }
        }
        flush()
        return out
    }

    /// `## Heading` -> 2; a line that is not an ATX heading -> nil.
    public static func headingLevel(_ line: Substring) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard hashes > 0, hashes <= 6 else { return nil }
        let rest = line.dropFirst(hashes)
        return rest.isEmpty || rest.first == " " ? hashes : nil
    }

    /// `[name](url) - note`, `` `name` - note ``, or plain text (the whole item is the name).
    static func parseItem(_ text: String) -> AdvisoryAlternative? {
        let item = text.trimmingSpaces
        guard !item.isEmpty else { return nil }
        var name = item
        var url: String?
        var rest = Substring("")
        if item.hasPrefix("["), let close = item.firstIndex(of: "]"),
           item[item.index(after: close)...].hasPrefix("(") {
            let afterBracket = item.index(after: close)
            if let end = item[afterBracket...].firstIndex(of: ")") {
                name = String(item[item.index(after: item.startIndex)..<close])
                url = String(item[item.index(after: afterBracket)..<end])
                rest = item[item.index(after: end)...]
            }
        } else if let dash = item.firstRange(of: " - ") ?? item.firstRange(of: " – ") ?? item.firstRange(of: ": ") {
            name = String(item[..<dash.lowerBound])
            rest = item[dash.lowerBound...]
        } else {
            rest = ""
        }
        name = name.trimmingCharacters("`").trimmingSpaces
        var note = String(rest).trimmingSpaces
        for separator in ["- ", "– ", "— ", ": ", ", "] where note.hasPrefix(separator) {
            note = String(note.dropFirst(separator.count)).trimmingSpaces
            break
        }
        guard !name.isEmpty else { return nil }
        return AdvisoryAlternative(name: name, url: url, note: note.isEmpty ? nil : note)
    }
}

extension StringProtocol {
    var trimmingSpaces: String { trimmingCharacters(" \t") }

    func trimmingCharacters(_ set: String) -> String {
        var start = startIndex
        var end = endIndex
        while start < end, set.contains(self[start]) { start = index(after: start) }
        while end > start, set.contains(self[index(before: end)]) { end = index(before: end) }
        return String(self[start..<end])
    }
}
