import NerqConfig
import NerqCore
import NerqJSON
import NerqReach

/// What an assessment adds to a package's document and to each of its advisory findings: whether
/// the package is compiled for the requested targets (`compiled`), whether the advisory's affected
/// functions are referenced on the paths to it (`referenced`), and whether the finding counts for
/// the deny gate under the gate's `scope` (`gates`, with `gates_note` when it does not).
struct FindingReach {
    var compiled: CompiledAnalysis?
    var node: Int
    var scope: GateScope
    var references: ReferenceResults?

    init(compiled: CompiledAnalysis?, node: Int, scope: GateScope, references: ReferenceResults? = nil) {
        self.compiled = compiled
        self.node = node
        self.scope = scope
        self.references = references
    }

    var active: Bool { compiled != nil || references != nil }

    /// The package's compiled status (the edges not followed only for packages with findings).
    func annotatePackage(_ o: inout JSONObject, detail: Bool) {
        guard let compiled else { return }
        o.append("compiled", compiled.package(node, detail: detail).1)
    }

    /// What the assessment adds to one finding: `compiled`, `referenced`, `gates` and `gates_note`
    /// (in that order), and whether the finding counts for the deny gates.
    struct Annotation {
        var entries: JSONObject
        var gates: Bool
        /// Why it does not count for the deny gate (nil: it counts).
        var note: String?
    }

    /// The annotation of the finding `id` (with the finding's details, for its affected os/arch);
    /// nil when neither analysis ran.
    func annotation(id: String?, details: JSONObject) -> Annotation? {
        guard active else { return nil }
        var o = JSONObject(capacity: 4)
        var compiledStatus: CompiledAnalysis.Status?
        if let compiled {
            let (status, json) = compiled.package(node, detail: true, os: Self.strings(details["affected_os"]),
                                                  arch: Self.strings(details["affected_arch"]))
            compiledStatus = status
            o.append("compiled", json)
        }
        var referenced: ReferenceResult.Status?
        if let references, let id, let r = references.result(node: node, advisory: id) {
            referenced = r.status
            o.append("referenced", r.json)
        }
        let (gates, note) = Self.gates(compiled: compiledStatus, referenced: referenced, scope: scope)
        o.append("gates", .bool(gates))
        if let note { o.append("gates_note", .string(note)) }
        return Annotation(entries: o, gates: gates, note: note)
    }

    /// Sets a finding's annotation on its JSON object (a package document's findings).
    func annotate(_ f: inout JSONObject, finding details: JSONObject) {
        var id: String?
        if case .string(let s)? = f["id"] { id = s }
        guard let a = annotation(id: id, details: details) else { return }
        for (k, v) in a.entries.entries { f.set(k, v) }
    }

    /// Whether a finding counts for the deny gates: every finding under `all`; under `compiled`
    /// (the default) all but those compiled for none of the requested targets; under `referenced`
    /// also not those whose affected functions nothing on the paths references. `unknown` always
    /// counts.
    static func gates(compiled: CompiledAnalysis.Status?, referenced: ReferenceResult.Status?,
                      scope: GateScope) -> (Bool, String?) {
        switch scope {
        case .all:
            return (true, nil)
        case .compiled, .referenced:
            if compiled == .no { return (false, "not compiled for the requested targets (gate scope \"\(scope.rawValue)\")") }
            if scope == .referenced && referenced == .notReferenced {
                return (false, "its affected functions are not referenced (gate scope \"referenced\")")
            }
            return (true, nil)
        }
    }

    static func strings(_ v: JSONValue?) -> [String] {
        guard case .array(let items)? = v else { return [] }
        return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }
}
