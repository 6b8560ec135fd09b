#if canImport(Glibc)
import Glibc
#endif
import CJansson
import CNerqSys
import NerqCore
import NerqEngine
import NerqFetch
import NerqIO
import NerqJSON
import NerqRender

// The C API. Every function has the same shape: check pointers, convert the borrowed input, call
// the engine inside one do/catch, and hand back a new reference (or heap string) holding either the
// result or an {"error": ...} document. Nothing here may trap: a trap would kill the host.

/// The library's version and ABI version: those of include/nerq_version.h (through CNerqSys).
let nerqABIVersion: Int32 = cnerqsys_abi_version()
/// The same version as text, for what the library writes (SARIF's tool, the pages' footers).
let nerqVersionText = String(cString: cnerqsys_version())

/// The engine used when a host passes NULL to nerq_score: default policy, no data, and no file
/// access at all (no environment, no source scan): the report is computed from the request alone.
let defaultEngine = Engine(scanSources: false)

@_cdecl("nerq_version")
public func nerq_version() -> UnsafePointer<CChar> {
    cnerqsys_version()
}

@_cdecl("nerq_abi_version")
public func nerq_abi_version() -> Int32 { nerqABIVersion }

// MARK: engine

/// Turns an engine into the opaque handle C sees (+1 retain, balanced by nerq_engine_free).
func handle(_ engine: Engine) -> OpaquePointer {
    OpaquePointer(Unmanaged.passRetained(engine).toOpaque())
}

func engine(from handle: OpaquePointer) -> Engine {
    Unmanaged<Engine>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
}

@_cdecl("nerq_engine_new")
public func nerq_engine_new(_ config: UnsafePointer<json_t>?, _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<json_t>?>?) -> OpaquePointer? {
    errorOut?.pointee = nil
    do throws(NerqError) {
        let value = try config.map { c throws(NerqError) in try JanssonBridge.value(UnsafeMutablePointer(mutating: c)) }
        return handle(try Engine(config: value))
    } catch {
        // An allocation failure here leaves *error NULL; the NULL engine still says "failed".
        errorOut?.pointee = JanssonBridge.json(error.document)
        return nil
    }
}

@_cdecl("nerq_engine_new_str")
public func nerq_engine_new_str(_ config: UnsafePointer<CChar>?, _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> OpaquePointer? {
    errorOut?.pointee = nil
    do throws(NerqError) {
        let value = try config.map { c throws(NerqError) in try JanssonBridge.parse(c) }
        return handle(try Engine(config: value))
    } catch {
        errorOut?.pointee = JSONText.cString(error.document)
        return nil
    }
}

@_cdecl("nerq_engine_free")
public func nerq_engine_free(_ engine: OpaquePointer?) {
    guard let engine else { return }
    Unmanaged<Engine>.fromOpaque(UnsafeRawPointer(engine)).release()
}

// MARK: calls

enum Call {
    case score, assess, preflight

    var name: String {
        switch self {
        case .score: return "nerq_score"
        case .assess: return "nerq_assess"
        case .preflight: return "nerq_preflight"
        }
    }

    func run(_ engine: Engine, _ request: JSONValue) throws(NerqError) -> JSONValue {
        switch self {
        case .score: return try engine.score(request)
        case .assess: return try RenderedAssessment.run(engine, request)
        case .preflight: return try engine.preflight(request)
        }
    }

    /// Only nerq_score may run without an engine (default policy, no data).
    func resolve(_ handle: OpaquePointer?) throws(NerqError) -> Engine {
        if let handle { return engine(from: handle) }
        guard self == .score else { throw NerqError(.nullArgument, "\(name) needs an engine (nerq_engine_new)", path: nil) }
        return defaultEngine
    }

    func respond(_ handle: OpaquePointer?, _ request: UnsafePointer<json_t>?) -> UnsafeMutablePointer<json_t>? {
        do throws(NerqError) {
            let e = try resolve(handle)
            guard let request else { throw NerqError(.nullArgument, "request is NULL", path: nil) }
            let value = try JanssonBridge.value(UnsafeMutablePointer(mutating: request))
            return JanssonBridge.json(try run(e, value))
        } catch {
            return JanssonBridge.json(error.document)
        }
    }

    func respondText(_ handle: OpaquePointer?, _ request: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
        let result: JSONValue
        do throws(NerqError) {
            let e = try resolve(handle)
            guard let request else { throw NerqError(.nullArgument, "request is NULL", path: nil) }
            let value = try JanssonBridge.parse(request)
            // An assessment without `render` is written as it is built (Engine.assessText).
            if self == .assess, value.objectValue?["render"] == nil { return try e.assessText(value) }
            result = try run(e, value)
        } catch {
            result = error.document
        }
        return JSONText.cString(result)
    }
}

@_cdecl("nerq_score")
public func nerq_score(_ engine: OpaquePointer?, _ request: UnsafePointer<json_t>?) -> UnsafeMutablePointer<json_t>? {
    Call.score.respond(engine, request)
}

@_cdecl("nerq_assess")
public func nerq_assess(_ engine: OpaquePointer?, _ request: UnsafePointer<json_t>?) -> UnsafeMutablePointer<json_t>? {
    Call.assess.respond(engine, request)
}

@_cdecl("nerq_preflight")
public func nerq_preflight(_ engine: OpaquePointer?, _ request: UnsafePointer<json_t>?) -> UnsafeMutablePointer<json_t>? {
    Call.preflight.respond(engine, request)
}

@_cdecl("nerq_score_str")
public func nerq_score_str(_ engine: OpaquePointer?, _ request: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    Call.score.respondText(engine, request)
}

@_cdecl("nerq_assess_str")
public func nerq_assess_str(_ engine: OpaquePointer?, _ request: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    Call.assess.respondText(engine, request)
}

@_cdecl("nerq_preflight_str")
public func nerq_preflight_str(_ engine: OpaquePointer?, _ request: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    Call.preflight.respondText(engine, request)
}

// MARK: fetch

/// Runs a fetch request. The process environment is read at each call (no engine captures it):
/// NERQ_CACHE_DIR, NERQ_*_URL, CARGO_HOME, HOME, XDG_CACHE_HOME, CARGO_NET_OFFLINE.
func fetch(_ request: JSONValue) throws(NerqError) -> JSONValue {
    try Fetcher.run(request, environment: Environment.process())
}

@_cdecl("nerq_fetch")
public func nerq_fetch(_ request: UnsafePointer<json_t>?) -> UnsafeMutablePointer<json_t>? {
    do throws(NerqError) {
        guard let request else { throw NerqError(.nullArgument, "request is NULL", path: nil) }
        return JanssonBridge.json(try fetch(try JanssonBridge.value(UnsafeMutablePointer(mutating: request))))
    } catch {
        return JanssonBridge.json(error.document)
    }
}

@_cdecl("nerq_fetch_str")
public func nerq_fetch_str(_ request: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    let result: JSONValue
    do throws(NerqError) {
        guard let request else { throw NerqError(.nullArgument, "request is NULL", path: nil) }
        result = try fetch(try JanssonBridge.parse(request))
    } catch {
        result = error.document
    }
    return JSONText.cString(result)

}

// MARK: rendering

/// nerq_render's two arguments, read and rendered; errors name `$.document...` or `$.options...`.
enum Rendering {
    static func run(_ document: () throws(NerqError) -> JSONValue,
                    _ options: () throws(NerqError) -> JSONValue?) throws(NerqError) -> UnsafeMutablePointer<CChar> {
        let doc: JSONValue
        do throws(NerqError) { doc = try document() } catch { throw error.under(".document") }
        let opts: JSONValue?
        do throws(NerqError) { opts = try options() } catch { throw error.under(".options") }
        let bytes = try Renderer.render(doc, options: opts, version: nerqVersionText)
        guard let text = malloc(bytes.count + 1)?.assumingMemoryBound(to: UInt8.self) else {
            throw NerqError(.outOfMemory, "no memory for \(bytes.count) bytes of rendered text", path: nil)
        }
        bytes.withUnsafeBufferPointer { buf in
            if let base = buf.baseAddress { text.update(from: base, count: buf.count) }
        }
        text[bytes.count] = 0
        return UnsafeMutableRawPointer(text).assumingMemoryBound(to: CChar.self)
    }
}

@_cdecl("nerq_render")
public func nerq_render(_ document: UnsafePointer<json_t>?, _ options: UnsafePointer<json_t>?,
                        _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<json_t>?>?) -> UnsafeMutablePointer<CChar>? {
    errorOut?.pointee = nil
    do throws(NerqError) {
        return try Rendering.run({ () throws(NerqError) -> JSONValue in
            guard let document else { throw NerqError(.nullArgument, "document is NULL", path: nil) }
            return try JanssonBridge.value(UnsafeMutablePointer(mutating: document))
        }, { () throws(NerqError) -> JSONValue? in
            try options.map { o throws(NerqError) in try JanssonBridge.value(UnsafeMutablePointer(mutating: o)) }
        })
    } catch {
        errorOut?.pointee = JanssonBridge.json(error.document)
        return nil
    }
}

@_cdecl("nerq_render_str")
public func nerq_render_str(_ document: UnsafePointer<CChar>?, _ options: UnsafePointer<CChar>?,
                            _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> UnsafeMutablePointer<CChar>? {
    errorOut?.pointee = nil
    do throws(NerqError) {
        return try Rendering.run({ () throws(NerqError) -> JSONValue in
            guard let document else { throw NerqError(.nullArgument, "document is NULL", path: nil) }
            return try JanssonBridge.parse(document)
        }, { () throws(NerqError) -> JSONValue? in
            try options.map { o throws(NerqError) in try JanssonBridge.parse(o) }
        })
    } catch {
        errorOut?.pointee = JSONText.cString(error.document)
        return nil
    }
}

@_cdecl("nerq_free")
public func nerq_free(_ ptr: UnsafeMutableRawPointer?) {
    free(ptr)
}
