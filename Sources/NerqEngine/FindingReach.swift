import NerqCore
import NerqJSON
import NerqReach

/// What an assessment adds to a package's document and to each of its advisory findings: whether
/// the package is compiled for the requested targets (`compiled`), whether the advisory's affected
/// functions are referenced on the paths to it (`referenced`), and whether the finding counts for
/// the deny gates under the request's `deny_scope` (`gates`, with `gates_note` when it does not).
struct FindingReach {
    var compiled: CompiledAnalysis?
    var node: Int
    var scope: ReachOptions.DenyScope
    var references: ReferenceResults?

    init(compiled: CompiledAnalysis?, node: Int, scope: ReachOptions.DenyScope, references: ReferenceResults? = nil) {
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

    /// A finding's `compiled`, `referenced`, `gates` and `gates_note`.
    func annotate(_ f: inout JSONObject, finding details: JSONObject) {
        guard active else { return }
        var compiledStatus: CompiledAnalysis.Status?
        if let compiled {
            let (status, json) = compiled.package(node, detail: true, os: Self.strings(details["affected_os"]),
                                                  arch: Self.strings(details["affected_arch"]))
            compiledStatus = status
            f.set("compiled", json)
        }
        var referenced: ReferenceResult.Status?
        if let references, case .string(let id)? = f["id"], let r = references.result(node: node, advisory: id) {
            referenced = r.status
            f.set("referenced", r.json)
        }
        let (gates, note) = Self.gates(compiled: compiledStatus, referenced: referenced, scope: scope)
        f.set("gates", .bool(gates))
        if let note { f.set("gates_note", .string(note)) }
    }

    /// Whether a finding counts for the deny gates: every finding under `all`; under `compiled`
    /// (the default) all but those compiled for none of the requested targets; under `referenced`
    /// also not those whose affected functions nothing on the paths references. `unknown` always
    /// counts.
    static func gates(compiled: CompiledAnalysis.Status?, referenced: ReferenceResult.Status?,
                      scope: ReachOptions.DenyScope) -> (Bool, String?) {
        switch scope {
        case .all:
            return (true, nil)
        case .compiled, .referenced:
            if compiled == .no { return (false, "not compiled for the requested targets (deny_scope \"\(scope.rawValue)\")") }
            if scope == .referenced && referenced == .notReferenced {
                return (false, "its affected functions are not referenced (deny_scope \"referenced\")")
            }
            return (true, nil)
        }
    }

    static func strings(_ v: JSONValue?) -> [String] {
        guard case .array(let items)? = v else { return [] }
        return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }
}
