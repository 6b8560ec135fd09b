import NerqCargo
import NerqReach
import Testing

/// nerq's compiled set equals `cargo tree -e features --target T` (recorded) on every fixture
/// project and target: the packages and, for each, the features of its target and host units.
/// Here from the recorded `cargo metadata` alone, with and without dev-dependencies, and without
/// default features. (`--all-features` needs the lockfile: cargo metadata taken with the default
/// features leaves out the packages only other features pull in, netfetch's rustls stack among
/// them. The engine's tests cover it from Cargo.lock and the crates' own manifests.)
@Suite struct CompiledSetTests {
    static let host = TargetPlatform.known("x86_64-unknown-linux-gnu")!

    static let cases: [(project: String, target: String, file: String, tests: Bool, request: FeatureRequest)] =
        GroundTruth.projects.flatMap { p in
            GroundTruth.targets.flatMap { t in
                [(p, t, "tree.features.no-dev.txt", false, FeatureRequest()), (p, t, "tree.features.txt", true, FeatureRequest())]
            }
        } + ["netfetch", "archiver"].flatMap { p in
            GroundTruth.targets.flatMap { t in
                [(p, t, "tree.features.no-dev--no-default-features.txt", false, FeatureRequest(defaultFeatures: false))]
            }
        }

    @Test(arguments: cases.indices)
    func fromMetadata(_ i: Int) throws {
        let c = Self.cases[i]
        let graph = DependencyGraph(metadata: try GroundTruth.metadata(c.project))
        let set = CompiledSet.compute(graph, selection: .platform(TargetPlatform.known(c.target)!), host: Self.host,
                                      resolver: try GroundTruth.resolver(c.project), request: c.request, tests: c.tests)
        let diff = GroundTruth.diff(GroundTruth.asTree(set, graph), try GroundTruth.tree(c.project, c.target, c.file))
        #expect(diff.isEmpty, "\(c.project) \(c.target) \(c.file):\n\(diff.joined(separator: "\n"))")
        #expect(graph.issues.isEmpty, "\(graph.issues)")
    }
}
