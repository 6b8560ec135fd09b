import NerqCore
import NerqJSON
import NerqTOML

/// A crate's Cargo.toml, read with the TOML parser: the one reader of manifests in nerq (the
/// locator checks name and version with it, the scanner finds its targets with it, the engine
/// takes manifest signals from it).
public struct CargoManifest: Sendable, Equatable {
    public var name: String?
    public var version: String?
    /// `[lib] path`.
    public var libPath: String?
    /// `[lib] proc-macro = true`.
    public var procMacro = false
    /// `build = "path"` in [package].
    public var buildPath: String?
    /// `build = false` in [package].
    public var buildDisabled = false
    /// `readme = "path"` in [package].
    public var readmePath: String?
    /// Paths of the crate's declared test, bench and example targets (`[[test]] path = ...`).
    /// Cargo also finds `tests/`, `benches/` and `examples/` on its own; these are the ones a
    /// manifest names elsewhere (nix keeps its tests under `test/`).
    public var testTargetPaths: [String] = []
    /// What the manifest declares, as the `manifest` signal group.
    public var signals = ManifestSignals()

    public init() {}

    /// Parses a Cargo.toml. A file that is not TOML, or has no `[package]` table, is a
    /// `parse_error` naming `file` and the line.
    public static func parse(_ bytes: [UInt8], file: String = "Cargo.toml") throws(NerqError) -> CargoManifest {
        let root: TOMLTable
        do {
            root = try TOML.parse(bytes)
        } catch {
            throw NerqError(.parseError, "\(file):\(error.line):\(error.column): \(error.message)", path: "\(file):\(error.line):\(error.column)")
        }
        guard let package = root.table("package") else {
            throw NerqError(.parseError, "\(file): no [package] table", path: file)
        }
        var m = CargoManifest()
        m.name = package.string("name")
        m.version = package.string("version")
        switch package["build"] {
        case .string(let path)?: m.buildPath = path
        case .bool(false)?: m.buildDisabled = true
        default: break
        }
        m.readmePath = package.string("readme")
        if let lib = root.table("lib") {
            m.libPath = lib.string("path")
            m.procMacro = (lib["proc-macro"] ?? lib["proc_macro"])?.boolValue ?? false
        }
        for kind in ["test", "bench", "example"] {
            for target in root[kind]?.arrayValue ?? [] {
                if let path = target.tableValue?.string("path") { m.testTargetPaths.append(path) }
            }
        }
        m.signals = signals(package)
        return m
    }

    /// The manifest signals of a Cargo.toml (used when cargo metadata is not available: a bare
    /// lockfile, a single crate).
    public static func signals(_ bytes: [UInt8], file: String = "Cargo.toml") throws(NerqError) -> ManifestSignals {
        try parse(bytes, file: file).signals
    }

    static func signals(_ package: TOMLTable) -> ManifestSignals {
        var m = ManifestSignals()
        // Values inherited from a workspace (`license.workspace = true`) are tables: not known here.
        m.license = package.string("license")
        if let edition = package.string("edition"), ["2015", "2018", "2021", "2024"].contains(edition) {
            m.edition = edition
        } else if package["edition"] == nil {
            m.edition = "2015"  // cargo's default when a manifest names none
        }
        m.rustVersion = package.string("rust-version")
        m.description = package.string("description")
        m.repository = package.string("repository")
        m.documentation = package.string("documentation")
        m.homepage = package.string("homepage")
        switch package["readme"] {
        case .string?: m.readme = true
        case .bool(let b)?: m.readme = b
        default: break
        }
        m.keywords = package.strings("keywords")
        m.categories = package.strings("categories")
        return m
    }
}
