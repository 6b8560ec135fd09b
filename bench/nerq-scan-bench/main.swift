// nerq-scan-bench: scan every crate directory under a registry directory
// (default /usr/share/cargo/registry) with NerqScan on all cores, and time
// `grep -rc unsafe` over the same tree in the same run.
//
// usage: nerq-scan-bench [ROOT] [--runs N] [--threads N] [--list]
import Glibc
import NerqScan

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var root = "/usr/share/cargo/registry"
var runs = 3
var threads: Int? = nil
var list = false
var show: [String] = []
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--show": if let d = args.popFirst() { show.append(d) }
    case "--runs": runs = max(1, Int(args.popFirst() ?? "") ?? 3)
    case "--threads": threads = Int(args.popFirst() ?? "")
    case "--list": list = true
    default: root = a
    }
}

/// Directories directly under root that contain a Cargo.toml, sorted.
func crateDirs(_ root: String) -> [String] {
    guard let d = opendir(root) else { return [] }
    defer { closedir(d) }
    var out: [String] = []
    while let e = readdir(d) {
        let name = withUnsafePointer(to: &e.pointee.d_name) { p in
            p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name.hasPrefix(".") { continue }
        let dir = root + "/" + name
        var st = stat()
        if stat(dir + "/Cargo.toml", &st) == 0 { out.append(dir) }
    }
    return out.sorted()
}

/// Total size of regular files under a path (what grep -r reads).
func treeBytes(_ path: String) -> (bytes: Int, files: Int) {
    var total = 0
    var files = 0
    var stack = [path]
    while let p = stack.popLast() {
        guard let d = opendir(p) else { continue }
        while let e = readdir(d) {
            let name = withUnsafePointer(to: &e.pointee.d_name) { ptr in
                ptr.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let c = p + "/" + name
            var st = stat()
            if lstat(c, &st) != 0 { continue }
            let kind = UInt32(st.st_mode) & 0o170000
            if kind == 0o040000 { stack.append(c) } else if kind == 0o100000 {
                total += Int(st.st_size)
                files += 1
            }
        }
        closedir(d)
    }
    return (total, files)
}

/// Run a command with stdout/stderr to /dev/null; returns wall seconds.
func timeCommand(_ argv: [String]) -> Double {
    var fa = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&fa)
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0)
    var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
    cargs.append(nil)
    var pid = pid_t()
    let t0 = now()
    let rc = posix_spawnp(&pid, argv[0], &fa, nil, cargs, environ)
    var status: Int32 = 0
    if rc == 0 { waitpid(pid, &status, 0) }
    let t1 = now()
    for p in cargs { free(p) }
    posix_spawn_file_actions_destroy(&fa)
    if rc != 0 { print("failed to spawn \(argv[0])") }
    return t1 - t0
}

func fmt(_ x: Double, _ digits: Int = 3) -> String {
    var m = 1.0
    for _ in 0..<digits { m *= 10 }
    let v = (x * m).rounded() / m
    return String(v)
}

if !show.isEmpty {
    // debugging aid: print one crate's scan in a readable form and exit
    for d in show {
        let r = CrateScanner.scan(directory: d)
        print(r)
        for (k, items) in r.evidence.entries {
            print("== \(k) (\(r.evidence_counts[k] ?? 0))")
            for e in items { print("   \(e.file):\(e.line)  [\(e.matched)]  \(e.snippet)") }
        }
    }
    exit(0)
}

let dirs = crateDirs(root)
let tree = treeBytes(root)
print("root: \(root)")
print("crate directories: \(dirs.count); tree: \(tree.files) files, \(fmt(Double(tree.bytes) / 1e6, 1)) MB")

let grepArgs = ["grep", "-rc", "unsafe", root]
// warm the page cache for both (untimed)
_ = timeCommand(grepArgs)
_ = CrateScanner.scan(directories: dirs, threads: threads)

var nerqTimes: [Double] = []
var grepTimes: [Double] = []
var results: [CrateScan] = []
for _ in 0..<runs {
    let t0 = now()
    results = CrateScanner.scan(directories: dirs, threads: threads)
    nerqTimes.append(now() - t0)
    grepTimes.append(timeCommand(grepArgs))
}
let nerqBest = nerqTimes.min() ?? 0
let grepBest = grepTimes.min() ?? 0
let rsBytes = results.reduce(0) { $0 + $1.bytes }
let rsFiles = results.reduce(0) { $0 + $1.files }
let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

print("nerq:  \(rsFiles) .rs files, \(fmt(Double(rsBytes) / 1e6, 1)) MB lexed+analyzed, threads=\(threads ?? cpus)")
print("nerq runs (s): \(nerqTimes.map { fmt($0) })")
print("grep runs (s): \(grepTimes.map { fmt($0) })")
print("nerq best: \(fmt(nerqBest)) s  = \(fmt(Double(rsBytes) / 1e6 / max(nerqBest, 1e-9), 1)) MB/s of .rs (\(fmt(Double(tree.bytes) / 1e6 / max(nerqBest, 1e-9), 1)) MB/s of tree)")
print("grep best: \(fmt(grepBest)) s  = \(fmt(Double(tree.bytes) / 1e6 / max(grepBest, 1e-9), 1)) MB/s of tree")
print("ratio nerq/grep wall time: \(fmt(nerqBest / max(grepBest, 1e-9), 2))x (target <= 3x)")

var totals = (blocks: 0, fns: 0, impls: 0, traits: 0, forbid: 0, errors: 0, lexErr: 0)
for r in results {
    totals.blocks += r.unsafe_blocks
    totals.fns += r.unsafe_fns
    totals.impls += r.unsafe_impls
    totals.traits += r.unsafe_traits
    totals.forbid += r.forbids_unsafe ? 1 : 0
    totals.errors += r.error == nil ? 0 : 1
    totals.lexErr += r.lex_error_count
}
print("totals: unsafe blocks \(totals.blocks), fns \(totals.fns), impls \(totals.impls), traits \(totals.traits); forbid(unsafe_code) crates \(totals.forbid); scan errors \(totals.errors); lex errors \(totals.lexErr)")
if list {
    for r in results {
        let name = r.directory.split(separator: "/").last.map(String.init) ?? r.directory
        print("\(name)\tfiles=\(r.files)\tblocks=\(r.unsafe_blocks)\tfns=\(r.unsafe_fns)\timpls=\(r.unsafe_impls)\ttraits=\(r.unsafe_traits)\tforbid=\(r.forbids_unsafe)\tdeny=\(r.denies_unsafe)\tcaps=\(r.capabilities.joined(separator: ","))\tdoc=\(r.doc_coverage.map { fmt($0, 2) } ?? "-")\tlic=\(r.license_matches.map { String($0) } ?? "-")\tlexerr=\(r.lex_error_count)")
    }
}
