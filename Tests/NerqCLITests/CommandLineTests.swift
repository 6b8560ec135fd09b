import Testing
import NerqJSON
import NerqTestSupport
@testable import NerqCLI

/// cargo nerq's own logic: the command line (as argparse read it when cargo nerq was a Python
/// script), the colour choice, the crate view's gate, cargo's errors on one line. Everything else
/// is checked on the built command by bindings/cargo/tests.
@Suite struct CommandLineTests {
    func parsed(_ argv: [String], _ command: CommandSpec = projectCommand) throws -> ParsedArguments {
        switch command.parse(argv) {
        case .success(let a): return a
        case .failure(let e): throw TestFailure(e.message)
        }
    }

    func error(_ argv: [String], _ command: CommandSpec = projectCommand) -> String? {
        if case .failure(let e) = command.parse(argv) { return e.message }
        return nil
    }

    @Test func valuesFlagsAndRepeats() throws {
        let a = try parsed(["--format=json", "--lockfile", "Cargo.lock", "-Dwarnings", "--deny", "vulnerability,unsound", "-q",
                            "--target", "x86_64-unknown-linux-gnu", "--target=all", "--no-evidence", "--fail-under", "50"])
        #expect(a.value("format") == "json")
        #expect(a.value("lockfile") == "Cargo.lock")
        #expect(a.all("deny") == ["unmaintained", "unsound", "yanked", "vulnerability", "unsound"])
        #expect(unique(a.all("deny")) == ["unmaintained", "unsound", "yanked", "vulnerability"])
        #expect(a.flag("quiet"))
        #expect(a.all("target") == ["x86_64-unknown-linux-gnu", "all"])
        #expect(a.toggle("evidence") == false)
        #expect(try parsed(["--evidence"]).toggle("evidence") == true)
        #expect(try parsed([]).toggle("evidence") == nil)
        #expect(a.value("fail_under") == "50")
        // A later value of a single option wins (argparse's store).
        #expect(try parsed(["--format", "json", "--format", "sarif"]).value("format") == "sarif")
    }

    @Test func crateTakesOneName() throws {
        let a = try parsed(["nix@0.22.1", "--format", "html", "-o", "nix.html"], crateCommand)
        #expect(a.positionals == ["nix@0.22.1"])
        #expect(a.value("output") == "nix.html")
        #expect(try parsed(["--", "-odd-name"], crateCommand).positionals == ["-odd-name"])
        #expect(error([], crateCommand) == "the following arguments are required: NAME[@VERSION]")
        #expect(error(["a", "b"], crateCommand) == "unrecognized arguments: b")
        #expect(try parsed(["--help"], crateCommand).help)
    }

    @Test func errorsAreWordedAsArgparseWordedThem() {
        #expect(error(["--frobnicate", "--x"]) == "unrecognized arguments: --frobnicate --x")
        #expect(error(["stray"]) == "unrecognized arguments: stray")
        #expect(error(["--format", "xml"]) == "argument --format: invalid choice: 'xml' (choose from 'human', 'json', 'sarif', 'markdown', 'html')")
        #expect(error(["--lockfile"]) == "argument --lockfile: expected one argument")
        #expect(error(["--lockfile", "--no-scan"]) == "argument --lockfile: expected one argument")
        #expect(error(["--fail-under", "120"]) == "argument --fail-under: expected a score from 0 to 100, found '120'")
        #expect(error(["--fail-under", "-5"]) == "argument --fail-under: expected a score from 0 to 100, found '-5'")
        #expect(error(["--fail-under", "high"]) == "argument --fail-under: expected a score from 0 to 100, found 'high'")
        #expect(error(["-D", "vulns"]) == "argument -D/--deny: unknown finding kind 'vulns' (expected vulnerability, malicious, unsound, "
                + "unmaintained, notice, yanked or warnings)")
        #expect(error(["--no-scan=yes"]) == "argument --no-scan: ignored explicit argument 'yes'")
        #expect(error(["x", "--dump"], crateCommand) == "unrecognized arguments: --dump")
        #expect(error(["--dump"], crateCommand) == "the following arguments are required: NAME[@VERSION]")  // argparse says this first
        #expect(error(["--format", "sarif"], fetchCommand)?.hasPrefix("argument --format: invalid choice: 'sarif'") == true)
    }

    /// Every option of each command is named in its help (the help is written, not generated).
    @Test func helpNamesEveryOption() {
        for (command, help) in [(projectCommand, projectHelp), (crateCommand, crateHelp), (fetchCommand, fetchHelp)] {
            for option in command.options {
                for name in option.names { #expect(help.contains(name + " ") || help.contains(name + "\n") || help.contains(name + ","), "\(name)") }
                if case .negatable = option.kind { #expect(help.contains("--no-" + option.long.dropFirst(2))) }
                for choice in option.choices { #expect(help.contains(choice), "\(option.long) \(choice)") }
            }
        }
    }

    @Test(arguments: [
        (nil, [String: String](), true, true),
        (nil, [:], false, false),
        (nil, ["NO_COLOR": "1"], true, false),
        (nil, ["NO_COLOR": ""], true, true),
        (nil, ["CARGO_TERM_COLOR": "always"], false, true),
        (nil, ["CARGO_TERM_COLOR": "never"], true, false),
        ("always", ["NO_COLOR": "1"], false, true),
        ("never", ["CARGO_TERM_COLOR": "always"], true, false),
        ("auto", ["CARGO_TERM_COLOR": "always"], false, false),
    ] as [(String?, [String: String], Bool, Bool)])
    func colourChoice(_ flag: String?, _ env: [String: String], _ terminal: Bool, _ expected: Bool) throws {
        #expect(try NerqCLI.colourChoice(flag: flag, cargoTermColor: env["CARGO_TERM_COLOR"], noColor: env["NO_COLOR"],
                                         terminal: terminal) == expected)
    }

    @Test func badCargoTermColor() {
        #expect(throws: Failure.self) { try NerqCLI.colourChoice(flag: nil, cargoTermColor: "sometimes", noColor: nil, terminal: true) }
    }

    /// The crate view's gates (a project's are the library's: the assessment's `gate`), on atty
    /// 0.2.14's report (50.0, two findings: unsound and unmaintained).
    @Test func crateGate() throws {
        let atty = try JSONParser.parse(try readFixture("atty-report.json"))
        #expect(NerqCLI.crateGate(atty, failUnder: nil, deny: []) == nil)
        #expect(NerqCLI.crateGate(atty, failUnder: 50, deny: []) == nil)
        #expect(NerqCLI.crateGate(atty, failUnder: 55, deny: []) == "atty 0.2.14 scores 50.0, below --fail-under 55")
        #expect(NerqCLI.crateGate(atty, failUnder: 55.5, deny: []) == "atty 0.2.14 scores 50.0, below --fail-under 55.5")
        #expect(NerqCLI.crateGate(atty, failUnder: nil, deny: ["yanked", "notice", "malicious", "vulnerability"]) == nil)
        #expect(NerqCLI.crateGate(atty, failUnder: nil, deny: warningKinds)?.hasPrefix("2 denied findings: RUSTSEC-2021-0145 (unsound)") == true)
    }

    @Test func cargoErrorsOnOneLine() {
        var stderr = "error: unclosed table, expected `]`\n --> Cargo.toml:5:14\n  |\n5 | [dependencies\n  |              ^\n"
        #expect(oneLine(stderr) == "unclosed table, expected `]` (Cargo.toml:5:14)")
        stderr = "error: failed to load manifest for workspace member `/x`\n\nCaused by:\n  failed to read `/x/Cargo.toml`\n\n"
            + "Caused by:\n  No such file or directory (os error 2)\n"
        #expect(oneLine(stderr) == "failed to load manifest for workspace member `/x`; failed to read `/x/Cargo.toml`; "
                + "No such file or directory (os error 2)")
        #expect(oneLine("") == "no error message")
    }

    @Test func lockedVersionsSortAsVersions() {
        #expect(["1.0.0", "1.0.0-rc.1", "0.9.10", "0.9.9", "1.0.0-alpha"].sorted { versionKey($0) < versionKey($1) }
                == ["0.9.9", "0.9.10", "1.0.0-alpha", "1.0.0-rc.1", "1.0.0"])
        #expect(quotedValue("name = \"time\"", key: "name") == "time")
        #expect(quotedValue("name=\"time\"", key: "name") == "time")
        #expect(quotedValue("names = \"x\"", key: "name") == nil)
    }

    @Test func pathsAsMessagesShowThem() {
        #expect(normalise("/a/./b/../c//d") == "/a/c/d")
        #expect(normalise("/../a") == "/a")
    }
}
