import Foundation
import NerqCargo
import NerqJSON
import NerqReach

/// The recorded ground truth (Fixtures/ground-truth, from `cargo tree -e features --target T`,
/// cargo 1.95.0) and the fixture projects it was recorded on (Fixtures/projects).
enum GroundTruth {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let projects = ["demo", "netfetch", "archiver", "archiver-r1", "bat", "rav1e"]
    static let targets = ["x86_64-unknown-linux-gnu", "x86_64-pc-windows-msvc", "aarch64-apple-darwin"]

    /// `cargo tree --prefix none --format '{p} {f}'` output: per "name version", the feature sets
    /// it is built with (two when host and target units differ).
    static func parseTree(_ text: String) -> [String: Set<[String]>] {
        var out: [String: Set<[String]>] = [:]
        for raw in text.split(separator: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.contains(" feature \"") { continue }
            if line.hasSuffix("(*)") { line = String(line.dropLast(3)).trimmingCharacters(in: .whitespaces) }
            // "name vX.Y.Z[ (path)][ (proc-macro)] feat,feat"
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count >= 2, parts[1].hasPrefix("v") else { continue }
            let key = "\(parts[0]) \(parts[1].dropFirst())"
            var features: [String] = []
            if let last = parts.last, parts.count > 2, !last.hasSuffix(")") {
                features = last.split(separator: ",").map(String.init).sorted()
            }
            out[key, default: []].insert(features)
        }
        return out
    }

    static func tree(_ project: String, _ target: String, _ file: String) throws -> [String: Set<[String]>] {
        parseTree(try String(contentsOfFile: "\(fixtures)/ground-truth/\(project)/\(target)/\(file)", encoding: .utf8))
    }

    /// The recorded `cargo metadata` with its paths pointing into Fixtures/projects.
    static func metadataText(_ project: String) throws -> String {
        try String(contentsOfFile: "\(fixtures)/ground-truth/\(project)/metadata.all.json", encoding: .utf8)
            .replacingOccurrences(of: "/FIXTURES/projects/", with: "\(fixtures)/projects/")
    }

    static func metadata(_ project: String) throws -> CargoMetadata {
        try CargoMetadata.read(try JSONParser.parse(Array(try metadataText(project).utf8)))
    }

    /// The resolver cargo used: `[workspace] resolver`, else the root package's edition.
    static func resolver(_ project: String) throws -> Int {
        let root = try CargoWorkspace.parseRoot(Array(try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/projects/\(project)/Cargo.toml"))))
        return CargoWorkspace.resolver(declared: root.workspace?.resolver, rootEdition: root.edition)
    }

    /// A compiled set as the tree shows it.
    static func asTree(_ set: CompiledSet, _ graph: DependencyGraph) -> [String: Set<[String]>] {
        var out: [String: Set<[String]>] = [:]
        for (i, b) in set.builds.enumerated() {
            guard let b else { continue }
            let key = graph.packages[i].label
            if let t = b.target { out[key, default: []].insert(t) }
            if let h = b.host { out[key, default: []].insert(h) }
        }
        return out
    }

    static func diff(_ mine: [String: Set<[String]>], _ cargo: [String: Set<[String]>]) -> [String] {
        var out: [String] = []
        for k in Set(mine.keys).union(cargo.keys).sorted() where mine[k] != cargo[k] {
            out.append("\(k): nerq \(mine[k].map { $0.map { $0.joined(separator: ",") }.sorted() } ?? ["-"]) cargo \(cargo[k].map { $0.map { $0.joined(separator: ",") }.sorted() } ?? ["-"])")
        }
        return out
    }
}
