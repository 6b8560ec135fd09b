// Running a program (git) the safe way: posix_spawnp with an argument list (no shell, so no
// quoting of URLs or paths), stdin from /dev/null, stdout and stderr captured (capped), its own
// process group so a timeout can end it and whatever it started (git runs helpers such as
// git-remote-https), and an environment we choose.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CNerqSys
import NerqIO
import NerqJSON

public struct ProgramResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool
}

public enum Program {
    /// Most output kept of each stream (git's progress and errors are short; what it prints past
    /// this is dropped, not buffered).
    public static let maxOutput = 256 << 10

    /// Runs `arguments[0]` (looked up in PATH) with `arguments` and `environment` ("NAME=value"
    /// strings); kills its process group after `timeoutSeconds`; keeps at most `maxOutput` bytes
    /// of each stream.
    public static func run(_ arguments: [String], environment: [String], timeoutSeconds: Int,
                           maxOutput: Int = Program.maxOutput) throws(NerqError) -> ProgramResult {
        guard let program = arguments.first else { throw NerqError(.internalError, "no program to run") }
        for a in arguments + environment where a.utf8.contains(0) {
            throw NerqError(.invalidValue, "an argument of \(program) holds a NUL byte", path: nil)
        }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        // Close-on-exec from the start: a program another thread spawns meanwhile must not inherit
        // them (it would hold the pipes open and hide the end of our program's output).
        guard cnerqsys_pipe_cloexec(&outPipe) == 0 else { throw spawnError(program) }
        guard cnerqsys_pipe_cloexec(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw spawnError(program)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (killed as a whole on timeout), default signal handling and an
        // empty signal mask whatever the host did to its own.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) }
        let envp = environment.map { strdup($0) }
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid = pid_t()
        let rc = (argv + [nil]).withUnsafeBufferPointer { a -> Int32 in
            (envp + [nil]).withUnsafeBufferPointer { e -> Int32 in
                guard let av = a.baseAddress, let ev = e.baseAddress else { return EINVAL }
                return posix_spawnp(&pid, program, &actions, &attributes, av, ev)
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0]); close(errPipe[0])
            if rc == ENOENT {
                throw NerqError(.notFound, "\(program) is not installed (not found in PATH)", path: nil)
            }
            throw NerqError(.ioError, "cannot run \(program): \(Files.errnoText(rc))", path: nil)
        }
        let deadline = Files.monotonicMilliseconds() + Int64(timeoutSeconds) * 1000
        var out: [UInt8] = []
        var err: [UInt8] = []
        var open = [outPipe[0], errPipe[0]]
        var timedOut = false
        while open.contains(where: { $0 >= 0 }) {
            let left = deadline - Files.monotonicMilliseconds()
            if left <= 0 {
                timedOut = true
                kill(-pid, SIGKILL)
                break
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let n = poll(&fds, nfds_t(fds.count), Int32(min(left, 1000)))
            if n < 0 && errno != EINTR { break }
            for k in fds.indices where fds[k].fd >= 0 && fds[k].revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 16384)
                let got = buffer.withUnsafeMutableBytes { raw in read(fds[k].fd, raw.baseAddress, raw.count) }
                if got > 0 {
                    if k == 0 {
                        if out.count < maxOutput { out += buffer[0..<min(got, maxOutput - out.count)] }
                    } else if err.count < maxOutput {
                        err += buffer[0..<min(got, maxOutput - err.count)]
                    }
                } else if got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN) {
                    close(fds[k].fd)
                    open[k] = -1
                }
            }
        }
        for fd in open where fd >= 0 { close(fd) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // The group may still hold helpers the program left behind; they have no reader now.
        if timedOut { kill(-pid, SIGKILL) }
        let exit: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return ProgramResult(status: exit, stdout: String(decoding: out, as: UTF8.self),
                             stderr: String(decoding: err, as: UTF8.self), timedOut: timedOut)
    }

    static func spawnError(_ program: String) -> NerqError {
        NerqError(.ioError, "cannot run \(program): \(Files.errnoText())", path: nil)
    }

    /// The process environment without the variables named in `removing`, plus `adding`.
    public static func environment(removing: [String], adding: [(String, String)]) -> [String] {
        var out: [String] = []
        var p = environ
        while let entry = p.pointee {
            if let s = String(validatingCString: entry) {
                let name = s.split(separator: "=", maxSplits: 1).first.map(String.init) ?? s
                if !removing.contains(name) && !adding.contains(where: { $0.0 == name }) { out.append(s) }
            }
            p += 1
        }
        for (k, v) in adding { out.append("\(k)=\(v)") }
        return out
    }
}
