// The command line of cargo nerq: each subcommand's options as a table, and one parser for all
// three. It accepts what argparse accepted before (the command was a Python script until 0.2):
// `--opt value`, `--opt=value`, `-D value`, `-Dvalue`, `--evidence`/`--no-evidence`, `--` before
// positionals, and words its errors the same way (no abbreviations of long options, like cargo).

struct Option: Sendable {
    enum Kind: Sendable {
        case flag                    // --no-scan
        case value(metavar: String)  // --format FORMAT
        case negatable               // --evidence / --no-evidence
    }

    let names: [String]  // "-D", "--deny": the last is the long name, which errors use
    let kind: Kind
    var choices: [String] = []
    var repeatable = false
    /// Checks (and normalises) a value: the error message, argparse-worded, or the values kept.
    var check: (@Sendable (String) -> Result<[String], ArgumentError>)?

    var long: String { names.last ?? "" }
    var key: String { String(long.drop { $0 == "-" }).replacingDashes() }

    static func flag(_ names: String...) -> Option { Option(names: names, kind: .flag) }
    static func value(_ names: String..., metavar: String, choices: [String] = [], repeatable: Bool = false,
                      check: (@Sendable (String) -> Result<[String], ArgumentError>)? = nil) -> Option {
        Option(names: names, kind: .value(metavar: metavar), choices: choices, repeatable: repeatable, check: check)
    }
}

struct ArgumentError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}

extension String {
    func replacingDashes() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}

/// What a command line said: values by option key (every value of a repeatable option, in order),
/// the flags given, the positionals.
struct ParsedArguments: Sendable {
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    var help = false

    func value(_ key: String) -> String? { values[key]?.last }
    func all(_ key: String) -> [String] { values[key] ?? [] }
    func flag(_ key: String) -> Bool { flags.contains(key) }
    /// A negatable option: true, false (`--no-...`), or nil when not given.
    func toggle(_ key: String) -> Bool? { flags.contains(key) ? true : flags.contains("no_" + key) ? false : nil }
}

struct CommandSpec: Sendable {
    let options: [Option]
    /// The positional's name in errors (`NAME[@VERSION]`), or nil when the command takes none.
    var positional: String?

    func parse(_ argv: [String]) -> Result<ParsedArguments, ArgumentError> {
        var out = ParsedArguments()
        var unrecognized: [String] = []
        var i = 0
        var onlyPositionals = false
        func option(named name: String) -> (Option, negated: Bool)? {
            for o in options {
                if o.names.contains(name) { return (o, false) }
                if case .negatable = o.kind, name == "--no-" + o.long.dropFirst(2) { return (o, true) }
            }
            return nil
        }
        while i < argv.count {
            let arg = argv[i]
            i += 1
            if onlyPositionals || arg == "-" || !arg.hasPrefix("-") || Double(arg) != nil {
                out.positionals.append(arg)
                continue
            }
            if arg == "--" {
                onlyPositionals = true
                continue
            }
            if arg == "-h" || arg == "--help" {
                out.help = true
                continue
            }
            // "--name=value", "-Xvalue" (a one-letter option with its value attached), or a name.
            var name = arg
            var attached: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                attached = String(arg[arg.index(after: eq)...])
            } else if !arg.hasPrefix("--"), arg.count > 2 {
                name = String(arg.prefix(2))
                attached = String(arg.dropFirst(2))
            }
            guard let (o, negated) = option(named: name) else {
                unrecognized.append(arg)
                continue
            }
            switch o.kind {
            case .flag, .negatable:
                if attached != nil {
                    return .failure(ArgumentError("argument \(o.names.joined(separator: "/")): ignored explicit argument '\(attached ?? "")'"))
                }
                out.flags.insert(negated ? "no_" + o.key : o.key)
                if case .negatable = o.kind { out.flags.remove(negated ? o.key : "no_" + o.key) }
            case .value:
                var value = attached
                if value == nil, i < argv.count, !(argv[i].hasPrefix("-") && argv[i] != "-" && Double(argv[i]) == nil) {
                    value = argv[i]
                    i += 1
                }
                guard let v = value else {
                    return .failure(ArgumentError("argument \(o.names.joined(separator: "/")): expected one argument"))
                }
                if !o.choices.isEmpty, !o.choices.contains(v) {
                    let listed = o.choices.map { "'\($0)'" }.joined(separator: ", ")
                    return .failure(ArgumentError("argument \(o.names.joined(separator: "/")): invalid choice: '\(v)' (choose from \(listed))"))
                }
                var kept = [v]
                if let check = o.check {
                    switch check(v) {
                    case .success(let values): kept = values
                    case .failure(let e):
                        return .failure(ArgumentError("argument \(o.names.joined(separator: "/")): \(e.message)"))
                    }
                }
                out.values[o.key] = o.repeatable ? (out.values[o.key] ?? []) + kept : kept
            }
        }
        if out.help { return .success(out) }
        if let name = positional {
            if out.positionals.isEmpty { return .failure(ArgumentError("the following arguments are required: \(name)")) }
            unrecognized += out.positionals.dropFirst()
            out.positionals = Array(out.positionals.prefix(1))
        } else {
            unrecognized += out.positionals
        }
        if !unrecognized.isEmpty { return .failure(ArgumentError("unrecognized arguments: \(unrecognized.joined(separator: " "))")) }
        return .success(out)
    }
}

// MARK: - Values

/// What --deny and --allow accept. "warnings" is cargo-audit's `-D warnings`: unmaintained,
/// unsound and yanked (notices are never denied by "warnings", as in cargo-audit).
let denyKinds = ["vulnerability", "malicious", "unsound", "unmaintained", "notice", "yanked"]
let warningKinds = ["unmaintained", "unsound", "yanked"]

@Sendable func findingKinds(_ text: String) -> Result<[String], ArgumentError> {
    var kinds: [String] = []
    for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
        let part = raw.trimmingSpaces()
        if part == "warnings" {
            kinds += warningKinds
        } else if denyKinds.contains(part) {
            kinds.append(part)
        } else {
            return .failure(ArgumentError("unknown finding kind '\(part)' (expected \(denyKinds.joined(separator: ", ")) or warnings)"))
        }
    }
    return .success(kinds)
}

@Sendable func score(_ text: String) -> Result<[String], ArgumentError> {
    guard let value = Double(text.trimmingSpaces()), value.isFinite, value >= 0, value <= 100 else {
        return .failure(ArgumentError("expected a score from 0 to 100, found '\(text)'"))
    }
    return .success([text.trimmingSpaces()])
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        let s = drop { $0 == " " || $0 == "\t" }
        return String(s.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// Unique values in their first order (argparse's `dict.fromkeys`).
func unique(_ values: [String]) -> [String] {
    var seen: Set<String> = []
    return values.filter { seen.insert($0).inserted }
}
