/// Inline SVG charts for the HTML pages: a gauge for the score, horizontal bars (dimensions,
/// verdicts, finding kinds) and columns (grades). Colours come from the page's CSS classes, so a
/// chart follows the page's light or dark palette. Every chart is an `img` with a `<title>` and a
/// `<desc>` (its text alternative, read by screen readers) and the page puts a table or a list
/// with the same numbers beside it. Labels arrive escaped for HTML; class names are never input.
enum SVG {
    static func n(_ d: Double) -> String { Numbers.general((d * 10).rounded() / 10) }

    /// `<svg ...><title/><desc/>` opening for a chart of `width` x `height` user units.
    static func open(id: String, width: Double, height: Double, title: String, desc: String, cls: String) -> String {
        "<svg class=\"chart \(cls)\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"\(id)-t\">\(title)</title><desc id=\"\(id)-d\">\(desc)</desc>"
    }

    /// A half-circle gauge with the score in its middle. `level` is a CSS class suffix (a verdict
    /// nerq knows, else "unknown").
    static func gauge(id: String, score: Double?, level: String, grade: String?, title: String) -> String {
        let r = 80.0, cx = 100.0, cy = 100.0
        let length = Double.pi * r
        let share = max(0, min(1, (score ?? 0) / 100))
        var s = open(id: id, width: 200, height: 126, title: title, desc: "A gauge from 0 to 100 filled to the Trust Score.", cls: "gauge")
        let arc = "M \(n(cx - r)) \(n(cy)) A \(n(r)) \(n(r)) 0 0 1 \(n(cx + r)) \(n(cy))"
        s += "<path d=\"\(arc)\" class=\"track\" fill=\"none\" stroke-width=\"16\" stroke-linecap=\"round\"/>"
        if score != nil {
            s += "<path d=\"\(arc)\" class=\"fill v-\(level)\" fill=\"none\" stroke-width=\"16\" stroke-linecap=\"round\" "
                + "stroke-dasharray=\"\(n(share * length)) \(n(length))\"/>"
        }
        s += "<text x=\"100\" y=\"92\" text-anchor=\"middle\" class=\"big\">\(score.map { Numbers.fixed($0, 1) } ?? "–")</text>"
        s += "<text x=\"100\" y=\"114\" text-anchor=\"middle\" class=\"small\">out of 100\(grade.map { " · grade \($0)" } ?? "")</text>"
        s += "<text x=\"\(n(cx - r))\" y=\"122\" text-anchor=\"middle\" class=\"tick\">0</text>"
        s += "<text x=\"\(n(cx + r))\" y=\"122\" text-anchor=\"middle\" class=\"tick\">100</text>"
        return s + "</svg>"
    }

    struct Bar {
        /// Escaped for HTML.
        var label: String
        var value: Double?
        /// What is written at the end of the bar ("80.0", "12"), escaped.
        var display: String
        /// CSS class of the fill (`v-safe`, `s-high`, `band-good`...).
        var cls: String
        /// Small text under the label ("weight 0.25"), escaped.
        var note: String = ""
    }

    /// Horizontal bars, label above each bar so that a phone's width holds the chart. Bars without
    /// a value are drawn hatched ("no data" is not zero).
    static func bars(id: String, title: String, desc: String, rows: [Bar], maximum: Double, width: Double = 320) -> String {
        let rowHeight = 40.0, barHeight = 12.0, left = 0.0, right = 60.0
        let height = Double(rows.count) * rowHeight + 4
        var s = open(id: id, width: width, height: height, title: title, desc: desc, cls: "bars")
        s += "<defs><pattern id=\"\(id)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"3\" height=\"6\" class=\"hatch\"/></pattern></defs>"
        let span = width - left - right
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowHeight
            s += "<text x=\"\(n(left))\" y=\"\(n(y + 14))\" class=\"label\">\(row.label)"
            if !row.note.isEmpty { s += "<tspan class=\"note\" dx=\"6\">\(row.note)</tspan>" }
            s += "</text>"
            let barY = y + 20
            s += "<rect x=\"\(n(left))\" y=\"\(n(barY))\" width=\"\(n(span))\" height=\"\(n(barHeight))\" rx=\"3\" class=\"track\"/>"
            if let v = row.value {
                let w = maximum > 0 ? max(0, min(1, v / maximum)) * span : 0
                if w > 0 { s += "<rect x=\"\(n(left))\" y=\"\(n(barY))\" width=\"\(n(w))\" height=\"\(n(barHeight))\" rx=\"3\" class=\"fill \(row.cls)\"/>" }
            } else {
                s += "<rect x=\"\(n(left))\" y=\"\(n(barY))\" width=\"\(n(span))\" height=\"\(n(barHeight))\" rx=\"3\" fill=\"url(#\(id)-hatch)\"/>"
            }
            s += "<text x=\"\(n(width))\" y=\"\(n(barY + 11))\" text-anchor=\"end\" class=\"value\">\(row.display)</text>"
        }
        return s + "</svg>"
    }

    /// Vertical columns with the label under each and the count above (the grade distribution).
    static func columns(id: String, title: String, desc: String, rows: [Bar], width: Double = 320) -> String {
        let height = 170.0, top = 18.0, bottom = 22.0
        let slot = width / Double(max(rows.count, 1))
        let column = min(22, slot * 0.7)
        let maximum = rows.compactMap(\.value).max() ?? 0
        var s = open(id: id, width: width, height: height, title: title, desc: desc, cls: "columns")
        let plot = height - top - bottom
        s += "<line x1=\"0\" x2=\"\(n(width))\" y1=\"\(n(height - bottom))\" y2=\"\(n(height - bottom))\" class=\"axis\"/>"
        for (i, row) in rows.enumerated() {
            let cx = slot * (Double(i) + 0.5)
            let v = row.value ?? 0
            let h = maximum > 0 ? v / maximum * plot : 0
            if h > 0 {
                s += "<rect x=\"\(n(cx - column / 2))\" y=\"\(n(height - bottom - h))\" width=\"\(n(column))\" height=\"\(n(h))\" rx=\"2\" class=\"fill \(row.cls)\"/>"
            }
            s += "<text x=\"\(n(cx))\" y=\"\(n(height - bottom - h - 4))\" text-anchor=\"middle\" class=\"value\">\(row.display)</text>"
            s += "<text x=\"\(n(cx))\" y=\"\(n(height - 6))\" text-anchor=\"middle\" class=\"label\">\(row.label)</text>"
        }
        return s + "</svg>"
    }
}
