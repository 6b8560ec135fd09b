import NerqJSON
import NerqReach

/// The assess options that say what is compiled and what is referenced (docs/reachability.md):
/// for which targets and features the compiled set is computed, and whether references are
/// searched (which findings the deny gate counts is the gate's `scope`: Gate.swift).
struct ReachOptions {
    /// The targets to compute the compiled set for; empty: no compiled analysis (the default of
    /// the library; `cargo nerq` asks for `all`).
    var targets: [TargetSelection] = []
    /// The build host (build scripts and proc-macros are compiled for it).
    var host = TargetPlatform.known(TargetPlatform.buildHost) ?? TargetPlatform(triple: TargetPlatform.buildHost, cfg: [])
    var features = FeatureRequest()
    /// The feature resolver (1, 2 or 3); nil: the workspace's own.
    var resolver: Int?
    /// Whether findings whose advisory lists affected functions are searched for references.
    var references = true

    static let keys = ["targets", "host", "features", "all_features", "no_default_features", "resolver", "references"]

    static func read(_ o: ObjectReader) throws(NerqError) -> ReachOptions {
        var r = ReachOptions()
        if let t = o.optional("targets") {
            var seen = Set<String>()
            for item in try t.array() {
                let selection = try TargetSelection.read(item)
                guard seen.insert(selection.name).inserted else {
                    throw NerqError(.invalidValue, "target \"\(selection.name)\" is given twice", path: item.path)
                }
                r.targets.append(selection)
            }
            if r.targets.contains(.all) && r.targets.count > 1 {
                throw NerqError(.invalidValue, "\"all\" already covers every target; give it alone", path: t.path)
            }
        }
        if let h = o.optional("host") {
            guard case .platform(let p) = try TargetSelection.read(h) else {
                throw NerqError(.invalidValue, "the host is one platform, not \"all\"", path: h.path)
            }
            r.host = p
        }
        r.features.features = try o.optional("features")?.strings().flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) } ?? []
        r.features.allFeatures = try o.optional("all_features")?.bool() ?? false
        r.features.defaultFeatures = !(try o.optional("no_default_features")?.bool() ?? false)
        if let v = o.optional("resolver") { r.resolver = Int(try v.int(in: 1...3)) }
        r.references = try o.optional("references")?.bool() ?? true
        return r
    }

    /// The options as the assessment echoes them.
    var json: [(String, JSONValue)] {
        [("targets", .strings(targets.map(\.name))), ("host", .string(host.triple)), ("features", .strings(features.features)),
         ("all_features", .bool(features.allFeatures)), ("no_default_features", .bool(!features.defaultFeatures)),
         ("resolver", resolver.map { .int(Int64($0)) } ?? .null), ("references", .bool(references))]
    }
}
