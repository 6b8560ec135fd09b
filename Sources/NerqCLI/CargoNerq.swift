#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CNerqSys
import NerqABI
import NerqEngine
import NerqFetch
import NerqIO
import NerqJSON
import NerqRender

/// cargo nerq: trust scores, grades and verdicts for every dependency of a Rust project. Cargo runs
/// it as `cargo-nerq nerq ARGS`. The engine is linked in: no scoring, no configuration semantics
/// and no rendering happen here (the library reads audit.toml/deny.toml/nerq.toml, applies
/// ignores, evaluates the gates and renders every format), only finding the project and its
/// configuration files, the flags, writing the output and the exit code.
let nerqVersion = String(cString: cnerqsys_version())

public enum CargoNerq {
    public static func main(_ arguments: [String]) -> Int32 {
        // Ctrl-C ends the run at once, whatever call is running (nothing is left half-written but
        // the report, which is written last).
        signal(SIGINT) { _ in _exit(Exit.interrupted) }
        // A reader that leaves is an error write() reports (EPIPE), not a signal that kills us.
        signal(SIGPIPE, SIG_IGN)
        var argv = Array(arguments.dropFirst())
        if argv.first == "nerq" { argv.removeFirst() }
        do throws(Failure) {
            switch argv.first {
            case "crate": return try runCrate(try parse(crateCommand, Array(argv.dropFirst()), help: crateHelp))
            case "fetch": return try runFetch(try parse(fetchCommand, Array(argv.dropFirst()), help: fetchHelp))
            default:
                let args = try parse(projectCommand, argv, help: projectHelp)
                if args.flag("version") {
                    let v = nerqVersion
                    return finish("cargo-nerq \(v) (libnerq \(v), ABI \(cnerqsys_abi_version()))\n", to: nil, gate: Exit.ok,
                                  message: nil, progress: Progress(quiet: true), format: "text")
                }
                return try runProject(args)
            }
        } catch {
            say("error: \(error.message)")
            return Exit.error
        }
    }

    /// The parsed command line. --help is printed here, and ends the run (exit 0; 2 when the text
    /// could not be written).
    static func parse(_ command: CommandSpec, _ argv: [String], help: String) throws(Failure) -> ParsedArguments {
        switch command.parse(argv) {
        case .failure(let e): throw Failure("\(e.message) (see `cargo nerq --help`)")
        case .success(let args):
            guard args.help else { return args }
            do throws(OutputError) {
                try writeOutput(help, to: nil)
            } catch {
                throw Failure(error.message)
            }
            exit(Exit.ok)
        }
    }
}

// MARK: - The project

func runProject(_ args: ParsedArguments) throws(Failure) -> Int32 {
    let progress = Progress(quiet: args.flag("quiet"))
    try fetchMissing(FetchAsk(advisoryDB: args.value("advisory_db"), lockfile: projectLockfile(args), quiet: args.flag("quiet")),
                     noFetch: args.flag("no_fetch"), offline: offlineReason(offline: args.flag("offline"), frozen: args.flag("frozen")),
                     progress: progress)
    let engine = try makeEngine(args)
    var (request, root) = try assessRequest(args, progress: progress)
    try checkDatabase(try loadedDatabase(engine))
    progress("Assessing", request["lockfile"]?.stringValue ?? request["metadata_path"]?.stringValue ?? "cargo metadata")
    // Assessed and rendered in one call: the answer is the text and the gate, not the document
    // (megabytes for a large project). The library picks the format and the tree when no flag does
    // ([output] of audit.toml) and builds full reports only for what the format shows.
    // SARIF locations are relative to the workspace root, else to where cargo nerq runs.
    var render = try renderOptions(args, format: args.value("format"), base: root ?? currentDirectory(), tree: args.flag("tree"))
    if let format = args.value("format") { render.append("format", .string(format)) }
    request.append("render", .object(render))
    let doc: JSONObject
    do throws(NerqError) {
        doc = try RenderedAssessment.run(engine, .object(request)).objectValue ?? JSONObject()
    } catch {
        throw Failure(error.description)
    }
    let config = doc["config"]?.objectValue
    let output = config?["output"]?.objectValue
    let format = doc["format"]?.stringValue ?? "human"
    let quiet = args.flag("quiet") || output?["quiet"] == .bool(true)
    if !quiet && format == "human", case .array(let files)? = config?["files"], !files.isEmpty {
        say("      Config " + files.compactMap(\.objectValue).map {
            "\($0["path"]?.stringValue ?? "") (\($0["format"]?.stringValue ?? ""))"
        }.joined(separator: ", "))
    }
    let gate = doc["gate"]?.objectValue
    var code = Exit.ok
    if case .int(let c)? = gate?["exit_code"], let c32 = Int32(exactly: c) { code = c32 }
    return finish(doc["text"]?.stringValue ?? "", to: args.value("output"), gate: code, message: gate?["message"]?.stringValue,
                  progress: progress, format: format)
}

/// The Cargo.lock whose packages are fetched: --lockfile, else beside --manifest-path, else the
/// nearest one from here up.
func projectLockfile(_ args: ParsedArguments) -> String? {
    if let lockfile = args.value("lockfile") { return lockfile }
    let start = args.value("manifest_path").map { Files.directory(of: realPath($0)) } ?? realPath(currentDirectory())
    return firstUp(from: start, ["Cargo.lock"])
}

/// The nerq_assess request, and the workspace root when known.
func assessRequest(_ args: ParsedArguments, progress: Progress) throws(Failure) -> (JSONObject, String?) {
    if args.value("lockfile") != nil && args.value("manifest_path") != nil {
        throw Failure("--lockfile and --manifest-path exclude each other (--lockfile does not run cargo)")
    }
    if args.flag("update_baseline") && args.value("baseline") == nil { throw Failure("--update-baseline needs --baseline FILE") }
    var request = JSONObject()
    var root: String?
    if args.value("lockfile") != nil || args.value("metadata_path") != nil {
        if let path = args.value("metadata_path") {
            request.append("metadata_path", .string(path))
            root = workspaceRoot(ofMetadataFile: path)
        }
        if let lockfile = args.value("lockfile") {
            request.append("lockfile", .string(lockfile))
        } else if let root, isFile(Files.join(root, "Cargo.lock")) {
            request.append("lockfile", .string(Files.join(root, "Cargo.lock")))
        }
    } else {
        let metadata = try cargoMetadata(args, progress: progress)
        request.append("metadata", metadata)
        root = metadata.objectValue?["workspace_root"]?.stringValue
        if let root, isFile(Files.join(root, "Cargo.lock")) { request.append("lockfile", .string(Files.join(root, "Cargo.lock"))) }
    }
    var options = JSONObject()
    if args.flag("no_dev") { options.append("include_dev", false) }
    if let os = args.value("target_os") { options.append("target_os", .string(os)) }
    if let arch = args.value("target_arch") { options.append("target_arch", .string(arch)) }
    let ignores = args.all("ignore")
    if !ignores.isEmpty {
        options.append("ignores", .array(ignores.map { .object(JSONObject([("id", .string($0)), ("source", "--ignore")])) }))
    }
    if args.flag("no_scan") { options.append("scan_sources", false) }
    if !args.all("target").isEmpty { options.append("targets", .strings(unique(args.all("target")))) }
    if !args.all("features").isEmpty { options.append("features", .strings(args.all("features"))) }
    if args.flag("all_features") { options.append("all_features", true) }
    if args.flag("no_default_features") { options.append("no_default_features", true) }
    if !args.all("vendor_dir").isEmpty { options.append("vendor_dirs", .strings(args.all("vendor_dir").map(absolutePath))) }
    let files = try configFiles(args, root: root)
    if !files.isEmpty {
        options.append("config_files", .array(files.map { .object(JSONObject([("path", .string($0.path)), ("format", .string($0.format))])) }))
    }
    let gates = gateOptions(args)
    if !gates.isEmpty { options.append("gates", .object(gates)) }
    if let baseline = args.value("baseline") {
        options.append("baseline", .object(JSONObject([("path", .string(absolutePath(baseline))),
                                                       ("update", .bool(args.flag("update_baseline")))])))
    }
    // The dependents graph is cheap; drawing the trees is the render option (--tree, or show_tree).
    options.append("tree", true)
    if progress.enabled { options.append("progress", true) }
    request.append("options", .object(options))
    return (request, root)
}

func gateOptions(_ args: ParsedArguments) -> JSONObject {
    var gates = JSONObject()
    if !args.all("deny").isEmpty { gates.append("deny", .strings(unique(args.all("deny")))) }
    if !args.all("allow").isEmpty { gates.append("allow", .strings(unique(args.all("allow")))) }
    if let score = args.value("fail_under").flatMap(Double.init) { gates.append("fail_under", .double(score)) }
    if let scope = args.value("gate_scope") { gates.append("scope", .string(scope)) }
    return gates
}

/// Only to find the Cargo.lock beside saved metadata; the library reads (and checks) the file.
func workspaceRoot(ofMetadataFile path: String) -> String? {
    guard case .success(let bytes) = Files.readBytes(path, limit: 1 << 30), let doc = try? JSONParser.parse(bytes) else { return nil }
    return doc.objectValue?["workspace_root"]?.stringValue
}

/// The configuration files to read, as (path, format), in the order they apply: cargo-audit's
/// audit.toml, cargo-deny's deny.toml, nerq.toml, the workspace Cargo.toml, then --config.
func configFiles(_ args: ParsedArguments, root: String?) throws(Failure) -> [(path: String, format: String)] {
    var found: [(path: String, format: String)] = []
    if !args.flag("no_config") {
        // Where cargo-deny starts looking: the manifest's directory (--manifest-path, the
        // lockfile's folder for --lockfile), else the current directory.
        let start = (args.value("manifest_path") ?? args.value("lockfile")).map { Files.directory(of: realPath($0)) } ?? currentDirectory()
        if let audit = auditToml() { found.append((audit, "cargo-audit")) }
        if let deny = firstUp(from: start, ["deny.toml", ".deny.toml", ".cargo/deny.toml"]) { found.append((deny, "cargo-deny")) }
        if let own = firstUp(from: start, ["nerq.toml"]) { found.append((own, "nerq")) }
        let manifest = Files.join(root ?? start, "Cargo.toml")
        if isFile(manifest) && hasNerqMetadata(manifest) { found.append((manifest, "cargo-manifest")) }
    }
    for path in args.all("config") {
        guard isFile(path) else { throw Failure("--config \(path): no such file") }
        let name = Files.lastComponent(normalise(absolutePath(path)))
        let format = name == "audit.toml" ? "cargo-audit" : name == "deny.toml" || name == ".deny.toml" ? "cargo-deny" : "nerq"
        found.append((absolutePath(path), format))
    }
    return found.map { (shown($0.path), $0.format) }
}

// MARK: - cargo metadata

func cargoMetadata(_ args: ParsedArguments, progress: Progress) throws(Failure) -> JSONValue {
    let cargo = environment("CARGO").flatMap { $0.isEmpty ? nil : $0 } ?? "cargo"
    var command = [cargo, "metadata", "--format-version", "1"]
    if let manifest = args.value("manifest_path") { command += ["--manifest-path", manifest] }
    for flag in ["offline", "locked", "frozen"] where args.flag(flag) { command.append("--" + flag) }
    progress("Running", (["cargo"] + command.dropFirst()).joined(separator: " "))
    let result: ProgramResult
    do throws(NerqError) {
        // No timeout that a slow first resolve could hit; the output of a large workspace is tens of MB.
        result = try Program.run(command, environment: Program.environment(removing: [], adding: []), timeoutSeconds: 86_400,
                                 maxOutput: 1 << 30)
    } catch {
        throw Failure(error.code == .notFound ? "cannot run \(cargo): \(errorText(ENOENT))" : error.message)
    }
    guard result.status == 0 else { throw Failure("`cargo metadata` failed: \(oneLine(result.stderr))") }
    do throws(NerqError) {
        return try JSONParser.parse(Array(result.stdout.utf8))
    } catch {
        throw Failure("`cargo metadata` printed something that is not JSON: \(error.message)")
    }
}

/// Cargo's multi-line error as one line: the error, its location, then each cause.
func oneLine(_ stderr: String) -> String {
    var parts: [String] = []
    for raw in stderr.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = raw.trimmingSpaces().trimmingCarriageReturn()
        if line.isEmpty || line == "Caused by:" || line.hasPrefix("warning:") { continue }
        if line.hasPrefix("-->") {  // the location of the error above
            if let last = parts.indices.last { parts[last] += " (\(line.dropFirst(3).trimmingSpaces()))" }
            continue
        }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        let quotedSource = !digits.isEmpty && line.dropFirst(digits.count).trimmingSpaces().hasPrefix("|")
        if line.hasPrefix("|") || quotedSource || line.allSatisfy({ "^~-. ".contains($0) }) { continue }
        if line.hasPrefix("error:") { line = String(line.dropFirst(6)).trimmingSpaces() }
        if !parts.contains(line) { parts.append(line) }
    }
    return parts.isEmpty ? "no error message" : parts.joined(separator: "; ")
}

extension String {
    func trimmingCarriageReturn() -> String { hasSuffix("\r") ? String(dropLast()).trimmingSpaces() : self }
}

// MARK: - The engine

func makeEngine(_ args: ParsedArguments) throws(Failure) -> Engine {
    var config = JSONObject()
    if let db = args.value("advisory_db") { config.append("advisory_db", .string(db)) }
    if let now = args.value("now") { config.append("now", .string(now)) }
    if let registry = args.value("registry") { config.append("registry", .string(absolutePath(registry))) }
    do throws(NerqError) {
        return try Engine(config: .object(config))
    } catch {
        if let db = args.value("advisory_db"), error.path == "$.advisory_db" || error.message.contains("advisory_db") {
            throw Failure("advisory database \(db): \(error.message)")
        }
        throw Failure("libnerq: \(error.description)")
    }
}

let noDatabase = "no advisory database found: run `cargo nerq fetch` (or without --offline/--no-fetch), pass --advisory-db DIR, "
    + "set NERQ_ADVISORY_DB, or put a RustSec advisory-db in ~/.cargo/advisory-db"

func checkDatabase(_ db: JSONObject?) throws(Failure) {
    guard let db else { throw Failure(noDatabase) }
    if db["advisories"] == nil || db["advisories"] == .int(0) || db["advisories"] == .null {
        throw Failure("advisory database \(db["path"]?.stringValue ?? "None") has no advisories (is it a RustSec advisory-db?)")
    }
}

/// The advisory database the engine loaded: the `database` of an empty project's assessment
/// (cheap: the engine reads its database once and keeps it for the real call). Its data's warnings
/// (a stale database) go to stderr here, whatever the format.
func loadedDatabase(_ engine: Engine) throws(Failure) -> JSONObject? {
    let doc: JSONValue
    do throws(NerqError) {
        doc = try engine.assess(.object(JSONObject([("lockfile_text", "version = 4\n")])))
    } catch {
        throw Failure(error.description)
    }
    if case .array(let warnings)? = doc.objectValue?["warnings"] {
        for case .string(let w) in warnings { say("warning: \(w)") }
    }
    return doc.objectValue?["database"]?.objectValue
}

/// The library's render options for these flags; `format` nil: the library picks (the
/// configuration's [output] format, else human).
func renderOptions(_ args: ParsedArguments, format: String?, base: String? = nil, tree: Bool = false) throws(Failure) -> JSONObject {
    let toFile = args.value("output") != nil
    var options = JSONObject([("color", .bool(try useColour(args.value("color")) && !toFile))])
    if format == nil || format == "human", let width = terminalWidth(toFile: toFile) { options.append("width", .int(Int64(width))) }
    if args.flag("all") { options.append("all", true) }
    if let evidence = args.toggle("evidence") { options.append("evidence", .bool(evidence)) }
    if tree { options.append("tree", true) }
    if let base, format == nil || format == "sarif" { options.append("base", .string(base)) }
    return options
}

/// Writes the report, then says on one line why a gate tripped. A report that cannot be written
/// is an operational error (exit 2), except when the reader left and a gate tripped: CI still
/// learns that the gate failed (`cargo nerq | head` with a vulnerability exits 1).
func finish(_ text: String, to path: String?, gate: Int32, message: String?, progress: Progress, format: String) -> Int32 {
    do throws(OutputError) {
        try writeOutput(text, to: path)
        if let path { progress("Wrote", "\(path) (\(format))") }
    } catch {
        if gate != Exit.ok && error.closed {
            say("error: \(message ?? "None") (the output was closed early)")
            return gate
        }
        say("error: \(error.message)")
        return Exit.error
    }
    if gate != Exit.ok { say("error: \(message ?? "None")") }
    return gate
}
