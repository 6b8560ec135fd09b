// The three commands' options (their help is HelpText.swift).

let formats = ["human", "json", "sarif", "markdown", "html"]

let outputOptions: [Option] = [
    .value("--format", metavar: "FORMAT", choices: formats),
    .value("-o", "--output", metavar: "FILE"),
    Option(names: ["--evidence"], kind: .negatable),
    .value("--color", metavar: "WHEN", choices: ["auto", "always", "never"]),
    .flag("-q", "--quiet"),
]

let dataOptions: [Option] = [
    .value("--advisory-db", metavar: "DIR"),
    .value("--registry", metavar: "PATH"),
    .flag("--no-fetch"),
    .value("--now", metavar: "RFC3339"),
]

let projectCommand = CommandSpec(options: [
    .flag("-V", "--version"),
    .value("--manifest-path", metavar: "PATH"),
    .value("--metadata-path", metavar: "FILE"),
    .value("--lockfile", metavar: "FILE"),
    .flag("--offline"), .flag("--locked"), .flag("--frozen"), .flag("--no-dev"),
    .value("--target-os", metavar: "OS"),
    .value("--target-arch", metavar: "ARCH"),
    .value("--target", metavar: "TRIPLE", repeatable: true),
    .value("--features", metavar: "FEATURES", repeatable: true),
    .flag("--all-features"), .flag("--no-default-features"), .flag("--no-scan"),
    .value("--vendor-dir", metavar: "DIR", repeatable: true),
    .value("--config", metavar: "FILE", repeatable: true),
    .flag("--no-config"),
    .value("--ignore", metavar: "ID", repeatable: true),
    .value("-D", "--deny", metavar: "KINDS", repeatable: true, check: findingKinds),
    .value("-A", "--allow", metavar: "KINDS", repeatable: true, check: findingKinds),
    .value("--fail-under", metavar: "SCORE", check: score),
    .value("--gate-scope", metavar: "SCOPE", choices: ["all", "compiled", "referenced"]),
    .value("--baseline", metavar: "FILE"),
    .flag("--update-baseline"),
    .flag("--all"), .flag("--tree"),
] + dataOptions + outputOptions)

let crateCommand = CommandSpec(options: [
    .flag("--offline"),
    .value("-D", "--deny", metavar: "KINDS", repeatable: true, check: findingKinds),
    .value("--fail-under", metavar: "SCORE", check: score),
] + dataOptions + outputOptions, positional: "NAME[@VERSION]")

let fetchCommand = CommandSpec(options: [
    .value("--manifest-path", metavar: "PATH"),
    .value("--lockfile", metavar: "FILE"),
    .value("--package", metavar: "NAME", repeatable: true),
    .flag("--dump"),
    .value("--advisory-db", metavar: "DIR"),
    .flag("--offline"), .flag("--missing"),
    .value("--format", metavar: "FORMAT", choices: ["human", "json"]),
    .value("--color", metavar: "WHEN", choices: ["auto", "always", "never"]),
    .value("--now", metavar: "RFC3339"),
    .flag("-q", "--quiet"),
])
