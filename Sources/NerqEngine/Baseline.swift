import NerqCore
import NerqIO
import NerqJSON

/// A baseline: the findings a project had when it was recorded, so that CI fails only on what is
/// new (a permanently red main teaches everyone to ignore it).
///
///     {"kind": "nerq.baseline", "version": 1, "recorded": "2026-12-01T00:00:00Z",
///      "findings": [{"id": "RUSTSEC-2026-0009", "kind": "vulnerability", "package": "time", "version": "0.3.9"}]}
///
/// A finding is known when the baseline has the same advisory in the same package, whatever the
/// version: moving to another affected version of the same crate is not a new problem, a second
/// crate with the advisory is. Written when the file does not exist, or when asked to update it;
/// entries are sorted, so the file changes only when the findings do.
enum Baseline {
    struct Entry: Hashable, Comparable {
        var id: String
        var kind: String
        var package: String
        var version: String

        var key: Key { Key(id: id, package: package) }
        static func < (a: Entry, b: Entry) -> Bool { (a.id, a.package, a.version, a.kind) < (b.id, b.package, b.version, b.kind) }

        var json: JSONValue {
            .object(JSONObject([("id", .string(id)), ("kind", .string(kind)), ("package", .string(package)), ("version", .string(version))]))
        }
    }

    struct Key: Hashable {
        var id: String
        var package: String
    }

    /// The recorded entries, or nil when the file does not exist.
    static func read(_ path: String) throws(NerqError) -> (entries: [Entry], recorded: String?)? {
        guard Files.exists(path) else { return nil }
        let doc: JSONValue
        do {
            doc = try JSONParser.parse(try Files.read(path, limit: 64 << 20))
        } catch {
            throw NerqError(error.code, "baseline \(path): \(error.message)", path: path)
        }
        do throws(NerqError) {
            let o = try JSONReader(doc).object()
            guard try o.optional("kind")?.string() == "nerq.baseline" else {
                throw NerqError(.invalidValue, "not a nerq baseline (\"kind\" must be \"nerq.baseline\"); write one with --baseline on a run", path: "$.kind")
            }
            try o.checkHeader(kind: "nerq.baseline", version: 1)
            var entries: [Entry] = []
            for item in try (o.optional("findings") ?? JSONReader(.array([]))).array() {
                let e = try item.object()
                func text(_ key: String) throws(NerqError) -> String {
                    guard let v = e.optional(key) else { throw NerqError(.missingField, "missing \"\(key)\"", path: e.childPath(key)) }
                    return try v.string()
                }
                entries.append(Entry(id: try text("id"), kind: try text("kind"), package: try text("package"), version: try text("version")))
            }
            return (entries, try o.optional("recorded")?.string())
        } catch {
            throw NerqError(error.code, "baseline \(path): \(error.message)\(error.path.map { " (at \($0))" } ?? "")", path: path)
        }
    }

    /// The file's text: JSON with one finding per line, so that a baseline kept in version
    /// control shows in a diff exactly which findings came and went.
    static func text(_ entries: [Entry], now: Timestamp) -> [UInt8] {
        var head = JSONObject(capacity: 3)
        head.append("kind", "nerq.baseline")
        head.append("version", 1)
        head.append("recorded", .string(now.description))
        var out = Array(JSONText.string(.object(head)).utf8.dropLast())  // without the closing brace
        out += Array(",\"findings\":[".utf8)
        for (i, e) in Set(entries).sorted().enumerated() {
            out += Array((i == 0 ? "\n" : ",\n").utf8)
            out += JSONText.encode(e.json)
        }
        out += Array("\n]}\n".utf8)
        return out
    }

    static func write(_ path: String, _ entries: [Entry], now: Timestamp) throws(NerqError) {
        do {
            try Files.writeAtomically(path, text(entries, now: now))
        } catch {
            throw NerqError(error.code, "cannot write the baseline \(path): \(error.message)", path: path)
        }
    }
}
