import Foundation
import NerqCargo
import NerqReach
import NerqScan
import NerqTestSupport
import Testing

/// The labelled set (Fixtures/labelled.json, 62 findings in real code, each labelled by reading
/// the code, with the evidence and the reasoning; Fixtures/labelled.md is the same as a table):
/// nerq's "not referenced" must be right on every case. How many cases are decided at all (recall)
/// and how precise "referenced" is are printed and held to what was measured.
@Suite struct LabelledTests {
    struct Case {
        var id: String
        var crate: String
        var version: String
        var functions: [(path: String, versions: [String])]
        var root: String
        var rootKind: String
        var label: String
        var truth: String
        var paths: [[String]]
    }

    static let cases: [Case] = {
        guard let data = FileManager.default.contents(atPath: GroundTruth.fixtures + "/labelled.json"),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.map { c in
            let fns = (c["affected_functions"] as? [String: [String]] ?? [:]).sorted { $0.key < $1.key }.map { (path: $0.key, versions: $0.value) }
            return Case(id: c["id"] as? String ?? "", crate: c["vulnerable_crate"] as? String ?? "", version: c["vulnerable_version"] as? String ?? "",
                        functions: fns, root: c["root"] as? String ?? "", rootKind: c["root_kind"] as? String ?? "",
                        label: c["label"] as? String ?? "", truth: c["truth"] as? String ?? "", paths: c["paths"] as? [[String]] ?? [])
        }
    }()

    /// Where the Debian crates of the set are unpacked by scripts/deps.sh (tools/validity/fetch.sh
    /// with Fixtures/labelled-packages.tsv; nothing installed): $NERQ_DEBIAN_CRATES, else
    /// ~/.cache/nerq/debian-crates.
    static let cacheRegistry: String = {
        let env = ProcessInfo.processInfo.environment
        let base = env["NERQ_DEBIAN_CRATES"] ?? ((env["HOME"] ?? "/root") + "/.cache/nerq/debian-crates")
        return base + "/tree/usr/share/cargo/registry"
    }()

    /// The fixture projects' own crates; every other crate from Debian (installed, or unpacked).
    static func directory(_ label: String) -> String? {
        let parts = label.split(separator: " ").map(String.init)
        guard parts.count == 2 else { return nil }
        let projects = GroundTruth.fixtures + "/projects"
        switch parts[0] {
        case "nerq-demo": return projects + "/demo"
        case "netfetch": return projects + "/netfetch"
        case "arc-cli": return projects + "/archiver/arc-cli"
        case "arc-core": return projects + "/archiver/arc-core"
        default: break
        }
        return CrateLocator(vendorDirectories: [cacheRegistry]).locate(name: parts[0], version: parts[1])?.path
    }

    static func manifest(_ dir: String?) -> CargoManifest? {
        guard let dir, let data = FileManager.default.contents(atPath: dir + "/Cargo.toml") else { return nil }
        return try? CargoManifest.parse([UInt8](data))
    }

    /// The query for one case: the crates on its paths (from cargo's resolver), each crate's names
    /// for its dependencies (from its Cargo.toml), the root's test code when only dev-dependencies
    /// lead on.
    static func query(_ c: Case) -> ReferenceQuery? {
        var labels: [String] = []
        for p in c.paths { for x in p where !labels.contains(x) { labels.append(x) } }
        let vulnerable = "\(c.crate) \(c.version)"
        guard let v = labels.firstIndex(of: vulnerable) else { return nil }
        let dirs = labels.map(directory)
        let manifests = dirs.map(manifest)
        var crates = labels.enumerated().map { i, l in
            let parts = l.split(separator: " ").map(String.init)
            return ReferenceQuery.Crate(name: parts[0], version: parts.count > 1 ? parts[1] : "", directory: dirs[i],
                                        isRoot: l == c.root && c.rootKind != "debian")
        }
        var outKinds = [[CargoDependency.Kind]](repeating: [], count: labels.count)
        for p in c.paths {
            for (a, b) in zip(p, p.dropFirst()) {
                guard let i = labels.firstIndex(of: a), let j = labels.firstIndex(of: b) else { continue }
                let decls = manifests[i]?.dependencies ?? []
                let lib = manifests[j]?.libName ?? crates[j].name
                let kinds = decls.filter { DependencyGraphName.same($0.package, crates[j].name) }.map(\.kind)
                for name in ReferenceQuery.externNames(declarations: decls, package: crates[j].name, version: crates[j].version, libName: lib) {
                    for kind in Set(kinds.isEmpty ? [.normal] : kinds).sorted(by: { $0.rawValue < $1.rawValue }) {
                        let dep = ReferenceQuery.Dependency(crate: j, externName: name, kind: kind)
                        if !crates[i].dependencies.contains(dep) { crates[i].dependencies.append(dep) }
                    }
                }
                outKinds[i] += kinds
            }
        }
        for i in crates.indices where crates[i].isRoot && !outKinds[i].isEmpty && outKinds[i].allSatisfy({ $0 == .dev }) {
            crates[i].tests = true
        }
        return ReferenceQuery(crates: crates, vulnerable: v, functions: ReferenceQuery.functions(c.functions, version: c.version))
    }

    static let measuredDecided = 43

    static func truthIsReferenced(_ c: Case) -> Bool { c.label == "referenced" || c.truth.hasPrefix("referenced") }

    @Test func labelledSet() throws {
        let cases = Self.cases
        #expect(cases.count == 62)
        let missing = cases.flatMap { c in c.paths.flatMap { $0 } }.filter { Self.directory($0) == nil }
        guard required(missing.isEmpty ? true : nil, "crate sources of the labelled set (\(Set(missing).sorted().prefix(5).joined(separator: ", ")); scripts/deps.sh)") != nil
        else { return }
        let analyzer = ReferenceAnalyzer()
        var decided = 0, referenced = 0, preciseReferenced = 0, notReferenced = 0
        var rows: [String] = []
        for c in cases {
            guard let q = Self.query(c) else {
                Issue.record("\(c.id): no query")
                continue
            }
            let r = analyzer.analyze(q)
            let where_ = (r.evidence.first ?? r.possible.first).map { " \(Files.lastPathComponents($0.file)):\($0.line)" } ?? ""
            rows.append("\(c.id): label \(c.label) | nerq \(r.status.rawValue)\(where_)\(r.status == .unknown ? " (\(r.reasons.first ?? r.possible.first?.why ?? ""))" : "")")
            switch r.status {
            case .notReferenced:
                decided += 1
                notReferenced += 1
                #expect(c.label == "not referenced", "\(c.id): nerq says not referenced; labelled \(c.label) (\(c.truth))")
            case .referenced:
                decided += 1
                referenced += 1
                if Self.truthIsReferenced(c) { preciseReferenced += 1 }
            case .unknown:
                break
            }
        }
        // Measured (docs/reachability.md): 43 of 62 decided, every "referenced" right. A change
        // that decides less, or gets a "referenced" wrong, shows here.
        #expect(decided >= Self.measuredDecided, "decided \(decided) of \(cases.count), measured \(Self.measuredDecided)")
        #expect(preciseReferenced == referenced, "\(referenced - preciseReferenced) \"referenced\" answers are wrong")
        print("labelled set: \(cases.count) cases; decided \(decided) (recall \(String(format: "%.2f", Double(decided) / Double(max(1, cases.count))))); "
              + "referenced \(referenced) (precision \(preciseReferenced)/\(referenced)); not referenced \(notReferenced), all right")
        for row in rows { print("  " + row) }
    }
}

enum DependencyGraphName {
    static func same(_ a: String, _ b: String) -> Bool { a.replacingOccurrences(of: "-", with: "_") == b.replacingOccurrences(of: "-", with: "_") }
}

extension Files {
    static func lastPathComponents(_ path: String) -> String {
        path.split(separator: "/").suffix(3).joined(separator: "/")
    }
}

enum Files {}
