#if NERQ_FUZZ
#if canImport(Glibc)
import Glibc
#endif

/// Which target this process runs: $NERQ_FUZZ_TARGET, or the program's name `fuzz-NAME`.
nonisolated(unsafe) var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    var name = getenv("NERQ_FUZZ_TARGET").map { String(cString: $0) }
    if name == nil, let arg0 = argv?.pointee?.pointee {
        let program = String(cString: arg0)
        let base = program.split(separator: "/").last.map(String.init) ?? program
        if base.hasPrefix("fuzz-") { name = String(base.dropFirst(5)) }
    }
    guard let name, let target = targets.first(where: { $0.name == name }) else {
        say("nerq-fuzz: set NERQ_FUZZ_TARGET (or run as fuzz-NAME) to one of: \(targets.map(\.name).joined(separator: " "))\n")
        exit(2)
    }
    selected = target
    setUpEngines()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target = selected else { return 0 }
    target.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
#else
#if canImport(Glibc)
import Glibc
#endif

@main
enum NerqFuzzStub {
    static func main() {
        say("nerq-fuzz: built without -DNERQ_FUZZ (a stub); build the fuzzer with `make fuzz-build`\n")
        exit(2)
    }
}
#endif

/// Writes a message to standard error (fd 2; Swift 6 refuses the global `stderr`).
func say(_ message: String) {
    var m = message
    m.withUTF8 { buf in
        var off = 0
        while off < buf.count {
            guard let base = buf.baseAddress else { return }
            let n = write(2, base + off, buf.count - off)
            if n <= 0 { return }
            off += n
        }
    }
}
