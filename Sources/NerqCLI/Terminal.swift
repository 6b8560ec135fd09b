#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An operational error: one line on stderr, exit 2.
struct Failure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

enum Exit {
    static let ok: Int32 = 0, gate: Int32 = 1, error: Int32 = 2, interrupted: Int32 = 130
}

func environment(_ name: String) -> String? {
    getenv(name).flatMap { String(validatingCString: $0) }
}

/// One line on stderr; a closed stderr loses it rather than failing the run.
func say(_ line: String) {
    var bytes = Array(line.utf8)
    bytes.append(0x0A)
    _ = writeAll(2, bytes)
}

/// Writes every byte to `fd`; the errno of the failure, or nil.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress.map { $0 + done }, bytes.count - done) }
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        done += n
    }
    return nil
}

func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

/// Whether to colour: --color, else CARGO_TERM_COLOR, else a terminal without NO_COLOR.
func useColour(_ flag: String?, fd: Int32 = 1) throws(Failure) -> Bool {
    try colourChoice(flag: flag, cargoTermColor: environment("CARGO_TERM_COLOR"), noColor: environment("NO_COLOR"),
                     terminal: isTerminal(fd))
}

func colourChoice(flag: String?, cargoTermColor: String?, noColor: String?, terminal: Bool) throws(Failure) -> Bool {
    let mode = flag ?? cargoTermColor.map { $0.trimmingSpaces().lowercased() }.flatMap { $0.isEmpty ? nil : $0 } ?? "auto"
    switch mode {
    case "always": return true
    case "never": return false
    case "auto": return terminal && (noColor ?? "").isEmpty
    default: throw Failure("CARGO_TERM_COLOR: expected auto, always or never, found '\(mode)'")
    }
}

struct Style {
    let enabled: Bool
    static let codes = ["bold": "1", "dim": "2", "ok": "1;32", "err": "1;31", "warn": "1;33"]

    func callAsFunction(_ key: String, _ text: String) -> String {
        guard enabled, let code = Style.codes[key] else { return text }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

/// Cargo-style status lines on stderr, only when stderr is a terminal.
struct Progress {
    let enabled: Bool
    let style: Style

    init(quiet: Bool) {
        enabled = !quiet && isTerminal(2)
        style = Style(enabled: enabled && (environment("NO_COLOR") ?? "").isEmpty)
    }

    func callAsFunction(_ verb: String, _ message: String) {
        guard enabled else { return }
        say("\(style("ok", String(repeating: " ", count: max(0, 12 - verb.count)) + verb)) \(message)")
    }
}

/// Columns for the human output: $COLUMNS when set, else the terminal's; none when piped.
func terminalWidth(toFile: Bool) -> Int? {
    if toFile { return nil }
    if let c = environment("COLUMNS")?.trimmingSpaces(), let n = Int(c), n > 0, c.allSatisfy(\.isNumber) {
        return max(20, min(n, 10_000))
    }
    guard isTerminal(1) else { return nil }
    var size = winsize()
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return max(20, Int(size.ws_col))
}

/// The report could not be written; `closed` when the reader went away (a broken pipe).
struct OutputError: Error {
    let message: String
    let closed: Bool
}

func writeOutput(_ text: String, to path: String?) throws(OutputError) {
    let bytes = Array(text.utf8)
    if let path {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw OutputError(message: "cannot write \(path): \(errorText(errno))", closed: false) }
        let failed = writeAll(fd, bytes)
        let closeFailed = close(fd) != 0 ? errno : nil
        if let e = failed ?? closeFailed { throw OutputError(message: "cannot write \(path): \(errorText(e))", closed: false) }
        return
    }
    if let e = writeAll(1, bytes) {
        if e == EPIPE {
            throw OutputError(message: "the output was closed before the report was written (broken pipe)", closed: true)
        }
        throw OutputError(message: "cannot write the report to stdout: \(errorText(e))", closed: e == EBADF)
    }
}

/// strerror's text, as Python's OSError.strerror says it.
func errorText(_ code: Int32) -> String {
    strerror(code).flatMap { String(validatingCString: $0) } ?? "error \(code)"
}
