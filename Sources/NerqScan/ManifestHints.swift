/// A deliberately tiny, line-based reading of a few Cargo.toml keys.
/// This is NOT a TOML parser (another nerq module owns that); it understands
/// `[section]` headers and `key = "basic string"` / `key = true|false` lines,
/// which is what `cargo publish` normalized manifests contain. Anything it
/// does not understand is ignored. Callers with a real parse should pass
/// values through `ScanOptions` instead.
public struct ManifestHints: Sendable, Equatable {
    public var name: String?
    public var version: String?
    public var license: String?
    public var libPath: String?
    public var procMacro = false
    /// `build = "path"` in [package]
    public var buildPath: String?
    /// `build = false` in [package]
    public var buildDisabled = false
    public var readme: String?

    public init() {}

    public init(text: [UInt8]) {
        var section = ""
        var lineStart = 0
        let n = text.count
        var i = 0
        while i <= n {
            if i == n || text[i] == 10 {
                if i > lineStart {
                    let line = String(decoding: text[lineStart..<i], as: UTF8.self)
                    handle(line: line, section: &section)
                }
                lineStart = i &+ 1
            }
            i &+= 1
        }
    }

    private mutating func handle(line raw: String, section: inout String) {
        let line = trim(raw)
        if line.isEmpty || line.hasPrefix("#") { return }
        if line.hasPrefix("[") {
            var s = line
            // strip a trailing comment
            if let hashIdx = s.firstIndex(of: "#") { s = trim(String(s[..<hashIdx])) }
            section = s.filter { $0 != "[" && $0 != "]" && $0 != " " && $0 != "\t" }
            if s.hasPrefix("[[") { section = "[[" + section + "]]" }
            return
        }
        guard let eq = line.firstIndex(of: "=") else { return }
        let key = trim(String(line[..<eq])).filter { $0 != "\"" }
        let valueText = trim(String(line[line.index(after: eq)...]))
        let str = ManifestHints.basicString(valueText)
        let boolValue: Bool? = valueText.hasPrefix("true") ? true : (valueText.hasPrefix("false") ? false : nil)
        switch section {
        case "package":
            switch key {
            case "name": if let s = str { name = s }
            case "version": if let s = str { version = s }
            case "license": if let s = str { license = s }
            case "readme": if let s = str { readme = s }
            case "build":
                if let s = str { buildPath = s } else if boolValue == false { buildDisabled = true }
            default: break
            }
        case "lib":
            switch key {
            case "path": if let s = str { libPath = s }
            case "proc-macro", "proc_macro": if boolValue == true { procMacro = true }
            default: break
            }
        default: break
        }
    }

    /// `"..."` (with simple escapes) or `'...'`; nil otherwise.
    static func basicString(_ v: String) -> String? {
        let u = Array(v.utf8)
        guard let q = u.first, q == 34 || q == 39 else { return nil }
        if u.count >= 3 && u[1] == q && u[2] == q { return nil }  // multi-line strings: not handled
        var out: [UInt8] = []
        var i = 1
        while i < u.count {
            let b = u[i]
            if b == q { return String(decoding: out, as: UTF8.self) }
            if b == 92 && q == 34 && i &+ 1 < u.count {
                let e = u[i &+ 1]
                switch e {
                case 110: out.append(10)
                case 116: out.append(9)
                default: out.append(e)
                }
                i &+= 2
                continue
            }
            out.append(b)
            i &+= 1
        }
        return nil
    }
}

func trim(_ s: String) -> String {
    var sub = Substring(s)
    while let f = sub.first, f == " " || f == "\t" || f == "\r" || f == "\n" { sub = sub.dropFirst() }
    while let l = sub.last, l == " " || l == "\t" || l == "\r" || l == "\n" { sub = sub.dropLast() }
    return String(sub)
}
