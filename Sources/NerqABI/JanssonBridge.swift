#if canImport(Glibc)
import Glibc
#endif
import CJansson
import NerqCore
import NerqJSON

/// Converts between jansson's `json_t` and the core's `JSONValue`. The only place that reads or
/// builds `json_t`; every pointer it gets is checked, every string validated as UTF-8.
enum JanssonBridge {
    /// Deeper input is refused (`too_deep`): real documents nest a dozen levels, and a bound keeps
    /// the converter's recursion far from any thread's stack limit (a host may build 10,000 levels).
    static let maxDepth = 128

    /// Converts a borrowed `json_t`. Paths are built only when something fails: each level adds its
    /// own key or index to the error on the way out, so the happy path allocates no path strings.
    static func value(_ json: UnsafeMutablePointer<json_t>, depth: Int = 0) throws(NerqError) -> JSONValue {
        // `depth` counts from 0 at the document, so the 128th level is depth 127 (as the text parser counts).
        guard depth < maxDepth else {
            throw NerqError(.tooDeep, "JSON nested deeper than \(maxDepth) levels", path: "$")
        }
        switch json.pointee.type {
        case JSON_NULL: return .null
        case JSON_TRUE: return .bool(true)
        case JSON_FALSE: return .bool(false)
        case JSON_INTEGER: return .int(Int64(json_integer_value(json)))
        case JSON_REAL:
            let d = json_real_value(json)
            guard d.isFinite else { throw NerqError(.invalidValue, "a real number must be finite", path: "$") }
            return .double(d)
        case JSON_STRING:
            return .string(try string(json_string_value(json), length: json_string_length(json)))
        case JSON_ARRAY:
            let n = json_array_size(json)
            var items: [JSONValue] = []
            items.reserveCapacity(n)
            var i = 0
            while i < n {
                do throws(NerqError) {
                    guard let item = json_array_get(json, i) else {
                        throw NerqError(.internalError, "array element vanished during conversion", path: "$")
                    }
                    items.append(try value(item, depth: depth + 1))
                } catch {
                    throw error.under("[\(i)]")
                }
                i += 1
            }
            return .array(items)
        case JSON_OBJECT:
            var object = JSONObject()
            var iter = json_object_iter(json)
            while let it = iter {
                let key = try string(json_object_iter_key(it), length: json_object_iter_key_len(it))
                do throws(NerqError) {
                    guard let child = json_object_iter_value(it) else {
                        throw NerqError(.internalError, "object value vanished during conversion", path: "$")
                    }
                    // jansson keeps keys unique, so append (no duplicate scan) is right.
                    object.append(key, try value(child, depth: depth + 1))
                } catch {
                    throw error.under(ObjectReader.childPath("", key))
                }
                iter = json_object_iter_next(json, it)
            }
            return .object(object)
        default:
            throw NerqError(.invalidType, "unknown json_t type \(json.pointee.type.rawValue)", path: "$")
        }
    }

    static func string(_ chars: UnsafePointer<CChar>?, length: Int) throws(NerqError) -> String {
        guard let chars else { return "" }
        let bytes = UnsafeRawBufferPointer(start: chars, count: length)
        // ASCII needs no validation (and String(validating:) is slow: generic, metadata per call).
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw NerqError(.invalidValue, "string is not valid UTF-8", path: "$")
        }
        return s
    }

    private static let empty: StaticString = ""
    static var emptyCString: UnsafePointer<CChar> { UnsafeRawPointer(empty.utf8Start).assumingMemoryBound(to: CChar.self) }

    /// A new reference, or nil when jansson could not allocate.
    static func json(_ value: JSONValue) -> UnsafeMutablePointer<json_t>? {
        switch value {
        case .null: return json_null()
        case .bool(let b): return b ? json_true() : json_false()
        case .int(let i): return json_integer(json_int_t(i))
        case .double(let d): return d.isFinite ? json_real(d == 0 ? 0 : d) : json_null()
        case .string(let s):
            var s = s
            return s.withUTF8 { buf in
                buf.withMemoryRebound(to: CChar.self) { json_stringn_nocheck($0.baseAddress ?? emptyCString, buf.count) }
            }
        case .array(let items):
            guard let array = json_array() else { return nil }
            for item in items {
                guard let child = json(item), json_array_append_new(array, child) == 0 else {
                    json_decref(array)
                    return nil
                }
            }
            return array
        case .object(let o):
            guard let object = json_object() else { return nil }
            for (key, item) in o.entries {
                guard let child = json(item) else {
                    json_decref(object)
                    return nil
                }
                var key = key
                let rc = key.withUTF8 { buf in
                    buf.withMemoryRebound(to: CChar.self) { json_object_setn_new_nocheck(object, $0.baseAddress ?? emptyCString, buf.count, child) }
                }
                guard rc == 0 else {
                    json_decref(object)
                    return nil
                }
            }
            return object
        }
    }

    /// Parses NUL-terminated JSON text (the text API's input) straight into a `JSONValue`.
    static func parse(_ text: UnsafePointer<CChar>) throws(NerqError) -> JSONValue {
        try JSONParser.parse(UnsafeRawBufferPointer(start: text, count: strlen(text)))
    }
}
