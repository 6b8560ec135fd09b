import NerqCargo
import NerqIO
import NerqReach
import NerqThreads

/// Every package's dependency declarations and features, for the compiled set: from cargo
/// metadata where it lists the package, else from the package's own Cargo.toml on disk (the
/// workspace's members and path dependencies beside the project; registry crates where the
/// scanner finds their sources). A package found nowhere has none: what only it pulls in is
/// `unknown`.
struct ProjectManifests {
    var declared: [DependencyGraph.Declared?]
    var procMacro: [Bool]
    /// The crate's directory (where its Cargo.toml was read) and its library's name.
    var directory: [String?]
    var libName: [String?]
    /// Path packages the workspace root names as members (with the metadata's members).
    var members: [Bool]
    /// `[workspace] resolver` and the root package's edition, when the root manifest was read.
    var resolverDeclared: String?
    var rootEdition: String?
    var rootRead = false
    var notes: [String] = []

    /// Manifests kept at most from the workspace (members and their path dependencies).
    static let maxPathManifests = 10_000

    /// `only`: the packages wanted (nil: all of them).
    static func gather(graph: ProjectGraph, lockfilePath: String?, metadata: CargoMetadata?, scanned: [Int: LocalSources.Found],
                       vendorDirs: [String], cargoSources: [String], only: Set<Int>? = nil) -> ProjectManifests {
        let n = graph.nodes.count
        var out = ProjectManifests(declared: Array(repeating: nil, count: n), procMacro: Array(repeating: false, count: n),
                                   directory: Array(repeating: nil, count: n), libName: Array(repeating: nil, count: n),
                                   members: graph.nodes.map(\.isMember))
        // The workspace root: cargo metadata's, else the lockfile's directory.
        let root = metadata?.workspaceRoot ?? lockfilePath.map { Files.directory(of: $0) }
        var pathManifests: [(manifest: CargoManifest, isMember: Bool, directory: String)] = []
        var workspaceDeps: [CargoDependency] = []
        if let root, case .success(let bytes) = Files.readBytes(Files.join(root, "Cargo.toml"), limit: 4 << 20),
           let parsed = try? CargoWorkspace.parseRoot(bytes, file: Files.join(root, "Cargo.toml")) {
            out.rootRead = true
            out.resolverDeclared = parsed.workspace?.resolver
            out.rootEdition = parsed.edition
            workspaceDeps = parsed.workspace?.dependencies ?? []
            pathManifests = workspace(root: root, members: parsed.workspace?.members ?? [], hasPackage: parsed.hasPackage)
        }
        var byNameVersion: [String: Int] = [:]
        for (k, m) in pathManifests.enumerated() where m.manifest.name != nil {
            byNameVersion["\(m.manifest.name ?? "") \(m.manifest.version ?? "")"] = k
        }
        var missing: [Int] = []
        var wantedIndex: [Int] = []
        var wanted: [LocalSources.Wanted] = []
        for i in 0..<n where only?.contains(i) ?? true {
            let node = graph.nodes[i]
            if let k = node.metadataIndex, let metadata, k < metadata.packages.count {
                let p = metadata.packages[k]
                out.declared[i] = DependencyGraph.Declared(dependencies: p.dependencies, features: p.features, source: "cargo metadata")
                out.procMacro[i] = p.procMacro
                out.libName[i] = p.libName
                if let mp = p.manifestPath {
                    out.directory[i] = Files.directory(of: mp)
                    continue
                }
                if let found = scanned[i] { out.directory[i] = found.scan.directory }
                if out.directory[i] != nil || node.source == .path { continue }
                wantedIndex.append(i)
                wanted.append(LocalSources.Wanted(name: node.name, version: node.version, manifestPath: nil, license: nil))
                continue
            }
            if node.source == .path {
                if let k = byNameVersion["\(node.name) \(node.version)"] {
                    let m = pathManifests[k]
                    out.declared[i] = declared(m.manifest, workspace: workspaceDeps, source: "Cargo.toml")
                    out.procMacro[i] = m.manifest.procMacro
                    out.libName[i] = m.manifest.libName
                    out.directory[i] = m.directory
                    if m.isMember { out.members[i] = true }
                } else {
                    missing.append(i)
                }
                continue
            }
            if let found = scanned[i], let cargo = found.cargo {
                out.declared[i] = declared(cargo, workspace: [], source: "Cargo.toml")
                out.procMacro[i] = cargo.procMacro
                out.libName[i] = cargo.libName
                out.directory[i] = found.scan.directory
                continue
            }
            wantedIndex.append(i)
            wanted.append(LocalSources.Wanted(name: node.name, version: node.version, manifestPath: node.manifestPath, license: nil))
        }
        // Crates not scanned: only their Cargo.toml is read (on the cores: small files, mostly cached).
        let located = LocalSources.locate(wanted, vendorDirs: vendorDirs, cargoSources: cargoSources)
        let needsManifest = wantedIndex.map { out.declared[$0] == nil }
        let parsed = parallelMap(Array(located.indices)) { k in
            needsManifest[k] ? located[k].flatMap { LocalSources.cargoManifest(in: $0.path) } : nil
        }
        for (k, (i, location)) in zip(wantedIndex, located).enumerated() {
            if !needsManifest[k] {  // metadata gave the declarations; only the directory was wanted
                out.directory[i] = location?.path
                continue
            }
            guard let location, let cargo = parsed[k] else {
                missing.append(i)
                continue
            }
            out.declared[i] = declared(cargo, workspace: [], source: "Cargo.toml")
            out.procMacro[i] = cargo.procMacro
            out.libName[i] = cargo.libName
            out.directory[i] = location.path
        }
        if !missing.isEmpty {
            let names = missing.sorted().prefix(5).map { graph.nodes[$0].label }.joined(separator: ", ")
            out.notes.append("compiled set: the Cargo.toml of \(missing.count) package\(missing.count == 1 ? "" : "s") was not found (\(names)\(missing.count > 5 ? ", …" : "")); what only they pull in is \"unknown\"")
        }
        return out
    }

    static func declared(_ m: CargoManifest, workspace: [CargoDependency], source: String) -> DependencyGraph.Declared {
        DependencyGraph.Declared(dependencies: m.dependencies.compactMap { $0.inheriting(from: workspace) }, features: m.features, source: source)
    }

    /// The root package (when the root manifest has one), the `[workspace] members` (literal
    /// directories, or `dir/*`), and every path dependency they reach, each read once.
    static func workspace(root: String, members: [String], hasPackage: Bool) -> [(manifest: CargoManifest, isMember: Bool, directory: String)] {
        var dirs: [(String, Bool)] = hasPackage ? [(root, true)] : []
        for pattern in members {
            if pattern.hasSuffix("/*") {
                let parent = Files.join(root, String(pattern.dropLast(2)))
                for name in (try? Files.list(parent)) ?? [] where !name.hasPrefix(".") { dirs.append((Files.join(parent, name), true)) }
            } else if !pattern.contains("*") {
                dirs.append((Files.join(root, pattern), true))
            }
        }
        var out: [(manifest: CargoManifest, isMember: Bool, directory: String)] = []
        var seen = Set<String>()
        var k = 0
        while k < dirs.count && out.count < maxPathManifests {
            let (dir, isMember) = dirs[k]
            k += 1
            guard let real = Files.realPath(dir), seen.insert(real).inserted,
                  case .success(let bytes) = Files.readBytes(Files.join(real, "Cargo.toml"), limit: 4 << 20),
                  let m = try? CargoManifest.parse(bytes, file: Files.join(dir, "Cargo.toml")) else { continue }
            out.append((m, isMember, dir))
            for d in m.dependencies { if let p = d.path { dirs.append((Files.join(real, p), false)) } }
        }
        return out
    }
}
