/// The one error type nerq reports. `code` is stable (documented in `include/nerq.h`); `path` is a
/// JSON path (`$.package.name`) or a file location (`Cargo.lock:12:5`) naming what was wrong.
public struct NerqError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Code
    public var message: String
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// Stable error codes. Adding one is allowed; renaming one is an ABI break.
    public enum Code: String, Sendable, CaseIterable {
        case nullArgument = "null_argument"        // a required pointer was NULL
        case invalidJSON = "invalid_json"          // text that is not JSON (or not UTF-8)
        case invalidType = "invalid_type"          // a value of the wrong JSON type
        case invalidValue = "invalid_value"        // right type, value out of range or malformed
        case missingField = "missing_field"        // a required key is absent
        case unknownKey = "unknown_key"            // a key nerq does not know where it must (engine config)
        case unsupportedVersion = "unsupported_version" // a document `kind`/`version` nerq does not read
        case tooDeep = "too_deep"                  // JSON nested deeper than nerq accepts
        case notFound = "not_found"                // a file, directory or package that is not there
        case ioError = "io_error"                  // reading a file failed
        case parseError = "parse_error"            // a file (TOML, lockfile, advisory) could not be parsed
        case networkError = "network_error"        // a download failed (connection, timeout, HTTP status, size cap)
        case outOfMemory = "out_of_memory"         // an allocation failed
        case internalError = "internal_error"      // a bug in nerq; please report it
    }

    /// The same error seen from one level up: `component` (`.key`, `[3]`) is put after the `$`.
    public func under(_ component: String) -> NerqError {
        var e = self
        let rest = path.map { $0.hasPrefix("$") ? String($0.dropFirst()) : "" } ?? ""
        e.path = "$" + component + rest
        return e
    }

    public var description: String {
        if let path { return "\(code.rawValue): \(message) (at \(path))" }
        return "\(code.rawValue): \(message)"
    }

    /// The `{"error": {...}}` document.
    public var document: JSONValue {
        var inner = JSONObject()
        inner.append("code", .string(code.rawValue))
        inner.append("message", .string(message))
        inner.append("path", .optional(path))
        return .object(JSONObject([("error", .object(inner))]))
    }
}
